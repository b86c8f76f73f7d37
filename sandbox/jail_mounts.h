#pragma once

#include "dir_rules.h"

#include <glib.h>

/* The sandbox's file system, in two halves: the plan is computed by the daemon
 * (it may allocate), the root is built by the proxy after clone(), where the
 * daemon's other threads may have left malloc locked, so that half only makes
 * system calls and formats into stack buffers. */

typedef enum
{
  JAIL_MOUNT_BIND, /* bind source (a host path) */
  JAIL_MOUNT_FS,   /* mount a fresh file system of type source (proc) */
  JAIL_MOUNT_TMP,  /* a fresh size-limited tmpfs, mode 1777 */
  JAIL_MOUNT_DEV,  /* a minimal /dev: null, zero, full, random, urandom */
} JailMountKind;

typedef struct
{
  char *inside; /* path under the new root, without the leading '/' */
  char *source; /* host path for binds, file system type for JAIL_MOUNT_FS */
  DirRuleFlags flags;
  JailMountKind kind;
} JailMount;

void jail_mount_free (JailMount *mount);

/* The default mounts (/bin, /lib, /lib64, /usr, /etc read-only; /box; /proc;
 * /tmp; /dev and /dev/shm) with dir_rules applied over them, parents before
 * their children. An array of JailMount. */
GPtrArray *jail_mounts_plan (const char *work_dir, GPtrArray *dir_rules);

/* In the proxy, in its new mount namespace: mounts a tmpfs on root_dir, makes
 * every mount of the plan under it, and pivots into it. On failure writes why
 * to report_fd and returns FALSE. */
gboolean jail_build_root (const char *root_dir, GPtrArray *plan, int report_fd);

/* Writes "cannot WHAT PATH: <strerror (errnum)>" to fd without allocating. */
void jail_report (int fd, const char *what, const char *path, int errnum);
