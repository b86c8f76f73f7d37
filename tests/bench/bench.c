/* isolatefs-bench: the benchmark of issue 7 (see docs/performance.md).
 *
 * Mounts its own isolatefs instance on a temporary directory, measures run
 * round trips, box lifecycles, the fork+exec floor, time-limit precision,
 * throughput, daemon memory and box/ file I/O, prints a table, and leaves no
 * mount, cgroup or process behind. Given IOI isolate (--isolate, $ISOLATE),
 * prints instead the table of issue 20, side by side with it
 * (side_by_side.c). Needs root. Nothing here asserts a timing. */
#include "bench_instance.h"
#include "bench_samples.h"
#include "side_by_side.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef BENCH_ISOLATEFS
#define BENCH_ISOLATEFS "isolatefs"
#endif
#ifndef BENCH_HELPER
#define BENCH_HELPER "isolatefs-bench-helper"
#endif
#ifndef BENCH_COMPAT
#define BENCH_COMPAT "mini-isolate-compat"
#endif
#ifndef BENCH_CLI
#define BENCH_CLI "mini-isolate"
#endif

/* ---- Settings ---------------------------------------------------------- */

typedef struct
{
  int warm_runs;       /* back-to-back round trips and floor iterations */
  int cold_runs;       /* round trips / lifecycles after 0.5 s idle */
  int lifecycles;      /* back-to-back lifecycles */
  int limit_runs;      /* time-limit and CPU-accuracy runs */
  double throughput_s; /* duration of each throughput measurement */
  int scale_boxes;     /* idle boxes, and create/run/destroy cycles */
  int io_mb;           /* size of the file I/O test file */
  int io_repeats;
} Settings;

static const Settings full_settings = { 200, 20, 100, 10, 3.0, 1000, 256, 5 };
static const Settings quick_settings = { 50, 5, 30, 3, 1.0, 200, 64, 2 };

static Settings settings;

/* ---- The table ---------------------------------------------------------- */

static double floor_median = NAN, floor_p90 = NAN;

static void
print_header (void)
{
  printf ("%-44s %6s %12s %12s %9s %9s\n", "measurement", "n", "median", "p90", "med/floor",
          "p90/floor");
  printf ("%-44s %6s %12s %12s %9s %9s\n", "-----------", "-", "------", "---", "---------",
          "---------");
  fflush (stdout);
}

/* A row of milliseconds; with_floor adds the ratios to the fork+exec floor. */
static void
print_ms_row (const char *name, Samples *s, gboolean with_floor)
{
  if (s->values->len == 0) /* interrupted before the first sample */
    return;
  double med = samples_percentile (s, 50), p90 = samples_percentile (s, 90);
  printf ("%-44s %6u %9.3f ms %9.3f ms", name, s->values->len, med, p90);
  if (with_floor)
    printf (" %8.1fx %8.1fx", med / floor_median, p90 / floor_p90);
  printf ("\n");
  fflush (stdout);
}

/* A row of a single figure with its unit. */
static void
print_value_row (const char *name, double value, const char *unit)
{
  /* Ratios need the second decimal: 1.7 is a target. */
  int decimals = strcmp (unit, "x") == 0 ? 2 : 1;
  printf ("%-44s %6s %9.*f %s\n", name, "", decimals, value, unit);
  fflush (stdout);
}

/* ---- The measurements ------------------------------------------------- */

/* (3) fork + execve("/bin/true") + waitpid in a plain loop. */
static void
measure_floor (void)
{
  Samples s = measure_fork_exec (settings.warm_runs);
  floor_median = samples_percentile (&s, 50);
  floor_p90 = samples_percentile (&s, 90);
  print_ms_row ("floor: fork+execve(/bin/true)+waitpid", &s, TRUE);
  samples_free (&s);
}

/* How many bytes a control file gives, read as cat(1) reads (128 KiB). */
static gsize
read_length (const char *box, const char *file)
{
  g_autofree char *path = box_path (box, file);
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    fail ("open", path);
  static char buffer[128 * 1024];
  gsize length = 0;
  ssize_t n;
  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    length += n;
  if (n < 0)
    fail ("read", path);
  close (fd);
  return length;
}

