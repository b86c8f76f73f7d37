#include "run.h"

#include "run_output.h"
#include "sandbox/settings/box_limits.h"
#include "sandbox/sandbox_error.h"
#include "utils/autofd.h"
#include "utils/loop_sources.h"

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

struct _Run
{
  RunSpec spec;
  RunDoneFunc done;
  gpointer done_data;
  RunResult *result;
  Jail *jail;
  char *launch_error; /* why the command could not be handed over, or NULL */
  GString *report;    /* what failed before the exec, if anything */
  guint report_watch; /* until the report's EOF */
  guint status_watch; /* until the program's outcome, or the proxy's death */
  gboolean ended;     /* the outcome came (or never will) */
  gboolean has_outcome;
  JailOutcome outcome;
  gboolean killed;
  guint proxy_watch; /* a proxy the daemon killed, until it is reaped */
  gboolean proxy_reaped;
  gint64 started_us;
  guint go_source; /* until the program is told to go */
  gint64 ended_us;
  guint check_timer;
  guint n_cpus; /* how fast CPU time can accrue; read at the first check */
  RunOutputs outputs;
};

static void
on_proxy_exit (GPid pid, gint wait_status, gpointer data)
{
  g_spawn_close_pid (pid);
  jail_proxy_reaped (data);
  jail_free (data);
}

/* The proxy reports the outcome just before it exits, and its exit (the
 * namespaces it takes down) can take a millisecond more: the run does not
 * wait for it. Its jail is freed once it has been reaped. */
static void
free_jail_when_reaped (Jail *jail)
{
  child_watch_add (jail_get_pid (jail), on_proxy_exit, jail);
}

static void
run_free (Run *run)
{
  g_clear_handle_id (&run->go_source, g_source_remove);
  g_clear_handle_id (&run->check_timer, g_source_remove);
  g_clear_handle_id (&run->report_watch, g_source_remove);
  g_clear_handle_id (&run->status_watch, g_source_remove);
  g_clear_handle_id (&run->proxy_watch, g_source_remove);
  run_outputs_close (&run->outputs);
  if (run->jail != NULL && run->proxy_reaped)
    jail_free (run->jail);
  else if (run->jail != NULL)
    free_jail_when_reaped (run->jail);
  g_free (run->launch_error);
  g_string_free (run->report, TRUE);
  run_result_free (run->result);
  g_free (run);
}

/* The verdict from how the program ended, then isolate's rule that a run
 * past its CPU or wall limit is TO however it ended. */
static void
judge (Run *run)
{
  RunResult *result = run->result;
  if (result->verdict == RUN_OK && !result->exited)
    run_result_set_verdict (result, RUN_SG, "Caught fatal signal %d", result->exitsig);
  else if (result->verdict == RUN_OK && result->exitcode != 0)
    run_result_set_verdict (result, RUN_RE, "Exited with error status %d", result->exitcode);

  if (run->killed || result->verdict == RUN_XX)
    return;
  if (run->spec.time_ms != LIMIT_UNLIMITED && result->cpu_ms > run->spec.time_ms)
    run_result_set_verdict (result, RUN_TO, "Time limit exceeded");
  else if (run->spec.wall_ms != LIMIT_UNLIMITED && result->wall_ms > run->spec.wall_ms)
    run_result_set_verdict (result, RUN_TO, "Time limit exceeded (wall clock)");
}

/* The memory verdict where the kernel could not give it: reported as the
 * OOM kill it stands for (isolate's SG, exitsig 9, cg-oom-killed:1), with
 * what happened in the message:
 * - mem too small to start the program: the memory its exec needed was
 *   refused at the limit. The OOM killer spares a process that still
 *   shares its parent's memory (the program-to-be, a vfork child, until
 *   its exec), so the exec fails where it would have been killed; with a
 *   limit of a few pages even the report of why fails (exit code 127).
 * - the box's group held more than mem, and could not free it, when the
 *   run started: its limit could only be set to that (cgroup_v1.c), so the
 *   run is judged against mem itself, which its peak passed. */
