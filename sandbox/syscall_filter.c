#include "syscall_filter.h"

#include "sandbox_error.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (scmp_filter_ctx, seccomp_release, NULL)

/* Every lock command of fcntl, answered 0 without locking. */
static const int lock_commands[] = { F_SETLK, F_SETLKW, F_OFD_SETLK, F_OFD_SETLKW };

static int
add_rules (scmp_filter_ctx ctx)
{
  int ret = 0;
  ret |= seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EPERM), SCMP_SYS (keyctl), 0);
  ret |= seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EPERM), SCMP_SYS (add_key), 0);
  ret |= seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EPERM), SCMP_SYS (request_key), 0);
  ret |= seccomp_rule_add (ctx, SCMP_ACT_ERRNO (ENOSYS), SCMP_SYS (io_uring_setup), 0);
  ret |= seccomp_rule_add (ctx, SCMP_ACT_ERRNO (ENOSYS), SCMP_SYS (io_uring_enter), 0);
  ret |= seccomp_rule_add (ctx, SCMP_ACT_ERRNO (ENOSYS), SCMP_SYS (io_uring_register), 0);
  ret |= seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EAFNOSUPPORT), SCMP_SYS (socket), 1,
                           SCMP_A0 (SCMP_CMP_EQ, AF_VSOCK));
  ret |= seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EAFNOSUPPORT), SCMP_SYS (socketpair), 1,
                           SCMP_A0 (SCMP_CMP_EQ, AF_VSOCK));
  ret |= seccomp_rule_add (ctx, SCMP_ACT_ERRNO (0), SCMP_SYS (flock), 0);
  for (guint i = 0; i < G_N_ELEMENTS (lock_commands); i++)
    ret |= seccomp_rule_add (ctx, SCMP_ACT_ERRNO (0), SCMP_SYS (fcntl), 1,
                             SCMP_A1 (SCMP_CMP_EQ, lock_commands[i]));
  return ret;
}

int
syscall_filter_export (GError **error)
{
  g_auto (scmp_filter_ctx) ctx = seccomp_init (SCMP_ACT_ALLOW);
  int fd = memfd_create ("seccomp", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  /* The program-to-be installs it as root, before it sets no_new_privs. */
  if (ctx == NULL || fd < 0 || seccomp_attr_set (ctx, SCMP_FLTATR_CTL_NNP, 0) != 0
      || add_rules (ctx) != 0 || seccomp_export_bpf (ctx, fd) != 0
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
