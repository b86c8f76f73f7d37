/* The verdicts IOI isolate 1.10.1 gives, through the file interface (issue
 * 19): what a program's output, its /tmp, a program that cannot start and
 * the per-process limits do. Each case was run through isolate 1.10.1 on
 * the same machine; the expected figures are what it gave. The same cases
 * through mini-isolate-compat are in tests/compat/test_compat_verdicts.c. */

#include "mount_fixture.h"
#include "run_status.h"

#include <glib/gstdio.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/* How many bytes a control file gives. */
static gsize
read_length (const Mount *mount, const char *name)
{
  g_autofree char *path = mount_path (mount, name);
  g_autofree char *data = NULL;
  gsize length = 0;
  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  return length;
}

/* isolate -f 1024 --run -- PROG > stdout.txt: the program writes the file,
 * and RLIMIT_FSIZE stops it at 1 MiB with SIGXFSZ (status SG, exitsig 25;
 * through a shell, exit code 153). Here the box's stdout and stderr files,
 * and the files of stdout-path and stderr-path, are written by the program
 * in the same way. */
static void
test_fsize_applies_to_output (BoxFixture *fixture, gconstpointer data)
{
  Mount *mount = fixture->mount;
  if (mount == NULL)
    return;
  g_assert_cmpint (put (mount, "b/processes", "10"), ==, 0);
  g_assert_cmpint (put (mount, "b/fsize", "1024"), ==, 0);

  g_autofree char *out = run (mount, "head -c 2097152 /dev/zero");
  assert_meta (out, "status", "SG");
  assert_meta (out, "exitsig", "25");
  assert_meta (out, "message", "Caught fatal signal 25");
  g_assert_cmpuint (read_length (mount, "b/stdout"), ==, 1048576);
  g_assert_null (meta (out, "output-truncated"));

  g_autofree char *err = run (mount, "bash -c 'exec head -c 2097152 /dev/zero >&2'");
  assert_meta (err, "exitsig", "25");
  g_assert_cmpuint (read_length (mount, "b/stderr"), ==, 1048576);

  /* Judge0 runs the program from a script, `/bin/bash run`. */
  g_autofree char *script = mount_path (mount, "b/box/run");
  g_assert_true (g_file_set_contents (script, "head -c 2097152 /dev/zero\n", -1, NULL));
  g_autofree char *judge0 = run (mount, "/bin/bash run");
  assert_meta (judge0, "status", "RE");
  assert_meta (judge0, "exitcode", "153");
  assert_meta (judge0, "message", "Exited with error status 153");

  /* The write that crosses the limit is cut short; the next fails with
   * EFBIG (27), SIGXFSZ ignored. */
  g_autofree char *efbig = run (mount, "python3 -c \"import os, signal, sys\n"
                                       "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
                                       "n = os.write(1, b'x' * 2097152)\n"
                                       "try:\n  os.write(1, b'x')\nexcept OSError as e:\n"
                                       "  sys.stderr.write('%d %d' % (n, e.errno))\"");
  assert_meta (efbig, "exitcode", "0");
  assert_reads (mount, "b/stderr", "1048576 27");
  g_assert_cmpuint (read_length (mount, "b/stdout"), ==, 1048576);

  g_assert_cmpint (put (mount, "b/stdout-path", "/box/out.txt"), ==, 0);
  g_assert_cmpint (put (mount, "b/stderr-path", "/box/err.txt"), ==, 0);
  g_autofree char *to_path = run (mount, "head -c 2097152 /dev/zero");
  assert_meta (to_path, "exitsig", "25");
  g_assert_cmpint (stat_size (mount, "b/box/out.txt"), ==, 1048576);
  g_autofree char *err_path = run (mount, "bash -c 'exec head -c 2097152 /dev/zero >&2'");
  assert_meta (err_path, "exitsig", "25");
  g_assert_cmpint (stat_size (mount, "b/box/err.txt"), ==, 1048576);
  assert_reads (mount, "b/stdout", "");
}

