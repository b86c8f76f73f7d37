/* The isolate command-line parser of mini-isolate-compat: what CMS and
 * Judge0 pass, and isolate's usage errors. No mount needed. */

#include "compat_dirs.h"
#include "compat_options.h"

#include <glib.h>
#include <string.h>

/* Parses a NULL-terminated argument list (after the program's name). */
static CompatOptions *
parse_args (const char *const *args, GError **error)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) "isolate");
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, (gpointer) *args);
  g_ptr_array_add (argv, NULL);
  return compat_options_parse (argv->len - 1, (const char *const *) argv->pdata, error);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void
test_defaults (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CompatOptions) o = parse_args (ARGS ("--run", "--", "/bin/true"), &error);
  g_assert_no_error (error);
  g_assert_cmpint (o->command, ==, COMPAT_COMMAND_RUN);
  g_assert_cmpuint (o->box_id, ==, 0);
  g_assert_null (o->meta_path);
  g_assert_cmpuint (o->processes, ==, 1);
  g_assert_cmpuint (o->open_files, ==, 64);
  g_assert_cmpuint (o->time_ms, ==, 0);
  g_assert_cmpuint (o->wall_ms, ==, 0);
  g_assert_cmpuint (o->mem_kib, ==, 0);
  g_assert_cmpuint (o->cg_mem_kib, ==, 0);
  g_assert_true (o->cg_timing);
  g_assert_false (o->cg);
  g_assert_cmpuint (o->silent, ==, 0);
  g_assert_cmpstrv (o->argv, ARGS ("/bin/true"));
}

/* Sandbox.py's run line, word for word but for paths. */
static void
test_cms_run (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CompatOptions) o = parse_args (
      ARGS ("--cg", "--box-id=7", "--chdir=/tmp", "--dir=/tmp=/outer/home:rw", "--dir=/dev/shm:tmp",
            "--dir=/etc/alternatives", "--dir=/etc", "--full-env", "--env=HOME=/tmp",
            "--fsize=1024", "--stdin=/tmp/input.txt", "--stack=65536", "--cg-mem=262144",
            "--stdout=/tmp/output.txt", "--processes=1", "--stderr=/tmp/err.txt", "--time=1.5",
            "--wall-time=3", "--extra-time=0.5", "--verbose", "--verbose",
            "--meta=/outer/run.meta.0", "--run", "--", "./prog", "a b"),
      &error);
  g_assert_no_error (error);
  g_assert_cmpint (o->command, ==, COMPAT_COMMAND_RUN);
  g_assert_true (o->cg);
  g_assert_cmpuint (o->box_id, ==, 7);
  g_assert_cmpstr (o->chdir, ==, "/tmp");
  g_assert_cmpuint (o->dir_rules->len, ==, 4);
  const CompatDirRule *tmp = g_ptr_array_index (o->dir_rules, 0);
  g_assert_cmpstr (tmp->inside, ==, "/tmp");
  g_assert_cmpstr (tmp->outside, ==, "/outer/home");
  g_assert_cmpint (tmp->flags, ==, COMPAT_DIR_RW);
  const CompatDirRule *shm = g_ptr_array_index (o->dir_rules, 1);
  g_assert_cmpstr (shm->inside, ==, "/dev/shm");
  g_assert_null (shm->outside);
  g_assert_cmpint (shm->flags, ==, COMPAT_DIR_TMP);
  g_assert_true (o->full_env);
  g_assert_cmpuint (o->env_rules->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (o->env_rules, 0), ==, "HOME=/tmp");
  g_assert_cmpuint (o->fsize_kib, ==, 1024);
  g_assert_cmpstr (o->stdin_path, ==, "/tmp/input.txt");
  g_assert_cmpuint (o->stack_kib, ==, 65536);
  g_assert_cmpuint (o->cg_mem_kib, ==, 262144);
  g_assert_cmpstr (o->stdout_path, ==, "/tmp/output.txt");
  g_assert_cmpuint (o->processes, ==, 1);
  g_assert_cmpstr (o->stderr_path, ==, "/tmp/err.txt");
  g_assert_cmpuint (o->time_ms, ==, 1500);
  g_assert_cmpuint (o->wall_ms, ==, 3000);
  g_assert_cmpuint (o->extra_ms, ==, 500);
  g_assert_cmpuint (o->verbose, ==, 2);
  g_assert_cmpstr (o->meta_path, ==, "/outer/run.meta.0");
  g_assert_cmpstrv (o->argv, ARGS ("./prog", "a b"));
}

