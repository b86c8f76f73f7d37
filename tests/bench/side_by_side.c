/* The side-by-side mode: isolate 1.10.1 and this project on the same
 * machine, in the same minutes, their calls alternating, so that the ratios
 * hold whatever the VM's speed of the moment (docs/performance.md). The
 * targets are issue 20's. */
#include "side_by_side.h"

#include "bench_instance.h"
#include "bench_samples.h"
#include "judge_calls.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The boxes of one tool: isolate's, or compat's on the benchmark's mount. */
typedef struct
{
  JudgeBox *boxes[2];
} Tool;

static void
print_header (void)
{
  printf ("%-46s %5s %20s %20s %7s %9s\n", "side by side (median, p90)", "n", "isolate 1.10.1",
          "isolatefs", "ratio", "target");
  printf ("%-46s %5s %20s %20s %7s %9s\n", "--------------------------", "-", "--------------",
          "---------", "-----", "------");
  fflush (stdout);
}

/* target: the ratio to meet, at most (times) or at least (throughput);
 * 0 for none. */
static void
print_ratio (double ratio, double target, gboolean at_most)
{
  printf (" %6.2fx", ratio);
  if (target > 0)
    printf (" %s %4.2fx %s", at_most ? "<=" : ">=", target,
            (at_most ? ratio <= target : ratio >= target) ? "met" : "NOT MET");
  printf ("\n");
  fflush (stdout);
}

static void
print_time_row (const char *name, Samples *theirs, Samples *ours, double target)
{
  if (theirs->values->len == 0 || ours->values->len == 0)
    return;
  double their_med = samples_percentile (theirs, 50), our_med = samples_percentile (ours, 50);
  printf ("%-46s %5u %7.3f, %7.3f ms %7.3f, %7.3f ms", name, ours->values->len, their_med,
          samples_percentile (theirs, 90), our_med, samples_percentile (ours, 90));
  print_ratio (our_med / their_med, target, TRUE);
}

/* A row of one side, times and their ratio to the floor. */
static void
print_start_up_row (const char *name, Samples *s, gboolean ours, double floor)
{
  double median = samples_percentile (s, 50);
  g_autofree char *times = g_strdup_printf ("%7.3f, %7.3f ms", median, samples_percentile (s, 90));
  printf ("%-46s %5u %20s %20s %6.2fx floor\n", name, s->values->len, ours ? "" : times,
          ours ? times : "", median / floor);
}

/* The floor, and each front end's start-up (--version) against it and
 * isolate's, all four in turn. */
static void
measure_start_up (const SideBySide *config, char **envp)
{
  Samples floor = samples_new (), isolate = samples_new (), compat = samples_new (),
          cli = samples_new ();
  for (int i = 0; i < config->calls && !interrupted; i++)
    {
      samples_add (&floor, time_fork_exec ());
      samples_add (&isolate, judge_time_version (config->isolate, envp));
      samples_add (&compat, judge_time_version (config->compat, envp));
      samples_add (&cli, judge_time_version (config->cli, envp));
    }
  double floor_median = samples_percentile (&floor, 50);
  printf ("%-46s %5u %20s %7.3f, %7.3f ms\n", "floor: fork+execve(/bin/true)+waitpid",
          floor.values->len, "", floor_median, samples_percentile (&floor, 90));
  print_start_up_row ("start-up: isolate --version", &isolate, FALSE, floor_median);
  print_start_up_row ("start-up: mini-isolate-compat --version", &compat, TRUE, floor_median);
  print_start_up_row ("start-up: mini-isolate --version", &cli, TRUE, floor_median);
  samples_free (&floor);
  samples_free (&isolate);
  samples_free (&compat);
  samples_free (&cli);
}

/* ---- One call at a time ------------------------------------------------------ */

static double
file_interface_call (const char *box)
{
  double t0 = now_ms ();
  g_free (box_run (box, "/bin/true", TRUE));
  return now_ms () - t0;
}

/* isolate and compat with judge's flags, alternating which goes first. */
static void
compare_compat (const SideBySide *config, Tool *isolate, Tool *compat, JudgeStyle judge,
                double target)
{
  Samples theirs = samples_new (), ours = samples_new ();
  /* One call each first: a box's first run prepares what the next ones reuse. */
  judge_call (isolate->boxes[0], judge);
  judge_call (compat->boxes[0], judge);
  for (int i = 0; i < config->calls && !interrupted; i++)
    for (int turn = 0; turn < 2; turn++)
      {
        gboolean isolate_turn = (i + turn) % 2 == 0;
        Tool *tool = isolate_turn ? isolate : compat;
        samples_add (isolate_turn ? &theirs : &ours, judge_call (tool->boxes[0], judge));
      }
  g_autofree char *name = g_strdup_printf ("--run, %s flags: compat", judge_name (judge));
  print_time_row (name, &theirs, &ours, target);
  samples_free (&theirs);
  samples_free (&ours);
}

/* isolate with no flags against the file interface: write cmd, read status. */
static void
compare_file_interface (const SideBySide *config, Tool *isolate, double target)
{
  Samples theirs = samples_new (), ours = samples_new ();
  file_interface_call ("fi0");
  judge_call (isolate->boxes[0], JUDGE_PLAIN);
  for (int i = 0; i < config->calls && !interrupted; i++)
    for (int turn = 0; turn < 2; turn++)
      {
        if ((i + turn) % 2 == 0)
          samples_add (&theirs, judge_call (isolate->boxes[0], JUDGE_PLAIN));
        else
          samples_add (&ours, file_interface_call ("fi0"));
      }
  print_time_row ("--run, no flags: file interface (cmd, status)", &theirs, &ours, target);
  samples_free (&theirs);
  samples_free (&ours);
}

