#pragma once

#include <glib.h>

/* The calls judges make of `isolate --run`, built for either isolate itself
 * or mini-isolate-compat (both take the same command line), and run timed
 * (judge_calls.c). For the side-by-side rows (side_by_side.c). */

typedef enum
{
  /* CMS (cms/grading/Sandbox.py, IsolateSandbox, as evaluation_step sets
   * it up for a batch task): its options in build_box_options' order, the
   * sandbox's home bound at /tmp, stdio to files there; isolate's own
   * stdin a pipe closed at once, its stdout and stderr pipes read to the
   * end. */
  JUDGE_CMS,
  /* Judge0 (app/jobs/isolate_job.rb, run, with its default limits):
   * isolate's stdin, stdout and stderr redirected to files beside box/ by
   * the shell, here by the benchmark's child before its exec. */
  JUDGE_JUDGE0,
  /* No option but the box: `isolate --cg -b ID --run -- /bin/true`. */
  JUDGE_PLAIN,
} JudgeStyle;

typedef struct _JudgeBox JudgeBox;

/* Makes box id ready for judge's calls through tool (--init, and the files
 * the judge keeps: CMS's home directory, Judge0's files), work files under
 * scratch; NULL (after a message) if --init failed. envp: every call's
 * environment. */
JudgeBox *judge_box_init (const char *tool, int id, const char *scratch, char **envp);
/* --cleanup, and frees. */
void judge_box_free (JudgeBox *box);

/* One call of `--run -- /bin/true` as judge makes it; its wall time in
 * milliseconds. A call that does not exit 0 is reported on stderr (the
 * first time only, per box). */
double judge_call (JudgeBox *box, JudgeStyle judge);

/* `tool --version`, its output to /dev/null: the tool's start-up; its
 * wall time in milliseconds. */
double judge_time_version (const char *tool, char **envp);

/* The judge's name, for the table. */
const char *judge_name (JudgeStyle judge);