/* isolate_job.rb's run line: short options, attached values, -p60. */
static void
test_judge0_run (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CompatOptions) o = parse_args (
      ARGS ("--cg", "-s", "-b", "42", "-M", "/w/metadata.txt", "--stderr-to-stdout", "-t", "5",
            "-x", "1", "-w", "10", "-k", "64000", "-p60", "--cg-timing", "--cg-mem=128000", "-f",
            "1024", "-E", "HOME=/tmp", "-E", "PATH=/usr/bin:/bin", "-E", "LANG", "-E", "LANGUAGE",
            "-E", "LC_ALL", "-d", "/etc:noexec", "--run", "--", "/bin/bash", "run.sh"),
      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (o->silent, ==, 1);
  g_assert_cmpuint (o->box_id, ==, 42);
  g_assert_cmpstr (o->meta_path, ==, "/w/metadata.txt");
  g_assert_true (o->stderr_to_stdout);
  g_assert_cmpuint (o->time_ms, ==, 5000);
  g_assert_cmpuint (o->extra_ms, ==, 1000);
  g_assert_cmpuint (o->wall_ms, ==, 10000);
  g_assert_cmpuint (o->stack_kib, ==, 64000);
  g_assert_cmpuint (o->processes, ==, 60);
  g_assert_cmpuint (o->cg_mem_kib, ==, 128000);
  g_assert_cmpuint (o->fsize_kib, ==, 1024);
  g_assert_cmpuint (o->env_rules->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (o->env_rules, 2), ==, "LANG");
  const CompatDirRule *etc = g_ptr_array_index (o->dir_rules, 0);
  g_assert_cmpstr (etc->inside, ==, "/etc");
  g_assert_cmpstr (etc->outside, ==, "/etc");
  g_assert_cmpint (etc->flags, ==, COMPAT_DIR_NOEXEC);
  g_assert_cmpstrv (o->argv, ARGS ("/bin/bash", "run.sh"));
}

static void
test_commands (void)
{
  const struct
  {
    const char *const *args;
    CompatCommand command;
  } cases[] = {
    { ARGS ("--cg", "--box-id=3", "--init"), COMPAT_COMMAND_INIT },
    { ARGS ("-b", "3", "--cg", "--cleanup"), COMPAT_COMMAND_CLEANUP },
    { ARGS ("--version"), COMPAT_COMMAND_VERSION },
    { ARGS ("--version", "--init"), COMPAT_COMMAND_NONE }, /* two commands */
    { ARGS ("--init", "--init"), COMPAT_COMMAND_INIT },    /* the same twice is fine */
    { ARGS ("--help"), COMPAT_COMMAND_HELP },
    /* Options may follow the command; everything after -- is the program's. */
    { ARGS ("--run", "-b", "1", "--", "/bin/echo", "-b", "--init"), COMPAT_COMMAND_RUN },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CompatOptions) o = parse_args (cases[i].args, &error);
      if (cases[i].command == COMPAT_COMMAND_NONE)
        {
          g_assert_null (o);
          g_assert_error (error, COMPAT_OPTIONS_ERROR, COMPAT_OPTIONS_ERROR_USAGE);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpint (o->command, ==, cases[i].command);
    }
  g_autoptr (CompatOptions) run
      = parse_args (ARGS ("--run", "-b", "1", "--", "/bin/echo", "-b", "--init"), NULL);
  g_assert_cmpuint (run->box_id, ==, 1);
  g_assert_cmpstrv (run->argv, ARGS ("/bin/echo", "-b", "--init"));
}

