#include "jail.h"

#include "box_limits.h"
#include "jail_mounts.h"
#include "syscall_filter.h"
#include "sandbox_error.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The proxy needs little stack: it makes system calls and formats messages
 * into buffers of PATH_MAX or so. */
#define PROXY_STACK_SIZE (256 * 1024)

/* More would not fit the fixed-size list of descriptors the proxy keeps. */
#define MAX_CGROUP_FILES 16

/* Exit code of a proxy that failed before forking the program; it has said
 * why on the report pipe. */
#define PROXY_SETUP_FAILED 125

/* Exit code of a program that failed between fork and exec, as isolate's 127
 * for an execve failure. */
#define PROGRAM_SETUP_FAILED 127

/* Everything the proxy and the program need, prepared by the daemon so that
 * after clone() nothing has to be allocated. */
typedef struct
{
  const JailSpec *spec;
  GPtrArray *plan; /* JailMount */
  int stdio[3];    /* copies of the caller's descriptors, all >= 3 */
  int cgroup_fds[MAX_CGROUP_FILES];
  int n_cgroup_fds;
  int report_fd; /* write end: text before exec, then EOF */
  int status_fd; /* write end: the program's wait status */
  SyscallFilter *filter;
} ProxyArgs;

/* ---- The program, between fork and exec ---- */

static G_NORETURN void
program_fail (int report_fd, const char *what, const char *path)
{
  jail_report (report_fd, what, path, errno);
  _exit (PROGRAM_SETUP_FAILED);
}

static void
join_cgroups (const ProxyArgs *args)
{
  /* "0" is the writing process itself, whatever PID namespace it sees. */
  for (int i = 0; i < args->n_cgroup_fds; i++)
    if (write (args->cgroup_fds[i], "0\n", 2) != 2)
      program_fail (args->report_fd, "join cgroup", args->spec->cgroup_procs[i]);
}

static void
set_one_limit (int report_fd, int resource, const char *name, gint64 value, gint64 unit)
{
  rlim_t limit = value == LIMIT_UNLIMITED ? RLIM_INFINITY : (rlim_t) value * unit;
  struct rlimit rl = { .rlim_cur = limit, .rlim_max = limit };
  if (setrlimit (resource, &rl) < 0)
    program_fail (report_fd, "set limit", name);
}

static void
set_limits (const ProxyArgs *args)
{
  const JailSpec *spec = args->spec;
  set_one_limit (args->report_fd, RLIMIT_FSIZE, "fsize", spec->fsize_kib, 1024);
  set_one_limit (args->report_fd, RLIMIT_STACK, "stack", spec->stack_kib, 1024);
  set_one_limit (args->report_fd, RLIMIT_NOFILE, "open-files", spec->open_files, 1);
  set_one_limit (args->report_fd, RLIMIT_CORE, "core", 0, 1);
}

/* Root's capabilities go with the change of uid, but only from the permitted
 * and effective sets: the bounding and inheritable sets are emptied by hand,
 * and no_new_privs keeps set-uid files (there are none: nosuid) and file
 * capabilities from granting any back. */
