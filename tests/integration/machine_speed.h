#pragma once

#include <glib.h>

/* How much slower than natively this machine runs what a sandbox does most:
 * starting processes, system calls, page faults. The limits tests write
 * were chosen for a machine like the developers' own. In the cgroup v2
 * guest (tests/cgroup2/run-in-guest), a kernel run as a program, process
 * start is about 8 times slower and CPU time is counted in timer ticks; its
 * runner says so in the environment. Natively both are left unset and the
 * tests check exactly what they always did.
 *
 * Only limits a program must stay under are scaled: a run meant to exceed
 * a limit keeps it, so that it still shows what it checks, no slower. */

/* ISOLATEFS_TEST_SLOWDOWN, or 1. */
double machine_slowdown (void);

/* seconds times machine_slowdown(), as a limit file or an isolate option
 * takes it ("%.3f"). */
char *machine_scaled_seconds (double seconds);

/* The unit CPU time is counted in, seconds: 0 where it is exact (natively),
 * a timer tick where it is counted in ticks (ISOLATEFS_TEST_CPU_TICK_MS). A
 * bound on a measured CPU time allows one more. */
double machine_cpu_tick (void);
