/* The source file: compile and run a program through plain file operations,
 * and the daemon-wide .languages file (issue 5). */
#include "mount_fixture.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char hello_c[] = "#include <stdio.h>\n"
                              "int main (void) { puts (\"Hello World\"); return 0; }\n";

/* Languages of the tests' own, for what the shipped table cannot show
 * quickly and surely: a compile that lasts, one that spins, a toolchain
 * that is missing, a run that needs processes. */
static const char test_languages[] = "[Slow]\n"
                                     "extensions=slow;\n"
                                     "compile=sleep 30\n"
                                     "compile_wall_time=60\n"
                                     "run=echo ran\n"
                                     "\n"
                                     "[Spin]\n"
                                     "extensions=spin;\n"
                                     "compile=sh -c 'while :; do :; done'\n"
                                     "compile_time=0.3\n"
                                     "run=echo ran\n"
                                     "\n"
                                     "[Missing]\n"
                                     "extensions=missing;\n"
                                     "requires=no-such-compiler-anywhere\n"
                                     "run=echo ran\n"
                                     "\n"
                                     "[Forks]\n"
                                     "extensions=forks;\n"
                                     "compile=sh -c 'true & true & wait'\n"
                                     "compile_processes=4\n"
                                     "run=sh -c 'true & true & wait; echo forked'\n"
                                     "run_processes=4\n";

/* The first box uid (and gid) of the mounts with the test languages. */
#define TEST_UID 64321

/* Puts a file into box b's box/ directly (as its owner, root, would). */
static void
put_in_box (const Mount *mount, const char *name, const char *text)
{
  g_autofree char *relative = g_build_filename ("b", "box", name, NULL);
  g_autofree char *path = mount_path (mount, relative);
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
}

static gboolean
in_box (const Mount *mount, const char *name)
{
  g_autofree char *relative = g_build_filename ("b", "box", name, NULL);
  g_autofree char *path = mount_path (mount, relative);
  struct stat st;
  return lstat (path, &st) == 0;
}

/* Writes source and waits for the chain's end: the status. */
static char *
run_source (const Mount *mount, const char *name)
{
  g_assert_cmpint (put (mount, "b/source", name), ==, 0);
  char *status = get (mount, "b/status");
  g_assert_nonnull (status);
  g_assert_true (g_str_has_prefix (status, "state:done\n"));
  return status;
}