static void
judge_memory (Run *run, const char *not_started)
{
  RunResult *result = run->result;
  gint64 mem_kib = run->spec.mem_kib;
  if (run->killed || result->oom_killed || mem_kib == LIMIT_UNLIMITED)
    return;
  gboolean unsaid = not_started == NULL && run->has_outcome && result->exited
                    && result->exitcode == JAIL_PROGRAM_SETUP_FAILED;
  /* A charge fails with less room left than it asks: a few pages. */
  gboolean at_limit = result->cg_mem_kib + 16 >= mem_kib;
  if (result->cg_mem_kib <= mem_kib && !((not_started != NULL || unsaid) && at_limit))
    return;
  result->oom_killed = TRUE;
  result->exited = FALSE;
  result->exitsig = SIGKILL;
  if (result->cg_mem_kib > mem_kib)
    run_result_set_verdict (result, RUN_SG,
                            "Out of memory (the box held more than mem at the start)");
  else
    run_result_set_verdict (result, RUN_SG, "Out of memory (%s)",
                            not_started ? not_started : "the program could not start");
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
  result->output_truncated = run->outputs.truncated;

  /* What kept the program from starting is the verdict, unless a limit
   * already killed the run while the jail was being set up. */
  const char *not_started = run->report->len ? run->report->str : run->launch_error;
  const JailOutcome *outcome = &run->outcome;
  if (not_started != NULL && !run->killed)
    run_result_set_verdict (result, RUN_XX, "%s", not_started);
  else if (not_started == NULL && run->has_outcome)
    {
      result->exited = WIFEXITED (outcome->wait_status);
      result->exitcode = result->exited ? WEXITSTATUS (outcome->wait_status) : 0;
      result->exitsig = WIFSIGNALED (outcome->wait_status) ? WTERMSIG (outcome->wait_status) : 0;
      result->max_rss_kib = outcome->usage.ru_maxrss;
      result->csw_voluntary = outcome->usage.ru_nvcsw;
      result->csw_forced = outcome->usage.ru_nivcsw;
    }
  else if (not_started == NULL && run->killed)
    result->exitsig = SIGKILL; /* the proxy and its program went together */
  else if (not_started == NULL)
    run_result_set_verdict (result, RUN_XX, "the sandbox ended without the program's status");
  judge_memory (run, not_started);
}

/* The run is over once the program's outcome is known, the report reached
 * its end, and a proxy the daemon killed has been reaped. */
static void
finish_if_complete (Run *run)
{
  if (!run->ended || run->report_watch != 0 || run->proxy_watch != 0)
    return;
  /* The proxy killed and reaped whatever the program left in its PID
   * namespace before it reported; anything else of the run is in the
   * cgroup. Once that is empty, nothing is left to write to the output
   * files or to measure. */
  box_cgroup_kill_all (run->spec.cgroup);
  run_outputs_hold_to_cap (&run->outputs);
  collect_figures (run);
  judge (run);
  RunResult *result = g_steal_pointer (&run->result);
  RunDoneFunc done = run->done;
  gpointer done_data = run->done_data;
  run_free (run);
  done (result, done_data);
}

/* The proxy writes the outcome once it has reaped the program; EOF alone
 * means it died first (killed with the whole jail on a limit). */
static gboolean
on_status (gint fd, GIOCondition condition, gpointer data)
{
  Run *run = data;
  run->status_watch = 0;
  run->ended = TRUE;
  run->ended_us = g_get_monotonic_time ();
  g_clear_handle_id (&run->check_timer, g_source_remove);
  run->has_outcome = jail_read_outcome (fd, &run->outcome, NULL);
  finish_if_complete (run);
  return G_SOURCE_REMOVE;
}

/* Text before the exec means the program never started; EOF alone, that it did. */
static gboolean
on_report (gint fd, GIOCondition condition, gpointer data)
{
  Run *run = data;
  char buffer[1024];
  gssize n = read (fd, buffer, sizeof buffer);
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return G_SOURCE_CONTINUE;
  if (n > 0)
    {
      g_string_append_len (run->report, buffer, n);
      return G_SOURCE_CONTINUE;
    }
  run->report_watch = 0;
  finish_if_complete (run);
  return G_SOURCE_REMOVE;
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

  run_outputs_hold_to_cap (&run->outputs);
  if (cpu_left < 0)
    run_kill (run, RUN_TO, "Time limit exceeded");
  else if (wall_left < 0)
    run_kill (run, RUN_TO, "Time limit exceeded (wall clock)");
  else
    {
      /* CPU time accrues at most as fast as every core together. Asked once:
       * glibc reads /sys for it twice, and a check comes every millisecond
       * as a limit nears. */
      if (run->n_cpus == 0)
        run->n_cpus = g_get_num_processors ();
      schedule_check (run, MIN (cpu_left / run->n_cpus, wall_left) + 1);
    }
  return G_SOURCE_REMOVE;
}

