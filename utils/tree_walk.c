#include "tree_walk.h"

#include "autofd.h"
#include "errno_error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One directory on the way from the top to the current one. */
typedef struct
{
  DIR *dir;           /* its listing, read as the walk goes, until it is closed */
  int fd;             /* dirfd (dir), or a descriptor opened again; -1 while closed */
  GPtrArray *pending; /* once its listing is closed: the names it had still to give */
  guint next;         /* the next of pending to visit */
  dev_t dev;          /* what it is, to recognize it when opened again */
  ino_t ino;
  char *name; /* its name in the level above; NULL for the top */
} Level;

typedef struct
{
  GArray *levels;    /* of Level: the top first, the current directory last */
  guint lowest_open; /* the levels below it are closed; it and those above are open */
} Walk;

static const char *
level_name (const Level *level)
{
  return level->name != NULL ? level->name : "the tree's top";
}

static void
clear_level (gpointer data)
{
  Level *level = data;
  if (level->dir != NULL)
    closedir (level->dir);
  else
    autofd_close (&level->fd);
  if (level->pending != NULL)
    g_ptr_array_unref (level->pending);
  g_free (level->name);
}

/* The next name of the listing, but . and ..; NULL at its end, or on error
 * with error set. */
static const char *
read_name (DIR *dir, const char *what, GError **error)
{
  for (;;)
    {
      errno = 0;
      struct dirent *entry = readdir (dir);
      if (entry == NULL)
        {
          if (errno != 0)
            set_io_error (error, errno, "read directory", what);
          return NULL;
        }
      const char *name = entry->d_name;
      if (!(name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))))
        return name;
    }
}

static const char *
next_name (Level *level, GError **error)
{
  if (level->dir != NULL)
    return read_name (level->dir, level_name (level), error);
  if (level->pending != NULL && level->next < level->pending->len)
    return g_ptr_array_index (level->pending, level->next++);
  return NULL;
}

/* Closes the level's descriptor; the names its listing had still to give
 * are read first, for when the walk comes back to it. */
static gboolean
close_level (Level *level, GError **error)
{
  if (level->dir == NULL)
    {
      autofd_close (&level->fd);
      return TRUE;
    }
  GError *read_error = NULL;
  const char *name;
  level->pending = g_ptr_array_new_with_free_func (g_free);
  while ((name = read_name (level->dir, level_name (level), &read_error)) != NULL)
    g_ptr_array_add (level->pending, g_strdup (name));
  closedir (level->dir);
  level->dir = NULL;
  level->fd = -1;
  if (read_error == NULL)
    return TRUE;
  g_propagate_error (error, read_error);
  return FALSE;
}

/* Makes the directory open as fd (which it owns) the current level, and
 * closes the oldest open levels past TREE_WALK_MAX_OPEN. */
static gboolean
push_level (Walk *walk, int fd, const char *name, GError **error)
{
  Level level = { .fd = fd, .name = g_strdup (name) };
  struct stat st;
  if (fstat (fd, &st) < 0)
    {
      set_io_error (error, errno, "examine", level_name (&level));
      clear_level (&level);
      return FALSE;
    }
  level.dev = st.st_dev;
  level.ino = st.st_ino;
  level.dir = fdopendir (fd);
  if (level.dir == NULL)
    {
      set_io_error (error, errno, "read directory", level_name (&level));
      clear_level (&level);
      return FALSE;
    }
  g_array_append_val (walk->levels, level);

  while (walk->levels->len - walk->lowest_open > TREE_WALK_MAX_OPEN)
    if (!close_level (&g_array_index (walk->levels, Level, walk->lowest_open++), error))
      return FALSE;
  return TRUE;
}

/* Done with the current level: back to its parent, opened again through
 * ".." if it was closed. */
static gboolean
pop_level (Walk *walk, TreeLeaveFunc leave, gpointer data, GError **error)
{
  guint last = walk->levels->len - 1;
  Level *level = &g_array_index (walk->levels, Level, last);
  Level *parent = &g_array_index (walk->levels, Level, last - 1);
  if (parent->fd < 0)
    {
      parent->fd
          = tree_walk_open_parent (level->fd, parent->dev, parent->ino, level_name (parent), error);
      if (parent->fd < 0)
        return FALSE;
      walk->lowest_open = last - 1;
    }
  int parent_fd = parent->fd;
  g_autofree char *name = g_steal_pointer (&level->name);
  g_array_set_size (walk->levels, last); /* closes it */
  return leave == NULL || leave (parent_fd, name, data, error);
}

gboolean
tree_walk (int dir_fd, TreeVisitFunc visit, TreeLeaveFunc leave, gpointer data, GError **error)
{
  /* A descriptor of its own, so that reading it moves nothing of dir_fd's. */
  int fd = openat (dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return set_io_error (error, errno, "open", "the tree's top");

  Walk walk = { g_array_new (FALSE, TRUE, sizeof (Level)), 0 };
  g_array_set_clear_func (walk.levels, clear_level);
  gboolean ok = push_level (&walk, fd, NULL, error);
  while (ok && walk.levels->len > 0)
    {
      Level *level = &g_array_index (walk.levels, Level, walk.levels->len - 1);
      GError *read_error = NULL;
      const char *name = next_name (level, &read_error);
      if (read_error != NULL)
        {
          g_propagate_error (error, read_error);
          ok = FALSE;
        }
      else if (name == NULL && walk.levels->len == 1)
        g_array_set_size (walk.levels, 0);
      else if (name == NULL)
        ok = pop_level (&walk, leave, data, error);
      else
        {
          int subdir_fd = -1;
          ok = visit (level->fd, name, &subdir_fd, data, error);
          if (subdir_fd >= 0 && ok)
            ok = push_level (&walk, subdir_fd, name, error);
          else
            autofd_close (&subdir_fd);
        }
    }
  g_array_unref (walk.levels);
  return ok;
}

int
tree_walk_open_parent (int dir_fd, dev_t dev, ino_t ino, const char *name, GError **error)
{
  /* ".." is never a link; O_NOFOLLOW says so anyway. */
  autofd fd = openat (dir_fd, "..", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return set_io_error (error, errno, "open again", name), -1;
  struct stat st;
  if (fstat (fd, &st) < 0)
    return set_io_error (error, errno, "examine", name), -1;
  if (st.st_dev != dev || st.st_ino != ino)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "cannot go back up to %s: the tree was moved while it was walked", name);
      return -1;
    }
  return autofd_steal (&fd);
}
