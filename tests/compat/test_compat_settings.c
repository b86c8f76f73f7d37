/* What mini-isolate-compat writes to a box for a run: every setting, the
 * environment and directory rules, the command. No mount needed. */

#include "compat_dirs.h"
#include "compat_env.h"
#include "compat_options.h"
#include "compat_settings.h"

#include <glib.h>
#include <string.h>

#define ARGS(...) ((const char *const[]){ "isolate", __VA_ARGS__, NULL })

static CompatOptions *
parse (const char *const *argv)
{
  int argc = 0;
  while (argv[argc] != NULL)
    argc++;
  g_autoptr (GError) error = NULL;
  CompatOptions *options = compat_options_parse (argc, argv, &error);
  g_assert_no_error (error);
  return options;
}

static const char *const test_environ[]
    = { "PATH=/host/bin", "LANG=C.UTF-8", "HOME=/root", "bad-name=1", "X=a\nb", NULL };

/* The settings as one "file=value" text, one setting a line. */
static char *
settings_text (const char *const *argv)
{
  g_autoptr (CompatOptions) options = parse (argv);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) settings
      = compat_settings_for_run (options, "/state/boxes/0/box", test_environ, &error);
  g_assert_no_error (error);
  GString *text = g_string_new (NULL);
  for (guint i = 0; i < settings->len; i++)
    {
      const CompatSetting *setting = g_ptr_array_index (settings, i);
      g_assert_cmpuint (strlen (setting->value), >, 0);
      g_autofree char *value = g_strescape (setting->value, NULL);
      g_string_append_printf (text, "%s%s=%s\n", setting->optional ? "?" : "", setting->file,
                              value);
    }
  return g_string_free (text, FALSE);
}

/* Every setting is written, at isolate's default when not given. */
static void
test_defaults (void)
{
  g_autofree char *text = settings_text (ARGS ("--run", "--", "x"));
  g_assert_cmpstr (text, ==,
                   "mem=unlimited\n"
                   "time=0.000\n"
                   "wall-time=0.000\n"
                   "extra-time=0.000\n"
                   "processes=1\n"
                   "fsize=unlimited\n"
                   "stack=unlimited\n"
                   "open-files=64\n"
                   "share-net=0\n"
                   "?address-space=unlimited\n"
                   "?core=0\n"
                   "env=LIBC_FATAL_STDERR_=1\\n\n"
                   "dirs=/etc=\\n\n"
                   "?chdir=/box\n"
                   "?stdin-path=\\n\n"
                   "?stdout-path=\\n\n"
                   "?stderr-path=\\n\n"
                   "?stderr-to-stdout=0\n");
}

static void
test_cms (void)
{
  g_autofree char *text = settings_text (ARGS (
      "--cg", "--box-id=7", "--chdir=/tmp", "--dir=/tmp=/outer/home:rw", "--dir=/dev/shm:tmp",
      "--dir=/etc/alternatives", "--dir=/etc", "--env=HOME=/tmp", "--fsize=1024",
      "--stdin=/tmp/input.txt", "--stack=65536", "--cg-mem=262144", "--stdout=/tmp/output.txt",
      "--processes", "--stderr=/tmp/err.txt", "--time=1.5", "--wall-time=3", "--extra-time=0.5",
      "--meta=/outer/run.meta.0", "--run", "--", "./prog"));
  g_assert_cmpstr (text, ==,
                   "mem=262144\n"
                   "time=1.500\n"
                   "wall-time=3.000\n"
                   "extra-time=0.500\n"
                   "processes=unlimited\n"
                   "fsize=1024\n"
                   "stack=65536\n"
                   "open-files=64\n"
                   "share-net=0\n"
                   "?address-space=unlimited\n"
                   "?core=0\n"
                   "env=LIBC_FATAL_STDERR_=1\\nHOME=/tmp\\n\n"
                   "dirs=/etc=\\n/tmp=/outer/home:rw\\n/dev/shm:tmp\\n"
                   "/etc/alternatives=/etc/alternatives\\n/etc=/etc\\n\n"
                   "chdir=/tmp\n"
                   "stdin-path=/tmp/input.txt\n"
                   "stdout-path=/tmp/output.txt\n"
                   "stderr-path=/tmp/err.txt\n"
                   "?stderr-to-stdout=0\n");
}

