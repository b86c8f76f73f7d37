#pragma once

#include "jail.h"

#include <glib.h>

/* The message that launches a prepared jail, on a SOCK_SEQPACKET socket from
 * the daemon to the waiting program-to-be: a fixed header with the limits,
 * and descriptors attached to it: a sealed memfd holding argv, envp, cwd and
 * the stdio paths as NUL-terminated strings, then the standard descriptors
 * given as descriptors. The receiving half runs between fork and exec of a
 * clone of a threaded daemon, so it never allocates from the heap: it maps
 * the memfd and points into it. */

/* The daemon's half. */
gboolean jail_handover_send (int socket_fd, const JailLaunch *launch, GError **error);

/* The program's half, as it received it: pointers into a private mapping. */
typedef struct
{
  char **argv;
  char **envp;
  const char *cwd;
  const char *stdio_paths[3]; /* NULL: use stdio_fds */
  int stdio_fds[3];           /* close-on-exec; -1 where a path is given */
  gboolean stderr_to_stdout;
  gint64 fsize_kib;
  gint64 stack_kib;
  gint64 open_files;
} JailHandover;

/* Waits for the message. Returns 0 on success, ECONNRESET if the daemon
 * closed the socket without launching (the jail was thrown away), or the
 * errno of what failed. */
int jail_handover_receive (int socket_fd, JailHandover *handover);
