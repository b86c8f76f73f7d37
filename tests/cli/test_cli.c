/* The mini-isolate command, run as a user would, against a mount of its own. */

#include "tests/integration/command_result.h"
#include "tests/integration/mount_fixture.h"

#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* One mount for the whole program, made when a test first needs it. */
static Mount *mount;
static const char *mount_dir;
static const char *tmp_dir;

static const char *
env_path (const char *name)
{
  const char *value = g_getenv (name);
  g_assert_nonnull (value);
  return value;
}

/* FALSE (the test skipped) without root or /dev/fuse. */
static gboolean
require_mount (void)
{
  if (!mount_require_root ())
    return FALSE;
  if (mount == NULL)
    {
      mount = mount_new (NULL);
      mount_dir = mount->mount_dir;
      tmp_dir = mount->tmp_dir;
    }
  return TRUE;
}

static void
unmount (void)
{
  g_clear_pointer (&mount, mount_free);
}

/* ---- running the command ---- */

/* Runs mini-isolate with the NULL-terminated arguments, input on its stdin,
 * and $MINI_ISOLATE_ROOT set to the test's mount. */
static CommandResult *
cli_with_input (const char *input, const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) env_path ("MINI_ISOLATE"));
  va_list args;
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_autoptr (GSubprocessLauncher) launcher
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                   | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "MINI_ISOLATE_ROOT", mount_dir ? mount_dir : "", TRUE);
  return command_run (launcher, (const char *const *) argv->pdata, input);
}

#define cli(...) cli_with_input (NULL, __VA_ARGS__, NULL)

/* A user other than root, whom the configured maximums bind. */
#define STUDENT 61502

static void
become_student (gpointer data)
{
  if (setresgid (STUDENT, STUDENT, STUDENT) != 0 || setresuid (STUDENT, STUDENT, STUDENT) != 0)
    _exit (126);
}

/* mini-isolate run as STUDENT on the mount at root. */
static CommandResult *
cli_as_student (const char *root, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) env_path ("MINI_ISOLATE"));
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, (gpointer) *args);
  g_ptr_array_add (argv, NULL);
  g_autoptr (GSubprocessLauncher) launcher
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                   | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "MINI_ISOLATE_ROOT", root, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, become_student, NULL, NULL);
  return command_run (launcher, (const char *const *) argv->pdata, NULL);
}
#define cli_in(input, ...) cli_with_input (input, __VA_ARGS__, NULL)

static char *
data (const char *name)
{
  return g_build_filename (env_path ("CLI_TEST_DATA"), name, NULL);
}

