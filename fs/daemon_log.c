#include "daemon_log.h"

#include "utils/errno_error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

typedef enum
{
  DESTINATION_FILE,
  DESTINATION_JOURNAL,
  DESTINATION_STDERR,
  DESTINATION_SYSLOG,
} Destination;

struct _DaemonLog
{
  Destination destination;
  GMutex lock;          /* the descriptors below, shared by every thread that logs */
  char *file;           /* the file lines go to (log=FILE, or syslog's fallback) */
  int file_fd;          /* -1 until a line needs it (syslog's fallback) */
  char *syslog_socket;  /* DESTINATION_SYSLOG */
  int syslog_fd;        /* connected, or -1 */
  gboolean syslog_lost; /* the last line went to the file instead */
  char *description;
};

static const char *
message_of (const GLogField *fields, gsize n_fields)
{
  for (gsize i = 0; i < n_fields; i++)
    if (strcmp (fields[i].key, "MESSAGE") == 0)
      return fields[i].value;
  return "";
}

/* GLib's levels as syslog and the file name them. */
static const struct
{
  GLogLevelFlags level;
  int priority;
  const char *name;
} levels[] = {
  { G_LOG_LEVEL_ERROR, LOG_ERR, "error" },         { G_LOG_LEVEL_CRITICAL, LOG_CRIT, "critical" },
  { G_LOG_LEVEL_WARNING, LOG_WARNING, "warning" }, { G_LOG_LEVEL_MESSAGE, LOG_NOTICE, "message" },
  { G_LOG_LEVEL_INFO, LOG_INFO, "info" },          { G_LOG_LEVEL_DEBUG, LOG_DEBUG, "debug" },
};

static guint
level_index (GLogLevelFlags level)
{
  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    if (level & levels[i].level)
      return i;
  return G_N_ELEMENTS (levels) - 1;
}

/* ---- the file ---- */

