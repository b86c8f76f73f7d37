/* Running programs through the mount: verdicts, limits, outputs, waiting. */

#include "cgroup_layout.h"
#include "host_features.h"
#include "machine_speed.h"
#include "mount_fixture.h"
#include "run_status.h"

#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void
test_ok (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_autofree char *status = run (fixture->mount, "/bin/true");
  assert_meta (status, "exitcode", "0");
  g_assert_null (meta (status, "status"));
  g_assert_cmpfloat (meta_seconds (status, "time"), <, 0.05 * machine_slowdown ());
  g_assert_nonnull (meta (status, "time-wall"));
  g_assert_nonnull (meta (status, "max-rss"));
  g_assert_nonnull (meta (status, "cg-mem"));
  assert_reads (fixture->mount, "b/cmd", "/bin/true\n");

  /* One read from the start gives status whole, when the buffer holds it:
   * a client may stop at a short read. */
  g_autofree char *path = mount_path (fixture->mount, "b/status");
  int fd = open (path, O_RDONLY);
  g_assert_cmpint (fd, >=, 0);
  char buffer[4096];
  gssize n = read (fd, buffer, sizeof buffer);
  close (fd);
  g_assert_cmpint (n, ==, strlen (status));
  g_assert_cmpmem (buffer, n, status, n);
}

static void
test_runtime_error_and_signal (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_autofree char *exit3 = run (fixture->mount, "sh -c 'exit 3'");
  assert_meta (exit3, "exitcode", "3");
  assert_meta (exit3, "status", "RE");
  assert_meta (exit3, "message", "Exited with error status 3");

  g_autofree char *segv = run (fixture->mount, "sh -c 'kill -SEGV $$'");
  assert_meta (segv, "exitsig", "11");
  assert_meta (segv, "status", "SG");
  assert_meta (segv, "message", "Caught fatal signal 11");
}

/* As isolate: a program that cannot be executed is a runtime error with
 * exit code 127 and the reason on its stderr, not a failure of the sandbox. */
static void
test_missing_program (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_autofree char *status = run (fixture->mount, "./no-such-program");
  assert_meta (status, "status", "RE");
  assert_meta (status, "exitcode", "127");
  assert_meta (status, "message", "Exited with error status 127");
  assert_reads (fixture->mount, "b/stderr",
                "execve(\"./no-such-program\"): No such file or directory\n");
}

static void
test_stdio (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_autofree char *status = run (fixture->mount, "sh -c 'echo hi; echo oops >&2'");
  assert_reads (fixture->mount, "b/stdout", "hi\n");
  assert_reads (fixture->mount, "b/stderr", "oops\n");
  /* stat gives their size, at once after each run: a client need not open
   * an empty one. */
  g_assert_cmpint (stat_size (fixture->mount, "b/stdout"), ==, 3);
  g_assert_cmpint (stat_size (fixture->mount, "b/stderr"), ==, 5);

  g_assert_cmpint (put (fixture->mount, "b/stdin", "line one\nline two\n"), ==, 0);
  g_autofree char *cat = run (fixture->mount, "cat");
  assert_reads (fixture->mount, "b/stdout", "line one\nline two\n");
  assert_reads (fixture->mount, "b/stderr", "");
  g_assert_cmpint (stat_size (fixture->mount, "b/stdout"), ==, 18);
  g_assert_cmpint (stat_size (fixture->mount, "b/stderr"), ==, 0);
}

static void
test_cpu_time_limit (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_assert_cmpint (put (fixture->mount, "b/time", "0.5"), ==, 0);
  g_autofree char *status = run (fixture->mount, "sh -c 'while :; do :; done'");
  assert_meta (status, "status", "TO");
  assert_meta (status, "message", "Time limit exceeded");
  assert_meta (status, "killed", "1");
  double cpu = meta_seconds (status, "time");
  g_assert_cmpfloat (cpu, >=, 0.5);
  g_assert_cmpfloat (cpu, <, 0.6);
  assert_nothing_of_box_runs (fixture->mount, "b", fixture->mount->first_uid);
}

static void
test_wall_time_limit (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_assert_cmpint (put (fixture->mount, "b/wall-time", "1"), ==, 0);
  g_autofree char *status = run (fixture->mount, "sleep 10");
  assert_meta (status, "status", "TO");
  assert_meta (status, "message", "Time limit exceeded (wall clock)");
  double wall = meta_seconds (status, "time-wall");
  g_assert_cmpfloat (wall, >=, 1.0);
  g_assert_cmpfloat (wall, <, 1.2);
}

