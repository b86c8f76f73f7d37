#pragma once

#include "sandbox/jail/shared/jail_protocol.h"

#include <glib.h>
#include <sys/types.h>

/* The jail of one run, after IOI isolate's theory of operation: a proxy
 * process is PID 1 of new mount, PID, IPC, UTS and (unless share_net) network
 * namespaces; it builds the root (or enters the box's root template: see
 * JailSetup.root_template_fd) and forks the program-to-be, which mounts the
 * run's own /tmp and /proc, joins the box's cgroups, drops every privilege
 * and execs.
 *
 * Everything that does not depend on the command is done ahead of it, in two
 * steps, so that a run only pays for handing over argv and the exec:
 *   jail_prepare()  has the zygote (jail_spawner.h) fork the proxy, and
 *                   returns at once; the proxy builds the root and forks
 *                   the program-to-be, which joins the cgroups (unless
 *                   join_at_launch) and waits.
 *   jail_launch()   sends the command, environment, limits and standard
 *                   descriptors; the program-to-be applies them and execs.
 * A prepared jail may wait as long as it likes, and be thrown away unused.
 *
 * How the daemon learns what happened, on three descriptors:
 *   report:  text if the sandbox failed before the exec ("cannot enter
 *            /nowhere: No such file or directory"), then EOF: the exec
 *            closes it. EOF with no text means the program runs, or that
 *            its execve failed: then, as in isolate, the program-to-be
 *            writes `execve("./a.out"): No such file or directory` on the
 *            program's stderr and exits 127, the program's own failure.
 *   status:  once the program has ended, a JailOutcome (its wait status and
 *            resource usage), written by the proxy before it exits 0. PID 1
 *            of a PID namespace cannot die of the program's signal, so its
 *            exit code could not carry both. Empty if the proxy was killed.
 *   the proxy's pid: watch it; when it has exited, everything of the
 *            jail has (the kernel kills the rest of the PID namespace). */

/* What is fixed before the command is known. */
typedef struct
{
  uid_t uid; /* the box's own ids; no supplementary groups */
  gid_t gid;
  const char *root_dir; /* an empty host directory: the new root is mounted on it, in the
                           jail's mount namespace only, so on the host it stays empty */
  const char *work_dir; /* host directory bound read-write at /box */
  /* Host directory of the box's own on disk where /tmp and the tmp rules'
   * directories are made (jail_mounts_plan), emptied by the box after every
   * run; or NULL: they are tmpfs of tmpfs_kib, memory. */
  const char *tmp_dir;
  gint64 tmpfs_kib;
  GPtrArray *dir_rules; /* extra DirRule (dir_rules.h), applied over the defaults */
  gboolean share_net;
  /* Unless share_net: a network namespace to join (setns), or -1 for a new
   * one. Making one costs about a millisecond, and as much again to tear
   * down; a box keeps its own across runs (see jail_open_netns). */
  int netns_fd;
  /* The box's root template (jail_take_root_template), or -1. Used only if
   * the mounts allow one (jail_mounts_can_last). Without it, a jail builds
   * one and offers it if make_root_template: a box's first jail does not,
   * as a box may run only once, and a template costs a little more to
   * build, and to drop. */
  int root_template_fd;
  gboolean make_root_template;
  const char *const *cgroup_procs; /* NULL-terminated: cgroup.procs files the program joins;
                                      may be NULL */
  /* A cgroup v2 group the program-to-be is born into (clone3 with
   * CLONE_INTO_CGROUP; a kernel before 5.7 moves it there instead, before
   * anything else), or NULL. Only with a spawner made for it
   * (jail_spawner_new), whose system call filter leaves clone3 to the
   * program-to-be to refuse. */
  const char *cgroup_dir;
  /* The program-to-be joins the cgroups when launched (or warmed:
   * jail_warm) rather than while it waits. Then a jail prepared during a run
   * is not counted in that run (its CPU time, its memory, its pid), so the
   * next run's may be built while the current one runs. Only where joining
   * is cheap: otherwise a join waits for an RCU grace period
   * (cgroup_dynmods.h). */
  gboolean join_at_launch;
} JailSetup;

