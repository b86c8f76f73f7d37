/* default_dirs and default_env: what every run of every box gets, from the
 * administrator, daemon-wide and per user, under the box's own dirs and
 * env. Hiding /etc, as isolate does, and sharing a read-only directory. */

#include "mount_fixture.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether the program in box sees path. */
static char *
sees (const Mount *mount, const char *box, const char *path)
{
  g_autofree char *cmd
      = g_strdup_printf ("sh -c 'test -e %s && echo visible || echo hidden'", path);
  return run_for_output (mount, box, cmd);
}

static void
assert_sees (const Mount *mount, const char *box, const char *path, const char *expected)
{
  g_autofree char *seen = sees (mount, box, path);
  g_test_message ("box %s: %s is %s", box, path, seen);
  g_assert_cmpstr (seen, ==, expected);
}

static void
test_default_dirs_and_env (void)
{
  if (!mount_require_root ())
    return;
  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-defaults-XXXXXX", NULL);
  g_assert_cmpint (chmod (tmp, 0755), ==, 0);
  g_autofree char *shared = g_build_filename (tmp, "shared", NULL);
  g_autofree char *hello = g_build_filename (shared, "hello.txt", NULL);
  g_assert_cmpint (g_mkdir (shared, 0755), ==, 0);
  g_assert_true (g_file_set_contents (hello, "shared\n", -1, NULL));
  g_assert_cmpint (chmod (hello, 0644), ==, 0);
  g_autofree char *conf = g_build_filename (tmp, "isolatefs.conf", NULL);
  g_autofree char *text = g_strdup_printf ("[isolatefs]\n"
                                           "default_dirs=/etc=;/data=%s\n"
                                           "default_env=GREETING=hello;LANG=C.UTF-8\n"
                                           "[user:61600]\n"
                                           "default_dirs=/data=\n"
                                           "default_env=GREETING=hi\n",
                                           shared);
  g_assert_true (g_file_set_contents (conf, text, -1, NULL));
  g_autofree char *options = g_strdup_printf ("config=%s", conf);
  g_autoptr (Mount) mount = mount_new (options);

  /* Daemon-wide: /etc hidden from every box, /data shared read-only. */
  g_assert_cmpint (make_box (mount, "a"), ==, 0);
  assert_sees (mount, "a", "/etc/passwd", "hidden\n");
  g_autofree char *data = run_for_output (mount, "a", "cat /data/hello.txt");
  g_assert_cmpstr (data, ==, "shared\n");
  g_autofree char *written = run_for_output (
      mount, "a", "sh -c 'echo x > /data/new.txt 2>/dev/null && echo wrote || echo read-only'");
  g_assert_cmpstr (written, ==, "read-only\n");
  g_autofree char *greeting = run_for_output (mount, "a", "printenv GREETING");
  g_assert_cmpstr (greeting, ==, "hello\n");

  /* The box's own rules win over the defaults. */
  g_assert_cmpint (put (mount, "a/dirs", "/etc\n"), ==, 0);
  g_assert_cmpint (put (mount, "a/env", "GREETING=own\n"), ==, 0);
  assert_sees (mount, "a", "/etc/passwd", "visible\n");
  g_autofree char *own = run_for_output (mount, "a", "printenv GREETING");
  g_assert_cmpstr (own, ==, "own\n");

  /* A box given to user 61600: their own rules over the daemon-wide ones. */
  g_assert_cmpint (make_box (mount, "b"), ==, 0);
  assert_sees (mount, "b", "/data/hello.txt", "visible\n");
  g_autofree char *b = mount_path (mount, "b");
  g_assert_cmpint (chown (b, 61600, 61600), ==, 0);
  assert_sees (mount, "b", "/data/hello.txt", "hidden\n");
  assert_sees (mount, "b", "/etc/passwd", "hidden\n");
  g_autofree char *theirs = run_for_output (mount, "b", "printenv GREETING LANG");
  g_assert_cmpstr (theirs, ==, "hi\nC.UTF-8\n");

  g_assert_cmpint (g_unlink (hello), ==, 0);
  g_assert_cmpint (g_rmdir (shared), ==, 0);
  g_assert_cmpint (g_unlink (conf), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

/* A run carries the default rules and the box's own (4086 in all, see
 * run/dirs-rules-a-run-can-carry): a box's dirs that would make more with
 * its owner's default_dirs is refused when written, not at its next cmd. */
static void
test_default_dirs_count_against_the_most (void)
{
  if (!mount_require_root ())
    return;
  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-defaults-XXXXXX", NULL);
  g_autofree char *conf = g_build_filename (tmp, "isolatefs.conf", NULL);
  g_assert_true (g_file_set_contents (conf, "[isolatefs]\ndefault_dirs=/etc=\n", -1, NULL));
  g_autofree char *options = g_strdup_printf ("config=%s", conf);
  g_autoptr (Mount) mount = mount_new (options);
  g_assert_cmpint (make_box (mount, "a"), ==, 0);

  g_autofree char *too_many = tmp_dir_rules (4086);
  g_assert_cmpint (put (mount, "a/dirs", too_many), ==, EINVAL);
  assert_reads (mount, "a/dirs", "");
  g_autofree char *most = tmp_dir_rules (4085);
  g_assert_cmpint (put (mount, "a/dirs", most), ==, 0);
  g_autofree char *out
      = run_for_output (mount, "a", "sh -c 'echo x > /t4084/f; read l < /t4084/f; echo $l'");
  g_assert_cmpstr (out, ==, "x\n");
  /* One that replaces the default's (the same path) is not one more. */
  g_autofree char *replacing = g_strconcat (most, "/etc\n", NULL);
  g_assert_cmpint (put (mount, "a/dirs", replacing), ==, 0);
  assert_sees (mount, "a", "/etc/passwd", "visible\n");

  g_assert_cmpint (g_unlink (conf), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/defaults/dirs-and-env", test_default_dirs_and_env);
  g_test_add_func ("/defaults/dirs-count-against-the-most",
                   test_default_dirs_count_against_the_most);
  return g_test_run ();
}
