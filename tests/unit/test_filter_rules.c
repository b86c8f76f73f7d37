/* The system call filter's rules, read from the BPF program it exports,
 * run here on made-up calls: every rule with the arguments a program could
 * pass (high bits set included), and the calls the zygote, its proxies and
 * runtimes make. The attack tests make the same calls in a real box
 * (tests/integration/test_attacks.c); test_filter_abis.c, the calls of
 * other ABIs. */
#include "filter_program.h"

#include "sandbox/jail/shared/refuse_clone3.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#define ALLOW SECCOMP_RET_ALLOW
#define ANSWER(error) (SECCOMP_RET_ERRNO | (error))
#define HIGH_BITS (1ULL << 32)

typedef struct
{
  const char *what;
  int nr;
  guint64 args[6];
  guint32 expected;
} Call;

static void
assert_answers (const Call *calls, guint n)
{
  FilterProgram filter = filter_program_export (FALSE);
  for (guint i = 0; i < n; i++)
    {
      struct seccomp_data data = { .nr = calls[i].nr, .arch = AUDIT_ARCH_X86_64 };
      memcpy (data.args, calls[i].args, sizeof data.args);
      guint32 answer = filter_program_run (&filter, &data);
      g_test_message ("%s: the filter answers 0x%x", calls[i].what, answer);
      g_assert_cmphex (answer, ==, calls[i].expected);
    }
  filter_program_free (&filter);
}

/* What the zygote (zygote.c) and its proxies (proxy.c) do under the filter,
 * and what runtimes do to start threads and processes. */
static void
test_sandbox_and_runtimes_pass (void)
{
  const guint64 zygote_clone = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS
                               | CLONE_NEWNET | CLONE_PARENT | SIGCHLD;
  const guint64 thread_clone = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD
                               | CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID
                               | CLONE_CHILD_CLEARTID;
  const Call calls[] = {
    { "clone, as the zygote forks a proxy", SYS_clone, { zygote_clone }, ALLOW },
    { "clone, as a proxy starts the program",
      SYS_clone,
      { CLONE_VM | CLONE_VFORK | SIGCHLD },
      ALLOW },
    { "clone, as glibc's fork",
      SYS_clone,
      { CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD },
      ALLOW },
    { "clone, as glibc and Go start threads", SYS_clone, { thread_clone }, ALLOW },
    { "unshare, as a proxy copies a root template", SYS_unshare, { CLONE_NEWNS }, ALLOW },
    { "setns, as a proxy joins a template", SYS_setns, { 3, CLONE_NEWNS }, ALLOW },
    { "setns, as a proxy joins a network namespace", SYS_setns, { 3, CLONE_NEWNET }, ALLOW },
    { "socket(AF_INET)", SYS_socket, { AF_INET, SOCK_STREAM }, ALLOW },
    { "socket(AF_NETLINK), as getaddrinfo", SYS_socket, { AF_NETLINK, SOCK_RAW }, ALLOW },
    { "fcntl(F_GETLK)", SYS_fcntl, { 3, F_GETLK }, ALLOW },
    { "fcntl(F_SETFD)", SYS_fcntl, { 3, F_SETFD, FD_CLOEXEC }, ALLOW },
    { "ioctl(TCGETS), as isatty", SYS_ioctl, { 1, TCGETS }, ALLOW },
    { "getpid", SYS_getpid, { 0 }, ALLOW },
  };
  assert_answers (calls, G_N_ELEMENTS (calls));
}

static void
test_user_namespaces_refused (void)
{
  const Call calls[] = {
    { "unshare(CLONE_NEWUSER)", SYS_unshare, { CLONE_NEWUSER }, ANSWER (EPERM) },
    { "unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET)",
      SYS_unshare,
      { CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET },
      ANSWER (EPERM) },
    { "unshare(CLONE_NEWUSER), high bits set",
      SYS_unshare,
      { CLONE_NEWUSER | HIGH_BITS },
      ANSWER (EPERM) },
    { "clone(CLONE_NEWUSER)", SYS_clone, { CLONE_NEWUSER | SIGCHLD }, ANSWER (EPERM) },
    { "clone(CLONE_NEWUSER | CLONE_VM), high bits set",
      SYS_clone,
      { CLONE_NEWUSER | CLONE_VM | HIGH_BITS },
      ANSWER (EPERM) },
    { "clone3, any", SYS_clone3, { 0 }, ANSWER (ENOSYS) },
    { "setns(CLONE_NEWUSER)", SYS_setns, { 3, CLONE_NEWUSER }, ANSWER (EPERM) },
    { "setns(0): any type", SYS_setns, { 3, 0 }, ANSWER (EPERM) },
    { "setns(0), high bits set", SYS_setns, { 3, HIGH_BITS }, ANSWER (EPERM) },
    { "setns(pidfd, CLONE_NEWNET | CLONE_NEWUSER)",
      SYS_setns,
      { 3, CLONE_NEWNET | CLONE_NEWUSER },
      ANSWER (EPERM) },
  };
  assert_answers (calls, G_N_ELEMENTS (calls));
}

/* The rest of the deny-list; "high bits set" are the kernel's int
 * arguments with the register's upper half set, which the kernel drops. */