/* max_output (4K here) is the daemon's own cap on top of fsize: past it the
 * rest is cut off, the program neither blocked nor killed. A program that
 * seeks far past the end of its stdout leaves no more than the cap behind. */
static void
test_max_output_on_top (BoxFixture *fixture, gconstpointer data)
{
  Mount *mount = fixture->mount;
  if (mount == NULL)
    return;
  g_assert_cmpint (put (mount, "b/fsize", "unlimited"), ==, 0);
  g_autofree char *status = run (mount, "python3 -c \"import os\nos.write(1, b'a' * 8192)\n"
                                        "os.lseek(1, 1 << 40, os.SEEK_SET)\nos.write(1, b'z')\"");
  assert_meta (status, "exitcode", "0");
  assert_meta (status, "output-truncated", "1");
  g_autofree char *kept = get (mount, "b/stdout");
  g_assert_cmpuint (strlen (kept), ==, 4096);
  g_assert_true (strspn (kept, "a") == 4096);
  g_autofree char *file = g_build_filename (mount->state_dir, "boxes", "b", "stdout", NULL);
  struct stat st;
  g_assert_cmpint (stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 4096);
  g_assert_cmpint (st.st_blocks * 512, <=, 8192);
}

/* The run ends with the program, as under isolate: a background process
 * that still holds stdout is killed, and what it wrote before is there. */
static void
test_output_complete_when_status_answers (BoxFixture *fixture, gconstpointer data)
{
  Mount *mount = fixture->mount;
  if (mount == NULL)
    return;
  g_assert_cmpint (put (mount, "b/processes", "10"), ==, 0);
  g_autofree char *status
      = run (mount, "sh -c '(echo early; sleep 30; echo late) & sleep 0.2; echo main'");
  assert_meta (status, "exitcode", "0");
  g_assert_cmpfloat (meta_seconds (status, "time-wall"), <, 5);
  assert_reads (mount, "b/stdout", "early\nmain\n");
}

/* isolate --run -- ./prog, for a program that is missing, not executable,
 * or a script without "#!": status RE, exitcode 127, message "Exited with
 * error status 127", and on the program's stderr isolate's line. */
static void
test_cannot_execute (BoxFixture *fixture, gconstpointer data)
{
  Mount *mount = fixture->mount;
  if (mount == NULL)
    return;
  g_autofree char *not_executable = mount_path (mount, "b/box/noexec");
  g_assert_true (g_file_set_contents (not_executable,
                                      "\x7f"
                                      "ELF",
                                      -1, NULL));
  g_autofree char *script = mount_path (mount, "b/box/noshebang");
  g_assert_true (g_file_set_contents (script, "echo hi\n", -1, NULL));
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);

  const struct
  {
    const char *cmd;
    const char *stderr_text;
  } cases[] = {
    { "./missing", "execve(\"./missing\"): No such file or directory\n" },
    { "missing", "execve(\"missing\"): No such file or directory\n" },
    { "./noexec", "execve(\"./noexec\"): Permission denied\n" },
    { "./noshebang", "execve(\"./noshebang\"): Exec format error\n" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *status = run (mount, cases[i].cmd);
      assert_meta (status, "exitcode", "127");
      assert_meta (status, "status", "RE");
      assert_meta (status, "message", "Exited with error status 127");
      assert_reads (mount, "b/stderr", cases[i].stderr_text);
      assert_reads (mount, "b/stdout", "");
    }
  /* With stderr-path, the line goes to that file, as isolate's -r. */
  g_assert_cmpint (put (mount, "b/stderr-path", "err.txt"), ==, 0);
  g_autofree char *to_file = run (mount, "./missing");
  assert_meta (to_file, "exitcode", "127");
  g_autofree char *err_txt = mount_path (mount, "b/box/err.txt");
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (err_txt, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "execve(\"./missing\"): No such file or directory\n");

  /* XX is for the sandbox itself: here a working directory that is not there. */
  g_assert_cmpint (put (mount, "b/chdir", "/nowhere"), ==, 0);
  g_autofree char *xx = run (mount, "/bin/true");
  assert_meta (xx, "status", "XX");
  assert_meta (xx, "message", "cannot enter /nowhere: No such file or directory");
}

