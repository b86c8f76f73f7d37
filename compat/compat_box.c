#include "compat_box.h"

#include "boxfs/boxfs.h"
#include "utils/remove_tree.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef COMPAT_WORK_DIRS
#define COMPAT_WORK_DIRS "/var/lib/mini-isolate-compat"
#endif

char *
compat_box_name (guint box_id)
{
  return g_strdup_printf ("%u", box_id);
}

static gboolean
reset_existing (const char *root, const char *box, GError **error)
{
  g_autoptr (GError) local = NULL;
  if (boxfs_put (root, box, "ctl", "reset", &local))
    return TRUE;
  if (g_error_matches (local, BOXFS_ERROR, EBUSY))
    g_set_error (error, BOXFS_ERROR, EBUSY,
                 "Box %s is running a program: cannot initialize it again now", box);
  else
    g_propagate_prefixed_error (error, g_steal_pointer (&local), "Cannot reset box %s: ", box);
  return FALSE;
}

/* isolate's blocks are KiB, as the daemon's quota; the daemon's smallest is
 * 1 MiB, and it does not count inodes apart (its ext4 has as many as the
 * size allows). */
#define SMALLEST_QUOTA_KIB 1024

static gboolean
set_quota (const char *root, const char *box, const CompatOptions *options, GError **error)
{
  g_autofree char *path = g_build_filename (root, box, "quota", NULL);
  if (!options->quota)
    {
      /* A box made again keeps nothing of an earlier --init's quota. */
      g_autoptr (GError) local = NULL;
      if (!g_file_test (path, G_FILE_TEST_EXISTS)
          || boxfs_put (root, box, "quota", "unlimited", &local))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (options->verbose)
        g_printerr ("Disk quota not supported by this isolatefs: --quota=%u,%u ignored\n",
                    options->quota_blocks, options->quota_inodes);
      return TRUE;
    }
  guint kib = MAX (options->quota_blocks, SMALLEST_QUOTA_KIB);
  if (options->verbose)
    g_printerr ("Disk quota: %u KiB (inodes not limited apart)\n", kib);
  g_autofree char *value = g_strdup_printf ("%u", kib);
  return boxfs_put (root, box, "quota", value, error);
}

const char *
compat_work_dirs (const char *work_dirs)
{
  if (work_dirs == NULL)
    return COMPAT_WORK_DIRS;
  return *work_dirs != '\0' ? work_dirs : NULL;
}

/* Removes WORK_DIRS/BOX, never following a link in it. */
static gboolean
remove_work_dir (const char *work_dirs, const char *box, GError **error)
{
  int parent = open (work_dirs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (parent < 0 && errno == ENOENT)
    return TRUE;
  if (parent < 0)
    {
      int err = errno;
      g_set_error (error, BOXFS_ERROR, err, "Cannot open %s: %s", work_dirs, g_strerror (err));
      return FALSE;
    }
  gboolean ok = remove_tree_at (parent, box, error);
  close (parent);
  return ok;
}

/* A fresh WORK_DIRS/BOX holding only the link box -> ROOT/BOX/box. */
static char *
make_work_dir (const char *root, const char *work_dirs, const char *box, GError **error)
{
  g_autofree char *path = g_build_filename (work_dirs, box, NULL);
  g_autofree char *link = g_build_filename (path, "box", NULL);
  g_autofree char *target = g_build_filename (root, box, "box", NULL);
  if (g_mkdir_with_parents (work_dirs, 0755) != 0)
    {
      int err = errno;
      g_set_error (error, BOXFS_ERROR, err,
                   "Cannot create %s (the work directories; set MINI_ISOLATE_COMPAT_DIR to "
                   "choose another): %s",
                   work_dirs, g_strerror (err));
      return NULL;
    }
  if (!remove_work_dir (work_dirs, box, error))
    return NULL;
  const char *failed = NULL;
  if (g_mkdir (path, 0755) != 0)
    failed = path;
  else if (symlink (target, link) != 0)
    failed = link;
  if (failed != NULL)
    {
      int err = errno;
      g_set_error (error, BOXFS_ERROR, err, "Cannot create %s: %s", failed, g_strerror (err));
      return NULL;
    }
  return g_steal_pointer (&path);
}

char *
compat_box_init (const char *root, const char *work_dirs, const CompatOptions *options,
                 GError **error)
{
  g_autofree char *box = compat_box_name (options->box_id);
  g_autofree char *path = g_build_filename (root, box, NULL);
  if (options->verbose)
    g_printerr ("Preparing sandbox directory\n");
  if (mkdir (path, 0700) != 0)
    {
      int err = errno;
      if (err != EEXIST)
        {
          g_set_error (error, BOXFS_ERROR, err, "Cannot create box %s: %s", path, g_strerror (err));
          return NULL;
        }
      if (!reset_existing (root, box, error))
        return NULL;
    }
  if (!set_quota (root, box, options, error))
    return NULL;
  if (work_dirs == NULL)
    return g_steal_pointer (&path);
  return make_work_dir (root, work_dirs, box, error);
}

gboolean
compat_box_cleanup (const char *root, const char *work_dirs, const CompatOptions *options,
                    GError **error)
{
  g_autofree char *box = compat_box_name (options->box_id);
  g_autofree char *path = g_build_filename (root, box, NULL);
  if (work_dirs != NULL && !remove_work_dir (work_dirs, box, error))
    return FALSE;
  if (rmdir (path) == 0)
    {
      if (options->verbose)
        g_printerr ("Deleted sandbox %s\n", path);
      return TRUE;
    }
  int err = errno;
  if (err == ENOENT)
    {
      if (options->verbose)
        g_printerr ("Nothing to do -- box directory did not exist\n");
      return TRUE;
    }
  g_set_error (error, BOXFS_ERROR, err, "Cannot remove box %s: %s", path, g_strerror (err));
  return FALSE;
}