static void
test_judge0 (void)
{
  g_autofree char *text = settings_text (
      ARGS ("--cg", "-s", "-b", "42", "-M", "/w/metadata.txt", "--stderr-to-stdout", "-t", "5",
            "-x", "1", "-w", "10", "-k", "64000", "-p60", "--cg-timing", "-m", "128000", "-f",
            "1024", "-E", "HOME=/tmp", "-E", "LANG", "-E", "LANGUAGE", "-i", "/dev/null", "-d",
            "/etc:noexec", "--share-net", "-n", "0", "--run", "--", "/bin/bash", "run.sh"));
  g_assert_cmpstr (text, ==,
                   "mem=unlimited\n"
                   "time=5.000\n"
                   "wall-time=10.000\n"
                   "extra-time=1.000\n"
                   "processes=60\n"
                   "fsize=1024\n"
                   "stack=64000\n"
                   "open-files=unlimited\n"
                   "share-net=1\n"
                   "address-space=128000\n"
                   "?core=0\n"
                   "env=LIBC_FATAL_STDERR_=1\\nHOME=/tmp\\nLANG=C.UTF-8\\n\n"
                   "dirs=/etc=\\n/etc=/etc:noexec\\n\n"
                   "?chdir=/box\n"
                   "?stdin-path=\\n\n"
                   "?stdout-path=\\n\n"
                   "?stderr-path=\\n\n"
                   "stderr-to-stdout=1\n");
}

/* The same settings as one text for the box's settings file: a line for
 * each line of env and dirs, NAME= for an empty value. */
static void
test_settings_file_text (void)
{
  g_autoptr (CompatOptions) options = parse (
      ARGS ("-E", "HOME=/tmp", "-d", "/tmp=/outer:rw", "-o", "out.txt", "--run", "--", "x"));
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) settings = compat_settings_for_run (options, NULL, test_environ, &error);
  g_assert_no_error (error);
  g_autofree char *text = compat_settings_text (settings);
  g_assert_cmpstr (text, ==,
                   "mem=unlimited\n"
                   "time=0.000\n"
                   "wall-time=0.000\n"
                   "extra-time=0.000\n"
                   "processes=1\n"
                   "fsize=unlimited\n"
                   "stack=unlimited\n"
                   "open-files=64\n"
                   "share-net=0\n"
                   "address-space=unlimited\n"
                   "core=0\n"
                   "env=LIBC_FATAL_STDERR_=1\n"
                   "env=HOME=/tmp\n"
                   "dirs=/etc=\n"
                   "dirs=/tmp=/outer:rw\n"
                   "chdir=/box\n"
                   "stdin-path=\n"
                   "stdout-path=/box/out.txt\n"
                   "stderr-path=\n"
                   "stderr-to-stdout=0\n");
}

/* Only a "./box" source needs the box's host path, which costs a request. */
static void
test_box_dir_needed (void)
{
  const struct
  {
    const char *const *argv;
    gboolean needed;
  } cases[] = {
    { ARGS ("--run", "--", "x"), FALSE },
    { ARGS ("-d", "/tmp=/outer:rw", "-d", "/dev/shm:tmp", "-d", "/p=proc:fs", "--run", "--", "x"),
      FALSE },
    { ARGS ("-d", "/in=./box/sub", "--run", "--", "x"), TRUE },
    { ARGS ("-D", "-d", "box=./box:rw", "--run", "--", "x"), TRUE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (CompatOptions) options = parse (cases[i].argv);
      g_assert_cmpint (compat_dirs_need_box_dir (options->dir_rules), ==, cases[i].needed);
    }
}

/* Relative paths are relative to /box, as isolate opens them there. */
static void
test_relative_paths (void)
{
  g_autofree char *text = settings_text (ARGS ("-c", "sub/dir", "-i", "in.txt", "-o", "out.txt",
                                               "-r", "./err.txt", "--run", "--", "x"));
  g_assert_nonnull (strstr (text, "\nchdir=/box/sub/dir\n"));
  g_assert_nonnull (strstr (text, "\nstdin-path=/box/in.txt\n"));
  g_assert_nonnull (strstr (text, "\nstdout-path=/box/out.txt\n"));
  g_assert_nonnull (strstr (text, "\nstderr-path=/box/./err.txt\n"));
}

/* As isolate: --cg-mem limits the whole run's memory (mem), -m each
 * process's address space (address-space), with --cg or without. */
static void
test_memory (void)
{
  g_autofree char *both
      = settings_text (ARGS ("--cg", "-m", "5000", "--cg-mem", "4000", "--run", "--", "x"));
  g_assert_true (g_str_has_prefix (both, "mem=4000\n"));
  g_assert_nonnull (strstr (both, "\naddress-space=5000\n"));
  g_autofree char *no_cg = settings_text (ARGS ("-m", "65536", "--run", "--", "x"));
  g_assert_true (g_str_has_prefix (no_cg, "mem=unlimited\n"));
  g_assert_nonnull (strstr (no_cg, "\naddress-space=65536\n"));
  g_autofree char *zero = settings_text (ARGS ("-m", "0", "--run", "--", "x"));
  g_assert_true (g_str_has_prefix (zero, "mem=unlimited\n"));
  g_assert_nonnull (strstr (zero, "\n?address-space=unlimited\n"));
  g_autofree char *core = settings_text (ARGS ("--core=2048", "--run", "--", "x"));
  g_assert_nonnull (strstr (core, "\ncore=2048\n"));
}

static void
test_dirs (void)
{
  g_autofree char *no_defaults
      = settings_text (ARGS ("-D", "-d", "box=./box:rw", "-d", "bin", "-d", "proc=proc:fs", "-d",
                             "/data=/srv//data/:maybe", "--run", "--", "x"));
  g_assert_nonnull (strstr (no_defaults,
                            "\ndirs=/bin=\\n/dev/shm=\\n/etc=\\n/lib=\\n/lib64=\\n/proc=\\n"
                            "/tmp=\\n/usr=\\n/box=/state/boxes/0/box:rw\\n/bin=/bin\\n"
                            "/proc=proc:fs\\n/data=/srv/data:maybe\\n\n"));
  g_autofree char *below = settings_text (ARGS ("-d", "/in=./box/sub", "--run", "--", "x"));
  g_assert_nonnull (strstr (below, "/in=/state/boxes/0/box/sub\\n"));

  /* isolate's "./" sources name its sandbox directory, of which only box/
   * exists here. */
  g_autoptr (CompatOptions) options = parse (ARGS ("-d", "/in=./root", "--run", "--", "x"));
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) settings = compat_settings_for_run (options, "/b", test_environ, &error);
  g_assert_null (settings);
  g_assert_error (error, COMPAT_OPTIONS_ERROR, COMPAT_OPTIONS_ERROR_USAGE);

  g_autoptr (CompatOptions) newline = parse (ARGS ("-o", "a\nb", "--run", "--", "x"));
  g_clear_error (&error);
  g_autoptr (GPtrArray) none = compat_settings_for_run (newline, "/b", test_environ, &error);
  g_assert_null (none);
  g_assert_error (error, COMPAT_OPTIONS_ERROR, COMPAT_OPTIONS_ERROR_USAGE);
}

