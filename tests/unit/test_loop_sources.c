/* utils/loop_sources.c: main-loop sources that may recurse, and still work. */
#include "utils/loop_sources.h"

#include <sys/wait.h>
#include <unistd.h>

typedef struct
{
  GMainLoop *loop;
  int bytes;
  int exit_status;
} Seen;

static gboolean
on_readable (gint fd, GIOCondition condition, gpointer data)
{
  Seen *seen = data;
  char byte;
  g_assert_true (condition & G_IO_IN);
  g_assert_cmpint (read (fd, &byte, 1), ==, 1);
  if (++seen->bytes == 3)
    g_main_loop_quit (seen->loop);
  return G_SOURCE_CONTINUE;
}

static void
assert_can_recurse (guint id)
{
  GSource *source = g_main_context_find_source_by_id (NULL, id);
  g_assert_nonnull (source);
  /* What spares the two wakeups around each dispatch (loop_sources.h). */
  g_assert_true (g_source_get_can_recurse (source));
}

static void
test_fd_watch_sees_every_byte (void)
{
  int fds[2];
  g_assert_no_errno (pipe (fds));
  Seen seen = { g_main_loop_new (NULL, FALSE), 0, -1 };
  guint id = fd_watch_add (fds[0], G_IO_IN, on_readable, &seen);
  assert_can_recurse (id);
  g_assert_cmpint (write (fds[1], "abc", 3), ==, 3);
  g_main_loop_run (seen.loop);
  g_assert_cmpint (seen.bytes, ==, 3);
  g_source_remove (id);
  g_main_loop_unref (seen.loop);
  close (fds[0]);
  close (fds[1]);
}

static void
on_child_exit (GPid pid, gint wait_status, gpointer data)
{
  Seen *seen = data;
  seen->exit_status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  g_spawn_close_pid (pid);
  g_main_loop_quit (seen->loop);
}

static void
test_child_watch_sees_the_exit (void)
{
  pid_t pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit (3);
  Seen seen = { g_main_loop_new (NULL, FALSE), 0, -1 };
  guint id = child_watch_add (pid, on_child_exit, &seen);
  assert_can_recurse (id);
  g_main_loop_run (seen.loop);
  g_assert_cmpint (seen.exit_status, ==, 3);
  g_main_loop_unref (seen.loop);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/loop-sources/fd-watch-sees-every-byte", test_fd_watch_sees_every_byte);
  g_test_add_func ("/loop-sources/child-watch-sees-the-exit", test_child_watch_sees_the_exit);
  return g_test_run ();
}
