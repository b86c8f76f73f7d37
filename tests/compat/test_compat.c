/* mini-isolate-compat against a real mount: the command lines CMS
 * (cms/grading/Sandbox.py) and Judge0 (app/jobs/isolate_job.rb) build,
 * run unchanged through an `isolate` link to it, for a correct run, a
 * runtime error, a signal, a time-out, a wall-clock time-out and a memory
 * kill; the meta files are read the way those clients read them. */

#include "tests/integration/command_result.h"
#include "tests/integration/mount_fixture.h"

#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One mount for the whole program, made when a test first needs it. */
static Mount *mount;
static char *bin_dir;   /* holds `isolate`, a link to the front end */
static char *work_dirs; /* $MINI_ISOLATE_COMPAT_DIR */
static char *host_prog; /* data/prog.c compiled on the host */

static const char *
env_path (const char *name)
{
  const char *value = g_getenv (name);
  g_assert_nonnull (value);
  return value;
}

static char *
data (const char *name)
{
  return g_build_filename (env_path ("COMPAT_TEST_DATA"), name, NULL);
}

static void
compile_on_host (void)
{
  g_autofree char *source = data ("prog.c");
  host_prog = g_build_filename (mount->tmp_dir, "prog", NULL);
  const char *argv[] = { "gcc", "-O2", "-o", host_prog, source, NULL };
  int wait_status;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
}

/* FALSE (the test skipped) without root, /dev/fuse or gcc. */
static gboolean
require_mount (void)
{
  if (!mount_require_root ())
    return FALSE;
  g_autofree char *gcc = g_find_program_in_path ("gcc");
  if (gcc == NULL)
    {
      g_test_skip ("needs gcc to build the test program");
      return FALSE;
    }
  if (mount != NULL)
    return TRUE;
  mount = mount_new (NULL);
  bin_dir = g_build_filename (mount->tmp_dir, "bin", NULL);
  work_dirs = g_build_filename (mount->tmp_dir, "work", NULL);
  g_assert_cmpint (g_mkdir (bin_dir, 0755), ==, 0);
  g_autofree char *link = g_build_filename (bin_dir, "isolate", NULL);
  g_assert_cmpint (symlink (env_path ("MINI_ISOLATE_COMPAT"), link), ==, 0);
  compile_on_host ();
  return TRUE;
}

/* The box's newer control files that some options need; tests of those
 * options skip, naming the file, against a daemon without them. */
static gboolean
require_daemon_file (const char *box, const char *file)
{
  g_autofree char *name = g_build_filename (box, file, NULL);
  g_autofree char *path = mount_path (mount, name);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  g_autofree char *reason = g_strdup_printf ("this isolatefs has no `%s' control file yet", file);
  g_test_skip (reason);
  return FALSE;
}

/* ---- running isolate ---- */

static GSubprocessLauncher *
launcher_new (void)
{
  GSubprocessLauncher *launcher
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                   | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *path = g_strdup_printf ("%s:%s", bin_dir ? bin_dir : "/nonexistent",
                                           g_getenv ("PATH") ? g_getenv ("PATH") : "/usr/bin:/bin");
  g_subprocess_launcher_setenv (launcher, "PATH", path, TRUE);
  g_subprocess_launcher_setenv (launcher, "MINI_ISOLATE_ROOT",
                                mount ? mount->mount_dir : "/nonexistent", TRUE);
  g_subprocess_launcher_setenv (launcher, "MINI_ISOLATE_COMPAT_DIR",
                                work_dirs ? work_dirs : "/nonexistent", TRUE);
  g_subprocess_launcher_setenv (launcher, "LANG", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_subprocess_launcher_unsetenv (launcher, "LC_ALL");
  return launcher;
}

static CommandResult *
spawn (const char *const *argv, const char *input)
{
  g_autoptr (GSubprocessLauncher) launcher = launcher_new ();
  return command_run (launcher, argv, input);
}

/* Runs a shell command line, as Judge0 runs its backquoted commands. */
static CommandResult *
shell (const char *line)
{
  const char *argv[] = { "/bin/sh", "-c", line, NULL };
  return spawn (argv, NULL);
}

/* Runs isolate with an argument vector, as CMS's subprocess calls do. */
static CommandResult *
isolate_argv (GPtrArray *args, const char *input)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (argv, g_build_filename (bin_dir, "isolate", NULL));
  for (guint i = 0; i < args->len; i++)
    g_ptr_array_add (argv, g_strdup (g_ptr_array_index (args, i)));
  g_ptr_array_add (argv, NULL);
  return spawn ((const char *const *) argv->pdata, input);
}

