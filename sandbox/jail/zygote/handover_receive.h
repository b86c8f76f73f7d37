#pragma once

#include <stdbool.h>
#include <stdint.h>

/* The program-to-be's half of the launch message (jail_protocol.h; the
 * daemon's half is jail_handover.h). */

/* The launch, as received: pointers into a private mapping. */
typedef struct
{
  char **argv;
  char **envp;
  const char *cwd;
  const char *stdio_paths[3]; /* NULL: use stdio_fds */
  int stdio_fds[3];           /* close-on-exec; -1 where a path is given */
  bool stderr_to_stdout;
  int64_t fsize_kib;
  int64_t stack_kib;
  int64_t open_files;
  int64_t address_space_kib;
  int64_t core_kib;
  int64_t processes;
} JailHandover;

/* Waits for the message. Returns 0 on success, ECONNRESET if the daemon
 * closed the socket without launching (the jail was thrown away), or the
 * errno of what failed. */
int jail_handover_receive (int socket_fd, JailHandover *handover);
