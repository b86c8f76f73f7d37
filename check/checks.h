#pragma once

/* The checks of host_check.h, by what they look at. Each appends one
 * CheckResult (or more) to results. */

#include "host_check.h"

/* Adds a result; fix_format may be NULL (for OK). */
void check_add (GPtrArray *results, const char *name, CheckOutcome outcome, char *finding,
                const char *fix_format, ...) G_GNUC_PRINTF (5, 6);

/* The first line of a file under /proc or /sys, without its newline; NULL
 * if it cannot be read. */
char *check_read_line (const char *path);

/* check_cgroups.c: the backend the daemon would pick, swap and its accounting. */
void check_cgroups (GPtrArray *results, const CheckSettings *settings);
void check_swap (GPtrArray *results, const CheckSettings *settings);

/* check_kernel.c: devices, namespaces, and what makes timings unfair. */
void check_root (GPtrArray *results);
void check_fuse (GPtrArray *results);
void check_loop_devices (GPtrArray *results, const CheckSettings *settings);
void check_namespaces (GPtrArray *results);
void check_user_namespaces (GPtrArray *results);
void check_core_pattern (GPtrArray *results);

/* check_timing.c: what makes timings unfair. */
void check_aslr (GPtrArray *results);
void check_cpu_frequency (GPtrArray *results);
void check_turbo (GPtrArray *results);
void check_transparent_hugepages (GPtrArray *results);

/* check_uids.c: the box uid and gid range is nobody else's. */
void check_uid_range (GPtrArray *results, const CheckSettings *settings);

/* check_state_dir.c: its filesystem, and whether a daemon holds it. */
void check_state_dir (GPtrArray *results, const CheckSettings *settings);
void check_state_lock (GPtrArray *results, const CheckSettings *settings);

/* mount_table.c: one line of /proc/self/mountinfo. */
typedef struct
{
  guint major, minor; /* of the filesystem's device (st_dev) */
  char *mount_point;
  char *mount_options; /* per mount: rw, nosuid, noexec... */
  char *fs_type;
  char *source;
  char *super_options; /* per filesystem: for cgroup v1, its controllers */
} MountEntry;

/* The mounts this process sees, in mount order. */
GPtrArray *check_mount_table (void);
/* Does the comma-separated options list hold option? */
gboolean check_has_option (const char *options, const char *option);