/* (1) Round trip on a ready box, back to back and after 0.5 s idle, and
 * with output read back. */
static void
measure_round_trip (void)
{
  box_create ("rt");
  g_free (box_run ("rt", "/bin/true", TRUE)); /* the first run prepares the box */

  Samples warm = samples_new ();
  for (int i = 0; i < settings.warm_runs && !interrupted; i++)
    {
      double t0 = now_ms ();
      g_free (box_run ("rt", "/bin/true", TRUE));
      samples_add (&warm, now_ms () - t0);
    }
  print_ms_row ("round trip, back to back", &warm, TRUE);

  Samples cold = samples_new ();
  for (int i = 0; i < settings.cold_runs && !interrupted; i++)
    {
      g_usleep (500000);
      double t0 = now_ms ();
      g_free (box_run ("rt", "/bin/true", TRUE));
      samples_add (&cold, now_ms () - t0);
    }
  print_ms_row ("round trip, after 0.5 s idle", &cold, TRUE);

  /* The output path: the program writes 1 MiB, the judge reads it back. */
  Samples output = samples_new ();
  for (int i = 0; i < settings.cold_runs && !interrupted; i++)
    {
      double t0 = now_ms ();
      g_free (box_run ("rt", "head -c 1048576 /dev/zero", TRUE));
      gsize length = read_length ("rt", "stdout");
      samples_add (&output, now_ms () - t0);
      if (length != 1048576)
        fail ("read 1 MiB back from", "stdout");
    }
  print_ms_row ("round trip, 1 MiB of output read back", &output, TRUE);
  samples_free (&warm);
  samples_free (&cold);
  samples_free (&output);
  box_remove ("rt");
}

/* (2) mkdir, three limits, run /bin/true, read status, rmdir. */
static double
one_lifecycle (const char *box)
{
  double t0 = now_ms ();
  box_create (box);
  write_value (box, "mem", "256M");
  write_value (box, "time", "1");
  write_value (box, "processes", "10");
  g_free (box_run (box, "/bin/true", TRUE));
  box_remove (box);
  return now_ms () - t0;
}

static void
measure_lifecycle (void)
{
  Samples warm = samples_new ();
  for (int i = 0; i < settings.lifecycles && !interrupted; i++)
    samples_add (&warm, one_lifecycle ("lc"));
  print_ms_row ("lifecycle, back to back", &warm, TRUE);

  Samples cold = samples_new ();
  for (int i = 0; i < settings.cold_runs && !interrupted; i++)
    {
      g_usleep (500000);
      samples_add (&cold, one_lifecycle ("lc"));
    }
  print_ms_row ("lifecycle, after 0.5 s idle", &cold, TRUE);
  samples_free (&warm);
  samples_free (&cold);
}

/* (4) Time-limit precision and CPU-time accuracy, with the helper. */
static void
measure_time_limits (const char *helper)
{
  box_create ("tl");
  copy_helper ("tl", helper);
  write_value ("tl", "time", "0.3");
  write_value ("tl", "wall-time", "5");

  Samples cpu_late = samples_new (), wall_late = samples_new ();
  for (int i = 0; i < settings.limit_runs && !interrupted; i++)
    {
      g_autofree char *status = box_run ("tl", "./helper 0", FALSE);
      g_autofree char *verdict = status_get (status, "status");
      if (g_strcmp0 (verdict, "TO") != 0)
        fprintf (stderr, "bench: warning: the CPU loop under time=0.3 ended:\n%s", status);
      samples_add (&cpu_late, (status_seconds (status, "time") - 0.300) * 1e3);
      samples_add (&wall_late, (status_seconds (status, "time-wall") - 0.300) * 1e3);
    }
  print_ms_row ("time=0.3 kill: status time - 0.300", &cpu_late, FALSE);
  print_ms_row ("time=0.3 kill: status time-wall - 0.300", &wall_late, FALSE);

  write_value ("tl", "time", "2");
  Samples error = samples_new (), error_own = samples_new ();
  for (int i = 0; i < settings.limit_runs && !interrupted; i++)
    {
      g_autofree char *status = box_run ("tl", "./helper 500", TRUE);
      g_autofree char *out = read_value ("tl", "stdout");
      double reported = status_seconds (status, "time");
      samples_add (&error, (reported - 0.500) * 1e3);
      samples_add (&error_own, reported * 1e3 - g_ascii_strtod (out, NULL) / 1e3);
    }
  print_ms_row ("500 ms CPU: status time - 0.500", &error, FALSE);
  print_ms_row ("500 ms CPU: status time - helper's own", &error_own, FALSE);
  samples_free (&cpu_late);
  samples_free (&wall_late);
  samples_free (&error);
  samples_free (&error_own);
  box_remove ("tl");
}

