#include "handover_receive.h"

#include "sandbox/jail/shared/jail_wire.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Lays out argv (NULL-terminated), envp (NULL-terminated), cwd and the three
 * paths, all pointing into the mapped payload. The memory is the proxy's,
 * a fork of the single-threaded zygote: malloc is safe here, and nothing
 * needs freeing before the exec. */
static int
decode_payload (int memfd, const JailHandoverHeader *header, JailHandover *handover)
{
  uint32_t n_strings = header->argc + header->envc + 4;
  if (header->argc == 0 || n_strings < header->argc)
    return EINVAL;
  char *payload;
  int status = jail_wire_map_payload (memfd, header->payload_size, &payload);
  if (status != 0)
    return status;
  char **strings = calloc (n_strings, sizeof (char *));
  char **table = calloc (header->argc + header->envc + 2, sizeof (char *));
  if (strings == NULL || table == NULL)
    return ENOMEM;
  if (!jail_wire_split_strings (payload, header->payload_size, 0, strings, n_strings))
    return EINVAL;
  handover->argv = table;
  memcpy (table, strings, header->argc * sizeof (char *));
  handover->envp = table + header->argc + 1;
  memcpy (handover->envp, strings + header->argc, header->envc * sizeof (char *));
  char **rest = strings + header->argc + header->envc;
  handover->cwd = rest[0];
  for (int i = 0; i < 3; i++)
    handover->stdio_paths[i] = rest[1 + i][0] ? rest[1 + i] : NULL;
  return 0;
}

int
jail_handover_receive (int socket_fd, JailHandover *handover)
{
  JailHandoverHeader header;
  int fds[JAIL_HANDOVER_MAX_FDS];
  int n_fds = 0;
  int status
      = jail_wire_receive (socket_fd, &header, sizeof header, fds, JAIL_HANDOVER_MAX_FDS, &n_fds);
  if (status != 0)
    return status;
  if (header.magic != JAIL_HANDOVER_MAGIC
      || n_fds != JAIL_HANDOVER_FD_FIRST_STDIO + __builtin_popcount (header.fd_mask & 7))
    {
      jail_wire_close_fds (fds, n_fds);
      return EPROTO;
    }

  status = decode_payload (fds[JAIL_HANDOVER_FD_PAYLOAD], &header, handover);
  close (fds[JAIL_HANDOVER_FD_PAYLOAD]);
  if (status != 0)
    {
      jail_wire_close_fds (fds + JAIL_HANDOVER_FD_FIRST_STDIO,
                           n_fds - JAIL_HANDOVER_FD_FIRST_STDIO);
      return status;
    }
  for (int i = 0, next = JAIL_HANDOVER_FD_FIRST_STDIO; i < 3; i++)
    handover->stdio_fds[i] = (header.fd_mask & (1U << i)) ? fds[next++] : -1;
  handover->stderr_to_stdout = header.stderr_to_stdout != 0;
  handover->fsize_kib = header.fsize_kib;
  handover->stack_kib = header.stack_kib;
  handover->open_files = header.open_files;
  handover->address_space_kib = header.address_space_kib;
  handover->core_kib = header.core_kib;
  handover->processes = header.processes;
  return 0;
}
