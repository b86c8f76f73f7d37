#include "run.h"

#include "box_limits.h"
#include "sandbox_error.h"

#include <errno.h>
#include <glib-unix.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Bounds of the interval between two checks of the limits: the time left
 * bounds how soon a limit can be crossed, so checks come sooner near it. */
#define CHECK_MIN_MS 1
#define CHECK_MAX_MS 100

typedef struct _Run Run;

/* What the program writes to stdout or stderr, copied to a file up to the
 * cap; the rest is read and dropped, so the program never blocks on it. */
typedef struct
{
  Run *run;
  int pipe_fd;
  int file_fd;
  gint64 kept;
  gboolean truncated;
  guint watch;
} Output;

struct _Run
{
  RunSpec spec;
  RunDoneFunc done;
  gpointer done_data;
  RunResult *result;
  GPid proxy_pid;
  int status_fd;
  gboolean proxy_exited;
  gboolean killed;
  gint64 started_us;
  gint64 ended_us;
  guint child_watch;
  guint check_timer;
  Output outputs[2];
};

static void
output_close (Output *output)
{
  g_clear_handle_id (&output->watch, g_source_remove);
  if (output->pipe_fd >= 0)
    close (output->pipe_fd);
  if (output->file_fd >= 0)
    close (output->file_fd);
  output->pipe_fd = output->file_fd = -1;
}

static void
run_free (Run *run)
{
  g_clear_handle_id (&run->child_watch, g_source_remove);
  g_clear_handle_id (&run->check_timer, g_source_remove);
  for (guint i = 0; i < G_N_ELEMENTS (run->outputs); i++)
    output_close (&run->outputs[i]);
  if (run->status_fd >= 0)
    close (run->status_fd);
  run_result_free (run->result);
  g_free (run);
}

/* The verdict from how the program ended, then isolate's rule that a run
 * past its CPU or wall limit is TO however it ended. */
static void
judge (Run *run)
{
  RunResult *result = run->result;
  if (result->status == NULL && !result->exited)
    run_result_set_verdict (result, "SG", "Caught fatal signal %d", result->exitsig);
  else if (result->status == NULL && result->exitcode != 0)
    run_result_set_verdict (result, "RE", "Exited with error status %d", result->exitcode);

  if (run->killed || g_strcmp0 (result->status, "XX") == 0)
    return;
  if (run->spec.time_ms != LIMIT_UNLIMITED && result->cpu_ms > run->spec.time_ms)
    run_result_set_verdict (result, "TO", "Time limit exceeded");
  else if (run->spec.wall_ms != LIMIT_UNLIMITED && result->wall_ms > run->spec.wall_ms)
    run_result_set_verdict (result, "TO", "Time limit exceeded (wall clock)");
}

static void
collect_figures (Run *run)
{
  RunResult *result = run->result;
  guint64 cpu_ns = 0;
  box_cgroup_cpu_ns (run->spec.cgroup, &cpu_ns, NULL);
  result->cpu_ms = (gint64) ((cpu_ns + 500000) / 1000000);
  result->wall_ms = (run->ended_us - run->started_us + 500) / 1000;
  result->cg_mem_kib = box_cgroup_peak_kib (run->spec.cgroup);
  result->oom_killed = box_cgroup_oom_killed (run->spec.cgroup);
  result->output_truncated = run->outputs[0].truncated || run->outputs[1].truncated;

  if (run->status_fd < 0)
    return; /* never started: the verdict is already XX */
  JailOutcome outcome;
  g_autoptr (GError) error = NULL;
  if (jail_read_outcome (run->status_fd, &outcome, &error))
    {
      result->exited = WIFEXITED (outcome.wait_status);
      result->exitcode = result->exited ? WEXITSTATUS (outcome.wait_status) : 0;
      result->exitsig = WIFSIGNALED (outcome.wait_status) ? WTERMSIG (outcome.wait_status) : 0;
      result->max_rss_kib = outcome.usage.ru_maxrss;
      result->csw_voluntary = outcome.usage.ru_nvcsw;
      result->csw_forced = outcome.usage.ru_nivcsw;
    }
  else if (run->killed)
    result->exitsig = SIGKILL; /* the proxy and its program went together */
  else
    run_result_set_verdict (result, "XX", "%s", error->message);
}

