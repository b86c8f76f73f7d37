#include "birth.h"

#include "sandbox/jail/shared/refuse_clone3.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

pid_t
birth_fork (Birth *birth, char *stack, size_t stack_size, int (*body) (void *))
{
  const JailProxyArgs *args = birth->args;
  birth->join_birth_cgroup = false;
  if (args->birth_cgroup_fd >= 0)
    {
      struct clone_args clone_args = {
        .flags = CLONE_VFORK | CLONE_INTO_CGROUP,
        .exit_signal = SIGCHLD,
        .cgroup = (uint64_t) args->birth_cgroup_fd,
      };
      pid_t pid = (pid_t) syscall (SYS_clone3, &clone_args, sizeof clone_args);
      if (pid == 0)
        _exit (body (birth));
      /* ENOSYS before 5.3; E2BIG or EINVAL (no CLONE_INTO_CGROUP) before 5.7. */
      if (pid > 0 || (errno != ENOSYS && errno != E2BIG && errno != EINVAL))
        return pid;
      birth->join_birth_cgroup = true;
    }
  return clone (body, stack + stack_size, CLONE_VM | CLONE_VFORK | SIGCHLD, birth);
}

int
birth_settle (const Birth *birth, const char **what, const char **object)
{
  const JailProxyArgs *args = birth->args;
  /* As root, with CAP_SYS_ADMIN: no no_new_privs needed, as for the zygote's. */
  if (args->refuse_clone3 && prctl (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &refuse_clone3, 0, 0) < 0)
    {
      *what = "install";
      *object = "the filter that refuses clone3";
      return errno;
    }
  if (!birth->join_birth_cgroup)
    return 0;
  /* "0" is the writing process itself, whatever PID namespace it sees. */
  int procs = openat (args->birth_cgroup_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
  int error = procs >= 0 && write (procs, "0\n", 2) == 2 ? 0 : errno;
  if (procs >= 0)
    close (procs);
  *what = "join cgroup";
  *object = args->birth_cgroup;
  return error;
}
