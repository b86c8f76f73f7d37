#pragma once

#include "jail.h"

#include <glib.h>

/* The message that launches a prepared jail, on a SOCK_SEQPACKET socket from
 * the daemon to the waiting program-to-be (jail_protocol.h): a header with the
 * limits, a sealed memfd holding argv, envp, cwd and the stdio paths, then
 * the standard descriptors given as descriptors. The program's half is
 * zygote/handover_receive.c. */
gboolean jail_handover_send (int socket_fd, const JailLaunch *launch, GError **error);