static Mount *
mount_with_test_languages (void)
{
  g_autofree char *dir = g_dir_make_tmp ("isolatefs-test-languages-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "languages.conf", NULL);
  g_assert_true (g_file_set_contents (path, test_languages, -1, NULL));
  /* Uids of their own: other test suites on the machine use the default range. */
  g_autofree char *options
      = g_strdup_printf ("languages=%s,first_uid=%u,first_gid=%u", path, TEST_UID, TEST_UID);
  Mount *mount = mount_new (options);
  /* The daemon read it at start. */
  g_unlink (path);
  g_rmdir (dir);
  g_assert_cmpint (make_box (mount, "b"), ==, 0);
  return mount;
}

static void
test_hello_c (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  put_in_box (mount, "hello.c", hello_c);
  g_autofree char *status = run_source (mount, "hello.c\n");
  g_test_message ("%s", status);
  g_assert_true (g_str_has_prefix (status, "state:done\nstage:run\ntime:"));
  g_assert_nonnull (strstr (status, "\nexitcode:0\n"));
  g_assert_null (strstr (status, "\nstatus:"));
  assert_reads (mount, "b/stdout", "Hello World\n");
  assert_reads (mount, "b/stderr", "");
  assert_reads (mount, "b/source", "hello.c\n");
  assert_reads (mount, "b/cmd", "'./hello'\n");
  g_assert_true (in_box (mount, "hello"));

  /* The box's limits are its own again: the compile's were for the compile only. */
  assert_reads (mount, "b/mem", "262144\n");
  assert_reads (mount, "b/time", "1.000\n");
  assert_reads (mount, "b/processes", "1\n");

  /* A plain cmd run afterwards has no stage. */
  g_assert_cmpint (put (mount, "b/cmd", "./hello"), ==, 0);
  g_autofree char *again = get (mount, "b/status");
  g_assert_true (g_str_has_prefix (again, "state:done\ntime:"));
  assert_reads (mount, "b/stdout", "Hello World\n");
  assert_reads (mount, "b/source", "hello.c\n");
}

static void
test_compile_error (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  put_in_box (mount, "bad.c", "int main (void) { return undeclared_thing; }\n");
  g_autofree char *status = run_source (mount, "bad.c");
  g_test_message ("%s", status);
  g_assert_true (g_str_has_prefix (status, "state:done\nstage:compile\n"));
  g_assert_nonnull (
      strstr (status, "\nexitcode:1\nstatus:RE\nmessage:Exited with error status 1\n"));
  g_autofree char *err = get (mount, "b/stderr");
  g_assert_nonnull (strstr (err, "undeclared_thing"));
  g_assert_nonnull (strstr (err, "error"));
  assert_reads (mount, "b/stdout", "");
  /* Nothing ran: no program was made. */
  g_assert_false (in_box (mount, "bad"));
  assert_reads (mount, "b/cmd", "gcc -O2 -std=gnu17 -o './bad' 'bad.c' -lm\n");
}

static void
test_runtime_error (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  put_in_box (mount, "three.c",
              "#include <stdio.h>\nint main (void) { puts (\"before\"); return 3; }\n");
  g_autofree char *status = run_source (mount, "three.c");
  g_assert_true (g_str_has_prefix (status, "state:done\nstage:run\n"));
  g_assert_nonnull (
      strstr (status, "\nexitcode:3\nstatus:RE\nmessage:Exited with error status 3\n"));
  assert_reads (mount, "b/stdout", "before\n");

  /* A signal, with the box's own limits for the run. */
  put_in_box (mount, "segv.c", "int main (void) { return *(volatile int *) 0; }\n");
  g_autofree char *segv = run_source (mount, "segv.c");
  g_assert_true (g_str_has_prefix (segv, "state:done\nstage:run\n"));
  g_assert_nonnull (strstr (segv, "\nexitsig:11\nstatus:SG\n"));
}

static void
test_hello_py (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  put_in_box (mount, "hello.py", "print('Hello World')\n");
  g_autofree char *status = run_source (mount, "hello.py");
  g_assert_true (g_str_has_prefix (status, "state:done\nstage:run\n"));
  g_assert_null (strstr (status, "\nstatus:"));
  assert_reads (mount, "b/stdout", "Hello World\n");
  assert_reads (mount, "b/cmd", "python3 'hello.py'\n");

  /* A syntax error is the run's: Python has no compile step. */
  put_in_box (mount, "broken.py", "print('unclosed'\n");
  g_autofree char *broken = run_source (mount, "broken.py");
  g_assert_true (g_str_has_prefix (broken, "state:done\nstage:run\n"));
  g_assert_nonnull (strstr (broken, "\nstatus:RE\n"));
  g_autofree char *err = get (mount, "b/stderr");
  g_assert_nonnull (strstr (err, "SyntaxError"));
}

static void
test_shebang_without_extension (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  put_in_box (mount, "script", "#!/usr/bin/env python3\nimport sys\nprint(sys.version_info[0])\n");
  g_autofree char *status = run_source (mount, "script");
  g_assert_null (strstr (status, "\nstatus:"));
  assert_reads (mount, "b/stdout", "3\n");
  assert_reads (mount, "b/cmd", "python3 'script'\n");

  put_in_box (mount, "shell-script", "#!/bin/sh -e\necho \"from $0\"\n");
  g_autofree char *shell = run_source (mount, "shell-script");
  g_assert_null (strstr (shell, "\nstatus:"));
  assert_reads (mount, "b/stdout", "from shell-script\n");

  /* No extension, no #! line: nothing to go by. */
  put_in_box (mount, "plain", "echo hi\n");
  g_assert_cmpint (put (mount, "b/source", "plain"), ==, EINVAL);
  put_in_box (mount, "perl", "#!/usr/bin/perl\nprint 1;\n");
  g_assert_cmpint (put (mount, "b/source", "perl"), ==, EINVAL);
  /* A refused write starts nothing. */
  assert_reads (mount, "b/source", "shell-script\n");
}

static void
test_stdin_goes_to_the_program (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  put_in_box (mount, "upper.c",
              "#include <ctype.h>\n#include <stdio.h>\n"
              "int main (void) { int c; while ((c = getchar ()) != EOF) putchar (toupper (c)); "
              "return 0; }\n");
  g_assert_cmpint (put (mount, "b/stdin", "some input\nover two lines\n"), ==, 0);
  g_autofree char *status = run_source (mount, "upper.c");
  g_assert_null (strstr (status, "\nstatus:"));
  assert_reads (mount, "b/stdout", "SOME INPUT\nOVER TWO LINES\n");
  /* The compiler did not eat it: stdin is the program's alone. */
  assert_reads (mount, "b/stdin", "some input\nover two lines\n");
}

static void
test_symlink_is_refused (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_autofree char *link = mount_path (mount, "b/box/hello.c");
  g_assert_cmpint (symlink ("/etc/shadow", link), ==, 0);
  g_assert_cmpint (put (mount, "b/source", "hello.c"), ==, EINVAL);
  assert_reads (mount, "b/status", "state:idle\n");

  /* Had the daemon followed a link to read the #! line, this script would
   * be Shell and run; it is refused as a link. */
  g_autofree char *host_script = g_build_filename (mount->tmp_dir, "host-script", NULL);
  g_assert_true (g_file_set_contents (host_script, "#!/bin/sh\necho leaked\n", -1, NULL));
  g_autofree char *script_link = mount_path (mount, "b/box/script");
  g_assert_cmpint (symlink (host_script, script_link), ==, 0);
  g_assert_cmpint (put (mount, "b/source", "script"), ==, EINVAL);
  assert_reads (mount, "b/status", "state:idle\n");
  assert_reads (mount, "b/source", "");

  /* Nor through a directory: one name, no '/'. */
  g_assert_cmpint (put (mount, "b/source", "../b/box/hello.c"), ==, EINVAL);
  g_assert_cmpint (put (mount, "b/source", "sub/hello.c"), ==, EINVAL);
  g_assert_cmpint (put (mount, "b/source", ".."), ==, EINVAL);
  g_assert_cmpint (put (mount, "b/source", "/etc/passwd"), ==, EINVAL);
}

static void
test_fifo_is_refused_at_once (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_autofree char *fifo = mount_path (mount, "b/box/x.c");
  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  g_autofree char *fifo_script = mount_path (mount, "b/box/fifo-script");
  g_assert_cmpint (mkfifo (fifo_script, 0644), ==, 0);
  gint64 start = g_get_monotonic_time ();
  g_assert_cmpint (put (mount, "b/source", "x.c"), ==, EINVAL);
  /* Without an extension the daemon would read its #! line: not from a FIFO. */
  g_assert_cmpint (put (mount, "b/source", "fifo-script"), ==, EINVAL);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  assert_reads (mount, "b/status", "state:idle\n");

  /* A directory is no source either. */
  g_autofree char *dir = mount_path (mount, "b/box/d.c");
  g_assert_cmpint (mkdir (dir, 0755), ==, 0);
  g_assert_cmpint (put (mount, "b/source", "d.c"), ==, EINVAL);
}

static void
test_other_refusals (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_assert_cmpint (put (mount, "b/source", "nope.c"), ==, ENOENT);
  g_assert_cmpint (put (mount, "b/source", "\n"), ==, EINVAL);
  g_assert_cmpint (put (mount, "b/source", "  \n"), ==, EINVAL);
  g_assert_cmpint (put (mount, "b/source", "a.c\nb.c"), ==, EINVAL);
  put_in_box (mount, "-o.c", hello_c);
  g_assert_cmpint (put (mount, "b/source", "-o.c"), ==, EINVAL);
  put_in_box (mount, "x.unknown-extension", "int x;\n");
  g_assert_cmpint (put (mount, "b/source", "x.unknown-extension"), ==, EINVAL);

  /* A file of someone else's, in a box that is not root's. */
  put_in_box (mount, "hello.c", hello_c);
  g_autofree char *box_dir = mount_path (mount, "b");
  g_assert_cmpint (chown (box_dir, 12345, 12345), ==, 0);
  put_in_box (mount, "root.c", hello_c);
  g_assert_cmpint (put (mount, "b/source", "root.c"), ==, EINVAL);
  /* hello.c was handed to the new owner with the box: it is theirs. */
  g_autofree char *status = run_source (mount, "hello.c");
  g_assert_null (strstr (status, "\nstatus:"));
  assert_reads (mount, "b/stdout", "Hello World\n");
}

static void
test_languages_file (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_autofree char *text = get (mount, ".languages");
  g_assert_nonnull (text);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "language:C\nextensions:c\nshebang:\nrequires:gcc\n"
                                         "installed:1\ncompiled:1\n"));
  g_assert_nonnull (strstr (text, "\n\nlanguage:C++\n"));
  g_assert_nonnull (strstr (text, "\n\nlanguage:Python 3\nextensions:py\n"
                                  "shebang:python3 python\nrequires:python3\ninstalled:1\n"
                                  "compiled:0\ncompile:\nrun:python3 {source}\n"));
  g_assert_nonnull (strstr (text, "\n\nlanguage:Shell\n"));

  /* Read-only for everyone, root included; not a box. */
  g_autofree char *path = mount_path (mount, ".languages");
  struct stat st;
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode, ==, S_IFREG | 0444);
  g_assert_cmpuint (st.st_uid, ==, 0);
  g_assert_cmpint (put (mount, ".languages", "x"), ==, EACCES);
  g_assert_cmpint (open (path, O_RDWR), ==, -1);
  g_assert_cmpint (errno, ==, EACCES);
  g_assert_cmpint (truncate (path, 0), ==, -1);
  g_assert_cmpint (chmod (path, 0666), ==, -1);
  g_assert_cmpint (errno, ==, EPERM);
  g_assert_cmpint (unlink (path), ==, -1);
  g_assert_cmpint (rmdir (path), ==, -1);
  g_assert_cmpint (make_box (mount, ".languages"), ==, EEXIST);
  g_assert_cmpint (make_box (mount, ".other"), ==, EINVAL);
  g_autofree char *inside = mount_path (mount, ".languages/x");
  g_assert_cmpint (stat (inside, &st), ==, -1);
  g_assert_cmpint (errno, ==, ENOTDIR);

  /* ls lists boxes only; the file is there for whoever names it. */
  g_assert_cmpuint (count_entries (mount->mount_dir), ==, 1);
  g_autofree char *other = mount_path (mount, ".other");
  g_assert_cmpint (stat (other, &st), ==, -1);
  g_assert_cmpint (errno, ==, ENOENT);
  g_autofree char *root = mount_path (mount, "");
  g_assert_cmpint (stat (root, &st), ==, 0);
  g_assert_cmpuint (st.st_mode, ==, S_IFDIR | S_ISVTX | 0777);
}

