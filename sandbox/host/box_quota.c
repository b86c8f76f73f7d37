#include "box_quota.h"

#include "sandbox/sandbox_error.h"
#include "sandbox/settings/box_limits.h"
#include "utils/autofd.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkfs.ext4 lives in /sbin; a daemon started from fstab may have no PATH. */
static const char *const mkfs_candidates[] = { "/usr/sbin/mkfs.ext4", "/sbin/mkfs.ext4" };

/* ENOSPC is a full disk, which the box's owner may fix; anything else the
 * host failing. */
static gboolean
set_quota_error (GError **error, int errnum, const char *what, const char *path)
{
  SandboxError code = errnum == ENOSPC ? SANDBOX_ERROR_NO_SPACE : SANDBOX_ERROR_FAILED;
  return errno_error_set (error, SANDBOX_ERROR, code, errnum, "cannot %s %s", what, path);
}

static const char *
find_mkfs (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (mkfs_candidates); i++)
    if (g_file_test (mkfs_candidates[i], G_FILE_TEST_IS_EXECUTABLE))
      return mkfs_candidates[i];
  return NULL;
}

static gboolean
make_sparse_file (const char *path, gint64 kib, GError **error)
{
  autofd fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_quota_error (error, errno, "create", path);
  if (ftruncate (fd, (off_t) kib * 1024) < 0)
    return set_quota_error (error, errno, "size", path);
  return TRUE;
}

/* Makes a sparse image of kib KiB at image_path and an empty ext4
 * filesystem in it (mkfs.ext4, some tens of milliseconds). It is made under
 * another name and renamed when whole, so that a daemon killed meanwhile
 * never leaves a half-made filesystem where the box's image belongs. */
static gboolean
create_image (const char *image_path, gint64 kib, GError **error)
{
  const char *mkfs = find_mkfs ();
  if (mkfs == NULL)
    {
      g_set_error_literal (error, SANDBOX_ERROR, SANDBOX_ERROR_NOT_SUPPORTED,
                           "a quota needs mkfs.ext4 (Debian's e2fsprogs)");
      return FALSE;
    }
  g_autofree char *new_path = g_strconcat (image_path, ".new", NULL);
  if (!make_sparse_file (new_path, kib, error))
    return FALSE;
  /* No journal and no reserved blocks: the quota is what the program gets,
   * less the filesystem's own tables. */
  const char *argv[] = { mkfs, "-q", "-F", "-m", "0", "-O", "^has_journal", new_path, NULL };
  g_autofree char *output = NULL;
  int wait_status = 0;
  g_autoptr (GError) spawn_error = NULL;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                     &output, &wait_status, &spawn_error)
      || !g_spawn_check_wait_status (wait_status, &spawn_error))
    {
      unlink (new_path);
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED,
                   "cannot make the quota filesystem: %s%s%s", spawn_error->message,
                   output && output[0] ? ": " : "", output ? g_strchomp (output) : "");
      return FALSE;
    }
  if (rename (new_path, image_path) == 0)
    return TRUE;
  int saved_errno = errno;
  unlink (new_path);
  return set_quota_error (error, saved_errno, "make", image_path);
}

/* A free loop device bound to the image, detached by the kernel once nothing
 * holds it: keep *loop_fd open until the filesystem on it is mounted, which
 * then holds it until it is unmounted. Returns its path, or NULL. */
