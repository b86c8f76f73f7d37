/* isolate's verdicts through mini-isolate-compat (issue 19), in the form the
 * judges use it: Judge0's command line with -f and shell redirections, CMS's
 * with -o and -r files, the /tmp program under --cg-mem, programs that
 * cannot be executed, -m without --cg, and isolate's remaining options. The
 * expected verdicts, exit statuses and meta keys are what isolate 1.10.1
 * gave for the same command lines on the same machine (docs/compat.md). */

#include "compat_fixture.h"

#include <glib/gstdio.h>

#include <string.h>
#include <sys/stat.h>

/* --init of a box with Judge0's files beside box/ and the program in it,
 * run as `/bin/bash run`. */
static char *
judge0_box (const char *box_id, const char *run_line)
{
  char *workdir = judge0_init (box_id);
  g_autofree char *prog = g_build_filename (workdir, "box", "a.out", NULL);
  copy_file (host_prog, prog, 0755);
  g_autofree char *script = g_build_filename (workdir, "box", "run", NULL);
  write_file (script, run_line);
  return workdir;
}

static void
cleanup_box (const char *box_id)
{
  g_autofree char *line = g_strdup_printf ("isolate --cg -b %s --cleanup", box_id);
  g_autoptr (CommandResult) cleanup = shell (line);
  g_assert_cmpint (cleanup->status, ==, 0);
}

/* isolate_job.rb's run line; cg is "--cg" and memory "--cg-mem=KiB", or ""
 * and "-m KiB" for its per-process limits. */
static CommandResult *
judge0_run (const char *box_id, const char *workdir, const char *cg, const char *memory)
{
  g_autofree char *line = g_strdup_printf (
      "isolate %s -s -b %s -M %s/metadata.txt -t 5 -x 1 -w 10 -k 64000 -p60 %s %s -f 1024 "
      "-E HOME=/tmp -d /etc:noexec --run -- /bin/bash run < %s/stdin.txt > %s/stdout.txt "
      "2> %s/stderr.txt",
      cg, box_id, workdir, cg[0] ? "--cg-timing" : "", memory, workdir, workdir, workdir);
  return shell (line);
}

static GHashTable *
meta_of (const char *workdir, const char *name)
{
  g_autofree char *path = g_build_filename (workdir, name, NULL);
  return read_meta (path);
}

static gint64
size_of (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  struct stat st;
  return stat (path, &st) == 0 ? st.st_size : -1;
}

static void
assert_meta_value (GHashTable *meta, const char *key, const char *expected)
{
  g_assert_cmpstr (g_hash_table_lookup (meta, key), ==, expected);
}

/* Judge0 -f 1024, 2 MiB of output to the shell's stdout.txt: isolate gives
 * exit status 1, exitcode:153 (SIGXFSZ through bash), status RE, and 1 MiB
 * in stdout.txt. */
static void
test_judge0_fsize (void)
{
  if (!require_mount ())
    return;
  g_autofree char *workdir = judge0_box ("50", "./a.out big\n");
  g_autoptr (CommandResult) run = judge0_run ("50", workdir, "--cg", "--cg-mem=262144");
  g_assert_cmpint (run->status, ==, 1);
  g_autoptr (GHashTable) meta = meta_of (workdir, "metadata.txt");
  assert_meta_value (meta, "exitcode", "153");
  assert_meta_value (meta, "status", "RE");
  assert_meta_value (meta, "message", "Exited with error status 153");
  g_assert_true (g_hash_table_contains (meta, "cg-mem"));
  g_assert_cmpint (size_of (workdir, "stdout.txt"), ==, 1048576);
  cleanup_box ("50");
}

/* CMS: --fsize=1024 with --stdout and --stderr files in the sandbox, the
 * program run directly: SIGXFSZ kills it (exitsig:25, status SG). */
static void
test_cms_fsize (void)
{
  if (!require_mount ())
    return;
  g_autofree char *workdir = judge0_box ("51", "");
  g_autofree char *box = g_build_filename (workdir, "box", NULL);
  g_autofree char *line
      = g_strdup_printf ("isolate --cg --box-id=51 --fsize=1024 --stdout=out.txt --stderr=err.txt "
                         "--cg-mem=262144 --meta=%s/run.meta --run -- ./a.out big",
                         workdir);
  g_autoptr (CommandResult) run = shell (line);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (run->err, ==, "Caught fatal signal 25\n");
  g_autoptr (GHashTable) meta = meta_of (workdir, "run.meta");
  assert_meta_value (meta, "exitsig", "25");
  assert_meta_value (meta, "status", "SG");
  assert_meta_value (meta, "message", "Caught fatal signal 25");
  g_assert_cmpint (size_of (box, "out.txt"), ==, 1048576);
  cleanup_box ("51");
}