static void add (GPtrArray *args, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
add (GPtrArray *args, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_ptr_array_add (args, g_strdup_vprintf (format, ap));
  va_end (ap);
}

/* ---- files ---- */

static char *
read_file (const char *path)
{
  char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
write_file (const char *path, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
copy_file (const char *from, const char *to, int mode)
{
  g_autofree char *contents = NULL;
  gsize size;
  g_assert_true (g_file_get_contents (from, &contents, &size, NULL));
  g_assert_true (g_file_set_contents (to, contents, size, NULL));
  g_assert_cmpint (g_chmod (to, mode), ==, 0);
}

static void
assert_contains (const char *text, const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("'%s' does not contain '%s'", text, part);
}

/* ---- the meta file, read as the clients read it ---- */

static const char *const isolate_keys[]
    = { "cg-mem",  "cg-oom-killed", "csw-forced", "csw-voluntary", "exitcode",  "exitsig", "killed",
        "max-rss", "message",       "status",     "time",          "time-wall", NULL };

/* key -> value; every line must be one of isolate's keys, once. */
static GHashTable *
read_meta (const char *path)
{
  g_autofree char *text = read_file (path);
  g_test_message ("meta %s:\n%s", path, text);
  GHashTable *meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (char **line = lines; *line != NULL; line++)
    {
      if (**line == '\0')
        continue;
      const char *colon = strchr (*line, ':');
      g_assert_nonnull (colon);
      char *key = g_strndup (*line, colon - *line);
      g_assert_true (g_strv_contains (isolate_keys, key));
      g_assert_false (g_hash_table_contains (meta, key));
      g_hash_table_insert (meta, key, g_strdup (colon + 1));
    }
  g_assert_true (g_str_has_suffix (text, "\n"));
  return meta;
}

/* Sandbox.py's get_exit_status(). */
static const char *
cms_verdict (GHashTable *meta)
{
  const char *status = g_hash_table_lookup (meta, "status");
  const char *message = g_hash_table_lookup (meta, "message");
  if (g_strcmp0 (status, "XX") == 0)
    return "sandbox-error";
  if (g_strcmp0 (status, "TO") == 0)
    return message != NULL && strstr (message, "wall") != NULL ? "timeout-wall" : "timeout";
  if (g_strcmp0 (status, "SG") == 0)
    return g_hash_table_contains (meta, "cg-oom-killed") ? "memory-limit" : "signal";
  if (g_strcmp0 (status, "RE") == 0)
    return "nonzero-return";
  return "ok";
}

/* isolate_job.rb's determine_status(). */
static const char *
judge0_verdict (GHashTable *meta, const char *stdout_text, const char *expected)
{
  const char *status = g_hash_table_lookup (meta, "status");
  if (g_strcmp0 (status, "TO") == 0)
    return "Time Limit Exceeded";
  if (g_strcmp0 (status, "SG") == 0)
    {
      const char *signal = g_hash_table_lookup (meta, "exitsig");
      if (g_strcmp0 (signal, "11") == 0)
        return "Runtime Error (SIGSEGV)";
      if (g_strcmp0 (signal, "9") == 0)
        return "Runtime Error (SIGKILL)";
      return "Runtime Error (Other)";
    }
  if (g_strcmp0 (status, "RE") == 0)
    return "Runtime Error (NZEC)";
  if (g_strcmp0 (status, "XX") == 0)
    return "Internal Error";
  return g_strcmp0 (stdout_text, expected) == 0 ? "Accepted" : "Wrong Answer";
}

/* ---- the outcomes ---- */

typedef struct
{
  const char *name;
  const char *mode;  /* prog's argument */
  const char *time;  /* seconds */
  const char *extra; /* seconds */
  const char *wall;  /* seconds */
  const char *mem;   /* KiB */
  int exit_status;   /* isolate's */
  const char *cms;   /* CMS's verdict */
  /* Judge0's, for the program run directly, and through `bash run` (whose
   * exit status tells of a killed child: 128 + the signal). */
  const char *judge0;
  const char *judge0_bash;
  const char *first_line; /* of the meta file, in isolate's order */
} Outcome;

static const Outcome outcomes[] = {
  { "ok", "sum", "2", "0.5", "5", "262144", 0, "ok", "Accepted", "Accepted", "time:" },
  { "runtime-error", "exit3", "2", "0.5", "5", "262144", 1, "nonzero-return",
    "Runtime Error (NZEC)", "Runtime Error (NZEC)", "time:" },
  { "signal", "segv", "2", "0.5", "5", "262144", 1, "signal", "Runtime Error (SIGSEGV)",
    "Runtime Error (NZEC)", "time:" },
  { "time-out", "loop", "0.3", "0.2", "5", "262144", 1, "timeout", "Time Limit Exceeded",
    "Time Limit Exceeded", "status:TO" },
  { "wall-time-out", "sleep", "1", "0", "0.5", "262144", 1, "timeout-wall", "Time Limit Exceeded",
    "Time Limit Exceeded", "status:TO" },
  { "memory", "mem", "2", "0", "5", "65536", 1, "memory-limit", "Runtime Error (SIGKILL)",
    "Runtime Error (NZEC)", "time:" },
};

static const char stdin_text[] = "3 4\n";
static const char stdout_expected[] = "7\n";

/* What isolate 1.10.1's meta file holds for each outcome; through_bash
 * when the program ran as a child of bash, which then exits 128 + the
 * signal that killed it. */
static void
check_meta (GHashTable *meta, const char *meta_path, const Outcome *outcome, gboolean through_bash)
{
  g_autofree char *text = read_file (meta_path);
  g_assert_true (g_str_has_prefix (text, outcome->first_line));
  const char *always[]
      = { "time", "time-wall", "max-rss", "csw-voluntary", "csw-forced", "cg-mem" };
  for (guint i = 0; i < G_N_ELEMENTS (always); i++)
    g_assert_true (g_hash_table_contains (meta, always[i]));
  const char *status = g_hash_table_lookup (meta, "status");
  if (strcmp (outcome->mode, "sum") == 0)
    {
      g_assert_null (status);
      g_assert_cmpstr (g_hash_table_lookup (meta, "exitcode"), ==, "0");
    }
  else if (strcmp (outcome->mode, "exit3") == 0)
    {
      g_assert_cmpstr (status, ==, "RE");
      g_assert_cmpstr (g_hash_table_lookup (meta, "exitcode"), ==, "3");
      g_assert_cmpstr (g_hash_table_lookup (meta, "message"), ==, "Exited with error status 3");
    }
  else if (through_bash && strcmp (outcome->mode, "segv") == 0)
    {
      g_assert_cmpstr (status, ==, "RE");
      g_assert_cmpstr (g_hash_table_lookup (meta, "exitcode"), ==, "139");
    }
  else if (through_bash && strcmp (outcome->mode, "mem") == 0)
    {
      g_assert_cmpstr (status, ==, "RE");
      g_assert_cmpstr (g_hash_table_lookup (meta, "exitcode"), ==, "137");
      g_assert_cmpstr (g_hash_table_lookup (meta, "cg-oom-killed"), ==, "1");
    }
  else if (strcmp (outcome->mode, "segv") == 0)
    {
      g_assert_cmpstr (status, ==, "SG");
      g_assert_cmpstr (g_hash_table_lookup (meta, "exitsig"), ==, "11");
      g_assert_cmpstr (g_hash_table_lookup (meta, "message"), ==, "Caught fatal signal 11");
    }
  else if (strcmp (outcome->mode, "mem") == 0)
    {
      g_assert_cmpstr (status, ==, "SG");
      g_assert_cmpstr (g_hash_table_lookup (meta, "cg-oom-killed"), ==, "1");
      g_assert_cmpstr (g_hash_table_lookup (meta, "exitsig"), ==, "9");
    }
  else
    {
      g_assert_cmpstr (status, ==, "TO");
      g_assert_cmpstr (g_hash_table_lookup (meta, "killed"), ==, "1");
      g_assert_false (g_hash_table_contains (meta, "exitsig"));
      g_assert_false (g_hash_table_contains (meta, "exitcode"));
    }
  if (strcmp (outcome->mode, "loop") == 0)
    {
      double time = g_ascii_strtod (g_hash_table_lookup (meta, "time"), NULL);
      g_assert_cmpfloat (time, >=, 0.3);
      g_assert_cmpfloat (time, <, 1.0);
    }
}

/* ---- Judge0 ---- */

/* isolate_job.rb's initialize_workdir: the files beside box/. */
static char *
judge0_init (const char *box_id)
{
  g_autofree char *line = g_strdup_printf ("isolate --cg -b %s --init", box_id);
  g_autoptr (CommandResult) init = shell (line);
  g_assert_cmpint (init->status, ==, 0);
  char *workdir = g_strchomp (g_strdup (init->out));
  const char *files[] = { "stdin.txt", "stdout.txt", "stderr.txt", "metadata.txt" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (workdir, files[i], NULL);
      write_file (path, "");
    }
  g_autofree char *stdin_path = g_build_filename (workdir, "stdin.txt", NULL);
  write_file (stdin_path, stdin_text);
  return workdir;
}

static void
judge0_cleanup (const char *box_id, const char *workdir)
{
  g_autofree char *line = g_strdup_printf (
      "rm -rf %s/box/* %s/tmp/* && rm -f %s/stdin.txt %s/stdout.txt %s/stderr.txt "
      "%s/metadata.txt && isolate --cg -b %s --cleanup",
      workdir, workdir, workdir, workdir, workdir, workdir, box_id);
  g_autoptr (CommandResult) cleanup = shell (line);
  g_assert_cmpint (cleanup->status, ==, 0);
  g_assert_false (g_file_test (workdir, G_FILE_TEST_EXISTS));
  g_autofree char *box = mount_path (mount, box_id);
  g_assert_false (g_file_test (box, G_FILE_TEST_EXISTS));
}

static const char judge0_env[]
    = "-E HOME=/tmp -E PATH=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\" "
      "-E LANG -E LANGUAGE -E LC_ALL -d /etc:noexec";

/* The run line of isolate_job.rb, with its variants: -m instead of
 * --cg-mem (per-process memory limit), --no-cg-timing (per-process time
 * limit), --share-net (network enabled). */
static void
judge0_run_outcome (const Outcome *outcome, const char *variant)
{
  const char *box_id = "20";
  g_autofree char *workdir = judge0_init (box_id);
  g_autofree char *prog = g_build_filename (workdir, "box", "a.out", NULL);
  g_autofree char *script = g_build_filename (workdir, "box", "run", NULL);
  copy_file (host_prog, prog, 0755);
  g_autofree char *run_cmd = g_strdup_printf ("./a.out %s\n", outcome->mode);
  write_file (script, run_cmd);

  gboolean per_process_memory = strcmp (variant, "-m") == 0;
  const char *timing = strcmp (variant, "--no-cg-timing") == 0 ? "--no-cg-timing" : "--cg-timing";
  g_autofree char *line = g_strdup_printf (
      "isolate --cg -s -b %s -M %s/metadata.txt %s -t %s -x %s -w %s -k 64000 -p60 %s %s%s "
      "-f 1024 %s --run -- /bin/bash $(basename %s) < %s/stdin.txt > %s/stdout.txt "
      "2> %s/stderr.txt",
      box_id, workdir, strcmp (variant, "--share-net") == 0 ? "--share-net" : "", outcome->time,
      outcome->extra, outcome->wall, timing, per_process_memory ? "-m " : "--cg-mem=", outcome->mem,
      judge0_env, script, workdir, workdir, workdir);
  g_autoptr (CommandResult) run = shell (line);
  g_assert_cmpint (run->status, ==, outcome->exit_status);
  g_assert_cmpstr (run->err, ==, ""); /* -s, and stderr redirected */

  g_autofree char *meta_path = g_build_filename (workdir, "metadata.txt", NULL);
  g_autoptr (GHashTable) meta = read_meta (meta_path);
  check_meta (meta, meta_path, outcome, TRUE);
  g_autofree char *stdout_path = g_build_filename (workdir, "stdout.txt", NULL);
  g_autofree char *stderr_path = g_build_filename (workdir, "stderr.txt", NULL);
  g_autofree char *out = read_file (stdout_path);
  g_autofree char *err = read_file (stderr_path);
  g_assert_cmpstr (judge0_verdict (meta, out, stdout_expected), ==, outcome->judge0_bash);
  if (strcmp (outcome->mode, "sum") == 0)
    g_assert_cmpstr (err, ==, "summed\n");
  judge0_cleanup (box_id, workdir);
}

static void
test_judge0_run (void)
{
  if (!require_mount ())
    return;
  const char *variants[] = { "--cg-mem", "-m", "--no-cg-timing", "--share-net" };
  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
      {
        /* Each variant changes one option: run every outcome with the
         * first, the rest only where that option matters. */
        if (v > 0 && strcmp (outcomes[i].mode, "sum") != 0
            && !(v == 1 && strcmp (outcomes[i].mode, "mem") == 0)
            && !(v == 2 && strcmp (outcomes[i].mode, "loop") == 0))
          continue;
        g_test_message ("Judge0 %s, %s", variants[v], outcomes[i].name);
        judge0_run_outcome (&outcomes[i], variants[v]);
      }
}

/* isolate_job.rb's compile line: stderr into stdout, output redirected by
 * the shell, no input. */
static void
test_judge0_compile (void)
{
  if (!require_mount ())
    return;
  const char *box_id = "21";
  g_autofree char *workdir = judge0_init (box_id);
  if (!require_daemon_file (box_id, "stderr-to-stdout"))
    {
      judge0_cleanup (box_id, workdir);
      return;
    }
  g_autofree char *source = data ("prog.c");
  g_autofree char *main_c = g_build_filename (workdir, "box", "main.c", NULL);
  copy_file (source, main_c, 0644);
  g_autofree char *script = g_build_filename (workdir, "box", "compile", NULL);
  write_file (script, "gcc -O2 main.c -o a.out\n");
  g_autofree char *line = g_strdup_printf (
      "isolate --cg -s -b %s -M %s/metadata.txt --stderr-to-stdout -i /dev/null -t 10 -x 0 "
      "-w 20 -k 128000 -p60 --cg-timing --cg-mem=512000 -f 4096 %s --run -- /bin/bash "
      "$(basename %s) > %s/compile_output.txt",
      box_id, workdir, judge0_env, script, workdir);
  g_autoptr (CommandResult) compile = shell (line);
  g_assert_cmpint (compile->status, ==, 0);
  g_autofree char *binary = g_build_filename (workdir, "box", "a.out", NULL);
  g_assert_true (g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE));

  /* A compilation error: the compiler's messages end up in the output. */
  write_file (main_c, "int main (void) { return x; }\n");
  g_autoptr (CommandResult) failed = shell (line);
  g_assert_cmpint (failed->status, ==, 1);
  g_autofree char *output_path = g_build_filename (workdir, "compile_output.txt", NULL);
  g_autofree char *output = read_file (output_path);
  assert_contains (output, "error");
  g_autofree char *meta_path = g_build_filename (workdir, "metadata.txt", NULL);
  g_autoptr (GHashTable) meta = read_meta (meta_path);
  g_assert_cmpstr (g_hash_table_lookup (meta, "status"), ==, "RE");
  g_autofree char *compile_output = g_build_filename (workdir, "compile_output.txt", NULL);
  g_unlink (compile_output);
  judge0_cleanup (box_id, workdir);
}

/* The older isolate_job.rb: files in box/, given with -i, -o and -r. */
static void
test_judge0_box_files (void)
{
  if (!require_mount ())
    return;
  const char *box_id = "22";
  g_autofree char *line = g_strdup_printf ("isolate --cg -b %s --init", box_id);
  g_autoptr (CommandResult) init = shell (line);
  g_assert_cmpint (init->status, ==, 0);
  g_autofree char *workdir = g_strchomp (g_strdup (init->out));
  if (!require_daemon_file (box_id, "stdin-path"))
    {
      judge0_cleanup (box_id, workdir);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      const Outcome *outcome = &outcomes[i];
      g_autofree char *box = g_build_filename (workdir, "box", NULL);
      g_autofree char *prog = g_build_filename (box, "a.out", NULL);
      g_autofree char *in = g_build_filename (box, "stdin.txt", NULL);
      copy_file (host_prog, prog, 0755);
      write_file (in, stdin_text);
      g_autofree char *run = g_strdup_printf (
          "isolate --cg -b %s -i stdin.txt -o stdout.txt -r stderr.txt -M %s/meta.txt -t %s "
          "-x %s -w %s -k 64000 -p60 --cg-mem=%s --cg-timing -f 1024 -E HOME=%s -d '/etc':'noexec' "
          "--run -- ./a.out %s",
          box_id, box, outcome->time, outcome->extra, outcome->wall, outcome->mem, workdir,
          outcome->mode);
      g_autoptr (CommandResult) r = shell (run);
      g_assert_cmpint (r->status, ==, outcome->exit_status);
      g_assert_cmpstr (r->out, ==, "");
      g_autofree char *meta_path = g_build_filename (box, "meta.txt", NULL);
      g_autoptr (GHashTable) meta = read_meta (meta_path);
      check_meta (meta, meta_path, outcome, FALSE);
      g_autofree char *out_path = g_build_filename (box, "stdout.txt", NULL);
      g_autofree char *out = NULL;
      g_file_get_contents (out_path, &out, NULL, NULL);
      g_assert_cmpstr (judge0_verdict (meta, out, stdout_expected), ==, outcome->judge0);
      if (strcmp (outcome->mode, "sum") == 0)
        {
          g_autofree char *err_path = g_build_filename (box, "stderr.txt", NULL);
          g_autofree char *err = read_file (err_path);
          g_assert_cmpstr (err, ==, "summed\n");
          /* Not silent: isolate's status line. */
          g_assert_true (g_str_has_prefix (r->err, "OK ("));
        }
      else
        {
          g_autofree char *status_line
              = g_strconcat (g_hash_table_lookup (meta, "message"), "\n", NULL);
          g_assert_cmpstr (r->err, ==, status_line);
        }
    }
  judge0_cleanup (box_id, workdir);
}

/* ---- CMS ---- */

typedef struct
{
  char *outer; /* the sandbox's outer directory */
  char *home;  /* bound at /tmp, rw */
  guint exec_num;
} CmsSandbox;

static void
cms_init (CmsSandbox *sandbox, const char *box_id)
{
  sandbox->outer = g_build_filename (mount->tmp_dir, "cms", NULL);
  sandbox->home = g_build_filename (sandbox->outer, "home", NULL);
  g_assert_cmpint (g_mkdir_with_parents (sandbox->home, 0755), ==, 0);
  g_assert_cmpint (g_chmod (sandbox->home, 0777), ==, 0);
  g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  add (args, "--box-id=%s", box_id);
  add (args, "--cg");
  add (args, "--init");
  g_autoptr (CommandResult) init = isolate_argv (args, NULL);
  g_assert_cmpint (init->status, ==, 0);
}

/* Sandbox.py's build_box_options() and _popen(). */
static CommandResult *
cms_run (CmsSandbox *sandbox, const char *box_id, gboolean compile, const Outcome *outcome,
         const char *const *command)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  add (args, "--cg");
  add (args, "--box-id=%s", box_id);
  add (args, "--chdir=/tmp");
  add (args, "--dir=/tmp=%s:rw", sandbox->home);
  add (args, "--dir=/dev/shm:tmp");
  if (compile)
    {
      add (args, "--dir=/etc/alternatives");
      add (args, "--dir=/etc");
      add (args, "--full-env");
    }
  add (args, "--env=HOME=/tmp");
  add (args, "--fsize=%d", 1048576 / 1024 * 64);
  if (!compile)
    add (args, "--stdin=/tmp/input.txt");
  add (args, "--stack=%d", 65536);
  add (args, "--cg-mem=%s", compile ? "524288" : outcome->mem);
  add (args, "--stdout=/tmp/%s", compile ? "compiler_stdout.txt" : "output.txt");
  if (compile)
    add (args, "--processes=1000");
  else
    add (args, "--processes=1");
  add (args, "--stderr=/tmp/%s", compile ? "compiler_stderr.txt" : "stderr.txt");
  add (args, "--time=%s", compile ? "10" : outcome->time);
  add (args, "--wall-time=%s", compile ? "20" : outcome->wall);
  if (!compile)
    add (args, "--extra-time=%s", outcome->extra);
  add (args, "--meta=%s/run.meta.%u", sandbox->outer, sandbox->exec_num);
  add (args, "--run");
  add (args, "--");
  for (const char *const *arg = command; *arg != NULL; arg++)
    add (args, "%s", *arg);
  /* CMS gives the sandbox a pipe it closes at once. */
  return isolate_argv (args, "");
}

static void
test_cms (void)
{
  if (!require_mount ())
    return;
  const char *box_id = "30";
  CmsSandbox sandbox = { 0 };
  cms_init (&sandbox, box_id);
  if (!require_daemon_file (box_id, "chdir"))
    {
      g_autofree char *line = g_strdup_printf ("isolate --box-id=%s --cg --cleanup", box_id);
      g_autoptr (CommandResult) cleanup = shell (line);
      return;
    }
  g_autofree char *source = data ("prog.c");
  g_autofree char *inner_source = g_build_filename (sandbox.home, "prog.c", NULL);
  copy_file (source, inner_source, 0644);

  /* Compile, as CMS compiles C: statically, in the sandbox. */
  const char *compile_command[]
      = { "/usr/bin/gcc", "-DEVAL", "-std=gnu11", "-O2",    "-pipe", "-static",
          "-s",           "-o",     "prog",       "prog.c", "-lm",   NULL };
  g_autoptr (CommandResult) compile = cms_run (&sandbox, box_id, TRUE, NULL, compile_command);
  g_assert_cmpint (compile->status, ==, 0);
  g_autofree char *compile_meta_path = g_strdup_printf ("%s/run.meta.0", sandbox.outer);
  g_autoptr (GHashTable) compile_meta = read_meta (compile_meta_path);
  g_assert_cmpstr (cms_verdict (compile_meta), ==, "ok");
  g_autofree char *binary = g_build_filename (sandbox.home, "prog", NULL);
  g_assert_true (g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE));
  g_autofree char *input = g_build_filename (sandbox.home, "input.txt", NULL);
  write_file (input, stdin_text);

  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      const Outcome *outcome = &outcomes[i];
      sandbox.exec_num++;
      const char *command[] = { "./prog", outcome->mode, NULL };
      g_autoptr (CommandResult) run = cms_run (&sandbox, box_id, FALSE, outcome, command);
      /* Sandbox.py's translate_box_exitcode: 0 and 1 are a sandbox that worked. */
      g_assert_cmpint (run->status, ==, outcome->exit_status);
      g_autofree char *meta_path
          = g_strdup_printf ("%s/run.meta.%u", sandbox.outer, sandbox.exec_num);
      g_autoptr (GHashTable) meta = read_meta (meta_path);
      check_meta (meta, meta_path, outcome, FALSE);
      g_assert_cmpstr (cms_verdict (meta), ==, outcome->cms);
      if (strcmp (outcome->mode, "sum") == 0)
        {
          g_autofree char *output_path = g_build_filename (sandbox.home, "output.txt", NULL);
          g_autofree char *output = read_file (output_path);
          g_assert_cmpstr (output, ==, stdout_expected);
        }
    }

  /* Sandbox.cleanup(delete=True): a chmod run, then --cleanup. */
  g_autoptr (GPtrArray) chmod_args = g_ptr_array_new_with_free_func (g_free);
  add (chmod_args, "--box-id=%s", box_id);
  add (chmod_args, "--cg");
  add (chmod_args, "--dir=/tmp=%s:rw", sandbox.home);
  add (chmod_args, "--run");
  add (chmod_args, "--");
  add (chmod_args, "/bin/chmod");
  add (chmod_args, "777");
  add (chmod_args, "-R");
  add (chmod_args, "/tmp");
  g_autoptr (CommandResult) chmod = isolate_argv (chmod_args, NULL);
  /* CMS ignores the status: chmod fails on the files CMS itself (root
   * here) put in its directory, as with isolate. The sandbox worked. */
  g_assert_cmpint (chmod->status, !=, 2);
  g_autoptr (GPtrArray) cleanup_args = g_ptr_array_new_with_free_func (g_free);
  add (cleanup_args, "--box-id=%s", box_id);
  add (cleanup_args, "--cg");
  add (cleanup_args, "--cleanup");
  g_autoptr (CommandResult) cleanup = isolate_argv (cleanup_args, NULL);
  g_assert_cmpint (cleanup->status, ==, 0);
  g_free (sandbox.outer);
  g_free (sandbox.home);
}

