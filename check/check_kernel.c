#include "checks.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

void
check_root (GPtrArray *results)
{
  if (geteuid () == 0)
    check_add (results, "root", CHECK_OK, g_strdup ("running as root, as the daemon does"), NULL);
  else
    check_add (results, "root", CHECK_WARN,
               g_strdup_printf ("running as uid %u: the checks that need root (FUSE device, "
                                "namespaces, state directory) cannot tell",
                                (guint) geteuid ()),
               "run isolatefs --check as root");
}

void
check_fuse (GPtrArray *results)
{
  struct stat st;
  if (stat ("/dev/fuse", &st) < 0 || !S_ISCHR (st.st_mode))
    {
      check_add (results, "fuse", CHECK_FAIL, g_strdup ("/dev/fuse is missing"),
                 "modprobe fuse (and apt-get install fuse3)");
      return;
    }
  int fd = open ("/dev/fuse", O_RDWR | O_CLOEXEC);
  int saved_errno = errno;
  if (fd >= 0)
    close (fd);
  if (fd < 0 && geteuid () != 0)
    check_add (results, "fuse", CHECK_WARN,
               g_strdup_printf ("/dev/fuse is there but this user cannot open it: %s",
                                g_strerror (saved_errno)),
               "run isolatefs --check as root");
  else if (fd < 0)
    check_add (results, "fuse", CHECK_FAIL,
               g_strdup_printf ("cannot open /dev/fuse: %s", g_strerror (saved_errno)),
               "in a container, give it /dev/fuse (device 10:229); else modprobe fuse");
  else
    check_add (results, "fuse", CHECK_OK,
               g_strdup_printf ("/dev/fuse (%u:%u) opens read-write", major (st.st_rdev),
                                minor (st.st_rdev)),
               NULL);
}

/* What a box's quota and the boxes' /tmp need (sandbox/host/box_quota.c,
 * tmp_volume.c): mkfs.ext4 where a daemon without PATH finds it, and a free
 * loop device. NULL when all is there. */
