#include "state_trash.h"

#include "sandbox_error.h"
#include "utils/remove_tree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* renameat */
#include <sys/stat.h>
#include <unistd.h>

#define TRASH_DIR "trash"

struct _StateTrash
{
  int dir_fd;
  guint64 next; /* names the entries: no two alike */
  GThreadPool *deleter;
};

static void
delete_entry (gpointer data, gpointer user_data)
{
  g_autofree char *name = data;
  StateTrash *trash = user_data;
  g_autoptr (GError) error = NULL;
  if (!remove_tree_at (trash->dir_fd, name, &error))
    g_warning ("cannot empty the trash: %s", error->message);
}

StateTrash *
state_trash_new (const char *state_dir, GError **error)
{
  g_autofree char *path = g_build_filename (state_dir, TRASH_DIR, NULL);
  if (mkdir (path, 0700) < 0 && errno != EEXIST)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "cannot create %s: %s", path,
                   g_strerror (errno));
      return NULL;
    }
  StateTrash *trash = g_new0 (StateTrash, 1);
  trash->dir_fd = open (path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (trash->dir_fd < 0)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "cannot open %s: %s", path,
                   g_strerror (errno));
      g_free (trash);
      return NULL;
    }
  if (!remove_tree_contents (trash->dir_fd, error))
    {
      g_prefix_error (error, "cannot empty %s: ", path);
      state_trash_free (trash);
      return NULL;
    }
  /* One thread, made when first needed: deletions go one at a time. */
  trash->deleter = g_thread_pool_new (delete_entry, trash, 1, FALSE, NULL);
  return trash;
}

void
state_trash_free (StateTrash *trash)
{
  if (trash == NULL)
    return;
  if (trash->deleter != NULL)
    g_thread_pool_free (trash->deleter, FALSE, TRUE);
  close (trash->dir_fd);
  g_free (trash);
}

gboolean
state_trash_take (StateTrash *trash, int dir_fd, const char *name, GError **error)
{
  char *entry = g_strdup_printf ("%s.%" G_GUINT64_FORMAT, name, trash->next++);
  if (renameat (dir_fd, name, trash->dir_fd, entry) < 0)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "cannot move %s to the trash: %s",
                   name, g_strerror (errno));
      g_free (entry);
      return FALSE;
    }
  g_thread_pool_push (trash->deleter, entry, NULL);
  return TRUE;
}
