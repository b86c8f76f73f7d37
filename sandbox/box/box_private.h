#pragma once

/* What the files of sandbox/box/ share about a box, and no one else sees:
 * the box's fields, grouped by the file that owns them, and the calls
 * between those files. */

#include "box.h"
#include "box_jails.h"
#include "box_store.h"
#include "sandbox/cgroup/cgroup.h"
#include "sandbox/run/run.h"
#include "sandbox/settings/box_settings.h"

typedef struct _SourceChain SourceChain;

struct _Box
{
  grefcount ref_count;
  const BoxShared *shared; /* the table's, outlives every box */

  /* Who the box is and its settings (box.c) */
  guint64 id;
  char *name;
  guint uid_index;
  uid_t owner_uid;
  gid_t owner_gid;
  guint mode;       /* permission bits of the box's directory */
  gboolean removed; /* by rmdir: every call then fails, references stay valid */
  BoxSettings settings;
  BoxStore *store; /* its files (box_store.h) */

  /* Its runs (box_run.c) */
  BoxState state;
  char *cmd;            /* the last command, "" if none */
  BoxCgroup *cgroup;    /* opened at the first run */
  BoxJails *jails;      /* its runs' jails, the next one ordered ahead (box_jails.h) */
  Run *run;             /* while state is BOX_RUNNING */
  RunResult *result;    /* while state is BOX_DONE */
  gboolean interrupted; /* result is the XX of a run the daemon's end cut short */
  GList *run_watches;   /* told when the run ends */

  /* Its source file's compile-then-run (box_source.c) */
  char *source;       /* the last file written to the source file, "" if none */
  SourceChain *chain; /* while a chain is in progress */
};

/* ---- box.c ---- */

/* The box's own gid, as box_get_uid() its uid. */
gid_t box_get_gid (const Box *box);

/* Fails with SANDBOX_ERROR_NOT_FOUND once the box was removed. */
gboolean box_check_present (Box *box, GError **error);

/* The same, and with SANDBOX_ERROR_BUSY while a run is in progress: what
 * only an idle box may do. */
gboolean box_check_idle (Box *box, GError **error);

/* box_save(), logging a failure: for a change that stands anyway. */
void box_save_or_warn (Box *box);

/* ---- box_run.c ---- */

/* What one run runs, and under what: the box's settings but for what a
 * step of a source file's chain sets (box_source.c), which so never
 * changes the settings themselves. */
typedef struct
{
  const char *cmd; /* as the cmd file reads it */
  char **argv;
  const gint64 *limits; /* N_LIMITS */
  const char *cwd;      /* inside the jail */
  /* A compile step: reads /dev/null, and writes to the box's stdout and
   * stderr files whatever the stdio settings say. */
  gboolean compile;
} BoxRunPlan;

/* Starts a run of an idle box (box_check_idle): the box is then running,
 * its last result gone and cmd the plan's. The caller saves. */
gboolean box_run_start (Box *box, const BoxRunPlan *plan, GError **error);

/* What a run leaves is tidied (box_run.c says what) and box/ handed back
 * to its owner: a run's end, or a compile step's before the run step. */
void box_run_tidy_up (Box *box);

/* Whether the box's dirs rules, over those its owner's runs get by
 * default (default_dirs), are as many as a run can carry. */
gboolean box_run_check_dir_rules (Box *box, GError **error);

/* Orders the next run's jail ahead (box_run.h, box_prepare_first_run). */
void box_prepare_next_run (Box *box);

/* ctl kill: the run ends with SG, "Killed by ctl"; no step follows. */
void box_run_kill (Box *box);

/* ctl reset: the last result goes, the box is idle. */
void box_run_forget (Box *box);

/* ---- box_source.c ---- */

/* The step of the chain in progress, "compile" or "run"; NULL without one. */
const char *box_source_stage (const Box *box);

/* Called when a run ends while a chain is in progress. TRUE if the chain
 * goes on (the compile step succeeded and the run step started): the box
 * stays running and nobody is told. FALSE when the chain is over: result,
 * marked with its step, is the box's result. */
gboolean box_source_step_done (Box *box, RunResult **result);

/* No step follows the current one (ctl kill). */
void box_source_stop (Box *box);

/* The chain ends at once, with no result (the run was aborted). */
void box_source_drop (Box *box);

/* ---- box_stdio.c ---- */

/* A run's standard streams as the box gives them (docs/hacking.md, "How
 * stdio flows"): the descriptors of its input (the stdin file, or
 * /dev/null for a compile step) and of the box's stdout and stderr files,
 * emptied for the run; the paths inside the jail the program opens
 * instead (stdin-path, ...), and which of the two files the program writes
 * itself, held to max_output by the run. */
typedef struct
{
  int fds[3];
  const char *paths[3];      /* the settings', or NULL: the descriptor */
  gboolean stderr_to_stdout; /* descriptor 2 is a copy of descriptor 1 */
  int output_fds[2];         /* fds[1] and fds[2] where the program writes them, else -1 */
} BoxRunStdio;

/* Opens them, for a run (compile: a compile step, whatever the settings
 * say). On failure, what was opened is still to be closed. */
gboolean box_stdio_open (Box *box, gboolean compile, BoxRunStdio *stdio, GError **error);
void box_stdio_close (BoxRunStdio *stdio);

/* Removes what the last run wrote (ctl reset). */
gboolean box_stdio_remove_outputs (Box *box, GError **error);
