/* The contestant's program of the compat tests: argv[1] says how it ends. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  const char *mode = argc > 1 ? argv[1] : "sum";
  if (strcmp (mode, "sum") == 0)
    {
      long a, b;
      if (scanf ("%ld %ld", &a, &b) != 2)
        return 4;
      printf ("%ld\n", a + b);
      fprintf (stderr, "summed\n");
      return 0;
    }
  if (strcmp (mode, "exit3") == 0)
    return 3;
  if (strcmp (mode, "segv") == 0)
    raise (SIGSEGV);
  if (strcmp (mode, "loop") == 0)
    for (volatile unsigned long i = 0;; i++)
      ;
  if (strcmp (mode, "sleep") == 0)
    sleep (30);
  if (strcmp (mode, "mem") == 0)
    {
      size_t size = (size_t) 512 << 20;
      char *p = malloc (size);
      for (size_t i = 0; p != NULL && i < size; i += 4096)
        p[i] = 1;
      return p != NULL ? p[size / 2] - 1 : 5;
    }
  return 6;
}
