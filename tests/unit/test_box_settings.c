/* sandbox/settings/box_settings.c: a box's settings, written and read as text by name. */
#include "sandbox/settings/box_settings.h"
#include "sandbox/sandbox_error.h"

#include <string.h>

typedef struct
{
  DaemonConfig *config;
  BoxSettings settings;
} SettingsFixture;

static void
settings_setup (SettingsFixture *fx, gconstpointer data)
{
  fx->config = daemon_config_new ();
  box_settings_init (&fx->settings, fx->config);
}

static void
settings_teardown (SettingsFixture *fx, gconstpointer data)
{
  box_settings_clear (&fx->settings);
  daemon_config_free (fx->config);
}

static void
set_ok (SettingsFixture *fx, const char *name, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_test_message ("setting %s to '%s'", name, text);
  gboolean ok = box_settings_set (&fx->settings, fx->config, name, text, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
assert_setting (SettingsFixture *fx, const char *name, const char *expected)
{
  g_autofree char *text = box_settings_get (&fx->settings, name);
  g_assert_cmpstr (text, ==, expected);
}

/* Refused with that code, and the old text stays. */
static void
assert_set_refused (SettingsFixture *fx, const char *name, const char *text, gint code)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *before = box_settings_get (&fx->settings, name);
  g_test_message ("refusing %s = '%s'", name, text);
  g_assert_false (box_settings_set (&fx->settings, fx->config, name, text, &error));
  g_assert_error (error, SANDBOX_ERROR, code);
  assert_setting (fx, name, before);
}

/* The settings beyond the limits. */
static const char *const text_names[] = {
  "env", "dirs", "chdir", "stdin-path", "stdout-path", "stderr-path", "stderr-to-stdout",
};

static void
test_names_are_limits_and_text_settings (void)
{
  const char *const *names = box_settings_names ();
  g_assert_cmpuint (g_strv_length ((GStrv) names), ==, N_LIMITS + G_N_ELEMENTS (text_names));
  for (LimitId id = 0; id < N_LIMITS; id++)
    g_assert_true (g_strv_contains (names, limit_name (id)));
  for (guint i = 0; i < G_N_ELEMENTS (text_names); i++)
    g_assert_true (g_strv_contains (names, text_names[i]));
}

static void
test_names_are_unique (void)
{
  const char *const *names = box_settings_names ();
  for (guint i = 0; names[i] != NULL; i++)
    for (guint j = i + 1; names[j] != NULL; j++)
      g_assert_cmpstr (names[i], !=, names[j]);
}

static void
test_every_name_can_be_read (SettingsFixture *fx, gconstpointer data)
{
  const char *const *names = box_settings_names ();
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *text = box_settings_get (&fx->settings, names[i]);
      g_assert_nonnull (text);
    }
}

static void
test_init_takes_configured_defaults (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (daemon_config_set (config, "default_mem", "128M", &error));
  g_assert_true (daemon_config_set (config, "default_time", "3", &error));
  g_assert_true (daemon_config_set (config, "max_share-net", "1", &error));
  g_assert_true (daemon_config_set (config, "default_share-net", "1", &error));
  g_assert_no_error (error);

  BoxSettings settings;
  box_settings_init (&settings, config);
  for (LimitId id = 0; id < N_LIMITS; id++)
    g_assert_cmpint (settings.limits[id], ==, config->limit_default[id]);
  g_autofree char *mem = box_settings_get (&settings, "mem");
  g_autofree char *time = box_settings_get (&settings, "time");
  g_autofree char *share_net = box_settings_get (&settings, "share-net");
  g_autofree char *env = box_settings_get (&settings, "env");
  g_autofree char *dirs = box_settings_get (&settings, "dirs");
  g_assert_cmpstr (mem, ==, "131072");
  g_assert_cmpstr (time, ==, "3.000");
  g_assert_cmpstr (share_net, ==, "1");
  g_assert_cmpstr (env, ==, "");
  g_assert_cmpstr (dirs, ==, "");
  g_autofree char *cwd = box_settings_get (&settings, "chdir");
  g_autofree char *stdin_path = box_settings_get (&settings, "stdin-path");
  g_autofree char *merged = box_settings_get (&settings, "stderr-to-stdout");
  g_assert_cmpstr (cwd, ==, "/box");
  g_assert_cmpstr (stdin_path, ==, "");
  g_assert_cmpstr (merged, ==, "0");
  box_settings_clear (&settings);
}