/* 60 files of 1000 KiB in /tmp, then 80 MiB of heap, under
 * --cg-mem=128000; then one file of 100 MiB. isolate's /tmp is on disk:
 * both are OK there (exit status 0, no status key). */
static void
test_tmp_is_not_memory (void)
{
  if (!require_mount ())
    return;
  g_autofree char *workdir = judge0_box ("52", "./a.out tmp 60 1000 80\n");
  g_autoptr (CommandResult) files = judge0_run ("52", workdir, "--cg", "--cg-mem=128000");
  g_autoptr (GHashTable) meta = meta_of (workdir, "metadata.txt");
  g_assert_cmpint (files->status, ==, 0);
  assert_meta_value (meta, "exitcode", "0");
  g_assert_false (g_hash_table_contains (meta, "status"));
  g_assert_false (g_hash_table_contains (meta, "cg-oom-killed"));

  /* One file of 100 MiB, as isolate --cg --cg-mem=128000 -f 200000 took it. */
  g_autofree char *big_line = g_strdup_printf (
      "isolate --cg -b 52 -M %s/big.meta --cg-mem=128000 -t 10 -w 20 -f 200000 --run -- "
      "./a.out tmp 1 102400 0",
      workdir);
  g_autoptr (CommandResult) big = shell (big_line);
  g_autoptr (GHashTable) big_meta = meta_of (workdir, "big.meta");
  g_assert_cmpint (big->status, ==, 0);
  assert_meta_value (big_meta, "exitcode", "0");

  /* Fresh at every run: what the last run left in /tmp is gone. */
  g_autofree char *script = g_build_filename (workdir, "box", "run", NULL);
  write_file (script, "ls -A /tmp\n");
  g_autoptr (CommandResult) empty = judge0_run ("52", workdir, "--cg", "--cg-mem=128000");
  g_assert_cmpint (empty->status, ==, 0);
  g_autofree char *stdout_path = g_build_filename (workdir, "stdout.txt", NULL);
  g_autofree char *listed = read_file (stdout_path);
  g_assert_cmpstr (listed, ==, "");
  cleanup_box ("52");
}

/* A missing program and a file without the execute bit: isolate's exit
 * status 1, exitcode:127, status RE, "Exited with error status 127", and
 * execve("PROG"): REASON on the program's stderr. */
