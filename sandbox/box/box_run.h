#pragma once

#include "box.h"

#include <glib.h>

/* A box's runs (box_run.c): the cmd file, the status file, and the run's
 * life from its start to its end, with the jail of the next run prepared
 * ahead of its command. */

/* The last command, "" if none. */
char *box_read_cmd (Box *box);

/* Starts a run of cmd, split into argv by shell quoting rules. Fails with
 * SANDBOX_ERROR_BUSY while a run is in progress, _INVALID for a command
 * that does not split. */
gboolean box_start_run (Box *box, const char *cmd, GError **error);

/* The result of the last run in IOI isolate's meta format, after "state:". */
char *box_read_status (Box *box);

/* Called once when the current run ends (or the box is destroyed during it). */
typedef void (*BoxRunEndFunc) (Box *box, gpointer data);
gpointer box_watch_run_end (Box *box, BoxRunEndFunc func, gpointer data);
void box_unwatch_run_end (Box *box, gpointer handle);

/* The box's cmd or source was opened for writing: a run is likely to
 * follow. Its prepared jail gets ready for the launch meanwhile
 * (jail_warm): its program-to-be wakes, on a CPU that may have been idle,
 * and joins the cgroups while the command is on its way. */
void box_expect_run (Box *box);

/* Orders the jail of a new box's first run ahead, as a spare order
 * (jail_builder_order): a box made and never run would hold a jail for
 * nothing, so only a few new boxes (prepare_new_boxes) do at once. Later
 * runs' jails are ordered by the box itself, as each run starts (or ends,
 * where the run would count them: BoxShared.runs_apart), and again when a setting
 * they are built with changes. Nothing with prepare_runs off. */
void box_prepare_first_run (Box *box);

/* Kills the current run and the jail prepared for the next, and waits
 * until nothing of them is left, without a result; watchers are told. For
 * rmdir and the daemon's stop; the next start reports the run as
 * interrupted. */
void box_abort_run (Box *box);

/* At load: if a run was in progress when the daemon last stopped, kills
 * whatever is left of it and makes its result XX, saying so. */
void box_recover_interrupted_run (Box *box);
