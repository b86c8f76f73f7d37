#include "build_root.h"

#include "report.h"
#include "utils/autofd.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Every mount of the jail is nosuid. */
#define BASE_ATTRS MOUNT_ATTR_NOSUID

#define MAX_FRESH_MOUNTS 64

/* What the proxy knows while it builds the root. */
typedef struct
{
  int report_fd;
  int root_fd;                        /* the new root's tmpfs */
  uint64_t tmpfs_kib;                 /* the size of a JAIL_MOUNT_TMP without a source */
  dev_t fresh_devs[MAX_FRESH_MOUNTS]; /* file systems we created, where mount points may be made */
  int n_fresh;
} BuildContext;

static void
remember_fresh (BuildContext *ctx, int mount_fd)
{
  struct stat st;
  if (ctx->n_fresh < MAX_FRESH_MOUNTS && fstat (mount_fd, &st) == 0)
    ctx->fresh_devs[ctx->n_fresh++] = st.st_dev;
}

static bool
is_fresh (const BuildContext *ctx, int dir_fd)
{
  struct stat st;
  if (fstat (dir_fd, &st) < 0)
    return false;
  for (int i = 0; i < ctx->n_fresh; i++)
    if (ctx->fresh_devs[i] == st.st_dev)
      return true;
  return false;
}

/* Opens NAME in dir_fd as an O_PATH descriptor without following a link,
 * creating it (a directory, or an empty file to bind a device on) if it is
 * missing. Never creates anything on a host file system bound in: a rule
 * nested in a rw bind must not leave directories on the host. */
static int
open_or_create (const BuildContext *ctx, int dir_fd, const char *name, bool is_file)
{
  int flags = O_PATH | O_NOFOLLOW | O_CLOEXEC | (is_file ? 0 : O_DIRECTORY);
  int fd = openat (dir_fd, name, flags);
  if (fd >= 0 || errno != ENOENT)
    return fd;
  if (!is_fresh (ctx, dir_fd))
    return -1; /* errno is still ENOENT */
  if (is_file)
    {
      autofd file
          = openat (dir_fd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0666);
      if (file < 0)
        return -1;
    }
  else if (mkdirat (dir_fd, name, 0755) < 0)
    return -1;
  return openat (dir_fd, name, flags);
}

/* Walks INSIDE (relative) from the new root one component at a time, so no
 * symbolic link can lead the walk out to the host. */
static int
open_mount_point (const BuildContext *ctx, const char *inside, bool is_file)
{
  char path[PATH_MAX];
  if ((size_t) snprintf (path, sizeof path, "%s", inside) >= sizeof path)
    {
      errno = ENAMETOOLONG;
      return -1;
    }
  int fd = fcntl (ctx->root_fd, F_DUPFD_CLOEXEC, 0);
  for (char *name = path; fd >= 0 && name != NULL;)
    {
      char *slash = strchr (name, '/');
      if (slash != NULL)
        *slash = '\0';
      int next = open_or_create (ctx, fd, name, is_file && slash == NULL);
      autofd_close (&fd);
      fd = next;
      name = slash != NULL ? slash + 1 : NULL;
    }
  return fd;
}

/* Mount attributes from a rule's options: read-only and nodev unless asked. */
static unsigned int
attrs_for (uint32_t flags)
{
  unsigned int attrs = BASE_ATTRS;
  if (!(flags & JAIL_MOUNT_FLAG_RW))
    attrs |= MOUNT_ATTR_RDONLY;
  if (!(flags & JAIL_MOUNT_FLAG_DEV))
    attrs |= MOUNT_ATTR_NODEV;
  if (flags & JAIL_MOUNT_FLAG_NOEXEC)
    attrs |= MOUNT_ATTR_NOEXEC;
  return attrs;
}

/* Binds SOURCE on target_fd. The copy gets its attributes while still
 * detached, recursively, so no submount of /usr stays writable. */