static void
schedule_check (Run *run, gint64 delay_ms)
{
  run->check_timer = g_timeout_add (CLAMP (delay_ms, CHECK_MIN_MS, CHECK_MAX_MS), on_check, run);
}

static void
on_killed_proxy_exit (GPid pid, gint wait_status, gpointer data)
{
  Run *run = data;
  g_spawn_close_pid (pid);
  jail_proxy_reaped (run->jail);
  run->proxy_watch = 0;
  run->proxy_reaped = TRUE;
  finish_if_complete (run);
}

/* Kills the proxy, PID 1 of the run's namespace: its death takes every
 * process in it. The run then waits until it is reaped: only then have
 * they all been released (its exit reaps them), and no longer count
 * against the box uid's RLIMIT_NPROC when the next run starts. A proxy
 * that reported the outcome first killed and reaped them itself. */
static void
kill_proxy (Run *run)
{
  kill (jail_get_pid (run->jail), SIGKILL);
  if (run->proxy_watch == 0 && !run->proxy_reaped)
    run->proxy_watch = child_watch_add (jail_get_pid (run->jail), on_killed_proxy_exit, run);
}

void
run_kill (Run *run, RunVerdict verdict, const char *message)
{
  if (run->ended || run->killed)
    return;
  run->killed = TRUE;
  run->result->killed = TRUE;
  run_result_set_verdict (run->result, verdict, "%s", message);
  kill_proxy (run);
  box_cgroup_kill_all (run->spec.cgroup);
}

void
run_abort (Run *run)
{
  /* jail_free() kills and reaps the proxy, and so everything in the jail;
   * nothing else may reap it meanwhile. */
  g_clear_handle_id (&run->proxy_watch, g_source_remove);
  if (!run->proxy_reaped)
    g_clear_pointer (&run->jail, jail_free);
  box_cgroup_kill_all (run->spec.cgroup);
  run_free (run);
}

static void
watch_fd (int fd, guint *watch, GUnixFDSourceFunc func, gpointer data)
{
  g_unix_set_fd_nonblocking (fd, TRUE, NULL);
  *watch = fd_watch_add (fd, G_IO_IN | G_IO_HUP | G_IO_ERR, func, data);
}

static void
fail_launch (Run *run, const GError *error)
{
  /* The proxy may still wait: stop it; its report may say more. */
  kill_proxy (run);
  run->launch_error = g_strdup (error->message);
}

/* Once the caller has answered the write that started the run: told to go
 * at once, the program-to-be, woken on the daemon's CPU, often pre-empted
 * the daemon until it had run, and the answer waited for it (traced). */
static gboolean
tell_to_go (gpointer data)
{
  Run *run = data;
  run->go_source = 0;
  if (run->killed)
    return G_SOURCE_REMOVE;
  g_autoptr (GError) error = NULL;
  run->started_us = g_get_monotonic_time ();
  if (!jail_go (run->jail, &error))
    fail_launch (run, error);
  return G_SOURCE_REMOVE;
}

Run *
run_start (const RunSpec *spec, Jail *jail, RunDoneFunc done, gpointer data, GError **error)
{
  Run *run = g_new0 (Run, 1);
  run->spec = *spec;
  run->done = done;
  run->done_data = data;
  run->result = run_result_new ();
  run->jail = jail;
  run->report = g_string_new (NULL);
  if (!run_outputs_init (&run->outputs, spec->output_fds, spec->output_cap, spec->launch.fsize_kib,
                         error))
    {
      g_clear_pointer (&run->jail, jail_free);
      run_free (run);
      return NULL;
    }

  g_autoptr (GError) launch_error = NULL;
  run->started_us = g_get_monotonic_time ();
  if (jail_hand_over (jail, &spec->launch, &launch_error))
    run->go_source = g_idle_add_full (G_PRIORITY_HIGH, tell_to_go, run, NULL);
  else
    fail_launch (run, launch_error);
  /* What the launch needed is the caller's, gone once we return. */
  memset (&run->spec.launch, 0, sizeof run->spec.launch);
  run->spec.output_fds[0] = run->spec.output_fds[1] = -1;

  watch_fd (jail_get_report_fd (jail), &run->report_watch, on_report, run);
  run->status_watch
      = fd_watch_add (jail_get_status_fd (jail), G_IO_IN | G_IO_HUP | G_IO_ERR, on_status, run);
  schedule_check (run, CHECK_MIN_MS);
  return run;
}
