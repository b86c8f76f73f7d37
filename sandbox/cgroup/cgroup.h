#pragma once

#include <glib.h>

/* The cgroups of boxes. Each box has a group PARENT/NAME, in every
 * controller a run is measured and limited by. Where the groups are, and
 * how a limit is written or a counter read, is a backend's business
 * (cgroup_backend.h): cgroup v1's hierarchies (cgroup_v1.c), or the one
 * cgroup v2 hierarchy (cgroup_v2.c), where each run has a group of its own
 * below its box's. The figures and verdicts a run gets are the same on
 * both (docs/interface.md). */

/* The boxes' groups under one parent, on the host's hierarchy. */
typedef struct _Cgroups Cgroups;

/* Which hierarchy the daemon uses (the cgroup setting). */
typedef enum
{
  CGROUP_HIERARCHY_AUTO, /* v2 where /sys/fs/cgroup is cgroup v2, else v1 (a hybrid host too) */
  CGROUP_HIERARCHY_V1,
  CGROUP_HIERARCHY_V2,
} CgroupHierarchy;

/* "auto", "v1" or "v2"; FALSE for anything else. */
gboolean cgroup_hierarchy_parse (const char *text, CgroupHierarchy *hierarchy);

/* The hierarchy cgroups_new() would use for hierarchy: auto's choice, on
 * this host, or hierarchy itself. */
CgroupHierarchy cgroup_hierarchy_resolve (CgroupHierarchy hierarchy);

/* Picks the backend (hierarchy, or the one the host has), checks that every
 * needed controller is there and creates PARENT: a path of names, relative
 * to each v1 hierarchy's root; on v2, relative to the daemon's own group
 * (delegated to it: cgroup_v2_tree.h), or to the root if it starts with
 * '/'. The error says what is missing and how to fix it. */
Cgroups *cgroups_new (const char *parent, CgroupHierarchy hierarchy, GError **error);

/* "v1" or "v2". */
const char *cgroups_hierarchy_name (const Cgroups *cgroups);

/* TRUE where each run has a group of its own (v2): a jail prepared during a
 * run is not counted in it, and its program is born into the next run's
 * group (CgroupPlacement.birth_dir). */
gboolean cgroups_runs_apart (const Cgroups *cgroups);

/* TRUE where a box's groups may be renamed (v1), which spares need. */
gboolean cgroups_can_rename (const Cgroups *cgroups);

/* Frees; the groups stay. */
void cgroups_free (Cgroups *cgroups);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Cgroups, cgroups_free)

/* Creates PARENT/NAME; an existing group is kept. */
gboolean cgroups_create_box (Cgroups *cgroups, const char *name, GError **error);

/* Removes PARENT/NAME; a missing group is no error. */
gboolean cgroups_remove_box (Cgroups *cgroups, const char *name, GError **error);

/* Renames PARENT/FROM to PARENT/TO, all or none (but for a daemon killed
 * amid it: cgroups_list_boxes then lists both names). */
gboolean cgroups_rename_box (Cgroups *cgroups, const char *from, const char *to, GError **error);

/* TRUE if PARENT/NAME holds no process. */
gboolean cgroups_box_empty (Cgroups *cgroups, const char *name);

/* The names of the groups in PARENT, in any controller. */
GPtrArray *cgroups_list_boxes (Cgroups *cgroups, GError **error);

/* Removes PARENT itself where it holds no box any more. */
void cgroups_remove_parent (Cgroups *cgroups);

/* The cgroup files of one box, used run after run: limits are set and
 * counters zeroed when a run is prepared, so each run's figures are its own.
 * Values are read and written as plain files (libcgroup adds nothing but
 * cost on this path, which a time limit polls). */
typedef struct _BoxCgroup BoxCgroup;

/* Fails if the box's cgroups do not exist. Holds the counters every run
 * reads open until freed. */
BoxCgroup *cgroups_open_box (Cgroups *cgroups, const char *name, GError **error);
void box_cgroup_free (BoxCgroup *cgroup);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoxCgroup, box_cgroup_free)

/* For a removed box: its cgroups may be renamed for another box (a spare),
 * which its descriptors must not reach. Reads fail from then on. */
void box_cgroup_close_files (BoxCgroup *cgroup);

/* Zeroes the CPU time and the memory peak and notes the OOM-kill count, for
 * the next run. Fails if the box holds more than waiting processes (those
 * of a jail prepared ahead, which joined early): then some of an earlier
 * run are still there. Done as a run ends, where nothing joins the cgroups
 * before the next run's launch, so that the launch need not wait for it. */
gboolean box_cgroup_clear_counters (BoxCgroup *cgroup, guint waiting, GError **error);

/* Sets memory (+ swap) and process limits (LIMIT_UNLIMITED: none), and
 * clears the counters unless that was done since the last run. A memory
 * limit below what the group still holds is set all the same: the group
 * is emptied first, and if it cannot free enough its limit is what it
 * holds (the run, whose peak is then above mem_kib, is judged out of
 * memory: run.c); the peak starts from what it holds then. */
gboolean box_cgroup_prepare_run (BoxCgroup *cgroup, gint64 mem_kib, gint64 processes, guint waiting,
                                 GError **error);

/* Where a jail's program goes: into the cgroups whose cgroup.procs files
 * it writes its pid to (v1), or born into a run's group (v2). */
typedef struct
{
  const char *const *procs_files; /* NULL-terminated, or NULL */
  const char *birth_dir;          /* a v2 group's directory, or NULL */
} CgroupPlacement;

/* The placement of a jail prepared for the run about to start (after
 * box_cgroup_prepare_run), or, if next_run, for the run after it. The
 * strings live until the run after that is prepared. */
gboolean box_cgroup_place (BoxCgroup *cgroup, gboolean next_run, CgroupPlacement *placement,
                           GError **error);

/* CPU time of the box's processes since the run was prepared, in ns. */
gboolean box_cgroup_cpu_ns (BoxCgroup *cgroup, guint64 *ns, GError **error);
/* Peak memory + swap since the run was prepared, in KiB; -1 where the
 * kernel keeps no peak (cgroup v2 before Linux 5.19). */
gint64 box_cgroup_peak_kib (BoxCgroup *cgroup);
/* Whether the kernel's OOM killer struck in the box since the run was prepared. */
gboolean box_cgroup_oom_killed (BoxCgroup *cgroup);

/* SIGKILLs every process of the run until none is left; TRUE when empty.
 * On v2 that is the run's own group; on v1 the box's groups, which a jail
 * prepared during a run joins only at its launch (JailSetup.join_at_launch). */
gboolean box_cgroup_kill_all (BoxCgroup *cgroup);
