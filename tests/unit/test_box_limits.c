/* sandbox/settings/box_limits.c: names, units, parsing and formatting of the limits. */
#include "sandbox/settings/box_limits.h"
#include "sandbox/sandbox_error.h"

#include <string.h>

static const char *const expected_names[N_LIMITS] = {
  [LIMIT_MEM] = "mem",
  [LIMIT_TIME] = "time",
  [LIMIT_WALL_TIME] = "wall-time",
  [LIMIT_EXTRA_TIME] = "extra-time",
  [LIMIT_PROCESSES] = "processes",
  [LIMIT_FSIZE] = "fsize",
  [LIMIT_STACK] = "stack",
  [LIMIT_OPEN_FILES] = "open-files",
  [LIMIT_SHARE_NET] = "share-net",
  [LIMIT_QUOTA] = "quota",
  [LIMIT_ADDRESS_SPACE] = "address-space",
  [LIMIT_CORE] = "core",
};

static gint64
parse_ok (LimitId id, const char *text)
{
  g_autoptr (GError) error = NULL;
  gint64 value = -42;
  g_test_message ("%s: parsing '%s'", limit_name (id), text);
  gboolean ok = limit_parse (id, text, &value, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  return value;
}

static void
assert_refused (LimitId id, const char *text)
{
  g_autoptr (GError) error = NULL;
  gint64 value = 0;
  g_test_message ("%s: refusing '%s'", limit_name (id), text);
  g_assert_false (limit_parse (id, text, &value, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
  /* The message names the limit, for the log. */
  g_assert_nonnull (strstr (error->message, limit_name (id)));
}

static void
test_name_of_every_limit (void)
{
  for (LimitId id = 0; id < N_LIMITS; id++)
    g_assert_cmpstr (limit_name (id), ==, expected_names[id]);
}

static void
test_lookup_of_every_name (void)
{
  for (LimitId id = 0; id < N_LIMITS; id++)
    {
      LimitId found = N_LIMITS;
      g_assert_true (limit_lookup (expected_names[id], &found));
      g_assert_cmpint (found, ==, id);
    }
}

static void
test_lookup_unknown_names (void)
{
  const char *const names[] = { "", "MEM", "memory", "mem ", "default_mem", "env", "dirs", "cmd" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      LimitId found;
      g_assert_false (limit_lookup (names[i], &found));
    }
}

static void
test_parse_mem_kib_with_suffixes (void)
{
  g_assert_cmpint (parse_ok (LIMIT_MEM, "128M"), ==, 131072);
  g_assert_cmpint (parse_ok (LIMIT_MEM, "1024"), ==, 1024);
  g_assert_cmpint (parse_ok (LIMIT_MEM, "1G"), ==, 1048576);
  g_assert_cmpint (parse_ok (LIMIT_MEM, "unlimited"), ==, LIMIT_UNLIMITED);
  assert_refused (LIMIT_MEM, "0");
  assert_refused (LIMIT_MEM, "-1");
  assert_refused (LIMIT_MEM, "lots");
  assert_refused (LIMIT_MEM, "1.5G");
  assert_refused (LIMIT_MEM, "");
  assert_refused (LIMIT_MEM, "Unlimited");
}

static void
test_parse_time_zero_is_unlimited (void)
{
  g_assert_cmpint (parse_ok (LIMIT_TIME, "2"), ==, 2000);
  g_assert_cmpint (parse_ok (LIMIT_TIME, "0.5"), ==, 500);
  g_assert_cmpint (parse_ok (LIMIT_TIME, "0"), ==, LIMIT_UNLIMITED);
  g_assert_cmpint (parse_ok (LIMIT_TIME, "0.000"), ==, LIMIT_UNLIMITED);
  g_assert_cmpint (parse_ok (LIMIT_TIME, "unlimited"), ==, LIMIT_UNLIMITED);
  assert_refused (LIMIT_TIME, "-1");
  assert_refused (LIMIT_TIME, "1M");
  assert_refused (LIMIT_TIME, "2s");
  assert_refused (LIMIT_TIME, "604801");
}

static void
test_parse_wall_time_zero_is_unlimited (void)
{
  g_assert_cmpint (parse_ok (LIMIT_WALL_TIME, "10"), ==, 10000);
  g_assert_cmpint (parse_ok (LIMIT_WALL_TIME, "0"), ==, LIMIT_UNLIMITED);
  g_assert_cmpint (parse_ok (LIMIT_WALL_TIME, "unlimited"), ==, LIMIT_UNLIMITED);
  assert_refused (LIMIT_WALL_TIME, "ten");
}

static void
test_parse_extra_time (void)
{
  g_assert_cmpint (parse_ok (LIMIT_EXTRA_TIME, "0.25"), ==, 250);
  /* 0 is no grace period here, not "no limit". */
  g_assert_cmpint (parse_ok (LIMIT_EXTRA_TIME, "0"), ==, 0);
  g_assert_cmpint (parse_ok (LIMIT_EXTRA_TIME, "unlimited"), ==, LIMIT_UNLIMITED);
  assert_refused (LIMIT_EXTRA_TIME, "-0.5");
}

static void
test_parse_processes_refuses_zero (void)
{
  g_assert_cmpint (parse_ok (LIMIT_PROCESSES, "1"), ==, 1);
  g_assert_cmpint (parse_ok (LIMIT_PROCESSES, "10"), ==, 10);
  g_assert_cmpint (parse_ok (LIMIT_PROCESSES, "unlimited"), ==, LIMIT_UNLIMITED);
  g_assert_cmpint (parse_ok (LIMIT_PROCESSES, "9223372036854775806"), ==, G_MAXINT64 - 1);
  assert_refused (LIMIT_PROCESSES, "0");
  assert_refused (LIMIT_PROCESSES, "-1");
  assert_refused (LIMIT_PROCESSES, "+5");
  assert_refused (LIMIT_PROCESSES, "10k");
  assert_refused (LIMIT_PROCESSES, "1.5");
  /* G_MAXINT64 itself would read back as "unlimited". */
  assert_refused (LIMIT_PROCESSES, "9223372036854775807");
}

static void
test_parse_fsize_accepts_zero (void)
{
  g_assert_cmpint (parse_ok (LIMIT_FSIZE, "0"), ==, 0);
  g_assert_cmpint (parse_ok (LIMIT_FSIZE, "64M"), ==, 65536);
  g_assert_cmpint (parse_ok (LIMIT_FSIZE, "unlimited"), ==, LIMIT_UNLIMITED);
  assert_refused (LIMIT_FSIZE, "-1");
}

static void
test_parse_stack_and_open_files_refuse_zero (void)
{
  g_assert_cmpint (parse_ok (LIMIT_STACK, "8M"), ==, 8192);
  g_assert_cmpint (parse_ok (LIMIT_STACK, "unlimited"), ==, LIMIT_UNLIMITED);
  assert_refused (LIMIT_STACK, "0");
  g_assert_cmpint (parse_ok (LIMIT_OPEN_FILES, "64"), ==, 64);
  g_assert_cmpint (parse_ok (LIMIT_OPEN_FILES, "unlimited"), ==, LIMIT_UNLIMITED);
  assert_refused (LIMIT_OPEN_FILES, "0");
  assert_refused (LIMIT_OPEN_FILES, "64K");
}

static void
test_parse_share_net_only_0_or_1 (void)
{
  g_assert_cmpint (parse_ok (LIMIT_SHARE_NET, "0"), ==, 0);
  g_assert_cmpint (parse_ok (LIMIT_SHARE_NET, "1"), ==, 1);
  const char *const bad[] = { "2", "-1", "01", "00", "", " 1", "yes", "true", "unlimited" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_refused (LIMIT_SHARE_NET, bad[i]);
}

static void
test_format_canonical_text (void)
{
  const struct
  {
    LimitId id;
    gint64 value;
    const char *text;
  } cases[] = {
    { LIMIT_MEM, 131072, "131072" },
    { LIMIT_TIME, 1500, "1.500" },
    { LIMIT_WALL_TIME, 0, "0.000" },
    { LIMIT_EXTRA_TIME, 250, "0.250" },
    { LIMIT_PROCESSES, 10, "10" },
    { LIMIT_FSIZE, 0, "0" },
    { LIMIT_STACK, 8192, "8192" },
    { LIMIT_OPEN_FILES, 64, "64" },
    { LIMIT_SHARE_NET, 1, "1" },
    { LIMIT_MEM, LIMIT_UNLIMITED, "unlimited" },
    { LIMIT_TIME, LIMIT_UNLIMITED, "unlimited" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = limit_format (cases[i].id, cases[i].value);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* Values each limit can hold (what limit_parse can produce). */
static void
assert_round_trip (LimitId id, gint64 value)
{
  g_autofree char *text = limit_format (id, value);
  g_test_message ("%s: %" G_GINT64_FORMAT " -> '%s'", limit_name (id), value, text);
  g_assert_cmpint (parse_ok (id, text), ==, value);
}

static void
test_format_parse_round_trip (void)
{
  const gint64 kib_values[] = { 1, 1024, 131072, 262144, G_MAXINT64 - 1, LIMIT_UNLIMITED };
  const gint64 ms_values[] = { 1, 999, 1000, 1500, 604800000, LIMIT_UNLIMITED };
  const gint64 count_values[] = { 1, 10, 64, 4096, G_MAXINT64 - 1, LIMIT_UNLIMITED };

  for (guint i = 0; i < G_N_ELEMENTS (kib_values); i++)
    {
      assert_round_trip (LIMIT_MEM, kib_values[i]);
      assert_round_trip (LIMIT_FSIZE, kib_values[i]);
      assert_round_trip (LIMIT_STACK, kib_values[i]);
    }
  assert_round_trip (LIMIT_FSIZE, 0);
  for (guint i = 0; i < G_N_ELEMENTS (ms_values); i++)
    {
      assert_round_trip (LIMIT_TIME, ms_values[i]);
      assert_round_trip (LIMIT_WALL_TIME, ms_values[i]);
      assert_round_trip (LIMIT_EXTRA_TIME, ms_values[i]);
    }
  assert_round_trip (LIMIT_EXTRA_TIME, 0);
  for (guint i = 0; i < G_N_ELEMENTS (count_values); i++)
    {
      assert_round_trip (LIMIT_PROCESSES, count_values[i]);
      assert_round_trip (LIMIT_OPEN_FILES, count_values[i]);
    }
  assert_round_trip (LIMIT_SHARE_NET, 0);
  assert_round_trip (LIMIT_SHARE_NET, 1);
}

static void
test_builtin_defaults_round_trip (void)
{
  /* The defaults are what a fresh box holds, so its files must read back
   * a value that can be written back. */
  for (LimitId id = 0; id < N_LIMITS; id++)
    {
      assert_round_trip (id, limit_builtin_default (id));
      assert_round_trip (id, limit_builtin_maximum (id));
    }
}

static void
test_check_maximum_within (void)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (limit_check_maximum (LIMIT_MEM, 1024, 2048, &error));
  g_assert_true (limit_check_maximum (LIMIT_MEM, 2048, 2048, &error));
  g_assert_true (limit_check_maximum (LIMIT_TIME, LIMIT_UNLIMITED, LIMIT_UNLIMITED, &error));
  g_assert_true (limit_check_maximum (LIMIT_SHARE_NET, 0, 0, &error));
  g_assert_no_error (error);
}

static void
test_check_maximum_above_fails (void)
{
  g_autoptr (GError) error = NULL;
  g_assert_false (limit_check_maximum (LIMIT_MEM, 2049, 2048, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_OVER_MAXIMUM);
  g_assert_nonnull (strstr (error->message, "mem"));
  g_clear_error (&error);

  g_assert_false (limit_check_maximum (LIMIT_SHARE_NET, 1, 0, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_OVER_MAXIMUM);
}

static void
test_check_maximum_unlimited_above_finite (void)
{
  g_autoptr (GError) error = NULL;
  g_assert_false (limit_check_maximum (LIMIT_TIME, LIMIT_UNLIMITED, 10000, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_OVER_MAXIMUM);
  g_assert_nonnull (strstr (error->message, "unlimited"));
}

static void
test_builtin_defaults_within_maximums (void)
{
  for (LimitId id = 0; id < N_LIMITS; id++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_true (
          limit_check_maximum (id, limit_builtin_default (id), limit_builtin_maximum (id), &error));
      g_assert_no_error (error);
    }
}

static void
test_builtin_defaults_bound_untrusted_code (void)
{
  /* A box nobody configured must still be safe to run untrusted code in. */
  const LimitId bounded[] = { LIMIT_MEM,   LIMIT_TIME,  LIMIT_WALL_TIME, LIMIT_PROCESSES,
                              LIMIT_FSIZE, LIMIT_STACK, LIMIT_OPEN_FILES };
  for (guint i = 0; i < G_N_ELEMENTS (bounded); i++)
    g_assert_cmpint (limit_builtin_default (bounded[i]), !=, LIMIT_UNLIMITED);
  g_assert_cmpint (limit_builtin_default (LIMIT_SHARE_NET), ==, 0);
  g_assert_cmpint (limit_builtin_default (LIMIT_EXTRA_TIME), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/box-limits/name-of-every-limit", test_name_of_every_limit);
  g_test_add_func ("/box-limits/lookup-of-every-name", test_lookup_of_every_name);
  g_test_add_func ("/box-limits/lookup-unknown-names", test_lookup_unknown_names);
  g_test_add_func ("/box-limits/parse/mem", test_parse_mem_kib_with_suffixes);
  g_test_add_func ("/box-limits/parse/time-zero-is-unlimited", test_parse_time_zero_is_unlimited);
  g_test_add_func ("/box-limits/parse/wall-time-zero-is-unlimited",
                   test_parse_wall_time_zero_is_unlimited);
  g_test_add_func ("/box-limits/parse/extra-time", test_parse_extra_time);
  g_test_add_func ("/box-limits/parse/processes-refuses-zero", test_parse_processes_refuses_zero);
  g_test_add_func ("/box-limits/parse/fsize-accepts-zero", test_parse_fsize_accepts_zero);
  g_test_add_func ("/box-limits/parse/stack-and-open-files-refuse-zero",
                   test_parse_stack_and_open_files_refuse_zero);
  g_test_add_func ("/box-limits/parse/share-net-only-0-or-1", test_parse_share_net_only_0_or_1);
  g_test_add_func ("/box-limits/format/canonical-text", test_format_canonical_text);
  g_test_add_func ("/box-limits/format/parse-round-trip", test_format_parse_round_trip);
  g_test_add_func ("/box-limits/format/builtins-round-trip", test_builtin_defaults_round_trip);
  g_test_add_func ("/box-limits/check-maximum/within", test_check_maximum_within);
  g_test_add_func ("/box-limits/check-maximum/above-fails", test_check_maximum_above_fails);
  g_test_add_func ("/box-limits/check-maximum/unlimited-above-finite",
                   test_check_maximum_unlimited_above_finite);
  g_test_add_func ("/box-limits/builtin/defaults-within-maximums",
                   test_builtin_defaults_within_maximums);
  g_test_add_func ("/box-limits/builtin/defaults-bound-untrusted-code",
                   test_builtin_defaults_bound_untrusted_code);
  return g_test_run ();
}
