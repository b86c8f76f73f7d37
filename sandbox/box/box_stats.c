#include "box_stats.h"

/* "exit code 0", "signal 9", or nothing: a program that never started. */
static const char *
ending_key (const RunResult *result)
{
  if (result->exited)
    return "EXIT_CODE";
  return result->exitsig > 0 ? "EXIT_SIGNAL" : NULL;
}

/* One line per run, e.g. "run of box b1 (owner uid 1000): TO, Time limit
 * exceeded; 1.003 s CPU, 1.010 s wall, 2048 KiB peak, signal 9". */
static void
log_run (const RunResult *result, const char *box, uid_t owner)
{
  const char *key = ending_key (result);
  const char *verdict = run_verdict_name (result->verdict);
  g_autofree char *cpu = g_strdup_printf ("%" G_GINT64_FORMAT, result->cpu_ms);
  g_autofree char *wall = g_strdup_printf ("%" G_GINT64_FORMAT, result->wall_ms);
  g_autofree char *peak = g_strdup_printf ("%" G_GINT64_FORMAT, result->cg_mem_kib);
  g_autofree char *owner_text = g_strdup_printf ("%u", (guint) owner);
  g_autofree char *ending
      = g_strdup_printf ("%d", result->exited ? result->exitcode : result->exitsig);
  g_autofree char *how
      = key == NULL ? g_strdup ("it never started")
                    : g_strdup_printf ("%s %s", result->exited ? "exit code" : "signal", ending);
  g_autofree char *message = g_strdup_printf (
      "%s of box %s (owner uid %u): %s%s%s; %.3f s CPU, %.3f s wall, %" G_GINT64_FORMAT
      " KiB peak, %s",
      result->stage ? result->stage : "run", box, (guint) owner, verdict ? verdict : "OK",
      result->message ? ", " : "", result->message ? result->message : "", result->cpu_ms / 1000.0,
      result->wall_ms / 1000.0, result->cg_mem_kib, how);
  const GLogField fields[] = {
    { "PRIORITY", "5", -1 }, /* notice, as g_message */
    { "GLIB_DOMAIN", G_LOG_DOMAIN, -1 },
    { "MESSAGE", message, -1 },
    { "BOX", box, -1 },
    { "OWNER_UID", owner_text, -1 },
    { "VERDICT", verdict ? verdict : "OK", -1 },
    { "CPU_MS", cpu, -1 },
    { "WALL_MS", wall, -1 },
    { "PEAK_KIB", peak, -1 },
    { "STAGE", result->stage ? result->stage : "run", -1 },
    { key, ending, -1 }, /* last: left out when there is no key */
  };
  g_log_structured_array (G_LOG_LEVEL_MESSAGE, fields,
                          G_N_ELEMENTS (fields) - (key == NULL ? 1 : 0));
}

void
box_stats_run_ended (BoxStats *stats, const RunResult *result, const char *box, uid_t owner)
{
  stats->runs[result->verdict]++;
  stats->time_limit_kills += result->verdict == RUN_TO && result->killed;
  stats->oom_kills += result->oom_killed;
  log_run (result, box, owner);
}