static char *
attach_loop (const char *image_path, int *loop_fd, GError **error)
{
  autofd control = open ("/dev/loop-control", O_RDWR | O_CLOEXEC);
  if (control < 0)
    return errno_error_set (error, SANDBOX_ERROR, SANDBOX_ERROR_NOT_SUPPORTED, errno,
                            "a quota needs loop devices: /dev/loop-control"),
           NULL;
  autofd image = open (image_path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
  if (image < 0)
    return set_quota_error (error, errno, "open", image_path), NULL;

  char *device = NULL;
  int saved_errno = 0;
  /* Another process may take the free device between the two calls. */
  for (int attempt = 0; attempt < 16; attempt++)
    {
      int number = ioctl (control, LOOP_CTL_GET_FREE);
      if (number < 0)
        {
          saved_errno = errno;
          break;
        }
      g_autofree char *path = g_strdup_printf ("/dev/loop%d", number);
      autofd loop = open (path, O_RDWR | O_CLOEXEC);
      if (loop < 0)
        {
          saved_errno = errno;
          continue;
        }
      struct loop_config config = { .fd = (guint32) image };
      config.info.lo_flags = LO_FLAGS_AUTOCLEAR;
      g_strlcpy ((char *) config.info.lo_file_name, image_path, LO_NAME_SIZE);
      if (ioctl (loop, LOOP_CONFIGURE, &config) == 0)
        {
          device = g_steal_pointer (&path);
          *loop_fd = autofd_steal (&loop);
          break;
        }
      saved_errno = errno;
    }
  if (device == NULL)
    set_quota_error (error, saved_errno, "attach a loop device to", image_path);
  return device;
}

/* mkfs leaves lost+found in the root: no place in the program's /box. */
static gboolean
prepare_root (const char *work_dir, uid_t uid, gid_t gid, guint mode, GError **error)
{
  autofd fd = open (work_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return set_quota_error (error, errno, "open", work_dir);
  if ((unlinkat (fd, "lost+found", AT_REMOVEDIR) == 0 || errno == ENOENT)
      && fchown (fd, uid, gid) == 0 && fchmod (fd, mode) == 0)
    return TRUE;
  return set_quota_error (error, errno, "prepare", work_dir);
}

/* The loop device that still serves the image, open, or -1: one left
 * bound by an earlier mount of it that lives on elsewhere. Any process
 * that made a mount namespace while box/ was mounted (unshare -m, a
 * container, another sandbox tool, a jail still exiting) holds a copy of
 * that mount, and so the image's filesystem, past our unmount and our
 * restart. Mounting that device again gives the very same filesystem;
 * attaching the image to a second device would give two filesystems on
 * the same blocks. Held open, the device cannot be detached (autoclear)
 * until it is mounted. */
static int
open_serving_loop (const struct stat *image, char **device)
{
  g_autoptr (GDir) devices = g_dir_open ("/sys/block", 0, NULL);
  for (const char *name; devices != NULL && (name = g_dir_read_name (devices));)
    {
      if (!g_str_has_prefix (name, "loop"))
        continue;
      g_autofree char *bound = g_build_filename ("/sys/block", name, "loop", NULL);
      if (!g_file_test (bound, G_FILE_TEST_IS_DIR))
        continue;
      g_autofree char *path = g_build_filename ("/dev", name, NULL);
      autofd fd = open (path, O_RDONLY | O_CLOEXEC);
      struct loop_info64 info;
      /* Checked once open: it may have been detached, or bound anew, meanwhile. */
      if (fd >= 0 && ioctl (fd, LOOP_GET_STATUS64, &info) == 0
          && info.lo_device == (guint64) image->st_dev && info.lo_inode == (guint64) image->st_ino)
        {
          *device = g_steal_pointer (&path);
          return autofd_steal (&fd);
        }
    }
  return -1;
}

/* Mounts the image on work_dir, through the loop device that still serves
 * it or a new one. */
static gboolean
mount_image (const char *image_path, const char *work_dir, uid_t uid, gid_t gid, guint mode,
             GError **error)
{
  struct stat image;
  if (stat (image_path, &image) < 0)
    return set_quota_error (error, errno, "examine", image_path);
  g_autofree char *device = NULL;
  autofd loop_fd = open_serving_loop (&image, &device);
  if (loop_fd >= 0)
    g_message ("%s is still mounted elsewhere (another mount namespace): mounted again from %s",
               image_path, device);
  else if ((device = attach_loop (image_path, &loop_fd, error)) == NULL)
    return FALSE;
  /* From here the mount holds the loop device; one we attached detaches
   * itself when the mount goes (autoclear), or now if the mount fails. */
  int mounted = mount (device, work_dir, "ext4", MS_NOSUID | MS_NODEV, NULL);
  autofd_close (&loop_fd);
  if (mounted < 0)
    return set_quota_error (error, errno, "mount the quota filesystem on", work_dir);
  if (prepare_root (work_dir, uid, gid, mode, error))
    return TRUE;
  umount2 (work_dir, MNT_DETACH);
  return FALSE;
}

static gboolean
is_mounted (const char *work_dir)
{
  g_autofree char *parent = g_path_get_dirname (work_dir);
  struct stat dir, above;
  return lstat (work_dir, &dir) == 0 && lstat (parent, &above) == 0 && S_ISDIR (dir.st_mode)
         && dir.st_dev != above.st_dev;
}

/* Whether what is mounted on work_dir is the filesystem of that image. */
static gboolean
image_is_mounted (const struct stat *image, const char *work_dir)
{
  g_autofree char *device = NULL;
  autofd loop_fd = open_serving_loop (image, &device);
  struct stat loop, dir;
  return loop_fd >= 0 && fstat (loop_fd, &loop) == 0 && lstat (work_dir, &dir) == 0
         && loop.st_rdev == dir.st_dev;
}

/* Waits up to a second for what holds a mount to let go (namespaces of
 * jails that are still exiting); TRUE if it did. */
static gboolean
unmounted (const char *work_dir)
{
  for (int i = 0; i < 100; i++)
    {
      if (umount2 (work_dir, UMOUNT_NOFOLLOW) == 0 || errno != EBUSY)
        return TRUE;
      g_usleep (10000);
    }
  return FALSE;
}

gboolean
box_quota_unmount (const char *work_dir, GError **error)
{
  if (!is_mounted (work_dir))
    return TRUE;
  /* Busy while a jail that bound box/ is still exiting; a reader in box/
   * may hold it longer: then it is detached, and lives on until the reader
   * goes (mount_image() mounts the same filesystem again meanwhile). */
  if (unmounted (work_dir) && !is_mounted (work_dir))
    return TRUE;
  if (umount2 (work_dir, MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
    return TRUE;
  return set_quota_error (error, errno, "unmount", work_dir);
}

gboolean
box_quota_settle (const char *image_path, const char *work_dir, gint64 kib, uid_t uid, gid_t gid,
                  guint mode, GError **error)
{
  struct stat image;
  gboolean have_image = lstat (image_path, &image) == 0;
  gboolean fits = have_image && kib != LIMIT_UNLIMITED && S_ISREG (image.st_mode)
                  && image.st_size == (off_t) kib * 1024;
  gboolean mounted = is_mounted (work_dir);
  /* Kept as it is, but made ready again: a daemon killed right after the
   * mount left it as mkfs made it (root's, with lost+found). */
  if (mounted && fits && image_is_mounted (&image, work_dir))
    return prepare_root (work_dir, uid, gid, mode, error);
  if (mounted && !box_quota_unmount (work_dir, error))
    return FALSE;
  if (have_image && !fits && unlink (image_path) < 0 && errno != ENOENT)
    return set_quota_error (error, errno, "remove", image_path);
  if (kib == LIMIT_UNLIMITED)
    return TRUE;
  return (fits || create_image (image_path, kib, error))
         && mount_image (image_path, work_dir, uid, gid, mode, error);
}
