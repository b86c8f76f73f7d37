#include "syscall_filter.h"

#include "sandbox/sandbox_error.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (scmp_filter_ctx, seccomp_release, NULL)

/* Which calls a rule takes, by one argument. */
typedef enum
{
  CALL_ANY,     /* every call */
  ARG_IS,       /* the argument's low 32 bits are value */
  ARG_HAS_BITS, /* the argument has every bit of value set */
} RuleMatch;

typedef struct
{
  int syscall;
  int answer; /* the errno returned; 0 returns success, and nothing is done */
  RuleMatch match;
  unsigned int arg;
  scmp_datum_t value;
} FilterRule;

/* Why each is refused, and how it is tested: docs/security.md#system-calls. */
static const FilterRule rules[] = {
  /* A new user namespace, by every path: its owner would be root over
   * fresh mount, network and other namespaces. clone3 passes its flags in
   * memory, out of seccomp's sight: it is refused whole, as a kernel
   * without it would be, and glibc falls back to clone. setns into type 0
   * may enter a namespace of any type. */
  { SCMP_SYS (unshare), EPERM, ARG_HAS_BITS, 0, CLONE_NEWUSER },
  { SCMP_SYS (clone), EPERM, ARG_HAS_BITS, 0, CLONE_NEWUSER },
  { SCMP_SYS (clone3), ENOSYS, CALL_ANY },
  { SCMP_SYS (setns), EPERM, ARG_HAS_BITS, 1, CLONE_NEWUSER },
  { SCMP_SYS (setns), EPERM, ARG_IS, 1, 0 },
  /* Kernel keyrings belong to the uid, so to the box's next run. */
  { SCMP_SYS (keyctl), EPERM, CALL_ANY },
  { SCMP_SYS (add_key), EPERM, CALL_ANY },
  { SCMP_SYS (request_key), EPERM, CALL_ANY },
  /* Kernel surfaces no judged program needs, behind many escalations. */
  { SCMP_SYS (io_uring_setup), ENOSYS, CALL_ANY },
  { SCMP_SYS (io_uring_enter), ENOSYS, CALL_ANY },
  { SCMP_SYS (io_uring_register), ENOSYS, CALL_ANY },
  { SCMP_SYS (bpf), EPERM, CALL_ANY },
  { SCMP_SYS (perf_event_open), EPERM, CALL_ANY },
  { SCMP_SYS (userfaultfd), EPERM, CALL_ANY },
  { SCMP_SYS (socket), EAFNOSUPPORT, ARG_IS, 0, AF_ALG },
  { SCMP_SYS (socketpair), EAFNOSUPPORT, ARG_IS, 0, AF_ALG },
  /* Past the box: vsock reaches the host, the log and quotas are the
   * host's, a handle opens any file of a file system. */
  { SCMP_SYS (socket), EAFNOSUPPORT, ARG_IS, 0, AF_VSOCK },
  { SCMP_SYS (socketpair), EAFNOSUPPORT, ARG_IS, 0, AF_VSOCK },
  { SCMP_SYS (syslog), EPERM, CALL_ANY },
  { SCMP_SYS (quotactl), EPERM, CALL_ANY },
  { SCMP_SYS (quotactl_fd), EPERM, CALL_ANY },
  { SCMP_SYS (open_by_handle_at), EPERM, CALL_ANY },
  { SCMP_SYS (ioctl), EPERM, ARG_IS, 1, TIOCSTI },
  /* Channels through files boxes share read-only with each other and the
   * host (/usr, /etc): locks, which are answered with success and not
   * taken; leases and watches, which see who opens what. */
  { SCMP_SYS (flock), 0, CALL_ANY },
  { SCMP_SYS (fcntl), 0, ARG_IS, 1, F_SETLK },
  { SCMP_SYS (fcntl), 0, ARG_IS, 1, F_SETLKW },
  { SCMP_SYS (fcntl), 0, ARG_IS, 1, F_OFD_SETLK },
  { SCMP_SYS (fcntl), 0, ARG_IS, 1, F_OFD_SETLKW },
  { SCMP_SYS (fcntl), EPERM, ARG_IS, 1, F_SETLEASE },
  { SCMP_SYS (fcntl), EPERM, ARG_IS, 1, F_NOTIFY },
  { SCMP_SYS (inotify_init), ENOSYS, CALL_ANY },
  { SCMP_SYS (inotify_init1), ENOSYS, CALL_ANY },
  { SCMP_SYS (fanotify_init), ENOSYS, CALL_ANY },
};

static int
add_rule (scmp_filter_ctx ctx, const FilterRule *rule)
{
  /* The kernel reads an int argument from the low 32 bits of its register:
   * comparing all 64 would let a caller that sets the high ones pass. */
  struct scmp_arg_cmp compare
      = rule->match == ARG_IS ? SCMP_CMP (rule->arg, SCMP_CMP_MASKED_EQ, 0xffffffff, rule->value)
                              : SCMP_CMP (rule->arg, SCMP_CMP_MASKED_EQ, rule->value, rule->value);
  return seccomp_rule_add_array (ctx, SCMP_ACT_ERRNO (rule->answer), rule->syscall,
                                 rule->match == CALL_ANY ? 0 : 1, &compare);
}

static gboolean
add_rules (scmp_filter_ctx ctx, gboolean leave_clone3)
{
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    if (!(leave_clone3 && rules[i].syscall == SCMP_SYS (clone3)) && add_rule (ctx, &rules[i]) != 0)
      return FALSE;
  return TRUE;
}

int
syscall_filter_export (gboolean leave_clone3, GError **error)
{
  g_auto (scmp_filter_ctx) ctx = seccomp_init (SCMP_ACT_ALLOW);
  int fd = memfd_create ("seccomp", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  /* The zygote installs it as root, without no_new_privs (zygote.c). A
   * call of another ABI (32-bit, x32) ends the whole program, not only its
   * calling thread. The kernel runs the filter only for the calls it
   * names (it caches the others as allowed); a binary tree of them, not a
   * chain, halves the instructions each of those runs (fcntl: 40 to 20). */
  if (ctx == NULL || fd < 0 || seccomp_attr_set (ctx, SCMP_FLTATR_CTL_NNP, 0) != 0
      || seccomp_attr_set (ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) != 0
      || seccomp_attr_set (ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) != 0 || !add_rules (ctx, leave_clone3)
      || seccomp_export_bpf (ctx, fd) != 0
      || fcntl (fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
    {
      if (fd >= 0)
        close (fd);
      g_set_error_literal (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED,
                           "cannot build the system call filter");
      return -1;
    }
  return fd;
}
