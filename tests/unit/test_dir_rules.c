/* sandbox/settings/dir_rules.c: the `dirs` setting, in IOI isolate's syntax. */
#include "sandbox/settings/dir_rules.h"
#include "sandbox/sandbox_error.h"

#include <string.h>

static GPtrArray *
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *rules = NULL;
  g_test_message ("parsing '%s'", text);
  gboolean ok = dir_rules_parse (text, &rules, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_nonnull (rules);
  return rules;
}

static const DirRule *
rule_at (GPtrArray *rules, guint i)
{
  g_assert_cmpuint (i, <, rules->len);
  return g_ptr_array_index (rules, i);
}

/* The single rule of a one-line text. */
static void
assert_one_rule (const char *text, const char *inside, const char *outside, DirRuleFlags flags)
{
  g_autoptr (GPtrArray) rules = parse_ok (text);
  g_assert_cmpuint (rules->len, ==, 1);
  const DirRule *rule = rule_at (rules, 0);
  g_assert_cmpstr (rule->inside, ==, inside);
  g_assert_cmpstr (rule->outside, ==, outside);
  g_assert_cmphex (rule->flags, ==, flags);
}

/* Refused, and the message names the line. */
static void
assert_refused (const char *text, guint line)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *rules = NULL;
  g_test_message ("refusing '%s'", text);
  g_assert_false (dir_rules_parse (text, &rules, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
  g_autofree char *line_text = g_strdup_printf ("line %u:", line);
  g_assert_nonnull (strstr (error->message, line_text));
}

static void
test_plain_path_binds_itself (void)
{
  assert_one_rule ("/in", "/in", "/in", 0);
  assert_one_rule ("/usr/local/lib", "/usr/local/lib", "/usr/local/lib", 0);
}

static void
test_bind_other_path (void)
{
  assert_one_rule ("/in=/out", "/in", "/out", 0);
  assert_one_rule ("/in=/srv/data/x", "/in", "/srv/data/x", 0);
}

static void
test_empty_outside_binds_nothing (void)
{
  assert_one_rule ("/in=", "/in", NULL, 0);
}

static void
test_every_option (void)
{
  assert_one_rule ("/in=/out:rw", "/in", "/out", DIR_RULE_RW);
  assert_one_rule ("/in:noexec", "/in", "/in", DIR_RULE_NOEXEC);
  assert_one_rule ("/in:maybe", "/in", "/in", DIR_RULE_MAYBE);
  assert_one_rule ("/in:dev", "/in", "/in", DIR_RULE_DEV);
  assert_one_rule ("/in:norec", "/in", "/in", DIR_RULE_NOREC);
  assert_one_rule ("/in=/out:rw:noexec:maybe:dev:norec", "/in", "/out",
                   DIR_RULE_RW | DIR_RULE_NOEXEC | DIR_RULE_MAYBE | DIR_RULE_DEV | DIR_RULE_NOREC);
}

static void
test_tmp_rule (void)
{
  assert_one_rule ("/scratch:tmp", "/scratch", NULL, DIR_RULE_TMP);
  assert_one_rule ("/scratch:tmp:noexec", "/scratch", NULL, DIR_RULE_TMP | DIR_RULE_NOEXEC);
}

static void
test_fs_rule (void)
{
  assert_one_rule ("/proc2=proc:fs", "/proc2", "proc", DIR_RULE_FS);
  assert_one_rule ("/t=tmpfs:fs:rw", "/t", "tmpfs", DIR_RULE_FS | DIR_RULE_RW);
}

static void
test_several_lines_and_empty_lines (void)
{
  g_autoptr (GPtrArray) rules = parse_ok ("\n/a\n\n/b=/c:rw\n/d:tmp\n");
  g_assert_cmpuint (rules->len, ==, 3);
  g_assert_cmpstr (rule_at (rules, 0)->inside, ==, "/a");
  g_assert_cmpstr (rule_at (rules, 1)->inside, ==, "/b");
  g_assert_cmpstr (rule_at (rules, 1)->outside, ==, "/c");
  g_assert_cmpstr (rule_at (rules, 2)->inside, ==, "/d");

  g_autoptr (GPtrArray) none = parse_ok ("");
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_relative_paths_refused (void)
{
  assert_refused ("in", 1);
  assert_refused ("in=/out", 1);
  assert_refused ("/in=out", 1);
  assert_refused ("/ok\n/in=out", 2);
}

static void
test_dot_components_refused (void)
{
  const char *const bad[] = {
    "/a/../b", "/..", "/a/..", "/a/./b", "/.", "/in=/a/../b", "/in=/..", "/in=/x/.",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_refused (bad[i], 1);
}

static void
test_empty_components_refused (void)
{
  const char *const bad[] = { "/", "//in", "/in/", "/a//b", "/in=/", "/in=/out/", "/in=//out" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_refused (bad[i], 1);
}

static void
test_unknown_options_refused (void)
{
  const char *const bad[] = { "/in:bogus", "/in:", "/in=/out:RW", "/in:rw:", "/in::rw", "/in:ro" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_refused (bad[i], 1);
}

static void
test_fs_with_tmp_refused (void)
{
  assert_refused ("/in=proc:fs:tmp", 1);
  assert_refused ("/in:tmp:fs", 1);
}

static void
test_tmp_with_equals_refused (void)
{
  assert_refused ("/in=/x:tmp", 1);
  assert_refused ("/in=:tmp", 1);
}

static void
test_fs_needs_a_type (void)
{
  assert_refused ("/in:fs", 1);
  assert_refused ("/in=:fs", 1);
  assert_refused ("/in=/dev/sda:fs", 1);
}

static void
test_later_rule_replaces_earlier (void)
{
  g_autoptr (GPtrArray) rules = parse_ok ("/a=/x\n/b\n/a=/y:rw");
  g_assert_cmpuint (rules->len, ==, 2);
  g_assert_cmpstr (rule_at (rules, 0)->inside, ==, "/b");
  g_assert_cmpstr (rule_at (rules, 1)->inside, ==, "/a");
  g_assert_cmpstr (rule_at (rules, 1)->outside, ==, "/y");
  g_assert_cmphex (rule_at (rules, 1)->flags, ==, DIR_RULE_RW);
}

static void
test_replacement_matches_whole_path (void)
{
  g_autoptr (GPtrArray) rules = parse_ok ("/a\n/ab\n/a/b");
  g_assert_cmpuint (rules->len, ==, 3);
}

static char *
format_of (const char *text)
{
  g_autoptr (GPtrArray) rules = parse_ok (text);
  return dir_rules_format (rules);
}

static void
test_format_canonical (void)
{
  const struct
  {
    const char *input;
    const char *canonical;
  } cases[] = {
    { "", "" },
    { "/in", "/in=/in\n" },
    { "/in=", "/in=\n" },
    { "/in=/out", "/in=/out\n" },
    { "/t:tmp", "/t:tmp\n" },
    { "/p=proc:fs", "/p=proc:fs\n" },
    { "/a:norec:dev:maybe:noexec:rw", "/a=/a:rw:noexec:maybe:dev:norec\n" },
    { "/a:rw:rw", "/a=/a:rw\n" },
    { "/x\n\n/y=/z\n/y:tmp", "/x=/x\n/y:tmp\n" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = format_of (cases[i].input);
      g_assert_cmpstr (text, ==, cases[i].canonical);
    }
}

static void
test_format_parse_round_trip (void)
{
  const char *const inputs[] = {
    "/in",
    "/in=",
    "/in=/out:rw:noexec",
    "/t:tmp:rw",
    "/p=proc:fs:norec",
    "/a=/b\n/c\n/d:tmp\n/e=\n/f=sysfs:fs:maybe:dev",
  };
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr (GPtrArray) first = parse_ok (inputs[i]);
      g_autofree char *text = dir_rules_format (first);
      g_autoptr (GPtrArray) second = parse_ok (text);
      g_assert_cmpuint (second->len, ==, first->len);
      for (guint j = 0; j < first->len; j++)
        {
          g_assert_cmpstr (rule_at (second, j)->inside, ==, rule_at (first, j)->inside);
          g_assert_cmpstr (rule_at (second, j)->outside, ==, rule_at (first, j)->outside);
          g_assert_cmphex (rule_at (second, j)->flags, ==, rule_at (first, j)->flags);
        }
      g_autofree char *text_again = dir_rules_format (second);
      g_assert_cmpstr (text_again, ==, text);
    }
}

/* No more rules than a run's sandbox carries mounts; a rule that replaces
 * another (the same path) is not one more. */
static void
test_at_most_what_a_run_carries (void)
{
  GString *text = g_string_new (NULL);
  for (guint i = 0; i < DIR_RULES_MAX; i++)
    g_string_append_printf (text, "/d%u:tmp\n", i);
  g_string_append (text, "/d0:tmp:noexec\n");
  GPtrArray *rules = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (dir_rules_parse (text->str, &rules, &error));
  g_assert_cmpuint (rules->len, ==, DIR_RULES_MAX);
  g_ptr_array_unref (rules);
  rules = NULL;
  g_string_append (text, "/one-more:tmp\n");
  g_assert_false (dir_rules_parse (text->str, &rules, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
  g_assert_null (rules);
  g_string_free (text, TRUE);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dir-rules/plain-path-binds-itself", test_plain_path_binds_itself);
  g_test_add_func ("/dir-rules/bind-other-path", test_bind_other_path);
  g_test_add_func ("/dir-rules/empty-outside-binds-nothing", test_empty_outside_binds_nothing);
  g_test_add_func ("/dir-rules/every-option", test_every_option);
  g_test_add_func ("/dir-rules/tmp-rule", test_tmp_rule);
  g_test_add_func ("/dir-rules/fs-rule", test_fs_rule);
  g_test_add_func ("/dir-rules/several-and-empty-lines", test_several_lines_and_empty_lines);
  g_test_add_func ("/dir-rules/relative-paths-refused", test_relative_paths_refused);
  g_test_add_func ("/dir-rules/dot-components-refused", test_dot_components_refused);
  g_test_add_func ("/dir-rules/empty-components-refused", test_empty_components_refused);
  g_test_add_func ("/dir-rules/unknown-options-refused", test_unknown_options_refused);
  g_test_add_func ("/dir-rules/fs-with-tmp-refused", test_fs_with_tmp_refused);
  g_test_add_func ("/dir-rules/tmp-with-equals-refused", test_tmp_with_equals_refused);
  g_test_add_func ("/dir-rules/fs-needs-a-type", test_fs_needs_a_type);
  g_test_add_func ("/dir-rules/later-replaces-earlier", test_later_rule_replaces_earlier);
  g_test_add_func ("/dir-rules/replacement-matches-whole-path",
                   test_replacement_matches_whole_path);
  g_test_add_func ("/dir-rules/at-most-what-a-run-carries", test_at_most_what_a_run_carries);
  g_test_add_func ("/dir-rules/format-canonical", test_format_canonical);
  g_test_add_func ("/dir-rules/format-parse-round-trip", test_format_parse_round_trip);
  return g_test_run ();
}
