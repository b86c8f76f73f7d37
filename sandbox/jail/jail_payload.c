#include "jail_payload.h"

#include "sandbox/sandbox_error.h"
#include "utils/autofd.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void
jail_payload_append (GString *payload, const char *text)
{
  if (text == NULL)
    text = "";
  g_string_append_len (payload, text, strlen (text) + 1);
}

/* Linux 6.3; where vm.memfd_noexec is set, a memfd is executable only if
 * made so. Older kernels refuse the flag, and make every memfd executable. */
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

static int
make_memfd (const char *name, gboolean executable)
{
  unsigned int flags = MFD_CLOEXEC | MFD_ALLOW_SEALING;
  int fd = executable ? memfd_create (name, flags | MFD_EXEC) : -1;
  if (fd < 0)
    fd = memfd_create (name, flags);
  return fd;
}

int
jail_payload_seal (const void *data, gsize size, const char *name, gboolean executable,
                   GError **error)
{
  autofd fd = make_memfd (name, executable);
  if (fd >= 0 && write (fd, data, size) == (gssize) size
      && fcntl (fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) == 0)
    return autofd_steal (&fd);
  sandbox_set_errno_error (error, errno, "pass on", "what the jail needs");
  return -1;
}
