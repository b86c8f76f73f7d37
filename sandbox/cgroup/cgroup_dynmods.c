#include "cgroup_dynmods.h"

#include "sandbox/sandbox_error.h"

#include <errno.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* The same name and options for every daemon: mounting an existing
 * hierarchy again is allowed only with the options it was made with. */
#define HIERARCHY_OPTIONS "none,name=isolatefs,favordynmods"

gboolean
cgroup_dynmods_favor (const char *mount_dir, GError **error)
{
  if (mkdir (mount_dir, 0700) < 0 && errno != EEXIST)
    return sandbox_set_errno_error (error, errno, "create", mount_dir);
  if (mount ("cgroup", mount_dir, "cgroup", MS_NOSUID | MS_NODEV | MS_NOEXEC, HIERARCHY_OPTIONS)
      == 0)
    return TRUE;
  return errno_error_set (error, SANDBOX_ERROR, SANDBOX_ERROR_NOT_SUPPORTED, errno,
                          "cannot mount a cgroup hierarchy with favordynmods on %s", mount_dir);
}

void
cgroup_dynmods_release (const char *mount_dir)
{
  /* Until nothing is mounted there (EINVAL), in case of mounts stacked by
   * daemons killed one after the other. */
  for (int i = 0; i < 64; i++)
    if (umount2 (mount_dir, MNT_DETACH | UMOUNT_NOFOLLOW) < 0)
      {
        if (errno != EINVAL && errno != ENOENT)
          g_warning ("cannot unmount %s: %s", mount_dir, g_strerror (errno));
        break;
      }
  rmdir (mount_dir);
}
