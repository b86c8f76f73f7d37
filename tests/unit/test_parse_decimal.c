/* utils/parse_decimal.c: seconds as decimal text <-> milliseconds. */
#include "utils/parse_decimal.h"

#include <gio/gio.h>

#define MAX_SECONDS 604800 /* a week, the largest value parse_seconds_ms takes */

static gint64
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  gint64 ms = -1;
  g_test_message ("parsing '%s'", text);
  gboolean ok = parse_seconds_ms (text, &ms, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  return ms;
}

static void
assert_refused (const char *text)
{
  g_autoptr (GError) error = NULL;
  gint64 ms = 0;
  g_test_message ("refusing '%s'", text);
  g_assert_false (parse_seconds_ms (text, &ms, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_whole_seconds (void)
{
  g_assert_cmpint (parse_ok ("0"), ==, 0);
  g_assert_cmpint (parse_ok ("2"), ==, 2000);
  g_assert_cmpint (parse_ok ("10"), ==, 10000);
  g_assert_cmpint (parse_ok ("002"), ==, 2000);
}

static void
test_fractions (void)
{
  g_assert_cmpint (parse_ok ("0.5"), ==, 500);
  g_assert_cmpint (parse_ok ("1.5"), ==, 1500);
  g_assert_cmpint (parse_ok ("0.001"), ==, 1);
  g_assert_cmpint (parse_ok ("0.123"), ==, 123);
  g_assert_cmpint (parse_ok ("12.345"), ==, 12345);
  g_assert_cmpint (parse_ok ("1.000"), ==, 1000);
}

static void
test_missing_whole_or_fraction_part (void)
{
  g_assert_cmpint (parse_ok (".25"), ==, 250);
  g_assert_cmpint (parse_ok ("1."), ==, 1000);
  g_assert_cmpint (parse_ok ("0."), ==, 0);
  g_assert_cmpint (parse_ok (".0"), ==, 0);
}

static void
test_rounds_at_fourth_decimal (void)
{
  g_assert_cmpint (parse_ok ("0.0005"), ==, 1);
  /* A positive value never rounds down to 0, which would mean "no limit". */
  g_assert_cmpint (parse_ok ("0.0004"), ==, 1);
  g_assert_cmpint (parse_ok ("0.0009"), ==, 1);
  g_assert_cmpint (parse_ok ("1.2345"), ==, 1235);
  g_assert_cmpint (parse_ok ("1.2344"), ==, 1234);
  g_assert_cmpint (parse_ok ("0.99949999"), ==, 999);
  g_assert_cmpint (parse_ok ("0.9995"), ==, 1000);
  g_assert_cmpint (parse_ok ("0.00049999"), ==, 1);
  g_assert_cmpint (parse_ok ("0.0000"), ==, 0);
  g_assert_cmpint (parse_ok ("1.0004"), ==, 1000);
}

static void
test_maximum_is_a_week (void)
{
  g_assert_cmpint (parse_ok ("604800"), ==, (gint64) MAX_SECONDS * 1000);
  assert_refused ("604801");
  assert_refused ("604800.001");
  assert_refused ("604800.9995");
  g_assert_cmpint (parse_ok ("604800.0004"), ==, (gint64) MAX_SECONDS * 1000);
  assert_refused ("1000000");
  assert_refused ("99999999999999999999999");
}

static void
test_rejects_malformed (void)
{
  const char *const bad[] = {
    "",    ".",    "-1",    "+1",   "1e3", "1,5",  "abc", " 1",  "1 ",
    "1\n", "1..2", "1.2.3", "0x10", "1s",  "-0.5", "inf", "nan", "1.-5",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_refused (bad[i]);
}

static void
test_format_three_decimals (void)
{
  const struct
  {
    gint64 ms;
    const char *text;
  } cases[] = {
    { 1500, "1.500" },
    { 0, "0.000" },
    { 1, "0.001" },
    { 999, "0.999" },
    { 1000, "1.000" },
    { 12345, "12.345" },
    { 604800000, "604800.000" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = format_seconds_ms (cases[i].ms);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_format_then_parse_round_trip (void)
{
  const gint64 values[] = { 0, 1, 10, 99, 100, 999, 1000, 1001, 65432, 604800000 };
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *text = format_seconds_ms (values[i]);
      g_assert_cmpint (parse_ok (text), ==, values[i]);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/parse-decimal/whole-seconds", test_whole_seconds);
  g_test_add_func ("/parse-decimal/fractions", test_fractions);
  g_test_add_func ("/parse-decimal/missing-whole-or-fraction", test_missing_whole_or_fraction_part);
  g_test_add_func ("/parse-decimal/rounds-at-fourth-decimal", test_rounds_at_fourth_decimal);
  g_test_add_func ("/parse-decimal/maximum-is-a-week", test_maximum_is_a_week);
  g_test_add_func ("/parse-decimal/rejects-malformed", test_rejects_malformed);
  g_test_add_func ("/parse-decimal/format-three-decimals", test_format_three_decimals);
  g_test_add_func ("/parse-decimal/format-parse-round-trip", test_format_then_parse_round_trip);
  return g_test_run ();
}
