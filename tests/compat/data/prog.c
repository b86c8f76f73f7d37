/* The contestant's program of the compat tests: argv[1] says how it ends. */
#include <errno.h>
#include <pthread.h>
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
  if (strcmp (mode, "big") == 0)
    {
      /* 2 MiB of output, in 64 KiB writes. */
      static char block[65536];
      memset (block, 'x', sizeof block);
      for (int i = 0; i < 32; i++)
        if (write (1, block, sizeof block) < 0)
          return 7;
      return 0;
    }
  if (strcmp (mode, "tmp") == 0)
    {
      /* argv[2] files of argv[3] KiB in /tmp, then argv[4] MiB of heap. */
      int files = argc > 2 ? atoi (argv[2]) : 60;
      long kib = argc > 3 ? atol (argv[3]) : 1000;
      size_t heap = (size_t) (argc > 4 ? atol (argv[4]) : 80) << 20;
      static char kilobyte[1024];
      for (int i = 0; i < files; i++)
        {
          char path[64];
          snprintf (path, sizeof path, "/tmp/f%d", i);
          FILE *f = fopen (path, "w");
          for (long k = 0; f != NULL && k < kib; k++)
            if (fwrite (kilobyte, 1, sizeof kilobyte, f) != sizeof kilobyte)
              return 8;
          if (f == NULL || fclose (f) != 0)
            {
              fprintf (stderr, "%s: %s\n", path, strerror (errno));
              return 8;
            }
        }
      char *p = malloc (heap);
      for (size_t i = 0; p != NULL && i < heap; i += 4096)
        p[i] = 1;
      return p != NULL || heap == 0 ? 0 : 5;
    }
  if (strcmp (mode, "thread") == 0)
    {
      pthread_t thread;
      int error = pthread_create (&thread, NULL, (void *(*) (void *) ) strlen, "");
      if (error != 0)
        {
          fprintf (stderr, "pthread_create: %s\n", strerror (error));
          return 2;
        }
      pthread_join (thread, NULL);
      return 0;
    }
  if (strcmp (mode, "heap64") == 0)
    {
      size_t size = (size_t) 64 << 20;
      char *p = malloc (size);
      for (size_t i = 0; p != NULL && i < size; i += 4096)
        p[i] = 1;
      return p != NULL ? 0 : 3;
    }
  if (strcmp (mode, "special") == 0)
    return symlink ("/etc/passwd", "link") == 0 ? 0 : 9;
  return 6;
}
