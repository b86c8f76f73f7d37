/* The daemon as a systemd service: it says READY=1 over $NOTIFY_SOCKET once
 * its mount answers, and STOPPING=1 when it stops. The test provides the
 * socket, as systemd does for a Type=notify unit. */

#include "mount_fixture.h"
#include "tests/shared/metrics_parser.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/un.h>
#include <unistd.h>

#define FUSE_SUPER_MAGIC 0x65735546

/* systemd's side: a datagram socket that passes the sender's credentials,
 * for NotifyAccess=main checks who speaks. */
static int
notify_socket_new (const char *path)
{
  int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  g_assert_cmpuint (strlen (path), <, sizeof address.sun_path);
  strcpy (address.sun_path, path);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  int on = 1;
  g_assert_cmpint (setsockopt (fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof on), ==, 0);
  return fd;
}

/* The next notification, and the pid that sent it; waits up to a minute
 * (a loaded machine), failing if the daemon exits first. */
static char *
receive_notification (int fd, GSubprocess *daemon, pid_t *sender)
{
  for (int waited = 0; waited < 60000; waited += 100)
    {
      struct pollfd poll_fd = { .fd = fd, .events = POLLIN };
      if (poll (&poll_fd, 1, 100) == 1)
        break;
      g_assert_nonnull (g_subprocess_get_identifier (daemon));
    }
  char text[4096];
  union
  {
    struct cmsghdr header;
    char buffer[CMSG_SPACE (sizeof (struct ucred))];
  } control;
  struct iovec iov = { .iov_base = text, .iov_len = sizeof text - 1 };
  struct msghdr message = {
    .msg_iov = &iov,
    .msg_iovlen = 1,
    .msg_control = &control,
    .msg_controllen = sizeof control,
  };
  gssize length = recvmsg (fd, &message, MSG_DONTWAIT);
  g_assert_cmpint (length, >, 0);
  text[length] = '\0';
  struct cmsghdr *header = CMSG_FIRSTHDR (&message);
  if (header == NULL)
    g_error ("a notification without the sender's credentials");
  g_assert_cmpint (header->cmsg_type, ==, SCM_CREDENTIALS);
  struct ucred credentials;
  memcpy (&credentials, CMSG_DATA (header), sizeof credentials);
  *sender = credentials.pid;
  return g_strdup (text);
}

static void
test_ready_and_stopping (void)
{
  if (!mount_require_root ())
    return;
  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-notify-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "notify", NULL);
  int fd = notify_socket_new (path);

  g_autoptr (Mount) mount = mount_new_notifying (NULL, path);
  pid_t daemon_pid = atoi (g_subprocess_get_identifier (mount->daemon));
  pid_t sender;
  g_autofree char *ready = receive_notification (fd, mount->daemon, &sender);
  g_autofree char *expected_ready
      = g_strdup_printf ("READY=1\nSTATUS=serving %s", mount->mount_dir);
  g_assert_cmpstr (ready, ==, expected_ready);
  /* From the main process, the one systemd started (NotifyAccess=main). */
  g_assert_cmpint (sender, ==, daemon_pid);

  /* Ready means ready: the mount answers now, with no wait. */
  struct statfs fs;
  g_assert_cmpint (statfs (mount->mount_dir, &fs), ==, 0);
  g_assert_cmpint (fs.f_type, ==, FUSE_SUPER_MAGIC);
  g_assert_cmpint (make_box (mount, "b"), ==, 0);
  g_autofree char *out = run_for_output (mount, "b", "echo served");
  g_assert_cmpstr (out, ==, "served\n");
  g_assert_cmpint (remove_box (mount, "b"), ==, 0);

  g_subprocess_send_signal (mount->daemon, SIGTERM);
  g_autofree char *stopping = receive_notification (fd, mount->daemon, &sender);
  g_assert_cmpstr (stopping, ==, "STOPPING=1\nSTATUS=unmounting");
  g_assert_cmpint (sender, ==, daemon_pid);
  g_assert_true (g_subprocess_wait (mount->daemon, NULL, NULL));
  g_assert_true (g_subprocess_get_if_exited (mount->daemon));
  g_assert_cmpint (g_subprocess_get_exit_status (mount->daemon), ==, 0);
  g_clear_object (&mount->daemon);

  close (fd);
  g_assert_cmpint (unlink (path), ==, 0);
  g_assert_cmpint (rmdir (tmp), ==, 0);
}

