#include "daemon_idle.h"

#include "mount_fixture.h"

#include <string.h>
#include <sys/syscall.h>

/* Does every thread of the daemon sleep (S in its stat)? */
static gboolean
all_threads_sleep (GPid daemon)
{
  g_autofree char *tasks = g_strdup_printf ("/proc/%d/task", (int) daemon);
  g_autoptr (GDir) dir = g_dir_open (tasks, 0, NULL);
  g_assert_nonnull (dir);
  for (const char *task; (task = g_dir_read_name (dir)) != NULL;)
    {
      g_autofree char *path = g_build_filename (tasks, task, "stat", NULL);
      g_autofree char *stat = NULL;
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue; /* ended since it was listed */
      const char *state = strrchr (stat, ')');
      if (state == NULL || strncmp (state, ") S", 3) != 0)
        return FALSE;
    }
  return TRUE;
}

/* Does the main loop (the daemon's first thread) wait with no timer
 * pending: in poll() with no timeout? */
static gboolean
main_loop_waits_without_timer (GPid daemon)
{
  guint64 args[3];
  glong number = process_blocked_syscall (daemon, args);
#ifdef SYS_poll
  if (number == SYS_poll)
    return (int) args[2] == -1;
#endif
  /* Where there is no poll(), libc calls ppoll(): no timespec, no timeout. */
  return number == SYS_ppoll && args[2] == 0;
}

static gboolean
at_rest (GPid daemon)
{
  return process_count_jails (daemon) == 0 && all_threads_sleep (daemon)
         && main_loop_waits_without_timer (daemon);
}

static guint
count_descriptors (GPid daemon)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) daemon);
  return count_entries (path);
}

/* At rest on both sides of the count: nothing woke in between. */
static gboolean
rests_holding (GPid daemon, guint *count)
{
  if (!at_rest (daemon))
    return FALSE;
  *count = count_descriptors (daemon);
  return at_rest (daemon) && count_descriptors (daemon) == *count;
}

guint
daemon_wait_idle (GPid daemon)
{
  gint64 start = g_get_monotonic_time ();
  guint count = 0;
  gboolean resting = FALSE;
  WAIT_UNTIL ((resting = rests_holding (daemon, &count)));
  if (!resting)
    g_error ("the daemon is not at rest after a minute: %u jails with a proxy, threads %s, main "
             "loop %s",
             process_count_jails (daemon), all_threads_sleep (daemon) ? "asleep" : "busy",
             main_loop_waits_without_timer (daemon) ? "without a timer" : "with a timer");
  g_test_message ("the daemon came to rest in %.2f s, holding %u descriptors",
                  (g_get_monotonic_time () - start) / 1e6, count);
  return count;
}
