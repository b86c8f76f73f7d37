#include "box_tmp.h"

#include "box_private.h"
#include "sandbox/host/state_layout.h"
#include "sandbox/sandbox_error.h"
#include "utils/autofd.h"
#include "utils/dir_entries.h"
#include "utils/remove_tree.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

/* Root's: the jail binds the directories inside it, nobody reaches it. */
#define BOX_TMP_DIR_MODE 0711

char *
box_tmp_dir (Box *box, GError **error)
{
  if (box->settings.limits[LIMIT_QUOTA] != LIMIT_UNLIMITED)
    return box_store_path (box->store, BOX_TMP_DIR);
  const char *volume = box->shared->tmp_volume;
  if (volume == NULL)
    return NULL;
  g_autofree char *uid = g_strdup_printf ("%u", (guint) box_get_uid (box));
  g_autofree char *dir = g_build_filename (volume, uid, NULL);
  if (mkdir (dir, BOX_TMP_DIR_MODE) < 0 && errno != EEXIST)
    return sandbox_set_errno_error (error, errno, "create", dir), NULL;
  return g_steal_pointer (&dir);
}

static gboolean
empty_one (int dir_fd, const char *name, gpointer data, GError **error)
{
  autofd fd = openat (dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  return fd >= 0 ? remove_tree_contents (fd, error)
                 : sandbox_set_errno_error (error, errno, "open", name);
}

void
box_tmp_empty (Box *box)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = box_tmp_dir (box, &error);
  if (dir == NULL)
    return;
  autofd fd = open (dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 || !dir_for_each_entry (fd, empty_one, NULL, &error))
    g_warning ("box %s: cannot empty its /tmp: %s", box->name,
               error ? error->message : g_strerror (errno));
}
