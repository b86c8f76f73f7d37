/* The systemd units that meson installs pass systemd-analyze verify: their
 * commands exist, and so do the man pages their Documentation= names. */

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* man's tree of the source's pages (docs/NAME.SECTION), for systemd-analyze
 * to find what Documentation= names as if they were installed. */
static char *
make_man_tree (const char *tmp)
{
  g_autofree char *root = g_build_filename (tmp, "man", NULL);
  g_autoptr (GDir) docs = g_dir_open (g_getenv ("ISOLATEFS_MAN_PAGES"), 0, NULL);
  g_assert_nonnull (docs);
  for (const char *name; (name = g_dir_read_name (docs)) != NULL;)
    {
      const char *dot = strrchr (name, '.');
      if (dot == NULL || strlen (dot) != 2 || !g_ascii_isdigit (dot[1]))
        continue;
      g_autofree char *section = g_strdup_printf ("man%c", dot[1]);
      g_autofree char *dir = g_build_filename (root, section, NULL);
      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_autofree char *target = g_build_filename (g_getenv ("ISOLATEFS_MAN_PAGES"), name, NULL);
      g_autofree char *link = g_build_filename (dir, name, NULL);
      g_assert_cmpint (symlink (target, link), ==, 0);
    }
  return g_steal_pointer (&root);
}

/* Verifies one unit, as instance (NULL: the unit itself), pointed at the
 * daemon just built (verify checks that ExecStart exists). */
static void
verify_unit (const char *unit_name, const char *instance)
{
  g_autofree char *analyze = g_find_program_in_path ("systemd-analyze");
  if (analyze == NULL)
    {
      g_test_skip ("systemd-analyze is not installed");
      return;
    }
  g_autofree char *unit_path = g_build_filename (g_getenv ("ISOLATEFS_UNITS"), unit_name, NULL);
  g_autofree char *unit = NULL;
  g_assert_true (g_file_get_contents (unit_path, &unit, NULL, NULL));
  const char *installed = g_getenv ("ISOLATEFS_INSTALLED");
  g_assert_nonnull (strstr (unit, installed));
  /* Ready when it says so, and its pages named. */
  g_assert_nonnull (strstr (unit, "\nType=notify\n"));
  g_assert_nonnull (strstr (unit, "\nDocumentation=man:isolatefs(8) man:isolatefs(5)"));
  g_autoptr (GString) copy = g_string_new (unit);
  g_string_replace (copy, installed, g_getenv ("ISOLATEFS"), 0);

  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-unit-XXXXXX", NULL);
  g_autofree char *man = make_man_tree (tmp);
  g_autofree char *name
      = instance ? g_strdup_printf ("isolatefs@%s.service", instance) : g_strdup (unit_name);
  g_autofree char *path = g_build_filename (tmp, name, NULL);
  g_assert_true (g_file_set_contents (path, copy->str, -1, NULL));
  const char *argv[] = { analyze, "verify", path, NULL };
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "MANPATH", man, TRUE);
  g_autofree char *err = NULL;
  int wait_status;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, &err, &wait_status, NULL));
  g_test_message ("%s", err);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  g_assert_cmpstr (err, ==, "");

  const char *argv_rm[] = { "rm", "-r", tmp, NULL };
  g_assert_true (g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &wait_status, NULL));
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
}

static void
test_unit_verifies (void)
{
  verify_unit ("isolatefs.service", NULL);
}

/* An instance of the template: /srv/judge, as systemd-escape --path names it. */
static void
test_template_verifies (void)
{
  verify_unit ("isolatefs@.service", "srv-judge");
  g_autofree char *unit_path
      = g_build_filename (g_getenv ("ISOLATEFS_UNITS"), "isolatefs@.service", NULL);
  g_autofree char *unit = NULL;
  g_assert_true (g_file_get_contents (unit_path, &unit, NULL, NULL));
  /* Its mount point and its config file come from the instance name. */
  g_assert_nonnull (strstr (unit, "isolatefs/%i.conf %f\n"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/unit/verifies", test_unit_verifies);
  g_test_add_func ("/unit/template-verifies", test_template_verifies);
  return g_test_run ();
}