/* ---- Two boxes at once ----------------------------------------------------- */

typedef struct
{
  JudgeBox *judge_box; /* NULL: the file interface on fi_box */
  const char *fi_box;
  JudgeStyle judge;
  double seconds;
  int runs;
} Worker;

static gpointer
worker_loop (gpointer data)
{
  Worker *w = data;
  double end = now_ms () + w->seconds * 1e3;
  while (now_ms () < end && !interrupted)
    {
      if (w->judge_box != NULL)
        judge_call (w->judge_box, w->judge);
      else
        file_interface_call (w->fi_box);
      w->runs++;
    }
  return NULL;
}

/* Two threads, one box each, for one window: runs of both; cpu_ms gets the
 * machine's busy time meanwhile. */
static int
two_boxes_window (Tool *tool, JudgeStyle judge, double seconds, double *cpu_ms)
{
  static const char *const fi_boxes[] = { "fi0", "fi1" };
  Worker workers[2];
  GThread *threads[2];
  double cpu0 = busy_cpu_ms ();
  for (int i = 0; i < 2; i++)
    {
      workers[i] = (Worker){ tool ? tool->boxes[i] : NULL, fi_boxes[i], judge, seconds, 0 };
      threads[i] = g_thread_new ("worker", worker_loop, &workers[i]);
    }
  for (int i = 0; i < 2; i++)
    g_thread_join (threads[i]);
  *cpu_ms += busy_cpu_ms () - cpu0;
  return workers[0].runs + workers[1].runs;
}

/* ours NULL: the file interface. Windows of each in turn. */
static void
compare_two_boxes (const SideBySide *config, const char *name, Tool *isolate, Tool *ours,
                   JudgeStyle judge, double target)
{
  int their_runs = 0, our_runs = 0;
  double their_s = 0, our_s = 0, their_cpu = 0, our_cpu = 0;
  for (int i = 0; i < config->windows && !interrupted; i++)
    for (int turn = 0; turn < 2; turn++)
      {
        gboolean isolate_turn = (i + turn) % 2 == 0;
        double t0 = now_ms ();
        if (isolate_turn)
          their_runs += two_boxes_window (isolate, judge, config->window_s, &their_cpu);
        else
          our_runs += two_boxes_window (ours, judge, config->window_s, &our_cpu);
        *(isolate_turn ? &their_s : &our_s) += (now_ms () - t0) / 1e3;
      }
  if (their_runs == 0 || our_runs == 0)
    return;
  double theirs = their_runs / their_s, mine = our_runs / our_s;
  printf ("%-46s %5d %13.1f runs/s %13.1f runs/s", name, our_runs, theirs, mine);
  print_ratio (mine / theirs, target, FALSE);
  printf ("%-46s %5s %17.2f ms %17.2f ms\n", "  CPU per run, all CPUs together", "",
          their_cpu / their_runs, our_cpu / our_runs);
}

/* ---- The whole table ---------------------------------------------------------- */

static gboolean
tool_init (Tool *tool, const char *path, const char *label, int first_box, char **envp)
{
  g_autofree char *bench_dir = g_path_get_dirname (state_dir);
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *scratch
          = g_strdup_printf ("%s/side-by-side/%s-%d", bench_dir, label, first_box + i);
      g_mkdir_with_parents (scratch, 0755);
      tool->boxes[i] = judge_box_init (path, first_box + i, scratch, envp);
      if (tool->boxes[i] == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
tool_clear (Tool *tool)
{
  for (int i = 0; i < 2; i++)
    g_clear_pointer (&tool->boxes[i], judge_box_free);
}

gboolean
side_by_side_run (const SideBySide *config)
{
  g_autofree char *bench_dir = g_path_get_dirname (state_dir);
  g_autofree char *work_dirs = g_build_filename (bench_dir, "compat-work", NULL);
  g_mkdir_with_parents (work_dirs, 0755);
  char **envp = g_get_environ ();
  envp = g_environ_setenv (envp, "MINI_ISOLATE_ROOT", mount_dir, TRUE);
  envp = g_environ_setenv (envp, "MINI_ISOLATE_COMPAT_DIR", work_dirs, TRUE);

  Tool isolate = { { NULL } }, compat = { { NULL } };
  gboolean ready = tool_init (&isolate, config->isolate, "isolate", config->first_box, envp)
                   && tool_init (&compat, config->compat, "compat", config->first_box, envp);
  if (ready)
    {
      /* compat's boxes are the mount's, named by their ids. */
      for (int i = 0; i < 2; i++)
        g_hash_table_add (live_boxes, g_strdup_printf ("%d", config->first_box + i));
      box_create ("fi0");
      box_create ("fi1");
      print_header ();
      measure_start_up (config, envp);
      compare_compat (config, &isolate, &compat, JUDGE_CMS, 0.6);
      compare_compat (config, &isolate, &compat, JUDGE_JUDGE0, 0.6);
      compare_compat (config, &isolate, &compat, JUDGE_PLAIN, 0);
      compare_file_interface (config, &isolate, 0.35);
      compare_two_boxes (config, "2 boxes in parallel: file interface", &isolate, NULL, JUDGE_PLAIN,
                         2.5);
      compare_two_boxes (config, "2 boxes in parallel: compat, CMS's flags", &isolate, &compat,
                         JUDGE_CMS, 2.5);
      compare_two_boxes (config, "2 boxes in parallel: compat, Judge0's flags", &isolate, &compat,
                         JUDGE_JUDGE0, 2.5);
    }
  tool_clear (&compat);
  tool_clear (&isolate);
  g_strfreev (envp);
  return ready;
}