static int
bind_tree (const char *source, int target_fd, unsigned int set, unsigned int clear, bool recursive)
{
  autofd tree = open_tree (AT_FDCWD, source,
                           OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));
  if (tree < 0)
    return -1;
  struct mount_attr attr = { .attr_set = set, .attr_clr = clear };
  int ret = mount_setattr (tree, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr,
                           sizeof attr);
  if (ret == 0)
    ret = move_mount (tree, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
  return ret;
}

/* Creates a file system of TYPE with OPTIONS (key, value, ..., NULL) and
 * returns a descriptor of its root, not yet attached anywhere. */
static int
fresh_fs (const char *type, const char *const *options, unsigned int attrs)
{
  autofd fs = fsopen (type, FSOPEN_CLOEXEC);
  if (fs < 0)
    return -1;
  int ret = 0;
  for (unsigned int i = 0; options != NULL && options[i] != NULL && ret == 0; i += 2)
    ret = fsconfig (fs, FSCONFIG_SET_STRING, options[i], options[i + 1], 0);
  if (ret == 0)
    ret = fsconfig (fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
  return ret == 0 ? fsmount (fs, FSMOUNT_CLOEXEC, attrs) : -1;
}

/* Mounts a fresh file system on target_fd; returns its root, or -1. */
static int
mount_fresh (BuildContext *ctx, int target_fd, const char *type, const char *const *options,
             unsigned int attrs)
{
  autofd mount_fd = fresh_fs (type, options, attrs);
  if (mount_fd < 0
      || move_mount (mount_fd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH)
             < 0)
    return -1;
  remember_fresh (ctx, mount_fd);
  return autofd_steal (&mount_fd);
}

/* A tmpfs /dev holding the host's harmless devices, each bound on an empty
 * file: device nodes work there and nowhere else. */
static bool
fill_dev (BuildContext *ctx, int dev_fd)
{
  static const char *const devices[] = { "null", "zero", "full", "random", "urandom" };
  for (unsigned int i = 0; i < sizeof devices / sizeof devices[0]; i++)
    {
      char host_path[32];
      snprintf (host_path, sizeof host_path, "/dev/%s", devices[i]);
      autofd node = open_or_create (ctx, dev_fd, devices[i], true);
      if (node < 0
          || bind_tree (host_path, node, BASE_ATTRS | MOUNT_ATTR_NOEXEC, MOUNT_ATTR_NODEV, false)
                 < 0)
        {
          jail_report (ctx->report_fd, "bind", host_path, errno);
          return false;
        }
    }
  return true;
}

static int
mount_one (BuildContext *ctx, const JailMount *mount, int target_fd)
{
  /* tmpfs is memory, charged to the box's memory cgroup: /dev/shm, as the
   * host's is under isolate, needs no other bound; a /tmp without a
   * directory on disk has one of its own. */
  char tmp_size[32];
  snprintf (tmp_size, sizeof tmp_size, "%llu", (unsigned long long) ctx->tmpfs_kib * 1024);
  const char *const tmp_options[] = { "size", tmp_size, "mode", "1777", NULL };
  static const char *const shm_options[] = { "mode", "1777", NULL };
  static const char *const dev_options[] = { "size", "64k", "mode", "0755", NULL };
  unsigned int attrs = attrs_for (mount->flags);
  autofd fs_fd = -1;

  switch (mount->kind)
    {
    case JAIL_MOUNT_BIND:
      return bind_tree (mount->source, target_fd, attrs, 0,
                        !(mount->flags & JAIL_MOUNT_FLAG_NOREC));
    case JAIL_MOUNT_FS:
      fs_fd = mount_fresh (ctx, target_fd, mount->source, NULL, attrs);
      break;
    case JAIL_MOUNT_TMP:
      if (mount->source != NULL)
        return bind_tree (mount->source, target_fd, attrs & ~MOUNT_ATTR_RDONLY, 0, false);
      fs_fd = mount_fresh (ctx, target_fd, "tmpfs", tmp_options, attrs & ~MOUNT_ATTR_RDONLY);
      break;
    case JAIL_MOUNT_SHM:
      fs_fd = mount_fresh (ctx, target_fd, "tmpfs", shm_options, BASE_ATTRS | MOUNT_ATTR_NODEV);
      break;
    case JAIL_MOUNT_DEV:
      fs_fd = mount_fresh (ctx, target_fd, "tmpfs", dev_options,
                           BASE_ATTRS | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
      if (fs_fd >= 0 && !fill_dev (ctx, fs_fd))
        return -2; /* already reported */
      break;
    }
  return fs_fd < 0 ? -1 : 0;
}

/* Mounts one entry of the plan; with only_point, makes its mount point and
 * nothing else (a per-run mount of a root template: jail_protocol.h). */
static bool
apply_mount (BuildContext *ctx, const JailMount *mount, bool only_point)
{
  char shown[PATH_MAX];
  snprintf (shown, sizeof shown, "/%s", mount->inside);

  if ((mount->flags & JAIL_MOUNT_FLAG_MAYBE) && mount->kind == JAIL_MOUNT_BIND
      && access (mount->source, F_OK) < 0)
    return true;

  autofd target = open_mount_point (ctx, mount->inside, false);
  if (target < 0)
    {
      jail_report (ctx->report_fd, "create mount point", shown, errno);
      return false;
    }
  int ret = only_point ? 0 : mount_one (ctx, mount, target);
  if (ret == -1)
    jail_report (ctx->report_fd, "mount", shown, errno);
  return ret == 0;
}

/* Makes the new root "/" and lets go of the host's tree. */
static bool
pivot_into (const BuildContext *ctx, const char *root_dir)
{
  struct mount_attr read_only = { .attr_set = MOUNT_ATTR_RDONLY };
  if (mount_setattr (ctx->root_fd, "", AT_EMPTY_PATH, &read_only, sizeof read_only) < 0
      || fchdir (ctx->root_fd) < 0 || syscall (SYS_pivot_root, ".", ".") < 0
      || umount2 (".", MNT_DETACH) < 0 || chdir ("/") < 0)
    {
      jail_report (ctx->report_fd, "pivot into", root_dir, errno);
      return false;
    }
  return true;
}

bool
jail_build_root (const char *root_dir, const JailMount *mounts, unsigned int n_mounts,
                 uint64_t tmpfs_kib, bool lasting_only, int report_fd)
{
  static const char *const root_options[] = { "size", "64k", "mode", "0755", NULL };
  BuildContext ctx = { .report_fd = report_fd, .root_fd = -1, .tmpfs_kib = tmpfs_kib };

  /* Nothing mounted from here on may reach the host's mount table. */
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    {
      jail_report (report_fd, "make private", "/", errno);
      return false;
    }
  ctx.root_fd = fresh_fs ("tmpfs", root_options, BASE_ATTRS | MOUNT_ATTR_NODEV);
  if (ctx.root_fd < 0
      || move_mount (ctx.root_fd, "", AT_FDCWD, root_dir, MOVE_MOUNT_F_EMPTY_PATH) < 0)
    {
      jail_report (report_fd, "mount the new root on", root_dir, errno);
      return false;
    }
  remember_fresh (&ctx, ctx.root_fd);

  for (unsigned int i = 0; i < n_mounts; i++)
    if (!apply_mount (&ctx, &mounts[i], lasting_only && jail_mount_is_per_run (&mounts[i])))
      return false;
  return pivot_into (&ctx, root_dir);
}

bool
jail_mount_per_run (const JailMount *mounts, unsigned int n_mounts, uint64_t tmpfs_kib,
                    int report_fd)
{
  /* Only the mounts made here may get new mount points: none is needed, the
   * template has them all. */
  BuildContext ctx = { .report_fd = report_fd, .tmpfs_kib = tmpfs_kib };
  ctx.root_fd = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (ctx.root_fd < 0)
    {
      jail_report (report_fd, "open", "/", errno);
      return false;
    }
  bool ok = true;
  for (unsigned int i = 0; ok && i < n_mounts; i++)
    if (jail_mount_is_per_run (&mounts[i]))
      ok = apply_mount (&ctx, &mounts[i], false);
  close (ctx.root_fd);
  return ok;
}