static void
test_set_and_get_every_setting (SettingsFixture *fx, gconstpointer data)
{
  const char *const cases[][3] = {
    /* name, text written, text read back */
    { "mem", "128M", "131072" },
    { "time", "1.5", "1.500" },
    { "wall-time", "10", "10.000" },
    { "extra-time", ".5", "0.500" },
    { "processes", "10", "10" },
    { "fsize", "1G", "1048576" },
    { "stack", "unlimited", "unlimited" },
    { "open-files", "128", "128" },
    { "share-net", "1", "1" },
    { "quota", "64M", "65536" },
    { "address-space", "64M", "65536" },
    { "core", "0", "0" },
    { "env", "B=2\nA=1\n", "B=2\nA=1\n" },
    { "dirs", "/in=/out:rw", "/in=/out:rw\n" },
    { "chdir", "/tmp\n", "/tmp" },
    { "stdin-path", "in.txt", "in.txt" },
    { "stdout-path", " /box/out.txt ", "/box/out.txt" },
    { "stderr-path", "err.txt\n", "err.txt" },
    { "stderr-to-stdout", "1", "1" },
  };
  G_STATIC_ASSERT (G_N_ELEMENTS (cases) == N_LIMITS + G_N_ELEMENTS (text_names));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      set_ok (fx, cases[i][0], cases[i][1]);
      assert_setting (fx, cases[i][0], cases[i][2]);
    }
  /* Each write changed only its own setting. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_setting (fx, cases[i][0], cases[i][2]);
}

static void
test_limits_ignore_surrounding_whitespace (SettingsFixture *fx, gconstpointer data)
{
  set_ok (fx, "mem", "  128M\n");
  assert_setting (fx, "mem", "131072");
  set_ok (fx, "time", "\t2 \n");
  assert_setting (fx, "time", "2.000");
}

static void
test_failure_keeps_old_value (SettingsFixture *fx, gconstpointer data)
{
  const char *const cases[][3] = {
    /* name, a valid text, an invalid text */
    { "mem", "64M", "lots" },
    { "time", "2", "-1" },
    { "wall-time", "4", "1e3" },
    { "extra-time", "1", "-1" },
    { "processes", "8", "0" },
    { "fsize", "0", "1.5M" },
    { "stack", "4M", "0" },
    { "open-files", "16", "many" },
    { "share-net", "1", "2" },
    { "quota", "2M", "512" },
    { "address-space", "1G", "0" },
    { "core", "1M", "-1" },
    { "env", "A=1", "A=1\n1B=2" },
    { "dirs", "/a:tmp", "/a\nrelative" },
    { "chdir", "/box/sub", "relative/dir" },
    { "stdin-path", "in", "in\nout" },
    { "stdout-path", "out", "a\nb" },
    { "stderr-path", "err", "a\nb" },
    { "stderr-to-stdout", "1", "yes" },
  };
  G_STATIC_ASSERT (G_N_ELEMENTS (cases) == N_LIMITS + G_N_ELEMENTS (text_names));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      set_ok (fx, cases[i][0], cases[i][1]);
      assert_set_refused (fx, cases[i][0], cases[i][2], SANDBOX_ERROR_INVALID);
    }
}

/* An empty line puts back the default: /box, the box's own stdio files. */
static void
test_empty_path_means_default (SettingsFixture *fx, gconstpointer data)
{
  set_ok (fx, "chdir", "/tmp");
  set_ok (fx, "chdir", "\n");
  assert_setting (fx, "chdir", "/box");
  set_ok (fx, "stdout-path", "out.txt");
  set_ok (fx, "stdout-path", "");
  assert_setting (fx, "stdout-path", "");
  g_assert_null (fx->settings.stdio_paths[1]);
}

