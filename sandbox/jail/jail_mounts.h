#pragma once

#include "sandbox/settings/dir_rules.h"

#include <glib.h>

/* The sandbox's file system, in two halves: the plan is computed by the
 * daemon, which sends it to the zygote with the rest of the jail's setup
 * (jail_wire.h); the proxy builds the root from it (zygote/build_root.h). */

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

/* A mount every run needs afresh: a tmpfs (its files are the run's) or a
 * file system like proc (bound to the run's PID namespace). The others, the
 * binds and /dev, are the same for every run of a box. */
static inline gboolean
jail_mount_is_per_run (const JailMount *mount)
{
  return mount->kind == JAIL_MOUNT_TMP || mount->kind == JAIL_MOUNT_FS;
}

/* TRUE if the plan's lasting mounts can be built once for a box and kept
 * (jail_wire.h, JAIL_ROOT_*): no mount lies inside a per-run one, so each
 * run only mounts its per-run ones on a copy of that tree. */
gboolean jail_mounts_can_last (GPtrArray *plan);
