#include "report.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/param.h>
#include <unistd.h>

void
jail_report (int fd, const char *what, const char *path, int errnum)
{
  char message[PATH_MAX + 256];
  int length = snprintf (message, sizeof message, "cannot %s %s: %s", what, path,
                         strerrordesc_np (errnum) ? strerrordesc_np (errnum) : "unknown error");
  if (length < 0)
    return;
  if ((size_t) length >= sizeof message)
    length = sizeof message - 1;
  /* One write on a pipe, under PIPE_BUF: it arrives whole or not at all. */
  ssize_t written = write (fd, message, MIN ((size_t) length, PIPE_BUF));
  (void) written;
}