static void
test_memory_limit_then_clean_run (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_assert_cmpint (put (fixture->mount, "b/mem", "64M"), ==, 0);
  /* Time enough to fill 64 MiB page by page, which a loaded cgroup v2 guest
   * (machine_speed.h) took 8 s of CPU for: the memory limit is what ends it. */
  g_autofree char *time_limit = machine_scaled_seconds (3);
  g_assert_cmpint (put (fixture->mount, "b/time", time_limit), ==, 0);
  g_autofree char *oom = run (fixture->mount, "python3 -c \"x = 'a' * (200 << 20)\"");
  assert_meta (oom, "status", "SG");
  assert_meta (oom, "exitsig", "9");
  assert_meta (oom, "cg-oom-killed", "1");

  /* The next run's figures are its own. */
  g_autofree char *clean = run (fixture->mount, "/bin/true");
  g_assert_null (meta (clean, "cg-oom-killed"));
  g_assert_null (meta (clean, "status"));
  g_autofree char *cg_mem = meta (clean, "cg-mem");
  g_assert_cmpint (g_ascii_strtoll (cg_mem, NULL, 10), <, 32 * 1024);
}

/* The keys of a status, in order, one space apart (state: left out). */
static char *
status_keys (const char *status)
{
  g_auto (GStrv) lines = g_strsplit (status, "\n", -1);
  g_autoptr (GString) keys = g_string_new (NULL);
  for (char **line = lines; *line != NULL; line++)
    {
      const char *colon = strchr (*line, ':');
      if (colon == NULL || g_str_has_prefix (*line, "state:"))
        continue;
      if (keys->len > 0)
        g_string_append_c (keys, ' ');
      g_string_append_len (keys, *line, colon - *line);
    }
  return g_strdup (keys->str);
}

/* Every verdict's status has the same keys, in the same order, and the same
 * verdict and message, on cgroup v1 and v2: this test runs on both (the
 * guest of tests/cgroup2/ has v2), against one table. */
static void
test_verdicts_field_for_field (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_autofree char *time_enough = machine_scaled_seconds (3);
  g_autofree char *wall_enough = machine_scaled_seconds (10);
  const struct
  {
    const char *limit, *value; /* written to b first, or NULL */
    const char *cmd;
    const char *keys; /* after time time-wall max-rss csw-voluntary csw-forced cg-mem */
    const char *status, *message;
  } runs[] = {
    { NULL, NULL, "/bin/true", "exitcode", NULL, NULL },
    { NULL, NULL, "sh -c 'exit 3'", "exitcode status message", "RE", "Exited with error status 3" },
    { NULL, NULL, "sh -c 'kill -SEGV $$'", "exitsig status message", "SG",
      "Caught fatal signal 11" },
    { "wall-time", "1", "sleep 10", "exitsig killed status message", "TO",
      "Time limit exceeded (wall clock)" },
    { "time", "0.3", "sh -c 'while :; do :; done'", "exitsig killed status message", "TO",
      "Time limit exceeded" },
    { "wall-time", wall_enough, NULL, NULL, NULL, NULL },
    { "time", time_enough, NULL, NULL, NULL, NULL },
    { "mem", "64M", "python3 -c \"x = 'a' * (200 << 20)\"", "cg-oom-killed exitsig status message",
      "SG", "Caught fatal signal 9" },
  };
  /* cg-mem is left out where the kernel keeps no peak (cgroup v2 before
   * Linux 5.19): docs/interface.md. */
  g_autofree char *group = mount_cgroup_path (mount, "memory", "b");
  g_autofree char *peak = g_build_filename (group, "memory.peak", NULL);
  gboolean has_peak = !cgroup_layout_is_v2 () || g_file_test (peak, G_FILE_TEST_EXISTS);
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      if (runs[i].limit != NULL)
        {
          g_autofree char *limit = g_build_filename ("b", runs[i].limit, NULL);
          g_assert_cmpint (put (mount, limit, runs[i].value), ==, 0);
        }
      if (runs[i].cmd == NULL)
        continue;
      g_autofree char *status = run (mount, runs[i].cmd);
      g_autofree char *keys = status_keys (status);
      g_autofree char *expected
          = g_strdup_printf ("time time-wall max-rss csw-voluntary csw-forced%s %s",
                             has_peak ? " cg-mem" : "", runs[i].keys);
      g_assert_cmpstr (keys, ==, expected);
      assert_meta (status, "status", runs[i].status);
      assert_meta (status, "message", runs[i].message);
    }
}

