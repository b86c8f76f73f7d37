/* mini-isolate-compat against a real mount: its own stdio, its settings
 * from one run to the next, quotas, and the errors isolate gives. */

#include "compat_fixture.h"

#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
test_stdio (void)
{
  if (!require_mount ())
    return;
  g_autoptr (CommandResult) init = shell ("isolate -b 40 --init");
  g_assert_cmpint (init->status, ==, 0);
  g_autofree char *workdir = g_strchomp (g_strdup (init->out));
  g_autofree char *prog = g_build_filename (workdir, "box", "prog", NULL);
  copy_file (host_prog, prog, 0755);

  /* Our stdin is the program's; its stdout and stderr are ours, then the
   * status line. */
  const char *argv[] = { "isolate", "-b", "40", "--run", "--", "./prog", NULL };
  g_autofree char *link = g_build_filename (bin_dir, "isolate", NULL);
  argv[0] = link;
  g_autoptr (CommandResult) run = spawn (argv, stdin_text);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->out, ==, stdout_expected);
  g_assert_true (g_str_has_prefix (run->err, "summed\nOK ("));
  g_assert_true (g_str_has_suffix (run->err, " sec wall)\n"));

  /* -M - puts the meta file on stdout, after the program's output; -s
   * keeps the status line back. */
  g_autoptr (CommandResult) meta = shell ("echo 1 2 | isolate -s -b 40 -M - --run -- ./prog");
  g_assert_cmpint (meta->status, ==, 0);
  g_assert_true (g_str_has_prefix (meta->out, "3\ntime:"));
  assert_contains (meta->out, "\nexitcode:0\n");
  g_assert_cmpstr (meta->err, ==, "summed\n");

  /* A failure prints isolate's message, -s or not for an error. */
  g_autoptr (CommandResult) failed = shell ("isolate -b 40 --run -- ./prog exit3 </dev/null");
  g_assert_cmpint (failed->status, ==, 1);
  g_assert_cmpstr (failed->err, ==, "Exited with error status 3\n");
  g_autoptr (CommandResult) quiet = shell ("isolate -s -b 40 --run -- ./prog exit3");
  g_assert_cmpstr (quiet->err, ==, "");
  /* A program that cannot be executed is the program's failure, as in
   * isolate: its stderr says why. */
  g_autoptr (CommandResult) missing = shell ("isolate -s -b 40 --run -- ./nothing-here");
  g_assert_cmpint (missing->status, ==, 1);
  g_assert_cmpstr (missing->err, ==, "execve(\"./nothing-here\"): No such file or directory\n");
  /* An error of the sandbox is printed even with -s. */
  g_autoptr (CommandResult) nowhere = shell ("isolate -s -b 40 -c /nowhere --run -- ./prog");
  g_assert_cmpint (nowhere->status, ==, 2);
  g_assert_cmpstr (nowhere->err, ==, "cannot enter /nowhere: No such file or directory\n");

  g_autofree char *box = mount_path (mount, "40");
  g_autofree char *stderr_to_stdout = g_build_filename (box, "stderr-to-stdout", NULL);
  if (g_file_test (stderr_to_stdout, G_FILE_TEST_EXISTS))
    {
      g_autoptr (CommandResult) merged
          = shell ("echo 5 6 | isolate -s -b 40 --stderr-to-stdout --run -- ./prog");
      g_assert_cmpint (merged->status, ==, 0);
      /* stdout is a pipe: printf flushes at exit, after stderr. */
      g_assert_cmpstr (merged->out, ==, "summed\n11\n");
      g_assert_cmpstr (merged->err, ==, "");
    }
  else
    g_test_message ("--stderr-to-stdout not tested: no stderr-to-stdout file in this isolatefs");

  g_autoptr (CommandResult) cleanup = shell ("isolate -b 40 --cleanup");
  g_assert_cmpint (cleanup->status, ==, 0);
  g_assert_false (g_file_test (workdir, G_FILE_TEST_EXISTS));
}

/* A box keeps its settings; every --run writes isolate's defaults for the
 * options it lacks. */
