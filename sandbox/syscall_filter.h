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
typedef struct _SyscallFilter SyscallFilter;

/* Compiles the filter (in the daemon: it allocates). */
SyscallFilter *syscall_filter_new (GError **error);
void syscall_filter_free (SyscallFilter *filter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SyscallFilter, syscall_filter_free)

/* Installs it on the calling process, which must have set no_new_privs or
 * hold CAP_SYS_ADMIN. Makes one system call and allocates nothing: safe
 * between fork and exec. */
gboolean syscall_filter_install (const SyscallFilter *filter);
