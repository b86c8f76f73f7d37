#pragma once

#include <glib.h>

/* A small seccomp deny-list, after the side channels isolate 2.4+ closes:
 * kernel keyrings (shared by a uid, so by a box's next tenant), io_uring,
 * AF_VSOCK sockets, and file locks, which boxes running at once could use
 * to signal each other through the files they share read-only. Locks are
 * answered with success and take no effect, so programs that lock their
 * own files still run. Everything else is allowed: a full allow-list breaks
 * with each new toolchain. System calls of other ABIs (32-bit, x32) kill
 * the program, so the list cannot be sidestepped through them. */

/* Compiles the filter into a sealed memfd holding its BPF program (struct
 * sock_filter[]), for the zygote to read once and every program-to-be to
 * install (with CAP_SYS_ADMIN: no_new_privs is not asked for). -1 with
 * error if it cannot be built. */
int syscall_filter_export (GError **error);