/* After a run, the box's memory cgroup still holds some of what it charged
 * (100-430 KB here: the kernel's per-CPU charge batches, page cache,
 * kernel objects). A small mem below that is a limit the kernel refuses
 * until the group is emptied: the run starts anyway, and ends on its
 * memory limit, as isolate's does. */
static void
test_tiny_mem_after_a_run (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  if (cgroup_layout_is_v2 ())
    {
      g_test_skip ("cgroup v2 takes any memory.max: the refusal (EBUSY) of v1 this checks "
                   "cannot happen there");
      return;
    }
  Mount *mount = fixture->mount;
  g_autofree char *group = mount_cgroup_path (mount, "memory", "b");
  g_autofree char *usage_path = g_build_filename (group, "memory.usage_in_bytes", NULL);
  g_assert_cmpint (put (mount, "b/processes", "10"), ==, 0);
  static const char *const tiny[] = { "64", "64", "64", "64", "32", "1" };
  for (guint i = 0; i < G_N_ELEMENTS (tiny); i++)
    {
      g_assert_cmpint (put (mount, "b/mem", "256M"), ==, 0);
      g_autofree char *before = run (mount, "sh -c 'ls -R /usr/lib > /dev/null'");
      assert_meta (before, "exitcode", "0");
      g_autofree char *usage = NULL;
      if (g_file_get_contents (usage_path, &usage, NULL, NULL))
        g_test_message ("the group holds %s bytes after the run; mem=%s KiB", g_strchomp (usage),
                        tiny[i]);
      g_assert_cmpint (put (mount, "b/mem", tiny[i]), ==, 0);
      g_autofree char *status = run (mount, "/bin/true"); /* no EIO */
      assert_meta (status, "status", "SG");
      assert_meta (status, "cg-oom-killed", "1");
    }
  /* And a box given room again runs as before. */
  g_assert_cmpint (put (mount, "b/mem", "64M"), ==, 0);
  g_autofree char *after = run (mount, "/bin/true");
  assert_meta (after, "exitcode", "0");
}

static void
test_fork_bomb_contained (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_assert_cmpint (put (fixture->mount, "b/processes", "10"), ==, 0);
  g_assert_cmpint (put (fixture->mount, "b/wall-time", "2"), ==, 0);
  g_autofree char *status = run (fixture->mount, "sh -c 'f() { f | f & }; f; sleep 5'");
  g_assert_nonnull (meta (status, "status"));
  assert_nothing_of_box_runs (fixture->mount, "b", fixture->mount->first_uid);
}

static void
test_isolation_facts (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_assert_cmpint (put (fixture->mount, "b/processes", "10"), ==, 0);
  g_autofree char *id = run (fixture->mount, "sh -c 'id -u; id -g; id -G'");
  g_autofree char *ids = g_strdup_printf ("%u\n%u\n%u\n", fixture->mount->first_uid,
                                          fixture->mount->first_uid, fixture->mount->first_uid);
  assert_reads (fixture->mount, "b/stdout", ids);
  g_autofree char *caps = run (fixture->mount, "sh -c 'grep CapEff /proc/self/status'");
  assert_reads (fixture->mount, "b/stdout", "CapEff:\t0000000000000000\n");
  /* Nothing blocked or ignored, whatever the daemon inherited (mount_fixture.c). */
  g_autofree char *signals = run (fixture->mount, "grep -E '^Sig(Blk|Ign)' /proc/self/status");
  assert_reads (fixture->mount, "b/stdout",
                "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
  g_autofree char *shadow = run (fixture->mount, "cat /etc/shadow");
  assert_meta (shadow, "status", "RE");
  g_autofree char *usr = run (fixture->mount, "touch /usr/escape");
  assert_meta (usr, "status", "RE");
  g_assert_false (g_file_test ("/usr/escape", G_FILE_TEST_EXISTS));
  g_autofree char *procs = run (fixture->mount, "sh -c 'ls /proc | grep -c \"^[0-9]\"'");
  g_autofree char *count = get (fixture->mount, "b/stdout");
  g_assert_cmpint (g_ascii_strtoll (count, NULL, 10), <=, 4);
  g_autofree char *net = run (fixture->mount, "cat /proc/net/dev");
  g_autofree char *interfaces = get (fixture->mount, "b/stdout");
  g_assert_null (strstr (interfaces, "eth"));
  g_assert_null (strstr (interfaces, "ens"));
  /* /tmp starts empty at every run. */
  g_autofree char *plant = run (fixture->mount, "touch /tmp/left-over");
  g_autofree char *tmp = run (fixture->mount, "ls -A /tmp");
  assert_reads (fixture->mount, "b/stdout", "");
  /* /box is the box's directory, writable. */
  g_autofree char *box = run (fixture->mount, "sh -c 'echo data > /box/out.txt'");
  assert_reads (fixture->mount, "b/box/out.txt", "data\n");
}

/* A FIFO in box b's box/, named gate: a program that reads it ("read line
 * < gate") runs until the test opens it (open_gate), however slowly a
 * loaded machine gets round to what the test checks meanwhile. */
static char *
make_gate (const Mount *mount)
{
  char *path = mount_path (mount, "b/box/gate");
  g_assert_no_errno (mkfifo (path, 0600));
  g_assert_no_errno (chmod (path, 0666));
  return path;
}

/* Lets the program reading the gate go on: once it has the FIFO open, a
 * line. */
static void
open_gate (const char *path)
{
  int fd = -1;
  /* ENXIO: no reader yet. */
  WAIT_UNTIL ((fd = open (path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) >= 0 || errno != ENXIO);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "go\n", 3), ==, 3);
  close (fd);
}

