#include "syslog_writer.h"

#include <string.h>
#include <syslog.h>

static int
priority_of (GLogLevelFlags level)
{
  if (level & G_LOG_LEVEL_ERROR)
    return LOG_ERR;
  if (level & G_LOG_LEVEL_CRITICAL)
    return LOG_CRIT;
  if (level & G_LOG_LEVEL_WARNING)
    return LOG_WARNING;
  if (level & G_LOG_LEVEL_MESSAGE)
    return LOG_NOTICE;
  if (level & G_LOG_LEVEL_INFO)
    return LOG_INFO;
  return LOG_DEBUG;
}

static GLogWriterOutput
write_to_syslog (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  /* Debug messages only when G_MESSAGES_DEBUG asks, as on standard error. */
  if (g_log_writer_default_would_drop (level, G_LOG_DOMAIN))
    return G_LOG_WRITER_HANDLED;
  for (gsize i = 0; i < n_fields; i++)
    if (strcmp (fields[i].key, "MESSAGE") == 0)
      syslog (priority_of (level), "%s", (const char *) fields[i].value);
  return G_LOG_WRITER_HANDLED;
}

void
syslog_writer_install (void)
{
  openlog ("isolatefs", LOG_PID, LOG_DAEMON);
  g_log_set_writer_func (write_to_syslog, NULL, NULL);
}