/* (5) Runs of /bin/true per second, with one box per thread. */
typedef struct
{
  char box[16];
  double seconds;
  int runs;
} Worker;

static gpointer
throughput_worker (gpointer data)
{
  Worker *w = data;
  double end = now_ms () + w->seconds * 1e3;
  while (now_ms () < end && !interrupted)
    {
      g_free (box_run (w->box, "/bin/true", TRUE));
      w->runs++;
    }
  return NULL;
}

/* Runs per second of all boxes together; cpu_ms_per_run, the busy time of
 * the whole machine per run meanwhile. */
static double
runs_per_second (int boxes, double *cpu_ms_per_run)
{
  Worker workers[boxes];
  GThread *threads[boxes];
  for (int i = 0; i < boxes; i++)
    {
      workers[i] = (Worker){ .seconds = settings.throughput_s };
      g_snprintf (workers[i].box, sizeof workers[i].box, "tp%d", i);
      box_create (workers[i].box);
      g_free (box_run (workers[i].box, "/bin/true", TRUE));
    }
  double t0 = now_ms (), cpu0 = busy_cpu_ms ();
  for (int i = 0; i < boxes; i++)
    threads[i] = g_thread_new ("worker", throughput_worker, &workers[i]);
  int total = 0;
  for (int i = 0; i < boxes; i++)
    {
      g_thread_join (threads[i]);
      total += workers[i].runs;
    }
  double elapsed = (now_ms () - t0) / 1e3;
  *cpu_ms_per_run = (busy_cpu_ms () - cpu0) / MAX (total, 1);
  for (int i = 0; i < boxes; i++)
    box_remove (workers[i].box);
  return total / elapsed;
}

static void
measure_throughput (void)
{
  double cpu_one, cpu_two;
  double one = runs_per_second (1, &cpu_one);
  print_value_row ("throughput, 1 box", one, "runs/s");
  print_value_row ("  CPU per run, all CPUs together", cpu_one * 1e3, "us");
  double two = runs_per_second (2, &cpu_two);
  print_value_row ("throughput, 2 boxes in parallel", two, "runs/s");
  print_value_row ("  CPU per run, all CPUs together", cpu_two * 1e3, "us");
  print_value_row ("throughput, 2 boxes / 1 box", two / one, "x");
  /* Two boxes can at most double one, and at most keep every CPU busy with
   * runs that each cost what one box's did: the ceiling of the ratio. */
  long cpus = sysconf (_SC_NPROCESSORS_ONLN);
  print_value_row ("  ceiling: min(2, CPUs / (CPU per run x 1 box))",
                   MIN (2.0, cpus * 1e3 / (cpu_one * one)), "x");
}

/* (6) The daemon's VmRSS, idle, with many idle boxes, after many cycles. */
static double
daemon_rss_mb (void)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) daemon_pid);
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NAN;
  char *line = strstr (text, "VmRSS:");
  return line ? g_ascii_strtod (line + 6, NULL) / 1024.0 : NAN;
}

