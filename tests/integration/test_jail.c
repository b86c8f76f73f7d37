/* The sandbox of one run, driven through jail_start() directly: what the
 * program can see and do inside. Needs root (namespaces, mounts). */
#include "cgroup_layout.h"
#include "mount_fixture.h"
#include "sandbox/settings/box_limits.h"
#include "sandbox/settings/dir_rules.h"
#include "sandbox/jail/jail.h"
#include "sandbox/jail/jail_builder.h"
#include "sandbox/jail/jail_spawner.h"
#include "sandbox/sandbox_error.h"
#include "utils/remove_tree.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define TEST_UID 65000
#define TEST_GID 65000

typedef struct
{
  char *tmp_dir;  /* holds all of the below */
  char *root_dir; /* mount point of the sandbox's root, empty on the host */
  char *work_dir; /* /box */
  char *cgroup;   /* a pids cgroup (v1) or a group (v2) for the run, or NULL */
  char *stdout_path;
  JailSpawner *spawner;
} Fixture;

typedef struct
{
  int wait_status;
  char *out;
} RunResult;

static gboolean
require_root (void)
{
  if (geteuid () == 0)
    return TRUE;
  g_test_skip ("needs root: namespaces and mounts");
  return FALSE;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  if (!require_root ())
    return;
  f->tmp_dir = g_dir_make_tmp ("test-jail-XXXXXX", NULL);
  g_assert_nonnull (f->tmp_dir);
  f->root_dir = g_build_filename (f->tmp_dir, "root", NULL);
  f->work_dir = g_build_filename (f->tmp_dir, "box", NULL);
  f->stdout_path = g_build_filename (f->tmp_dir, "stdout", NULL);
  g_assert_no_errno (g_mkdir (f->root_dir, 0700));
  g_assert_no_errno (g_mkdir (f->work_dir, 0700));
  g_assert_no_errno (chown (f->work_dir, TEST_UID, TEST_GID));
  /* The box uid must reach /box through the temporary directory. */
  g_assert_no_errno (g_chmod (f->tmp_dir, 0711));
  /* On cgroup v2 programs may be born into their group (JailSetup.cgroup_dir). */
  f->spawner = jail_spawner_new (cgroup_layout_is_v2 ());
}

static gboolean
host_mounts_mention (const char *path)
{
  g_autofree char *mounts = NULL;
  g_assert_true (g_file_get_contents ("/proc/self/mounts", &mounts, NULL, NULL));
  return strstr (mounts, path) != NULL;
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  if (f->tmp_dir == NULL)
    return;
  jail_spawner_free (f->spawner);
  /* The sandbox's mounts lived in its own namespace and died with it. */
  g_assert_false (host_mounts_mention (f->tmp_dir));
  if (f->cgroup != NULL)
    g_assert_no_errno (g_rmdir (f->cgroup));
  g_autoptr (GError) error = NULL;
  g_assert_true (remove_tree_at (AT_FDCWD, f->tmp_dir, &error));
  g_assert_no_error (error);
  g_free (f->tmp_dir);
  g_free (f->root_dir);
  g_free (f->work_dir);
  g_free (f->cgroup);
  g_free (f->stdout_path);
}

/* Both halves of a jail, given at once to jail_start(). */
typedef struct
{
  JailSetup setup;
  JailLaunch launch;
} JailSpec;

static JailSpec
default_spec (const Fixture *f, char **argv)
{
  static char *envp[] = { "PATH=/usr/bin:/bin", "HOME=/box", NULL };
  JailSpec spec = {
    .setup = {
      .uid = TEST_UID,
      .gid = TEST_GID,
      .root_dir = f->root_dir,
      .work_dir = f->work_dir,
      .netns_fd = -1,
      .root_template_fd = -1,
    },
    .launch = {
      .argv = argv,
      .envp = envp,
      .fsize_kib = LIMIT_UNLIMITED,
      .stack_kib = LIMIT_UNLIMITED,
      .open_files = 64,
      .address_space_kib = LIMIT_UNLIMITED,
      .processes = LIMIT_UNLIMITED,
    },
  };
  return spec;
}

