#pragma once

#include <glib.h>

/* Where a test's daemon keeps its boxes' cgroups. Its cgroup=auto picks the
 * hierarchy as these do: cgroup v2 where /sys/fs/cgroup is a cgroup2 mount
 * (the guest of tests/cgroup2/), else the v1 hierarchies of the controllers
 * a box uses, one directory in each (this host). */

/* TRUE where a daemon's cgroup=auto picks cgroup v2. */
gboolean cgroup_layout_is_v2 (void);

/* The cgroup_parent a test's daemon is given for name: name under the root
 * of each v1 hierarchy; on v2, /name at the root of the hierarchy, so that
 * the test's own cgroup (which its daemons start in) stays as it is. */
char *cgroup_layout_parent (const char *name);

/* The directories of parent (a daemon's cgroup_parent) or of one of its
 * boxes (box may be NULL): one per v1 controller, or the one v2 group.
 * NULL-terminated. */
GStrv cgroup_layout_dirs (const char *parent, const char *box);

/* The directory whose processes count against the pids limit: the pids
 * controller's on v1, the one group on v2. */
char *cgroup_layout_dir (const char *parent, const char *box);

/* The pids of the processes in the group at dir and every group below it
 * (on v2 a box's processes are in groups below the box's, one per run). */
GPtrArray *cgroup_layout_members (const char *dir);

/* Removes the group at dir and every group below it, killing what still
 * runs in them first. */
void cgroup_layout_remove (const char *dir);
