#pragma once

/* A system call filter of one rule: clone3 answers ENOSYS. Where a jail's
 * program is born into a cgroup (clone3 with CLONE_INTO_CGROUP, in
 * zygote/proxy.c), the zygote's filter must leave clone3 open for its
 * proxies (syscall_filter.h); each program-to-be then installs this before
 * it runs anything, so that the program meets clone3 refused as the table
 * of docs/security.md says, and seccomp keeps the stricter answer of the
 * two filters. Every other call is allowed here: the kernel caches that,
 * and runs this filter only for calls the first one examines anyway. Calls
 * of other ABIs never get here: the first filter kills them. Plain C: the
 * zygote installs it, the filter's unit tests run it. */

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/syscall.h>

static const struct sock_filter refuse_clone3_code[] = {
  BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, nr)),
  BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1),
  BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
  BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

static const struct sock_fprog refuse_clone3 = {
  .len = sizeof refuse_clone3_code / sizeof refuse_clone3_code[0],
  .filter = (struct sock_filter *) refuse_clone3_code,
};