#define GATED_CMD "sh -c 'read line < gate'"

/* The box's status as a non-blocking open reads it at once. */
static char *
status_now (const Mount *mount, const char *box)
{
  g_autofree char *path = mount_path (mount, box);
  g_autofree char *status_path = g_build_filename (path, "status", NULL);
  int nonblocking = open (status_path, O_RDONLY | O_NONBLOCK);
  g_assert_cmpint (nonblocking, >=, 0);
  char buffer[4096];
  gssize n = read (nonblocking, buffer, sizeof buffer - 1);
  close (nonblocking);
  g_assert_cmpint (n, >, 0);
  return g_strndup (buffer, n);
}

typedef struct
{
  char *path;
  gint64 opened_us;
} Gate;

/* Is the test's main thread blocked in poll()? */
static gboolean
main_thread_polls (void)
{
#ifdef SYS_poll
  if (process_blocked_in (getpid (), SYS_poll))
    return TRUE;
#endif
  return process_blocked_in (getpid (), SYS_ppoll);
}

/* Opens the gate once the test's main thread waits in poll(). */
static gpointer
open_gate_once_polling (gpointer data)
{
  Gate *gate = data;
  WAIT_UNTIL (main_thread_polls ());
  gate->opened_us = g_get_monotonic_time ();
  open_gate (gate->path);
  return NULL;
}

static void
test_status_waits_nonblock_and_poll (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  Gate gate = { .path = make_gate (mount) };
  g_assert_cmpint (put (mount, "b/cmd", GATED_CMD), ==, 0);
  g_assert_cmpint (put (mount, "b/cmd", "/bin/true"), ==, EBUSY);
  g_autofree char *running = status_now (mount, "b");
  g_assert_cmpstr (running, ==, "state:running\n");

  g_autofree char *path = mount_path (mount, "b/status");
  int polled = open (path, O_RDONLY);
  struct pollfd pfd = { .fd = polled, .events = POLLIN };
  g_assert_cmpint (poll (&pfd, 1, 0), ==, 0);
  /* Readable once the run has ended, not before. */
  GThread *opener = g_thread_new ("gate", open_gate_once_polling, &gate);
  g_assert_cmpint (poll (&pfd, 1, 60000), ==, 1);
  gint64 woke_us = g_get_monotonic_time ();
  g_thread_join (opener);
  g_assert_cmpint (woke_us, >, gate.opened_us);
  close (polled);
  g_free (gate.path);

  g_autofree char *status = get (mount, "b/status");
  g_assert_true (g_str_has_prefix (status, "state:done\n"));
  assert_meta (status, "exitcode", "0");
}

static void
test_output_cap (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  /* Mounted with max_output=4K. */
  g_autofree char *status = run (fixture->mount, "head -c 100000 /dev/zero");
  assert_meta (status, "output-truncated", "1");
  assert_meta (status, "exitcode", "0"); /* neither blocked nor killed */
  g_autofree char *path = mount_path (fixture->mount, "b/stdout");
  g_autofree char *kept = NULL;
  gsize length = 0;
  g_assert_true (g_file_get_contents (path, &kept, &length, NULL));
  g_assert_cmpuint (length, ==, 4096);
  g_assert_cmpint (stat_size (fixture->mount, "b/stdout"), ==, 4096);

  g_autofree char *small = run (fixture->mount, "head -c 4096 /dev/zero");
  g_assert_null (meta (small, "output-truncated"));
}

