#include "remove_tree.h"

#include "autofd.h"
#include "errno_error.h"
#include "tree_walk.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <sys/stat.h>
#include <unistd.h>

/* Removes NAME if it is anything but a directory; a directory is walked
 * into, and removed once left (remove_left_directory). */
static gboolean
remove_entry (int dir_fd, const char *name, int *subdir_fd, gpointer data, GError **error)
{
  if (unlinkat (dir_fd, name, 0) == 0 || errno == ENOENT)
    return TRUE;
  if (errno != EISDIR)
    return set_io_error (error, errno, "remove", name);

  /* O_NOFOLLOW: if NAME was swapped for a link since unlinkat, this fails
   * rather than descending into the link's target. */
  *subdir_fd = openat (dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (*subdir_fd < 0)
    return set_io_error (error, errno, "open directory", name);
  return TRUE;
}

static gboolean
remove_left_directory (int parent_fd, const char *name, gpointer data, GError **error)
{
  if (unlinkat (parent_fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
    return set_io_error (error, errno, "remove directory", name);
  return TRUE;
}

gboolean
remove_tree_contents (int dir_fd, GError **error)
{
  return tree_walk (dir_fd, remove_entry, remove_left_directory, NULL, error);
}

gboolean
remove_tree_at (int parent_fd, const char *name, GError **error)
{
  autofd fd = -1;
  if (!remove_entry (parent_fd, name, &fd, NULL, error))
    return FALSE;
  if (fd < 0)
    return TRUE; /* removed, or missing */
  gboolean emptied = tree_walk (fd, remove_entry, remove_left_directory, NULL, error);
  autofd_close (&fd);
  return emptied && remove_left_directory (parent_fd, name, NULL, error);
}

/* Keeps NAME if it is a regular file, walks into it if it is a real
 * directory, and removes it otherwise. */
static gboolean
prune_entry (int dir_fd, const char *name, int *subdir_fd, gpointer data, GError **error)
{
  struct stat st;
  if (fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return errno == ENOENT || set_io_error (error, errno, "examine", name);
  if (S_ISREG (st.st_mode))
    return TRUE;
  if (!S_ISDIR (st.st_mode))
    {
      if (unlinkat (dir_fd, name, 0) == 0 || errno == ENOENT)
        return TRUE;
      if (errno != EISDIR)
        return set_io_error (error, errno, "remove", name);
      /* It became a directory since it was examined: walk it as one. */
    }

  *subdir_fd = openat (dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (*subdir_fd < 0)
    return errno == ENOENT || set_io_error (error, errno, "open directory", name);
  return TRUE;
}

gboolean
remove_special_files (int dir_fd, GError **error)
{
  return tree_walk (dir_fd, prune_entry, NULL, NULL, error);
}