/* isolate -m 65536 (no --cg) sets RLIMIT_AS: a second thread's 64000 KiB
 * stack (-k 64000) cannot be mapped, and 64 MiB of heap cannot be had: the
 * program fails by itself (RE), where a memory cgroup would kill it (SG). */
static void
test_address_space (BoxFixture *fixture, gconstpointer data)
{
  Mount *mount = fixture->mount;
  if (mount == NULL)
    return;
  g_assert_cmpint (put (mount, "b/processes", "60"), ==, 0);
  g_assert_cmpint (put (mount, "b/stack", "64000"), ==, 0);
  g_assert_cmpint (put (mount, "b/mem", "unlimited"), ==, 0);
  g_assert_cmpint (put (mount, "b/address-space", "64M"), ==, 0);
  assert_reads (mount, "b/address-space", "65536\n");

  g_autofree char *thread
      = run (mount, "python3 -c \"import threading\n"
                    "t = threading.Thread(target=print)\nt.start()\nt.join()\"");
  assert_meta (thread, "status", "RE");
  assert_meta (thread, "exitcode", "1");
  g_autofree char *thread_err = get (mount, "b/stderr");
  g_assert_nonnull (strstr (thread_err, "can't start new thread"));

  g_assert_cmpint (put (mount, "b/stack", "8M"), ==, 0);
  g_autofree char *heap = run (mount, "python3 -c \"x = bytearray(64 << 20)\"");
  assert_meta (heap, "status", "RE");
  assert_meta (heap, "exitcode", "1");
  g_assert_null (meta (heap, "cg-oom-killed"));
  g_autofree char *heap_err = get (mount, "b/stderr");
  g_assert_nonnull (strstr (heap_err, "MemoryError"));

  /* The same heap under a memory cgroup limit instead: killed. */
  g_assert_cmpint (put (mount, "b/address-space", "unlimited"), ==, 0);
  g_assert_cmpint (put (mount, "b/mem", "64M"), ==, 0);
  g_autofree char *oom = run (mount, "python3 -c \"x = bytearray(64 << 20)\"");
  assert_meta (oom, "status", "SG");
  assert_meta (oom, "exitsig", "9");
  assert_meta (oom, "cg-oom-killed", "1");
}

/* The soft limit, hard limit and unit of a line of /proc/self/limits, as
 * "7 7 processes". */
static char *
limits_line (const char *limits, const char *name)
{
  g_auto (GStrv) lines = g_strsplit (limits, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], name))
      {
        g_auto (GStrv) words = g_strsplit (lines[i] + strlen (name), " ", -1);
        GString *line = g_string_new (NULL);
        for (guint w = 0; words[w] != NULL; w++)
          if (words[w][0] != '\0')
            g_string_append_printf (line, "%s%s", line->len ? " " : "", words[w]);
        return g_string_free (line, FALSE);
      }
  return g_strdup ("");
}

/* The rlimits isolate sets besides those of its options: RLIMIT_NPROC equal
 * to --processes, RLIMIT_MEMLOCK 0, RLIMIT_CORE from --core (0 by default). */
static void
test_process_rlimits (BoxFixture *fixture, gconstpointer data)
{
  Mount *mount = fixture->mount;
  if (mount == NULL)
    return;
  g_assert_cmpint (put (mount, "b/processes", "7"), ==, 0);
  g_autofree char *status = run (mount, "cat /proc/self/limits");
  assert_meta (status, "exitcode", "0");
  g_autofree char *limits = get (mount, "b/stdout");
  g_autofree char *nproc = limits_line (limits, "Max processes");
  g_autofree char *memlock = limits_line (limits, "Max locked memory");
  g_autofree char *core = limits_line (limits, "Max core file size");
  g_assert_cmpstr (nproc, ==, "7 7 processes");
  g_assert_cmpstr (memlock, ==, "0 0 bytes");
  g_assert_cmpstr (core, ==, "0 0 bytes");

  /* A second process of the box's uid is refused by RLIMIT_NPROC as by
   * the pids cgroup. */
  g_assert_cmpint (put (mount, "b/processes", "1"), ==, 0);
  g_autofree char *forked = run (mount, "python3 -c \"import os\nos.fork()\"");
  assert_meta (forked, "status", "RE");
  g_autofree char *fork_err = get (mount, "b/stderr");
  g_assert_nonnull (strstr (fork_err, "Resource temporarily unavailable"));
}