static void
test_file_size_and_descriptor_limits (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_assert_cmpint (put (mount, "b/processes", "10"), ==, 0);
  g_assert_cmpint (put (mount, "b/fsize", "64"), ==, 0);
  g_autofree char *under = run (mount, "sh -c 'head -c 65536 /dev/zero > /box/f'");
  assert_meta (under, "exitcode", "0");
  g_autofree char *over = run (mount, "sh -c 'head -c 65537 /dev/zero > /box/f'");
  g_assert_nonnull (meta (over, "status"));
  g_autofree char *path = mount_path (mount, "b/box/f");
  struct stat st;
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 65536);

  g_assert_cmpint (put (mount, "b/open-files", "10"), ==, 0);
  g_autofree char *fds = run (mount, "sh -c 'ulimit -n'");
  assert_reads (mount, "b/stdout", "10\n");
  g_autofree char *too_many
      = run (mount, "python3 -c \"import os; [os.open('/dev/null', 0) for i in range(20)]\"");
  assert_meta (too_many, "status", "RE");
}

static void
test_just_under_limits (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_assert_cmpint (put (mount, "b/mem", "64M"), ==, 0);
  g_autofree char *limit = machine_scaled_seconds (1);
  g_assert_cmpint (put (mount, "b/time", limit), ==, 0);
  g_autofree char *status
      = run (mount, "python3 -c \"x = 'a' * (20 << 20); import time; t = time.process_time()\n"
                    "while time.process_time() - t < 0.5: pass\"");
  g_assert_null (meta (status, "status"));
  g_assert_null (meta (status, "cg-oom-killed"));
  double cpu = meta_seconds (status, "time");
  g_assert_cmpfloat (cpu, >=, 0.5 - machine_cpu_tick ());
  g_assert_cmpfloat (cpu, <, g_ascii_strtod (limit, NULL));
}

static void
test_nothing_outlives_the_run (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_assert_cmpint (put (fixture->mount, "b/processes", "10"), ==, 0);
  g_autofree char *status
      = run (fixture->mount, "sh -c '(setsid sh -c \"sleep 100 & sleep 100\" &) ; exit 0'");
  assert_meta (status, "exitcode", "0");
  assert_nothing_of_box_runs (fixture->mount, "b", fixture->mount->first_uid);
}

/* A run of one box does not hold up another's: other runs whole while b's
 * program waits. */
static void
test_boxes_run_side_by_side (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_assert_cmpint (make_box (mount, "other"), ==, 0);
  g_autofree char *gate = make_gate (mount);
  g_assert_cmpint (put (mount, "b/cmd", GATED_CMD), ==, 0);
  g_assert_cmpint (put (mount, "other/cmd", "/bin/true"), ==, 0);
  g_autofree char *second = get (mount, "other/status");
  assert_meta (second, "exitcode", "0");
  g_autofree char *running = status_now (mount, "b");
  g_assert_cmpstr (running, ==, "state:running\n");
  open_gate (gate);
  g_autofree char *first = get (mount, "b/status");
  assert_meta (first, "exitcode", "0");
}

static void
test_only_plain_files_stay_in_box (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_assert_cmpint (put (fixture->mount, "b/processes", "10"), ==, 0);
  g_autofree char *status = run (
      fixture->mount,
      "sh -c 'mkdir -p d/e && echo kept > d/e/file && "
      "ln -s /etc/shadow shadow && ln -s / d/root && mkfifo d/e/fifo && "
      "python3 -c \"import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])\" sock'");
  assert_meta (status, "exitcode", "0");
  g_autofree char *work = mount_path (fixture->mount, "b/box");
  const char *gone[] = { "shadow", "d/root", "d/e/fifo", "sock" };
  for (guint i = 0; i < G_N_ELEMENTS (gone); i++)
    {
      g_autofree char *path = g_build_filename (work, gone[i], NULL);
      struct stat st;
      g_assert_cmpint (lstat (path, &st), ==, -1);
    }
  assert_reads (fixture->mount, "b/box/d/e/file", "kept\n");
}

