#pragma once

#include "jail.h"

#include <glib.h>

/* Prepares jails (jail_prepare) on a thread of its own, for the next run
 * of a box. Cloning a jail's proxy copied the daemon's address space and
 * makes namespaces: 0.4-0.8 ms that, on the main loop, delayed the answers
 * to whoever read a status, or the program being launched. Now the zygote
 * forks it (jail_spawner.h); the thread still waits for that.
 *
 * The builder owns the spawner. The thread lives as long as the builder:
 * if it starts the zygote, it is the proxies' parent for PR_SET_PDEATHSIG.
 * A proxy is reaped by whoever frees its jail. */
typedef struct _JailBuilder JailBuilder;
typedef struct _JailOrder JailOrder;

/* At most max_spares orders marked spare are outstanding at once. births:
 * as jail_spawner_new() says. */
JailBuilder *jail_builder_new (guint max_spares, gboolean births);

/* Stops the thread once it has dealt with the orders before. */
void jail_builder_free (JailBuilder *builder);

/* Queues a jail to be prepared with a copy of setup. A spare order, one
 * that may well never be used (for a box that has not run yet), is
 * refused (NULL, no error) once max_spares of them are outstanding. Fails
 * otherwise only if the thread cannot be started. */
JailOrder *jail_builder_order (JailBuilder *builder, const JailSetup *setup, gboolean spare,
                               GError **error);

/* jail_prepare() now, on the calling thread, with the builder's zygote. */
Jail *jail_builder_prepare (JailBuilder *builder, const JailSetup *setup, GError **error);

/* A fresh network namespace for a box's first jail (netns_pool.h), as a
 * descriptor the caller owns; -1 if none is ready: the jail makes its own. */
int jail_builder_take_netns (JailBuilder *builder);

/* The jail, once built: waits if the thread is building it. NULL if the
 * thread had not started on it (the caller prepares its own, sooner than
 * the thread would get to it) or failed to build it (logged). Consumes the
 * order. */
Jail *jail_order_take (JailOrder *order);

/* jail_warm() of the order's jail, if it is built; FALSE if not (or its
 * program-to-be joins early anyway). TRUE: it may now be in the box's
 * cgroups. */
gboolean jail_order_warm (JailOrder *order);

/* Drops the order; its jail, once built, is killed (and reaped, if need be
 * on the thread). */
void jail_order_cancel (JailOrder *order);