static char *
box_file (const char *box, const char *file)
{
  g_autofree char *path = g_build_filename (mount_dir, box, file, NULL);
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
assert_contains (const char *text, const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("'%s' does not contain '%s'", text, part);
}

static void
init_box (const char *box, const char *processes)
{
  g_autoptr (CommandResult) r
      = cli ("init", "--box-id", box, "--mem", "128", "--time", "10", "--processes", processes);
  g_assert_cmpint (r->status, ==, 0);
}

static void
cleanup_box (const char *box)
{
  g_autoptr (CommandResult) r = cli ("cleanup", "--box-id", box);
  g_assert_cmpint (r->status, ==, 0);
}

/* ---- tests ---- */

/* The seed's example, word for word. */
static void
test_seed_example (void)
{
  if (!require_mount ())
    return;
  g_autoptr (CommandResult) init
      = cli ("init", "--box-id", "0", "--mem", "128", "--time", "10", "--processes", "1");
  g_assert_cmpint (init->status, ==, 0);
  g_autofree char *mem = box_file ("0", "mem");
  g_autofree char *time = box_file ("0", "time");
  g_autofree char *processes = box_file ("0", "processes");
  g_assert_cmpstr (mem, ==, "131072\n");
  g_assert_cmpstr (time, ==, "10.000\n");
  g_assert_cmpstr (processes, ==, "1\n");

  g_autoptr (CommandResult) run = cli ("run", "--box-id", "0", "echo Hello World");
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->out, ==, "Hello World\n");
  g_assert_true (g_str_has_prefix (run->err, "OK ("));
  g_assert_true (g_str_has_suffix (run->err, " sec wall)\n"));

  g_autoptr (CommandResult) cleanup = cli ("cleanup", "--box-id", "0");
  g_assert_cmpint (cleanup->status, ==, 0);
  g_autofree char *path = g_build_filename (mount_dir, "0", NULL);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_run_stdin (void)
{
  if (!require_mount ())
    return;
  init_box ("in", "1");
  g_autofree char *input = data ("sum.in");
  g_autoptr (CommandResult) r = cli ("run", "--box-id", "in", "--stdin", input, "cat");
  g_assert_cmpint (r->status, ==, 0);
  g_assert_cmpstr (r->out, ==, "3 4\n");

  g_autoptr (CommandResult) piped
      = cli_in ("from our stdin\n", "run", "--box-id", "in", "--stdin", "-", "cat");
  g_assert_cmpint (piped->status, ==, 0);
  g_assert_cmpstr (piped->out, ==, "from our stdin\n");

  /* Without --stdin the program reads nothing. */
  g_autoptr (CommandResult) empty = cli ("run", "--box-id", "in", "cat");
  g_assert_cmpint (empty->status, ==, 0);
  g_assert_cmpstr (empty->out, ==, "");

  /* Several arguments are quoted and joined. */
  g_autoptr (CommandResult) words
      = cli ("run", "--box-id", "in", "--", "sh", "-c", "echo \"$0\" x", "a b");
  g_assert_cmpint (words->status, ==, 0);
  g_assert_cmpstr (words->out, ==, "a b x\n");
  cleanup_box ("in");
}

static void
test_run_failures (void)
{
  if (!require_mount ())
    return;
  g_autoptr (CommandResult) init = cli ("init", "--box-id", "re", "--wall-time", "0.5");
  g_assert_cmpint (init->status, ==, 0);
  g_autoptr (CommandResult) re
      = cli ("run", "--box-id", "re", "sh -c 'echo out; echo err >&2; exit 3'");
  g_assert_cmpint (re->status, ==, 1);
  g_assert_cmpstr (re->out, ==, "out\n");
  g_assert_true (g_str_has_prefix (re->err, "err\nRuntime error: Exited with error status 3 ("));

  g_autoptr (CommandResult) sg = cli ("run", "--box-id", "re", "sh -c 'kill -SEGV $$'");
  g_assert_cmpint (sg->status, ==, 1);
  assert_contains (sg->err, "Runtime error: Caught fatal signal 11 (");

  g_autoptr (CommandResult) to = cli ("run", "--box-id", "re", "sh -c 'while :; do :; done'");
  g_assert_cmpint (to->status, ==, 1);
  g_assert_true (g_str_has_prefix (to->err, "Time limit exceeded (wall clock) ("));

  /* As isolate: a program that cannot be executed exits 127. */
  g_autoptr (CommandResult) missing = cli ("run", "--box-id", "re", "./does-not-exist");
  g_assert_cmpint (missing->status, ==, 1);
  g_assert_true (g_str_has_prefix (missing->err,
                                   "execve(\"./does-not-exist\"): No such file or directory\n"
                                   "Runtime error: Exited with error status 127 ("));

  /* A sandbox that cannot be set up is an internal error. */
  g_assert_cmpint (put (mount, "re/chdir", "/does-not-exist"), ==, 0);
  g_autoptr (CommandResult) xx = cli ("run", "--box-id", "re", "/bin/true");
  g_assert_cmpint (xx->status, ==, 2);
  assert_contains (xx->err, "Internal error: cannot enter /does-not-exist");

  g_autoptr (CommandResult) status = cli ("status", "--box-id", "re");
  g_assert_cmpint (status->status, ==, 0);
  assert_contains (status->out, "state:done\n");
  assert_contains (status->out, "status:XX\n");
  cleanup_box ("re");
}

static void
test_status_and_list (void)
{
  if (!require_mount ())
    return;
  init_box ("list-b", "1");
  init_box ("list-a", "1");
  g_autoptr (CommandResult) list = cli ("list");
  g_assert_cmpint (list->status, ==, 0);
  g_assert_cmpstr (list->out, ==, "list-a\nlist-b\n");

  g_autoptr (CommandResult) idle = cli ("status", "--box-id", "list-a");
  g_assert_cmpint (idle->status, ==, 0);
  g_assert_cmpstr (idle->out, ==, "state:idle\n");

  g_autoptr (CommandResult) run = cli ("run", "--box-id", "list-a", "true");
  g_assert_cmpint (run->status, ==, 0);
  g_autoptr (CommandResult) done = cli ("status", "--box-id", "list-a", "--no-wait");
  g_assert_cmpint (done->status, ==, 0);
  g_assert_true (g_str_has_prefix (done->out, "state:done\n"));
  assert_contains (done->out, "\nexitcode:0\n");

  /* --root overrides $MINI_ISOLATE_ROOT. */
  g_autoptr (CommandResult) rooted = cli_with_input (NULL, "list", "--root", mount_dir, NULL);
  g_assert_cmpstr (rooted->out, ==, "list-a\nlist-b\n");

  cleanup_box ("list-a");
  cleanup_box ("list-b");
  g_autoptr (CommandResult) none = cli ("list");
  g_assert_cmpint (none->status, ==, 0);
  g_assert_cmpstr (none->out, ==, "");
}

/* execute FILE in a fresh box like the seed's (processes 1, 128 MB): the
 * compile limits must be temporary. */
static CommandResult *
execute (const char *file, const char *input_file)
{
  init_box ("x", "1");
  g_autofree char *source = data (file);
  g_autofree char *input = input_file ? data (input_file) : NULL;
  CommandResult *r = input ? cli ("execute", "--box-id", "x", "--source", source, "--stdin", input)
                           : cli ("execute", "--box-id", "x", "--source", source);
  g_autofree char *processes = box_file ("x", "processes");
  g_autofree char *mem = box_file ("x", "mem");
  g_assert_cmpstr (processes, ==, "1\n");
  g_assert_cmpstr (mem, ==, "131072\n");
  cleanup_box ("x");
  return r;
}

static void
test_execute_hello (void)
{
  if (!require_mount ())
    return;
  const struct
  {
    const char *file;
    const char *out;
  } cases[] = {
    { "hello.c", "Hello from C\n" },
    { "hello.cpp", "Hello from C++\n" },
    { "hello.py", "Hello from Python\n" },
    { "hello.sh", "Hello from sh\n" },
    { "script", "Hello from a script without extension\n" },
    { "pyscript", "Hello from env python3\n" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (CommandResult) r = execute (cases[i].file, NULL);
      g_assert_cmpint (r->status, ==, 0);
      g_assert_cmpstr (r->out, ==, cases[i].out);
      g_assert_true (g_str_has_prefix (r->err, "OK ("));
    }
}

static void
test_execute_stdin (void)
{
  if (!require_mount ())
    return;
  const char *const files[] = { "sum.c", "sum.cpp", "sum.py", "sum.sh" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr (CommandResult) r = execute (files[i], "sum.in");
      g_assert_cmpint (r->status, ==, 0);
      g_assert_cmpstr (r->out, ==, "7\n");
    }
}

static void
test_compile_error (void)
{
  if (!require_mount ())
    return;
  const char *const files[] = { "broken.c", "broken.cpp" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr (CommandResult) r = execute (files[i], NULL);
      g_assert_cmpint (r->status, ==, 1);
      g_assert_cmpstr (r->out, ==, "");
      assert_contains (r->err, "undeclared_variable");
      assert_contains (r->err, "\nCompilation failed: Exited with error status 1 (");
    }
  /* Python has no compile step: a syntax error is the program's failure. */
  g_autoptr (CommandResult) py = execute ("broken.py", NULL);
  g_assert_cmpint (py->status, ==, 1);
  assert_contains (py->err, "SyntaxError");
  assert_contains (py->err, "\nRuntime error: Exited with error status 1 (");
}

static void
test_runtime_error (void)
{
  if (!require_mount ())
    return;
  g_autoptr (CommandResult) c = execute ("crash.c", NULL);
  g_assert_cmpint (c->status, ==, 1);
  g_assert_true (
      g_str_has_prefix (c->err, "about to fail\nRuntime error: Exited with error status 3 ("));

  g_autoptr (CommandResult) cpp = execute ("crash.cpp", NULL);
  g_assert_cmpint (cpp->status, ==, 1);
  assert_contains (cpp->err, "runtime failure in C++");
  assert_contains (cpp->err, "Runtime error: Caught fatal signal 6 (");

  g_autoptr (CommandResult) py = execute ("crash.py", NULL);
  g_assert_cmpint (py->status, ==, 1);
  assert_contains (py->err, "ValueError: runtime failure in python");
  assert_contains (py->err, "Runtime error: Exited with error status 1 (");

  g_autoptr (CommandResult) sh = execute ("crash.sh", NULL);
  g_assert_cmpint (sh->status, ==, 1);
  assert_contains (sh->err, "failing\nRuntime error: Exited with error status 4 (");
}

static void
test_errors (void)
{
  if (!require_mount ())
    return;
  /* Not mounted: a plain directory, then a missing one. */
  g_autofree char *plain = g_build_filename (tmp_dir, "plain", NULL);
  g_assert_cmpint (g_mkdir (plain, 0755), ==, 0);
  g_autoptr (CommandResult) unmounted = cli ("list", "--root", plain);
  g_assert_cmpint (unmounted->status, ==, 2);
  assert_contains (unmounted->err, "is not mounted");
  g_autofree char *missing = g_build_filename (tmp_dir, "missing", NULL);
  g_autoptr (CommandResult) absent = cli ("run", "--root", missing, "--box-id", "0", "true");
  g_assert_cmpint (absent->status, ==, 2);
  assert_contains (absent->err, "does not exist: isolatefs is not mounted there");
  g_assert_cmpint (g_rmdir (plain), ==, 0);

  /* No such box. */
  const char *const commands[] = { "run", "status", "cleanup" };
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr (CommandResult) r = i == 0 ? cli (commands[i], "--box-id", "nope", "true")
                                           : cli (commands[i], "--box-id", "nope");
      g_assert_cmpint (r->status, ==, 2);
      assert_contains (r->err, "box nope does not exist");
    }
  g_autofree char *hello = data ("hello.c");
  g_autoptr (CommandResult) exec_nope = cli ("execute", "--box-id", "nope", "--source", hello);
  g_assert_cmpint (exec_nope->status, ==, 2);
  assert_contains (exec_nope->err, "box nope does not exist");

  /* Values refused: the box is not left half made. */
  g_autoptr (CommandResult) zero = cli ("init", "--box-id", "bad", "--mem", "0");
  g_assert_cmpint (zero->status, ==, 2);
  assert_contains (zero->err, "mem: value refused (Invalid argument");
  g_autoptr (CommandResult) word = cli ("init", "--box-id", "bad", "--processes", "many");
  g_assert_cmpint (word->status, ==, 2);
  assert_contains (word->err, "processes: value refused (Invalid argument");
  g_autoptr (CommandResult) list = cli ("list");
  g_assert_cmpstr (list->out, ==, "");

  g_autoptr (CommandResult) bad_name = cli ("init", "--box-id", "a/b");
  g_assert_cmpint (bad_name->status, ==, 2);
  g_autoptr (CommandResult) dot_name = cli ("init", "--box-id", ".x");
  g_assert_cmpint (dot_name->status, ==, 2);
  assert_contains (dot_name->err, "invalid box id");

  init_box ("e", "1");
  g_autoptr (CommandResult) twice = cli ("init", "--box-id", "e");
  g_assert_cmpint (twice->status, ==, 2);
  assert_contains (twice->err, "box e already exists (remove it with `mini-isolate cleanup");
  /* Another user's box is not ours to clean up: the message says whose. */
  g_autofree char *theirs = g_build_filename (mount_dir, "theirs", NULL);
  g_assert_cmpint (g_mkdir (theirs, 0755), ==, 0);
  g_assert_cmpint (chown (theirs, 61234, 61234), ==, 0);
  g_autoptr (CommandResult) taken = cli ("init", "--box-id", "theirs");
  g_assert_cmpint (taken->status, ==, 2);
  assert_contains (taken->err, "box theirs already exists and belongs to uid 61234: choose "
                               "another --box-id");
  g_assert_null (strstr (taken->err, "cleanup"));
  g_assert_cmpint (g_rmdir (theirs), ==, 0);

  /* Usage errors. */
  g_autoptr (CommandResult) no_id = cli ("run", "true");
  g_assert_cmpint (no_id->status, ==, 2);
  assert_contains (no_id->err, "--box-id is required");
  g_autoptr (CommandResult) no_cmd = cli ("run", "--box-id", "e");
  g_assert_cmpint (no_cmd->status, ==, 2);
  g_autoptr (CommandResult) unknown = cli ("frobnicate");
  g_assert_cmpint (unknown->status, ==, 2);
  assert_contains (unknown->err, "unknown command 'frobnicate'");
  g_autoptr (CommandResult) bad_option = cli ("init", "--box-id", "e", "--bogus");
  g_assert_cmpint (bad_option->status, ==, 2);

  /* Languages: unknown, not installed. */
  g_autofree char *unknown_source = data ("unknown.xyz");
  g_autoptr (CommandResult) lang = cli ("execute", "--box-id", "e", "--source", unknown_source);
  g_assert_cmpint (lang->status, ==, 2);
  assert_contains (lang->err, "unknown language");
  cleanup_box ("e");

  /* The daemon's table decides (execute writes the box's source file): a
   * daemon of its own, whose table knows Zed but not its compiler. */
  g_autofree char *conf = g_build_filename (tmp_dir, "languages.conf", NULL);
  g_assert_true (g_file_set_contents (
      conf, "[Zed]\nextensions=xyz;\nrequires=no-such-compiler-xyz\nrun=zed {source}\n", -1, NULL));
  g_autofree char *option = g_strdup_printf ("languages=%s", conf);
  g_autoptr (Mount) zed_mount = mount_new (option);
  g_autoptr (CommandResult) zed_init
      = cli ("init", "--root", zed_mount->mount_dir, "--box-id", "z");
  g_assert_cmpint (zed_init->status, ==, 0);
  g_autoptr (CommandResult) missing_tool = cli ("execute", "--root", zed_mount->mount_dir,
                                                "--box-id", "z", "--source", unknown_source);
  g_assert_cmpint (missing_tool->status, ==, 2);
  assert_contains (missing_tool->err, "Zed is not installed (no-such-compiler-xyz not found)");
  g_autoptr (CommandResult) zed_cleanup
      = cli ("cleanup", "--root", zed_mount->mount_dir, "--box-id", "z");
  g_assert_cmpint (zed_cleanup->status, ==, 0);
  g_clear_pointer (&zed_mount, mount_free);
  g_assert_cmpint (g_unlink (conf), ==, 0);
}

/* The compile step runs under the language's compile limits, lowered to
 * the maximums that bind its writer: a student whose maximums are below
 * them (deployment.md's [group:students]) compiles and runs all the same,
 * and the box keeps its own limits. */
static void
test_execute_within_a_users_maximums (void)
{
  if (!require_mount ())
    return;
  g_autofree char *conf = g_build_filename (tmp_dir, "students.conf", NULL);
  g_autofree char *rules
      = g_strdup_printf ("[user:%d]\nmax_boxes=2\nmax_mem=256M\nmax_time=5\n", STUDENT);
  g_assert_true (g_file_set_contents (conf, rules, -1, NULL));
  g_autofree char *options = g_strdup_printf ("allow_other,default_permissions,config=%s", conf);
  g_autoptr (Mount) students = mount_new (options);
  g_assert_cmpint (chmod (students->tmp_dir, 0711), ==, 0); /* the student reaches the mount */
  const char *root = students->mount_dir;

  const char *const init[] = { "init", "--box-id", "s", "--mem", "128", NULL };
  g_autoptr (CommandResult) made = cli_as_student (root, init);
  g_assert_cmpint (made->status, ==, 0);
  g_autofree char *source = data ("hello.c");
  const char *const execute[] = { "execute", "--box-id", "s", "--source", source, NULL };
  g_autoptr (CommandResult) ran = cli_as_student (root, execute);
  g_test_message ("%s", ran->err);
  g_assert_cmpint (ran->status, ==, 0);
  g_assert_cmpstr (ran->out, ==, "Hello from C\n");
  g_autofree char *mem_path = g_build_filename (root, "s", "mem", NULL);
  g_autofree char *mem = NULL;
  g_assert_true (g_file_get_contents (mem_path, &mem, NULL, NULL));
  g_assert_cmpstr (mem, ==, "131072\n");
  const char *const cleanup[] = { "cleanup", "--box-id", "s", NULL };
  g_autoptr (CommandResult) removed = cli_as_student (root, cleanup);
  g_assert_cmpint (removed->status, ==, 0);
  g_clear_pointer (&students, mount_free);
  g_assert_cmpint (g_unlink (conf), ==, 0);
}

static void
test_help (void)
{
  const char *const commands[] = { "init", "run", "execute", "status", "list", "cleanup" };
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr (CommandResult) r = cli (commands[i], "--help");
      g_assert_cmpint (r->status, ==, 0);
      assert_contains (r->out, "Usage:");
      assert_contains (r->out, "--root");
    }
  g_autoptr (CommandResult) top = cli ("--help");
  g_assert_cmpint (top->status, ==, 0);
  assert_contains (top->out, "execute");
  /* -V, as isolatefs -V and isolate take it. */
  g_autoptr (CommandResult) version = cli ("-V");
  g_assert_cmpint (version->status, ==, 0);
  g_assert_true (g_str_has_prefix (version->out, "mini-isolate "));
  g_autoptr (CommandResult) long_version = cli ("--version");
  g_assert_cmpstr (long_version->out, ==, version->out);
}