static void
test_values (void)
{
  g_autoptr (CompatOptions) o
      = parse_args (ARGS ("-p", "-n", "0", "-m", "65536", "-q", "100,20", "--share-net",
                          "--inherit-fds", "-D", "-c", "sub", "-i", "in.txt", "-o", "out.txt", "-r",
                          "err.txt", "--stderr-to-stdout", "-t", "0.0004", "-w", ".25", "-x", "2.",
                          "--no-cg-timing", "--cg", "-e", "-v", "--run", "--", "x"),
                    NULL);
  g_assert_nonnull (o);
  g_assert_cmpuint (o->processes, ==, 0);
  g_assert_cmpuint (o->open_files, ==, 0);
  g_assert_cmpuint (o->mem_kib, ==, 65536);
  g_assert_true (o->quota);
  g_assert_cmpuint (o->quota_blocks, ==, 100);
  g_assert_cmpuint (o->quota_inodes, ==, 20);
  g_assert_true (o->share_net);
  g_assert_true (o->inherit_fds);
  g_assert_true (o->no_default_dirs);
  g_assert_cmpstr (o->chdir, ==, "sub");
  g_assert_cmpstr (o->stdin_path, ==, "in.txt");
  g_assert_cmpstr (o->stdout_path, ==, "out.txt");
  /* --stderr-to-stdout after -r wins, and the reverse: the last one. */
  g_assert_null (o->stderr_path);
  g_assert_true (o->stderr_to_stdout);
  g_assert_cmpuint (o->time_ms, ==, 0);
  g_assert_cmpuint (o->wall_ms, ==, 250);
  g_assert_cmpuint (o->extra_ms, ==, 2000);
  g_assert_false (o->cg_timing);
  g_assert_true (o->full_env);

  g_autoptr (CompatOptions) back
      = parse_args (ARGS ("--stderr-to-stdout", "-r", "e", "--run", "--", "x"), NULL);
  g_assert_cmpstr (back->stderr_path, ==, "e");
  g_assert_false (back->stderr_to_stdout);

  /* Times round to the millisecond; the last of an option given twice wins. */
  g_autoptr (CompatOptions) times
      = parse_args (ARGS ("-t", "9", "-t", "0.29", "-w", "1.0005", "--run", "--", "x"), NULL);
  g_assert_cmpuint (times->time_ms, ==, 290);
  g_assert_cmpuint (times->wall_ms, ==, 1001);
}

