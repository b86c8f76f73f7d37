#include "checks.h"

#include "sandbox/host/state_lock.h"
#include "utils/remove_tree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Less free space than this is worth a warning: every box's files live there. */
#define LOW_SPACE_BYTES (G_GUINT64_CONSTANT (1) << 30)

/* The state directory, or the nearest ancestor that exists: the daemon
 * makes the rest, on that filesystem. */
static char *
existing_dir (const char *state_dir)
{
  g_autofree char *dir = g_strdup (state_dir);
  while (!g_file_test (dir, G_FILE_TEST_IS_DIR) && strcmp (dir, "/") != 0)
    {
      char *parent = g_path_get_dirname (dir);
      g_free (dir);
      dir = parent;
    }
  return realpath (dir, NULL);
}

/* The mount dir is on: the longest mount point above it with its device. */
static const MountEntry *
mount_of (const GPtrArray *mounts, const char *dir, const struct stat *st)
{
  const MountEntry *best = NULL;
  for (guint i = 0; i < mounts->len; i++)
    {
      const MountEntry *entry = g_ptr_array_index (mounts, i);
      gsize length = strlen (entry->mount_point);
      gboolean above = strcmp (entry->mount_point, "/") == 0
                       || (strncmp (dir, entry->mount_point, length) == 0
                           && (dir[length] == '/' || dir[length] == '\0'));
      if (above && entry->major == major (st->st_dev) && entry->minor == minor (st->st_dev)
          && (best == NULL || length >= strlen (best->mount_point)))
        best = entry;
    }
  return best;
}

/* What the daemon does there, tried on a scratch directory it then
 * removes: give a file to a box uid (box/ changes hands at every run),
 * lock a file (daemon.lock), rename (boxes go to trash/ by rename). NULL
 * when all work, else what failed. */
static char *
probe (const char *dir, const CheckSettings *settings)
{
  g_autofree char *scratch = g_build_filename (dir, ".isolatefs-check-XXXXXX", NULL);
  if (g_mkdtemp_full (scratch, 0700) == NULL)
    return g_strdup_printf ("cannot create a directory in %s: %s", dir, g_strerror (errno));
  g_autofree char *file = g_build_filename (scratch, "file", NULL);
  g_autofree char *moved = g_build_filename (scratch, "moved", NULL);
  char *failure = NULL;
  int fd = open (file, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    failure = g_strdup_printf ("cannot create a file: %s", g_strerror (errno));
  else if (fchown (fd, settings->first_uid, settings->first_gid) < 0)
    failure = g_strdup_printf ("cannot give a file to uid %u: %s", settings->first_uid,
                               g_strerror (errno));
  else if (flock (fd, LOCK_EX | LOCK_NB) < 0)
    failure = g_strdup_printf ("cannot lock a file: %s", g_strerror (errno));
  else if (rename (file, moved) < 0)
    failure = g_strdup_printf ("cannot rename a file: %s", g_strerror (errno));
  if (fd >= 0)
    close (fd);
  g_autofree char *parent = g_path_get_dirname (scratch);
  g_autofree char *base = g_path_get_basename (scratch);
  int parent_fd = open (parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (parent_fd >= 0)
    {
      remove_tree_at (parent_fd, base, NULL);
      close (parent_fd);
    }
  return failure;
}

void
check_state_dir (GPtrArray *results, const CheckSettings *settings)
{
  g_autofree char *dir = existing_dir (settings->state_dir);
  g_autoptr (GPtrArray) mounts = check_mount_table ();
  struct stat st;
  struct statvfs vfs;
  if (dir == NULL || stat (dir, &st) < 0 || statvfs (dir, &vfs) < 0)
    {
      check_add (results, "state_dir", CHECK_FAIL,
                 g_strdup_printf ("cannot look at %s or any directory above it: %s",
                                  settings->state_dir, g_strerror (errno)),
                 "give state_dir an absolute path on a local filesystem");
      return;
    }
  const MountEntry *mount = mount_of (mounts, dir, &st);
  g_autofree char *where
      = g_strdup_printf ("%s (%s%s, %s on %s)", settings->state_dir,
                         strcmp (dir, settings->state_dir) == 0 ? "" : "to be made in ", dir,
                         mount ? mount->fs_type : "?", mount ? mount->mount_point : "?");
  const char *moved = "give state_dir a directory on another filesystem (and move the "
                      "boxes with the daemon stopped)";

  if (mount != NULL && check_has_option (mount->mount_options, "noexec"))
    {
      check_add (results, "state_dir", CHECK_FAIL,
                 g_strdup_printf ("%s is mounted noexec: box/ lives there, so no program "
                                  "copied or compiled into a box could run",
                                  where),
                 "remount it without noexec, or %s", moved);
      return;
    }
  g_autofree char *failure = geteuid () == 0 ? probe (dir, settings) : NULL;
  guint64 free_bytes = (guint64) vfs.f_bavail * vfs.f_frsize;
  if (failure != NULL)
    check_add (
        results, "state_dir", CHECK_FAIL,
        g_strdup_printf ("%s does not support what the daemon does there: %s", where, failure),
        "%s", moved);
  else if (geteuid () != 0)
    check_add (results, "state_dir", CHECK_WARN,
               g_strdup_printf ("%s: cannot try chown and locks without root", where),
               "run isolatefs --check as root");
  else if (free_bytes < LOW_SPACE_BYTES)
    check_add (results, "state_dir", CHECK_WARN,
               g_strdup_printf ("%s has %" G_GUINT64_FORMAT " MiB free: every box's files "
                                "live there",
                                where, free_bytes >> 20),
               "free some space, set default_quota and max_quota, or %s", moved);
  else if (mount != NULL && strcmp (mount->fs_type, "tmpfs") == 0)
    check_add (results, "state_dir", CHECK_WARN,
               g_strdup_printf ("%s is in memory: boxes are lost at reboot, and their files "
                                "take RAM",
                                where),
               "%s, if boxes are to outlive a reboot", moved);
  else
    check_add (results, "state_dir", CHECK_OK,
               g_strdup_printf ("%s: files can be given to box uids, locked and renamed; "
                                "%" G_GUINT64_FORMAT " MiB free",
                                where, free_bytes >> 20),
               NULL);
}

void
check_state_lock (GPtrArray *results, const CheckSettings *settings)
{
  g_autofree char *holder = state_lock_holder (settings->state_dir);
  if (holder == NULL)
    check_add (results, "state_lock", CHECK_OK,
               g_strdup_printf ("no daemon holds %s", settings->state_dir), NULL);
  else
    check_add (results, "state_lock", CHECK_WARN,
               g_strdup_printf ("%s is in use by %s: a second daemon on it would refuse to "
                                "start",
                                settings->state_dir, holder),
               "to start another, give it a state_dir, cgroup_parent and uid range of its own");
}