static void
test_deny_list (void)
{
  const Call calls[] = {
    { "keyctl", SYS_keyctl, { 0 }, ANSWER (EPERM) },
    { "add_key", SYS_add_key, { 0 }, ANSWER (EPERM) },
    { "request_key", SYS_request_key, { 0 }, ANSWER (EPERM) },
    { "io_uring_setup", SYS_io_uring_setup, { 1 }, ANSWER (ENOSYS) },
    { "io_uring_enter", SYS_io_uring_enter, { 3 }, ANSWER (ENOSYS) },
    { "io_uring_register", SYS_io_uring_register, { 3 }, ANSWER (ENOSYS) },
    { "bpf", SYS_bpf, { 0 }, ANSWER (EPERM) },
    { "perf_event_open", SYS_perf_event_open, { 0 }, ANSWER (EPERM) },
    { "userfaultfd", SYS_userfaultfd, { 0 }, ANSWER (EPERM) },
    { "syslog", SYS_syslog, { 3 }, ANSWER (EPERM) },
    { "quotactl", SYS_quotactl, { 0 }, ANSWER (EPERM) },
    { "quotactl_fd", SYS_quotactl_fd, { 3 }, ANSWER (EPERM) },
    { "open_by_handle_at", SYS_open_by_handle_at, { 3 }, ANSWER (EPERM) },
    { "socket(AF_VSOCK)", SYS_socket, { AF_VSOCK, SOCK_STREAM }, ANSWER (EAFNOSUPPORT) },
    { "socket(AF_VSOCK), high bits set",
      SYS_socket,
      { AF_VSOCK | HIGH_BITS, SOCK_STREAM },
      ANSWER (EAFNOSUPPORT) },
    { "socketpair(AF_VSOCK)", SYS_socketpair, { AF_VSOCK }, ANSWER (EAFNOSUPPORT) },
    { "socket(AF_ALG)", SYS_socket, { AF_ALG, SOCK_SEQPACKET }, ANSWER (EAFNOSUPPORT) },
    { "socketpair(AF_ALG), high bits set",
      SYS_socketpair,
      { AF_ALG | HIGH_BITS },
      ANSWER (EAFNOSUPPORT) },
    { "ioctl(TIOCSTI)", SYS_ioctl, { 0, TIOCSTI }, ANSWER (EPERM) },
    { "ioctl(TIOCSTI), high bits set", SYS_ioctl, { 0, TIOCSTI | HIGH_BITS }, ANSWER (EPERM) },
    { "flock", SYS_flock, { 3, 2 }, ANSWER (0) },
    { "fcntl(F_SETLK)", SYS_fcntl, { 3, F_SETLK }, ANSWER (0) },
    { "fcntl(F_SETLKW)", SYS_fcntl, { 3, F_SETLKW }, ANSWER (0) },
    { "fcntl(F_OFD_SETLK)", SYS_fcntl, { 3, F_OFD_SETLK }, ANSWER (0) },
    { "fcntl(F_OFD_SETLKW), high bits set",
      SYS_fcntl,
      { 3, F_OFD_SETLKW | HIGH_BITS },
      ANSWER (0) },
    { "fcntl(F_SETLK), high bits set", SYS_fcntl, { 3, F_SETLK | HIGH_BITS }, ANSWER (0) },
    { "fcntl(F_SETLEASE)", SYS_fcntl, { 3, F_SETLEASE }, ANSWER (EPERM) },
    { "fcntl(F_NOTIFY), high bits set", SYS_fcntl, { 3, F_NOTIFY | HIGH_BITS }, ANSWER (EPERM) },
    { "inotify_init", SYS_inotify_init, { 0 }, ANSWER (ENOSYS) },
    { "inotify_init1", SYS_inotify_init1, { 0 }, ANSWER (ENOSYS) },
    { "fanotify_init", SYS_fanotify_init, { 0 }, ANSWER (ENOSYS) },
  };
  assert_answers (calls, G_N_ELEMENTS (calls));
}

/* Where programs are born into their cgroups (cgroup v2), the zygote's
 * filter leaves clone3 open for the proxies, and each program-to-be adds
 * the filter of one rule that refuses it: seccomp answers with the
 * stricter of the two. Everything else is the first filter's to answer. */
static void
test_births_leave_clone3_to_the_program (void)
{
  FilterProgram filter = filter_program_export (TRUE);
  FilterProgram second = { (struct sock_filter *) refuse_clone3.filter, refuse_clone3.len };
  const Call calls[] = {
    { "clone3, as a proxy starts the program", SYS_clone3, { 0 }, ALLOW },
    { "clone(CLONE_NEWUSER)", SYS_clone, { CLONE_NEWUSER }, ANSWER (EPERM) },
    { "unshare(CLONE_NEWUSER)", SYS_unshare, { CLONE_NEWUSER }, ANSWER (EPERM) },
    { "keyctl", SYS_keyctl, { 0 }, ANSWER (EPERM) },
  };
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      struct seccomp_data data = { .nr = calls[i].nr, .arch = AUDIT_ARCH_X86_64 };
      memcpy (data.args, calls[i].args, sizeof data.args);
      g_assert_cmphex (filter_program_run (&filter, &data), ==, calls[i].expected);
      guint32 own = filter_program_run (&second, &data);
      g_test_message ("%s: the program's own filter answers 0x%x", calls[i].what, own);
      g_assert_cmphex (own, ==, calls[i].nr == SYS_clone3 ? ANSWER (ENOSYS) : ALLOW);
    }
  filter_program_free (&filter);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#if defined(__x86_64__)
  g_test_add_func ("/filter-rules/sandbox-and-runtimes-pass", test_sandbox_and_runtimes_pass);
  g_test_add_func ("/filter-rules/user-namespaces-refused", test_user_namespaces_refused);
  g_test_add_func ("/filter-rules/deny-list", test_deny_list);
  g_test_add_func ("/filter-rules/births-leave-clone3-to-the-program",
                   test_births_leave_clone3_to_the_program);
#else
  g_test_message ("the calls here are x86_64's: on this machine only the attack tests check "
                  "the rules");
#endif
  return g_test_run ();
}
