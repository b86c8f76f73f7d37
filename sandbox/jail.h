#pragma once

#include <glib.h>
#include <sys/resource.h>
#include <sys/types.h>

/* Starts one program in a sandbox, after IOI isolate's theory of operation: a
 * proxy process is PID 1 of new mount, PID, IPC, UTS and (unless share_net)
 * network namespaces; it builds a fresh root, forks the program, which drops
 * every privilege and execs, and reaps it.
 *
 * How the daemon learns the outcome: the proxy writes a JailOutcome (the
 * program's wait status and resource usage) on status_fd, then exits 0. PID 1 of a
 * PID namespace cannot kill itself with the program's signal (the kernel
 * ignores it), so the exit code alone could not carry both an exit code and a
 * signal. Watch proxy_pid with g_child_watch_add(); when it has exited, read
 * status_fd with jail_read_outcome(). If the proxy was killed (SIGKILL on a
 * time limit: this kills everything in the sandbox), status_fd reads empty. */
typedef struct
{
  char **argv; /* argv[0] is looked up in envp's PATH if it has no '/' */
  char **envp; /* the whole environment */
  uid_t uid;   /* the box's own ids; no supplementary groups */
  gid_t gid;
  const char *root_dir; /* an empty host directory: the new root is mounted on it, in the
                           sandbox's mount namespace only, so on the host it stays empty */
  const char *work_dir; /* host directory bound read-write at /box, the cwd */
  GPtrArray *dir_rules; /* extra DirRule (dir_rules.h), applied over the defaults */
  gboolean share_net;
  int stdin_fd; /* opened by the caller, become 0, 1 and 2 */
  int stdout_fd;
  int stderr_fd;
  gint64 fsize_kib; /* LIMIT_UNLIMITED for no limit */
  gint64 stack_kib;
  gint64 open_files;
  const char *const *cgroup_procs; /* NULL-terminated: cgroup.procs files the program joins
                                      before exec; may be NULL */
} JailSpec;

/* Starts the proxy and waits until the program has been exec'ed. Anything that
 * fails before the exec (a mount, a cgroup, the exec itself: "cannot execute
 * ./a.out: No such file or directory") fails the call with
 * SANDBOX_ERROR_FAILED and leaves no process behind. On success the caller
 * owns *proxy_pid (reap it) and *status_fd (close it). */
gboolean jail_start (const JailSpec *spec, GPid *proxy_pid, int *status_fd, GError **error);

/* How the program ended, as the proxy reaped it: its wait status, and its
 * resource usage (with that of its reaped descendants) for max-rss and the
 * context switches. */
typedef struct
{
  int wait_status;
  struct rusage usage;
} JailOutcome;

/* Reads the outcome once the proxy has exited. Fails with
 * SANDBOX_ERROR_FAILED if the proxy died without reporting one. */
gboolean jail_read_outcome (int status_fd, JailOutcome *outcome, GError **error);