static void
test_cannot_execute (void)
{
  if (!require_mount ())
    return;
  g_autofree char *workdir = judge0_box ("53", "");
  g_autofree char *not_executable = g_build_filename (workdir, "box", "data.txt", NULL);
  write_file (not_executable, "not a program\n");
  const struct
  {
    const char *program;
    const char *stderr_text;
  } cases[] = {
    { "./missing", "execve(\"./missing\"): No such file or directory\n" },
    { "./data.txt", "execve(\"./data.txt\"): Permission denied\n" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = g_strdup_printf ("isolate --cg -b 53 -M %s/meta.txt --run -- %s",
                                               workdir, cases[i].program);
      g_autoptr (CommandResult) run = shell (line);
      g_assert_cmpint (run->status, ==, 1);
      g_autofree char *expected_err
          = g_strconcat (cases[i].stderr_text, "Exited with error status 127\n", NULL);
      g_assert_cmpstr (run->err, ==, expected_err);
      g_autoptr (GHashTable) meta = meta_of (workdir, "meta.txt");
      const char *keys[]
          = { "time", "time-wall", "max-rss", "csw-voluntary", "csw-forced", "cg-mem" };
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        g_assert_true (g_hash_table_contains (meta, keys[k]));
      assert_meta_value (meta, "exitcode", "127");
      assert_meta_value (meta, "status", "RE");
      assert_meta_value (meta, "message", "Exited with error status 127");
    }
  cleanup_box ("53");
}

/* Judge0's per-process mode: no --cg, -m 65536 -k 64000 -p60. isolate sets
 * RLIMIT_AS: a second thread's stack cannot be mapped (exitcode:2 from the
 * program, status RE) and 64 MiB of heap cannot be had (exitcode:3); with
 * -m 131072 the thread starts. Without --cg the meta file has no cg-mem. */
static void
test_judge0_address_space (void)
{
  if (!require_mount ())
    return;
  g_autofree char *workdir = judge0_box ("54", "./a.out thread\n");
  g_autoptr (CommandResult) thread = judge0_run ("54", workdir, "", "-m 65536");
  g_assert_cmpint (thread->status, ==, 1);
  g_autoptr (GHashTable) meta = meta_of (workdir, "metadata.txt");
  assert_meta_value (meta, "exitcode", "2");
  assert_meta_value (meta, "status", "RE");
  g_assert_false (g_hash_table_contains (meta, "cg-mem"));
  g_autofree char *stderr_path = g_build_filename (workdir, "stderr.txt", NULL);
  g_autofree char *err = read_file (stderr_path);
  g_assert_cmpstr (err, ==, "pthread_create: Resource temporarily unavailable\n");

  g_autoptr (CommandResult) roomier = judge0_run ("54", workdir, "", "-m 131072");
  g_assert_cmpint (roomier->status, ==, 0);

  g_autofree char *script = g_build_filename (workdir, "box", "run", NULL);
  write_file (script, "./a.out heap64\n");
  g_autoptr (CommandResult) heap = judge0_run ("54", workdir, "", "-m 65536");
  g_assert_cmpint (heap->status, ==, 1);
  g_autoptr (GHashTable) heap_meta = meta_of (workdir, "metadata.txt");
  assert_meta_value (heap_meta, "exitcode", "3");
  g_assert_false (g_hash_table_contains (heap_meta, "cg-oom-killed"));
  cleanup_box ("54");
}

/* isolate 1.10.1's options that compat used to refuse. --core: a crash
 * leaves a core file in box/ where kernel.core_pattern is a plain name.
 * --special-files and --tty-hack: accepted, each with one warning line (but
 * for -s); special files are still removed. */
static void
test_remaining_options (void)
{
  if (!require_mount ())
    return;
  g_autofree char *workdir = judge0_box ("55", "");
  g_autofree char *box = g_build_filename (workdir, "box", NULL);

  g_autoptr (CommandResult) core = shell ("isolate --cg -b 55 --core=4096 --run -- ./a.out segv");
  g_assert_cmpint (core->status, ==, 1);
  g_assert_cmpstr (core->err, ==, "Caught fatal signal 11\n");
  g_autofree char *pattern = NULL;
  g_file_get_contents ("/proc/sys/kernel/core_pattern", &pattern, NULL, NULL);
  if (pattern != NULL && strcmp (g_strstrip (pattern), "core") == 0)
    g_assert_cmpint (size_of (box, "core"), >, 0);
  else
    g_test_message ("core file not looked for: kernel.core_pattern is not 'core'");
  g_autoptr (CommandResult) no_core = shell ("isolate --cg -b 55 --run -- ./a.out segv");
  g_assert_cmpint (no_core->status, ==, 1);

  g_autoptr (CommandResult) special
      = shell ("isolate --cg -b 55 --special-files --run -- ./a.out special");
  g_assert_cmpint (special->status, ==, 0);
  g_assert_true (g_str_has_prefix (special->err, "isolate: --special-files: "));
  g_auto (GStrv) special_lines = g_strsplit (special->err, "\n", -1);
  g_assert_cmpuint (g_strv_length (special_lines), ==, 3); /* the warning, the status line */
  g_autofree char *link = g_build_filename (box, "link", NULL);
  struct stat st;
  g_assert_cmpint (lstat (link, &st), ==, -1);

  g_autoptr (CommandResult) tty = shell ("isolate --cg -b 55 --tty-hack --run -- /bin/true");
  g_assert_cmpint (tty->status, ==, 0);
  g_assert_true (g_str_has_prefix (tty->err, "isolate: --tty-hack: "));
  g_autoptr (CommandResult) quiet
      = shell ("isolate --cg -s -b 55 --tty-hack --special-files --inherit-fds --run -- /bin/true");
  g_assert_cmpint (quiet->status, ==, 0);
  g_assert_cmpstr (quiet->err, ==, "");
  cleanup_box ("55");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compat/verdicts/judge0-fsize", test_judge0_fsize);
  g_test_add_func ("/compat/verdicts/cms-fsize", test_cms_fsize);
  g_test_add_func ("/compat/verdicts/tmp-is-not-memory", test_tmp_is_not_memory);
  g_test_add_func ("/compat/verdicts/cannot-execute", test_cannot_execute);
  g_test_add_func ("/compat/verdicts/judge0-address-space", test_judge0_address_space);
  g_test_add_func ("/compat/verdicts/remaining-options", test_remaining_options);
  int status = g_test_run ();
  compat_fixture_tear_down ();
  return status;
}
