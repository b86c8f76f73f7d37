#include "compat_box.h"

#include "boxfs.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

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

static gboolean
set_quota (const char *root, const char *box, const CompatOptions *options, GError **error)
{
  g_autofree char *path = g_build_filename (root, box, "quota", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (options->verbose)
        g_printerr ("Disk quota not supported by this isolatefs: --quota=%u,%u ignored\n",
                    options->quota_blocks, options->quota_inodes);
      return TRUE;
    }
  g_autofree char *value = g_strdup_printf ("%u,%u", options->quota_blocks, options->quota_inodes);
  return boxfs_put (root, box, "quota", value, error);
}

char *
compat_box_init (const char *root, const CompatOptions *options, GError **error)
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
  if (options->quota && !set_quota (root, box, options, error))
    return NULL;
  return g_steal_pointer (&path);
}

gboolean
compat_box_cleanup (const char *root, const CompatOptions *options, GError **error)
{
  g_autofree char *box = compat_box_name (options->box_id);
  g_autofree char *path = g_build_filename (root, box, NULL);
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
