#include "metrics_parser.h"

#include <gio/gio.h>
#include <string.h>

#define PYTHON "/usr/bin/python3"

char *
metrics_parse (const char *text)
{
  const char *check[] = { PYTHON, "-c", "import prometheus_client", NULL };
  int wait_status;
  if (!g_spawn_sync (NULL, (char **) check, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL,
                     NULL, &wait_status, NULL)
      || !g_spawn_check_wait_status (wait_status, NULL))
    {
      g_test_skip ("no prometheus_client for " PYTHON " (python3-prometheus-client)");
      return NULL;
    }
  g_autoptr (GSubprocess) parser
      = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, NULL,
                          PYTHON, g_getenv ("PARSE_METRICS"), NULL);
  g_assert_nonnull (parser);
  char *out = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_subprocess_communicate_utf8 (parser, text, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (parser));
  return out;
}

void
metrics_assert_line (const char *parsed, const char *line)
{
  g_autofree char *lines = g_strdup_printf ("\n%s", parsed);
  g_autofree char *needle = g_strdup_printf ("\n%s\n", line);
  if (strstr (lines, needle) == NULL)
    g_error ("the parser did not read '%s' in:\n%s", line, parsed);
}