/* Each line: the call, and what it gave (errno name, or 0). */
static const char side_channel_probe[]
    = "import ctypes, errno, fcntl, os, socket\n"
      "libc = ctypes.CDLL(None, use_errno=True)\n"
      "def call(*args):\n"
      "    r = libc.syscall(*args)\n"
      "    return errno.errorcode.get(ctypes.get_errno(), '?') if r < 0 else '0'\n"
      "print('keyctl', call(250, 1, None))\n"
      "print('add_key', call(248, b'user', b'k', b'v', 1, -3))\n"
      "print('io_uring', call(425, 1, ctypes.create_string_buffer(120)))\n"
      "try:\n"
      "    socket.socket(40, socket.SOCK_STREAM)\n"
      "    print('vsock 0')\n"
      "except OSError as e:\n"
      "    print('vsock', errno.errorcode[e.errno])\n"
      "fd = os.open('/usr/bin/python3', os.O_RDONLY)\n"
      "fcntl.flock(fd, fcntl.LOCK_EX)\n"
      "mine = [l for l in open('/proc/locks') if ':' + str(os.fstat(fd).st_ino) + ' ' in l]\n"
      "print('flock', 'held' if mine else 'none')\n";

static void
test_side_channels_closed (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_autofree char *script = mount_path (fixture->mount, "b/box/probe.py");
  g_assert_true (g_file_set_contents (script, side_channel_probe, -1, NULL));
  g_autofree char *status = run (fixture->mount, "python3 probe.py");
  assert_meta (status, "exitcode", "0");
  assert_reads (fixture->mount, "b/stdout",
                "keyctl EPERM\nadd_key EPERM\nio_uring ENOSYS\nvsock EAFNOSUPPORT\n"
                "flock none\n");
}

/* getpid through another ABI than the native one: int 0x80 (the 32-bit
 * table, where getpid is 20), and x32 (bit 30 set in the number). */
static const char ia32_getpid_script[]
    = "import ctypes, mmap\n"
      "code = bytes([0xb8, 0x14, 0, 0, 0, 0xcd, 0x80, 0xc3])  # mov eax, 20; int 0x80; ret\n"
      "m = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)\n"
      "m.write(code)\n"
      "addr = ctypes.addressof(ctypes.c_char.from_buffer(m))\n"
      "print(ctypes.CFUNCTYPE(ctypes.c_int)(addr)())\n";
static const char x32_getpid_script[] = "import ctypes\n"
                                        "print(ctypes.CDLL(None).syscall(0x40000000 | 39))\n";

static void
assert_killed_by_filter (const Mount *mount, const char *name, const char *script)
{
  g_autofree char *path = g_build_filename (mount->mount_dir, "b", "box", name, NULL);
  g_assert_true (g_file_set_contents (path, script, -1, NULL));
  g_autofree char *cmd = g_strdup_printf ("python3 %s", name);
  g_autofree char *status = run (mount, cmd);
  assert_meta (status, "status", "SG");
  assert_meta (status, "exitsig", "31"); /* SIGSYS */
}

static void
test_other_abi_is_killed (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  /* The filter describes the native system call table only: a call through
   * another ABI must kill the program rather than slip past it. Probed
   * natively first, since some hypervisors give no 32-bit calls at all. */
  g_autofree char *no_ia32 = NULL;
  if (host_has_ia32_syscalls (&no_ia32))
    assert_killed_by_filter (fixture->mount, "ia32.py", ia32_getpid_script);
  else
    g_test_message ("32-bit system calls not tried in the box: %s. Tried instead: x32 calls, "
                    "below; and unit/filter_abis reads the filter's answer to the 32-bit ABI",
                    no_ia32);
#if defined(__x86_64__)
  /* seccomp sees an x32 number before the kernel looks it up, so the filter
   * must kill it whether or not this kernel has the x32 ABI. */
  g_autofree char *no_x32 = NULL;
  if (!host_has_x32_syscalls (&no_x32))
    g_test_message ("%s; the filter must kill x32 calls all the same", no_x32);
  assert_killed_by_filter (fixture->mount, "x32.py", x32_getpid_script);
#else
  g_test_message ("no other ABI can be reached from this architecture's programs: "
                  "unit/filter_abis reads the filter's answer to them");
#endif
}

static void
ignore_signal (int signal_number)
{
}

