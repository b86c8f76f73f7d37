#pragma once

#include <glib.h>

/* Every run moves a process into the box's cgroups. On cgroup v1 that takes
 * the kernel's cgroup_threadgroup_rwsem for writing, which waits for an RCU
 * grace period unless another move happened moments before: 5-25 ms after a
 * pause, against some 15 us back to back (docs/configuration.md,
 * favor_dynmods). The kernel's own remedy (since 6.0) is the favordynmods
 * mount option: while a hierarchy mounted with it exists, moves are cheap at
 * all times, and forks and exits pay a little more instead. A hierarchy of
 * ours, with no controller and a name, carries the option, so the host's
 * mounts stay as they are. A cgroup v1 matter: a v2 backend has its own. */

/* Mounts the named hierarchy on mount_dir (created if missing). Fails on a
 * kernel without the option; the daemon then runs as before. */
gboolean cgroup_dynmods_favor (const char *mount_dir, GError **error);

/* Unmounts it (lazily: other daemons may have it mounted too) and removes
 * mount_dir. Also what a daemon does at start, before it mounts its own or
 * runs without, with what a daemon killed before left there. */
void cgroup_dynmods_release (const char *mount_dir);