/* ---- the front end's own stdio, settings and errors ---- */

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
  g_autoptr (CommandResult) missing = shell ("isolate -s -b 40 --run -- ./nothing-here");
  g_assert_cmpint (missing->status, ==, 2);
  assert_contains (missing->err, "nothing-here");

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
    { "isolate --bogus --init", "unrecognized option '--bogus'" },
    { "isolate -b 1", "Please specify an isolate command" },
    { "isolate --run -b 1", "--run mode requires a command to run" },
    { "isolate --init --cleanup", "Only one command is allowed." },
    { "isolate -b x --init", "Invalid numeric parameter: x" },
    { "isolate --cg-mem=5 --init", "require --cg to be set" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (usage); i++)
    {
      g_autoptr (CommandResult) r = shell (usage[i].line);
      g_assert_cmpint (r->status, ==, 2);
      assert_contains (r->err, usage[i].message);
      g_assert_cmpstr (r->out, ==, "");
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
  g_test_add_func ("/compat/quota", test_quota);
  g_test_add_func ("/compat/judge0/run", test_judge0_run);
  g_test_add_func ("/compat/judge0/compile", test_judge0_compile);
  g_test_add_func ("/compat/judge0/box-files", test_judge0_box_files);
  g_test_add_func ("/compat/cms", test_cms);
  int status = g_test_run ();
  g_clear_pointer (&mount, mount_free);
  g_free (bin_dir);
  g_free (work_dirs);
  g_free (host_prog);
  return status;
}