static void
measure_scale (double idle_rss)
{
  char name[32], label[64];
  print_value_row ("daemon RSS, idle (after start)", idle_rss, "MB");

  double t0 = now_ms ();
  for (int i = 0; i < settings.scale_boxes && !interrupted; i++)
    {
      g_snprintf (name, sizeof name, "idle%d", i);
      box_create (name);
    }
  double create_ms = (now_ms () - t0) / settings.scale_boxes;
  g_snprintf (label, sizeof label, "daemon RSS, %d idle boxes", settings.scale_boxes);
  print_value_row (label, daemon_rss_mb (), "MB");
  print_value_row ("  mkdir, mean over those boxes", create_ms * 1e3, "us");
  for (int i = 0; i < settings.scale_boxes && !interrupted; i++)
    {
      g_snprintf (name, sizeof name, "idle%d", i);
      box_remove (name);
    }
  double before = daemon_rss_mb ();
  print_value_row ("daemon RSS, after removing them", before, "MB");

  for (int i = 0; i < settings.scale_boxes && !interrupted; i++)
    {
      g_snprintf (name, sizeof name, "cyc%d", i);
      box_create (name);
      g_free (box_run (name, "/bin/true", TRUE));
      box_remove (name);
    }
  double after = daemon_rss_mb ();
  g_snprintf (label, sizeof label, "daemon RSS, after %d create/run/destroy", settings.scale_boxes);
  print_value_row (label, after, "MB");
  print_value_row ("  growth over those cycles", after - before, "MB");
}

/* (7) Sequential write (with fsync) and read of a file, in MB/s. Between the
 * write and the read, the file's pages are dropped from the page cache with
 * posix_fadvise(POSIX_FADV_DONTNEED) (clean after the fsync), so the read
 * comes from the disk, as a judge reading a fresh output would. */
static void
file_io (const char *path, double *write_mbs, double *read_mbs)
{
  const size_t chunk = 1 << 20;
  g_autofree char *buf = g_malloc (chunk);
  memset (buf, 'x', chunk);

  double t0 = now_ms ();
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    fail ("open", path);
  for (int i = 0; i < settings.io_mb; i++)
    if (write (fd, buf, chunk) != (ssize_t) chunk)
      fail ("write", path);
  if (fsync (fd) != 0)
    fail ("fsync", path);
  close (fd);
  *write_mbs = settings.io_mb / ((now_ms () - t0) / 1e3);

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    fail ("open", path);
  posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED);
  t0 = now_ms ();
  ssize_t n;
  while ((n = read (fd, buf, chunk)) > 0)
    ;
  if (n < 0)
    fail ("read", path);
  close (fd);
  *read_mbs = settings.io_mb / ((now_ms () - t0) / 1e3);
  unlink (path);
}

static void
measure_file_io (void)
{
  box_create ("io");
  g_autofree char *in_box = g_build_filename (mount_dir, "io", "box", "big", NULL);
  g_autofree char *native = g_build_filename (state_dir, "bench-native-big", NULL);
  Samples box_w = samples_new (), box_r = samples_new ();
  Samples nat_w = samples_new (), nat_r = samples_new ();
  /* A discarded pass of each: the first large write after a while is often
   * much slower on a virtual disk, whichever directory it goes to. */
  double ignored_w, ignored_r;
  file_io (native, &ignored_w, &ignored_r);
  file_io (in_box, &ignored_w, &ignored_r);
  for (int i = 0; i < settings.io_repeats && !interrupted; i++)
    {
      /* Alternate which goes first, so neither always meets a busy disk. */
      double w, r;
      for (int j = 0; j < 2; j++)
        {
          gboolean box = (i + j) % 2 == 1;
          file_io (box ? in_box : native, &w, &r);
          samples_add (box ? &box_w : &nat_w, w);
          samples_add (box ? &box_r : &nat_r, r);
        }
    }
  char label[64];
  double bw = samples_percentile (&box_w, 50), nw = samples_percentile (&nat_w, 50);
  double br = samples_percentile (&box_r, 50), nr = samples_percentile (&nat_r, 50);
  g_snprintf (label, sizeof label, "box/ write %d MB + fsync", settings.io_mb);
  print_value_row (label, bw, "MB/s");
  g_snprintf (label, sizeof label, "native write %d MB + fsync", settings.io_mb);
  print_value_row (label, nw, "MB/s");
  print_value_row ("  box/ write / native", 100 * bw / nw, "%");
  g_snprintf (label, sizeof label, "box/ read %d MB (cache dropped)", settings.io_mb);
  print_value_row (label, br, "MB/s");
  g_snprintf (label, sizeof label, "native read %d MB (cache dropped)", settings.io_mb);
  print_value_row (label, nr, "MB/s");
  print_value_row ("  box/ read / native", 100 * br / nr, "%");
  samples_free (&box_w);
  samples_free (&box_r);
  samples_free (&nat_w);
  samples_free (&nat_r);
  box_remove ("io");
}