static void
drop_privileges (const ProxyArgs *args)
{
  const JailSpec *spec = args->spec;
  for (int cap = 0;; cap++)
    if (prctl (PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
      {
        if (errno == EINVAL)
          break; /* past the last capability the kernel knows */
        program_fail (args->report_fd, "drop", "the capability bounding set");
      }
  if (setgroups (0, NULL) < 0 || setresgid (spec->gid, spec->gid, spec->gid) < 0
      || setresuid (spec->uid, spec->uid, spec->uid) < 0)
    program_fail (args->report_fd, "switch to", "the box's uid and gid");

  struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
  struct __user_cap_data_struct data[2] = { { 0 } };
  if (syscall (SYS_capset, &header, data) < 0
      || prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0
      || prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    program_fail (args->report_fd, "drop", "capabilities");
}

/* Leaves 0, 1 and 2 from the caller and the report pipe on 3, close-on-exec,
 * then closes every other descriptor. Returns the report pipe's new number. */
static int
arrange_descriptors (const ProxyArgs *args)
{
  for (int i = 0; i < 3; i++)
    if (dup2 (args->stdio[i], i) < 0)
      program_fail (args->report_fd, "set up", "standard descriptors");
  /* The stdio copies are >= 3 and the report pipe differs from them, so
   * moving it to 3 overwrites only a copy we no longer need. */
  if (args->report_fd != 3 && dup3 (args->report_fd, 3, O_CLOEXEC) < 0)
    program_fail (args->report_fd, "set up", "the report pipe");
  close_range (4, ~0U, 0);
  return 3;
}

static const char *
lookup_env (char **envp, const char *name)
{
  size_t length = strlen (name);
  for (guint i = 0; envp != NULL && envp[i] != NULL; i++)
    if (strncmp (envp[i], name, length) == 0 && envp[i][length] == '=')
      return envp[i] + length + 1;
  return NULL;
}

/* execvpe() would search the daemon's PATH; the program's is in envp. */
static void
exec_in_path (char **argv, char **envp, int report_fd)
{
  const char *name = argv[0];
  if (strchr (name, '/') != NULL)
    {
      execve (name, argv, envp);
      program_fail (report_fd, "execute", name);
    }
  const char *path = lookup_env (envp, "PATH");
  if (path == NULL)
    path = "/usr/local/bin:/usr/bin:/bin";

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
  program_fail (report_fd, "execute", name);
}

static G_NORETURN void
run_program (const ProxyArgs *args)
{
  join_cgroups (args);
  set_limits (args);
  drop_privileges (args);
  int report_fd = arrange_descriptors (args);
  if (chdir ("/box") < 0)
    program_fail (report_fd, "enter", "/box");
  /* Last, so that nothing above runs under it; no_new_privs is already set. */
  if (!syscall_filter_install (args->filter))
    program_fail (report_fd, "install", "the system call filter");
  exec_in_path (args->spec->argv, args->spec->envp, report_fd);
  _exit (PROGRAM_SETUP_FAILED); /* not reached: exec_in_path fails loudly */
}

/* ---- The proxy: PID 1 of the sandbox ---- */

/* The daemon's handlers make no sense here, and a signal it ignores (SIGPIPE)
 * would stay ignored in the program across exec. */
static void
reset_signals (void)
{
  sigset_t none;
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  for (int sig = 1; sig < NSIG; sig++)
    signal (sig, SIG_DFL); /* fails harmlessly for SIGKILL, SIGSTOP and glibc's own */
}

static void
insert_sorted (int *fds, int *n, int fd)
{
  int i = *n;
  for (; i > 0 && fds[i - 1] > fd; i--)
    fds[i] = fds[i - 1];
  fds[i] = fd;
  (*n)++;
}

/* The proxy inherited every descriptor of the daemon (the FUSE device among
 * them); it keeps only its own. */
static void
close_other_descriptors (const ProxyArgs *args)
{
  int keep[MAX_CGROUP_FILES + 5];
  int n = 0;
  insert_sorted (keep, &n, args->report_fd);
  insert_sorted (keep, &n, args->status_fd);
  for (int i = 0; i < 3; i++)
    insert_sorted (keep, &n, args->stdio[i]);
  for (int i = 0; i < args->n_cgroup_fds; i++)
    insert_sorted (keep, &n, args->cgroup_fds[i]);

  unsigned int from = 3;
  for (int i = 0; i < n; i++)
    {
      if ((unsigned int) keep[i] > from)
        close_range (from, keep[i] - 1, 0);
      from = MAX (from, (unsigned int) keep[i] + 1);
    }
  close_range (from, ~0U, 0);
}

/* Without it the private network namespace would not even have a loopback. */
static gboolean
bring_up_loopback (int report_fd)
{
  int sock = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct ifreq ifr = { 0 };
  g_strlcpy (ifr.ifr_name, "lo", sizeof ifr.ifr_name);
  gboolean ok = sock >= 0 && ioctl (sock, SIOCGIFFLAGS, &ifr) == 0;
  ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
  ok = ok && ioctl (sock, SIOCSIFFLAGS, &ifr) == 0;
  if (!ok)
    jail_report (report_fd, "bring up", "lo", errno);
  if (sock >= 0)
    close (sock);
  return ok;
}

static gboolean
set_up_sandbox (const ProxyArgs *args)
{
  static const char hostname[] = "box";
  if (!jail_build_root (args->spec->root_dir, args->plan, args->report_fd))
    return FALSE;
  if (!args->spec->share_net && !bring_up_loopback (args->report_fd))
    return FALSE;
  if (sethostname (hostname, sizeof hostname - 1) < 0)
    {
      jail_report (args->report_fd, "set", "the host name", errno);
      return FALSE;
    }
  return TRUE;
}

/* As PID 1 the proxy inherits every orphan of the sandbox, and reaps them
 * until the program itself ends. When the proxy exits, the kernel kills
 * whatever is left in the PID namespace. */
static G_NORETURN void
reap_until (pid_t program, int status_fd)
{
  for (;;)
    {
      JailOutcome outcome;
      pid_t pid = wait4 (-1, &outcome.wait_status, __WALL, &outcome.usage);
      if (pid == program)
        {
          G_GNUC_UNUSED ssize_t written = write (status_fd, &outcome, sizeof outcome);
          _exit (0);
        }
      if (pid < 0 && errno != EINTR)
        _exit (PROXY_SETUP_FAILED);
    }
}

static int
proxy_main (void *data)
{
  const ProxyArgs *args = data;

  /* If the daemon dies, so does the sandbox. Caveat: "the parent" is the
   * thread that cloned us, so jail_start() belongs on the main thread. */
  prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  reset_signals ();
  close_other_descriptors (args);
  if (!set_up_sandbox (args))
    _exit (PROXY_SETUP_FAILED);

  /* _Fork, not fork: no atfork handlers, no malloc locks, which another
   * thread of the daemon may have held at the clone(). */
  pid_t program = _Fork ();
  if (program < 0)
    {
      jail_report (args->report_fd, "fork", "the program", errno);
      _exit (PROXY_SETUP_FAILED);
    }
  if (program == 0)
    run_program (args);

  close (args->report_fd); /* the program's copy closes at exec: EOF for the daemon */
  for (int i = 0; i < 3; i++)
    close (args->stdio[i]);
  for (int i = 0; i < args->n_cgroup_fds; i++)
    close (args->cgroup_fds[i]);
  reap_until (program, args->status_fd);
}

/* ---- The daemon's side ---- */

static gboolean
set_errno_error (GError **error, const char *what, const char *path)
{
  int errnum = errno;
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "cannot %s %s: %s", what, path,
               g_strerror (errnum));
  return FALSE;
}

static void
close_if_open (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

static void
proxy_args_init (ProxyArgs *args, const JailSpec *spec)
{
  memset (args, 0, sizeof *args);
  args->spec = spec;
  args->report_fd = args->status_fd = -1;
  for (int i = 0; i < 3; i++)
    args->stdio[i] = -1;
}

static void
proxy_args_clear (ProxyArgs *args)
{
  g_clear_pointer (&args->plan, g_ptr_array_unref);
  g_clear_pointer (&args->filter, syscall_filter_free);
  for (int i = 0; i < 3; i++)
    close_if_open (&args->stdio[i]);
  for (int i = 0; i < args->n_cgroup_fds; i++)
    close_if_open (&args->cgroup_fds[i]);
  close_if_open (&args->report_fd);
  close_if_open (&args->status_fd);
}

static gboolean
check_spec (const JailSpec *spec, GError **error)
{
  const char *problem = NULL;
  if (spec->argv == NULL || spec->argv[0] == NULL || spec->argv[0][0] == '\0')
    problem = "no program to run";
  else if (spec->uid == 0 || spec->gid == 0)
    problem = "a sandbox never runs as root";
  else if (spec->root_dir == NULL || spec->work_dir == NULL)
    problem = "the root and working directories are required";
  else if (spec->cgroup_procs != NULL
           && g_strv_length ((char **) spec->cgroup_procs) > MAX_CGROUP_FILES)
    problem = "too many cgroups to join";
  if (problem != NULL)
    g_set_error_literal (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, problem);
  return problem == NULL;
}

/* Opened here, where the host's /sys is still in view: after the pivot the
 * sandbox cannot see it. */
static gboolean
open_cgroup_files (ProxyArgs *args, GError **error)
{
  for (guint i = 0; args->spec->cgroup_procs != NULL && args->spec->cgroup_procs[i]; i++)
    {
      int fd = open (args->spec->cgroup_procs[i], O_WRONLY | O_CLOEXEC);
      if (fd < 0)
        return set_errno_error (error, "open", args->spec->cgroup_procs[i]);
      args->cgroup_fds[args->n_cgroup_fds++] = fd;
    }
  return TRUE;
}

/* Every descriptor the proxy holds is >= 3, so putting the caller's on 0, 1
 * and 2 can never overwrite one still needed. */
static gboolean
copy_above_stdio (int fd, int *copy, GError **error)
{
  *copy = fcntl (fd, F_DUPFD_CLOEXEC, 3);
  if (*copy < 0)
    return set_errno_error (error, "duplicate", "a descriptor for the sandbox");
  return TRUE;
}

/* A close-on-exec pipe; returns the read end, keeps the write end in *write_fd. */
static gboolean
make_pipe (int *read_fd, int *write_fd, GError **error)
{
  int fds[2];
  if (pipe2 (fds, O_CLOEXEC) < 0)
    return set_errno_error (error, "create", "a pipe");
  gboolean ok
      = copy_above_stdio (fds[0], read_fd, error) && copy_above_stdio (fds[1], write_fd, error);
  close (fds[0]);
  close (fds[1]);
  return ok;
}

static gboolean
prepare_args (ProxyArgs *args, GError **error)
{
  const JailSpec *spec = args->spec;
  args->plan = jail_mounts_plan (spec->work_dir, spec->dir_rules);
  args->filter = syscall_filter_new (error);
  return args->filter != NULL && open_cgroup_files (args, error)
         && copy_above_stdio (spec->stdin_fd, &args->stdio[0], error)
         && copy_above_stdio (spec->stdout_fd, &args->stdio[1], error)
         && copy_above_stdio (spec->stderr_fd, &args->stdio[2], error);
}

static gboolean
clone_proxy (ProxyArgs *args, GPid *pid, GError **error)
{
  int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | SIGCHLD;
  if (!args->spec->share_net)
    flags |= CLONE_NEWNET;
  /* Without CLONE_VM the child runs on its own copy of this stack, so the
   * daemon may free it at once. */
  g_autofree char *stack = g_malloc (PROXY_STACK_SIZE);
  *pid = clone (proxy_main, stack + PROXY_STACK_SIZE, flags, args);
  if (*pid < 0)
    return set_errno_error (error, "start", "the sandbox's proxy");
  return TRUE;
}

/* Whatever failed before the exec, in the proxy's or the program's words;
 * empty once the program runs. */
static char *
read_report (int fd)
{
  g_autoptr (GString) text = g_string_new (NULL);
  char buffer[1024];
  for (;;)
    {
      ssize_t got = read (fd, buffer, sizeof buffer);
      if (got > 0)
        g_string_append_len (text, buffer, got);
      else if (got == 0 || errno != EINTR)
        break;
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
reap (GPid pid)
{
  while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
    ;
}

gboolean
jail_start (const JailSpec *spec, GPid *proxy_pid, int *status_fd, GError **error)
{
  g_return_val_if_fail (spec != NULL && proxy_pid != NULL && status_fd != NULL, FALSE);
  if (!check_spec (spec, error))
    return FALSE;

  ProxyArgs args;
  proxy_args_init (&args, spec);
  int report_read = -1, status_read = -1;
  GPid pid = -1;
  gboolean ok = prepare_args (&args, error) && make_pipe (&report_read, &args.report_fd, error)
                && make_pipe (&status_read, &args.status_fd, error)
                && clone_proxy (&args, &pid, error);
  proxy_args_clear (&args); /* the write ends too: the report pipe ends at the exec */

  g_autofree char *report = ok ? read_report (report_read) : NULL;
  close_if_open (&report_read);
  if (ok && report[0] != '\0')
    {
      g_set_error_literal (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, report);
      reap (pid);
      ok = FALSE;
    }
  if (!ok)
    {
      close_if_open (&status_read);
      return FALSE;
    }
  *proxy_pid = pid;
  *status_fd = status_read;
  return TRUE;
}

gboolean
jail_read_outcome (int status_fd, JailOutcome *outcome, GError **error)
{
  ssize_t got;
  do
    got = read (status_fd, outcome, sizeof *outcome);
  while (got < 0 && errno == EINTR);
  if (got != sizeof *outcome)
    {
      g_set_error_literal (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED,
                           "the sandbox ended without the program's status (killed?)");
      return FALSE;
    }
  return TRUE;
}