static void
test_ctl_kill_and_interrupted_read (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_assert_cmpint (put (mount, "b/wall-time", "30"), ==, 0);
  g_assert_cmpint (put (mount, "b/cmd", "sleep 20"), ==, 0);

  /* A reader waiting on status is freed by a signal at once. */
  pid_t reader = fork ();
  if (reader == 0)
    {
      /* A handler without SA_RESTART: the read must end with EINTR. */
      struct sigaction action = { .sa_handler = ignore_signal };
      sigaction (SIGINT, &action, NULL);
      char *status = get (mount, "b/status");
      _exit (status == NULL && errno == EINTR ? 0 : 1);
    }
  /* Signalled before its handler is set, it would die of SIGINT; before
   * its read, it would read for the whole run. */
  process_wait_blocked_in (reader, SYS_read);
  gint64 before = g_get_monotonic_time ();
  kill (reader, SIGINT);
  int wait_status;
  g_assert_cmpint (waitpid (reader, &wait_status, 0), ==, reader);
  g_assert_cmpint (g_get_monotonic_time () - before, <, 1000000);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);

  g_assert_cmpint (put (mount, "b/ctl", "kill"), ==, 0);
  g_autofree char *status = get (mount, "b/status");
  assert_meta (status, "killed", "1");
  g_assert_nonnull (meta (status, "status"));
  assert_nothing_of_box_runs (mount, "b", mount->first_uid);
}

static void
test_rmdir_during_run (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_assert_cmpint (put (fixture->mount, "b/wall-time", "30"), ==, 0);
  g_assert_cmpint (put (fixture->mount, "b/cmd", "sh -c 'sleep 20 & sleep 20'"), ==, 0);
  g_assert_cmpint (remove_box (fixture->mount, "b"), ==, 0);
  g_autofree char *cgroup = mount_cgroup_path (fixture->mount, "pids", "b");
  g_assert_false (g_file_test (cgroup, G_FILE_TEST_EXISTS));
}

/* A command line and environment near the 64 KiB a control file takes
 * reach the program whole, argument by argument. */
static void
test_huge_argv_and_environment (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_autoptr (GString) env = g_string_new (NULL);
  for (int i = 0; i < 2000; i++)
    g_string_append_printf (env, "VAR_%04d=value number %d\n", i, i);
  g_assert_cmpint (put (mount, "b/env", env->str), ==, 0);
  g_autoptr (GString) cmd = g_string_new ("/usr/bin/printf '%s\\n'");
  for (int i = 0; i < 6000; i++)
    g_string_append_printf (cmd, " 'arg %d'", i);
  g_assert_cmpuint (cmd->len, <, 64 * 1024);
  g_assert_cmpint (put (mount, "b/cmd", cmd->str), ==, 0);
  g_autofree char *status = get (mount, "b/status");
  assert_meta (status, "exitcode", "0");
  g_autofree char *out = get (mount, "b/stdout");
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6001);
  g_assert_cmpstr (lines[0], ==, "arg 0");
  g_assert_cmpstr (lines[5999], ==, "arg 5999");

  g_assert_cmpint (put (mount, "b/processes", "10"), ==, 0);
  g_autofree char *printenv = run (mount, "sh -c 'env | grep -c ^VAR_; printenv VAR_1999'");
  assert_reads (mount, "b/stdout", "2000\nvalue number 1999\n");
}

/* isolate's --chdir, --stdin, --stdout, --stderr and --stderr-to-stdout:
 * files inside the sandbox, opened by the program itself. */
static void
test_working_dir_and_stdio_paths (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_assert_cmpint (put (mount, "b/processes", "10"), ==, 0);
  assert_reads (mount, "b/chdir", "/box\n");
  g_assert_cmpint (put (mount, "b/chdir", "/tmp"), ==, 0);
  g_autofree char *pwd = run (mount, "pwd");
  assert_reads (mount, "b/stdout", "/tmp\n");

  /* Relative paths are relative to the working directory. */
  g_assert_cmpint (put (mount, "b/chdir", "/box"), ==, 0);
  g_autofree char *input = mount_path (mount, "b/box/in.txt");
  g_assert_true (g_file_set_contents (input, "from a file\n", -1, NULL));
  g_assert_cmpint (put (mount, "b/stdin", "from the stdin file\n"), ==, 0);
  g_assert_cmpint (put (mount, "b/stdin-path", "in.txt"), ==, 0);
  g_assert_cmpint (put (mount, "b/stdout-path", "/box/out.txt"), ==, 0);
  g_assert_cmpint (put (mount, "b/stderr-path", "err.txt"), ==, 0);
  g_autofree char *status = run (mount, "sh -c 'cat; echo oops >&2'");
  assert_meta (status, "exitcode", "0");
  assert_reads (mount, "b/stdout", "");
  assert_reads (mount, "b/stderr", "");
  assert_reads (mount, "b/box/out.txt", "from a file\n");
  assert_reads (mount, "b/box/err.txt", "oops\n");
  /* Handed back to the box's owner, like everything the run left. */
  g_autofree char *out_path = mount_path (mount, "b/box/out.txt");
  struct stat st;
  g_assert_no_errno (stat (out_path, &st));
  g_assert_cmpuint (st.st_uid, ==, 0);

  g_assert_cmpint (put (mount, "b/stderr-to-stdout", "1"), ==, 0);
  g_autofree char *merged = run (mount, "sh -c 'echo one; echo two >&2'");
  assert_reads (mount, "b/box/out.txt", "one\ntwo\n");

  /* Back to the box's files; stderr still follows stdout. */
  g_assert_cmpint (put (mount, "b/stdin-path", "\n"), ==, 0);
  g_assert_cmpint (put (mount, "b/stdout-path", "\n"), ==, 0);
  g_autofree char *files = run (mount, "sh -c 'cat; echo three >&2'");
  assert_reads (mount, "b/stdout", "from the stdin file\nthree\n");
  assert_reads (mount, "b/stderr", "");
}

