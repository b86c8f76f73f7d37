/* Timing and statistics the benchmark's rows share. */
#include "bench_samples.h"

#include "bench_instance.h"

#include <math.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

double
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

Samples
samples_new (void)
{
  return (Samples){ g_array_new (FALSE, FALSE, sizeof (double)) };
}

void
samples_add (Samples *s, double v)
{
  g_array_append_val (s->values, v);
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

double
samples_percentile (Samples *s, double p)
{
  if (s->values->len == 0)
    return NAN;
  g_array_sort (s->values, cmp_double);
  guint rank = (guint) ceil (p / 100.0 * s->values->len);
  if (rank < 1)
    rank = 1;
  return g_array_index (s->values, double, rank - 1);
}

void
samples_free (Samples *s)
{
  g_array_free (s->values, TRUE);
}

double
busy_cpu_ms (void)
{
  g_autofree char *text = NULL;
  guint64 user, nice, system, idle, iowait, irq, softirq, steal;
  if (!g_file_get_contents ("/proc/stat", &text, NULL, NULL)
      || sscanf (text,
                 "cpu %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                 " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                 " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
                 &user, &nice, &system, &idle, &iowait, &irq, &softirq, &steal)
             != 8)
    return NAN;
  return (user + nice + system + irq + softirq + steal) * 1e3 / sysconf (_SC_CLK_TCK);
}

double
time_fork_exec (void)
{
  char *argv[] = { "/bin/true", NULL };
  char *envp[] = { NULL };
  double t0 = now_ms ();
  pid_t pid = fork ();
  if (pid == 0)
    {
      execve ("/bin/true", argv, envp);
      _exit (127);
    }
  waitpid (pid, NULL, 0);
  return now_ms () - t0;
}

Samples
measure_fork_exec (int n)
{
  Samples s = samples_new ();
  for (int i = 0; i < n && !interrupted; i++)
    samples_add (&s, time_fork_exec ());
  return s;
}
