/* A box's cgroup as a run uses it: limits, per-run counters, killing; on
 * whichever hierarchy cgroup=auto picks here (cgroup_layout.h). On cgroup
 * v2 also: each run's own group, the next run's apart, and the subtree the
 * daemon takes for itself. */

#include "cgroup_layout.h"
#include "machine_speed.h"

#include "sandbox/cgroup/cgroup.h"
#include "sandbox/sandbox_error.h"
#include "sandbox/settings/box_limits.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct
{
  char *parent;
  Cgroups *cgroups;
  BoxCgroup *cgroup;
} Fixture;

static gboolean
require_root (void)
{
  if (geteuid () == 0)
    return TRUE;
  g_test_skip ("needs root: creates cgroups");
  return FALSE;
}

static gboolean
require_v2 (void)
{
  if (cgroup_layout_is_v2 ())
    return TRUE;
  g_test_skip ("cgroup v2 only: this host's hierarchy is v1 (tests/cgroup2/ runs it on v2)");
  return FALSE;
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  if (!require_root ())
    return;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("isolatefs-cgtest-%d", (int) getpid ());
  fixture->parent = cgroup_layout_parent (name);
  fixture->cgroups = cgroups_new (fixture->parent, CGROUP_HIERARCHY_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cgroups_hierarchy_name (fixture->cgroups), ==,
                   cgroup_layout_is_v2 () ? "v2" : "v1");
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
  g_autofree char *path = cgroup_layout_dir (fixture->parent, NULL);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_free (fixture->parent);
}

/* cgroupfs takes a value in one write(), in place. */
static gboolean
write_text (const char *path, const char *text)
{
  FILE *file = fopen (path, "w");
  return file != NULL && fputs (text, file) >= 0 && fclose (file) == 0;
}

static void
write_pid (const char *procs_path)
{
  g_autofree char *pid = g_strdup_printf ("%d\n", (int) getpid ());
  if (!write_text (procs_path, pid))
    _exit (100);
}

/* Into the cgroups a jail's program would go to, by their cgroup.procs
 * (the jail tests check the birth itself: test_jail.c). */
static void
join (BoxCgroup *cgroup, gboolean next_run)
{
  CgroupPlacement placement;
  if (!box_cgroup_place (cgroup, next_run, &placement, NULL))
    _exit (101);
  for (const char *const *file = placement.procs_files; file != NULL && *file != NULL; file++)
    write_pid (*file);
  if (placement.birth_dir != NULL)
    {
      g_autofree char *procs = g_build_filename (placement.birth_dir, "cgroup.procs", NULL);
      write_pid (procs);
    }
}

static double
cpu_seconds (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Starts body in a child that has joined the box (for the run prepared, or
 * for the next one, whose group the caller placed first); returns its pid.
 * It dies with the test. */
static pid_t
start_in_box (BoxCgroup *cgroup, gboolean next_run, void (*body) (void))
{
  pid_t pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      prctl (PR_SET_PDEATHSIG, SIGKILL);
      join (cgroup, next_run);
      body ();
      _exit (0);
    }
  return pid;
}