static int
user_sets_processes (const Mount *mount, const char *value)
{
  return put (mount, "mine/processes", value);
}

static int
user_makes_a_box (const Mount *mount)
{
  return make_box (mount, "mine");
}

static int
user_sets_11_processes (const Mount *mount)
{
  return user_sets_processes (mount, "11");
}

static int
user_sets_10_processes (const Mount *mount)
{
  return user_sets_processes (mount, "10");
}

static int
user_sets_12_processes (const Mount *mount)
{
  return user_sets_processes (mount, "12");
}

static int
user_sets_50_processes (const Mount *mount)
{
  return user_sets_processes (mount, "50");
}

/* SIGHUP, and what systemd hears of it. */
static void
reload (Mount *mount, int notify_fd)
{
  pid_t daemon_pid = atoi (g_subprocess_get_identifier (mount->daemon)), sender;
  g_subprocess_send_signal (mount->daemon, SIGHUP);
  g_autofree char *reloading = receive_notification (notify_fd, mount->daemon, &sender);
  g_assert_true (g_str_has_prefix (reloading, "RELOADING=1\n"));
  g_assert_cmpint (sender, ==, daemon_pid);
}

static char *
read_log (const char *path)
{
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* SIGHUP reads the config file again: maximums, defaults, per-user rules
 * and the languages table change for what comes after, without an unmount,
 * while a run goes on. A file that does not load changes nothing, and the
 * log says why. */
static void
test_reload (void)
{
  if (!mount_require_root ())
    return;
  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-reload-XXXXXX", NULL);
  g_assert_cmpint (chmod (tmp, 0755), ==, 0);
  g_autofree char *socket_path = g_build_filename (tmp, "notify", NULL);
  g_autofree char *conf = g_build_filename (tmp, "isolatefs.conf", NULL);
  g_autofree char *languages = g_build_filename (tmp, "languages.conf", NULL);
  g_autofree char *log = g_build_filename (tmp, "isolatefs.log", NULL);
  int fd = notify_socket_new (socket_path);
  g_assert_true (
      g_file_set_contents (conf, "[isolatefs]\ndefault_mem=64M\nmax_processes=50\n", -1, NULL));
  g_autofree char *options
      = g_strdup_printf ("config=%s,log=%s,allow_other,default_permissions", conf, log);
  g_autoptr (Mount) mount = mount_new_notifying (options, socket_path);
  pid_t sender;
  g_autofree char *ready = receive_notification (fd, mount->daemon, &sender);
  g_assert_true (g_str_has_prefix (ready, "READY=1\n"));
  g_assert_cmpint (chmod (mount->tmp_dir, 0711), ==, 0);
  g_assert_cmpint (make_box (mount, "b1"), ==, 0);
  assert_reads (mount, "b1/mem", "65536\n");
  g_assert_cmpint (as_user (mount, 61600, user_makes_a_box), ==, 0);
  g_assert_cmpint (as_user (mount, 61600, user_sets_11_processes), ==, 0);

  /* A good file, read while b1 runs. */
  g_assert_cmpint (put (mount, "b1/cmd", "sleep 1"), ==, 0);
  g_assert_true (
      g_file_set_contents (languages, "[Zed]\nextensions=zed;\nrun=zed {source}\n", -1, NULL));
  g_autofree char *good = g_strdup_printf ("[isolatefs]\n"
                                           "default_mem=32M\n"
                                           "max_processes=10\n"
                                           "default_env=GREETING=hello\n"
                                           "languages=%s\n"
                                           "box_uids=500\n"
                                           "[user:no-such-user-here]\n"
                                           "max_boxes=1\n",
                                           languages);
  g_assert_true (g_file_set_contents (conf, good, -1, NULL));
  reload (mount, fd);
  g_autofree char *after_good = receive_notification (fd, mount->daemon, &sender);
  g_autofree char *serving = g_strdup_printf ("READY=1\nSTATUS=serving %s", mount->mount_dir);
  g_assert_cmpstr (after_good, ==, serving);

  g_autofree char *status = get (mount, "b1/status");
  g_assert_nonnull (strstr (status, "exitcode:0\n"));
  g_assert_null (strstr (status, "status:"));
  assert_reads (mount, "b1/mem", "65536\n"); /* saved values stay */
  g_assert_cmpint (make_box (mount, "b2"), ==, 0);
  assert_reads (mount, "b2/mem", "32768\n");
  /* The new maximum binds every change; the current value, above it now,
   * may be written back, which changes nothing (interface.md). */
  g_assert_cmpint (as_user (mount, 61600, user_sets_12_processes), ==, EPERM);
  g_assert_cmpint (as_user (mount, 61600, user_sets_11_processes), ==, 0);
  g_assert_cmpint (as_user (mount, 61600, user_sets_10_processes), ==, 0);
  g_assert_cmpint (as_user (mount, 61600, user_sets_11_processes), ==, EPERM);
  g_autofree char *table = get (mount, ".languages");
  g_assert_true (g_str_has_prefix (table, "language:Zed\n"));
  g_autofree char *greeting = run_for_output (mount, "b2", "printenv GREETING");
  g_assert_cmpstr (greeting, ==, "hello\n");
  g_autofree char *logged = read_log (log);
  /* (Not first_uid: the test's mount gives its own on the command line, which wins.) */
  g_assert_nonnull (strstr (logged, "reload: box_uids changed; a running daemon keeps them"));
  g_assert_nonnull (strstr (logged, "[user:no-such-user-here]: no such user"));
  g_assert_nonnull (strstr (logged, "reloaded the configuration"));

  /* A bad file: refused whole, with the reason, and nothing changes. */
  g_assert_true (
      g_file_set_contents (conf, "[isolatefs]\ndefault_mem=banana\nmax_processes=50\n", -1, NULL));
  reload (mount, fd);
  g_autofree char *after_bad = receive_notification (fd, mount->daemon, &sender);
  g_assert_true (g_str_has_prefix (after_bad, serving));
  g_assert_nonnull (strstr (after_bad, "the last reload was refused"));
  g_assert_cmpint (make_box (mount, "b3"), ==, 0);
  assert_reads (mount, "b3/mem", "32768\n");
  g_assert_cmpint (as_user (mount, 61600, user_sets_50_processes), ==, EPERM);
  g_autofree char *logged_bad = read_log (log);
  g_assert_nonnull (strstr (logged_bad, "reload refused, the settings stay as they were: config "
                                        "file"));
  g_assert_nonnull (strstr (logged_bad, "default_mem: mem: 'banana' is not a size"));
  g_assert_cmpint (g_unlink (languages), ==, 0);
  g_assert_cmpint (g_unlink (conf), ==, 0);
  g_assert_cmpint (g_unlink (log), ==, 0);
  close (fd);
  g_assert_cmpint (g_unlink (socket_path), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

/* Runs cmd in box and waits for its status. */
static char *
run_status (Mount *mount, const char *box, const char *cmd)
{
  g_autofree char *cmd_file = g_build_filename (box, "cmd", NULL);
  g_autofree char *status_file = g_build_filename (box, "status", NULL);
  g_assert_cmpint (put (mount, cmd_file, cmd), ==, 0);
  return get (mount, status_file);
}

/* .metrics counts what happened, in Prometheus' format, and reading it
 * waits for no run; the log has one line per run. */
static void
test_metrics_and_run_log (void)
{
  if (!mount_require_root ())
    return;
  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-metrics-XXXXXX", NULL);
  g_autofree char *log = g_build_filename (tmp, "isolatefs.log", NULL);
  g_autofree char *options = g_strdup_printf ("log=%s", log);
  g_autoptr (Mount) mount = mount_new (options);
  g_assert_cmpint (make_box (mount, "ok"), ==, 0);
  g_assert_cmpint (make_box (mount, "bad"), ==, 0);
  g_assert_cmpint (make_box (mount, "slow"), ==, 0);
  g_autofree char *ok = run_status (mount, "ok", "true");
  g_autofree char *re = run_status (mount, "bad", "sh -c 'exit 3'");
  g_assert_cmpint (put (mount, "bad/time", "0.2"), ==, 0);
  g_autofree char *to = run_status (mount, "bad", "sh -c 'while :; do :; done'");
  g_assert_nonnull (strstr (to, "status:TO\n"));
  g_assert_cmpint (put (mount, "bad/time", "5"), ==, 0);
  g_assert_cmpint (put (mount, "bad/mem", "64M"), ==, 0);
  g_autofree char *oom = run_status (mount, "bad", "python3 -c \"x = 'a' * (200 << 20)\"");
  g_assert_nonnull (strstr (oom, "cg-oom-killed:1\n"));
  g_assert_cmpint (put (mount, "ok/mem", "lots"), ==, EINVAL);

  /* A run in progress: reading .metrics does not wait for it. */
  g_assert_cmpint (put (mount, "slow/cmd", "sleep 3"), ==, 0);
  g_assert_cmpint (put (mount, "slow/cmd", "true"), ==, EBUSY);
  gint64 before = g_get_monotonic_time ();
  g_autofree char *text = get (mount, ".metrics");
  gint64 took_us = g_get_monotonic_time () - before;
  g_assert_nonnull (text);
  g_test_message ("reading .metrics took %" G_GINT64_FORMAT " us, during a run of 3 s", took_us);
  g_assert_cmpint (took_us, <, G_USEC_PER_SEC);
  g_autofree char *slow = get (mount, "slow/status");
  g_autofree char *parsed = metrics_parse (text);
  if (parsed != NULL)
    {
      g_test_message ("%s", parsed);
      const char *const samples[] = {
        "isolatefs_runs_total{verdict=OK} 1",
        "isolatefs_runs_total{verdict=RE} 1",
        "isolatefs_runs_total{verdict=SG} 1",
        "isolatefs_runs_total{verdict=TO} 1",
        "isolatefs_runs_total{verdict=XX} 0",
        "isolatefs_runs_in_progress{} 1",
        "isolatefs_boxes{} 3",
        "isolatefs_time_limit_kills_total{} 1",
        "isolatefs_oom_kills_total{} 1",
        "isolatefs_refused_requests_total{errno=EINVAL} 1",
        "isolatefs_refused_requests_total{errno=EBUSY} 1",
        "TYPE isolatefs_uptime_seconds gauge",
        "TYPE isolatefs_resident_memory_bytes gauge",
        "TYPE isolatefs_prepared_sandboxes counter",
      };
      for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
        metrics_assert_line (parsed, samples[i]);
      /* Runs start in jails prepared ahead (prepare_runs), which were
       * ordered first: as many as the runs took, or more. */
      const char *used_line = strstr (parsed, "isolatefs_prepared_sandboxes_used_total{} ");
      const char *prepared_line = strstr (parsed, "isolatefs_prepared_sandboxes_total{} ");
      g_assert_nonnull (used_line);
      g_assert_nonnull (prepared_line);
      guint64 used = g_ascii_strtoull (strchr (used_line, ' ') + 1, NULL, 10);
      guint64 prepared = g_ascii_strtoull (strchr (prepared_line, ' ') + 1, NULL, 10);
      g_assert_cmpuint (used, >=, 1);
      g_assert_cmpuint (used, <=, 5);
      g_assert_cmpuint (prepared, >=, used);
    }

  /* One line per run, with what a judge's admin greps for. */
  g_autofree char *logged = NULL;
  g_assert_true (g_file_get_contents (log, &logged, NULL, NULL));
  const char *const lines[] = {
    "run of box ok (owner uid 0): OK; ",
    "run of box bad (owner uid 0): RE, Exited with error status 3; ",
    "run of box bad (owner uid 0): TO, Time limit exceeded; ",
    "run of box bad (owner uid 0): SG, Caught fatal signal 9; ",
    "run of box slow (owner uid 0): OK; ",
  };
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    if (strstr (logged, lines[i]) == NULL)
      g_error ("no '%s' in the log:\n%s", lines[i], logged);
  g_assert_nonnull (strstr (logged, " KiB peak, exit code 3\n"));
  g_assert_nonnull (strstr (logged, " KiB peak, signal 9\n"));
  g_assert_cmpint (g_unlink (log), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/service/ready-and-stopping", test_ready_and_stopping);
  g_test_add_func ("/service/reload", test_reload);
  g_test_add_func ("/service/metrics-and-run-log", test_metrics_and_run_log);
  return g_test_run ();
}
