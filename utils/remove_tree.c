#include "remove_tree.h"

#include "dir_entries.h"
#include "io_error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

gboolean
remove_tree_at (int parent_fd, const char *name, GError **error)
{
  if (unlinkat (parent_fd, name, 0) == 0 || errno == ENOENT)
    return TRUE;
  if (errno != EISDIR)
    return set_io_error (error, errno, "remove", name);

  /* O_NOFOLLOW: if NAME was swapped for a link since unlinkat, this fails
   * rather than descending into the link's target. */
  int fd = openat (parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return set_io_error (error, errno, "open directory", name);
  gboolean emptied = remove_tree_contents (fd, error);
  close (fd);
  if (!emptied)
    return FALSE;
  if (unlinkat (parent_fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
    return set_io_error (error, errno, "remove directory", name);
  return TRUE;
}

static gboolean
remove_entry (int dir_fd, const char *name, gpointer data, GError **error)
{
  return remove_tree_at (dir_fd, name, error);
}

gboolean
remove_tree_contents (int dir_fd, GError **error)
{
  return dir_for_each_entry (dir_fd, remove_entry, NULL, error);
}

/* Keeps NAME if it is a regular file, descends into it if it is a real
 * directory, and removes it otherwise. */
static gboolean
prune_entry (int dir_fd, const char *name, gpointer data, GError **error)
{
  struct stat st;
  if (fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return errno == ENOENT || set_io_error (error, errno, "examine", name);
  if (S_ISREG (st.st_mode))
    return TRUE;
  if (!S_ISDIR (st.st_mode))
    return remove_tree_at (dir_fd, name, error);

  int fd = openat (dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT || set_io_error (error, errno, "open directory", name);
  gboolean ok = remove_special_files (fd, error);
  close (fd);
  return ok;
}

gboolean
remove_special_files (int dir_fd, GError **error)
{
  return dir_for_each_entry (dir_fd, prune_entry, NULL, error);
}