/* Runs body in a child that has joined the box; returns its wait status. */
static int
run_in_box (BoxCgroup *cgroup, void (*body) (void))
{
  pid_t pid = start_in_box (cgroup, FALSE, body);
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
  /* Counted in ticks where the machine counts so (machine_speed.h). */
  guint64 tick_ns = (guint64) (machine_cpu_tick () * 1e9);
  g_assert_true (box_cgroup_prepare_run (fixture->cgroup, LIMIT_UNLIMITED, 10, 0, &error));
  g_assert_cmpint (run_in_box (fixture->cgroup, burn_200ms), ==, 0);
  g_assert_true (box_cgroup_cpu_ns (fixture->cgroup, &ns, &error));
  g_assert_cmpuint (ns, >=, 195000000 - tick_ns);
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

static void
hold_memory (void)
{
  for (int i = 0; i < 20; i++)
    memset (malloc (1 << 20), i, 1 << 20);
  pause ();
}

static void
wait_for_sigterm (void)
{
  sigset_t set;
  sigemptyset (&set);
  sigaddset (&set, SIGTERM);
  sigprocmask (SIG_BLOCK, &set, NULL);
  int signal;
  sigwait (&set, &signal);
  burn_200ms ();
}

/* v2: a process waiting for the next run (a jail prepared during a run) is
 * in that run's group, not the current one's: not counted there, not
 * killed with it. Its CPU time, pid and memory are the next run's, from
 * its birth; and the kill of a run leaves it be. */
static void
test_next_run_counted_apart (Fixture *fixture, gconstpointer data)
{
  if (fixture->cgroup == NULL || !require_v2 ())
    return;
  g_autoptr (GError) error = NULL;
  g_assert_true (box_cgroup_prepare_run (fixture->cgroup, LIMIT_UNLIMITED, 2, 0, &error));
  CgroupPlacement now, next;
  g_assert_true (box_cgroup_place (fixture->cgroup, FALSE, &now, &error));
  g_autofree char *now_dir = g_strdup (now.birth_dir);
  g_assert_true (box_cgroup_place (fixture->cgroup, TRUE, &next, &error));
  g_assert_nonnull (now_dir);
  g_assert_cmpstr (now_dir, !=, next.birth_dir);

  pid_t waiting = start_in_box (fixture->cgroup, TRUE, wait_for_sigterm);
  g_assert_cmpint (run_in_box (fixture->cgroup, burn_200ms), ==, 0);
  /* The kill of the run: the waiting one stays. */
  g_assert_true (box_cgroup_kill_all (fixture->cgroup));
  g_assert_cmpint (kill (waiting, 0), ==, 0);

  /* The next run's group was the waiting one's: its figures start there. */
  g_assert_true (box_cgroup_prepare_run (fixture->cgroup, LIMIT_UNLIMITED, 2, 0, &error));
  g_assert_false (g_file_test (now_dir, G_FILE_TEST_EXISTS));
  guint64 ns = 0;
  g_assert_true (box_cgroup_cpu_ns (fixture->cgroup, &ns, &error));
  g_assert_cmpuint (ns, <, 100000000);
  g_assert_cmpint (kill (waiting, SIGTERM), ==, 0);
  int status;
  g_assert_cmpint (waitpid (waiting, &status, 0), ==, waiting);
  g_assert_true (WIFEXITED (status));
  g_assert_true (box_cgroup_cpu_ns (fixture->cgroup, &ns, &error));
  g_assert_cmpuint (ns, >=, 195000000 - (guint64) (machine_cpu_tick () * 1e9));
}

/* v2: a memory limit below what the group holds (the program of a jail
 * prepared ahead, waiting in it) is still written: the kernel reclaims,
 * then kills what does not fit, and the run reports it. Never an error
 * for a value the box accepted (mem's smallest is 1 KiB). */
static void
test_small_memory_limit_accepted (Fixture *fixture, gconstpointer data)
{
  if (fixture->cgroup == NULL || !require_v2 ())
    return;
  g_autoptr (GError) error = NULL;
  g_assert_true (box_cgroup_prepare_run (fixture->cgroup, LIMIT_UNLIMITED, 10, 0, &error));
  g_assert_true (box_cgroup_clear_counters (fixture->cgroup, 0, &error));
  CgroupPlacement next;
  g_assert_true (box_cgroup_place (fixture->cgroup, TRUE, &next, &error));
  pid_t waiting = start_in_box (fixture->cgroup, TRUE, hold_memory);
  /* Let it hold its memory. */
  g_usleep (300000);
  g_assert_true (box_cgroup_prepare_run (fixture->cgroup, 1, 10, 1, &error));
  int status;
  g_assert_cmpint (waitpid (waiting, &status, 0), ==, waiting);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
  g_assert_true (box_cgroup_oom_killed (fixture->cgroup));
  g_assert_true (box_cgroup_prepare_run (fixture->cgroup, 64 * 1024, 10, 0, &error));
  g_assert_false (box_cgroup_oom_killed (fixture->cgroup));
}

/* cgroup=auto picks what the host has; the other is refused, with what is
 * missing and where the fix is told. */
static void
test_hierarchy_choice (void)
{
  if (!require_root ())
    return;
  g_autofree char *name = g_strdup_printf ("isolatefs-cgchoice-%d", (int) getpid ());
  g_autofree char *parent = cgroup_layout_parent (name);
  CgroupHierarchy other = cgroup_layout_is_v2 () ? CGROUP_HIERARCHY_V1 : CGROUP_HIERARCHY_V2;
  g_autoptr (GError) error = NULL;
  g_autoptr (Cgroups) refused = cgroups_new (parent, other, &error);
  g_assert_null (refused);
  g_test_message ("%s", error->message);
  g_assert_nonnull (
      strstr (error->message, other == CGROUP_HIERARCHY_V1 ? "cgroup=v1" : "cgroup=v2"));
  g_assert_nonnull (strstr (error->message, "docs/deployment.md"));
  g_assert_nonnull (strstr (error->message, "memory"));
  g_autofree char *dir = cgroup_layout_dir (parent, NULL);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  CgroupHierarchy hierarchy;
  g_assert_true (cgroup_hierarchy_parse ("v2", &hierarchy));
  g_assert_cmpint (hierarchy, ==, CGROUP_HIERARCHY_V2);
  g_assert_false (cgroup_hierarchy_parse ("v3", &hierarchy));
}

/* In a child: takes the subtree below its own group (a relative parent),
 * as a daemon in a systemd unit with Delegate=yes. 0 if it moved into its
 * leaf and the boxes' groups get memory and pids; 1 with the error. */
static int
take_delegated_subtree (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (Cgroups) cgroups = cgroups_new ("boxes", CGROUP_HIERARCHY_V2, &error);
  if (cgroups == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_autofree char *own = NULL;
  g_file_get_contents ("/proc/self/cgroup", &own, NULL, NULL);
  if (own == NULL || !g_str_has_suffix (g_strchomp (own), "/daemon"))
    return 2;
  if (!cgroups_create_box (cgroups, "b", &error))
    return 3;
  g_autoptr (BoxCgroup) box = cgroups_open_box (cgroups, "b", &error);
  CgroupPlacement placement;
  if (box == NULL || !box_cgroup_prepare_run (box, 1024, 3, 0, &error)
      || !box_cgroup_place (box, FALSE, &placement, &error))
    return 4;
  g_autofree char *limit_path = g_build_filename (placement.birth_dir, "memory.max", NULL);
  g_autofree char *limit = NULL;
  if (!g_file_get_contents (limit_path, &limit, NULL, NULL) || strcmp (limit, "1048576\n") != 0)
    return 5;
  return cgroups_remove_box (cgroups, "b", NULL) ? 0 : 6;
}

static int
run_child_in (const char *group, int (*body) (void))
{
  g_autofree char *procs = g_build_filename (group, "cgroup.procs", NULL);
  pid_t pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      write_pid (procs);
      _exit (body ());
    }
  int status;
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* v2, a relative cgroup_parent: the daemon's own group is delegated to it
 * (Delegate=yes). It moves itself into a leaf and enables the controllers
 * down to the boxes' parent; only where nothing else is in its group. */
static void
test_delegated_subtree (void)
{
  if (!require_root () || !require_v2 ())
    return;
  /* What systemd does for a unit with Delegate=yes: the controllers
   * reach its group, which is the daemon's to divide. */
  g_autofree char *root_subtree = cgroup_layout_dir ("cgroup.subtree_control", NULL);
  g_assert_true (write_text (root_subtree, "+memory +pids"));
  g_autofree char *name = g_strdup_printf ("isolatefs-delegated-%d", (int) getpid ());
  g_autofree char *group = cgroup_layout_dir (name, NULL);
  g_assert_no_errno (g_mkdir (group, 0755));
  g_assert_cmpint (run_child_in (group, take_delegated_subtree), ==, 0);
  g_autofree char *leaf = g_build_filename (group, "daemon", NULL);
  g_assert_true (g_file_test (leaf, G_FILE_TEST_IS_DIR));
  g_autofree char *subtree_path = g_build_filename (group, "cgroup.subtree_control", NULL);
  g_autofree char *subtree = NULL;
  g_assert_true (g_file_get_contents (subtree_path, &subtree, NULL, NULL));
  g_assert_nonnull (strstr (subtree, "memory"));
  g_assert_nonnull (strstr (subtree, "pids"));
  cgroup_layout_remove (group);
  g_assert_false (g_file_test (group, G_FILE_TEST_EXISTS));

  /* A group that holds another process (a shell's session, say) is not
   * the daemon's to divide. */
  g_assert_no_errno (g_mkdir (group, 0755));
  g_autofree char *procs = g_build_filename (group, "cgroup.procs", NULL);
  pid_t other = fork ();
  if (other == 0)
    {
      write_pid (procs);
      pause ();
      _exit (0);
    }
  for (int i = 0; i < 500; i++)
    {
      g_autofree char *members = NULL;
      g_file_get_contents (procs, &members, NULL, NULL);
      if (members != NULL && members[0] != '\0')
        break;
      g_usleep (10000);
    }
  g_assert_cmpint (run_child_in (group, take_delegated_subtree), ==, 1);
  kill (other, SIGKILL);
  g_assert_cmpint (waitpid (other, NULL, 0), ==, other);
  cgroup_layout_remove (group);
  g_assert_false (g_file_test (group, G_FILE_TEST_EXISTS));
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
  ADD ("/cgroup/next-run-counted-apart", test_next_run_counted_apart);
  ADD ("/cgroup/small-memory-limit-accepted", test_small_memory_limit_accepted);
  g_test_add_func ("/cgroup/hierarchy-choice", test_hierarchy_choice);
  g_test_add_func ("/cgroup/delegated-subtree", test_delegated_subtree);
  return g_test_run ();
}