static void
test_settings_reset (void)
{
  if (!require_mount ())
    return;
  g_autoptr (CommandResult) init = shell ("isolate --cg -b 41 --init");
  g_assert_cmpint (init->status, ==, 0);
  g_autofree char *workdir = g_strchomp (g_strdup (init->out));
  g_autoptr (CommandResult) first
      = shell ("isolate --cg -b 41 -p5 --share-net -t 3 --cg-mem=100000 "
               "-E A=1 -d /etc --run -- /bin/true");
  g_assert_cmpint (first->status, ==, 0);
  assert_reads (mount, "41/processes", "5\n");
  assert_reads (mount, "41/share-net", "1\n");
  assert_reads (mount, "41/mem", "100000\n");
  assert_reads (mount, "41/env", "LIBC_FATAL_STDERR_=1\nA=1\n");
  g_autoptr (CommandResult) second = shell ("isolate --cg -b 41 --run -- /bin/true");
  g_assert_cmpint (second->status, ==, 0);
  assert_reads (mount, "41/processes", "1\n");
  assert_reads (mount, "41/share-net", "0\n");
  assert_reads (mount, "41/time", "unlimited\n");
  assert_reads (mount, "41/mem", "unlimited\n");
  assert_reads (mount, "41/fsize", "unlimited\n");
  assert_reads (mount, "41/open-files", "64\n");
  assert_reads (mount, "41/env", "LIBC_FATAL_STDERR_=1\n");
  assert_reads (mount, "41/dirs", "/etc=\n");

  /* --init on an existing box resets it (as isolate 2 does): box/ empties. */
  g_autofree char *file = g_build_filename (workdir, "box", "left", NULL);
  write_file (file, "x");
  g_autoptr (CommandResult) again = shell ("isolate --cg -b 41 --init");
  g_assert_cmpint (again->status, ==, 0);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  g_autoptr (CommandResult) cleanup = shell ("isolate --cg -b 41 --cleanup");
  g_assert_cmpint (cleanup->status, ==, 0);
  /* Twice: nothing to do is not an error. */
  g_autoptr (CommandResult) twice = shell ("isolate --cg -b 41 --cleanup");
  g_assert_cmpint (twice->status, ==, 0);
}

/* A run asks of the daemon only what it needs (issue 20): the settings in
 * one write, the box's stdin only when the program reads it, stdout and
 * stderr only when they hold something. What that must not change: */
static void
test_requests (void)
{
  if (!require_mount ())
    return;
  g_autoptr (CommandResult) init = shell ("isolate -b 43 --init");
  g_assert_cmpint (init->status, ==, 0);
  g_autofree char *workdir = g_strchomp (g_strdup (init->out));
  g_autofree char *in = g_build_filename (workdir, "box", "in.txt", NULL);
  write_file (in, "from the file\n");

  /* With -i the box's stdin file is not the program's, and stays as it was. */
  g_assert_cmpint (put (mount, "43/stdin", "kept\n"), ==, 0);
  g_autoptr (CommandResult) with_file = shell ("isolate -s -b 43 -i in.txt --run -- /bin/cat");
  g_assert_cmpint (with_file->status, ==, 0);
  g_assert_cmpstr (with_file->out, ==, "from the file\n");
  assert_reads (mount, "43/stdin", "kept\n");
  /* Without -i, an empty input empties it. */
  g_autoptr (CommandResult) empty = shell ("isolate -s -b 43 --run -- /bin/cat </dev/null");
  g_assert_cmpint (empty->status, ==, 0);
  g_assert_cmpstr (empty->out, ==, "");
  assert_reads (mount, "43/stdin", "");
  g_autoptr (CommandResult) piped = shell ("echo piped | isolate -s -b 43 --run -- /bin/cat");
  g_assert_cmpstr (piped->out, ==, "piped\n");
  /* An empty output after one that was not: nothing of the old one. */
  g_autoptr (CommandResult) quiet = shell ("isolate -s -b 43 --run -- /bin/true </dev/null");
  g_assert_cmpstr (quiet->out, ==, "");
  g_assert_cmpstr (quiet->err, ==, "");

  /* A value the daemon refuses is named, though all went in one write. */
  g_autoptr (CommandResult) refused = shell ("isolate -b 43 -t 2000000 --run -- /bin/true");
  g_assert_cmpint (refused->status, ==, 2);
  assert_contains (refused->err, "Cannot set time to '2000000.000'");
  g_autoptr (CommandResult) cleanup = shell ("isolate -b 43 --cleanup");
  g_assert_cmpint (cleanup->status, ==, 0);
}

/* isolate's --quota at --init: blocks of 1 KiB bound box/; a later --init
 * without it takes the quota away. */
