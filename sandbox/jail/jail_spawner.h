#pragma once

#include "sandbox/jail/shared/jail_protocol.h"

#include <glib.h>

/* The daemon's side of the zygote (zygote/zygote.c): the process that
 * forks every jail's proxy, started once, from a copy of its executable
 * built into the daemon.
 *
 * The zygote is started by the first spawn, not before: a daemon that goes
 * to the background forks after it made its spawner. The thread that
 * started it is the proxies' parent for PR_SET_PDEATHSIG: it must live as
 * long as the jails (the main thread, or the jail builder's). */
typedef struct _JailSpawner JailSpawner;

/* births: jails may have their program born into a cgroup
 * (JailSetup.cgroup_dir), which takes clone3: the zygote's system call
 * filter then leaves clone3 open, and every program-to-be refuses it for
 * itself before it runs anything (syscall_filter.h). */
JailSpawner *jail_spawner_new (gboolean births);

/* Whether it was made for births. */
gboolean jail_spawner_places_births (JailSpawner *spawner);

/* Closes the zygote's socket, which ends it, and reaps it. */
void jail_spawner_free (JailSpawner *spawner);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JailSpawner, jail_spawner_free)

/* The zygote works at the lowest priority (SCHED_IDLE): forking a proxy
 * ahead of its run must not pre-empt the run under way (traced: 0.37 ms
 * taken from a program-to-be just before its exec). Someone now waits for
 * its work: it gets the normal class until it has answered the request it
 * is on, or the next one. */
void jail_spawner_hurry (JailSpawner *spawner);

/* Asks for a proxy (request and fds as jail_protocol.h lays them out) and
 * returns its pid, a child of this process; -1 with error if the zygote
 * cannot be started or refused. A zygote found dead is started again.
 * Thread-safe: one request at a time. */
GPid jail_spawner_spawn (JailSpawner *spawner, const JailSpawnRequest *request, const int *fds,
                         int n_fds, GError **error);