static void
test_over_maximum_refused (SettingsFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (daemon_config_set (fx->config, "max_mem", "1G", &error));
  g_assert_true (daemon_config_set (fx->config, "max_time", "10", &error));
  g_assert_true (daemon_config_set (fx->config, "max_share-net", "0", &error));
  g_assert_no_error (error);

  set_ok (fx, "mem", "1G"); /* at the maximum: accepted */
  assert_setting (fx, "mem", "1048576");
  assert_set_refused (fx, "mem", "1048577", SANDBOX_ERROR_OVER_MAXIMUM);
  assert_set_refused (fx, "mem", "2G", SANDBOX_ERROR_OVER_MAXIMUM);
  assert_set_refused (fx, "mem", "unlimited", SANDBOX_ERROR_OVER_MAXIMUM);
  assert_setting (fx, "mem", "1048576");

  set_ok (fx, "time", "10");
  assert_set_refused (fx, "time", "10.001", SANDBOX_ERROR_OVER_MAXIMUM);
  assert_set_refused (fx, "time", "0", SANDBOX_ERROR_OVER_MAXIMUM); /* 0 is unlimited */

  assert_set_refused (fx, "share-net", "1", SANDBOX_ERROR_OVER_MAXIMUM);
  assert_setting (fx, "share-net", "0");
}

static void
test_unlimited_within_unlimited_maximum (SettingsFixture *fx, gconstpointer data)
{
  set_ok (fx, "mem", "unlimited");
  assert_setting (fx, "mem", "unlimited");
  set_ok (fx, "time", "0");
  assert_setting (fx, "time", "unlimited");
}

static void
test_env_write_replaces_whole_set (SettingsFixture *fx, gconstpointer data)
{
  set_ok (fx, "env", "A=1\nB=2");
  set_ok (fx, "env", "C=3");
  assert_setting (fx, "env", "C=3\n");
  set_ok (fx, "env", "");
  assert_setting (fx, "env", "");
}

static void
test_dirs_write_replaces_whole_set (SettingsFixture *fx, gconstpointer data)
{
  set_ok (fx, "dirs", "/a\n/b:tmp");
  assert_setting (fx, "dirs", "/a=/a\n/b:tmp\n");
  set_ok (fx, "dirs", "/c=");
  assert_setting (fx, "dirs", "/c=\n");
}

static void
test_unknown_setting_not_found (SettingsFixture *fx, gconstpointer data)
{
  const char *const names[] = { "nope", "", "stdin", "cmd", "status", "MEM", "default_mem" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (box_settings_set (&fx->settings, fx->config, names[i], "1", &error));
      g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_NOT_FOUND);
      g_assert_null (box_settings_get (&fx->settings, names[i]));
    }
}

static void
test_canonical_text_reads_back_the_same (SettingsFixture *fx, gconstpointer data)
{
  /* What a file reads can be written back unchanged (cp mem mem.bak; cat mem.bak > mem). */
  set_ok (fx, "env", "X=1\nY=a b");
  set_ok (fx, "dirs", "/p=proc:fs\n/t:tmp:rw\n/in=/out:noexec:maybe");
  set_ok (fx, "wall-time", "0.0005");
  const char *const *names = box_settings_names ();
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *text = box_settings_get (&fx->settings, names[i]);
      set_ok (fx, names[i], text);
      assert_setting (fx, names[i], text);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/box-settings/names/limits-and-text-settings",
                   test_names_are_limits_and_text_settings);
  g_test_add_func ("/box-settings/names/unique", test_names_are_unique);
  g_test_add_func ("/box-settings/init-takes-configured-defaults",
                   test_init_takes_configured_defaults);
#define ADD(path, fn)                                                                              \
  g_test_add (path, SettingsFixture, NULL, settings_setup, fn, settings_teardown)
  ADD ("/box-settings/names/every-name-can-be-read", test_every_name_can_be_read);
  ADD ("/box-settings/set-and-get-every-setting", test_set_and_get_every_setting);
  ADD ("/box-settings/limits-ignore-whitespace", test_limits_ignore_surrounding_whitespace);
  ADD ("/box-settings/failure-keeps-old-value", test_failure_keeps_old_value);
  ADD ("/box-settings/over-maximum-refused", test_over_maximum_refused);
  ADD ("/box-settings/unlimited-within-unlimited-maximum", test_unlimited_within_unlimited_maximum);
  ADD ("/box-settings/env-write-replaces-whole-set", test_env_write_replaces_whole_set);
  ADD ("/box-settings/dirs-write-replaces-whole-set", test_dirs_write_replaces_whole_set);
  ADD ("/box-settings/empty-path-means-default", test_empty_path_means_default);
  ADD ("/box-settings/unknown-setting-not-found", test_unknown_setting_not_found);
  ADD ("/box-settings/canonical-text-reads-back-same", test_canonical_text_reads_back_the_same);
#undef ADD
  return g_test_run ();
}
