#include "box_store.h"

#include "sandbox/host/state_layout.h"
#include "sandbox/sandbox_error.h"
#include "utils/autofd.h"
#include "utils/dir_entries.h"
#include "utils/remove_tree.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct _BoxStore
{
  char *dir;          /* state_dir/boxes/NAME: root's, out of the program's reach */
  char *work_dir;     /* dir/box: the program's /box */
  guint64 generation; /* of the last record saved */
};

/* The record is saved in turn to each of a pair, the first save (generation
 * 1) to BOX_RECORD_FILE. */
static const char *const record_files[] = { BOX_RECORD_FILE, BOX_RECORD_FILE_OTHER };
#define RECORD_FILE_OF(generation) (record_files[((generation) + 1) % 2])

BoxStore *
box_store_new (const char *dir, guint64 generation)
{
  BoxStore *store = g_new0 (BoxStore, 1);
  store->dir = g_strdup (dir);
  store->work_dir = g_build_filename (dir, BOX_WORK_DIR, NULL);
  store->generation = generation;
  return store;
}

void
box_store_free (BoxStore *store)
{
  if (store == NULL)
    return;
  g_free (store->dir);
  g_free (store->work_dir);
  g_free (store);
}

void
box_store_move (BoxStore *store, const char *dir)
{
  g_free (store->dir);
  g_free (store->work_dir);
  store->dir = g_strdup (dir);
  store->work_dir = g_build_filename (dir, BOX_WORK_DIR, NULL);
}

const char *
box_store_work_dir (const BoxStore *store)
{
  return store->work_dir;
}

char *
box_store_path (const BoxStore *store, const char *name)
{
  return g_build_filename (store->dir, name, NULL);
}

int
box_store_open_work_dir (const BoxStore *store, GError **error)
{
  int fd = open (store->work_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    sandbox_set_errno_error (error, errno, "open", store->work_dir);
  return fd;
}

/* Writes text over what path held, in place: no new inode, no rename (on
 * ext4 a rename over a file writes it out first, 0.3 ms, and creating and
 * unlinking inodes cost 0.1-0.2 ms each on a filesystem where many were
 * deleted lately: traced). A daemon killed in the middle leaves the file
 * torn, and the loader takes the other one of the pair. */
static gboolean
write_in_place (const char *path, const char *text, GError **error)
{
  autofd fd = open (path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return sandbox_set_errno_error (error, errno, "open", path);
  gsize length = strlen (text);
  gsize done = 0;
  while (done < length)
    {
      ssize_t n = pwrite (fd, text + done, length - done, done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += n;
    }
  /* A text as long as the file's (the run marker's always is) needs no
   * truncation, which on ext4 is one more journalled inode update. */
  struct stat st;
  gboolean same_size = fstat (fd, &st) == 0 && st.st_size == (off_t) length;
  if (done == length && (same_size || ftruncate (fd, length) == 0))
    return TRUE;
  return sandbox_set_errno_error (error, errno ? errno : EIO, "write", path);
}

gboolean
box_store_save (BoxStore *store, BoxRecord *record, GError **error)
{
  record->generation = store->generation + 1;
  g_autofree char *json = box_record_to_json (record);
  g_autofree char *path = box_store_path (store, RECORD_FILE_OF (record->generation));
  if (!write_in_place (path, json, error))
    return FALSE;
  store->generation = record->generation;
  return TRUE;
}

BoxRecord *
box_store_read_record (const char *dir, GError **error)
{
  BoxRecord *newest = NULL;
  GError *first_error = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (record_files); i++)
    {
      g_autofree char *path = g_build_filename (dir, record_files[i], NULL);
      g_autofree char *data = NULL;
      gsize length = 0;
      GError *local_error = NULL;
      BoxRecord *record = NULL;
      if (g_file_get_contents (path, &data, &length, &local_error))
        record = box_record_from_json (data, length, &local_error);
      if (record == NULL && i == 0)
        first_error = local_error;
      else if (record == NULL)
        g_error_free (local_error);
      else if (newest == NULL || record->generation > newest->generation)
        {
          box_record_free (newest);
          newest = record;
        }
      else
        box_record_free (record);
    }
  if (newest != NULL)
    g_clear_error (&first_error);
  else
    g_propagate_error (error, first_error);
  return newest;
}

static const char *const run_marks[] = {
  [BOX_RUN_MARK_STOPPED] = "stopped\n",
  [BOX_RUN_MARK_RUNNING] = "running\n",
  [BOX_RUN_MARK_INTERRUPTED] = "interrupted\n",
};

/* No fsync: the marker only has to outlive the daemon, not the machine.
 * Written in place, not created and removed, and "running" and "stopped"
 * of one length, so that a run only ever overwrites it: 0.1 ms less per
 * run. */
gboolean
box_store_mark_run (BoxStore *store, BoxRunMark mark, GError **error)
{
  g_autofree char *path = box_store_path (store, BOX_RUN_MARKER);
  return write_in_place (path, run_marks[mark], error);
}

BoxRunMark
box_store_run_mark (const BoxStore *store)
{
  g_autofree char *path = box_store_path (store, BOX_RUN_MARKER);
  g_autofree char *text = NULL;
  /* A prefix: a longer mark overwritten by a shorter one, its end not cut
   * off yet when the daemon was killed, still reads as the shorter. */
  if (g_file_get_contents (path, &text, NULL, NULL))
    for (BoxRunMark mark = 0; mark < G_N_ELEMENTS (run_marks); mark++)
      if (g_str_has_prefix (text, run_marks[mark]))
        return mark;
  return BOX_RUN_MARK_STOPPED;
}

/* ---- A removed box's directory, made fit for a new box ---- */

static gboolean
is_kept_file (const char *name)
{
  static const char *const kept[] = { BOX_RECORD_FILE, BOX_RECORD_FILE_OTHER, BOX_STDIN_FILE,
                                      BOX_STDOUT_FILE, BOX_STDERR_FILE,       BOX_RUN_MARKER };
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    if (strcmp (name, kept[i]) == 0)
      return TRUE;
  return FALSE;
}

/* A directory of the layout, emptied; box/ goes back to root until a new
 * owner takes it. */
static gboolean
clean_dir (int dir_fd, const char *name, GError **error)
{
  autofd fd = openat (dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return sandbox_set_errno_error (error, errno, "open", name);
  if (!remove_tree_contents (fd, error))
    return FALSE;
  if (fchown (fd, 0, 0) < 0 || fchmod (fd, 0700) < 0)
    return sandbox_set_errno_error (error, errno, "take back", name);
  return TRUE;
}

static gboolean
clean_file (int dir_fd, const char *name, GError **error)
{
  autofd fd = openat (dir_fd, name, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return sandbox_set_errno_error (error, errno, "open", name);
  struct stat st;
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && ftruncate (fd, 0) == 0)
    return TRUE;
  return sandbox_set_errno_error (error, errno ? errno : EINVAL, "empty", name);
}

static gboolean
clean_entry (int dir_fd, const char *name, gpointer data, GError **error)
{
  if (strcmp (name, BOX_WORK_DIR) == 0 || strcmp (name, BOX_ROOT_DIR) == 0)
    return clean_dir (dir_fd, name, error);
  if (is_kept_file (name))
    return clean_file (dir_fd, name, error);
  return remove_tree_at (dir_fd, name, error);
}

gboolean
box_store_clean_dir (int dir_fd, GError **error)
{
  return dir_for_each_entry (dir_fd, clean_entry, NULL, error);
}