/* isolate's environment rules: -e first, then LIBC_FATAL_STDERR_=1, then
 * each rule in order; "VAR=" removes. */
static void
test_env (void)
{
  const struct
  {
    gboolean full_env;
    const char *const *rules;
    const char *expected;
  } cases[] = {
    { FALSE, NULL, "LIBC_FATAL_STDERR_=1\n" },
    { FALSE, (const char *const[]){ "LANG", "NOPE", "A=1", NULL },
      "LIBC_FATAL_STDERR_=1\nLANG=C.UTF-8\nA=1\n" },
    { FALSE, (const char *const[]){ "LIBC_FATAL_STDERR_=", NULL }, "\n" },
    { FALSE, (const char *const[]){ "A=1", "B=2", "A=3", "B=", NULL },
      "LIBC_FATAL_STDERR_=1\nA=3\n" },
    { FALSE, (const char *const[]){ "A=x=y", NULL }, "LIBC_FATAL_STDERR_=1\nA=x=y\n" },
    { TRUE, NULL, "PATH=/host/bin\nLANG=C.UTF-8\nHOME=/root\nLIBC_FATAL_STDERR_=1\n" },
    { TRUE, (const char *const[]){ "HOME=/tmp", "PATH=", NULL },
      "LANG=C.UTF-8\nLIBC_FATAL_STDERR_=1\nHOME=/tmp\n" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) rules = g_ptr_array_new ();
      for (const char *const *rule = cases[i].rules; rule != NULL && *rule != NULL; rule++)
        g_ptr_array_add (rules, (gpointer) *rule);
      g_autofree char *text = compat_env_render (cases[i].full_env, rules, test_environ);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

/* The daemon splits cmd with the shell's rules: quoting gives argv back. */
static void
test_command (void)
{
  const char *const *argvs[] = {
    (const char *const[]){ "/bin/bash", "run.sh", NULL },
    (const char *const[]){ "./a.out", "a b", "it's", "\"q\"", "$HOME", "`x`", "", "\\", NULL },
    (const char *const[]){ "sh", "-c", "echo 1\necho 2", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (argvs); i++)
    {
      g_autofree char *text = compat_command_text ((char *const *) argvs[i]);
      g_auto (GStrv) back = NULL;
      g_assert_true (g_shell_parse_argv (text, NULL, &back, NULL));
      g_assert_cmpstrv (back, argvs[i]);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compat/settings/defaults", test_defaults);
  g_test_add_func ("/compat/settings/cms", test_cms);
  g_test_add_func ("/compat/settings/judge0", test_judge0);
  g_test_add_func ("/compat/settings/settings-file-text", test_settings_file_text);
  g_test_add_func ("/compat/settings/box-dir-needed", test_box_dir_needed);
  g_test_add_func ("/compat/settings/relative-paths", test_relative_paths);
  g_test_add_func ("/compat/settings/memory", test_memory);
  g_test_add_func ("/compat/settings/dirs", test_dirs);
  g_test_add_func ("/compat/settings/env", test_env);
  g_test_add_func ("/compat/settings/command", test_command);
  return g_test_run ();
}
