#include "chown_tree.h"

#include "autofd.h"
#include "errno_error.h"
#include "tree_walk.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct
{
  uid_t from_uid;
  uid_t to_uid;
  gid_t to_gid;
} Handover;

/* The entry is pinned with O_PATH first, so that what is checked is what is
 * changed, and what is walked into, even if the name is swapped for
 * something else meanwhile. */
static gboolean
hand_entry (int dir_fd, const char *name, int *subdir_fd, gpointer data, GError **error)
{
  const Handover *handover = data;
  autofd fd = openat (dir_fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT || set_io_error (error, errno, "open", name);
  struct stat st;
  if (fstat (fd, &st) < 0)
    return set_io_error (error, errno, "examine", name);
  if (st.st_uid != handover->from_uid
      || !((S_ISREG (st.st_mode) && st.st_nlink == 1) || S_ISDIR (st.st_mode)))
    return TRUE;
  if (fchownat (fd, "", handover->to_uid, handover->to_gid, AT_EMPTY_PATH) < 0)
    return set_io_error (error, errno, "change the owner of", name);
  if (!S_ISDIR (st.st_mode))
    return TRUE;
  *subdir_fd = openat (fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  return *subdir_fd >= 0 || set_io_error (error, errno, "open directory", name);
}

gboolean
chown_tree (int dir_fd, uid_t from_uid, uid_t to_uid, gid_t to_gid, GError **error)
{
  Handover handover = { from_uid, to_uid, to_gid };
  struct stat st;
  if (fstat (dir_fd, &st) < 0)
    return set_io_error (error, errno, "examine", "the tree's top");
  if (st.st_uid == from_uid && fchown (dir_fd, to_uid, to_gid) < 0)
    return set_io_error (error, errno, "change the owner of", "the tree's top");
  return tree_walk (dir_fd, hand_entry, NULL, &handover, error);
}
