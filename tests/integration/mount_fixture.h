#pragma once

#include <gio/gio.h>
#include <glib.h>

/* Polls condition every 10 ms until it holds, or a minute has passed; the
 * caller then asserts it. What a test waits for is often done at
 * SCHED_IDLE or SCHED_BATCH (sandboxes built ahead, dropped ones killed and
 * reaped, a box's files emptied), which a loaded machine gets round to
 * seconds late: only a failing test waits the whole minute. */
#define WAIT_UNTIL(condition)                                                                      \
  for (gint64 wait_until_end_ = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;                     \
       !(condition) && g_get_monotonic_time () < wait_until_end_;)                                 \
  g_usleep (10000)

/* One real isolatefs mount on a temporary directory, with its own state
 * directory and cgroup parent, for a test to drive with ordinary file I/O. */
typedef struct
{
  char *tmp_dir;
  char *mount_dir;
  char *state_dir;
  char *cgroup_parent;
  char *options;    /* extra -o options given at mount */
  guint first_uid;  /* the uid of the first box made */
  char *crash_file; /* mount_new_crashable(): where mount_crash_after() arms the shim */
  GSubprocess *daemon;
} Mount;

/* Skips the test (and returns FALSE) unless it can mount and make cgroups. */
gboolean mount_require_root (void);

/* Mounts a fresh instance; extra_options ("max_boxes=2,...") may be NULL. */
Mount *mount_new (const char *extra_options);
/* Like mount_new, but the daemon is started with NOTIFY_SOCKET=notify_socket
 * (as systemd starts a Type=notify service), and this returns at once: the
 * caller waits for the daemon to say it is ready. */
Mount *mount_new_notifying (const char *extra_options, const char *notify_socket);
/* Like mount_new, with the daemon run under the crash shim (crash_shim.c), which
 * kills it where mount_crash_after() says. */
Mount *mount_new_crashable (const char *extra_options);
/* Arms the shim: the daemon gets SIGKILL right after the call spec names
 * (FUNCTION:SUBSTRING:N, counted from now). */
void mount_crash_after (Mount *mount, const char *spec);
/* Waits for the daemon armed so to die of that SIGKILL (failing the test
 * if it does not, so that no test passes without its crash), disarms the
 * shim, and starts the daemon again on the same state directory. */
void mount_await_crash_and_restart (Mount *mount);
/* Unmounts and starts the daemon again on the same state directory. */
void mount_restart (Mount *mount);
/* Kills the daemon with SIGKILL, leaving its mount stale, and starts it
 * again on the same state directory. */
void mount_crash_and_restart (Mount *mount);
/* Unmounts, waits for the daemon to exit cleanly, keeps the files. */
void mount_stop (Mount *mount);
/* Sends the daemon a signal (SIGTERM...), waits for it to exit cleanly. */
void mount_stop_by_signal (Mount *mount, int signal);
/* Starts the daemon of a stopped mount again on the same state directory. */
void mount_start (Mount *mount);
/* Sends the daemon a signal without waiting. */
void mount_signal (Mount *mount, int signal);
/* Waits for the daemon to end however it ends (after mount_signal), and,
 * once it is gone, for its sandboxes; TRUE if it died of SIGKILL. */
gboolean mount_wait_daemon (Mount *mount);
/* Starts the daemon and kills it (SIGKILL) after delay_us, whatever it is
 * doing then (loading boxes, mounting), and waits for it. */
void mount_start_and_kill (Mount *mount, guint delay_us);
/* Removes every box, unmounts, checks nothing is left, deletes the files. */
void mount_free (Mount *mount);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Mount, mount_free)

/* For g_test_add: a fresh mount (with the options given as test data, a
 * string or NULL) holding one box named "b"; mount is NULL when skipped. */
typedef struct
{
  Mount *mount;
} BoxFixture;

void box_fixture_set_up (BoxFixture *fixture, gconstpointer options);
void box_fixture_tear_down (BoxFixture *fixture, gconstpointer options);

/* The path of NAME inside the mount (NAME may contain '/'). */
char *mount_path (const Mount *mount, const char *name);
/* The path of the box's cgroup in a v1 controller, or its one group on v2
 * (cgroup_layout.h). */
char *mount_cgroup_path (const Mount *mount, const char *controller, const char *box);

