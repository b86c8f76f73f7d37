#include "tmp_volume.h"

#include "box_quota.h"
#include "state_layout.h"
#include "sandbox/sandbox_error.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

/* Like the state directory: others may only pass through, to nothing. */
#define TMP_VOLUME_MODE 0711

char *
tmp_volume_mount (const char *state_dir, guint64 size_kib, GError **error)
{
  g_autofree char *image = g_build_filename (state_dir, STATE_TMP_IMAGE, NULL);
  g_autofree char *dir = g_build_filename (state_dir, STATE_TMP_DIR, NULL);
  tmp_volume_unmount (state_dir);
  if (mkdir (dir, TMP_VOLUME_MODE) < 0 && errno != EEXIST)
    return sandbox_set_errno_error (error, errno, "create", dir), NULL;
  /* No image is left: a fresh one is made. */
  if (!box_quota_settle (image, dir, (gint64) size_kib, 0, 0, TMP_VOLUME_MODE, error))
    {
      g_prefix_error (error, "the boxes' /tmp: ");
      unlink (image);
      return NULL;
    }
  return g_steal_pointer (&dir);
}

void
tmp_volume_unmount (const char *state_dir)
{
  g_autofree char *image = g_build_filename (state_dir, STATE_TMP_IMAGE, NULL);
  g_autofree char *dir = g_build_filename (state_dir, STATE_TMP_DIR, NULL);
  g_autoptr (GError) error = NULL;
  if (!box_quota_unmount (dir, &error))
    g_warning ("%s", error->message);
  if (unlink (image) < 0 && errno != ENOENT)
    g_warning ("cannot remove %s: %s", image, g_strerror (errno));
}
