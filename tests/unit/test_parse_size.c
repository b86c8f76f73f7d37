/* utils/parse_size.c: sizes in KiB with optional binary suffixes. */
#include "utils/parse_size.h"

#include <gio/gio.h>

static guint64
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  guint64 kib = G_MAXUINT64;
  gboolean ok = parse_size_kib (text, &kib, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  return kib;
}

static void
assert_refused (const char *text)
{
  g_autoptr (GError) error = NULL;
  guint64 kib = 0;
  g_test_message ("refusing '%s'", text);
  g_assert_false (parse_size_kib (text, &kib, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_plain_number_is_kib (void)
{
  g_assert_cmpuint (parse_ok ("0"), ==, 0);
  g_assert_cmpuint (parse_ok ("1"), ==, 1);
  g_assert_cmpuint (parse_ok ("65536"), ==, 65536);
  g_assert_cmpuint (parse_ok ("007"), ==, 7);
}

static void
test_suffixes_upper_case (void)
{
  g_assert_cmpuint (parse_ok ("3K"), ==, 3);
  g_assert_cmpuint (parse_ok ("3M"), ==, 3 * 1024);
  g_assert_cmpuint (parse_ok ("3G"), ==, 3 * 1024 * 1024);
  g_assert_cmpuint (parse_ok ("3T"), ==, G_GUINT64_CONSTANT (3) << 30);
}

static void
test_suffixes_lower_case (void)
{
  g_assert_cmpuint (parse_ok ("3k"), ==, 3);
  g_assert_cmpuint (parse_ok ("3m"), ==, 3 * 1024);
  g_assert_cmpuint (parse_ok ("3g"), ==, 3 * 1024 * 1024);
  g_assert_cmpuint (parse_ok ("3t"), ==, G_GUINT64_CONSTANT (3) << 30);
}

static void
test_optional_b_and_ib_after_suffix (void)
{
  g_assert_cmpuint (parse_ok ("64MB"), ==, 65536);
  g_assert_cmpuint (parse_ok ("64MiB"), ==, 65536);
  g_assert_cmpuint (parse_ok ("64mib"), ==, 65536);
  g_assert_cmpuint (parse_ok ("64Kb"), ==, 64);
  g_assert_cmpuint (parse_ok ("64KiB"), ==, 64);
  g_assert_cmpuint (parse_ok ("1GiB"), ==, 1024 * 1024);
  g_assert_cmpuint (parse_ok ("1TB"), ==, G_GUINT64_CONSTANT (1) << 30);
}

static void
test_rejects_malformed (void)
{
  const char *const bad[] = {
    "",    "12X", "-1",  " 1",   "1 ",     "1.5M", "+1",    "M",   "K1",  "0x10",
    "1 M", "1\n", "64B", "64Mi", "64MiBs", "64MM", "64M B", "1e3", "one",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_refused (bad[i]);
}

static void
test_largest_sizes_accepted (void)
{
  /* G_MAXINT64 itself means "unlimited" to the limits, so sizes stop below it. */
  g_assert_cmpuint (parse_ok ("9223372036854775806"), ==, G_MAXINT64 - 1);
  g_assert_cmpuint (parse_ok ("9007199254740991M"), ==, (guint64) (G_MAXINT64 >> 10) << 10);
  g_assert_cmpuint (parse_ok ("8796093022207G"), ==, (guint64) (G_MAXINT64 >> 20) << 20);
  g_assert_cmpuint (parse_ok ("8589934591T"), ==, (guint64) (G_MAXINT64 >> 30) << 30);
}

static void
test_rejects_overflow_past_maxint64 (void)
{
  assert_refused ("9223372036854775807");
  assert_refused ("9223372036854775808");
  assert_refused ("18446744073709551616");
  assert_refused ("99999999999999999999999999");
  assert_refused ("9223372036854775808K");
  assert_refused ("9007199254740992M");
  assert_refused ("8796093022208G");
  assert_refused ("8589934592T");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/parse-size/plain-number-is-kib", test_plain_number_is_kib);
  g_test_add_func ("/parse-size/suffixes-upper-case", test_suffixes_upper_case);
  g_test_add_func ("/parse-size/suffixes-lower-case", test_suffixes_lower_case);
  g_test_add_func ("/parse-size/optional-b-and-ib", test_optional_b_and_ib_after_suffix);
  g_test_add_func ("/parse-size/rejects-malformed", test_rejects_malformed);
  g_test_add_func ("/parse-size/largest-sizes-accepted", test_largest_sizes_accepted);
  g_test_add_func ("/parse-size/rejects-overflow", test_rejects_overflow_past_maxint64);
  return g_test_run ();
}
