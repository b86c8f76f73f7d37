/* A box's cgroup as a run uses it: limits, per-run counters, killing. */

#include "sandbox/settings/box_limits.h"
#include "sandbox/cgroup/cgroup.h"
#include "sandbox/sandbox_error.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct
{
  char *parent;
  Cgroups *cgroups;
  BoxCgroup *cgroup;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  if (geteuid () != 0)
    {
      g_test_skip ("needs root: creates cgroups");
      return;
    }
  g_autoptr (GError) error = NULL;
  fixture->parent = g_strdup_printf ("isolatefs-cgtest-%d", (int) getpid ());
  fixture->cgroups = cgroups_new (fixture->parent, &error);
  g_assert_nonnull (fixture->cgroups);
  g_assert_true (cgroups_create_box (fixture->cgroups, "box", &error));
  fixture->cgroup = cgroups_open_box (fixture->cgroups, "box", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  if (fixture->cgroup == NULL)
    return;
  g_assert_true (box_cgroup_kill_all (fixture->cgroup));
  g_clear_pointer (&fixture->cgroup, box_cgroup_free);
  g_assert_true (cgroups_remove_box (fixture->cgroups, "box", NULL));
  cgroups_remove_parent (fixture->cgroups);
  g_clear_pointer (&fixture->cgroups, cgroups_free);
  g_autofree char *path = g_build_filename ("/sys/fs/cgroup/pids", fixture->parent, NULL);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_free (fixture->parent);
}

static void
join (BoxCgroup *cgroup)
{
  for (const char *const *file = box_cgroup_procs_files (cgroup); *file != NULL; file++)
    {
      FILE *procs = fopen (*file, "w");
      if (procs == NULL || fprintf (procs, "%d\n", (int) getpid ()) < 0 || fclose (procs) != 0)
        _exit (100);
    }
}

static double
cpu_seconds (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs body in a child that has joined the box; returns its wait status. */
static int
run_in_box (BoxCgroup *cgroup, void (*body) (void))
{
  pid_t pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      join (cgroup);
      body ();
      _exit (0);
    }
  int status;
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return status;
}

static void
burn_200ms (void)
{
  double start = cpu_seconds ();
  while (cpu_seconds () - start < 0.2)
    ;
}

static void
eat_memory (void)
{
  for (int i = 0; i < 200; i++)
    {
      char *block = malloc (1 << 20);
      if (block == NULL)
        _exit (2);
      memset (block, i, 1 << 20);
    }
}

static void
fork_many (void)
{
  int made = 0;
  for (int i = 0; i < 10; i++)
    {
      pid_t child = fork ();
      if (child == 0)
        {
          pause ();
          _exit (0);
        }
      made += child > 0;
    }
  _exit (made);
}

static void
test_cpu_time_is_per_run (Fixture *fixture, gconstpointer data)
{
  if (fixture->cgroup == NULL)
    return;
  g_autoptr (GError) error = NULL;
  guint64 ns = 0;
  g_assert_true (box_cgroup_prepare_run (fixture->cgroup, LIMIT_UNLIMITED, 10, 0, &error));
  g_assert_cmpint (run_in_box (fixture->cgroup, burn_200ms), ==, 0);
  g_assert_true (box_cgroup_cpu_ns (fixture->cgroup, &ns, &error));
  g_assert_cmpuint (ns, >=, 195000000);
  g_assert_cmpuint (ns, <, 400000000);

  g_assert_true (box_cgroup_prepare_run (fixture->cgroup, LIMIT_UNLIMITED, 10, 0, &error));
  g_assert_true (box_cgroup_cpu_ns (fixture->cgroup, &ns, &error));
  g_assert_cmpuint (ns, <, 1000000);
}

static void
test_memory_limit_and_oom_not_sticky (Fixture *fixture, gconstpointer data)
{
  if (fixture->cgroup == NULL)
    return;
  g_autoptr (GError) error = NULL;
  g_assert_true (box_cgroup_prepare_run (fixture->cgroup, 32 * 1024, 10, 0, &error));
  int status = run_in_box (fixture->cgroup, eat_memory);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
  g_assert_true (box_cgroup_oom_killed (fixture->cgroup));
  g_assert_cmpint (box_cgroup_peak_kib (fixture->cgroup), >=, 30 * 1024);
  g_assert_cmpint (box_cgroup_peak_kib (fixture->cgroup), <=, 32 * 1024);

  /* The next run starts clean: no OOM flag, no peak from before. */
  g_assert_true (box_cgroup_prepare_run (fixture->cgroup, 256 * 1024, 10, 0, &error));
  g_assert_false (box_cgroup_oom_killed (fixture->cgroup));
  g_assert_cmpint (box_cgroup_peak_kib (fixture->cgroup), <, 30 * 1024);
  g_assert_cmpint (run_in_box (fixture->cgroup, eat_memory), ==, 0);
  g_assert_false (box_cgroup_oom_killed (fixture->cgroup));
  g_assert_cmpint (box_cgroup_peak_kib (fixture->cgroup), >=, 200 * 1024);
}

static void
test_process_limit_and_kill_all (Fixture *fixture, gconstpointer data)
{
  if (fixture->cgroup == NULL)
    return;
  g_autoptr (GError) error = NULL;
  g_assert_true (box_cgroup_prepare_run (fixture->cgroup, LIMIT_UNLIMITED, 4, 0, &error));
  int status = run_in_box (fixture->cgroup, fork_many);
  /* The child itself counts: it could make three more, not ten. */
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 3);

  /* Its children outlived it; a new run cannot start until they are gone. */
  g_assert_false (box_cgroup_prepare_run (fixture->cgroup, LIMIT_UNLIMITED, 4, 0, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_true (box_cgroup_kill_all (fixture->cgroup));
  /* Reap them (they were reparented to us or to init). */
  while (waitpid (-1, NULL, WNOHANG) > 0)
    ;
  g_assert_true (box_cgroup_prepare_run (fixture->cgroup, LIMIT_UNLIMITED, 4, 0, &error));
}

#define ADD(path, function)                                                                        \
  g_test_add (path, Fixture, NULL, fixture_set_up, function, fixture_tear_down)

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/cgroup/cpu-time-is-per-run", test_cpu_time_is_per_run);
  ADD ("/cgroup/memory-limit-and-oom-not-sticky", test_memory_limit_and_oom_not_sticky);
  ADD ("/cgroup/process-limit-and-kill-all", test_process_limit_and_kill_all);
  return g_test_run ();
}