/* The run is over once the proxy has exited and both outputs reached their
 * end: then nothing of it is left to write or measure. */
static void
finish_if_complete (Run *run)
{
  if (!run->proxy_exited || run->outputs[0].pipe_fd >= 0 || run->outputs[1].pipe_fd >= 0)
    return;
  /* Anything that escaped the proxy's PID namespace is still in the cgroup. */
  box_cgroup_kill_all (run->spec.cgroup);
  collect_figures (run);
  judge (run);
  RunResult *result = g_steal_pointer (&run->result);
  RunDoneFunc done = run->done;
  gpointer done_data = run->done_data;
  run_free (run);
  done (result, done_data);
}

static gboolean
on_output (gint fd, GIOCondition condition, gpointer data)
{
  Output *output = data;
  char buffer[65536];
  gssize n = read (fd, buffer, sizeof buffer);
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return G_SOURCE_CONTINUE;
  if (n <= 0)
    {
      output->watch = 0;
      close (output->pipe_fd);
      output->pipe_fd = -1;
      finish_if_complete (output->run);
      return G_SOURCE_REMOVE;
    }
  gint64 room = output->run->spec.output_cap - output->kept;
  gssize keep = MIN (n, MAX (room, 0));
  if (keep < n)
    output->truncated = TRUE;
  /* A full disk loses output too: say so rather than drop it silently. */
  gssize written = keep > 0 ? write (output->file_fd, buffer, keep) : 0;
  if (written != keep)
    output->truncated = TRUE;
  output->kept += MAX (written, 0);
  return G_SOURCE_CONTINUE;
}

static void
on_proxy_exit (GPid pid, gint wait_status, gpointer data)
{
  Run *run = data;
  run->child_watch = 0;
  run->proxy_exited = TRUE;
  run->ended_us = g_get_monotonic_time ();
  g_clear_handle_id (&run->check_timer, g_source_remove);
  g_spawn_close_pid (pid);
  finish_if_complete (run);
}

static void schedule_check (Run *run, gint64 delay_ms);

/* Kills at time + extra-time of CPU or at the wall limit; else checks again
 * when the nearer limit could first be crossed. */
static gboolean
on_check (gpointer data)
{
  Run *run = data;
  run->check_timer = 0;
  guint64 cpu_ns = 0;
  box_cgroup_cpu_ns (run->spec.cgroup, &cpu_ns, NULL);
  gint64 cpu_ms = (gint64) (cpu_ns / 1000000);
  gint64 wall_ms = (g_get_monotonic_time () - run->started_us) / 1000;

  gint64 cpu_left = G_MAXINT64, wall_left = G_MAXINT64;
  if (run->spec.time_ms != LIMIT_UNLIMITED && run->spec.extra_ms != LIMIT_UNLIMITED)
    cpu_left = run->spec.time_ms + run->spec.extra_ms - cpu_ms;
  if (run->spec.wall_ms != LIMIT_UNLIMITED)
    wall_left = run->spec.wall_ms - wall_ms;

  if (cpu_left < 0)
    run_kill (run, "TO", "Time limit exceeded");
  else if (wall_left < 0)
    run_kill (run, "TO", "Time limit exceeded (wall clock)");
  else
    /* CPU time accrues at most as fast as every core together. */
    schedule_check (run, MIN (cpu_left / g_get_num_processors (), wall_left) + 1);
  return G_SOURCE_REMOVE;
}

