#include "proxy.h"

#include "birth.h"
#include "build_root.h"
#include "handover_receive.h"
#include "report.h"
#include "sandbox/jail/shared/jail_wire.h"
#include "sandbox/jail/shared/loopback.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <sched.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/param.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Exit code of a proxy that failed before forking the program; it has said
 * why on the report pipe. */
#define PROXY_SETUP_FAILED 125

/* Exit code of a program whose execve failed, as isolate's: that of one
 * that failed before it (run.c tells them apart by the report pipe). */
#define PROGRAM_EXEC_FAILED JAIL_PROGRAM_SETUP_FAILED

/* Enough for run_program: a few buffers of PATH_MAX or so. */
#define PROGRAM_STACK_SIZE (64 * 1024)

/* Received and opened descriptors are first moved at or above this, so that
 * putting them on 0, 1, 2 and 3 never overwrites one still needed. */
#define HIGH_FD 4

/* ---- Scheduling ---- */

/* Building a jail and tearing one down are not urgent, but on a small
 * machine they took the CPU from the daemon while it answered the reader
 * of the previous run's status (0.4-0.7 ms, traced): the scheduler queued
 * the daemon behind the proxy rather than moving it to the idle CPU. As
 * SCHED_IDLE the proxy gives way at once. The program-to-be and the proxy
 * reaping it are on a run's path and get the normal class back (root may);
 * so does a proxy still building when its jail is launched (jail_launch),
 * lest a busy machine starve the run. */
static void
set_scheduling (int policy)
{
  struct sched_param param = { 0 };
  sched_setscheduler (0, policy, &param);
  /* A change of class alone does not make the scheduler look again: a task
   * already waiting for this CPU would wait for the next tick. */
  if (policy == SCHED_IDLE)
    sched_yield ();
}

/* ---- The program, between fork and exec ---- */

static _Noreturn void
program_fail (int report_fd, const char *what, const char *path)
{
  jail_report (report_fd, what, path, errno);
  _exit (JAIL_PROGRAM_SETUP_FAILED);
}

static void
join_cgroups (const JailProxyArgs *args)
{
  /* "0" is the writing process itself, whatever PID namespace it sees. */
  for (int i = 0; i < args->n_cgroups; i++)
    {
      if (write (args->cgroup_fds[i], "0\n", 2) != 2)
        program_fail (args->report_fd, "join cgroup", args->cgroup_procs[i]);
      close (args->cgroup_fds[i]);
    }
}

static void
set_one_limit (int report_fd, int resource, const char *name, int64_t value, int64_t unit)
{
  rlim_t limit = value == JAIL_UNLIMITED ? RLIM_INFINITY : (rlim_t) value * unit;
  struct rlimit rl = { .rlim_cur = limit, .rlim_max = limit };
  if (setrlimit (resource, &rl) < 0)
    program_fail (report_fd, "set limit", name);
}

/* RLIMIT_NPROC as isolate sets it: not at all for no limit, else the count,
 * but never above the hard limit the daemon has: raising it takes
 * CAP_SYS_RESOURCE, which some hosts do not give even to root, and the
 * pids cgroup holds the run to the count anyway. */
static void
set_process_limit (int64_t processes, int report_fd)
{
  struct rlimit current;
  if (processes == JAIL_UNLIMITED || getrlimit (RLIMIT_NPROC, &current) < 0)
    return;
  if (current.rlim_max != RLIM_INFINITY && (rlim_t) processes > current.rlim_max)
    processes = (int64_t) current.rlim_max;
  set_one_limit (report_fd, RLIMIT_NPROC, "processes", processes, 1);
}

/* The rlimits isolate sets, before the change of uid as isolate sets them:
 * RLIMIT_NPROC then counts the box uid's processes, which are only this
 * run's (the proxy and the jails prepared ahead are root's). Locked memory
 * is 0, as in isolate. The descriptor limit itself is set last (in
 * run_program), once the standard descriptors are in place: arranging them
 * needs room. Here only its hard limit is raised if need be, while that is
 * still allowed. */
