#include "metrics.h"

#include <string.h>
#include <unistd.h>

const char *const metrics_verdict_names[METRICS_N_VERDICTS] = { "OK", "RE", "SG", "TO", "XX" };

/* "# HELP name text" and "# TYPE name type", before a metric's samples. */
static void
header (GString *out, const char *name, const char *type, const char *help)
{
  g_string_append_printf (out, "# HELP isolatefs_%s %s\n# TYPE isolatefs_%s %s\n", name, help, name,
                          type);
}

static void
sample (GString *out, const char *name, guint64 value)
{
  g_string_append_printf (out, "isolatefs_%s %" G_GUINT64_FORMAT "\n", name, value);
}

static void
counter (GString *out, const char *name, const char *help, guint64 value)
{
  header (out, name, "counter", help);
  sample (out, name, value);
}

static void
gauge (GString *out, const char *name, const char *help, guint64 value)
{
  header (out, name, "gauge", help);
  sample (out, name, value);
}

/* One sample per errno a request got, by its name (EINVAL...). */
static void
refusals (GString *out, const Metrics *metrics)
{
  header (out, "refused_requests_total", "counter",
          "Filesystem requests refused or failed, by the errno they got.");
  for (int err = 1; err <= METRICS_MAX_ERRNO; err++)
    if (metrics->refused[err] > 0)
      {
        const char *name = err < METRICS_MAX_ERRNO ? strerrorname_np (err) : NULL;
        g_string_append_printf (
            out, "isolatefs_refused_requests_total{errno=\"%s\"} %" G_GUINT64_FORMAT "\n",
            name ? name : "other", metrics->refused[err]);
      }
}

char *
metrics_render (const Metrics *metrics)
{
  GString *out = g_string_sized_new (2048);
  header (out, "runs_total", "counter", "Runs ended, by verdict (OK, or isolate's status).");
  for (guint i = 0; i < METRICS_N_VERDICTS; i++)
    g_string_append_printf (out, "isolatefs_runs_total{verdict=\"%s\"} %" G_GUINT64_FORMAT "\n",
                            metrics_verdict_names[i], metrics->runs[i]);
  gauge (out, "runs_in_progress", "Runs in progress.", metrics->runs_in_progress);
  gauge (out, "boxes", "Boxes that exist.", metrics->boxes);
  counter (out, "prepared_sandboxes_total", "Sandboxes built ahead of a run (prepare_runs).",
           metrics->jails_prepared);
  counter (out, "prepared_sandboxes_used_total", "Runs that started in a sandbox built ahead.",
           metrics->jails_used);
  counter (out, "time_limit_kills_total", "Runs killed for their CPU or wall-clock time.",
           metrics->time_limit_kills);
  counter (out, "oom_kills_total", "Runs in which the kernel's OOM killer struck.",
           metrics->oom_kills);
  refusals (out, metrics);
  header (out, "uptime_seconds", "gauge", "Seconds since the daemon started.");
  g_string_append_printf (out, "isolatefs_uptime_seconds %.3f\n", metrics->uptime_seconds);
  gauge (out, "resident_memory_bytes", "The daemon's resident memory.", metrics->resident_bytes);
  return g_string_free (out, FALSE);
}

guint64
metrics_resident_bytes (void)
{
  g_autofree char *statm = NULL;
  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    return 0;
  /* "size resident shared ...", in pages. */
  const char *resident = strchr (statm, ' ');
  return resident ? g_ascii_strtoull (resident + 1, NULL, 10) * (guint64) sysconf (_SC_PAGESIZE)
                  : 0;
}
