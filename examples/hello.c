/* The README's first compiled program: copy it into a box, write its name to
 * the box's source file. */
#include <stdio.h>

int
main (void)
{
  puts ("Hello World");
  return 0;
}
