#pragma once

/* A descriptor closed when its variable goes out of scope, for the
 * daemon's code and the zygote's alike (plain C: GLib 2.74 predates
 * g_autofd). The close keeps errno, so that the errno of the call that
 * failed can still be reported once the descriptor is gone:
 *
 *   autofd fd = open (path, O_RDONLY | O_CLOEXEC);
 *   if (fd < 0 || fstat (fd, &st) < 0)
 *     return sandbox_set_errno_error (error, errno, "read", path);
 */

#include <errno.h>
#include <unistd.h>

static inline void
autofd_close (int *fd)
{
  if (*fd < 0)
    return;
  int saved_errno = errno;
  close (*fd);
  errno = saved_errno;
  *fd = -1;
}

#define autofd __attribute__ ((cleanup (autofd_close))) int

/* The descriptor, which the variable then no longer closes. */
static inline int
autofd_steal (int *fd)
{
  int stolen = *fd;
  *fd = -1;
  return stolen;
}
