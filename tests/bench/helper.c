/* Benchmark helper, run inside a box as ./helper MS: spins on the CPU until
 * its own CPU time (getrusage, user + system) reaches MS milliseconds, prints
 * that figure in microseconds and exits. With MS = 0 it spins forever (for the
 * time-limit measurement). Linked statically when the toolchain allows. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

static long long
cpu_us (void)
{
  struct rusage usage;
  getrusage (RUSAGE_SELF, &usage);
  return (long long) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000
         + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

int
main (int argc, char **argv)
{
  long long target_us = argc > 1 ? atoll (argv[1]) * 1000 : 500000;
  volatile unsigned long spin = 0;
  long long used;
  for (;;)
    {
      for (int i = 0; i < 10000; i++)
        spin++;
      used = cpu_us ();
      if (target_us > 0 && used >= target_us)
        break;
    }
  printf ("%lld\n", used);
  return 0;
}