static void
schedule_check (Run *run, gint64 delay_ms)
{
  run->check_timer = g_timeout_add (CLAMP (delay_ms, CHECK_MIN_MS, CHECK_MAX_MS), on_check, run);
}

void
run_kill (Run *run, const char *status, const char *message)
{
  if (run->proxy_exited || run->killed)
    return;
  run->killed = TRUE;
  run->result->killed = TRUE;
  run_result_set_verdict (run->result, status, "%s", message);
  /* PID 1 of the run's namespace: its death takes every process in it. */
  kill (run->proxy_pid, SIGKILL);
  box_cgroup_kill_all (run->spec.cgroup);
}

void
run_abort (Run *run)
{
  if (!run->proxy_exited)
    {
      kill (run->proxy_pid, SIGKILL);
      waitpid (run->proxy_pid, NULL, 0);
    }
  box_cgroup_kill_all (run->spec.cgroup);
  run_free (run);
}

static gboolean
open_output (Output *output, Run *run, const char *path, int *write_end, GError **error)
{
  int fds[2];
  output->run = run;
  output->file_fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (output->file_fd < 0 || pipe2 (fds, O_CLOEXEC) < 0)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "cannot create %s: %s", path,
                   g_strerror (errno));
      return FALSE;
    }
  output->pipe_fd = fds[0];
  *write_end = fds[1];
  return TRUE;
}

/* A run that could not start still ends like any other, from the main loop. */
static gboolean
on_start_failed (gpointer data)
{
  finish_if_complete (data);
  return G_SOURCE_REMOVE;
}

Run *
run_start (const RunSpec *spec, RunDoneFunc done, gpointer data, GError **error)
{
  Run *run = g_new0 (Run, 1);
  run->spec = *spec;
  run->done = done;
  run->done_data = data;
  run->result = run_result_new ();
  run->status_fd = -1;
  run->outputs[0].pipe_fd = run->outputs[0].file_fd = -1;
  run->outputs[1].pipe_fd = run->outputs[1].file_fd = -1;

  int write_ends[2] = { -1, -1 };
  if (!open_output (&run->outputs[0], run, spec->stdout_path, &write_ends[0], error)
      || !open_output (&run->outputs[1], run, spec->stderr_path, &write_ends[1], error))
    {
      for (guint i = 0; i < 2; i++)
        if (write_ends[i] >= 0)
          close (write_ends[i]);
      run_free (run);
      return NULL;
    }

  JailSpec jail = spec->jail;
  jail.stdout_fd = write_ends[0];
  jail.stderr_fd = write_ends[1];
  g_autoptr (GError) jail_error = NULL;
  run->started_us = g_get_monotonic_time ();
  gboolean started = jail_start (&jail, &run->proxy_pid, &run->status_fd, &jail_error);
  close (write_ends[0]);
  close (write_ends[1]);
  /* What the jail and the output files needed is the caller's, gone once we return. */
  memset (&run->spec.jail, 0, sizeof run->spec.jail);
  run->spec.stdout_path = run->spec.stderr_path = NULL;

  if (!started)
    {
      run->ended_us = g_get_monotonic_time ();
      run->proxy_exited = TRUE;
      for (guint i = 0; i < 2; i++)
        {
          close (run->outputs[i].pipe_fd);
          run->outputs[i].pipe_fd = -1;
        }
      run_result_set_verdict (run->result, "XX", "%s", jail_error->message);
      g_idle_add (on_start_failed, run);
      return run;
    }

  for (guint i = 0; i < 2; i++)
    {
      g_unix_set_fd_nonblocking (run->outputs[i].pipe_fd, TRUE, NULL);
      run->outputs[i].watch = g_unix_fd_add (run->outputs[i].pipe_fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                             on_output, &run->outputs[i]);
    }
  run->child_watch = g_child_watch_add (run->proxy_pid, on_proxy_exit, run);
  schedule_check (run, CHECK_MIN_MS);
  return run;
}
