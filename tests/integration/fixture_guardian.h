#pragma once

#include <glib.h>

/* What a test's mounts leave if the test dies before it frees them: a
 * failed assertion aborts the test process, a timeout kills it. Its daemons
 * then get SIGTERM and unmount, but boxes outlive a daemon by design, so
 * their cgroups, the state directory and whatever is mounted in it stay.
 *
 * The guardian is a process of its own session (a timeout's kill of the
 * test's process group spares it), started with the first mount. When the
 * test process is gone, for every mount it had not freed it waits for the
 * daemon to end (killing it after 20 s), then unmounts everything below the
 * mount's directory, removes its cgroups and deletes its files, and says so
 * on standard error. */

/* A mount made in tmp_dir, with its cgroups under cgroup_parent. */
void guardian_watch (const char *tmp_dir, const char *cgroup_parent);
/* The mount's daemon is now this process. */
void guardian_daemon_started (const char *tmp_dir, GPid daemon);
/* The mount was freed and checked: nothing of it is left to remove. */
void guardian_forget (const char *tmp_dir);
