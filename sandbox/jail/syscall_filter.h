#pragma once

#include <glib.h>

/* The seccomp deny-list every jail runs under, reviewed against Docker's
 * default profile and isolate 2.x (docs/security.md#system-calls holds the
 * table: each call, what it answers, why, and its test). It refuses new
 * user namespaces by every path (unshare, clone and setns by their flags,
 * clone3 whole); kernel keyrings, which a box's next run would share; a
 * few large kernel surfaces no judged program needs (io_uring, bpf,
 * perf_event_open, userfaultfd, AF_ALG); what reaches past the box
 * (AF_VSOCK, syslog, quotas, file handles, TIOCSTI); and the channels
 * through files boxes share read-only: locks, answered with success and
 * not taken, so programs that lock their own files still run, leases and
 * file watches. Everything else is allowed: an allow-list would break
 * with each new runtime. System calls of other ABIs (32-bit, x32) kill
 * the program, so no rule can be sidestepped through them. */

/* Compiles the filter into a sealed memfd holding its BPF program (struct
 * sock_filter[]), for the zygote to read and install once on itself, as
 * root (no_new_privs is not asked for), so that every proxy and program
 * inherits it. With leave_clone3, the filter allows clone3, which a proxy
 * needs to have its program born into a cgroup (jail_spawner_new): every
 * program-to-be then refuses it for itself, with a filter of one rule
 * (zygote/proxy.c), before it runs anything. -1 with error if it cannot be
 * built. */
int syscall_filter_export (gboolean leave_clone3, GError **error);
