#pragma once

#include <glib.h>

/* A run's result in isolate's words: the meta file's lines in isolate
 * 1.10.1's keys and order, the line it prints on stderr, and its exit
 * status. */

typedef enum
{
  COMPAT_EXIT_OK = 0,
  COMPAT_EXIT_PROGRAM_FAILED = 1, /* RE, SG, TO */
  COMPAT_EXIT_SANDBOX_ERROR = 2,  /* XX, usage and internal errors */
} CompatExit;

typedef struct
{
  char *meta; /* "key:value\n" lines */
  char *line; /* the status line for stderr, without its newline */
  CompatExit exit_status;
  gboolean fatal; /* an error of the sandbox: the line is printed even with -s */
} CompatVerdict;

void compat_verdict_free (CompatVerdict *verdict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CompatVerdict, compat_verdict_free)

/* Translates the daemon's `status` text of a finished run ("state:done"
 * first). Keys isolate does not have (state, output-truncated, ...) are
 * dropped and the rest put in isolate's order; the control group's
 * (cg-mem, cg-oom-killed) only with cg, as isolate gives them only with
 * --cg. interrupted is the signal that made the front end stop the run (0:
 * none), reported as isolate reports its own interruption. NULL with an
 * error unless the run is done. */
CompatVerdict *compat_verdict_from_status (const char *status, gboolean cg, int interrupted,
                                           GError **error);

/* An error of the sandbox itself (isolate's die()): status XX. */
CompatVerdict *compat_verdict_for_error (const char *message);