/* The program opens its stdio paths with its own rights, inside the
 * sandbox: nothing the daemon could reach on the host. */
static void
test_stdio_paths_are_the_programs (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_assert_cmpint (put (mount, "b/stdout-path", "/etc/passwd"), ==, 0);
  g_autofree char *status = run (mount, "echo overwritten");
  assert_meta (status, "status", "XX");
  g_autofree char *message = meta (status, "message");
  g_assert_true (g_str_has_prefix (message, "cannot open /etc/passwd: "));

  g_assert_cmpint (put (mount, "b/stdout-path", "\n"), ==, 0);
  g_assert_cmpint (put (mount, "b/stdin-path", "/etc/shadow"), ==, 0);
  g_autofree char *shadow = run (mount, "cat");
  assert_meta (shadow, "status", "XX");
  g_autofree char *shadow_message = meta (shadow, "message");
  g_assert_cmpstr (shadow_message, ==, "cannot open /etc/shadow: Permission denied");

  g_assert_cmpint (put (mount, "b/stdin-path", "\n"), ==, 0);
  g_assert_cmpint (put (mount, "b/chdir", "/nonexistent"), ==, 0);
  g_autofree char *nowhere = run (mount, "pwd");
  assert_meta (nowhere, "status", "XX");
  g_autofree char *nowhere_message = meta (nowhere, "message");
  g_assert_cmpstr (nowhere_message, ==, "cannot enter /nonexistent: No such file or directory");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/run/ok", test_ok);
  ADD ("/run/runtime-error-and-signal", test_runtime_error_and_signal);
  ADD ("/run/missing-program", test_missing_program);
  ADD ("/run/stdio", test_stdio);
  ADD ("/run/cpu-time-limit", test_cpu_time_limit);
  ADD ("/run/wall-time-limit", test_wall_time_limit);
  ADD ("/run/memory-limit-then-clean-run", test_memory_limit_then_clean_run);
  ADD ("/run/verdicts-field-for-field", test_verdicts_field_for_field);
  ADD ("/run/tiny-mem-after-a-run", test_tiny_mem_after_a_run);
  ADD ("/run/fork-bomb-contained", test_fork_bomb_contained);
  ADD ("/run/isolation-facts", test_isolation_facts);
  ADD ("/run/status-waits-nonblock-and-poll", test_status_waits_nonblock_and_poll);
  ADD ("/run/ctl-kill-and-interrupted-read", test_ctl_kill_and_interrupted_read);
  ADD ("/run/rmdir-during-run", test_rmdir_during_run);
  ADD_WITH ("/run/output-cap", test_output_cap, "max_output=4K");
  ADD ("/run/only-plain-files-stay-in-box", test_only_plain_files_stay_in_box);
  ADD ("/run/side-channels-closed", test_side_channels_closed);
  ADD ("/run/other-abi-is-killed", test_other_abi_is_killed);
  ADD ("/run/file-size-and-descriptor-limits", test_file_size_and_descriptor_limits);
  ADD ("/run/just-under-limits", test_just_under_limits);
  ADD ("/run/nothing-outlives-the-run", test_nothing_outlives_the_run);
  ADD ("/run/boxes-run-side-by-side", test_boxes_run_side_by_side);
  ADD ("/run/huge-argv-and-environment", test_huge_argv_and_environment);
  ADD ("/run/working-dir-and-stdio-paths", test_working_dir_and_stdio_paths);
  ADD ("/run/stdio-paths-are-the-programs", test_stdio_paths_are_the_programs);
  return g_test_run ();
}
