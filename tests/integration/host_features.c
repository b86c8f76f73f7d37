#include "host_features.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__)
/* getpid through the 32-bit table, where it is number 20. */
static long
ia32_getpid (void)
{
  long result = 20;
  __asm__ volatile("int $0x80" : "+a"(result) : : "memory");
  return result;
}

#define X32_SYSCALL_BIT 0x40000000
#endif

/* Runs probe in a child: TRUE if it exited 0, else FALSE and how it ended. */
static gboolean
probe_in_child (gboolean (*probe) (void), char **outcome)
{
  pid_t child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      /* Dying of the probe is an answer, not a crash to report or dump. */
      signal (SIGSEGV, SIG_DFL);
      _exit (probe () ? 0 : 1);
    }
  int status;
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return TRUE;
  *outcome = WIFSIGNALED (status) ? g_strdup_printf ("killed by signal %d (%s)", WTERMSIG (status),
                                                     g_strsignal (WTERMSIG (status)))
                                  : g_strdup ("answered with an error");
  return FALSE;
}

#if defined(__x86_64__)
static gboolean
ia32_getpid_works (void)
{
  return ia32_getpid () == getpid ();
}

static gboolean
x32_getpid_works (void)
{
  return syscall (X32_SYSCALL_BIT | SYS_getpid) == getpid ();
}
#endif

gboolean
host_has_ia32_syscalls (char **reason)
{
#if defined(__x86_64__)
  g_autofree char *outcome = NULL;
  if (probe_in_child (ia32_getpid_works, &outcome))
    return TRUE;
  *reason = g_strdup_printf ("int 0x80 (getpid) natively, as root, without seccomp, was %s: "
                             "this kernel or hypervisor gives no 32-bit system calls",
                             outcome);
#else
  *reason = g_strdup ("not an x86_64 machine: no int 0x80");
#endif
  return FALSE;
}

gboolean
host_has_x32_syscalls (char **reason)
{
#if defined(__x86_64__)
  g_autofree char *outcome = NULL;
  if (probe_in_child (x32_getpid_works, &outcome))
    return TRUE;
  *reason = g_strdup_printf ("an x32 getpid natively was %s: the kernel has no x32 ABI", outcome);
#else
  *reason = g_strdup ("not an x86_64 machine: no x32 ABI");
#endif
  return FALSE;
}

double
host_true_cpu_seconds (void)
{
  double least = G_MAXDOUBLE;
  for (int i = 0; i < 5; i++)
    {
      pid_t child = fork ();
      g_assert_cmpint (child, >=, 0);
      if (child == 0)
        {
          execl ("/bin/true", "true", (char *) NULL);
          _exit (127);
        }
      int status;
      struct rusage usage;
      g_assert_cmpint (wait4 (child, &status, 0, &usage), ==, child);
      g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
      double cpu = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
                   + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
      least = MIN (least, cpu);
    }
  return least;
}

gboolean
host_has_loop_devices (char **reason)
{
  /* Where the daemon looks (sandbox/box_quota.c): fstab gives it no PATH. */
  if (!g_file_test ("/usr/sbin/mkfs.ext4", G_FILE_TEST_IS_EXECUTABLE)
      && !g_file_test ("/sbin/mkfs.ext4", G_FILE_TEST_IS_EXECUTABLE))
    {
      *reason = g_strdup ("no mkfs.ext4 (Debian's e2fsprogs)");
      return FALSE;
    }
  int control = open ("/dev/loop-control", O_RDWR | O_CLOEXEC);
  if (control < 0)
    {
      *reason = g_strdup_printf ("no loop devices: /dev/loop-control: %s", g_strerror (errno));
      return FALSE;
    }
  int free_device = ioctl (control, LOOP_CTL_GET_FREE);
  int saved_errno = errno;
  close (control);
  if (free_device < 0)
    {
      *reason = g_strdup_printf ("no free loop device: %s", g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}
