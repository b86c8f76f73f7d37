#pragma once

#include <glib.h>

/* The .metrics file at the mount's root: what the daemon has done since it
 * started, in Prometheus' text exposition format (version 0.0.4), for
 * node_exporter's textfile collector or any scraper. Every figure is one
 * the daemon keeps as it goes, so that rendering costs a few microseconds
 * and takes no lock a run holds. */

/* Verdicts as metrics name them: "OK" and isolate's status codes. */
#define METRICS_N_VERDICTS 5
extern const char *const metrics_verdict_names[METRICS_N_VERDICTS];

/* The highest errno counted one by one; others are counted as "other". */
#define METRICS_MAX_ERRNO 160

typedef struct
{
  guint64 runs[METRICS_N_VERDICTS]; /* runs ended, by verdict, in metrics_verdict_names' order */
  guint64 runs_in_progress;
  guint64 boxes;
  guint64 jails_prepared;                 /* sandboxes built ahead of a run */
  guint64 jails_used;                     /* runs that started in one of them */
  guint64 time_limit_kills;               /* runs killed for their CPU or wall-clock time */
  guint64 oom_kills;                      /* runs in which the OOM killer struck */
  guint64 refused[METRICS_MAX_ERRNO + 1]; /* requests answered with an errno, by errno */
  gdouble uptime_seconds;
  guint64 resident_bytes; /* the daemon's RSS */
} Metrics;

/* The text of .metrics. */
char *metrics_render (const Metrics *metrics);

/* The daemon's resident set, from /proc/self/statm; 0 if unreadable. */
guint64 metrics_resident_bytes (void);
