#pragma once

#include <glib.h>

/* How a run went: the status key of the meta text ("RE", "SG", "TO", "XX"). */
typedef enum
{
  RUN_OK, /* no status key: the program exited 0 within its limits */
  RUN_RE, /* it exited with another code */
  RUN_SG, /* it died of a signal (or ctl kill killed it) */
  RUN_TO, /* it passed its CPU or wall-clock time */
  RUN_XX, /* it never started, or the jail failed */
} RunVerdict;

/* "RE", "SG", "TO" or "XX"; NULL for RUN_OK. */
const char *run_verdict_name (RunVerdict verdict);

/* What one run did, as IOI isolate reports it in its meta file. Every figure
 * is this run's own: nothing is carried over from an earlier run. */
typedef struct
{
  const char *stage;    /* stage: "compile" or "run" for a step of a source file's chain, or NULL */
  gint64 cpu_ms;        /* time: CPU time of all processes of the run */
  gint64 wall_ms;       /* time-wall, from CLOCK_MONOTONIC */
  gint64 max_rss_kib;   /* max-rss: largest resident set of one process */
  gint64 cg_mem_kib;    /* cg-mem: peak memory + swap of the whole box; -1: unknown, left out */
  gint64 csw_voluntary; /* csw-voluntary */
  gint64 csw_forced;    /* csw-forced */
  gboolean oom_killed;  /* cg-oom-killed: the memory cgroup killed something */
  gboolean exited;      /* TRUE: exitcode holds the exit status; FALSE: exitsig the signal */
  int exitcode;
  int exitsig;
  gboolean killed;           /* killed: the jail killed the program (limit, ctl kill) */
  gboolean output_truncated; /* output-truncated: stdout or stderr passed the cap */
  RunVerdict verdict;        /* status */
  char *message;             /* message: why, unless RUN_OK */
} RunResult;

RunResult *run_result_new (void);
void run_result_free (RunResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunResult, run_result_free)

/* Sets the verdict and its message (replacing earlier ones). */
void run_result_set_verdict (RunResult *result, RunVerdict verdict, const char *format, ...)
    G_GNUC_PRINTF (3, 4);

/* The meta lines, one "key:value" per line, in isolate's units and formats
 * (seconds with three decimals, KiB). */
char *run_result_render (const RunResult *result);
