#pragma once

#include "sandbox/jail/jail.h"
#include "sandbox/jail/jail_builder.h"

#include <glib.h>

/* The jails of one box's runs (jail.h): the one ordered ahead for the next
 * run, its standby (jail_builder.h), and what later jails reuse: the box's
 * network namespace, which its first jail makes (or the builder's pool
 * gives), and its root template, which a jail prepared ahead builds. The
 * box says what a jail is built with (a JailSetup); this fills in the
 * namespace and the template it holds. */
typedef struct _BoxJails BoxJails;

/* ahead: jails may be prepared ahead of runs (prepare_runs). */
BoxJails *box_jails_new (JailBuilder *builder, gboolean ahead);

/* Cancels the standby and closes what is kept. */
void box_jails_free (BoxJails *jails);

/* The standby's jail for the run about to start, or NULL if none was
 * ordered (or the builder had not started on it, or failed: logged).
 * share_net: the box's, which the standby was built with. */
Jail *box_jails_take_standby (BoxJails *jails, gboolean share_net);

/* A jail prepared now, with setup, for a run that found no standby. */
Jail *box_jails_prepare (BoxJails *jails, JailSetup *setup, GError **error);

/* Orders the standby with setup: a spare order for a box that has not run
 * yet (jail_builder_order), which may be refused. Not fatal if it fails:
 * the run prepares its own. */
void box_jails_order (BoxJails *jails, JailSetup *setup, gboolean spare, GError **error);

/* Whether a standby is ordered. */
gboolean box_jails_ordered (const BoxJails *jails);

/* How many processes of the standby may be in the box's cgroups already: 1
 * where its program-to-be joins them before its launch (unless
 * join_at_launch), or at the warm-up (box_jails_warm); else 0. */
guint box_jails_waiting (const BoxJails *jails, gboolean join_at_launch);

/* jail_order_warm() of the standby, once. */
void box_jails_warm (BoxJails *jails);

/* A setting the jails are built with changed: the standby and the root
 * template go (the template holds the old box/, maybe a quota's image).
 * TRUE if a standby went, which the caller orders again. */
gboolean box_jails_invalidate (BoxJails *jails);

/* The root template goes: a run's jail could not be set up, the next is
 * built whole again. */
void box_jails_drop_template (BoxJails *jails);