static void
test_quota (void)
{
  if (!require_mount ())
    return;
  g_autoptr (CommandResult) init = shell ("isolate --cg -b 42 -q 2048,100 --init");
  g_assert_cmpint (init->status, ==, 0);
  assert_reads (mount, "42/quota", "2048\n");
  g_autoptr (CommandResult) fill
      = shell ("isolate --cg -b 42 -p4 -f 100000 -t 5 --run -- /bin/sh -c 'cat /dev/zero > big'");
  g_assert_cmpint (fill->status, ==, 1);
  assert_contains (fill->err, "No space left on device");
  g_autofree char *workdir = g_strchomp (g_strdup (init->out));
  g_autofree char *big = g_build_filename (workdir, "box", "big", NULL);
  struct stat st;
  g_assert_cmpint (stat (big, &st), ==, 0);
  g_assert_cmpint (st.st_size, <=, 2048 * 1024);

  g_autoptr (CommandResult) again = shell ("isolate --cg -b 42 --init");
  g_assert_cmpint (again->status, ==, 0);
  assert_reads (mount, "42/quota", "unlimited\n");
  g_autoptr (CommandResult) cleanup = shell ("isolate --cg -b 42 --cleanup");
  g_assert_cmpint (cleanup->status, ==, 0);
}

static void
test_errors (void)
{
  if (!require_mount ())
    return;
  const struct
  {
    const char *line;
    const char *message;
  } usage[] = {
    { "isolate --bogus --init", "isolate: unrecognized option '--bogus'\n" },
    { "isolate -b 1", "Please specify an isolate command (e.g. --init, --run).\n" },
    { "isolate --run -b 1", "--run mode requires a command to run\n" },
    { "isolate --init --cleanup", "Only one command is allowed.\n" },
    { "isolate -b x --init", "Invalid numeric parameter: x\n" },
    { "isolate --cg-mem=5 --init", "Options related to control groups require --cg to be set.\n" },
  };
  /* As isolate's: the complaint on stderr, the usage on stdout. */
  for (guint i = 0; i < G_N_ELEMENTS (usage); i++)
    {
      g_autoptr (CommandResult) r = shell (usage[i].line);
      g_assert_cmpint (r->status, ==, 2);
      g_assert_cmpstr (r->err, ==, usage[i].message);
      g_assert_true (g_str_has_prefix (r->out, "Usage: isolate [<options>] <command>\n"));
    }

  /* Errors of the sandbox: status XX in the meta file, exit status 2. */
  g_autofree char *meta_path = g_build_filename (mount->tmp_dir, "xx.meta", NULL);
  g_autofree char *no_box
      = g_strdup_printf ("isolate -s -b 49 -M %s --run -- /bin/true", meta_path);
  g_autoptr (CommandResult) r = shell (no_box);
  g_assert_cmpint (r->status, ==, 2);
  assert_contains (r->err, "Box directory not found, did you run `isolate --init'?");
  g_autofree char *meta = read_file (meta_path);
  g_assert_cmpstr (meta, ==,
                   "status:XX\nmessage:Box directory not found, did you run `isolate --init'?\n");

  g_autoptr (CommandResult) not_mounted
      = shell ("MINI_ISOLATE_ROOT=/nonexistent isolate -b 1 --init");
  g_assert_cmpint (not_mounted->status, ==, 2);
  assert_contains (not_mounted->err, "/nonexistent");
  /* The hint names what compat has: no --root, as isolate has none. */
  assert_contains (not_mounted->err, "give the mount point in MINI_ISOLATE_ROOT");
  g_assert_null (strstr (not_mounted->err, "--root"));

  g_autoptr (CommandResult) bad_meta = shell ("isolate -b 1 -M /nonexistent/dir/meta --init");
  g_assert_cmpint (bad_meta->status, ==, 2);
  assert_contains (bad_meta->err, "/nonexistent/dir/meta");

  g_autoptr (CommandResult) version = shell ("isolate --version");
  g_assert_cmpint (version->status, ==, 0);
  assert_contains (version->out, "1.10.1");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compat/errors", test_errors);
  g_test_add_func ("/compat/stdio", test_stdio);
  g_test_add_func ("/compat/settings-reset", test_settings_reset);
  g_test_add_func ("/compat/requests", test_requests);
  g_test_add_func ("/compat/quota", test_quota);
  int status = g_test_run ();
  compat_fixture_tear_down ();
  return status;
}
