#include "state_trash.h"

#include "state_layout.h"

#include "sandbox/sandbox_error.h"
#include "utils/autofd.h"
#include "utils/remove_tree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* renameat */
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SPARES 16 /* enough for a judge's boxes coming and going */

struct _StateTrash
{
  int trash_fd;
  int spare_fd;
  StateTrashCleanFunc clean;
  guint64 next_entry; /* names in the trash (main thread) */
  guint64 next_spare; /* names of spares (the thread) */
  GThreadPool *worker;
  GMutex lock;   /* for spares */
  GQueue spares; /* of names, ready for reuse */
};

static gboolean
open_dir (const char *state_dir, const char *name, int *fd, GError **error)
{
  g_autofree char *path = g_build_filename (state_dir, name, NULL);
  if (mkdir (path, 0700) < 0 && errno != EEXIST)
    return sandbox_set_errno_error (error, errno, "create", path);
  *fd = open (path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (*fd < 0)
    return sandbox_set_errno_error (error, errno, "open", path);
  if (remove_tree_contents (*fd, error))
    return TRUE;
  g_prefix_error (error, "cannot empty %s: ", path);
  return FALSE;
}

static guint
count_spares (StateTrash *trash)
{
  g_mutex_lock (&trash->lock);
  guint count = trash->spares.length;
  g_mutex_unlock (&trash->lock);
  return count;
}

/* Cleans the entry and makes it a spare; FALSE if it is not fit for one. */
static gboolean
keep_as_spare (StateTrash *trash, const char *entry, GError **error)
{
  autofd fd = openat (trash->trash_fd, entry, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return sandbox_set_errno_error (error, errno, "open", entry);
  if (!trash->clean (fd, error))
    return FALSE;
  char *spare = g_strdup_printf ("%" G_GUINT64_FORMAT, trash->next_spare++);
  /* Under the lock: a spare seen in the directory is one a box can take. */
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&trash->lock);
  if (renameat (trash->trash_fd, entry, trash->spare_fd, spare) < 0)
    {
      g_free (spare);
      return sandbox_set_errno_error (error, errno, "keep", entry);
    }
  g_queue_push_tail (&trash->spares, spare);
  return TRUE;
}

static void
handle_entry (gpointer data, gpointer user_data)
{
  g_autofree char *entry = data;
  StateTrash *trash = user_data;
  g_autoptr (GError) error = NULL;
  if (count_spares (trash) < MAX_SPARES && keep_as_spare (trash, entry, &error))
    return;
  if (error != NULL)
    g_message ("a removed box's directory is deleted, not kept: %s", error->message);
  g_clear_error (&error);
  if (!remove_tree_at (trash->trash_fd, entry, &error))
    g_warning ("cannot empty the trash: %s", error->message);
}

StateTrash *
state_trash_new (const char *state_dir, StateTrashCleanFunc clean, GError **error)
{
  StateTrash *trash = g_new0 (StateTrash, 1);
  trash->trash_fd = trash->spare_fd = -1;
  trash->clean = clean;
  g_mutex_init (&trash->lock);
  g_queue_init (&trash->spares);
  if (!open_dir (state_dir, STATE_TRASH_DIR, &trash->trash_fd, error)
      || !open_dir (state_dir, STATE_SPARE_DIR, &trash->spare_fd, error))
    {
      state_trash_free (trash);
      return NULL;
    }
  /* One thread, made when first needed: one directory at a time. */
  trash->worker = g_thread_pool_new (handle_entry, trash, 1, FALSE, NULL);
  return trash;
}

void
state_trash_free (StateTrash *trash)
{
  if (trash == NULL)
    return;
  if (trash->worker != NULL)
    g_thread_pool_free (trash->worker, FALSE, TRUE);
  autofd_close (&trash->trash_fd);
  autofd_close (&trash->spare_fd);
  g_queue_clear_full (&trash->spares, g_free);
  g_mutex_clear (&trash->lock);
  g_free (trash);
}

gboolean
state_trash_take (StateTrash *trash, int dir_fd, const char *name, GError **error)
{
  char *entry = g_strdup_printf ("%s.%" G_GUINT64_FORMAT, name, trash->next_entry++);
  if (renameat (dir_fd, name, trash->trash_fd, entry) < 0)
    {
      g_free (entry);
      return sandbox_set_errno_error (error, errno, "move to the trash", name);
    }
  g_thread_pool_push (trash->worker, entry, NULL);
  return TRUE;
}

gboolean
state_trash_reuse (StateTrash *trash, int dir_fd, const char *name)
{
  g_mutex_lock (&trash->lock);
  g_autofree char *spare = g_queue_pop_head (&trash->spares);
  g_mutex_unlock (&trash->lock);
  if (spare == NULL)
    return FALSE;
  if (renameat (trash->spare_fd, spare, dir_fd, name) == 0)
    return TRUE;
  g_warning ("cannot reuse the spare directory %s: %s", spare, g_strerror (errno));
  return FALSE;
}
