#pragma once

#include <glib.h>

/* Timing and statistics the benchmark's rows share (bench_samples.c). */

/* CLOCK_MONOTONIC, in milliseconds. */
double now_ms (void);

typedef struct
{
  GArray *values; /* double */
} Samples;

Samples samples_new (void);
void samples_add (Samples *s, double v);
/* Percentile by the nearest-rank method (p in 0..100); NAN if empty. */
double samples_percentile (Samples *s, double p);
void samples_free (Samples *s);

/* Milliseconds every CPU together spent busy since boot (/proc/stat): user,
 * nice, system, irq, softirq and steal, of every process and of the kernel. */
double busy_cpu_ms (void);

/* fork + execve("/bin/true") + waitpid: milliseconds. */
double time_fork_exec (void);
/* The same n times (fewer if interrupted). */
Samples measure_fork_exec (int n);