/* What a run hands over. Paths are inside the jail. */
typedef struct
{
  char **argv;     /* argv[0] is looked up in envp's PATH if it has no '/' */
  char **envp;     /* the whole environment */
  const char *cwd; /* the working directory; NULL for /box */
  /* The program's standard input, output and error: the descriptor, or, if
   * the path is set, that file opened by the program itself (as its uid,
   * inside the jail, relative to cwd; input read-only, output created or
   * truncated). */
  int stdio_fds[3];
  const char *stdio_paths[3];
  gboolean stderr_to_stdout; /* descriptor 2 is a copy of descriptor 1 */
  gint64 fsize_kib;          /* LIMIT_UNLIMITED for no limit */
  gint64 stack_kib;
  gint64 open_files;
  gint64 address_space_kib;
  gint64 core_kib;
  gint64 processes; /* of the box uid at once (RLIMIT_NPROC) */
} JailLaunch;

typedef struct _Jail Jail;
typedef struct _JailSpawner JailSpawner; /* jail_spawner.h */

/* Starts preparing a jail and returns without waiting for it. Fails only
 * if the proxy cannot be started at all; a failure inside it (a mount of a
 * dirs rule, a cgroup) is found on the report descriptor after the launch. */
Jail *jail_prepare (JailSpawner *spawner, const JailSetup *setup, GError **error);

/* Hands the program over; returns at once. A jail is launched once. Fails if
 * the proxy is gone (its report then says why) or the message cannot be sent. */
gboolean jail_launch (Jail *jail, const JailLaunch *launch, GError **error);

/* jail_launch() in its two halves, for a caller that has something to do
 * between them: the command handed over, then the program told to go. */
gboolean jail_hand_over (Jail *jail, const JailLaunch *launch, GError **error);
gboolean jail_go (Jail *jail, GError **error);

/* Says a launch is coming (the box's cmd was opened for writing): a
 * program-to-be that joins at launch joins its cgroups now, while the
 * command is still on its way, and the wakeup of an idle CPU is paid then
 * too. Only while the box runs nothing. Once per jail; later calls do
 * nothing. TRUE if the program-to-be may now be in the cgroups. */
gboolean jail_warm (Jail *jail);

GPid jail_get_pid (const Jail *jail);

/* A descriptor of the network namespace the jail's proxy runs in, to give
 * later jails as JailSetup.netns_fd; -1 with error if it cannot be opened. */
int jail_open_netns (const Jail *jail, GError **error);

/* The root template a prepared jail built (JailSetup.root_template_fd): a
 * descriptor of the mount namespace, which the proxy sends only once the
 * tree is complete; -1 if it has not (yet), or built none. Call before the
 * launch; never blocks. */
int jail_take_root_template (Jail *jail);
int jail_get_report_fd (const Jail *jail);
int jail_get_status_fd (const Jail *jail);

/* Says that the proxy has been reaped (by a child watch): jail_free() then
 * leaves its pid alone. */
void jail_proxy_reaped (Jail *jail);

/* Kills and reaps the proxy unless it was reaped, and closes everything. */
void jail_free (Jail *jail);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Jail, jail_free)

/* Reads the outcome (JailOutcome, jail_protocol.h) once the proxy has exited. Fails with
 * SANDBOX_ERROR_FAILED if the proxy died without reporting one. */
gboolean jail_read_outcome (int status_fd, JailOutcome *outcome, GError **error);

/* Prepares, launches and blocks until the program has been exec'ed (or
 * its exec failed: it then exits 127): the report's text, if any, fails the
 * call with SANDBOX_ERROR_FAILED and leaves nothing behind. For tests and
 * tools; the daemon never blocks on a jail. */
Jail *jail_start (JailSpawner *spawner, const JailSetup *setup, const JailLaunch *launch,
                  GError **error);
