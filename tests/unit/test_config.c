/* sandbox/settings/daemon_config.c: the daemon's settings, from -o options and a key file. */
#include "config_fixture.h"
#include "sandbox/settings/daemon_config.h"
#include "sandbox/sandbox_error.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static void
test_defaults (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  g_assert_cmpstr (config->state_dir, ==, "/var/lib/isolatefs");
  g_assert_cmpstr (config->cgroup_parent, ==, "isolatefs");
  g_assert_cmpuint (config->first_uid, ==, 60000);
  g_assert_cmpuint (config->first_gid, ==, 60000);
  g_assert_cmpuint (config->box_uids, ==, 1000);
  g_assert_cmpuint (config->max_boxes, ==, 1000);
  g_assert_cmpuint (config->max_stdin_kib, ==, 64 * 1024);
  /* None named: the installed table if there is one, else the built-in one. */
  g_assert_null (config->languages_file);
  for (LimitId id = 0; id < N_LIMITS; id++)
    {
      g_assert_cmpint (config->limit_default[id], ==, limit_builtin_default (id));
      g_assert_cmpint (config->limit_maximum[id], ==, limit_builtin_maximum (id));
    }
}

static void
test_defaults_pass_check (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (daemon_config_check (config, &error));
  g_assert_no_error (error);
}

static void
test_set_state_dir (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  set_ok (config, "state_dir", "/srv/boxes");
  g_assert_cmpstr (config->state_dir, ==, "/srv/boxes");
  set_ok (config, "state_dir", "/srv/../srv/./boxes/");
  g_assert_cmpstr (config->state_dir, ==, "/srv/boxes");

  assert_set_refused (config, "state_dir", "boxes");
  assert_set_refused (config, "state_dir", "./boxes");
  assert_set_refused (config, "state_dir", "");
  g_assert_cmpstr (config->state_dir, ==, "/srv/boxes");
}

static void
test_set_languages (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  set_ok (config, "languages", "/srv/judge/../languages.conf");
  g_assert_cmpstr (config->languages_file, ==, "/srv/languages.conf");
  assert_set_refused (config, "languages", "languages.conf");
  assert_set_refused (config, "languages", "");
  g_assert_cmpstr (config->languages_file, ==, "/srv/languages.conf");
}

static void
assert_languages_refused (const char *table_text, const char *reason)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("languages-XXXXXX.conf", &path, NULL);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_true (g_file_set_contents (path, table_text, -1, NULL));
  set_ok (config, "languages", path);
  g_autoptr (GError) error = NULL;
  g_assert_null (daemon_config_load_languages (config, &error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, reason));
  g_assert_nonnull (strstr (error->message, "drop the languages setting to use the built-in"));
  g_unlink (path);
}

