/* mini-isolate-compat against a real mount: the command lines CMS
 * (cms/grading/Sandbox.py) and Judge0 (app/jobs/isolate_job.rb) build,
 * run unchanged through an `isolate` link to it, for a correct run, a
 * runtime error, a signal, a time-out, a wall-clock time-out and a memory
 * kill; the meta files are read the way those clients read them. */

#include "compat_fixture.h"

#include "tests/integration/machine_speed.h"

#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* The outcome's time limits: the one it means to hit as it is, the others
 * scaled to this machine's speed (machine_speed.h). */
static char *
outcome_time (const Outcome *outcome)
{
  return strcmp (outcome->mode, "loop") == 0
             ? g_strdup (outcome->time)
             : machine_scaled_seconds (g_ascii_strtod (outcome->time, NULL));
}

static char *
outcome_wall (const Outcome *outcome)
{
  return strcmp (outcome->mode, "sleep") == 0
             ? g_strdup (outcome->wall)
             : machine_scaled_seconds (g_ascii_strtod (outcome->wall, NULL));
}

/* What isolate 1.10.1's meta file holds for each outcome; through_bash
 * when the program ran as a child of bash, which then exits 128 + the
 * signal that killed it. */
static void
check_meta (GHashTable *meta, const char *meta_path, const Outcome *outcome, gboolean through_bash,
            gboolean per_process_memory)
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
  else if (per_process_memory && strcmp (outcome->mode, "mem") == 0)
    {
      /* -m is isolate's RLIMIT_AS: malloc fails, the program exits 5. */
      g_assert_cmpstr (status, ==, "RE");
      g_assert_cmpstr (g_hash_table_lookup (meta, "exitcode"), ==, "5");
      g_assert_false (g_hash_table_contains (meta, "cg-oom-killed"));
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
  g_autofree char *time = outcome_time (outcome);
  g_autofree char *wall = outcome_wall (outcome);
  g_autofree char *line = g_strdup_printf (
      "isolate --cg -s -b %s -M %s/metadata.txt %s -t %s -x %s -w %s -k 64000 -p60 %s %s%s "
      "-f 1024 %s --run -- /bin/bash $(basename %s) < %s/stdin.txt > %s/stdout.txt "
      "2> %s/stderr.txt",
      box_id, workdir, strcmp (variant, "--share-net") == 0 ? "--share-net" : "", time,
      outcome->extra, wall, timing, per_process_memory ? "-m " : "--cg-mem=", outcome->mem,
      judge0_env, script, workdir, workdir, workdir);
  g_autoptr (CommandResult) run = shell (line);
  g_assert_cmpint (run->status, ==, outcome->exit_status);
  g_assert_cmpstr (run->err, ==, ""); /* -s, and stderr redirected */

  g_autofree char *meta_path = g_build_filename (workdir, "metadata.txt", NULL);
  g_autoptr (GHashTable) meta = read_meta (meta_path);
  check_meta (meta, meta_path, outcome, TRUE, per_process_memory);
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
      g_autofree char *time = outcome_time (outcome);
      g_autofree char *wall = outcome_wall (outcome);
      g_autofree char *run = g_strdup_printf (
          "isolate --cg -b %s -i stdin.txt -o stdout.txt -r stderr.txt -M %s/meta.txt -t %s "
          "-x %s -w %s -k 64000 -p60 --cg-mem=%s --cg-timing -f 1024 -E HOME=%s -d '/etc':'noexec' "
          "--run -- ./a.out %s",
          box_id, box, time, outcome->extra, wall, outcome->mem, workdir, outcome->mode);
      g_autoptr (CommandResult) r = shell (run);
      g_assert_cmpint (r->status, ==, outcome->exit_status);
      g_assert_cmpstr (r->out, ==, "");
      g_autofree char *meta_path = g_build_filename (box, "meta.txt", NULL);
      g_autoptr (GHashTable) meta = read_meta (meta_path);
      check_meta (meta, meta_path, outcome, FALSE, FALSE);
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
  g_autofree char *time = compile ? machine_scaled_seconds (10) : outcome_time (outcome);
  g_autofree char *wall = compile ? machine_scaled_seconds (20) : outcome_wall (outcome);
  add (args, "--time=%s", time);
  add (args, "--wall-time=%s", wall);
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
      check_meta (meta, meta_path, outcome, FALSE, FALSE);
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compat/judge0/run", test_judge0_run);
  g_test_add_func ("/compat/judge0/compile", test_judge0_compile);
  g_test_add_func ("/compat/judge0/box-files", test_judge0_box_files);
  g_test_add_func ("/compat/cms", test_cms);
  int status = g_test_run ();
  compat_fixture_tear_down ();
  return status;
}