/* File helpers answering an errno (0 on success), for exact checks. */
int put (const Mount *mount, const char *name, const char *value);
int put_bytes (const Mount *mount, const char *name, const char *data, gsize size, int flags);
/* The whole content, or NULL with errno set. */
char *get (const Mount *mount, const char *name);
/* Asserts that NAME reads exactly expected. */
void assert_reads (const Mount *mount, const char *name, const char *expected);
/* The size stat gives NAME, or -1. */
gint64 stat_size (const Mount *mount, const char *name);
/* The real uid of a process, or -1 if it is gone. */
gint64 process_uid (const char *pid);
/* Children of process parent (of any of its threads) that name themselves
 * comm, as in /proc/PID/comm. */
guint process_children_named (GPid parent, const char *comm);
/* Their pids, as strings. */
GPtrArray *process_list_children_named (GPid parent, const char *comm);
/* The pids of those of them that live (not zombies), in increasing order,
 * joined by spaces; "" if none. */
char *process_live_children_named (GPid parent, const char *comm);
/* The namespaces of type ("mnt", "net"...) that pid holds a descriptor of,
 * as their links read ("mnt:[4026532301]"), sorted, joined by spaces. */
char *process_namespace_fds (GPid pid, const char *type);
/* The zygote among daemon's children (jail_spawner.h); 0 if none. */
GPid process_find_zygote (GPid daemon);
/* The daemon's jails that still have a proxy, running or not yet reaped: its
 * children that are PID 1 of a PID namespace of their own. */
guint process_count_jails (GPid daemon);
/* The system call that pid (its first thread) is blocked in, as
 * /proc/PID/syscall tells, with its first three arguments; -1 if it is
 * running, or gone. */
glong process_blocked_syscall (GPid pid, guint64 args[3]);
/* Whether pid (its first thread) is blocked in that system call, as
 * /proc/PID/syscall tells. A kernel may have no such file (user-mode Linux,
 * the guest of tests/cgroup2/, has none): then whether it sleeps (state S),
 * which is what a process waiting on the mount shows too. */
gboolean process_blocked_in (GPid pid, glong syscall_number);
/* Waits (up to a minute) until process_blocked_in (pid, syscall_number). */
void process_wait_blocked_in (GPid pid, glong syscall_number);
/* Is pid gone, or a zombie (its memory and descriptors gone)? */
gboolean process_has_ended (GPid pid);
/* Asserts that no process of this mount's boxes runs as uid, and that box's cgroups hold nothing
 * but (at most) the sandbox prepared for its next run, which waits as root. */
void assert_nothing_of_box_runs (const Mount *mount, const char *box, uid_t uid);
/* Runs examples/ scripts (paths from the source root) on the mount, with sh
 * and python3, asserting that each succeeds and removes the boxes it made. */
void assert_examples_run (const Mount *mount, const char *shell_script, const char *python_script);
/* How many mounts this process's namespace has on path. */
guint mounts_on (const char *path);
/* How many loop devices have their backing file below dir. */
guint loop_devices_under (const char *dir);
/* How many loop devices the daemon's /tmp volume takes (tmp_volume.h): 1 while
 * it is mounted, else 0. */
guint mount_tmp_volume_loops (const Mount *mount);
/* How many entries a directory lists (without . and ..). */
guint count_entries (const char *dir);
int make_box (const Mount *mount, const char *box);
/* Runs cmd in box, waits for the end, and returns what it wrote to stdout. */
char *run_for_output (const Mount *mount, const char *box, const char *cmd);
int remove_box (const Mount *mount, const char *box);
/* dirs rules, one line each: tmp rules /t0 ... /tN-1. */
char *tmp_dir_rules (guint n);

/* Runs action in a child as uid:gid user (no supplementary groups) and
 * returns what it returned: 0 for success, else an errno. The mount must
 * have allow_other and its directories be reachable by that user. */
typedef int (*UserAction) (const Mount *mount);
int as_user (const Mount *mount, uid_t user, UserAction action);

/* A process in a mount namespace of its own, made by unshare(1) from this
 * one's: it holds a copy of every mount there was, as a container or
 * another sandbox tool does. Stop it with g_subprocess_force_exit. */
GSubprocess *namespace_holder_new (void);

/* Runs the daemon to its end with args and returns its exit status and stderr. */
int run_isolatefs_expecting_failure (const char *const *args, char **err);
