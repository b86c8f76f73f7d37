/* The system calls a hostile program would make, run inside a box by the
 * attack tests (test_attacks.c): one row per line of the table in
 * docs/security.md#system-calls. Each row runs in a child of its own, so
 * that a call that should have failed and did not changes nothing for the
 * next, and prints one line:
 *
 *   ok   NAME: ANSWER        the call answered as the policy says
 *   FAIL NAME: ANSWER        it did not
 *
 * ANSWER is 0 for success, an errno name, "ESCAPED" when a check found the
 * call's effect (a lock taken, page zero mapped), or the signal that
 * killed the row. With no argument every row runs, then "done"; with
 * names, only those rows. It refuses to run as root. */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/fanotify.h>
#include <linux/io_uring.h>
#include <linux/kcmp.h>
#include <linux/keyctl.h>
#include <linux/mount.h>
#include <linux/perf_event.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/quota.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A row's outcome when a check found the effect of a call that claimed
 * to do nothing, or to fail. */
#define ESCAPED 255

/* The register's upper half, which the kernel drops from an int argument. */
#define HIGH_BITS (1ULL << 32)

/* Where the setns test binds a user namespace made outside the box. */
#define FOREIGN_USERNS "/userns/user"

typedef enum
{
  WANT_ERRNO,        /* exactly this errno */
  WANT_NO_PRIVILEGE, /* EPERM; or ENOSYS, from a kernel built without the call */
  WANT_REFUSED,      /* any errno: the kernel's own answer varies between versions */
  WANT_SUCCESS,
} Want;

typedef struct
{
  const char *name;
  Want want;
  int error;           /* for WANT_ERRNO */
  int (*check) (void); /* NULL: the system call below */
  long nr;
  uint64_t args[6];
  int on_request; /* only when named: it needs something the test sets up */
} Row;

/* What the rows share, made before they run. */
static struct
{
  int tmp_fd;
  int file_fd;
  int own_userns_fd;
  int own_mntns_fd;
  int pidfd_of_1;
  char buffer[64];
  struct iovec local;
  struct iovec remote;
  struct timex tick; /* the clock's tick as it is: set, it would change nothing */
  struct perf_event_attr perf;
  union bpf_attr bpf;
  struct io_uring_params uring;
  struct clone_args clone3_user;
  struct mount_attr read_only;
  struct
  {
    struct file_handle head;
    unsigned char bytes[MAX_HANDLE_SZ];
  } handle;
} shared;

static int
outcome (long ret)
{
  return ret < 0 ? errno : 0;
}

static int
call_row (const Row *row)
{
  const uint64_t *a = row->args;
  return outcome (syscall (row->nr, a[0], a[1], a[2], a[3], a[4], a[5]));
}

