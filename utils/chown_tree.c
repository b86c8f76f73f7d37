#include "chown_tree.h"

#include "dir_entries.h"
#include "io_error.h"

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

static gboolean hand_entry (int dir_fd, const char *name, gpointer data, GError **error);

static gboolean
hand_directory (int path_fd, const char *name, const Handover *handover, GError **error)
{
  int fd = openat (path_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return set_io_error (error, errno, "open directory", name);
  gboolean ok = dir_for_each_entry (fd, hand_entry, (gpointer) handover, error);
  close (fd);
  return ok;
}

/* The entry is pinned with O_PATH first, so that what is checked is what is
 * changed, even if the name is swapped for something else meanwhile. */
static gboolean
hand_entry (int dir_fd, const char *name, gpointer data, GError **error)
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
        ok = hand_directory (fd, name, handover, error);
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
  return dir_for_each_entry (dir_fd, hand_entry, &handover, error);
}
