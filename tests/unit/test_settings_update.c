/* Several settings at once: box_settings_update (box_settings.c), all or
 * nothing, and the settings file's NAME=VALUE lines (settings_text.c). */
#include "sandbox/settings/box_settings.h"
#include "sandbox/settings/settings_text.h"
#include "sandbox/sandbox_error.h"

#include <string.h>

typedef struct
{
  DaemonConfig *config;
  BoxSettings settings;
} UpdateFixture;

static const Caller root = { 0, 0 };
static const Caller user = { 1000, 1000 };

static void
update_setup (UpdateFixture *fx, gconstpointer data)
{
  fx->config = daemon_config_new ();
  box_settings_init (&fx->settings, fx->config);
}

static void
update_teardown (UpdateFixture *fx, gconstpointer data)
{
  box_settings_clear (&fx->settings);
  daemon_config_free (fx->config);
}

/* values: NAME, TEXT pairs, NULL-terminated. */
static GPtrArray *
values_of (const char *const *pairs)
{
  GPtrArray *values = setting_values_new ();
  for (; pairs[0] != NULL; pairs += 2)
    setting_values_add (values, pairs[0], pairs[1]);
  return values;
}

/* Applies the values as caller; on success the update replaces the
 * fixture's settings, and the names that changed are returned joined by
 * spaces. NULL (and error) on failure, the fixture's settings untouched. */
static char *
update (UpdateFixture *fx, const Caller *caller, const char *const *pairs, GError **error)
{
  g_autoptr (GPtrArray) values = values_of (pairs);
  BoxSettings updated;
  g_autoptr (GPtrArray) changed = NULL;
  g_autofree char *before = settings_text_format (&fx->settings);
  if (!box_settings_update (&fx->settings, fx->config, caller, values, &updated, &changed, error))
    {
      g_autofree char *after = settings_text_format (&fx->settings);
      g_assert_cmpstr (after, ==, before);
      return NULL;
    }
  box_settings_clear (&fx->settings);
  fx->settings = updated;
  g_ptr_array_add (changed, NULL);
  return g_strjoinv (" ", (char **) changed->pdata);
}

static void
assert_setting (UpdateFixture *fx, const char *name, const char *expected)
{
  g_autofree char *text = box_settings_get (&fx->settings, name);
  g_assert_cmpstr (text, ==, expected);
}

static void
test_changed_lists_real_changes (UpdateFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const char *const first[] = { "mem", "64M", "time", "1", "dirs", "/data:rw", NULL };
  g_autofree char *changed = update (fx, &root, first, &error);
  g_assert_no_error (error);
  /* time is 1.000 already: not a change. */
  g_assert_cmpstr (changed, ==, "mem dirs");
  assert_setting (fx, "mem", "65536");
  assert_setting (fx, "dirs", "/data=/data:rw\n");

  /* The same values in other spellings change nothing. */
  const char *const again[] = { "mem", " 65536 ", "time", "1.0", "dirs", "/data=/data:rw\n", NULL };
  g_autofree char *none = update (fx, &root, again, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (none, ==, "");
}

static void
test_all_or_nothing (UpdateFixture *fx, gconstpointer data)
{
  const char *const pairs[] = { "mem", "64M", "time", "soon", "processes", "5", NULL };
  g_autoptr (GError) error = NULL;
  g_assert_null (update (fx, &root, pairs, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "time"));
  assert_setting (fx, "mem", "262144");
  assert_setting (fx, "processes", "1");
}

/* Every refusal's message starts with the setting's name. */
static void
test_error_names_the_setting (UpdateFixture *fx, gconstpointer data)
{
  const char *const *names = box_settings_names ();
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (strcmp (names[i], "env") == 0 || strcmp (names[i], "dirs") == 0)
        continue; /* below: their lines are numbered */
      /* No setting takes a second line. */
      const char *const pairs[] = { names[i], "x\ny", NULL };
      g_autoptr (GError) error = NULL;
      g_assert_null (update (fx, &root, pairs, &error));
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, names[i]));
    }
  const char *const env[] = { "env", "1=2", NULL };
  g_autoptr (GError) env_error = NULL;
  g_assert_null (update (fx, &root, env, &env_error));
  g_assert_true (g_str_has_prefix (env_error->message, "env "));
  const char *const dirs[] = { "dirs", "relative", NULL };
  g_autoptr (GError) dirs_error = NULL;
  g_assert_null (update (fx, &root, dirs, &dirs_error));
  g_assert_true (g_str_has_prefix (dirs_error->message, "dirs "));
}