/* A raw clone: a child that gets through exits at once. */
static int
check_clone_user (void)
{
  long pid = syscall (SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
  if (pid == 0)
    _exit (0);
  return outcome (pid);
}

static int
check_clone3_user (void)
{
  long pid = syscall (SYS_clone3, &shared.clone3_user, sizeof shared.clone3_user);
  if (pid == 0)
    _exit (0);
  return outcome (pid);
}

/* A user namespace owned by the box's uid, made outside and bound in by
 * the test: without the filter the kernel lets its owner in. */
static int
check_setns_foreign (int type)
{
  int fd = open (FOREIGN_USERNS, O_RDONLY | O_CLOEXEC);
  return fd < 0 ? errno : outcome (setns (fd, type));
}

static int
check_setns_foreign_user (void)
{
  return check_setns_foreign (CLONE_NEWUSER);
}

static int
check_setns_foreign_any (void)
{
  return check_setns_foreign (0);
}

/* Is a lock of this file listed in /proc/locks? */
static int
lock_listed (int fd)
{
  struct stat st;
  char needle[64], line[256];
  FILE *locks = fopen ("/proc/locks", "re");
  if (fstat (fd, &st) < 0 || locks == NULL)
    return 1;
  snprintf (needle, sizeof needle, ":%llu ", (unsigned long long) st.st_ino);
  int listed = 0;
  while (!listed && fgets (line, sizeof line, locks) != NULL)
    listed = strstr (line, needle) != NULL;
  fclose (locks);
  return listed;
}

/* Every lock command on a file every box shares, the high bits set or not:
 * each answers success, and no lock is taken. */
static int
check_shared_locks (void)
{
  static const int commands[] = { F_SETLK, F_SETLKW, F_OFD_SETLK, F_OFD_SETLKW };
  int fd = open ("/bin/sh", O_RDONLY | O_CLOEXEC);
  struct flock lock = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
  if (fd < 0)
    return errno;
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    for (int high = 0; high < 2; high++)
      {
        if (syscall (SYS_fcntl, fd, commands[i] | (high ? HIGH_BITS : 0), &lock) < 0)
          return errno;
        if (lock_listed (fd))
          return ESCAPED;
      }
  if (flock (fd, LOCK_SH) < 0)
    return errno;
  return lock_listed (fd) ? ESCAPED : 0;
}

static int
check_socket_with_high_bits (int family)
{
  return outcome (syscall (SYS_socket, family | HIGH_BITS, SOCK_SEQPACKET, 0));
}

static int
check_vsock_high_bits (void)
{
  return check_socket_with_high_bits (AF_VSOCK);
}

static int
check_alg_high_bits (void)
{
  return check_socket_with_high_bits (AF_ALG);
}

/* With MMAP_PAGE_ZERO a program is started with page zero mapped, the
 * old way of turning a kernel NULL dereference into code: the probe runs
 * itself so and looks. */
static int
check_personality_page_zero (void)
{
  if (personality (PER_LINUX | MMAP_PAGE_ZERO | READ_IMPLIES_EXEC | ADDR_NO_RANDOMIZE) < 0)
    return errno;
  execl ("/proc/self/exe", "syscall-probe", "--page-zero", (char *) NULL);
  return errno;
}

/* Run as the check above starts it: 0 unless page zero is mapped. */
static int
page_zero_mapped (void)
{
  char line[256];
  FILE *maps = fopen ("/proc/self/maps", "re");
  if (maps == NULL || !(personality (0xffffffff) & MMAP_PAGE_ZERO))
    return EINVAL; /* not what the row asked for: it must not pass */
  int mapped = fgets (line, sizeof line, maps) != NULL && strncmp (line, "00000000-", 9) == 0;
  fclose (maps);
  return mapped ? ESCAPED : 0;
}

/* The box's processes may read each other's memory (they are one uid's),
 * as a debugger would: a child of the row's own. */
static int
check_read_own_child (void)
{
  static char secret[] = "own";
  char got[sizeof secret] = "";
  pid_t child = fork ();
  if (child == 0)
    {
      pause ();
      _exit (0);
    }
  struct iovec local = { got, sizeof got }, remote = { secret, sizeof secret };
  long n = syscall (SYS_process_vm_readv, child, &local, 1, &remote, 1, 0);
  int result = n < 0 ? errno : strcmp (got, secret) == 0 ? 0 : EIO;
  kill (child, SIGKILL);
  waitpid (child, NULL, 0);
  return result;
}

/* The clock set to what it reads: with the capability, a step of a few
 * microseconds at most. */
static int
check_clock_settime (void)
{
  struct timespec now;
  clock_gettime (CLOCK_REALTIME, &now);
  return outcome (clock_settime (CLOCK_REALTIME, &now));
}

static int
row_named (const Row *row, char **names, int n_names)
{
  if (n_names == 0)
    return !row->on_request;
  for (int i = 0; i < n_names; i++)
    if (strcmp (names[i], row->name) == 0)
      return 1;
  return 0;
}

static void
describe (int status, char *text, size_t size)
{
  if (WIFSIGNALED (status))
    snprintf (text, size, "killed by SIG%s", sigabbrev_np (WTERMSIG (status)));
  else if (WEXITSTATUS (status) == ESCAPED)
    snprintf (text, size, "ESCAPED");
  else if (WEXITSTATUS (status) == 0)
    snprintf (text, size, "0");
  else
    snprintf (text, size, "%s", strerrorname_np (WEXITSTATUS (status)));
}

static int
as_wanted (const Row *row, int status)
{
  if (WIFSIGNALED (status))
    return 0;
  int answer = WEXITSTATUS (status);
  switch (row->want)
    {
    case WANT_ERRNO:
      return answer == row->error;
    case WANT_NO_PRIVILEGE:
      return answer == EPERM || answer == ENOSYS;
    case WANT_REFUSED:
      return answer != 0 && answer != ESCAPED;
    case WANT_SUCCESS:
      return answer == 0;
    default:
      return 0;
    }
}

static void
run_rows (const Row *rows, size_t n_rows, char **names, int n_names, int *failures)
{
  for (size_t i = 0; i < n_rows; i++)
    {
      const Row *row = &rows[i];
      if (!row_named (row, names, n_names))
        continue;
      fflush (stdout);
      pid_t child = fork ();
      if (child == 0)
        _exit (row->check != NULL ? row->check () : call_row (row));
      int status = 0;
      if (child < 0 || waitpid (child, &status, 0) != child)
        status = ESCAPED << 8; /* cannot tell: must not pass */
      char text[64];
      describe (status, text, sizeof text);
      int ok = as_wanted (row, status);
      *failures += !ok;
      printf ("%s %s: %s\n", ok ? "ok  " : "FAIL", row->name, text);
    }
}

#define CALL(n, ...) .nr = (n), .args = { __VA_ARGS__ }
#define U(value) ((uint64_t) (uintptr_t) (value))

int
main (int argc, char **argv)
{
  if (argc == 2 && strcmp (argv[1], "--page-zero") == 0)
    return page_zero_mapped ();
  /* With root's capabilities, rows would change the machine (its host
   * name, its clock): the probe is for boxes only. */
  if (geteuid () == 0)
    {
      fprintf (stderr, "syscall-probe: not as root: run it in a box\n");
      return 2;
    }

  mkdir ("/tmp/x", 0700);
  shared.tmp_fd = open ("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  shared.own_userns_fd = open ("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
  shared.own_mntns_fd = open ("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
  shared.file_fd = open ("/tmp/x/file", O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
  shared.pidfd_of_1 = syscall (SYS_pidfd_open, 1, 0);
  shared.local = (struct iovec){ shared.buffer, sizeof shared.buffer };
  shared.remote = (struct iovec){ (void *) 0x400000, sizeof shared.buffer };
  adjtimex (&shared.tick);
  shared.tick.modes = ADJ_TICK;
  shared.perf = (struct perf_event_attr){ .type = PERF_TYPE_SOFTWARE,
                                          .size = sizeof shared.perf,
                                          .config = PERF_COUNT_SW_CPU_CLOCK,
                                          .exclude_kernel = 1 };
  shared.bpf.map_type = BPF_MAP_TYPE_ARRAY;
  shared.bpf.key_size = 4;
  shared.bpf.value_size = 4;
  shared.bpf.max_entries = 1;
  shared.clone3_user = (struct clone_args){ .flags = CLONE_NEWUSER, .exit_signal = SIGCHLD };
  shared.read_only.attr_set = MOUNT_ATTR_RDONLY;
  shared.handle.head.handle_bytes = MAX_HANDLE_SZ;
  int mount_id;
  if (name_to_handle_at (AT_FDCWD, "/etc/passwd", &shared.handle.head, &mount_id, 0) < 0)
    shared.handle.head.handle_bytes = 8; /* made up: the call is refused before it is read */

  const char *const box_dir = "/box";
  const Row rows[] = {
    /* New user namespaces */
    { "unshare-user", WANT_ERRNO, EPERM, CALL (SYS_unshare, CLONE_NEWUSER) },
    { "unshare-user-high-bits", WANT_ERRNO, EPERM,
      CALL (SYS_unshare, CLONE_NEWUSER | CLONE_NEWNS | HIGH_BITS) },
    { "clone-user", WANT_ERRNO, EPERM, .check = check_clone_user },
    { "clone3-user", WANT_ERRNO, ENOSYS, .check = check_clone3_user },
    { "setns-own-userns-any-type", WANT_ERRNO, EPERM,
      CALL (SYS_setns, U (shared.own_userns_fd), 0) },
    { "setns-foreign-userns", WANT_ERRNO, EPERM, .check = check_setns_foreign_user,
      .on_request = 1 },
    { "setns-foreign-userns-any-type", WANT_ERRNO, EPERM, .check = check_setns_foreign_any,
      .on_request = 1 },
    /* Refused by the filter */
    { "keyctl", WANT_ERRNO, EPERM,
      CALL (SYS_keyctl, KEYCTL_GET_KEYRING_ID, U (KEY_SPEC_SESSION_KEYRING), 1) },
    { "add_key", WANT_ERRNO, EPERM,
      CALL (SYS_add_key, U ("user"), U ("k"), U ("v"), 1, U (KEY_SPEC_SESSION_KEYRING)) },
    { "request_key", WANT_ERRNO, EPERM, CALL (SYS_request_key, U ("user"), U ("k"), 0, 0) },
    { "io_uring_setup", WANT_ERRNO, ENOSYS, CALL (SYS_io_uring_setup, 1, U (&shared.uring)) },
    { "bpf", WANT_ERRNO, EPERM,
      CALL (SYS_bpf, BPF_MAP_CREATE, U (&shared.bpf), sizeof shared.bpf) },
    { "perf_event_open", WANT_ERRNO, EPERM,
      CALL (SYS_perf_event_open, U (&shared.perf), 0, U (-1), U (-1), 0) },
    { "userfaultfd", WANT_ERRNO, EPERM, CALL (SYS_userfaultfd, 1 /* UFFD_USER_MODE_ONLY */) },
    { "socket-af-alg", WANT_ERRNO, EAFNOSUPPORT, CALL (SYS_socket, AF_ALG, SOCK_SEQPACKET, 0) },
    { "socket-af-alg-high-bits", WANT_ERRNO, EAFNOSUPPORT, .check = check_alg_high_bits },
    { "socket-af-vsock", WANT_ERRNO, EAFNOSUPPORT, CALL (SYS_socket, AF_VSOCK, SOCK_STREAM, 0) },
    { "socket-af-vsock-high-bits", WANT_ERRNO, EAFNOSUPPORT, .check = check_vsock_high_bits },
    { "syslog", WANT_ERRNO, EPERM, CALL (SYS_syslog, 10 /* SYSLOG_ACTION_SIZE_BUFFER */) },
    { "quotactl-sync-all", WANT_ERRNO, EPERM, CALL (SYS_quotactl, QCMD (Q_SYNC, USRQUOTA)) },
    { "quotactl_fd", WANT_ERRNO, EPERM,
      CALL (SYS_quotactl_fd, U (shared.tmp_fd), QCMD (Q_GETFMT, USRQUOTA), 0, U (shared.buffer)) },
    { "open_by_handle_at", WANT_ERRNO, EPERM,
      CALL (SYS_open_by_handle_at, U (shared.tmp_fd), U (&shared.handle), O_RDONLY) },
    { "ioctl-tiocsti", WANT_ERRNO, EPERM, CALL (SYS_ioctl, 0, TIOCSTI, U ("x")) },
    { "ioctl-tiocsti-high-bits", WANT_ERRNO, EPERM,
      CALL (SYS_ioctl, 0, TIOCSTI | HIGH_BITS, U ("x")) },
    { "locks-on-shared-file", WANT_SUCCESS, .check = check_shared_locks },
    { "fcntl-setlease", WANT_ERRNO, EPERM,
      CALL (SYS_fcntl, U (shared.file_fd), F_SETLEASE, F_RDLCK) },
    { "fcntl-notify", WANT_ERRNO, EPERM, CALL (SYS_fcntl, U (shared.tmp_fd), F_NOTIFY, 1) },
    { "inotify_init1", WANT_ERRNO, ENOSYS, CALL (SYS_inotify_init1, 0) },
    { "inotify_init", WANT_ERRNO, ENOSYS, CALL (SYS_inotify_init) },
    { "fanotify_init", WANT_ERRNO, ENOSYS,
      CALL (SYS_fanotify_init, FAN_CLASS_NOTIF | FAN_REPORT_FID, O_RDONLY) },
    /* Refused by the kernel: a capability the program never has. The
     * arguments make each fail harmlessly even with it. */
    { "mount", WANT_NO_PRIVILEGE,
      CALL (SYS_mount, U ("none"), U ("/tmp/x"), U ("no-such-type"), 0, 0) },
    { "umount2", WANT_NO_PRIVILEGE, CALL (SYS_umount2, U ("/tmp/x"), 0) },
    { "pivot_root", WANT_NO_PRIVILEGE, CALL (SYS_pivot_root, U ("/tmp/x"), U ("/tmp/x")) },
    { "chroot", WANT_NO_PRIVILEGE, CALL (SYS_chroot, U ("/tmp/x")) },
    { "unshare-other-namespaces", WANT_NO_PRIVILEGE,
      CALL (SYS_unshare, CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWPID
                             | CLONE_NEWCGROUP) },
    { "setns-mount-namespace", WANT_NO_PRIVILEGE,
      CALL (SYS_setns, U (shared.own_mntns_fd), CLONE_NEWNS) },
    { "fsopen", WANT_NO_PRIVILEGE, CALL (SYS_fsopen, U ("tmpfs"), 0) },
    { "fspick", WANT_NO_PRIVILEGE, CALL (SYS_fspick, U (AT_FDCWD), U ("/tmp"), 0) },
    { "fsmount", WANT_NO_PRIVILEGE, CALL (SYS_fsmount, U (-1), 0, 0) },
    { "move_mount", WANT_NO_PRIVILEGE,
      CALL (SYS_move_mount, U (AT_FDCWD), U ("/tmp/x"), U (AT_FDCWD), U ("/tmp/x"), 0) },
    { "open_tree-clone", WANT_NO_PRIVILEGE,
      CALL (SYS_open_tree, U (AT_FDCWD), U (box_dir), OPEN_TREE_CLONE) },
    { "mount_setattr", WANT_NO_PRIVILEGE,
      CALL (SYS_mount_setattr, U (AT_FDCWD), U (box_dir), 0, U (&shared.read_only),
            sizeof shared.read_only) },
    { "swapon", WANT_NO_PRIVILEGE, CALL (SYS_swapon, U ("/tmp/x"), 0) },
    { "swapoff", WANT_NO_PRIVILEGE, CALL (SYS_swapoff, U ("/tmp/x")) },
    { "reboot", WANT_NO_PRIVILEGE, CALL (SYS_reboot, 0, 0, 0, 0) },
    { "kexec_load", WANT_NO_PRIVILEGE, CALL (SYS_kexec_load, 0, 1000, 0, 0) },
    { "kexec_file_load", WANT_NO_PRIVILEGE,
      CALL (SYS_kexec_file_load, U (-1), U (-1), 0, 0, U (-1)) },
    { "init_module", WANT_NO_PRIVILEGE, CALL (SYS_init_module, 0, 0, U ("")) },
    { "finit_module", WANT_NO_PRIVILEGE, CALL (SYS_finit_module, U (-1), U (""), 0) },
    { "delete_module", WANT_NO_PRIVILEGE, CALL (SYS_delete_module, U ("no_such_module"), 0) },
    { "iopl", WANT_NO_PRIVILEGE, CALL (SYS_iopl, 3) },
    { "ioperm", WANT_NO_PRIVILEGE, CALL (SYS_ioperm, 0x80, 1, 1) },
    { "settimeofday", WANT_NO_PRIVILEGE, CALL (SYS_settimeofday, 0, 0) },
    { "clock_settime", WANT_NO_PRIVILEGE, .check = check_clock_settime },
    { "clock_adjtime-set", WANT_NO_PRIVILEGE,
      CALL (SYS_clock_adjtime, CLOCK_REALTIME, U (&shared.tick)) },
    { "acct", WANT_NO_PRIVILEGE, CALL (SYS_acct, 0) },
    { "vhangup", WANT_NO_PRIVILEGE, CALL (SYS_vhangup) },
    { "sethostname", WANT_NO_PRIVILEGE, CALL (SYS_sethostname, U ("box"), 3) },
    { "setdomainname", WANT_NO_PRIVILEGE, CALL (SYS_setdomainname, U ("box"), 3) },
    { "lookup_dcookie", WANT_NO_PRIVILEGE, CALL (SYS_lookup_dcookie, 0, U (shared.buffer), 64) },
    /* Gone from the kernel (ENOSYS) or never there */
    { "_sysctl", WANT_REFUSED, CALL (SYS__sysctl, 0) },
    { "uselib", WANT_REFUSED, CALL (SYS_uselib, U ("/tmp/x/file")) },
    { "create_module", WANT_REFUSED, CALL (SYS_create_module, 0) },
    { "get_kernel_syms", WANT_REFUSED, CALL (SYS_get_kernel_syms, 0) },
    { "query_module", WANT_REFUSED, CALL (SYS_query_module, 0) },
    { "nfsservctl", WANT_REFUSED, CALL (SYS_nfsservctl, 0) },
    { "getpmsg", WANT_REFUSED, CALL (SYS_getpmsg, 0) },
    { "putpmsg", WANT_REFUSED, CALL (SYS_putpmsg, 0) },
    { "afs_syscall", WANT_REFUSED, CALL (SYS_afs_syscall, 0) },
    { "tuxcall", WANT_REFUSED, CALL (SYS_tuxcall, 0) },
    { "security", WANT_REFUSED, CALL (SYS_security, 0) },
    { "vserver", WANT_REFUSED, CALL (SYS_vserver, 0) },
    /* Allowed: they reach only the box's own processes, which are its
     * uid's; PID 1 is the proxy, root's, and nothing else is in sight. */
    { "ptrace-pid-1", WANT_ERRNO, EPERM, CALL (SYS_ptrace, PTRACE_ATTACH, 1, 0, 0) },
    { "process_vm_readv-pid-1", WANT_ERRNO, EPERM,
      CALL (SYS_process_vm_readv, 1, U (&shared.local), 1, U (&shared.remote), 1, 0) },
    { "process_vm_writev-pid-1", WANT_ERRNO, EPERM,
      CALL (SYS_process_vm_writev, 1, U (&shared.local), 1, U (&shared.remote), 1, 0) },
    { "process_vm_readv-own-child", WANT_SUCCESS, .check = check_read_own_child },
    { "kcmp-pid-1", WANT_NO_PRIVILEGE, CALL (SYS_kcmp, 1, U (getpid ()), KCMP_VM, 0, 0) },
    { "pidfd_getfd-pid-1", WANT_ERRNO, EPERM, CALL (SYS_pidfd_getfd, U (shared.pidfd_of_1), 0, 0) },
    { "process_madvise-pid-1", WANT_REFUSED,
      CALL (SYS_process_madvise, U (shared.pidfd_of_1), U (&shared.local), 1, MADV_COLD, 0) },
    { "migrate_pages-pid-1", WANT_NO_PRIVILEGE,
      CALL (SYS_migrate_pages, 1, 64, U (shared.buffer), U (shared.buffer)) },
    { "move_pages-pid-1", WANT_NO_PRIVILEGE,
      CALL (SYS_move_pages, 1, 1, U (&shared.remote.iov_base), 0, U (shared.buffer), 0) },
    { "personality-page-zero", WANT_SUCCESS, .check = check_personality_page_zero },
  };
  int failures = 0;
  run_rows (rows, sizeof rows / sizeof rows[0], argv + 1, argc - 1, &failures);
  if (argc == 1)
    printf ("done\n");
  return failures == 0 ? 0 : 1;
}
