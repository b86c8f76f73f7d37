#pragma once

#include "jail_protocol.h"

#include <stddef.h>

/* Sending and receiving jail_protocol.h's messages: system calls only, for
 * both sides (the zygote links no GLib). */

/* Sends one message: header and descriptors. 0, or an errno. */
int jail_wire_send (int socket_fd, const void *header, size_t size, const int *fds, int n_fds);

/* Receives one message of exactly size bytes, with at most max_fds
 * descriptors (close-on-exec). 0; ECONNRESET if the peer closed the
 * socket; EPROTO for a message of another size, or with too many
 * descriptors (none of them kept); or an errno. */
int jail_wire_receive (int socket_fd, void *header, size_t size, int *fds, int max_fds, int *n_fds);

/* Closes the n descriptors of fds (those a message brought, say). */
void jail_wire_close_fds (const int *fds, int n);

/* Maps a payload of size bytes, private and writable, for as long as the
 * process lives (or until the caller unmaps it). 0, or an errno. */
int jail_wire_map_payload (int memfd, uint32_t size, char **payload);

/* Points strings at the n NUL-terminated strings that start at offset of
 * the payload; false unless the last one ends it exactly. */
bool jail_wire_split_strings (char *payload, uint32_t size, uint32_t offset, char **strings,
                              uint32_t n);
