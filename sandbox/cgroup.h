#pragma once

#include <glib.h>

/* The cgroups of boxes, on the cgroup v1 hierarchies, through libcgroup. Each
 * box has a group PARENT/NAME in every controller the runner needs (memory,
 * cpuacct, pids). Kept to these few calls so that a v2 backend can follow. */

/* Initialises libcgroup, checks that every needed controller is mounted and
 * creates PARENT in each. */
gboolean cgroups_init (const char *parent, GError **error);

/* Creates PARENT/NAME in every controller; an existing group is kept. */
gboolean box_cgroups_create (const char *parent, const char *name, GError **error);

/* Removes PARENT/NAME from every controller; a missing group is no error. */
gboolean box_cgroups_remove (const char *parent, const char *name, GError **error);

/* Removes PARENT itself where it holds no box any more. */
void cgroups_remove_parent (const char *parent);
