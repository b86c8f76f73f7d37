/* The daemon as a systemd service: it says READY=1 over $NOTIFY_SOCKET once
 * its mount answers, and STOPPING=1 when it stops. The test provides the
 * socket, as systemd does for a Type=notify unit. */

#include "mount_fixture.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/service/ready-and-stopping", test_ready_and_stopping);
  return g_test_run ();
}