/* Stdin from /dev/null, stdout (and stderr) to a file; the caller closes
 * them once the jail has them. */
static void
open_stdio (const Fixture *f, JailSpec *spec)
{
  int null_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  int out_fd = open (f->stdout_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  g_assert_cmpint (null_fd, >=, 0);
  g_assert_cmpint (out_fd, >=, 0);
  spec->launch.stdio_fds[0] = null_fd;
  spec->launch.stdio_fds[1] = spec->launch.stdio_fds[2] = out_fd;
}

static void
close_stdio (JailSpec *spec)
{
  close (spec->launch.stdio_fds[0]);
  close (spec->launch.stdio_fds[1]);
}

/* Waits for the launched jail's program and frees the jail. */
static gboolean
collect (const Fixture *f, Jail *jail, RunResult *result, GError **error)
{
  GPid pid = jail_get_pid (jail);

  int proxy_status;
  g_assert_cmpint (waitpid (pid, &proxy_status, 0), ==, pid);
  jail_proxy_reaped (jail);
  g_assert_true (WIFEXITED (proxy_status) && WEXITSTATUS (proxy_status) == 0);
  JailOutcome outcome;
  g_assert_true (jail_read_outcome (jail_get_status_fd (jail), &outcome, error));
  result->wait_status = outcome.wait_status;
  /* The program's own resource usage comes back too. */
  g_assert_cmpint (outcome.usage.ru_maxrss, >, 0);
  jail_free (jail);
  g_assert_true (g_file_get_contents (f->stdout_path, &result->out, NULL, NULL));
  return TRUE;
}

/* Runs spec; FALSE with error if jail_start() refused. */
static gboolean
run_spec (const Fixture *f, JailSpec *spec, RunResult *result, GError **error)
{
  open_stdio (f, spec);
  Jail *jail = jail_start (f->spawner, &spec->setup, &spec->launch, error);
  close_stdio (spec);
  return jail != NULL && collect (f, jail, result, error);
}

/* Runs /bin/sh -c script in the default sandbox and returns what it printed,
 * asserting that it exited 0. */
static char *
run_script (const Fixture *f, const char *script)
{
  char *argv[] = { "/bin/sh", "-c", (char *) script, NULL };
  JailSpec spec = default_spec (f, argv);
  RunResult result = { 0 };
  g_autoptr (GError) error = NULL;
  gboolean ran = run_spec (f, &spec, &result, &error);
  g_assert_no_error (error);
  g_assert_true (ran);
  if (!WIFEXITED (result.wait_status) || WEXITSTATUS (result.wait_status) != 0)
    g_error ("script '%s' ended with status 0x%x, output: %s", script, result.wait_status,
             result.out);
  return result.out;
}

static void
assert_script_prints (const Fixture *f, const char *script, const char *expected)
{
  g_autofree char *out = run_script (f, script);
  g_assert_cmpstr (out, ==, expected);
}

#define SKIP_UNLESS_ROOT(f)                                                                        \
  if ((f)->tmp_dir == NULL)                                                                        \
  return

static void
test_identity (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  /* The box's ids, and no supplementary group (root's 0 would show here). */
  assert_script_prints (f, "id -u; id -g; id -G", "65000\n65000\n65000\n");
}

static void
test_no_capabilities (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  assert_script_prints (f, "grep -E '^(Cap|NoNewPrivs)' /proc/self/status",
                        "CapInh:\t0000000000000000\n"
                        "CapPrm:\t0000000000000000\n"
                        "CapEff:\t0000000000000000\n"
                        "CapBnd:\t0000000000000000\n"
                        "CapAmb:\t0000000000000000\n"
                        "NoNewPrivs:\t1\n");
}

static void
test_own_pid_namespace (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  /* A glob, not ls: no process besides the proxy (1) and the shell (2). */
  assert_script_prints (f, "cd /proc && echo [0-9]*", "1 2\n");
}

static void
test_only_standard_descriptors (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  /* The shell's own, listed by a child: a glob would show its own directory. */
  assert_script_prints (f, "ls /proc/$$/fd", "0\n1\n2\n");
}

static void
test_own_hostname (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  g_autofree char *before = g_strdup (g_get_host_name ());
  assert_script_prints (f, "cat /proc/sys/kernel/hostname; hostname evil 2>/dev/null || echo no",
                        "box\nno\n");
  g_autofree char *after = NULL;
  g_assert_true (g_file_get_contents ("/proc/sys/kernel/hostname", &after, NULL, NULL));
  g_strchomp (after);
  g_assert_cmpstr (after, ==, before);
}

static void
test_read_only_system (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  assert_script_prints (f,
                        "cat /etc/shadow >/dev/null 2>&1 && echo shadow readable;"
                        "touch /usr/x 2>/dev/null && echo usr writable;"
                        "touch /etc/x 2>/dev/null && echo etc writable;"
                        "mkdir /new 2>/dev/null && echo root writable;"
                        "test -r /etc/passwd && echo passwd readable",
                        "passwd readable\n");
  g_assert_false (g_file_test ("/usr/x", G_FILE_TEST_EXISTS));
}

static void
test_box_is_work_dir (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  assert_script_prints (f, "pwd; echo hi > /box/f && echo written", "/box\nwritten\n");
  g_autofree char *path = g_build_filename (f->work_dir, "f", NULL);
  g_autofree char *content = NULL;
  g_assert_true (g_file_get_contents (path, &content, NULL, NULL));
  g_assert_cmpstr (content, ==, "hi\n");
}

static void
test_private_tmp (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  assert_script_prints (f,
                        "ls -A /tmp | wc -l; echo x > /tmp/y && echo ok; stat -c %a /tmp /dev/shm;"
                        "echo x > /dev/shm/z && echo shm ok",
                        "0\nok\n1777\n1777\nshm ok\n");
}

static void
test_minimal_dev (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  assert_script_prints (f,
                        "echo $(ls -A /dev); echo x > /dev/null && head -c 4 /dev/zero | wc -c;"
                        "head -c 4 /dev/urandom | wc -c",
                        "full null random shm urandom zero\n4\n4\n");
}

static void
test_loopback_only (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  /* The interface names of /proc/net/dev, after its two header lines. */
  assert_script_prints (f, "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '", "lo\n");
}

static RunResult
run_expecting_start (const Fixture *f, JailSpec *spec)
{
  RunResult result = { 0 };
  g_autoptr (GError) error = NULL;
  g_assert_true (run_spec (f, spec, &result, &error));
  g_assert_no_error (error);
  return result;
}

static void
test_shared_network (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  char *argv[] = { "/bin/cat", "/proc/net/dev", NULL };
  JailSpec spec = default_spec (f, argv);
  spec.setup.share_net = TRUE;
  RunResult result = run_expecting_start (f, &spec);
  g_autofree char *out = result.out;
  g_autofree char *host = NULL;
  g_assert_true (g_file_get_contents ("/proc/net/dev", &host, NULL, NULL));
  /* Same interfaces (counters move, so compare the names' count). */
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  g_auto (GStrv) host_lines = g_strsplit (host, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, g_strv_length (host_lines));
}

/* As isolate: a program that cannot be executed is started all the same,
 * and exits 127 with the reason on its stderr (the file here). */
static void
assert_exec_fails (const Fixture *f, char **argv, const char *expected_stderr)
{
  JailSpec spec = default_spec (f, argv);
  RunResult result = run_expecting_start (f, &spec);
  g_autofree char *out = result.out;
  g_assert_true (WIFEXITED (result.wait_status));
  g_assert_cmpint (WEXITSTATUS (result.wait_status), ==, 127);
  g_assert_cmpstr (out, ==, expected_stderr);
}

static void
test_missing_program (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  char *relative[] = { "./a.out", NULL };
  assert_exec_fails (f, relative, "execve(\"./a.out\"): No such file or directory\n");
  char *searched[] = { "no-such-program", NULL };
  assert_exec_fails (f, searched, "execve(\"no-such-program\"): No such file or directory\n");
  /* A file the box may not execute says so rather than "not found". */
  char *not_executable[] = { "/etc/passwd", NULL };
  assert_exec_fails (f, not_executable, "execve(\"/etc/passwd\"): Permission denied\n");
  /* Every proxy was reaped: no zombie, no child left once the zygote has
   * gone. */
  g_clear_pointer (&f->spawner, jail_spawner_free);
  g_assert_cmpint (waitpid (-1, NULL, WNOHANG), ==, -1);
}

static void
test_program_found_in_path (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  char *argv[] = { "echo", "found", NULL };
  JailSpec spec = default_spec (f, argv);
  RunResult result = run_expecting_start (f, &spec);
  g_autofree char *out = result.out;
  g_assert_cmpstr (out, ==, "found\n");
}

static void
test_exit_code (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  char *argv[] = { "/bin/sh", "-c", "exit 3", NULL };
  JailSpec spec = default_spec (f, argv);
  RunResult result = run_expecting_start (f, &spec);
  g_free (result.out);
  g_assert_true (WIFEXITED (result.wait_status));
  g_assert_cmpint (WEXITSTATUS (result.wait_status), ==, 3);
}

static void
test_fatal_signal (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  char *argv[] = { "/bin/sh", "-c", "kill -SEGV $$", NULL };
  JailSpec spec = default_spec (f, argv);
  RunResult result = run_expecting_start (f, &spec);
  g_free (result.out);
  g_assert_true (WIFSIGNALED (result.wait_status));
  g_assert_cmpint (WTERMSIG (result.wait_status), ==, SIGSEGV);
}

static void
test_limits (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  char *argv[]
      = { "/bin/sh", "-c",
          "grep -E '^Max (file size|stack size|core file size|open files)' /proc/self/limits"
          " | tr -s ' '",
          NULL };
  JailSpec spec = default_spec (f, argv);
  spec.launch.fsize_kib = 1024;
  spec.launch.stack_kib = 8192;
  spec.launch.open_files = 20;
  RunResult result = run_expecting_start (f, &spec);
  g_autofree char *out = result.out;
  g_assert_cmpstr (out, ==,
                   "Max file size 1048576 1048576 bytes \n"
                   "Max stack size 8388608 8388608 bytes \n"
                   "Max core file size 0 0 bytes \n"
                   "Max open files 20 20 files \n");
}

/* A pids cgroup (v1) or a group (v2) of the fixture's; returns its
 * cgroup.procs file. */
static char *
make_cgroup (Fixture *f)
{
  g_autofree char *name = g_strdup_printf ("test-jail-%d", getpid ());
  f->cgroup = cgroup_layout_dir (name, NULL);
  g_assert_no_errno (g_mkdir (f->cgroup, 0755));
  return g_build_filename (f->cgroup, "cgroup.procs", NULL);
}

/* What the program prints: its line of /proc/self/cgroup in the hierarchy
 * of f->cgroup. */
static char **
cgroup_line_argv (void)
{
  static char *v1[] = { "/bin/grep", ":pids:", "/proc/self/cgroup", NULL };
  static char *v2[] = { "/bin/grep", "^0::", "/proc/self/cgroup", NULL };
  return cgroup_layout_is_v2 () ? v2 : v1;
}

static void
assert_in_cgroup (const Fixture *f, const char *out)
{
  g_autofree char *name = g_path_get_basename (f->cgroup);
  g_autofree char *expected
      = g_strdup_printf ("%s/%s\n", cgroup_layout_is_v2 () ? "0::" : ":pids:", name);
  g_assert_true (g_str_has_suffix (out, expected));
}

/* Where the jail says: joined early or at the launch by its cgroup.procs
 * files, or, on v2, born there. */
static void
test_joins_cgroup (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  g_autofree char *procs = make_cgroup (f);
  const char *const cgroup_procs[] = { procs, NULL };
  JailSpec spec = default_spec (f, cgroup_line_argv ());
  spec.setup.cgroup_procs = cgroup_procs;
  for (int at_launch = 0; at_launch < 2; at_launch++)
    {
      spec.setup.join_at_launch = at_launch;
      RunResult result = run_expecting_start (f, &spec);
      g_autofree char *out = result.out;
      assert_in_cgroup (f, out);
    }
  if (!cgroup_layout_is_v2 ())
    return;
  spec.setup.cgroup_procs = NULL;
  spec.setup.join_at_launch = FALSE;
  spec.setup.cgroup_dir = f->cgroup;
  RunResult result = run_expecting_start (f, &spec);
  g_autofree char *out = result.out;
  assert_in_cgroup (f, out);
}

/* A jail ordered from the builder is built on its thread while no one
 * waits, and with join_at_launch stays out of the cgroup until launched;
 * born into its group (v2), its program-to-be is the group's one process
 * from its birth on. */
static void
test_builder_builds_ahead (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  g_autofree char *procs = make_cgroup (f);
  const char *const cgroup_procs[] = { procs, NULL };
  gboolean born = cgroup_layout_is_v2 ();
  JailSpec spec = default_spec (f, cgroup_line_argv ());
  spec.setup.cgroup_procs = born ? NULL : cgroup_procs;
  spec.setup.cgroup_dir = born ? f->cgroup : NULL;
  spec.setup.join_at_launch = !born;

  JailBuilder *builder = jail_builder_new (0, born);
  g_autoptr (GError) error = NULL;
  JailOrder *order = jail_builder_order (builder, &spec.setup, FALSE, &error);
  g_assert_no_error (error);
  g_autoptr (GPtrArray) members = NULL;
  /* Built ahead: 0.3 s, or until the program-to-be is there. */
  for (int i = 0; i < (born ? 100 : 10); i++)
    {
      g_usleep (30000);
      g_clear_pointer (&members, g_ptr_array_unref);
      members = cgroup_layout_members (f->cgroup);
      if (born && members->len > 0)
        break;
    }
  g_assert_cmpuint (members->len, ==, born ? 1 : 0);

  Jail *jail = jail_order_take (order);
  g_assert_nonnull (jail);
  open_stdio (f, &spec);
  g_assert_true (jail_launch (jail, &spec.launch, &error));
  close_stdio (&spec);
  RunResult result = { 0 };
  g_assert_true (collect (f, jail, &result, &error));
  g_autofree char *out = result.out;
  assert_in_cgroup (f, out);
  jail_builder_free (builder);
}

/* Waits until the proxy of a prepared jail has built the root (and sent
 * the template it was asked for) and forked the program-to-be. */
static void
wait_for_program_to_be (const Jail *jail)
{
  GPid proxy = jail_get_pid (jail);
  WAIT_UNTIL (process_children_named (proxy, "jail-proxy") > 0);
  g_assert_cmpuint (process_children_named (proxy, "jail-proxy"), >, 0);
}

/* A jail that builds the box's root template sends it on the launch socket
 * once the tree is complete: under load, after the daemon looked for it
 * (jail_take_root_template) and before the launch. The program must run
 * all the same. It did not when the daemon closed its end with the template
 * unread: the kernel reset the proxy's end (ECONNRESET), and a
 * program-to-be that had already seen its launch waiting then failed to
 * receive it and ended as a jail thrown away (exit 127, no report: the
 * run's verdict RE, with no cause).
 *
 * That program-to-be was woken by the launch message and ran before the
 * daemon closed its end, pre-empting it. Made certain here: this thread and
 * the jail's processes (which inherit it from the zygote this thread starts)
 * share one CPU, and this thread is SCHED_IDLE during the launch. */
static void
test_template_sent_before_launch_is_no_reset (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  cpu_set_t all, one;
  g_assert_no_errno (sched_getaffinity (0, sizeof all, &all));
  CPU_ZERO (&one);
  for (int cpu = 0; CPU_COUNT (&one) == 0; cpu++)
    if (CPU_ISSET (cpu, &all))
      CPU_SET (cpu, &one);
  g_assert_no_errno (sched_setaffinity (0, sizeof one, &one));
  char *argv[] = { "/bin/true", NULL };
  JailSpec spec = default_spec (f, argv);
  spec.setup.make_root_template = TRUE;
  for (int i = 0; i < 5; i++)
    {
      g_autoptr (GError) error = NULL;
      Jail *jail = jail_prepare (f->spawner, &spec.setup, &error);
      g_assert_no_error (error);
      wait_for_program_to_be (jail);
      open_stdio (f, &spec);
      struct sched_param param = { 0 };
      g_assert_no_errno (sched_setscheduler (0, SCHED_IDLE, &param));
      gboolean launched = jail_launch (jail, &spec.launch, &error);
      g_assert_no_errno (sched_setscheduler (0, SCHED_OTHER, &param));
      g_assert_no_error (error);
      g_assert_true (launched);
      close_stdio (&spec);
      RunResult result = { 0 };
      g_assert_true (collect (f, jail, &result, &error));
      g_free (result.out);
      g_assert_true (WIFEXITED (result.wait_status));
      g_assert_cmpint (WEXITSTATUS (result.wait_status), ==, 0);
    }
  g_assert_no_errno (sched_setaffinity (0, sizeof all, &all));
}

/* Orders dropped while queued, while built or once built leave no process. */
static void
test_builder_cancel_leaves_nothing (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  char *argv[] = { "/bin/true", NULL };
  JailSpec spec = default_spec (f, argv);
  JailBuilder *builder = jail_builder_new (0, cgroup_layout_is_v2 ());
  JailOrder *orders[4];
  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    {
      spec.setup.join_at_launch = i % 2;
      orders[i] = jail_builder_order (builder, &spec.setup, FALSE, NULL);
      g_assert_nonnull (orders[i]);
    }
  jail_order_cancel (orders[3]);
  g_usleep (300000);
  for (guint i = 0; i < 3; i++)
    jail_order_cancel (orders[i]);
  jail_builder_free (builder);
  /* Every proxy the thread made was reaped. */
  g_assert_cmpint (waitpid (-1, NULL, WNOHANG), ==, -1);
  g_assert_cmpint (errno, ==, ECHILD);
}

/* A zygote that died (killed by someone) is replaced at the next jail. */
static void
test_zygote_started_again (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  g_assert_cmpint (process_find_zygote (getpid ()), ==, 0); /* started by the first jail */
  g_autofree char *first = run_script (f, "echo one");
  g_assert_cmpstr (first, ==, "one\n");
  GPid zygote = process_find_zygote (getpid ());
  g_assert_cmpint (zygote, >, 0);
  g_assert_no_errno (kill (zygote, SIGKILL));
  while (!process_has_ended (zygote))
    g_usleep (1000);
  g_test_expect_message ("isolatefs", G_LOG_LEVEL_WARNING, "*zygote is gone*starting another");
  g_autofree char *second = run_script (f, "echo two");
  g_test_assert_expected_messages ();
  g_assert_cmpstr (second, ==, "two\n");
  GPid again = process_find_zygote (getpid ());
  g_assert_cmpint (again, >, 0);
  g_assert_cmpint (again, !=, zygote);
}

static gboolean
run_with_rules (const Fixture *f, const char *rules_text, const char *script, char **out,
                GError **error)
{
  g_autoptr (GPtrArray) rules = NULL;
  g_assert_true (dir_rules_parse (rules_text, &rules, NULL));
  char *argv[] = { "/bin/sh", "-c", (char *) script, NULL };
  JailSpec spec = default_spec (f, argv);
  spec.setup.dir_rules = rules;
  RunResult result = { 0 };
  if (!run_spec (f, &spec, &result, error))
    return FALSE;
  *out = result.out;
  return TRUE;
}

static void
test_dir_rules (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  g_autofree char *data_dir = g_build_filename (f->tmp_dir, "data", NULL);
  g_assert_no_errno (g_mkdir (data_dir, 0755));
  g_autofree char *rules = g_strdup_printf ("/srv/data=%s\n/scratch:tmp\n/etc=\n", data_dir);
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok = run_with_rules (f, rules,
                                "ls -d /srv/data; touch /srv/data/x 2>/dev/null || echo ro;"
                                "touch /scratch/y && echo tmp ok; ls -d /etc 2>/dev/null; true",
                                &out, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpstr (out, ==, "/srv/data\nro\ntmp ok\n");
}

static void
test_dir_rules_stay_inside (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  /* A link the program could have planted in /box must not lead a mount out
   * to the host, and no mount point is ever created on a host file system. */
  g_autofree char *link = g_build_filename (f->work_dir, "link", NULL);
  g_assert_no_errno (symlink ("/etc", link));
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_false (run_with_rules (f, "/box/link:tmp", "true", &out, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "cannot create mount point /box/link: "));
  g_clear_error (&error);
  g_assert_false (run_with_rules (f, "/box/new:tmp", "true", &out, &error));
  g_assert_cmpstr (error->message, ==,
                   "cannot create mount point /box/new: No such file or directory");
  g_autofree char *new_dir = g_build_filename (f->work_dir, "new", NULL);
  g_assert_false (g_file_test (new_dir, G_FILE_TEST_EXISTS));
}

static void
test_refuses_no_program (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  char *argv[] = { "", NULL };
  JailSpec spec = default_spec (f, argv);
  g_autoptr (GError) error = NULL;
  g_assert_null (jail_start (f->spawner, &spec.setup, &spec.launch, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
}

static void
test_refuses_root (Fixture *f, gconstpointer data)
{
  SKIP_UNLESS_ROOT (f);
  char *argv[] = { "/bin/true", NULL };
  JailSpec spec = default_spec (f, argv);
  spec.setup.uid = 0;
  g_autoptr (GError) error = NULL;
  g_assert_null (jail_start (f->spawner, &spec.setup, &spec.launch, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/jail/identity", test_identity);
  ADD ("/jail/no-capabilities", test_no_capabilities);
  ADD ("/jail/own-pid-namespace", test_own_pid_namespace);
  ADD ("/jail/only-standard-descriptors", test_only_standard_descriptors);
  ADD ("/jail/own-hostname", test_own_hostname);
  ADD ("/jail/read-only-system", test_read_only_system);
  ADD ("/jail/box-is-work-dir", test_box_is_work_dir);
  ADD ("/jail/private-tmp", test_private_tmp);
  ADD ("/jail/minimal-dev", test_minimal_dev);
  ADD ("/jail/loopback-only", test_loopback_only);
  ADD ("/jail/shared-network", test_shared_network);
  ADD ("/jail/missing-program", test_missing_program);
  ADD ("/jail/program-found-in-path", test_program_found_in_path);
  ADD ("/jail/exit-code", test_exit_code);
  ADD ("/jail/fatal-signal", test_fatal_signal);
  ADD ("/jail/limits", test_limits);
  ADD ("/jail/joins-cgroup", test_joins_cgroup);
  ADD ("/jail/builder-builds-ahead", test_builder_builds_ahead);
  ADD ("/jail/builder-cancel-leaves-nothing", test_builder_cancel_leaves_nothing);
  ADD ("/jail/template-sent-before-launch-is-no-reset",
       test_template_sent_before_launch_is_no_reset);
  ADD ("/jail/zygote-started-again", test_zygote_started_again);
  ADD ("/jail/dir-rules", test_dir_rules);
  ADD ("/jail/dir-rules-stay-inside", test_dir_rules_stay_inside);
  ADD ("/jail/refuses-root", test_refuses_root);
  ADD ("/jail/refuses-no-program", test_refuses_no_program);
#undef ADD
  return g_test_run ();
}
