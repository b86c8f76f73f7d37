/* The .metrics text (fs/metrics.h), read back with Prometheus' reference
 * parser: every family typed, every figure where a scraper finds it. */

#include "fs/metrics.h"
#include "tests/shared/metrics_parser.h"


#include <errno.h>
#include <string.h>

static void
test_render_parses (void)
{
  Metrics metrics = {
    .runs = { 7, 3, 2, 1, 0 },
    .runs_in_progress = 1,
    .boxes = 4,
    .jails_prepared = 12,
    .jails_used = 10,
    .time_limit_kills = 1,
    .oom_kills = 2,
    .uptime_seconds = 12.5,
    .resident_bytes = 8 << 20,
  };
  metrics.refused[EINVAL] = 5;
  metrics.refused[EBUSY] = 1;
  g_autofree char *text = metrics_render (&metrics);
  g_autofree char *parsed = metrics_parse (text);
  if (parsed == NULL)
    return;
  g_test_message ("%s", parsed);
  const char *const expected[] = {
    "TYPE isolatefs_runs counter",
    "isolatefs_runs_total{verdict=OK} 7",
    "isolatefs_runs_total{verdict=RE} 3",
    "isolatefs_runs_total{verdict=SG} 2",
    "isolatefs_runs_total{verdict=TO} 1",
    "isolatefs_runs_total{verdict=XX} 0",
    "TYPE isolatefs_runs_in_progress gauge",
    "isolatefs_runs_in_progress{} 1",
    "isolatefs_boxes{} 4",
    "TYPE isolatefs_prepared_sandboxes counter",
    "isolatefs_prepared_sandboxes_total{} 12",
    "isolatefs_prepared_sandboxes_used_total{} 10",
    "isolatefs_time_limit_kills_total{} 1",
    "isolatefs_oom_kills_total{} 2",
    "TYPE isolatefs_refused_requests counter",
    "isolatefs_refused_requests_total{errno=EINVAL} 5",
    "isolatefs_refused_requests_total{errno=EBUSY} 1",
    "TYPE isolatefs_uptime_seconds gauge",
    "isolatefs_uptime_seconds{} 12.5",
    "isolatefs_resident_memory_bytes{} 8.38861e+06",
  };
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    metrics_assert_line (parsed, expected[i]);
  /* No errno that never came. */
  g_assert_null (strstr (parsed, "ENOENT"));
}

static void
test_resident_bytes (void)
{
  guint64 resident = metrics_resident_bytes ();
  /* A GLib test program holds at least a megabyte, and surely not a terabyte. */
  g_assert_cmpuint (resident, >, 1 << 20);
  g_assert_cmpuint (resident, <, G_GUINT64_CONSTANT (1) << 40);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/metrics/render-parses", test_render_parses);
  g_test_add_func ("/metrics/resident-bytes", test_resident_bytes);
  return g_test_run ();
}
