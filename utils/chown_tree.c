#include "chown_tree.h"

#include "io_error.h"
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
  int fd = openat (dir_fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT || set_io_error (error, errno, "open", name);

  gboolean ok = TRUE;
  struct stat st;
  if (fstat (fd, &st) < 0)
    ok = set_io_error (error, errno, "examine", name);
  else if (st.st_uid == handover->from_uid
           && ((S_ISREG (st.st_mode) && st.st_nlink == 1) || S_ISDIR (st.st_mode)))
    {
      if (fchownat (fd, "", handover->to_uid, handover->to_gid, AT_EMPTY_PATH) < 0)
        ok = set_io_error (error, errno, "change the owner of", name);
      else if (S_ISDIR (st.st_mode))
        {
          *subdir_fd = openat (fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
          if (*subdir_fd < 0)
            ok = set_io_error (error, errno, "open directory", name);
        }
    }
  close (fd);
  return ok;
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
