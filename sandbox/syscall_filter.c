#include "syscall_filter.h"

#include "sandbox_error.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

struct _SyscallFilter
{
  struct sock_fprog program;
};

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

/* libseccomp writes BPF only to a descriptor: a memfd, read back whole. */
static gboolean
export_program (scmp_filter_ctx ctx, struct sock_fprog *program)
{
  int fd = memfd_create ("seccomp", MFD_CLOEXEC);
  if (fd < 0)
    return FALSE;
  gboolean ok = FALSE;
  off_t size;
  if (seccomp_export_bpf (ctx, fd) == 0 && (size = lseek (fd, 0, SEEK_CUR)) > 0
      && size % sizeof (struct sock_filter) == 0)
    {
      struct sock_filter *code = g_malloc (size);
      if (pread (fd, code, size, 0) == size)
        {
          program->filter = code;
          program->len = size / sizeof (struct sock_filter);
          ok = TRUE;
        }
      else
        g_free (code);
    }
  close (fd);
  return ok;
}

SyscallFilter *
syscall_filter_new (GError **error)
{
  g_auto (scmp_filter_ctx) ctx = seccomp_init (SCMP_ACT_ALLOW);
  g_autoptr (SyscallFilter) filter = g_new0 (SyscallFilter, 1);
  /* The daemon sets no_new_privs itself, before installing. */
  if (ctx == NULL || seccomp_attr_set (ctx, SCMP_FLTATR_CTL_NNP, 0) != 0 || add_rules (ctx) != 0
      || !export_program (ctx, &filter->program))
    {
      g_set_error_literal (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED,
                           "cannot build the system call filter");
      return NULL;
    }
  return g_steal_pointer (&filter);
}

void
syscall_filter_free (SyscallFilter *filter)
{
  if (filter == NULL)
    return;
  g_free (filter->program.filter);
  g_free (filter);
}

gboolean
syscall_filter_install (const SyscallFilter *filter)
{
  return prctl (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter->program, 0, 0) == 0;
}