static void
test_busy_kill_and_rmdir_during_compile (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_with_test_languages ();
  put_in_box (mount, "a.slow", "");
  g_assert_cmpint (put (mount, "b/source", "a.slow"), ==, 0);
  g_autofree char *status_path = mount_path (mount, "b/status");

  /* state:running for the whole chain, with the step; writes get EBUSY. */
  int nonblocking = open (status_path, O_RDONLY | O_NONBLOCK);
  char buffer[256];
  gssize n = read (nonblocking, buffer, sizeof buffer - 1);
  close (nonblocking);
  g_assert_cmpint (n, >, 0);
  buffer[n] = '\0';
  g_assert_cmpstr (buffer, ==, "state:running\nstage:compile\n");
  g_assert_cmpint (put (mount, "b/source", "a.slow"), ==, EBUSY);
  g_assert_cmpint (put (mount, "b/cmd", "/bin/true"), ==, EBUSY);
  g_assert_cmpint (put (mount, "b/ctl", "reset"), ==, EBUSY);
  assert_reads (mount, "b/cmd", "sleep 30\n");

  /* kill stops the chain: the run step never comes. */
  int polled = open (status_path, O_RDONLY);
  struct pollfd pfd = { .fd = polled, .events = POLLIN };
  g_assert_cmpint (poll (&pfd, 1, 0), ==, 0);
  g_assert_cmpint (put (mount, "b/ctl", "kill"), ==, 0);
  g_assert_cmpint (poll (&pfd, 1, 5000), ==, 1);
  close (polled);
  g_autofree char *status = get (mount, "b/status");
  g_assert_true (g_str_has_prefix (status, "state:done\nstage:compile\n"));
  g_assert_nonnull (strstr (status, "\nkilled:1\nstatus:SG\nmessage:Killed by ctl\n"));
  assert_reads (mount, "b/stdout", "");
  assert_reads (mount, "b/cmd", "sleep 30\n");

  /* rmdir during a compile leaves nothing. */
  g_assert_cmpint (put (mount, "b/source", "a.slow"), ==, 0);
  g_usleep (100 * 1000);
  uid_t uid = TEST_UID;
  g_assert_cmpint (remove_box (mount, "b"), ==, 0);
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  for (const char *name; (name = g_dir_read_name (proc)) != NULL;)
    if (g_ascii_isdigit (name[0]))
      g_assert_cmpint (process_uid (name), !=, uid);
  g_autofree char *cgroup = mount_cgroup_path (mount, "pids", "b");
  g_assert_false (g_file_test (cgroup, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_entries (mount->mount_dir), ==, 0);
}

static void
test_compile_limits_and_run_processes (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_with_test_languages ();

  /* compile_time=0.3, the box's time 1: the compile is cut at 0.3 s. */
  put_in_box (mount, "a.spin", "");
  g_autofree char *spin = run_source (mount, "a.spin");
  g_test_message ("%s", spin);
  g_assert_true (g_str_has_prefix (spin, "state:done\nstage:compile\n"));
  g_assert_nonnull (strstr (spin, "\nstatus:TO\nmessage:Time limit exceeded\n"));
  g_assert_nonnull (strstr (spin, "\ntime:0.3"));
  assert_reads (mount, "b/time", "1.000\n");

  /* The box allows one process; the compile gets 4, the run 4 too
   * (run_processes), a plain run 1. */
  put_in_box (mount, "a.forks", "");
  g_autofree char *forks = run_source (mount, "a.forks");
  g_test_message ("%s", forks);
  g_assert_null (strstr (forks, "\nstatus:"));
  assert_reads (mount, "b/stdout", "forked\n");
  assert_reads (mount, "b/processes", "1\n");
  g_assert_cmpint (put (mount, "b/cmd", "sh -c 'true & true & wait; echo forked'"), ==, 0);
  g_autofree char *plain = get (mount, "b/status");
  g_assert_null (strstr (plain, "\nstage:"));
  g_autofree char *err = get (mount, "b/stderr");
  g_assert_nonnull (strstr (err, "fork"));

  /* A language whose toolchain is missing. */
  put_in_box (mount, "a.missing", "");
  g_assert_cmpint (put (mount, "b/source", "a.missing"), ==, ENOPKG);
  /* Only what the test table holds. */
  g_autofree char *languages = get (mount, ".languages");
  g_assert_true (g_str_has_prefix (languages, "language:Slow\n"));
  g_assert_nonnull (strstr (languages, "language:Missing\n"));
  g_assert_nonnull (strstr (languages, "requires:no-such-compiler-anywhere\ninstalled:0\n"));
  g_assert_null (strstr (languages, "language:C\n"));
  put_in_box (mount, "hello.c", hello_c);
  g_assert_cmpint (put (mount, "b/source", "hello.c"), ==, EINVAL);
}

/* A languages table named but missing or broken stops the daemon before it
 * touches anything, saying what to do (rather than every source write
 * answering EIO later). */
static void
test_broken_languages_table_refused (void)
{
  if (!mount_require_root ())
    return;
  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-test-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (tmp, "state", NULL);
  g_autofree char *broken = g_build_filename (tmp, "languages.conf", NULL);
  g_assert_true (g_file_set_contents (broken, "[C]\nextensions=c;\n", -1, NULL));
  const char *tables[] = { "/nonexistent/languages.conf", broken };
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *options = g_strdup_printf ("languages=%s,state_dir=%s", tables[i], state);
      const char *args[] = { "-f", "-o", options, tmp, NULL };
      g_autofree char *err = NULL;
      g_assert_cmpint (run_isolatefs_expecting_failure (args, &err), ==, 1);
      g_test_message ("%s", err);
      g_assert_nonnull (strstr (err, tables[i]));
      g_assert_nonnull (strstr (err, "drop the languages setting to use the built-in table"));
      g_assert_false (g_file_test (state, G_FILE_TEST_EXISTS));
    }
  g_assert_no_errno (g_unlink (broken));
  g_assert_no_errno (g_rmdir (tmp));
}