/* isolate's usage errors (exit status 2), with isolate's and getopt's words. */
static void
test_usage_errors (void)
{
  const struct
  {
    const char *const *args;
    const char *message;
  } cases[] = {
    { ARGS ("-b", "1"), "Please specify an isolate command (e.g. --init, --run)." },
    { ARGS ("--init", "--run"), "Only one command is allowed." },
    { ARGS ("--cleanup", "--version"), "Only one command is allowed." },
    { ARGS ("--run"), "--run mode requires a command to run" },
    { ARGS ("--run", "--"), "--run mode requires a command to run" },
    { ARGS ("--init", "extra"), "--init mode takes no parameters" },
    { ARGS ("--cleanup", "--", "x"), "--cleanup mode takes no parameters" },
    { ARGS ("--cg-mem=100", "--run", "--", "x"),
      "Options related to control groups require --cg to be set." },
    { ARGS ("--cg-timing", "--init"), "Options related to control groups require --cg to be set." },
    { ARGS ("--no-cg-timing", "--init"),
      "Options related to control groups require --cg to be set." },
    { ARGS ("-b", "x", "--init"), "Invalid numeric parameter: x" },
    { ARGS ("-b", "", "--init"), "Invalid numeric parameter: " },
    { ARGS ("-b", "-1", "--init"), "Invalid numeric parameter: -1" },
    { ARGS ("-b", " 1", "--init"), "Invalid numeric parameter:  1" },
    { ARGS ("--box-id=3x", "--init"), "Invalid numeric parameter: 3x" },
    { ARGS ("-b", "2147483648", "--init"), "Numeric parameter out of range: 2147483648" },
    { ARGS ("-m", "1.5", "--init"), "Invalid numeric parameter: 1.5" },
    { ARGS ("-f", "10k", "--init"), "Invalid numeric parameter: 10k" },
    { ARGS ("-px", "--init"), "Invalid numeric parameter: x" },
    /* -p takes its value only attached: "x" is then a parameter. */
    { ARGS ("-p", "x", "--init"), "--init mode takes no parameters" },
    { ARGS ("--processes=", "--init"), "Invalid numeric parameter: " },
    { ARGS ("-t", "abc", "--init"), "Invalid time parameter: abc" },
    { ARGS ("-t", "-1", "--init"), "Invalid time parameter: -1" },
    { ARGS ("-w", "1e3", "--init"), "Invalid time parameter: 1e3" },
    { ARGS ("-x", "", "--init"), "Invalid time parameter: " },
    { ARGS ("-t", "9999999999", "--init"), "Time parameter out of range: 9999999999" },
    { ARGS ("-q", "100", "--init"), "Invalid quota specified: 100" },
    { ARGS ("-q", "100,x", "--init"), "Invalid numeric parameter: x" },
    { ARGS ("-E", "=x", "--init"), "Invalid environment specified: =x" },
    { ARGS ("-E", "", "--init"), "Invalid environment specified: " },
    { ARGS ("-E", "1A=x", "--init"), "Invalid environment specified: 1A=x" },
    { ARGS ("-E", "A-B", "--init"), "Invalid environment specified: A-B" },
    { ARGS ("-d", "/a:bogus", "--init"), "Unknown directory option bogus" },
    { ARGS ("-d", "/a:", "--init"), "Unknown directory option " },
    { ARGS ("-d", "/", "--init"), "Invalid directory rule specified: /" },
    { ARGS ("-d", "", "--init"), "Invalid directory rule specified: " },
    { ARGS ("-d", "/a/../b", "--init"), "Invalid directory rule specified: /a/../b" },
    { ARGS ("-d", "/a=relative", "--init"), "Invalid directory rule specified: /a=relative" },
    { ARGS ("-d", "/a=/b:tmp", "--init"), "Invalid directory rule specified: /a=/b:tmp" },
    { ARGS ("-d", "/a:fs", "--init"), "Invalid directory rule specified: /a:fs" },
    { ARGS ("-d", "/a=x/y:fs", "--init"), "Invalid directory rule specified: /a=x/y:fs" },
    { ARGS ("-d", "/a=proc:fs:tmp", "--init"), "Invalid directory rule specified: /a=proc:fs:tmp" },
    { ARGS ("--bogus", "--init"), "isolate: unrecognized option '--bogus'" },
    { ARGS ("--bogus=1", "--init"), "isolate: unrecognized option '--bogus'" },
    { ARGS ("-z", "--init"), "isolate: invalid option -- 'z'" },
    { ARGS ("--init", "-b"), "isolate: option requires an argument -- 'b'" },
    { ARGS ("--init", "--box-id"), "isolate: option '--box-id' requires an argument" },
    { ARGS ("--init", "--cg=1"), "isolate: option '--cg' doesn't allow an argument" },
    { ARGS ("--silent=1", "--init"), "isolate: option '--silent' doesn't allow an argument" },
    { ARGS ("-h"), "isolate: invalid option -- 'h'" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CompatOptions) o = parse_args (cases[i].args, &error);
      g_test_message ("case %u: expecting '%s'", i, cases[i].message);
      g_assert_null (o);
      g_assert_error (error, COMPAT_OPTIONS_ERROR, COMPAT_OPTIONS_ERROR_USAGE);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* Directory rules as isolate reads them. */
static void
test_dir_rules (void)
{
  const struct
  {
    const char *text;
    const char *inside;
    const char *outside;
    gboolean drop;
    CompatDirFlags flags;
  } cases[] = {
    { "/etc", "/etc", "/etc", FALSE, 0 },
    { "tmp", "/tmp", "/tmp", FALSE, 0 },
    { "//a//b/./c/", "/a/b/c", "/a/b/c", FALSE, 0 },
    { "/etc:noexec", "/etc", "/etc", FALSE, COMPAT_DIR_NOEXEC },
    { "/in=/out:rw:maybe:dev:norec", "/in", "/out", FALSE,
      COMPAT_DIR_RW | COMPAT_DIR_MAYBE | COMPAT_DIR_DEV | COMPAT_DIR_NOREC },
    { "box=./box:rw", "/box", "./box", FALSE, COMPAT_DIR_RW },
    { "/lib64=", "/lib64", NULL, TRUE, 0 },
    { "proc=proc:fs", "/proc", "proc", FALSE, COMPAT_DIR_FS },
    { "/dev/shm:tmp", "/dev/shm", NULL, FALSE, COMPAT_DIR_TMP },
    { "/a=/x=y", "/a", "/x=y", FALSE, 0 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CompatDirRule) rule = compat_dir_rule_parse (cases[i].text, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (rule->inside, ==, cases[i].inside);
      g_assert_cmpstr (rule->outside, ==, cases[i].outside);
      g_assert_cmpint (rule->drop, ==, cases[i].drop);
      g_assert_cmpint (rule->flags, ==, cases[i].flags);
    }
}

/* Every option of isolate 1.10.1's manual (isolate.1.txt) is accepted, in
 * each of its forms, with a value where it takes one. */
static void
test_every_isolate_option (void)
{
  const char *const *cases[] = {
    ARGS ("-b", "3"),
    ARGS ("--box-id=3"),
    ARGS ("-M", "m.txt"),
    ARGS ("--meta=m.txt"),
    ARGS ("-i", "in"),
    ARGS ("--stdin=in"),
    ARGS ("-o", "out"),
    ARGS ("--stdout=out"),
    ARGS ("-r", "err"),
    ARGS ("--stderr=err"),
    ARGS ("--stderr-to-stdout"),
    ARGS ("-c", "d"),
    ARGS ("--chdir=d"),
    ARGS ("-v"),
    ARGS ("--verbose"),
    ARGS ("-s"),
    ARGS ("--silent"),
    ARGS ("-m", "1000"),
    ARGS ("--mem=1000"),
    ARGS ("-t", "1"),
    ARGS ("--time=1"),
    ARGS ("-w", "2"),
    ARGS ("--wall-time=2"),
    ARGS ("-x", "1"),
    ARGS ("--extra-time=1"),
    ARGS ("-k", "100"),
    ARGS ("--stack=100"),
    ARGS ("-n", "10"),
    ARGS ("--open-files=10"),
    ARGS ("-f", "100"),
    ARGS ("--fsize=100"),
    ARGS ("-q", "100,10"),
    ARGS ("--quota=100,10"),
    ARGS ("--core=100"),
    ARGS ("-p"),
    ARGS ("-p5"),
    ARGS ("--processes"),
    ARGS ("--processes=5"),
    ARGS ("-E", "A"),
    ARGS ("--env=A=1"),
    ARGS ("-e"),
    ARGS ("--full-env"),
    ARGS ("-d", "/a"),
    ARGS ("--dir=/a=/b:rw"),
    ARGS ("-D"),
    ARGS ("--no-default-dirs"),
    ARGS ("--cg"),
    ARGS ("--cg", "--cg-mem=100"),
    ARGS ("--cg", "--cg-timing"),
    ARGS ("--cg", "--no-cg-timing"),
    ARGS ("--share-net"),
    ARGS ("--inherit-fds"),
    ARGS ("--tty-hack"),
    ARGS ("--special-files"),
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) args = g_ptr_array_new ();
      for (const char *const *arg = cases[i]; *arg != NULL; arg++)
        g_ptr_array_add (args, (gpointer) *arg);
      const char *const run[] = { "--run", "--", "x", NULL };
      for (const char *const *arg = run; *arg != NULL; arg++)
        g_ptr_array_add (args, (gpointer) *arg);
      g_ptr_array_add (args, NULL);
      g_test_message ("%s", cases[i][0]);
      g_autoptr (GError) error = NULL;
      g_autoptr (CompatOptions) o = parse_args ((const char *const *) args->pdata, &error);
      g_assert_no_error (error);
    }
  for (const char *const *commands = ARGS ("--init", "--cleanup", "--version"); *commands;
       commands++)
    {
      g_autoptr (CompatOptions) o = parse_args (ARGS (*commands), NULL);
      g_assert_nonnull (o);
    }
  g_autoptr (CompatOptions) o = parse_args (ARGS ("--core=512", "--run", "--", "x"), NULL);
  g_assert_cmpuint (o->core_kib, ==, 512);
}

/* What isolate's options ask that this front end deliberately does
 * otherwise: one warning line each (docs/compat.md). */
static void
test_differences (void)
{
  g_autoptr (CompatOptions) same = parse_args (
      ARGS ("--cg", "--cg-timing", "-m", "100", "--core=10", "-q", "2048,0", "--init"), NULL);
  g_auto (GStrv) none = compat_options_differences (same);
  g_assert_cmpstrv (none, ARGS (NULL));
  g_autoptr (CompatOptions) o
      = parse_args (ARGS ("--cg", "--no-cg-timing", "--inherit-fds", "--special-files",
                          "--tty-hack", "-D", "-q", "2048,100", "--init"),
                    NULL);
  g_auto (GStrv) lines = compat_options_differences (o);
  const char *const starts[] = { "--no-cg-timing: ", "--inherit-fds: ",     "--special-files: ",
                                 "--tty-hack: ",     "--no-default-dirs: ", "--quota: " };
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (starts));
  for (guint i = 0; i < G_N_ELEMENTS (starts); i++)
    g_assert_true (g_str_has_prefix (lines[i], starts[i]));
}

static void
test_usage_text (void)
{
  const char *usage = compat_options_usage ();
  const char *const options[]
      = { "--box-id",     "--cg-mem",          "--cg-timing",   "--chdir",
          "--dir",        "--no-default-dirs", "--fsize",       "--env",
          "--extra-time", "--full-env",        "--inherit-fds", "--mem",
          "--meta",       "--open-files",      "--quota",       "--share-net",
          "--silent",     "--stack",           "--stderr",      "--stderr-to-stdout",
          "--stdin",      "--stdout",          "--processes",   "--time",
          "--verbose",    "--wall-time",       "--init",        "--run",
          "--cleanup",    "--version",         "--core",        "--special-files",
          "--tty-hack" };
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    g_assert_nonnull (strstr (usage, options[i]));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compat/options/defaults", test_defaults);
  g_test_add_func ("/compat/options/cms-run", test_cms_run);
  g_test_add_func ("/compat/options/judge0-run", test_judge0_run);
  g_test_add_func ("/compat/options/commands", test_commands);
  g_test_add_func ("/compat/options/values", test_values);
  g_test_add_func ("/compat/options/usage-errors", test_usage_errors);
  g_test_add_func ("/compat/options/dir-rules", test_dir_rules);
  g_test_add_func ("/compat/options/every-isolate-option", test_every_isolate_option);
  g_test_add_func ("/compat/options/differences", test_differences);
  g_test_add_func ("/compat/options/usage-text", test_usage_text);
  return g_test_run ();
}