static void
test_load_languages (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  g_autoptr (GError) error = NULL;
  /* None named: the installed table or the built-in one, which always loads. */
  g_autoptr (LanguageTable) languages = daemon_config_load_languages (config, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (languages->languages->len, >=, 4);

  g_autofree char *shipped
      = g_test_build_filename (G_TEST_DIST, "..", "..", "data", "languages.conf", NULL);
  g_autofree char *canonical = g_canonicalize_filename (shipped, NULL);
  set_ok (config, "languages", canonical);
  g_autoptr (LanguageTable) shipped_table = daemon_config_load_languages (config, &error);
  g_assert_nonnull (shipped_table);
  g_assert_cmpstr (shipped_table->path, ==, canonical);

  /* A table named but missing or broken stops the daemon, saying what to do. */
  set_ok (config, "languages", "/nonexistent/languages.conf");
  g_assert_null (daemon_config_load_languages (config, &error));
  g_assert_nonnull (strstr (error->message, "/nonexistent/languages.conf"));
  g_assert_nonnull (strstr (error->message, "drop the languages setting to use the built-in"));
  assert_languages_refused ("[C]\nextensions=c;\ncompile_mem=lots\nrun=./a\n", "compile_mem");
  assert_languages_refused ("[C]\nextensions=c;\nrun='./a\n", "run");
  assert_languages_refused ("# nothing\n", "no language");
}

static void
test_set_cgroup_parent (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  set_ok (config, "cgroup_parent", "judge");
  g_assert_cmpstr (config->cgroup_parent, ==, "judge");
  /* From the hierarchy's root rather than the daemon's own group (v2). */
  set_ok (config, "cgroup_parent", "/judge");
  g_assert_cmpstr (config->cgroup_parent, ==, "/judge");
  set_ok (config, "cgroup_parent", "judge/boxes-2");
  g_assert_cmpstr (config->cgroup_parent, ==, "judge/boxes-2");

  const char *const bad[] = { "",      "..",   "../x", "a/../b",  "/",   "//abs",
                              "/../x", "a//b", "a/",   ".hidden", "a b", "/a/" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_set_refused (config, "cgroup_parent", bad[i]);
  g_assert_cmpstr (config->cgroup_parent, ==, "judge/boxes-2");
}

static void
test_set_cgroup (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  g_assert_cmpint (config->cgroup, ==, CGROUP_HIERARCHY_AUTO);
  set_ok (config, "cgroup", "v2");
  g_assert_cmpint (config->cgroup, ==, CGROUP_HIERARCHY_V2);
  set_ok (config, "cgroup", "v1");
  g_assert_cmpint (config->cgroup, ==, CGROUP_HIERARCHY_V1);
  set_ok (config, "cgroup", "auto");
  g_assert_cmpint (config->cgroup, ==, CGROUP_HIERARCHY_AUTO);
  const char *const bad[] = { "", "V2", "2", "v3", "unified", "auto " };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_set_refused (config, "cgroup", bad[i]);
  g_assert_cmpint (config->cgroup, ==, CGROUP_HIERARCHY_AUTO);
}

static void
test_set_uint32_keys (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  const struct
  {
    const char *key;
    gsize offset;
  } keys[] = {
    { "first_uid", G_STRUCT_OFFSET (DaemonConfig, first_uid) },
    { "first_gid", G_STRUCT_OFFSET (DaemonConfig, first_gid) },
    { "box_uids", G_STRUCT_OFFSET (DaemonConfig, box_uids) },
    { "max_boxes", G_STRUCT_OFFSET (DaemonConfig, max_boxes) },
  };
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      guint32 *field = G_STRUCT_MEMBER_P (config, keys[i].offset);
      set_ok (config, keys[i].key, "70001");
      g_assert_cmpuint (*field, ==, 70001);
      set_ok (config, keys[i].key, "1");
      g_assert_cmpuint (*field, ==, 1);
      set_ok (config, keys[i].key, "4294967294");
      g_assert_cmpuint (*field, ==, G_MAXUINT32 - 1);

      const char *const bad[] = { "0", "-1", "4294967295", "99999999999", "", "12a", "1.0", " 5" };
      for (guint j = 0; j < G_N_ELEMENTS (bad); j++)
        assert_set_refused (config, keys[i].key, bad[j]);
      g_assert_cmpuint (*field, ==, G_MAXUINT32 - 1);
    }
}

static void
test_set_max_stdin (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  set_ok (config, "max_stdin", "1M");
  g_assert_cmpuint (config->max_stdin_kib, ==, 1024);
  set_ok (config, "max_stdin", "4096");
  g_assert_cmpuint (config->max_stdin_kib, ==, 4096);
  assert_set_refused (config, "max_stdin", "big");
  assert_set_refused (config, "max_stdin", "-1");
  assert_set_refused (config, "max_stdin", "1X");
  g_assert_cmpuint (config->max_stdin_kib, ==, 4096);
}

static void
test_set_max_tmp (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  g_assert_cmpuint (config->max_tmp_kib, ==, 1024 * 1024);
  set_ok (config, "max_tmp", "512M");
  g_assert_cmpuint (config->max_tmp_kib, ==, 512 * 1024);
  assert_set_refused (config, "max_tmp", "lots");
  g_assert_cmpuint (config->max_tmp_kib, ==, 512 * 1024);
}

static void
test_set_max_output (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  g_assert_cmpuint (config->max_output_kib, ==, 64 * 1024);
  set_ok (config, "max_output", "1G");
  g_assert_cmpuint (config->max_output_kib, ==, 1024 * 1024);
  assert_set_refused (config, "max_output", "lots");
  g_assert_cmpuint (config->max_output_kib, ==, 1024 * 1024);
}

static void
test_set_favor_dynmods (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  g_assert_true (config->favor_dynmods);
  set_ok (config, "favor_dynmods", "false");
  g_assert_false (config->favor_dynmods);
  set_ok (config, "favor_dynmods", "yes");
  g_assert_true (config->favor_dynmods);
  set_ok (config, "favor_dynmods", "0");
  assert_set_refused (config, "favor_dynmods", "maybe");
  g_assert_false (config->favor_dynmods);
  g_assert_true (config->prepare_runs);
  set_ok (config, "prepare_runs", "no");
  g_assert_false (config->prepare_runs);
  g_assert_cmpuint (config->prepare_new_boxes, ==, 8);
  set_ok (config, "prepare_new_boxes", "2");
  g_assert_cmpuint (config->prepare_new_boxes, ==, 2);
  assert_set_refused (config, "prepare_new_boxes", "0");
  g_assert_cmpuint (config->prepare_new_boxes, ==, 2);
}

/* A value each limit accepts, other than its built-in default and maximum. */
static const char *const sample_values[N_LIMITS] = {
  [LIMIT_MEM] = "512M",       [LIMIT_TIME] = "2.5",         [LIMIT_WALL_TIME] = "7",
  [LIMIT_EXTRA_TIME] = "0.5", [LIMIT_PROCESSES] = "16",     [LIMIT_FSIZE] = "1G",
  [LIMIT_STACK] = "16M",      [LIMIT_OPEN_FILES] = "32",    [LIMIT_SHARE_NET] = "1",
  [LIMIT_QUOTA] = "100M",     [LIMIT_ADDRESS_SPACE] = "2G", [LIMIT_CORE] = "4M",
};

static const gint64 sample_parsed[N_LIMITS] = {
  [LIMIT_MEM] = 524288,
  [LIMIT_TIME] = 2500,
  [LIMIT_WALL_TIME] = 7000,
  [LIMIT_EXTRA_TIME] = 500,
  [LIMIT_PROCESSES] = 16,
  [LIMIT_FSIZE] = 1048576,
  [LIMIT_STACK] = 16384,
  [LIMIT_OPEN_FILES] = 32,
  [LIMIT_SHARE_NET] = 1,
  [LIMIT_QUOTA] = 102400,
  [LIMIT_ADDRESS_SPACE] = 2097152,
  [LIMIT_CORE] = 4096,
};

static void
test_set_default_of_every_limit (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  for (LimitId id = 0; id < N_LIMITS; id++)
    {
      g_autofree char *key = g_strconcat ("default_", limit_name (id), NULL);
      set_ok (config, key, sample_values[id]);
      g_assert_cmpint (config->limit_default[id], ==, sample_parsed[id]);
      g_assert_cmpint (config->limit_maximum[id], ==, limit_builtin_maximum (id));
      assert_set_refused (config, key, "nonsense");
      g_assert_cmpint (config->limit_default[id], ==, sample_parsed[id]);
    }
}

static void
test_set_max_of_every_limit (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  for (LimitId id = 0; id < N_LIMITS; id++)
    {
      g_autofree char *key = g_strconcat ("max_", limit_name (id), NULL);
      set_ok (config, key, sample_values[id]);
      g_assert_cmpint (config->limit_maximum[id], ==, sample_parsed[id]);
      g_assert_cmpint (config->limit_default[id], ==, limit_builtin_default (id));
      assert_set_refused (config, key, "nonsense");
      g_assert_cmpint (config->limit_maximum[id], ==, sample_parsed[id]);
    }
}

static void
test_set_limit_keys_use_limit_rules (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  set_ok (config, "max_mem", "unlimited");
  g_assert_cmpint (config->limit_maximum[LIMIT_MEM], ==, LIMIT_UNLIMITED);
  set_ok (config, "default_time", "0");
  g_assert_cmpint (config->limit_default[LIMIT_TIME], ==, LIMIT_UNLIMITED);
  set_ok (config, "max_share-net", "0");
  g_assert_cmpint (config->limit_maximum[LIMIT_SHARE_NET], ==, 0);
  assert_set_refused (config, "default_processes", "0");
  assert_set_refused (config, "default_extra-time", "-1");
  assert_set_refused (config, "max_share-net", "2");
}

static void
test_set_unknown_key (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  const char *const keys[] = {
    "nope", "", "mem", "default_", "max_", "default_nope", "max_memory", "STATE_DIR", "state-dir",
  };
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    assert_set_refused (config, keys[i], "1");
}

static void
test_has_key (void)
{
  const char *const daemon_keys[] = {
    "state_dir", "cgroup_parent",     "first_uid",  "first_gid",     "box_uids",
    "max_boxes", "max_stdin",         "max_output", "favor_dynmods", "prepare_runs",
    "languages", "prepare_new_boxes", "max_tmp",    "cgroup",
  };
  for (guint i = 0; i < G_N_ELEMENTS (daemon_keys); i++)
    g_assert_true (daemon_config_has_key (daemon_keys[i]));
  for (LimitId id = 0; id < N_LIMITS; id++)
    {
      g_autofree char *default_key = g_strconcat ("default_", limit_name (id), NULL);
      g_autofree char *max_key = g_strconcat ("max_", limit_name (id), NULL);
      g_assert_true (daemon_config_has_key (default_key));
      g_assert_true (daemon_config_has_key (max_key));
    }

  const char *const others[] = {
    "",
    "nope",
    "mem",
    "default_",
    "max_",
    "default_nope",
    "allow_other",
    "config",
    "fsname",
    "default_permissions",
  };
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    g_assert_false (daemon_config_has_key (others[i]));
}

static void
test_has_key_agrees_with_set (void)
{
  /* Every key has_key accepts, set knows (values valid for each). */
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  const char *const pairs[][2] = {
    { "state_dir", "/tmp/x" }, { "cgroup_parent", "x" },
    { "first_uid", "1000" },   { "first_gid", "1000" },
    { "box_uids", "10" },      { "max_boxes", "10" },
    { "max_stdin", "1M" },     { "languages", "/etc/languages.conf" },
    { "cgroup", "auto" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_assert_true (daemon_config_has_key (pairs[i][0]));
      set_ok (config, pairs[i][0], pairs[i][1]);
    }
}

static void
test_check_default_above_maximum_fails (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  g_autoptr (GError) error = NULL;
  set_ok (config, "max_mem", "256M");
  set_ok (config, "default_mem", "512M");
  g_assert_false (daemon_config_check (config, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_OVER_MAXIMUM);
  g_assert_true (g_str_has_prefix (error->message, "default_mem: "));
}

static void
test_check_every_limit_default_above_maximum_fails (void)
{
  for (LimitId id = 0; id < N_LIMITS; id++)
    {
      g_autoptr (DaemonConfig) config = daemon_config_new ();
      g_autoptr (GError) error = NULL;
      config->limit_default[id] = sample_parsed[id];
      config->limit_maximum[id] = sample_parsed[id] - 1;
      g_assert_false (daemon_config_check (config, &error));
      g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_OVER_MAXIMUM);

      g_clear_error (&error);
      config->limit_maximum[id] = sample_parsed[id];
      g_assert_true (daemon_config_check (config, &error));
      g_assert_no_error (error);
    }
}

static void
test_check_unlimited_default_needs_unlimited_maximum (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  g_autoptr (GError) error = NULL;
  set_ok (config, "max_time", "10");
  set_ok (config, "default_time", "unlimited");
  g_assert_false (daemon_config_check (config, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_OVER_MAXIMUM);
}

static void
test_check_uid_range_past_largest_uid_fails (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  g_autoptr (GError) error = NULL;

  set_ok (config, "box_uids", "1000");
  set_ok (config, "first_uid", "4294966295"); /* + 1000 == G_MAXUINT32: last uid 2^32-2 */
  g_assert_true (daemon_config_check (config, &error));
  g_assert_no_error (error);

  set_ok (config, "first_uid", "4294966296"); /* the range would reach (uid_t) -1 */
  g_assert_false (daemon_config_check (config, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
  g_clear_error (&error);

  set_ok (config, "first_uid", "60000");
  set_ok (config, "first_gid", "4294967000");
  g_assert_false (daemon_config_check (config, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
}

static void
test_box_uid_and_gid (void)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  set_ok (config, "first_uid", "70000");
  set_ok (config, "first_gid", "80000");
  g_assert_cmpuint (daemon_config_box_uid (config, 0), ==, 70000);
  g_assert_cmpuint (daemon_config_box_uid (config, 5), ==, 70005);
  g_assert_cmpuint (daemon_config_box_gid (config, 0), ==, 80000);
  g_assert_cmpuint (daemon_config_box_gid (config, 5), ==, 80005);
}

static void
test_load_file_applies_keys (ConfigFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  write_config_file (fx, "# isolatefs configuration\n"
                         "[isolatefs]\n"
                         "state_dir = /srv/isolate\n"
                         "cgroup_parent=judge/boxes\n"
                         "first_uid=70000\n"
                         "max_boxes=50\n"
                         "max_stdin=8M\n"
                         "default_mem=128M\n"
                         "max_mem=1G\n"
                         "default_time=0.5\n"
                         "max_share-net=0\n");
  g_assert_true (daemon_config_load_file (fx->config, fx->path, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (fx->config->state_dir, ==, "/srv/isolate");
  g_assert_cmpstr (fx->config->cgroup_parent, ==, "judge/boxes");
  g_assert_cmpuint (fx->config->first_uid, ==, 70000);
  g_assert_cmpuint (fx->config->first_gid, ==, 60000);
  g_assert_cmpuint (fx->config->max_boxes, ==, 50);
  g_assert_cmpuint (fx->config->max_stdin_kib, ==, 8192);
  g_assert_cmpint (fx->config->limit_default[LIMIT_MEM], ==, 131072);
  g_assert_cmpint (fx->config->limit_maximum[LIMIT_MEM], ==, 1048576);
  g_assert_cmpint (fx->config->limit_default[LIMIT_TIME], ==, 500);
  g_assert_cmpint (fx->config->limit_maximum[LIMIT_SHARE_NET], ==, 0);
  g_assert_true (daemon_config_check (fx->config, &error));
  g_assert_no_error (error);
}

static void
test_load_empty_file_changes_nothing (ConfigFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  write_config_file (fx, "");
  g_assert_true (daemon_config_load_file (fx->config, fx->path, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fx->config->state_dir, ==, "/var/lib/isolatefs");
  g_assert_cmpint (fx->config->limit_default[LIMIT_MEM], ==, limit_builtin_default (LIMIT_MEM));
}

static void
test_load_file_refuses_unknown_group (ConfigFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  write_config_file (fx, "[isolatefs]\n"
                         "max_boxes=50\n"
                         "[isolate]\n"
                         "max_boxes=60\n");
  g_assert_false (daemon_config_load_file (fx->config, fx->path, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "[isolate]"));
  /* Refused as a whole: nothing from the file was applied. */
  g_assert_cmpuint (fx->config->max_boxes, ==, 1000);
}

static void
test_load_file_refuses_keys_outside_a_group (ConfigFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  write_config_file (fx, "max_boxes=50\n");
  g_assert_false (daemon_config_load_file (fx->config, fx->path, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (fx->config->max_boxes, ==, 1000);
}

static void
test_load_file_refuses_unknown_key (ConfigFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  write_config_file (fx, "[isolatefs]\nmax_mem=1G\nmax_memory=1G\n");
  g_assert_false (daemon_config_load_file (fx->config, fx->path, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "config file "));
  g_assert_nonnull (strstr (error->message, "max_memory"));
}

static void
test_load_file_refuses_bad_value (ConfigFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  write_config_file (fx, "[isolatefs]\nfirst_uid=0\n");
  g_assert_false (daemon_config_load_file (fx->config, fx->path, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, fx->path));
  g_assert_cmpuint (fx->config->first_uid, ==, 60000);
}

static void
test_load_missing_file_fails (ConfigFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_unlink (fx->path);
  g_assert_false (daemon_config_load_file (fx->config, fx->path, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

static void
test_load_garbage_fails (ConfigFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  write_config_file (fx, "this is not a key file\n");
  g_assert_false (daemon_config_load_file (fx->config, fx->path, &error));
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/config/defaults", test_defaults);
  g_test_add_func ("/config/defaults-pass-check", test_defaults_pass_check);
  g_test_add_func ("/config/set/state-dir", test_set_state_dir);
  g_test_add_func ("/config/set/cgroup-parent", test_set_cgroup_parent);
  g_test_add_func ("/config/set/cgroup", test_set_cgroup);
  g_test_add_func ("/config/set/languages", test_set_languages);
  g_test_add_func ("/config/load-languages", test_load_languages);
  g_test_add_func ("/config/set/uint32-keys", test_set_uint32_keys);
  g_test_add_func ("/config/set/max-stdin", test_set_max_stdin);
  g_test_add_func ("/config/set/max-output", test_set_max_output);
  g_test_add_func ("/config/set/max-tmp", test_set_max_tmp);
  g_test_add_func ("/config/set/favor-dynmods", test_set_favor_dynmods);
  g_test_add_func ("/config/set/default-of-every-limit", test_set_default_of_every_limit);
  g_test_add_func ("/config/set/max-of-every-limit", test_set_max_of_every_limit);
  g_test_add_func ("/config/set/limit-keys-use-limit-rules", test_set_limit_keys_use_limit_rules);
  g_test_add_func ("/config/set/unknown-key", test_set_unknown_key);
  g_test_add_func ("/config/has-key", test_has_key);
  g_test_add_func ("/config/has-key-agrees-with-set", test_has_key_agrees_with_set);
  g_test_add_func ("/config/check/default-above-maximum", test_check_default_above_maximum_fails);
  g_test_add_func ("/config/check/every-limit-default-above-maximum",
                   test_check_every_limit_default_above_maximum_fails);
  g_test_add_func ("/config/check/unlimited-default-needs-unlimited-maximum",
                   test_check_unlimited_default_needs_unlimited_maximum);
  g_test_add_func ("/config/check/uid-range-past-largest-uid",
                   test_check_uid_range_past_largest_uid_fails);
  g_test_add_func ("/config/box-uid-and-gid", test_box_uid_and_gid);
#define ADD(path, fn) g_test_add (path, ConfigFixture, NULL, config_setup, fn, config_teardown)
  ADD ("/config/load/applies-keys", test_load_file_applies_keys);
  ADD ("/config/load/empty-file-changes-nothing", test_load_empty_file_changes_nothing);
  ADD ("/config/load/refuses-unknown-group", test_load_file_refuses_unknown_group);
  ADD ("/config/load/refuses-keys-outside-group", test_load_file_refuses_keys_outside_a_group);
  ADD ("/config/load/refuses-unknown-key", test_load_file_refuses_unknown_key);
  ADD ("/config/load/refuses-bad-value", test_load_file_refuses_bad_value);
  ADD ("/config/load/missing-file-fails", test_load_missing_file_fails);
  ADD ("/config/load/garbage-fails", test_load_garbage_fails);
#undef ADD
  return g_test_run ();
}
