#pragma once

#include <glib.h>

/* What this machine's kernel and hypervisor give, probed natively (outside
 * any sandbox) before a test relies on it. Machines of our kind differ: some
 * give no 32-bit system calls at all, some have no loop devices. Each probe
 * answers FALSE with a reason for the test to print, so a test that checks
 * less says why. */

/* Does int 0x80 (the 32-bit system call ABI of x86_64) work here? Probed in a
 * forked child, which may die of it. FALSE on other architectures. */
gboolean host_has_ia32_syscalls (char **reason);

/* Does this kernel run x32 system calls (numbers with bit 30 set on
 * x86_64)? Most kernels answer them ENOSYS; a seccomp filter sees them first
 * either way. FALSE on other architectures. */
gboolean host_has_x32_syscalls (char **reason);

/* The CPU time /bin/true takes here, natively (the least of a few runs),
 * seconds: what "a short program" costs on this machine's CPU, today. */
double host_true_cpu_seconds (void);

/* Can a box/ quota be made here: loop devices and mkfs.ext4? */
gboolean host_has_loop_devices (char **reason);
