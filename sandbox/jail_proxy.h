#pragma once

#include "jail.h"
#include "syscall_filter.h"

#include <glib.h>

/* The two processes of a sandbox after clone(): the proxy (PID 1 of its
 * namespaces) and the program-to-be it forks. A clone of a threaded daemon
 * may find malloc locked, so everything here is prepared by the daemon and
 * this code only makes system calls and formats into stack buffers. */

/* More would not fit the fixed-size list of descriptors the proxy keeps. */
#define JAIL_MAX_CGROUP_FILES 16

typedef struct
{
  const JailSetup *setup;
  GPtrArray *plan; /* JailMount */
  int cgroup_fds[JAIL_MAX_CGROUP_FILES];
  int n_cgroup_fds;
  int report_fd; /* write end: text before exec, then EOF */
  int status_fd; /* write end: the program's JailOutcome */
  int launch_fd; /* the program-to-be's end of the handover socket */
  int go_fd;     /* eventfd: the launch message is there (see jail.c) */
  SyscallFilter *filter;
} JailProxyArgs;

/* The proxy's entry point, for clone(); never returns. */
int jail_proxy_main (void *args);