static void
set_limits (const JailHandover *handover, int report_fd)
{
  set_one_limit (report_fd, RLIMIT_FSIZE, "fsize", handover->fsize_kib, 1024);
  set_one_limit (report_fd, RLIMIT_STACK, "stack", handover->stack_kib, 1024);
  set_one_limit (report_fd, RLIMIT_AS, "address-space", handover->address_space_kib, 1024);
  set_one_limit (report_fd, RLIMIT_CORE, "core", handover->core_kib, 1024);
  set_process_limit (handover->processes, report_fd);
  set_one_limit (report_fd, RLIMIT_MEMLOCK, "locked memory", 0, 1);
  struct rlimit files;
  if (handover->open_files != JAIL_UNLIMITED && getrlimit (RLIMIT_NOFILE, &files) == 0
      && files.rlim_max < (rlim_t) handover->open_files)
    {
      files.rlim_max = handover->open_files;
      if (setrlimit (RLIMIT_NOFILE, &files) < 0)
        program_fail (report_fd, "set limit", "open-files");
    }
}

/* Root's capabilities go with the change of uid, but only from the
 * permitted and effective sets; the bounding set and the supplementary
 * groups went in the zygote (zygote.c), the inheritable set goes here, and
 * no_new_privs keeps set-uid files (there are none: nosuid) and file
 * capabilities from granting any back. The system calls themselves:
 * glibc's wrappers act for every thread of the process they believe they
 * are in, and the program-to-be is a process of its own that shares the
 * proxy's memory. */