static void
test_source_persists (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  g_assert_cmpint (make_box (mount, "b"), ==, 0);
  put_in_box (mount, "hello.py", "print('Hello World')\n");
  g_autofree char *status = run_source (mount, "hello.py");
  mount_restart (mount);
  assert_reads (mount, "b/source", "hello.py\n");
  assert_reads (mount, "b/cmd", "python3 'hello.py'\n");
  g_autofree char *again = run_source (mount, "hello.py");
  assert_reads (mount, "b/stdout", "Hello World\n");
}

static void
test_examples_run (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  assert_examples_run (mount, "examples/compile_demo.sh", "examples/compile_demo.py");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn)                                                                              \
  g_test_add (path, BoxFixture, NULL, box_fixture_set_up, fn, box_fixture_tear_down)
  ADD ("/source/hello-c", test_hello_c);
  ADD ("/source/compile-error", test_compile_error);
  ADD ("/source/runtime-error", test_runtime_error);
  ADD ("/source/hello-py", test_hello_py);
  ADD ("/source/shebang-without-extension", test_shebang_without_extension);
  ADD ("/source/stdin-goes-to-the-program", test_stdin_goes_to_the_program);
  ADD ("/source/symlink-is-refused", test_symlink_is_refused);
  ADD ("/source/fifo-is-refused-at-once", test_fifo_is_refused_at_once);
  ADD ("/source/other-refusals", test_other_refusals);
  ADD ("/source/languages-file", test_languages_file);
#undef ADD
  g_test_add_func ("/source/busy-kill-and-rmdir-during-compile",
                   test_busy_kill_and_rmdir_during_compile);
  g_test_add_func ("/source/compile-limits-and-run-processes",
                   test_compile_limits_and_run_processes);
  g_test_add_func ("/source/broken-languages-table-refused", test_broken_languages_table_refused);
  g_test_add_func ("/source/persists", test_source_persists);
  g_test_add_func ("/source/examples-run", test_examples_run);
  return g_test_run ();
}