/* isolate --core=4096: a crash may leave a core file where
 * kernel.core_pattern says; with a plain name (Debian's "core"), in the
 * working directory. */
static void
test_core_file (BoxFixture *fixture, gconstpointer data)
{
  Mount *mount = fixture->mount;
  if (mount == NULL)
    return;
  g_autofree char *pattern = NULL;
  g_file_get_contents ("/proc/sys/kernel/core_pattern", &pattern, NULL, NULL);
  g_strstrip (pattern);
  g_assert_cmpint (put (mount, "b/processes", "2"), ==, 0);
  g_autofree char *none = run (mount, "sh -c 'kill -SEGV $$'");
  assert_meta (none, "exitsig", "11");
  g_autofree char *core = mount_path (mount, "b/box/core");
  g_assert_false (g_file_test (core, G_FILE_TEST_EXISTS));

  g_assert_cmpint (put (mount, "b/core", "4096"), ==, 0);
  g_autofree char *dumped = run (mount, "sh -c 'kill -SEGV $$'");
  assert_meta (dumped, "exitsig", "11");
  if (strcmp (pattern, "core") != 0)
    {
      g_test_skip_printf ("kernel.core_pattern is '%s', not 'core': where a core goes is the "
                          "host's; only the limit is checked",
                          pattern);
      g_autofree char *limits = run (mount, "cat /proc/self/limits");
      g_autofree char *text = get (mount, "b/stdout");
      g_autofree char *line = limits_line (text, "Max core file size");
      g_assert_cmpstr (line, ==, "4194304 4194304 bytes");
      return;
    }
  struct stat st;
  g_assert_cmpint (stat (core, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_size, >, 0);
  g_assert_cmpint (st.st_size, <=, 4096 * 1024);
  g_assert_cmpint (st.st_uid, ==, 0); /* the box's owner's, like any file of box/ */
}

/* isolate's /tmp is a directory on disk: 60 files of 1000 KiB in it, then
 * 80 MiB of heap, under --cg-mem=128000, are OK there, and so is one file
 * of 100 MiB (Accepted, exitcode 0). Here the same, and /tmp is fresh at
 * every run. */
static void
test_tmp_on_disk (BoxFixture *fixture, gconstpointer data)
{
  Mount *mount = fixture->mount;
  if (mount == NULL)
    return;
  g_assert_cmpint (put (mount, "b/processes", "10"), ==, 0);
  g_assert_cmpint (put (mount, "b/fsize", "unlimited"), ==, 0);
  g_assert_cmpint (put (mount, "b/mem", "128000"), ==, 0);
  g_autofree char *files = run (
      mount, "sh -c 'for i in $(seq 60); do head -c 1024000 /dev/zero > /tmp/f$i || exit 9; done; "
             "exec python3 -c \"x = bytearray(80 << 20)\"'");
  assert_meta (files, "exitcode", "0");
  g_assert_null (meta (files, "cg-oom-killed"));

  g_autofree char *big = run (mount, "sh -c 'head -c 104857600 /dev/zero > /tmp/big && ls /tmp'");
  assert_meta (big, "exitcode", "0");
  assert_reads (mount, "b/stdout", "big\n"); /* the first run's files are gone */
  g_autofree char *fresh = run (mount, "ls -A /tmp");
  assert_meta (fresh, "exitcode", "0");
  assert_reads (mount, "b/stdout", "");
}

/* Without a quota /tmp is bounded by max_tmp (8 MiB here): the write that
 * does not fit fails with ENOSPC. */
static void
test_tmp_bounded_by_max_tmp (BoxFixture *fixture, gconstpointer data)
{
  Mount *mount = fixture->mount;
  if (mount == NULL)
    return;
  g_assert_cmpint (put (mount, "b/processes", "10"), ==, 0);
  g_autofree char *full = run (mount, "sh -c 'head -c 16777216 /dev/zero > /tmp/big'");
  assert_meta (full, "status", "RE");
  g_autofree char *err = get (mount, "b/stderr");
  g_assert_nonnull (strstr (err, "No space left on device"));
  /* Freed for the next run. */
  g_autofree char *again = run (mount, "sh -c 'head -c 4194304 /dev/zero > /tmp/fits'");
  assert_meta (again, "exitcode", "0");
}

/* With a quota, /tmp is a filesystem of the quota's size of its own. */
static void
test_tmp_bounded_by_quota (BoxFixture *fixture, gconstpointer data)
{
  Mount *mount = fixture->mount;
  if (mount == NULL)
    return;
  if (put (mount, "b/quota", "4M") == EOPNOTSUPP)
    {
      g_test_skip ("no loop devices or mkfs.ext4: no quotas on this machine");
      return;
    }
  assert_reads (mount, "b/quota", "4096\n");
  g_assert_cmpint (put (mount, "b/processes", "10"), ==, 0);
  g_autofree char *full = run (mount, "sh -c 'head -c 8388608 /dev/zero > /tmp/big'");
  assert_meta (full, "status", "RE");
  g_autofree char *err = get (mount, "b/stderr");
  g_assert_nonnull (strstr (err, "No space left on device"));
  g_autofree char *fits = run (mount, "sh -c 'head -c 2097152 /dev/zero > /tmp/fits'");
  assert_meta (fits, "exitcode", "0");
}

/* /dev/shm stays memory, as the host's is under isolate: charged to the
 * box's memory cgroup, and bounded by it alone (100 MiB fit in 256 MiB;
 * 150 MiB in 125 MiB are an OOM kill, as isolate's). */
static void
test_shm_is_memory (BoxFixture *fixture, gconstpointer data)
{
  Mount *mount = fixture->mount;
  if (mount == NULL)
    return;
  g_assert_cmpint (put (mount, "b/processes", "10"), ==, 0);
  g_assert_cmpint (put (mount, "b/fsize", "unlimited"), ==, 0);
  g_assert_cmpint (put (mount, "b/mem", "256M"), ==, 0);
  g_autofree char *fits = run (mount, "sh -c 'head -c 104857600 /dev/zero > /dev/shm/f'");
  assert_meta (fits, "exitcode", "0");
  g_assert_cmpint (put (mount, "b/mem", "128000"), ==, 0);
  g_autofree char *oom = run (mount, "sh -c 'exec head -c 157286400 /dev/zero > /dev/shm/f'");
  assert_meta (oom, "status", "SG");
  assert_meta (oom, "exitsig", "9");
  assert_meta (oom, "cg-oom-killed", "1");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/verdicts/fsize-applies-to-output", test_fsize_applies_to_output);
  ADD_WITH ("/verdicts/max-output-on-top", test_max_output_on_top, "max_output=4K");
  ADD ("/verdicts/output-complete-when-status-answers", test_output_complete_when_status_answers);
  ADD ("/verdicts/cannot-execute", test_cannot_execute);
  ADD ("/verdicts/address-space", test_address_space);
  ADD ("/verdicts/process-rlimits", test_process_rlimits);
  ADD ("/verdicts/core-file", test_core_file);
  ADD ("/verdicts/tmp-on-disk", test_tmp_on_disk);
  ADD_WITH ("/verdicts/tmp-bounded-by-max-tmp", test_tmp_bounded_by_max_tmp, "max_tmp=8M");
  ADD ("/verdicts/tmp-bounded-by-quota", test_tmp_bounded_by_quota);
  ADD ("/verdicts/shm-is-memory", test_shm_is_memory);
  return g_test_run ();
}
