/* The systemd unit that meson installs passes systemd-analyze verify. */

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static void
test_unit_verifies (void)
{
  g_autofree char *analyze = g_find_program_in_path ("systemd-analyze");
  if (analyze == NULL)
    {
      g_test_skip ("systemd-analyze is not installed");
      return;
    }
  /* The installed unit runs the installed daemon; verify checks that its
   * ExecStart exists, so point a copy at the one just built. */
  g_autofree char *unit = NULL;
  g_assert_true (g_file_get_contents (g_getenv ("ISOLATEFS_UNIT"), &unit, NULL, NULL));
  const char *installed = g_getenv ("ISOLATEFS_INSTALLED");
  g_assert_nonnull (strstr (unit, installed));
  g_autoptr (GString) copy = g_string_new (unit);
  g_string_replace (copy, installed, g_getenv ("ISOLATEFS"), 0);

  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-unit-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "isolatefs.service", NULL);
  g_assert_true (g_file_set_contents (path, copy->str, -1, NULL));
  const char *argv[] = { analyze, "verify", path, NULL };
  g_autofree char *err = NULL;
  int wait_status;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, &err, &wait_status, NULL));
  g_test_message ("%s", err);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/unit/verifies", test_unit_verifies);
  return g_test_run ();
}