static void
drop_privileges (const JailProxyArgs *args, int report_fd)
{
  if (syscall (SYS_setresgid, args->gid, args->gid, args->gid) < 0
      || syscall (SYS_setresuid, args->uid, args->uid, args->uid) < 0)
    program_fail (report_fd, "switch to", "the box's uid and gid");

  struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
  struct __user_cap_data_struct data[2] = { { 0 } };
  if (syscall (SYS_capset, &header, data) < 0
      || prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0
      || prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    program_fail (report_fd, "drop", "capabilities");
}

static int
move_high (int fd, int report_fd, const char *what)
{
  int high = fcntl (fd, F_DUPFD_CLOEXEC, HIGH_FD);
  if (high < 0)
    program_fail (report_fd, "set up", what);
  close (fd);
  return high;
}

/* Standard descriptor i: the one handed over, or the file at its path,
 * opened as the program, relative to its working directory. */
static int
open_stdio (const JailHandover *handover, int i, int report_fd)
{
  static const char *const names[] = { "standard input", "standard output", "standard error" };
  const char *path = handover->stdio_paths[i];
  if (path == NULL)
    return move_high (handover->stdio_fds[i], report_fd, names[i]);
  int flags = i == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC;
  int fd = open (path, flags | O_CLOEXEC, 0666);
  if (fd < 0)
    program_fail (report_fd, "open", path);
  return move_high (fd, report_fd, path);
}

/* Puts the standard descriptors on 0, 1 and 2 and the report pipe on 3,
 * close-on-exec, then closes every other descriptor. Returns the report
 * pipe's new number. */
static int
arrange_descriptors (const JailHandover *handover, int report_fd)
{
  report_fd = move_high (report_fd, report_fd, "the report pipe");
  int stdio[3];
  for (int i = 0; i < 3; i++)
    stdio[i]
        = i == 2 && handover->stderr_to_stdout ? stdio[1] : open_stdio (handover, i, report_fd);
  for (int i = 0; i < 3; i++)
    if (dup2 (stdio[i], i) < 0)
      program_fail (report_fd, "set up", "standard descriptors");
  if (dup3 (report_fd, 3, O_CLOEXEC) < 0)
    program_fail (report_fd, "set up", "the report pipe");
  close_range (4, ~0U, 0);
  return 3;
}

static const char *
lookup_env (char **envp, const char *name)
{
  size_t length = strlen (name);
  for (unsigned int i = 0; envp != NULL && envp[i] != NULL; i++)
    if (strncmp (envp[i], name, length) == 0 && envp[i][length] == '=')
      return envp[i] + length + 1;
  return NULL;
}

/* As isolate: a program that cannot be executed (missing, not executable,
 * a script without "#!") is the program's failure, not the sandbox's. It
 * exits 127 with the reason on its standard error, where isolate prints it,
 * and the report pipe closes without text. */
static _Noreturn void
exec_failed (const char *name)
{
  const char *reason = strerrordesc_np (errno);
  dprintf (STDERR_FILENO, "execve(\"%s\"): %s\n", name, reason ? reason : "Unknown error");
  _exit (PROGRAM_EXEC_FAILED);
}

/* execvpe() would search the daemon's PATH; the program's is in envp. */
static _Noreturn void
exec_in_path (char **argv, char **envp)
{
  const char *name = argv[0];
  if (strchr (name, '/') != NULL)
    {
      execve (name, argv, envp);
      exec_failed (name);
    }
  const char *path = lookup_env (envp, "PATH");
  if (path == NULL)
    path = JAIL_DEFAULT_PATH;

  int found_errno = ENOENT;
  for (const char *dir = path; dir != NULL;)
    {
      const char *colon = strchr (dir, ':');
      int dir_length = colon ? (int) (colon - dir) : (int) strlen (dir);
      char candidate[PATH_MAX];
      /* An empty entry means the current directory, as in execvp(). */
      snprintf (candidate, sizeof candidate, "%.*s/%s", dir_length ? dir_length : 1,
                dir_length ? dir : ".", name);
      execve (candidate, argv, envp);
      if (errno != ENOENT && errno != ENOTDIR)
        found_errno = errno; /* e.g. EACCES: say so rather than "not found" */
      dir = colon ? colon + 1 : NULL;
    }
  errno = found_errno;
  exec_failed (name);
}

/* What the daemon's end of the handover socket says, without taking it:
 * > 0, the launch message is there; 0, the daemon closed its end without
 * one (it dropped the jail, or died: a launch closes it only after the
 * message); < 0, nothing yet. */
static ssize_t
peek_launch (int launch_fd)
{
  char byte;
  return recv (launch_fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
}

/* Has the daemon died? Its pidfd is readable then. */
static bool
daemon_is_gone (const JailProxyArgs *args)
{
  struct pollfd daemon = { .fd = args->daemon_fd, .events = POLLIN };
  return args->daemon_fd >= 0 && poll (&daemon, 1, 0) == 1;
}

/* Waits for the go (jail.h), joining the cgroups at the warm-up if that
 * was left to it. A jail the daemon drops, or loses, ends itself: the
 * daemon's kill, or the proxy's parent-death signal, can miss a proxy the
 * daemon never learned of, or one that started after the daemon died. The
 * launch socket tells until a launch is waiting (it is closed once sent);
 * then only the daemon's pidfd does, if the daemon dies before the go. */
static void
wait_for_go (const JailProxyArgs *args)
{
  bool joined = !args->join_at_launch;
  bool launch_waiting = false;
  uint64_t signals = 0;
  while (!(signals & JAIL_SIGNAL_GO))
    {
      struct pollfd fds[3] = {
        { .fd = args->go_fd, .events = POLLIN },
        { .fd = launch_waiting ? -1 : args->launch_fd, .events = POLLIN },
        { .fd = args->daemon_fd, .events = POLLIN },
      };
      if (poll (fds, 3, -1) < 0 && errno != EINTR)
        program_fail (args->report_fd, "wait for", "the command");
      if (fds[2].revents != 0)
        _exit (JAIL_PROGRAM_SETUP_FAILED); /* the daemon died: nobody to report to */
      if (fds[1].revents != 0)
        {
          ssize_t peeked = peek_launch (args->launch_fd);
          if (peeked == 0)
            _exit (JAIL_PROGRAM_SETUP_FAILED); /* thrown away unused: nothing to report */
          launch_waiting = peeked > 0;
        }
      uint64_t got;
      if (!(fds[0].revents & POLLIN) || read (args->go_fd, &got, sizeof got) != sizeof got)
        continue;
      signals |= got;
      if (!joined)
        {
          join_cgroups (args);
          joined = true;
        }
    }
}

static _Noreturn void
run_program (const Birth *birth)
{
  const JailProxyArgs *args = birth->args;
  /* The memory is the proxy's, which waits meanwhile (start_program), or
   * a copy (birth.h): what this allocates stays there, unused, until the
   * proxy exits. */
  const char *what, *object;
  int settled = birth_settle (birth, &what, &object);
  if (settled != 0)
    {
      errno = settled;
      program_fail (args->report_fd, what, object);
    }
  /* Whatever does not depend on the command is done before it comes;
   * joining the cgroups too, if it costs an RCU grace period. */
  if (!args->join_at_launch)
    join_cgroups (args);
  wait_for_go (args);
  JailHandover handover;
  int received = jail_handover_receive (args->launch_fd, &handover);
  if (received == ECONNRESET)
    _exit (JAIL_PROGRAM_SETUP_FAILED); /* thrown away unused: nothing to report */
  if (received != 0)
    {
      errno = received;
      program_fail (args->report_fd, "receive", "the command");
    }
  close (args->launch_fd);
  close (args->go_fd);
  close (args->status_fd);

  int report_fd = args->report_fd;
  set_limits (&handover, report_fd);
  drop_privileges (args, report_fd);
  umask (022);
  if (chdir (handover.cwd) < 0)
    program_fail (report_fd, "enter", handover.cwd);
  report_fd = arrange_descriptors (&handover, report_fd);
  /* Unlimited is what the kernel allows the daemon: RLIM_INFINITY is above
   * any descriptor limit it takes. */
  if (handover.open_files != JAIL_UNLIMITED)
    set_one_limit (report_fd, RLIMIT_NOFILE, "open-files", handover.open_files, 1);
  exec_in_path (handover.argv, handover.envp);
}

static int
program_main (void *data)
{
  run_program (data);
}

/* The program-to-be shares the proxy's memory until its exec, the proxy
 * waiting meanwhile (CLONE_VM | CLONE_VFORK): nothing is copied at the
 * fork and nothing torn down at the exec, which then costs what a plain
 * fork and exec do. One born into its cgroup gets a copy (birth.h). */
static pid_t
start_program (Birth *birth, char *stack)
{
  return birth_fork (birth, stack, PROGRAM_STACK_SIZE, program_main);
}

/* ---- The proxy: PID 1 of the jail ---- */

static void
insert_sorted (int *fds, int *n, int fd)
{
  int i = *n;
  for (; i > 0 && fds[i - 1] > fd; i--)
    fds[i] = fds[i - 1];
  fds[i] = fd;
  (*n)++;
}

/* The proxy inherited the zygote's descriptors (its socket to the daemon)
 * and those of the request; it keeps only its own. */
static void
close_other_descriptors (const JailProxyArgs *args)
{
  int keep[JAIL_SPAWN_MAX_CGROUPS + 8];
  int n = 0;
  insert_sorted (keep, &n, args->report_fd);
  insert_sorted (keep, &n, args->status_fd);
  insert_sorted (keep, &n, args->launch_fd);
  insert_sorted (keep, &n, args->go_fd);
  if (args->netns_fd >= 0)
    insert_sorted (keep, &n, args->netns_fd);
  if (args->template_fd >= 0)
    insert_sorted (keep, &n, args->template_fd);
  if (args->daemon_fd >= 0)
    insert_sorted (keep, &n, args->daemon_fd);
  for (int i = 0; i < args->n_cgroups; i++)
    insert_sorted (keep, &n, args->cgroup_fds[i]);
  if (args->birth_cgroup_fd >= 0)
    insert_sorted (keep, &n, args->birth_cgroup_fd);

  unsigned int from = 3;
  for (int i = 0; i < n; i++)
    {
      if ((unsigned int) keep[i] > from)
        close_range (from, keep[i] - 1, 0);
      from = MAX (from, (unsigned int) keep[i] + 1);
    }
  close_range (from, ~0U, 0);
}

/* The root, built whole, or its lasting part as the box's template: then
 * the namespace goes to the daemon, once it is complete. It is opened while
 * the host's /proc is in view; the pivot does not change which it is. */
static bool
build_root (const JailProxyArgs *args)
{
  bool template = args->root_mode == JAIL_ROOT_BUILD_TEMPLATE;
  int ns_fd = template ? open ("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC) : -1;
  if (template && ns_fd < 0)
    {
      jail_report (args->report_fd, "open", "the sandbox's mount namespace", errno);
      return false;
    }
  bool built = jail_build_root (args->root_dir, args->mounts, args->n_mounts, args->tmpfs_kib,
                                template, args->report_fd);
  if (built && template)
    {
      /* Not fatal if the daemon's end is gone: the next run builds again. */
      JailTemplateMessage message = { .magic = JAIL_TEMPLATE_MAGIC };
      jail_wire_send (args->launch_fd, &message, sizeof message, &ns_fd, 1);
    }
  if (ns_fd >= 0)
    close (ns_fd);
  return built;
}

/* Joins the box's root template. */
static bool
join_template (const JailProxyArgs *args)
{
  if (setns (args->template_fd, CLONE_NEWNS) < 0)
    {
      jail_report (args->report_fd, "join", "the box's root template", errno);
      return false;
    }
  close (args->template_fd);
  return true;
}

/* With a root template: the run's own copy of it, where /tmp, /proc and
 * the other per-run mounts are made; the template never changes. The proxy
 * makes it, not the program-to-be: the copy then ends with the proxy,
 * after the run's status is out, not with the program, before it (its
 * unmounts wait for an RCU grace period). */
static bool
own_copy (const JailProxyArgs *args)
{
  if (unshare (CLONE_NEWNS) < 0)
    {
      jail_report (args->report_fd, "copy", "the box's root template", errno);
      return false;
    }
  return jail_mount_per_run (args->mounts, args->n_mounts, args->tmpfs_kib, args->report_fd);
}

static bool
set_up_sandbox (const JailProxyArgs *args)
{
  static const char hostname[] = "box";
  if (!args->share_net && args->netns_fd >= 0)
    {
      if (setns (args->netns_fd, CLONE_NEWNET) < 0)
        {
          jail_report (args->report_fd, "join", "the box's network namespace", errno);
          return false;
        }
      close (args->netns_fd);
    }
  if (!(args->root_mode == JAIL_ROOT_FROM_TEMPLATE ? join_template (args) : build_root (args)))
    return false;
  if (args->root_mode != JAIL_ROOT_BUILD && !own_copy (args))
    return false;
  int status = args->share_net ? 0 : loopback_up ();
  if (status != 0)
    {
      jail_report (args->report_fd, "bring up", "lo", status);
      return false;
    }
  if (sethostname (hostname, sizeof hostname - 1) < 0)
    {
      jail_report (args->report_fd, "set", "the host name", errno);
      return false;
    }
  return true;
}

/* The run ends with the program, as in isolate: what it left running in
 * the PID namespace is killed, and reaped, before the outcome goes out. So
 * when the daemon reads it, nothing of the run writes to its output files
 * any more, and nothing still counts against the box uid's RLIMIT_NPROC
 * when the next run starts. */
static void
end_the_rest (void)
{
  if (kill (-1, SIGKILL) < 0)
    return; /* nobody was left */
  while (wait4 (-1, NULL, __WALL, NULL) > 0 || errno == EINTR)
    ;
}

/* As PID 1 the proxy inherits every orphan of the jail, and reaps them
 * until the program itself ends. */
static _Noreturn void
reap_until (pid_t program, int status_fd)
{
  for (;;)
    {
      JailOutcome outcome;
      pid_t pid = wait4 (-1, &outcome.wait_status, __WALL, &outcome.usage);
      if (pid == program)
        {
          end_the_rest ();
          __attribute__ ((unused)) ssize_t written = write (status_fd, &outcome, sizeof outcome);
          /* The exit unmounts the jail's root: not urgent either. */
          set_scheduling (SCHED_IDLE);
          _exit (0);
        }
      if (pid < 0 && errno != EINTR)
        _exit (PROXY_SETUP_FAILED);
    }
}

int
jail_proxy_main (void *data)
{
  const JailProxyArgs *args = data;

  /* If the daemon dies, so does the jail. "The parent" is the daemon's
   * thread that started the zygote (jail_spawner.h). */
  prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  prctl (PR_SET_NAME, "jail-proxy", 0, 0, 0);
  set_scheduling (SCHED_IDLE);
  close_other_descriptors (args);
  /* A daemon that died before the prctl sent no signal: no jail for it.
   * (The check used to take a readable end for a launch; end of file is
   * readable too. At SCHED_IDLE, a proxy forked as the daemon stopped
   * could start after it: one was found waiting for ever.) */
  if (peek_launch (args->launch_fd) == 0 || daemon_is_gone (args))
    _exit (PROXY_SETUP_FAILED);
  if (!set_up_sandbox (args))
    _exit (PROXY_SETUP_FAILED);
  set_scheduling (SCHED_OTHER);

  /* Aligned as the ABI wants a stack; the proxy waits, this frame with it,
   * until the program has exec'ed (start_program). */
  char program_stack[PROGRAM_STACK_SIZE] __attribute__ ((aligned (16)));
  Birth birth = { .args = args };
  pid_t program = start_program (&birth, program_stack);
  if (program < 0)
    {
      jail_report (args->report_fd, "fork", "the program", errno);
      _exit (PROXY_SETUP_FAILED);
    }

  /* The program's copies close at its exec: EOF for the daemon. */
  close (args->report_fd);
  close (args->launch_fd);
  close (args->go_fd);
  for (int i = 0; i < args->n_cgroups; i++)
    close (args->cgroup_fds[i]);
  if (args->birth_cgroup_fd >= 0)
    close (args->birth_cgroup_fd);
  reap_until (program, args->status_fd);
}