/* On a terminal, execute says it is compiling while a compile lasts, and
 * takes the line away after; through a pipe it says nothing of it. The
 * terminal is script(1)'s pseudo-terminal. */
static void
test_execute_says_compiling (void)
{
  if (!mount_require_root ())
    return;
  g_autofree char *script = g_find_program_in_path ("script");
  if (script == NULL)
    {
      g_test_skip ("no script(1) (util-linux) to give the command a terminal");
      return;
    }
  g_autofree char *dir = g_dir_make_tmp ("isolatefs-cli-slow-XXXXXX", NULL);
  g_autofree char *languages = g_build_filename (dir, "languages.conf", NULL);
  g_autofree char *source = g_build_filename (dir, "a.slow", NULL);
  g_assert_true (g_file_set_contents (
      languages, "[Slow]\nextensions=slow;\ncompile=sleep 1.5\nrun=echo ran\n", -1, NULL));
  g_assert_true (g_file_set_contents (source, "", -1, NULL));
  g_autofree char *options = g_strdup_printf ("languages=%s", languages);
  g_autoptr (Mount) slow = mount_new (options);
  g_assert_cmpint (make_box (slow, "s"), ==, 0);

  g_autofree char *command = g_strdup_printf ("%s execute --root %s --box-id s --source %s",
                                              env_path ("MINI_ISOLATE"), slow->mount_dir, source);
  const char *argv[] = { script, "-qec", command, "/dev/null", NULL };
  g_autofree char *out = NULL;
  int wait_status;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &wait_status, NULL));
  g_test_message ("on a terminal: %s", out);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  assert_contains (out, "compiling a.slow…\r\033[K");
  assert_contains (out, "ran");

  const char *piped[] = { env_path ("MINI_ISOLATE"),
                          "execute",
                          "--root",
                          slow->mount_dir,
                          "--box-id",
                          "s",
                          "--source",
                          source,
                          NULL };
  g_autofree char *err = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) piped, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, &err, &wait_status, NULL));
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  g_assert_null (strstr (err, "compiling"));

  g_assert_cmpint (g_unlink (source), ==, 0);
  g_assert_cmpint (g_unlink (languages), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/seed-example", test_seed_example);
  g_test_add_func ("/cli/run-stdin", test_run_stdin);
  g_test_add_func ("/cli/run-failures", test_run_failures);
  g_test_add_func ("/cli/status-and-list", test_status_and_list);
  g_test_add_func ("/cli/execute-hello", test_execute_hello);
  g_test_add_func ("/cli/execute-stdin", test_execute_stdin);
  g_test_add_func ("/cli/compile-error", test_compile_error);
  g_test_add_func ("/cli/runtime-error", test_runtime_error);
  g_test_add_func ("/cli/errors", test_errors);
  g_test_add_func ("/cli/execute-says-compiling", test_execute_says_compiling);
  g_test_add_func ("/cli/execute-within-a-users-maximums", test_execute_within_a_users_maximums);
  int status = g_test_run ();
  unmount ();
  return status;
}