static void
test_unknown_name_not_found (UpdateFixture *fx, gconstpointer data)
{
  const char *const pairs[] = { "mem", "64M", "nope", "1", NULL };
  g_autoptr (GError) error = NULL;
  g_assert_null (update (fx, &root, pairs, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_NOT_FOUND);
  assert_setting (fx, "mem", "262144");
}

/* A change binds the caller; the current value again binds no one. */
static void
test_only_changes_are_checked (UpdateFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (daemon_config_set (fx->config, "max_mem", "1G", &error));
  const char *const by_root[] = { "mem", "2G", "dirs", "/data", NULL };
  g_autofree char *changed = update (fx, &root, by_root, &error);
  g_assert_cmpstr (changed, ==, "mem dirs");

  /* A user writes everything back as it reads, and changes time. */
  const char *const same[] = { "mem", "2097152", "dirs", "/data=/data", "time", "2", NULL };
  g_autofree char *time_only = update (fx, &user, same, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (time_only, ==, "time");

  const char *const over[] = { "time", "3", "mem", "3G", NULL };
  g_assert_null (update (fx, &user, over, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_OVER_MAXIMUM);
  g_clear_error (&error);
  assert_setting (fx, "time", "2.000");

  const char *const dirs[] = { "dirs", "/other", NULL };
  g_assert_null (update (fx, &user, dirs, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_NOT_PERMITTED);
  g_assert_true (g_str_has_prefix (error->message, "dirs"));
  assert_setting (fx, "dirs", "/data=/data\n");
}

/* ---- The settings file's text ---- */

static void
test_format_gives_every_setting (UpdateFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (box_settings_set (&fx->settings, fx->config, "env", "A=1\nB=x=y", &error));
  g_autofree char *text = settings_text_format (&fx->settings);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "mem=262144");
  g_assert_true (g_strv_contains ((const char *const *) lines, "env=A=1"));
  g_assert_true (g_strv_contains ((const char *const *) lines, "env=B=x=y"));
  g_assert_true (g_strv_contains ((const char *const *) lines, "dirs="));
  g_assert_true (g_strv_contains ((const char *const *) lines, "chdir=/box"));
  g_assert_true (g_strv_contains ((const char *const *) lines, "stdin-path="));
  g_assert_true (g_str_has_suffix (text, "\n"));
  /* Every setting has a line (two for env). */
  guint n_names = g_strv_length ((char **) box_settings_names ());
  g_assert_cmpuint (g_strv_length (lines), ==, n_names + 1 + 1);
  const char *const *names = box_settings_names ();
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *prefix = g_strconcat (names[i], "=", NULL);
      gboolean found = FALSE;
      for (guint j = 0; lines[j] != NULL; j++)
        found = found || g_str_has_prefix (lines[j], prefix);
      g_assert_true (found);
    }
}

static GPtrArray *
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *values = NULL;
  g_assert_true (settings_text_parse (text, &values, &error));
  g_assert_no_error (error);
  return values;
}

static void
assert_value (GPtrArray *values, guint index, const char *name, const char *text)
{
  const SettingValue *value = g_ptr_array_index (values, index);
  g_assert_cmpstr (value->name, ==, name);
  g_assert_cmpstr (value->text, ==, text);
}

static void
test_parse_joins_multi_line_settings (void)
{
  g_autoptr (GPtrArray) values = parse_ok ("env=A=1\nmem=64M\n\nenv=\nenv=B=2\ndirs=/a\n");
  g_assert_cmpuint (values->len, ==, 3);
  assert_value (values, 0, "env", "A=1\n\nB=2");
  assert_value (values, 1, "mem", "64M");
  assert_value (values, 2, "dirs", "/a");
  g_autoptr (GPtrArray) empty = parse_ok ("\n\n");
  g_assert_cmpuint (empty->len, ==, 0);
}

static void
test_parse_refusals_name_the_key (void)
{
  const struct
  {
    const char *text;
    const char *message_start;
  } cases[] = {
    { "mem=1\nnope=2\n", "nope: no such setting" },
    { "mem=1\ntime=2\nmem=3\n", "mem: given again" },
    { "mem=1\njust words\n", "settings line 2 is not NAME=VALUE" },
    { "=1\n", ": no such setting" },
    { "MEM=1\n", "MEM: no such setting" },
    { "cmd=/bin/true\n", "cmd: no such setting" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      GPtrArray *values = NULL;
      g_assert_false (settings_text_parse (cases[i].text, &values, &error));
      g_assert_null (values);
      g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, cases[i].message_start));
    }
}

/* What the file reads, written back, changes nothing. */
static void
test_format_parses_back_unchanged (UpdateFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const char *const pairs[] = { "env",         "X=1\nY=a b", "dirs",  "/p=proc:fs\n/t:tmp:rw",
                                "chdir",       "/tmp",       "quota", "4M",
                                "stdout-path", "out",        NULL };
  g_autofree char *changed = update (fx, &root, pairs, &error);
  g_assert_no_error (error);
  g_autofree char *text = settings_text_format (&fx->settings);
  g_autoptr (GPtrArray) values = parse_ok (text);
  g_assert_cmpuint (values->len, ==, g_strv_length ((char **) box_settings_names ()));
  BoxSettings updated;
  g_autoptr (GPtrArray) none = NULL;
  g_assert_true (
      box_settings_update (&fx->settings, fx->config, &user, values, &updated, &none, &error));
  g_assert_cmpuint (none->len, ==, 0);
  g_autofree char *again = settings_text_format (&updated);
  g_assert_cmpstr (again, ==, text);
  box_settings_clear (&updated);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, UpdateFixture, NULL, update_setup, fn, update_teardown)
  ADD ("/settings-update/changed-lists-real-changes", test_changed_lists_real_changes);
  ADD ("/settings-update/all-or-nothing", test_all_or_nothing);
  ADD ("/settings-update/error-names-the-setting", test_error_names_the_setting);
  ADD ("/settings-update/unknown-name-not-found", test_unknown_name_not_found);
  ADD ("/settings-update/only-changes-are-checked", test_only_changes_are_checked);
  ADD ("/settings-text/format-gives-every-setting", test_format_gives_every_setting);
  ADD ("/settings-text/format-parses-back-unchanged", test_format_parses_back_unchanged);
#undef ADD
  g_test_add_func ("/settings-text/parse-joins-multi-line-settings",
                   test_parse_joins_multi_line_settings);
  g_test_add_func ("/settings-text/parse-refusals-name-the-key", test_parse_refusals_name_the_key);
  return g_test_run ();
}
