/* The config file meson installs (systemd/isolatefs.conf): it sets nothing,
 * and shows every key of the [isolatefs] group commented out at its real
 * default, so that reading it tells an administrator what the daemon does. */

#include "sandbox/settings/daemon_config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static void
assert_same_settings (const DaemonConfig *a, const DaemonConfig *b)
{
  g_assert_cmpstr (a->state_dir, ==, b->state_dir);
  g_assert_cmpint (a->cgroup, ==, b->cgroup);
  g_assert_cmpstr (a->cgroup_parent, ==, b->cgroup_parent);
  g_assert_cmpuint (a->first_uid, ==, b->first_uid);
  g_assert_cmpuint (a->first_gid, ==, b->first_gid);
  g_assert_cmpuint (a->box_uids, ==, b->box_uids);
  g_assert_cmpuint (a->max_boxes, ==, b->max_boxes);
  g_assert_cmpuint (a->max_stdin_kib, ==, b->max_stdin_kib);
  g_assert_cmpuint (a->max_output_kib, ==, b->max_output_kib);
  g_assert_cmpuint (a->max_tmp_kib, ==, b->max_tmp_kib);
  g_assert_cmpint (a->favor_dynmods, ==, b->favor_dynmods);
  g_assert_cmpint (a->prepare_runs, ==, b->prepare_runs);
  g_assert_cmpuint (a->prepare_new_boxes, ==, b->prepare_new_boxes);
  g_assert_cmpstr (a->languages_file, ==, b->languages_file);
  for (LimitId id = 0; id < N_LIMITS; id++)
    {
      g_assert_cmpint (a->limit_default[id], ==, b->limit_default[id]);
      g_assert_cmpint (a->limit_maximum[id], ==, b->limit_maximum[id]);
    }
}

/* The config file meson installs sets nothing, and shows every key of the
 * [isolatefs] group commented out at its real default: uncommented, each
 * line sets what is already the default. */
static void
test_installed_config_shows_defaults (void)
{
  g_autofree char *shipped
      = g_test_build_filename (G_TEST_DIST, "..", "..", "systemd", "isolatefs.conf", NULL);
  g_autoptr (DaemonConfig) defaults = daemon_config_new ();
  g_autoptr (DaemonConfig) as_shipped = daemon_config_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (daemon_config_load_file (as_shipped, shipped, &error));
  assert_same_settings (as_shipped, defaults);

  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (shipped, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GString) uncommented = g_string_new ("[isolatefs]\n");
  g_autoptr (GHashTable) shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* Up to the per-user examples. */
  for (guint i = 0; lines[i] != NULL && !g_str_has_prefix (lines[i], "# [user:"); i++)
    {
      const char *equals = strchr (lines[i], '=');
      if (!g_str_has_prefix (lines[i], "# ") || equals == NULL)
        continue;
      char *key = g_strndup (lines[i] + 2, equals - lines[i] - 2);
      /* Keys unset by default show an example instead. */
      if (strchr (key, ' ') != NULL
          || g_strv_contains ((const char *const[]){ "languages", "log", "default_dirs",
                                                     "default_env", NULL },
                              key))
        {
          g_free (key); /* prose */
          continue;
        }
      g_hash_table_add (shown, key);
      g_string_append_printf (uncommented, "%s\n", lines[i] + 2);
    }
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("isolatefs-XXXXXX.conf", &path, NULL);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_true (g_file_set_contents (path, uncommented->str, -1, NULL));
  g_autoptr (DaemonConfig) uncommented_config = daemon_config_new ();
  g_assert_true (daemon_config_load_file (uncommented_config, path, &error));
  g_assert_no_error (error);
  assert_same_settings (uncommented_config, defaults);
  g_unlink (path);

  const char *const daemon_keys[]
      = { "state_dir",    "cgroup",   "cgroup_parent", "first_uid",
          "first_gid",    "box_uids", "max_boxes",     "max_stdin",
          "max_output",   "max_tmp",  "prepare_runs",  "prepare_new_boxes",
          "favor_dynmods" };
  for (guint i = 0; i < G_N_ELEMENTS (daemon_keys); i++)
    g_assert_true (g_hash_table_contains (shown, daemon_keys[i]));
  for (LimitId id = 0; id < N_LIMITS; id++)
    {
      g_autofree char *default_key = g_strconcat ("default_", limit_name (id), NULL);
      g_autofree char *max_key = g_strconcat ("max_", limit_name (id), NULL);
      g_assert_true (g_hash_table_contains (shown, default_key));
      g_assert_true (g_hash_table_contains (shown, max_key));
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/installed-config/shows-defaults", test_installed_config_shows_defaults);
  return g_test_run ();
}
