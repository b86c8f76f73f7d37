#pragma once

#include "sandbox/run/run_result.h"

#include <glib.h>

/* What the boxes of a table have done since the daemon started, for the
 * .metrics file: counted in the daemon's main thread as runs end and jails
 * are taken, and read there too, so without a lock. */
typedef struct
{
  guint64 runs[RUN_XX + 1]; /* runs ended (each step of a source chain), by verdict */
  guint64 time_limit_kills; /* runs the daemon killed for their CPU or wall-clock time */
  guint64 oom_kills;        /* runs in which the OOM killer struck */
  guint64 jails_prepared;   /* jails ordered ahead of a run */
  guint64 jails_used;       /* runs that started in one of them */
} BoxStats;

/* Counts a run that ended, and logs it: one line per run, with the box,
 * its owner, the verdict, CPU and wall time, peak memory and the exit code
 * or signal, as text and as structured fields (for the journal). */
void box_stats_run_ended (BoxStats *stats, const RunResult *result, const char *box, uid_t owner);
