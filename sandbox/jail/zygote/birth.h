#pragma once

#include "proxy.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The program-to-be's birth. The proxy forks it and waits until it has
 * exec'ed or ended (vfork). Where its run has a cgroup v2 group
 * (JailProxyArgs.birth_cgroup_fd), it is born there: clone3 with
 * CLONE_INTO_CGROUP, so that it never runs a moment outside the run's
 * limits and is never moved (a move takes the kernel's
 * cgroup_threadgroup_rwsem, an RCU grace period after a pause). */
typedef struct
{
  const JailProxyArgs *args;
  /* Born outside its group (a kernel before 5.7): it joins it first, by
   * its cgroup.procs, before it runs anything of the command. */
  bool join_birth_cgroup;
} Birth;

/* Forks the program-to-be, which runs body (birth) and never returns from
 * it. With a birth group, it gets its own copy of the proxy's memory
 * (clone3 would start a child that shares it on a stack of its own, which
 * C cannot); otherwise, and on a kernel before 5.7, it shares the proxy's
 * memory until its exec, on stack. Its pid, or -1 with errno set. */
pid_t birth_fork (Birth *birth, char *stack, size_t stack_size, int (*body) (void *));

/* What the program-to-be does first: refuses clone3 for itself where the
 * zygote's filter left it open (shared/refuse_clone3.h), then joins its
 * birth group if it was born outside it. 0, or an errno with what failed
 * in *what and *object, for the report. */
int birth_settle (const Birth *birth, const char **what, const char **object);