static gboolean
open_file (DaemonLog *log, GError **error)
{
  int fd = open (log->file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (fd < 0)
    return set_io_error (error, errno, "open the log file", log->file);
  if (log->file_fd >= 0)
    close (log->file_fd);
  log->file_fd = fd;
  return TRUE;
}

/* "2026-12-03 17:58:56.277 isolatefs[4242] warning: text", in one write. */
static gboolean
write_file_line (DaemonLog *log, GLogLevelFlags level, const char *message)
{
  if (log->file_fd < 0 && !open_file (log, NULL))
    return FALSE;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H:%M:%S");
  g_autofree char *line = g_strdup_printf (
      "%s.%03d isolatefs[%d] %s: %s\n", stamp, g_date_time_get_microsecond (now) / 1000,
      (int) getpid (), levels[level_index (level)].name, message);
  gsize length = strlen (line);
  return write (log->file_fd, line, length) == (gssize) length;
}

/* ---- syslog, spoken to directly: syslog(3) drops what it cannot send ---- */

static gboolean
connect_syslog (DaemonLog *log)
{
  if (log->syslog_fd >= 0)
    close (log->syslog_fd);
  log->syslog_fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  g_strlcpy (address.sun_path, log->syslog_socket, sizeof address.sun_path);
  if (log->syslog_fd >= 0
      && connect (log->syslog_fd, (struct sockaddr *) &address, sizeof address) == 0)
    return TRUE;
  if (log->syslog_fd >= 0)
    close (log->syslog_fd);
  log->syslog_fd = -1;
  return FALSE;
}

/* "<29>Dec  3 17:58:56 isolatefs[4242]: text", as syslog(3) sends it
 * (facility daemon). A daemon restarted meanwhile is connected again. */
static gboolean
send_syslog (DaemonLog *log, GLogLevelFlags level, const char *message)
{
  char stamp[32];
  time_t now = time (NULL);
  struct tm local;
  strftime (stamp, sizeof stamp, "%b %e %H:%M:%S", localtime_r (&now, &local));
  g_autofree char *datagram = g_strdup_printf ("<%d>%s isolatefs[%d]: %s",
                                               LOG_DAEMON | levels[level_index (level)].priority,
                                               stamp, (int) getpid (), message);
  for (int attempt = 0; attempt < 2; attempt++)
    {
      if (log->syslog_fd < 0 && !connect_syslog (log))
        return FALSE;
      if (send (log->syslog_fd, datagram, strlen (datagram), MSG_NOSIGNAL) >= 0)
        return TRUE;
      close (log->syslog_fd);
      log->syslog_fd = -1;
    }
  return FALSE;
}

static void
write_syslog (DaemonLog *log, GLogLevelFlags level, const char *message)
{
  if (send_syslog (log, level, message))
    {
      log->syslog_lost = FALSE;
      return;
    }
  /* The file says from when on it holds syslog's lines. */
  if (!log->syslog_lost)
    {
      g_autofree char *note = g_strdup_printf (
          "syslog (%s) takes no line: the log goes to this file until it does", log->syslog_socket);
      write_file_line (log, G_LOG_LEVEL_WARNING, note);
      log->syslog_lost = TRUE;
    }
  write_file_line (log, level, message);
}

/* ---- choosing ---- */

GLogWriterOutput
daemon_log_write (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  DaemonLog *log = data;
  /* Debug messages only when G_MESSAGES_DEBUG asks, wherever they go. */
  if (g_log_writer_default_would_drop (level, G_LOG_DOMAIN))
    return G_LOG_WRITER_HANDLED;
  switch (log->destination)
    {
    case DESTINATION_JOURNAL:
      if (g_log_writer_journald (level, fields, n_fields, NULL) == G_LOG_WRITER_HANDLED)
        return G_LOG_WRITER_HANDLED;
      break; /* the journal went away: standard error still reaches it */
    case DESTINATION_STDERR:
      break;
    case DESTINATION_FILE:
    case DESTINATION_SYSLOG:
      {
        g_mutex_lock (&log->lock);
        if (log->destination == DESTINATION_FILE)
          write_file_line (log, level, message_of (fields, n_fields));
        else
          write_syslog (log, level, message_of (fields, n_fields));
        g_mutex_unlock (&log->lock);
        return G_LOG_WRITER_HANDLED;
      }
    }
  return g_log_writer_standard_streams (level, fields, n_fields, NULL);
}

DaemonLog *
daemon_log_new (const DaemonLogSettings *settings, GError **error)
{
  g_autoptr (DaemonLog) log = g_new0 (DaemonLog, 1);
  g_mutex_init (&log->lock);
  log->file_fd = -1;
  log->syslog_fd = -1;
  if (settings->file != NULL)
    {
      log->destination = DESTINATION_FILE;
      log->file = g_strdup (settings->file);
      if (!open_file (log, error))
        return NULL;
      log->description = g_strdup (settings->file);
    }
  else if (g_log_writer_is_journald (STDERR_FILENO))
    {
      log->destination = DESTINATION_JOURNAL;
      log->description = g_strdup ("the journal");
    }
  else if (settings->foreground)
    {
      log->destination = DESTINATION_STDERR;
      log->description = g_strdup ("standard error");
    }
  else
    {
      log->destination = DESTINATION_SYSLOG;
      log->syslog_socket = g_strdup (settings->syslog_socket);
      log->file = g_strdup (settings->fallback_file);
      /* Said now, while a terminal may still read it. */
      log->description
          = connect_syslog (log)
                ? g_strdup_printf ("syslog (%s)", settings->syslog_socket)
                : g_strdup_printf ("%s, as there is no syslog (%s: %s)", settings->fallback_file,
                                   settings->syslog_socket, g_strerror (errno));
    }
  return g_steal_pointer (&log);
}

void
daemon_log_free (DaemonLog *log)
{
  if (log == NULL)
    return;
  if (log->file_fd >= 0)
    close (log->file_fd);
  if (log->syslog_fd >= 0)
    close (log->syslog_fd);
  g_mutex_clear (&log->lock);
  g_free (log->file);
  g_free (log->syslog_socket);
  g_free (log->description);
  g_free (log);
}

const char *
daemon_log_describe (const DaemonLog *log)
{
  return log->description;
}

gboolean
daemon_log_is_fallback (const DaemonLog *log)
{
  return log->destination == DESTINATION_SYSLOG && log->syslog_fd < 0;
}

void
daemon_log_install (DaemonLog *log)
{
  g_log_set_writer_func (daemon_log_write, log, NULL);
}

gboolean
daemon_log_reopen (DaemonLog *log, GError **error)
{
  g_mutex_lock (&log->lock);
  gboolean ok = log->destination != DESTINATION_FILE || open_file (log, error);
  g_mutex_unlock (&log->lock);
  return ok;
}
