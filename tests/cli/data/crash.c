#include <stdio.h>

int
main (void)
{
  fprintf (stderr, "about to fail\n");
  return 3;
}
