#include "jail_handover.h"

#include "jail_payload.h"
#include "sandbox/jail/shared/jail_wire.h"
#include "sandbox/sandbox_error.h"
#include "sandbox/settings/box_limits.h"
#include "utils/autofd.h"

#include <string.h>
#include <unistd.h>

/* argv, envp, cwd and the three paths ("" for none), each NUL-terminated. */
static GString *
build_payload (const JailLaunch *launch, guint32 *argc, guint32 *envc)
{
  GString *payload = g_string_new (NULL);
  *argc = *envc = 0;
  for (char **arg = launch->argv; *arg != NULL; arg++, (*argc)++)
    jail_payload_append (payload, *arg);
  for (char **var = launch->envp; var != NULL && *var != NULL; var++, (*envc)++)
    jail_payload_append (payload, *var);
  jail_payload_append (payload, launch->cwd ? launch->cwd : "/box");
  for (int i = 0; i < 3; i++)
    jail_payload_append (payload, launch->stdio_paths[i]);
  return payload;
}

/* A limit the box does not set is not set for the program either. */
G_STATIC_ASSERT (LIMIT_UNLIMITED == JAIL_UNLIMITED);

gboolean
jail_handover_send (int socket_fd, const JailLaunch *launch, GError **error)
{
  JailHandoverHeader header = {
    .magic = JAIL_HANDOVER_MAGIC,
    .stderr_to_stdout = launch->stderr_to_stdout,
    .fsize_kib = launch->fsize_kib,
    .stack_kib = launch->stack_kib,
    .open_files = launch->open_files,
    .address_space_kib = launch->address_space_kib,
    .core_kib = launch->core_kib,
    .processes = launch->processes,
  };
  g_autoptr (GString) payload = build_payload (launch, &header.argc, &header.envc);
  header.payload_size = payload->len;
  autofd memfd = jail_payload_seal (payload->str, payload->len, "jail-launch", FALSE, error);
  if (memfd < 0)
    return FALSE;

  int fds[JAIL_HANDOVER_MAX_FDS] = { [JAIL_HANDOVER_FD_PAYLOAD] = memfd };
  int n_fds = JAIL_HANDOVER_FD_FIRST_STDIO;
  for (int i = 0; i < 3; i++)
    if (launch->stdio_paths[i] == NULL)
      {
        fds[n_fds++] = launch->stdio_fds[i];
        header.fd_mask |= 1U << i;
      }
  int status = jail_wire_send (socket_fd, &header, sizeof header, fds, n_fds);
  if (status != 0)
    return sandbox_set_errno_error (error, status, "pass the command to", "the jail");
  return TRUE;
}
