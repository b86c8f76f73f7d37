#pragma once

#include <glib.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

/* The system call filter (sandbox/jail/syscall_filter.h) as the BPF program it
 * exports, and what that program answers to one system call, computed as
 * the kernel's seccomp would: the filter's unit tests read its answers on
 * any host, whatever ABIs and calls the host itself gives. */
typedef struct
{
  struct sock_filter *code;
  guint length;
} FilterProgram;

/* leave_clone3: as syscall_filter_export() takes it. */
FilterProgram filter_program_export (gboolean leave_clone3);
void filter_program_free (FilterProgram *program);

/* The filter's whole answer (SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | errno,
 * SECCOMP_RET_KILL_PROCESS...). An instruction seccomp would not run fails
 * the test. */
guint32 filter_program_run (const FilterProgram *program, const struct seccomp_data *data);
