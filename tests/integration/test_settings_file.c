/* The settings file: every setting of a box in one read, many in one
 * write, all or nothing (docs/interface.md, "settings"). */

#include "mount_fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* The generation of the newer of the box's two record files. */
static guint64
record_generation (const Mount *mount)
{
  guint64 newest = 0;
  const char *const files[] = { "settings.json", "settings.json.1" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (mount->state_dir, "boxes", "b", files[i], NULL);
      g_autofree char *text = NULL;
      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;
      const char *key = strstr (text, "\"generation\"");
      g_assert_nonnull (key);
      const char *colon = strchr (key, ':');
      newest = MAX (newest, g_ascii_strtoull (colon + 1, NULL, 10));
    }
  return newest;
}

static void
test_reads_every_setting (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_assert_cmpint (put (mount, "b/env", "A=1\nB=two words\n"), ==, 0);
  g_autofree char *text = get (mount, "b/settings");
  g_assert_nonnull (text);
  g_assert_true (g_str_has_prefix (text, "mem=262144\ntime=1.000\nwall-time=5.000\n"));
  g_assert_nonnull (strstr (text, "\nenv=A=1\nenv=B=two words\ndirs=\nchdir=/box\n"));
  g_assert_true (g_str_has_suffix (text, "stderr-to-stdout=0\n"));
  /* Each line as its own file reads. */
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      char *equals = strchr (lines[i], '=');
      g_assert_nonnull (equals);
      *equals = '\0';
      g_autofree char *path = g_build_filename ("b", lines[i], NULL);
      g_autofree char *alone = get (mount, path);
      g_test_message ("%s: '%s' and '%s'", lines[i], equals + 1, alone);
      g_assert_nonnull (strstr (alone, equals + 1));
    }
}

static void
test_sets_many_with_one_save (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  guint64 generation = record_generation (mount);
  g_assert_cmpint (put (mount, "b/settings",
                        "mem=64M\ntime=0.5\nenv=A=1\nprocesses=10\nenv=B=2\ndirs=/etc:noexec\n"
                        "chdir=/tmp\n"),
                   ==, 0);
  g_assert_cmpuint (record_generation (mount), ==, generation + 1);
  assert_reads (mount, "b/mem", "65536\n");
  assert_reads (mount, "b/time", "0.500\n");
  assert_reads (mount, "b/processes", "10\n");
  assert_reads (mount, "b/env", "A=1\nB=2\n");
  assert_reads (mount, "b/dirs", "/etc=/etc:noexec\n");
  assert_reads (mount, "b/chdir", "/tmp\n");
  /* Settings it does not name stay. */
  assert_reads (mount, "b/wall-time", "5.000\n");

  /* What it reads, written back (as one write), changes and saves nothing. */
  g_autofree char *text = get (mount, "b/settings");
  g_assert_cmpint (put (mount, "b/settings", text), ==, 0);
  g_assert_cmpuint (record_generation (mount), ==, generation + 1);
  assert_reads (mount, "b/settings", text);

  /* The values reach the run. */
  g_autofree char *out = run_for_output (mount, "b", "sh -c 'echo $A$B; pwd'");
  g_assert_cmpstr (out, ==, "12\n/tmp\n");

  /* A restarted daemon has them. */
  mount_restart (mount);
  assert_reads (mount, "b/settings", text);
}

/* Any refused line refuses the whole write, naming the setting; nothing is
 * set and nothing saved. */
static void
test_all_or_nothing (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_autofree char *before = get (mount, "b/settings");
  guint64 generation = record_generation (mount);
  const char *const refused[] = {
    "mem=64M\ntime=soon\n",          /* a bad value */
    "mem=64M\nnope=1\n",             /* no such setting */
    "mem=64M\ntime=1\nmem=32M\n",    /* a one-line setting twice */
    "mem=64M\njust words\n",         /* not NAME=VALUE */
    "mem=64M\ndirs=relative/path\n", /* a bad rule */
    "mem=64M\nenv=1X=2\n",           /* a bad variable */
    "mem=64M\ncmd=/bin/true\n",      /* not a setting */
  };
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_test_message ("%s", refused[i]);
      g_assert_cmpint (put (mount, "b/settings", refused[i]), ==, EINVAL);
      assert_reads (mount, "b/settings", before);
      g_assert_cmpuint (record_generation (mount), ==, generation);
    }
}

/* Written a line at a time through one descriptor (as printf or a shell
 * loop may write), the lines still make one value. */
static void
test_line_by_line (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_autofree char *path = mount_path (fixture->mount, "b/settings");
  int fd = open (path, O_WRONLY | O_TRUNC);
  g_assert_cmpint (fd, >=, 0);
  const char *const lines[] = { "env=A=1\n", "mem=32M\n", "env=B=2\n" };
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    g_assert_cmpint (write (fd, lines[i], strlen (lines[i])), ==, strlen (lines[i]));
  g_assert_cmpint (write (fd, "mem=64M\n", 8), ==, -1); /* mem twice */
  g_assert_cmpint (errno, ==, EINVAL);
  close (fd);
  assert_reads (fixture->mount, "b/env", "A=1\nB=2\n");
  assert_reads (fixture->mount, "b/mem", "32768\n");
}

#define ADD(path, function, options)                                                               \
  g_test_add (path, BoxFixture, options, box_fixture_set_up, function, box_fixture_tear_down)

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/settings-file/reads-every-setting", test_reads_every_setting, NULL);
  ADD ("/settings-file/sets-many-with-one-save", test_sets_many_with_one_save, NULL);
  ADD ("/settings-file/all-or-nothing", test_all_or_nothing, NULL);
  ADD ("/settings-file/line-by-line", test_line_by_line, NULL);
  return g_test_run ();
}