static char *
quota_missing (void)
{
  if (!g_file_test ("/usr/sbin/mkfs.ext4", G_FILE_TEST_IS_EXECUTABLE)
      && !g_file_test ("/sbin/mkfs.ext4", G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup ("no mkfs.ext4 in /usr/sbin or /sbin");
  int control = open ("/dev/loop-control", O_RDWR | O_CLOEXEC);
  if (control < 0)
    return g_strdup_printf ("/dev/loop-control: %s", g_strerror (errno));
  int number = ioctl (control, LOOP_CTL_GET_FREE);
  int saved_errno = errno;
  close (control);
  if (number < 0)
    return g_strdup_printf ("no free loop device: %s", g_strerror (saved_errno));
  return NULL;
}

void
check_loop_devices (GPtrArray *results, const CheckSettings *settings)
{
  g_autofree char *missing = quota_missing ();
  const char *fix = "apt-get install e2fsprogs; modprobe loop (in a container, give it "
                    "/dev/loop-control and /dev/loop*)";
  if (missing == NULL)
    check_add (results, "loop", CHECK_OK,
               g_strdup ("loop devices and mkfs.ext4 are there: a box's quota and the boxes' "
                         "/tmp on disk can be made"),
               NULL);
  else if (settings->quota_configured)
    check_add (results, "loop", CHECK_FAIL,
               g_strdup_printf ("default_quota or max_quota is set, so every box takes a "
                                "quota, but %s",
                                missing),
               "%s", fix);
  else
    check_add (results, "loop", CHECK_WARN,
               g_strdup_printf ("no quota is configured, but a box whose owner sets one gets "
                                "EOPNOTSUPP, and /tmp is a tmpfs charged to the box's memory "
                                "instead of a directory on disk: %s",
                                missing),
               "%s", fix);
}

/* The namespaces every sandbox gets (sandbox/jail/jail.c), made in a child that
 * then exits: the kernel may be built without one, or a sysctl may cap it
 * at 0 (user.max_*_namespaces). */
static const struct
{
  int flag;
  const char *name;
} namespaces[] = {
  { CLONE_NEWNS, "mnt" },  { CLONE_NEWPID, "pid" }, { CLONE_NEWIPC, "ipc" },
  { CLONE_NEWUTS, "uts" }, { CLONE_NEWNET, "net" },
};

/* 0, or the errno unshare() failed with. */
static int
try_unshare (int flags)
{
  pid_t child = fork ();
  if (child < 0)
    return errno;
  if (child == 0)
    _exit (unshare (flags) == 0 ? 0 : MIN (errno, 255));
  int status;
  if (waitpid (child, &status, 0) < 0 || !WIFEXITED (status))
    return ECHILD;
  return WEXITSTATUS (status);
}

void
check_namespaces (GPtrArray *results)
{
  if (geteuid () != 0)
    {
      check_add (results, "namespaces", CHECK_WARN, g_strdup ("cannot tell without root"),
                 "run isolatefs --check as root");
      return;
    }
  g_autoptr (GString) failed = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (namespaces); i++)
    {
      int err = try_unshare (namespaces[i].flag);
      if (err == 0)
        continue;
      g_autofree char *sysctl
          = g_strdup_printf ("/proc/sys/user/max_%s_namespaces", namespaces[i].name);
      g_autofree char *cap = check_read_line (sysctl);
      g_string_append_printf (failed, "%s%s (%s; user.max_%s_namespaces=%s)",
                              failed->len ? ", " : "", namespaces[i].name, g_strerror (err),
                              namespaces[i].name, cap ? cap : "?");
    }
  if (failed->len == 0)
    check_add (results, "namespaces", CHECK_OK,
               g_strdup ("mount, pid, ipc, uts and network namespaces can be made"), NULL);
  else
    check_add (results, "namespaces", CHECK_FAIL,
               g_strdup_printf ("every sandbox needs them; cannot make: %s", failed->str),
               "raise the user.max_*_namespaces sysctls named above (sysctl -w "
               "user.max_mnt_namespaces=10000 ...); in a container, run it privileged");
}

/* The boxes' seccomp filter denies user namespaces (sandbox/jail/syscall_filter.c)
 * and the daemon makes none. Unprivileged users of the host may still make
 * them: the kernel's largest attack surface for a local user, which a gap in
 * the filter would hand to a box program too. */
void
check_user_namespaces (GPtrArray *results)
{
  g_autofree char *clone = check_read_line ("/proc/sys/kernel/unprivileged_userns_clone");
  g_autofree char *max = check_read_line ("/proc/sys/user/max_user_namespaces");
  g_autofree char *apparmor
      = check_read_line ("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
  gboolean allowed = (clone == NULL || g_strcmp0 (clone, "0") != 0)
                     && (max == NULL || g_strcmp0 (max, "0") != 0)
                     && g_strcmp0 (apparmor, "1") != 0;
  g_autofree char *values = g_strdup_printf (
      "kernel.unprivileged_userns_clone=%s, user.max_user_namespaces=%s%s%s",
      clone ? clone : "(none)", max ? max : "(none)",
      apparmor ? ", kernel.apparmor_restrict_unprivileged_userns=" : "", apparmor ? apparmor : "");
  if (!allowed)
    check_add (results, "userns", CHECK_OK,
               g_strdup_printf ("unprivileged users cannot make user namespaces (%s); boxes "
                                "never can",
                                values),
               NULL);
  else
    check_add (results, "userns", CHECK_WARN,
               g_strdup_printf ("unprivileged users may make user namespaces (%s): boxes are "
                                "denied them by their seccomp filter, but the host's users are "
                                "not",
                                values),
               "if nothing on the host needs them (rootless containers, browser sandboxes "
               "do): sysctl -w kernel.unprivileged_userns_clone=0 on Debian, "
               "user.max_user_namespaces=0 elsewhere (the daemon needs none)");
}

/* A core_pattern starting with '|' pipes every crash dump to a helper that
 * the kernel runs as root on the host, whatever RLIMIT_CORE says (the
 * sandbox sets it to 0, which only stops dumps to files). */
void
check_core_pattern (GPtrArray *results)
{
  g_autofree char *pattern = check_read_line ("/proc/sys/kernel/core_pattern");
  if (pattern == NULL)
    check_add (results, "core_pattern", CHECK_WARN,
               g_strdup ("cannot read /proc/sys/kernel/core_pattern"), "mount /proc");
  else if (pattern[0] == '|')
    check_add (results, "core_pattern", CHECK_WARN,
               g_strdup_printf ("kernel.core_pattern pipes crashes to a helper (%s): every "
                                "program that crashes in a box is dumped to it, run as root on "
                                "the host, which slows SG verdicts and hands it untrusted "
                                "memory",
                                pattern),
               "sysctl -w kernel.core_pattern=core (box programs have RLIMIT_CORE=0, so "
               "none is written), and persist it in /etc/sysctl.d/");
  else
    check_add (results, "core_pattern", CHECK_OK,
               g_strdup_printf ("kernel.core_pattern is a file (%s), and box programs have "
                                "RLIMIT_CORE=0: no dump is written",
                                pattern),
               NULL);
}
