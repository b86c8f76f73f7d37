#pragma once

#include <glib.h>

/* Where the daemon's log goes, chosen once at start (isolatefs(8), LOG):
 * - log=FILE: appended to FILE;
 * - under systemd (standard error is the journal): the journal, each line
 *   with its fields (BOX=, VERDICT=... for a run);
 * - in the foreground: standard error;
 * - in the background: syslog, and when there is no syslog to take a line
 *   (no /dev/log, or it stops answering), the fallback file: no line is
 *   dropped without a trace, as syslog(3) would drop it.
 * The writer may be called from any thread. */
typedef struct _DaemonLog DaemonLog;

typedef struct
{
  const char *file;          /* log=FILE, or NULL */
  gboolean foreground;       /* -f: standard error, unless that is the journal */
  const char *syslog_socket; /* "/dev/log" */
  const char *fallback_file; /* where syslog's lines go when it takes none */
} DaemonLogSettings;

/* Chooses the destination. Fails only when the file of log=FILE cannot be
 * opened. Call before the daemon goes to the background, so that a
 * fallback can still be said on the terminal (daemon_log_describe). */
DaemonLog *daemon_log_new (const DaemonLogSettings *settings, GError **error);
void daemon_log_free (DaemonLog *log);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DaemonLog, daemon_log_free)

/* "the journal", "standard error", "syslog (/dev/log)", or a file's path
 * (and, for the fallback file, why). */
const char *daemon_log_describe (const DaemonLog *log);

/* Is there no syslog, so that the log goes to the fallback file? */
gboolean daemon_log_is_fallback (const DaemonLog *log);

/* Makes log the writer of every g_log call of the process (once). */
void daemon_log_install (DaemonLog *log);

/* Opens the log file again (after logrotate moved it away). */
gboolean daemon_log_reopen (DaemonLog *log, GError **error);

/* The writer itself (a GLogWriterFunc, data is the DaemonLog). */
GLogWriterOutput daemon_log_write (GLogLevelFlags level, const GLogField *fields, gsize n_fields,
                                   gpointer data);
