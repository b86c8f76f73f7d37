#pragma once

#include <glib.h>

/* The daemon's part of the cgroup v2 hierarchy (the kernel's
 * Documentation/admin-guide/cgroup-v2.rst, "Delegation"). v2 is one tree,
 * and only its leaves may hold processes once a group enables a controller
 * for its children; a controller reaches a group only if every group above
 * it enables it. So the daemon takes a subtree:
 *
 *   a relative cgroup_parent is under the daemon's own group, as systemd
 *   delegates one to a unit with Delegate=yes: the daemon moves itself into
 *   a leaf of its own, OWN/daemon, and OWN becomes an inner group;
 *   an absolute one, /PATH, is under the hierarchy's root, wherever the
 *   daemon runs (a host without systemd, or a test).
 *
 * From there down to the parent, each group enables memory and pids (and
 * cpu where it is there), and each box's group does for its runs' groups. */

/* Where the cgroup v2 hierarchy is: /sys/fs/cgroup on a host that boots v2
 * alone, /sys/fs/cgroup/unified on a hybrid one; NULL if there is none. */
char *cgroup_v2_mount_point (void);

/* TRUE where /sys/fs/cgroup is a cgroup v2 mount: cgroup=auto picks v2. */
gboolean cgroup_v2_is_the_hierarchy (void);

/* Makes the subtree ready and returns the parent's directory: checks that
 * memory and pids reach it, moves the daemon into its leaf if need be,
 * creates the parent and enables the controllers down to it. The error
 * says what is missing and how to fix it. */
char *cgroup_v2_take_subtree (const char *parent, GError **error);

/* What cgroup_v2_take_subtree() would do, changing nothing (isolatefs
 * --check): the parent's directory, or NULL with the error it would stop
 * with; *divides_own: whether the daemon would divide its own group (a
 * relative parent, outside the root group). Whether that group is the
 * daemon's alone only the daemon, where it runs, can tell. */
char *cgroup_v2_look_at_subtree (const char *parent, gboolean *divides_own, GError **error);

/* Enables, in the group at dir, every controller a run needs that is there
 * for it: what a box's group does for its runs' groups. */
gboolean cgroup_v2_enable_controllers (const char *dir, GError **error);
