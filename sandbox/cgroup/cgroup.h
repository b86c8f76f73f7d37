#pragma once

#include <glib.h>

/* The cgroups of boxes, on the cgroup v1 hierarchies. Each box has a group
 * PARENT/NAME in every controller the runner needs (memory, cpuacct, pids).
 * libcgroup finds the controllers' mounts and makes PARENT; what a run or a
 * box's creation does (a group made or removed, a value written or read) is
 * plain file I/O, at a fraction of libcgroup's cost. Kept to these few calls
 * so that a v2 backend can follow. */

/* Initialises libcgroup, checks that every needed controller is mounted and
 * creates PARENT in each. */
gboolean cgroups_init (const char *parent, GError **error);

/* Creates PARENT/NAME in every controller; an existing group is kept. */
gboolean box_cgroups_create (const char *parent, const char *name, GError **error);

/* Removes PARENT/NAME from every controller; a missing group is no error. */
gboolean box_cgroups_remove (const char *parent, const char *name, GError **error);

/* Renames PARENT/FROM to PARENT/TO in every controller, all or none (v1
 * allows renaming a group within its parent). */
gboolean box_cgroups_rename (const char *parent, const char *from, const char *to, GError **error);

/* TRUE if PARENT/NAME holds no process in any controller. */
gboolean box_cgroups_empty (const char *parent, const char *name);

/* The names of the groups in PARENT (of the pids controller). */
GPtrArray *box_cgroups_list (const char *parent, GError **error);

/* Removes PARENT itself where it holds no box any more. */
void cgroups_remove_parent (const char *parent);

/* The cgroup files of one box, used run after run: limits are set and
 * counters zeroed when a run is prepared, so each run's figures are its own.
 * Values are read and written as plain files (libcgroup adds nothing but
 * cost on this path, which a time limit polls). */
typedef struct _BoxCgroup BoxCgroup;

/* Fails if the box's cgroups do not exist. Holds three descriptors open
 * (the counters every run reads) until freed. */
BoxCgroup *box_cgroup_open (const char *parent, const char *name, GError **error);
void box_cgroup_free (BoxCgroup *cgroup);

/* For a removed box: its cgroups may be renamed for another box (a spare),
 * which its descriptors must not reach. Reads fail from then on. */
void box_cgroup_close_files (BoxCgroup *cgroup);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoxCgroup, box_cgroup_free)

/* Zeroes the CPU time and the memory peak and notes the OOM-kill count, for
 * the next run. Fails if the box holds more than waiting processes (those
 * of a sandbox prepared ahead, which joined early): then some of an earlier
 * run are still there. Done as a run ends, where nothing joins the cgroups
 * before the next run's launch, so that the launch need not wait for it. */
gboolean box_cgroup_clear_counters (BoxCgroup *cgroup, guint waiting, GError **error);

/* Sets memory (+ swap) and process limits (LIMIT_UNLIMITED: none), and
 * clears the counters unless that was done since the last run. */
gboolean box_cgroup_prepare_run (BoxCgroup *cgroup, gint64 mem_kib, gint64 processes, guint waiting,
                                 GError **error);

/* The cgroup.procs files a program writes its pid to, NULL-terminated. */
const char *const *box_cgroup_procs_files (BoxCgroup *cgroup);

/* CPU time of the box's processes since the run was prepared, in ns. */
gboolean box_cgroup_cpu_ns (BoxCgroup *cgroup, guint64 *ns, GError **error);
/* Peak memory + swap since the run was prepared, in KiB. */
gint64 box_cgroup_peak_kib (BoxCgroup *cgroup);
/* Whether the kernel's OOM killer struck in the box since the run was prepared. */
gboolean box_cgroup_oom_killed (BoxCgroup *cgroup);

/* SIGKILLs every process in the box until none is left; TRUE when empty. */
gboolean box_cgroup_kill_all (BoxCgroup *cgroup);