/* ---- Main ------------------------------------------------------------------ */

/* The issue-7 table, on the instance started. */
static void
measure_all (const char *helper, double idle_rss)
{
  measure_floor ();
  if (!interrupted)
    measure_round_trip ();
  if (!interrupted)
    measure_lifecycle ();
  if (!interrupted)
    measure_time_limits (helper);
  if (!interrupted)
    measure_throughput ();
  if (!interrupted)
    measure_scale (idle_rss);
  if (!interrupted)
    measure_file_io ();
}

int
main (int argc, char **argv)
{
  gboolean quick = FALSE;
  g_autofree char *isolatefs = g_strdup (g_getenv ("ISOLATEFS"));
  g_autofree char *helper = NULL;
  g_autofree char *isolate = g_strdup (g_getenv ("ISOLATE"));
  g_autofree char *compat = NULL;
  g_autofree char *cli = NULL;
  int isolate_box = 0;
  GOptionEntry entries[] = {
    { "quick", 'q', 0, G_OPTION_ARG_NONE, &quick, "Fewer iterations (under a minute)", NULL },
    { "isolatefs", 0, 0, G_OPTION_ARG_FILENAME, &isolatefs, "The daemon to measure", "PATH" },
    { "helper", 0, 0, G_OPTION_ARG_FILENAME, &helper, "The CPU-time helper", "PATH" },
    { "isolate", 0, 0, G_OPTION_ARG_FILENAME, &isolate,
      "Side by side with this isolate 1.10.1 (also $ISOLATE)", "PATH" },
    { "compat", 0, 0, G_OPTION_ARG_FILENAME, &compat, "The mini-isolate-compat to measure",
      "PATH" },
    { "cli", 0, 0, G_OPTION_ARG_FILENAME, &cli, "The mini-isolate whose start-up to measure",
      "PATH" },
    { "isolate-box", 0, 0, G_OPTION_ARG_INT, &isolate_box,
      "isolate's box ids for side by side: N and N+1 (default 0)", "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- benchmark isolatefs");
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "isolatefs-bench: %s\n", error->message);
      return 2;
    }
  if (isolatefs == NULL)
    isolatefs = g_strdup (BENCH_ISOLATEFS);
  if (helper == NULL)
    helper = g_strdup (BENCH_HELPER);
  if (compat == NULL)
    compat = g_strdup (BENCH_COMPAT);
  if (cli == NULL)
    cli = g_strdup (BENCH_CLI);
  if (geteuid () != 0)
    {
      fprintf (stderr, "isolatefs-bench: needs root (FUSE mount, cgroups)\n");
      return 2;
    }
  settings = quick ? quick_settings : full_settings;

  struct sigaction sa = { .sa_handler = on_signal };
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);

  live_boxes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* Room for the idle boxes of the scale test plus the others. */
  if (!instance_start (isolatefs, settings.scale_boxes + 16))
    {
      instance_stop ();
      return 1;
    }
  double idle_rss = daemon_rss_mb ();
  printf ("isolatefs-bench%s: %s, daemon pid %d, mount %s\n", quick ? " --quick" : "", isolatefs,
          (int) daemon_pid, mount_dir);
  gboolean ok = TRUE;
  if (isolate != NULL && isolate[0] != '\0')
    {
      printf ("side by side with %s (boxes %d and %d) and %s\n\n", isolate, isolate_box,
              isolate_box + 1, compat);
      SideBySide config = {
        .isolate = isolate,
        .compat = compat,
        .cli = cli,
        .first_box = isolate_box,
        .calls = quick ? 30 : 100,
        .windows = quick ? 2 : 4,
        .window_s = quick ? 0.5 : 1.0,
      };
      ok = side_by_side_run (&config);
    }
  else
    {
      printf ("\n");
      print_header ();
      measure_all (helper, idle_rss);
    }

  instance_stop ();
  if (interrupted)
    fprintf (stderr, "isolatefs-bench: interrupted\n");
  g_hash_table_destroy (live_boxes);
  return interrupted ? 130 : ok ? 0 : 1;
}
