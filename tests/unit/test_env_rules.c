/* sandbox/settings/env_rules.c: the `env` setting, one VAR=value per line. */
#include "sandbox/settings/env_rules.h"
#include "sandbox/sandbox_error.h"

#include <string.h>

static GStrv
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  GStrv rules = NULL;
  g_test_message ("parsing '%s'", text);
  gboolean ok = env_rules_parse (text, &rules, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_nonnull (rules);
  return rules;
}

static void
assert_rules (const char *text, const char *const *expected)
{
  g_auto (GStrv) rules = parse_ok (text);
  g_assert_cmpstrv (rules, expected);
}

/* Refused, and the message names the line. */
static void
assert_refused (const char *text, guint line)
{
  g_autoptr (GError) error = NULL;
  GStrv rules = NULL;
  g_test_message ("refusing '%s'", text);
  g_assert_false (env_rules_parse (text, &rules, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
  g_autofree char *line_text = g_strdup_printf ("line %u ", line);
  g_assert_nonnull (strstr (error->message, line_text));
}

static void
test_parse_lines (void)
{
  const char *const expected[] = { "A=1", "B=two words", NULL };
  assert_rules ("A=1\nB=two words", expected);
  assert_rules ("A=1\nB=two words\n", expected);
}

static void
test_empty_lines_skipped (void)
{
  const char *const expected[] = { "A=1", "B=2", NULL };
  assert_rules ("\nA=1\n\n\nB=2\n\n", expected);
}

static void
test_empty_text_gives_no_rules (void)
{
  const char *const none[] = { NULL };
  assert_rules ("", none);
  assert_rules ("\n", none);
}

static void
test_value_may_hold_anything_but_newline (void)
{
  const char *const expected[] = { "A=", "B=x=y", "PATH=/usr/bin:/bin", "C= spaced ", NULL };
  assert_rules ("A=\nB=x=y\nPATH=/usr/bin:/bin\nC= spaced ", expected);
}

static void
test_valid_variable_names (void)
{
  const char *const expected[] = { "_=1", "_X1=2", "lower=3", "MiXeD_9=4", NULL };
  assert_rules ("_=1\n_X1=2\nlower=3\nMiXeD_9=4", expected);
}

static void
test_bad_variable_names_refused (void)
{
  const char *const bad[] = {
    "1A=x", "A-B=x", "A B=x", "=x", " A=1", "A =1", "A.B=1", "\xc3\x89=1", "A\t=1",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_refused (bad[i], 1);
}

static void
test_missing_equals_refused (void)
{
  assert_refused ("A", 1);
  assert_refused ("A=1\nNOEQUALS\nB=2", 2);
  assert_refused ("A=1\n\nB", 3);
}

static void
test_later_rule_replaces_earlier (void)
{
  const char *const expected[] = { "B=2", "A=3", NULL };
  assert_rules ("A=1\nB=2\nA=3", expected);
}

static void
test_replacement_matches_whole_name (void)
{
  /* A is not AB, AB is not A. */
  const char *const both[] = { "A=1", "AB=2", NULL };
  assert_rules ("A=1\nAB=2", both);
  const char *const reversed[] = { "AB=1", "A=2", NULL };
  assert_rules ("AB=1\nA=2", reversed);
  const char *const replaced[] = { "AB=2", "A=3", NULL };
  assert_rules ("A=1\nAB=2\nA=3", replaced);
}

static void
test_format_one_rule_per_line (void)
{
  const char *const rules[] = { "A=1", "B=2", NULL };
  g_autofree char *text = env_rules_format (rules);
  g_assert_cmpstr (text, ==, "A=1\nB=2\n");
}

static void
test_format_no_rules_is_empty (void)
{
  const char *const none[] = { NULL };
  g_autofree char *empty = env_rules_format (none);
  g_autofree char *null = env_rules_format (NULL);
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (null, ==, "");
}

static void
test_format_parse_round_trip (void)
{
  const char *const inputs[] = {
    "",
    "A=1",
    "\nB=2\n\nA=1\nB=3\n",
    "X=a=b=c\nY=\n_Z= z ",
  };
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_auto (GStrv) first = parse_ok (inputs[i]);
      g_autofree char *text = env_rules_format ((const char *const *) first);
      g_auto (GStrv) second = parse_ok (text);
      g_assert_cmpstrv (second, first);
      g_autofree char *text_again = env_rules_format ((const char *const *) second);
      g_assert_cmpstr (text_again, ==, text);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/env-rules/parse-lines", test_parse_lines);
  g_test_add_func ("/env-rules/empty-lines-skipped", test_empty_lines_skipped);
  g_test_add_func ("/env-rules/empty-text-no-rules", test_empty_text_gives_no_rules);
  g_test_add_func ("/env-rules/value-holds-anything", test_value_may_hold_anything_but_newline);
  g_test_add_func ("/env-rules/valid-variable-names", test_valid_variable_names);
  g_test_add_func ("/env-rules/bad-variable-names-refused", test_bad_variable_names_refused);
  g_test_add_func ("/env-rules/missing-equals-refused", test_missing_equals_refused);
  g_test_add_func ("/env-rules/later-replaces-earlier", test_later_rule_replaces_earlier);
  g_test_add_func ("/env-rules/replacement-matches-whole-name",
                   test_replacement_matches_whole_name);
  g_test_add_func ("/env-rules/format-one-per-line", test_format_one_rule_per_line);
  g_test_add_func ("/env-rules/format-no-rules-empty", test_format_no_rules_is_empty);
  g_test_add_func ("/env-rules/format-parse-round-trip", test_format_parse_round_trip);
  return g_test_run ();
}
