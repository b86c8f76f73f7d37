/* Where the daemon's log goes (fs/daemon_log.h): syslog, and a file when
 * syslog takes nothing, so that no line is lost without a trace; log=FILE,
 * reopened after logrotate. The writer is called as GLib calls it. */

#include "fs/daemon_log.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void
write_line (DaemonLog *log, GLogLevelFlags level, const char *message)
{
  const GLogField fields[] = {
    { "MESSAGE", message, -1 },
    { "PRIORITY", "5", -1 },
  };
  g_assert_cmpint (daemon_log_write (level, fields, G_N_ELEMENTS (fields), log), ==,
                   G_LOG_WRITER_HANDLED);
}

static char *
read_text (const char *path)
{
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* A syslog daemon's socket at path. */
static int
listen_syslog (const char *path)
{
  int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  g_strlcpy (address.sun_path, path, sizeof address.sun_path);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  return fd;
}

static char *
receive (int fd)
{
  char datagram[4096];
  gssize length = recv (fd, datagram, sizeof datagram - 1, MSG_DONTWAIT);
  g_assert_cmpint (length, >, 0);
  return g_strndup (datagram, length);
}

static void
test_syslog_then_file (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-log-XXXXXX", NULL);
  g_autofree char *socket_path = g_build_filename (tmp, "log", NULL);
  g_autofree char *fallback = g_build_filename (tmp, "isolatefs.log", NULL);
  int syslog_fd = listen_syslog (socket_path);
  DaemonLogSettings settings = { .syslog_socket = socket_path, .fallback_file = fallback };
  g_autoptr (GError) error = NULL;
  g_autoptr (DaemonLog) log = daemon_log_new (&settings, &error);
  g_assert_no_error (error);
  g_assert_false (daemon_log_is_fallback (log));
  g_autofree char *described = g_strdup_printf ("syslog (%s)", socket_path);
  g_assert_cmpstr (daemon_log_describe (log), ==, described);

  /* As syslog(3) sends it: facility daemon, the level's priority, our tag. */
  write_line (log, G_LOG_LEVEL_MESSAGE, "box b created");
  g_autofree char *first = receive (syslog_fd);
  g_autofree char *tag = g_strdup_printf (" isolatefs[%d]: box b created", (int) getpid ());
  g_assert_true (g_str_has_prefix (first, "<29>"));
  g_assert_true (g_str_has_suffix (first, tag));
  write_line (log, G_LOG_LEVEL_WARNING, "careful");
  g_autofree char *second = receive (syslog_fd);
  g_assert_true (g_str_has_prefix (second, "<28>"));
  g_assert_false (g_file_test (fallback, G_FILE_TEST_EXISTS));

  /* The syslog daemon goes: the file takes the lines, and says why. */
  close (syslog_fd);
  g_assert_cmpint (g_unlink (socket_path), ==, 0);
  write_line (log, G_LOG_LEVEL_MESSAGE, "run of b: OK");
  write_line (log, G_LOG_LEVEL_MESSAGE, "box b removed");
  g_autofree char *text = read_text (fallback);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4); /* three, and after the last newline */
  g_assert_nonnull (strstr (lines[0], "warning: syslog"));
  g_assert_nonnull (strstr (lines[0], "takes no line"));
  g_assert_true (g_str_has_suffix (lines[1], "message: run of b: OK"));
  g_assert_true (g_str_has_suffix (lines[2], "message: box b removed"));

  /* It comes back: syslog again. */
  syslog_fd = listen_syslog (socket_path);
  write_line (log, G_LOG_LEVEL_MESSAGE, "back");
  g_autofree char *back = receive (syslog_fd);
  g_assert_true (g_str_has_suffix (back, "]: back"));
  close (syslog_fd);

  g_assert_cmpint (g_unlink (socket_path), ==, 0);
  g_assert_cmpint (g_unlink (fallback), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

/* No syslog at all when the daemon starts: the file, said at once. */
static void
test_no_syslog (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-log-XXXXXX", NULL);
  g_autofree char *socket_path = g_build_filename (tmp, "no-such-socket", NULL);
  g_autofree char *fallback = g_build_filename (tmp, "isolatefs.log", NULL);
  DaemonLogSettings settings = { .syslog_socket = socket_path, .fallback_file = fallback };
  g_autoptr (DaemonLog) log = daemon_log_new (&settings, NULL);
  g_assert_true (daemon_log_is_fallback (log));
  g_assert_true (g_str_has_prefix (daemon_log_describe (log), fallback));
  g_assert_nonnull (strstr (daemon_log_describe (log), "no syslog"));
  write_line (log, G_LOG_LEVEL_MESSAGE, "serving /isolate");
  g_autofree char *text = read_text (fallback);
  g_assert_nonnull (strstr (text, "message: serving /isolate\n"));
  g_assert_cmpint (g_unlink (fallback), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

/* log=FILE: every line there, whatever else there is; and after logrotate
 * moved it away, a reopen starts a new one. */
static void
test_log_file (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-log-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (tmp, "daemon.log", NULL);
  g_autofree char *rotated = g_build_filename (tmp, "daemon.log.1", NULL);
  DaemonLogSettings settings = { .file = file, .foreground = TRUE, .syslog_socket = "/dev/log" };
  g_autoptr (GError) error = NULL;
  g_autoptr (DaemonLog) log = daemon_log_new (&settings, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (daemon_log_describe (log), ==, file);
  write_line (log, G_LOG_LEVEL_MESSAGE, "one");
  g_assert_cmpint (g_rename (file, rotated), ==, 0);
  write_line (log, G_LOG_LEVEL_MESSAGE, "two"); /* still to the file it has open */
  g_assert_true (daemon_log_reopen (log, &error));
  write_line (log, G_LOG_LEVEL_MESSAGE, "three");
  g_autofree char *old = read_text (rotated);
  g_autofree char *new = read_text (file);
  g_assert_nonnull (strstr (old, "message: one\n"));
  g_assert_nonnull (strstr (old, "message: two\n"));
  g_assert_null (strstr (new, "one"));
  g_assert_nonnull (strstr (new, "message: three\n"));

  /* A file that cannot be opened is an error at start, with its name. */
  g_autofree char *unopenable = g_build_filename (tmp, "missing", "daemon.log", NULL);
  DaemonLogSettings bad = { .file = unopenable };
  g_autoptr (GError) bad_error = NULL;
  g_assert_null (daemon_log_new (&bad, &bad_error));
  g_assert_nonnull (strstr (bad_error->message, unopenable));

  g_assert_cmpint (g_unlink (file), ==, 0);
  g_assert_cmpint (g_unlink (rotated), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

/* Debug lines only when G_MESSAGES_DEBUG asks, as GLib's own writer. */
static void
test_debug_dropped (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-log-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (tmp, "daemon.log", NULL);
  DaemonLogSettings settings = { .file = file };
  g_autoptr (DaemonLog) log = daemon_log_new (&settings, NULL);
  g_unsetenv ("G_MESSAGES_DEBUG");
  write_line (log, G_LOG_LEVEL_DEBUG, "libcgroup chatter");
  write_line (log, G_LOG_LEVEL_INFO, "info too");
  write_line (log, G_LOG_LEVEL_MESSAGE, "kept");
  g_autofree char *text = read_text (file);
  g_assert_null (strstr (text, "chatter"));
  g_assert_null (strstr (text, "info too"));
  g_assert_nonnull (strstr (text, "kept"));
  g_assert_cmpint (g_unlink (file), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/daemon-log/syslog-then-file", test_syslog_then_file);
  g_test_add_func ("/daemon-log/no-syslog", test_no_syslog);
  g_test_add_func ("/daemon-log/log-file", test_log_file);
  g_test_add_func ("/daemon-log/debug-dropped", test_debug_dropped);
  return g_test_run ();
}
