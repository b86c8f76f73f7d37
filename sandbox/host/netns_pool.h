#pragma once

#include <glib.h>

/* Fresh network namespaces, made ahead for boxes' first runs. A box keeps
 * its network namespace across its runs (jail.h), but its first run had to
 * make one: clone(CLONE_NEWNET) cost 0.3-0.5 ms of CPU in the middle of a
 * lifecycle, on a machine with two CPUs and three busy processes. The pool
 * makes them on a thread of its own at the lowest priority (SCHED_IDLE),
 * one at a time while no box is being made, with the loopback already up.
 *
 * A namespace from the pool was never entered by any program: none is
 * ever given back, so nothing one box did on its network (connections in
 * TIME_WAIT, the loopback's counters) is seen by another. */
typedef struct _NetnsPool NetnsPool;

/* Holds up to max namespaces; makes none until the first take (a daemon
 * that goes to the background forks after it made its pool). */
NetnsPool *netns_pool_new (guint max);

/* Waits for the thread, and closes the namespaces not taken. */
void netns_pool_free (NetnsPool *pool);

/* A descriptor of a fresh network namespace (/proc/.../ns/net, for setns),
 * which the caller owns; -1 if none is ready. Either way the pool is then
 * filled up again in the background. On the thread of the default main
 * context, which must run for the pool to fill. */
int netns_pool_take (NetnsPool *pool);
