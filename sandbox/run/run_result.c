#include "run_result.h"

#include "utils/parse_decimal.h"

RunResult *
run_result_new (void)
{
  return g_new0 (RunResult, 1);
}

void
run_result_free (RunResult *result)
{
  if (result == NULL)
    return;
  g_free (result->message);
  g_free (result);
}

const char *
run_verdict_name (RunVerdict verdict)
{
  static const char *const names[] = {
    [RUN_OK] = NULL, [RUN_RE] = "RE", [RUN_SG] = "SG", [RUN_TO] = "TO", [RUN_XX] = "XX",
  };
  return names[verdict];
}

void
run_result_set_verdict (RunResult *result, RunVerdict verdict, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_free (result->message);
  result->verdict = verdict;
  result->message = g_strdup_vprintf (format, args);
  va_end (args);
}

static void
append_seconds (GString *text, const char *key, gint64 ms)
{
  g_autofree char *seconds = format_seconds_ms (ms);
  g_string_append_printf (text, "%s:%s\n", key, seconds);
}

char *
run_result_render (const RunResult *result)
{
  GString *text = g_string_new (NULL);
  if (result->stage != NULL)
    g_string_append_printf (text, "stage:%s\n", result->stage);
  append_seconds (text, "time", result->cpu_ms);
  append_seconds (text, "time-wall", result->wall_ms);
  g_string_append_printf (text, "max-rss:%" G_GINT64_FORMAT "\n", result->max_rss_kib);
  g_string_append_printf (text, "csw-voluntary:%" G_GINT64_FORMAT "\n", result->csw_voluntary);
  g_string_append_printf (text, "csw-forced:%" G_GINT64_FORMAT "\n", result->csw_forced);
  if (result->cg_mem_kib >= 0)
    g_string_append_printf (text, "cg-mem:%" G_GINT64_FORMAT "\n", result->cg_mem_kib);
  if (result->oom_killed)
    g_string_append (text, "cg-oom-killed:1\n");
  if (result->exited)
    g_string_append_printf (text, "exitcode:%d\n", result->exitcode);
  else if (result->exitsig != 0)
    g_string_append_printf (text, "exitsig:%d\n", result->exitsig);
  if (result->killed)
    g_string_append (text, "killed:1\n");
  if (result->output_truncated)
    g_string_append (text, "output-truncated:1\n");
  if (result->verdict != RUN_OK)
    {
      /* A message can quote a program's name: it must not start a line of its own. */
      g_autofree char *message = g_strdelimit (g_strdup (result->message), "\r\n", ' ');
      g_string_append_printf (text, "status:%s\nmessage:%s\n", run_verdict_name (result->verdict),
                              message);
    }
  return g_string_free (text, FALSE);
}
