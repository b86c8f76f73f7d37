#include "fs_ops.h"

#include "control_files.h"
#include "daemon.h"
#include "errno_map.h"
#include "inodes.h"
#include "sandbox/box/box_run.h"
#include "sandbox/sandbox_error.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>

/* Box directories and control files change only through this mount, which
 * invalidates them itself; a short cache saves round trips for `cat`. */
#define CACHE_SECONDS 1.0

/* Names are kept longer: a box goes only by rmdir on this mount, which the
 * kernel sees (its inode number is never given to another box), and a
 * box's files are always the same. With a second, a judge's run after
 * half a second of quiet paid two or three LOOKUP round trips one time in
 * two. Attributes keep the short cache: a box's owner, and so who may
 * open its files, changes with chown. */
#define ENTRY_SECONDS 3600.0

/* An open control file, or (box and file NULL) a daemon-wide file at the
 * root. Readers see the snapshot taken at open. */
typedef struct
{
  Box *box;
  const ControlFile *file;
  GBytes *snapshot;
  GString *written;                    /* multi-line files: the value written so far */
  struct fuse_pollhandle *poll_handle; /* status: the latest poll waiting for the run */
  gpointer poll_watch;
} OpenFile;

static BoxTable *
boxes_of (fuse_req_t req)
{
  Daemon *daemon = fuse_req_userdata (req);
  return daemon->boxes;
}

/* Answers a refused or failed call with its errno, and logs why with who
 * asked: every refusal leaves a line in the log. A failure of the host (EIO)
 * is a warning; a refusal of what a user wrote is a message. */
static void
refuse (fuse_req_t req, int err, const char *what, const char *why)
{
  const struct fuse_ctx *ctx = fuse_req_ctx (req);
  GLogLevelFlags level = err == EIO ? G_LOG_LEVEL_WARNING : G_LOG_LEVEL_MESSAGE;
  g_log (G_LOG_DOMAIN, level, "%s by uid %u: %s (%s)", what, (guint) ctx->uid, why,
         g_strerror (err));
  fuse_reply_err (req, err);
}

static void
reply_error (fuse_req_t req, const char *what, const char *path, const GError *error)
{
  g_autofree char *what_path = g_strdup_printf ("%s %s", what, path);
  refuse (req, errno_from_error (error), what_path, error->message);
}

/* The box an inode belongs to, or NULL (root, or a box gone since). */
static Box *
box_of_inode (fuse_req_t req, fuse_ino_t ino)
{
  return box_table_find_box_by_id (boxes_of (req), inode_box_id (ino));
}

static void
stat_root (BoxTable *boxes, struct stat *st)
{
  st->st_ino = FUSE_ROOT_ID;
  /* Anyone the mount lets in may make a box; the sticky bit keeps each
   * user's boxes theirs to remove (the kernel checks, default_permissions). */
  st->st_mode = S_IFDIR | S_ISVTX | 0777;
  st->st_nlink = 2 + box_table_count_boxes (boxes);
}

static void
stat_box_dir (Box *box, struct stat *st)
{
  st->st_ino = inode_of_box (box_get_id (box));
  st->st_mode = S_IFDIR | box_get_mode (box);
  st->st_nlink = 2;
  st->st_uid = box_get_owner_uid (box);
  st->st_gid = box_get_owner_gid (box);
}

/* Fills st for any inode; FALSE if it no longer exists. */
static gboolean
stat_inode (fuse_req_t req, fuse_ino_t ino, struct stat *st)
{
  Daemon *daemon = fuse_req_userdata (req);
  memset (st, 0, sizeof *st);
  st->st_atime = st->st_mtime = st->st_ctime = daemon->started;
  if (ino == FUSE_ROOT_ID)
    {
      stat_root (boxes_of (req), st);
      return TRUE;
    }
  if (ino == INODE_LANGUAGES)
    {
      /* Read-only for everyone, root included; size 0 as control files. */
      st->st_ino = ino;
      st->st_mode = S_IFREG | 0444;
      st->st_nlink = 1;
      return TRUE;
    }
  Box *box = box_of_inode (req, ino);
  if (box == NULL)
    return FALSE;
  gint index = inode_file_index (ino);
  if (index < 0)
    {
      stat_box_dir (box, st);
      return TRUE;
    }
  const ControlFile *file = control_file_at (index);
  if (file == NULL)
    return FALSE;
  control_file_stat (file, box, st);
  st->st_ino = ino;
  return TRUE;
}

/* stdin's size changes with every write and truncate: never cache it. */
static double
attr_timeout (fuse_ino_t ino)
{
  const ControlFile *file = control_file_at (inode_file_index (ino));
  return file != NULL && file->kind == CONTROL_STDIN ? 0 : CACHE_SECONDS;
}

static void
reply_entry (fuse_req_t req, fuse_ino_t ino)
{
  struct fuse_entry_param entry = { .ino = ino };
  if (!stat_inode (req, ino, &entry.attr))
    {
      fuse_reply_err (req, ENOENT);
      return;
    }
  entry.attr_timeout = attr_timeout (ino);
  entry.entry_timeout = ENTRY_SECONDS;
  fuse_reply_entry (req, &entry);
}

static void
op_lookup (fuse_req_t req, fuse_ino_t parent, const char *name)
{
  if (parent == FUSE_ROOT_ID && strcmp (name, ".languages") == 0)
    {
      reply_entry (req, INODE_LANGUAGES);
      return;
    }
  if (parent == FUSE_ROOT_ID)
    {
      Box *box = box_table_find_box (boxes_of (req), name);
      if (box == NULL)
        fuse_reply_err (req, ENOENT);
      else
        reply_entry (req, inode_of_box (box_get_id (box)));
      return;
    }
  Box *box = box_of_inode (req, parent);
  guint index;
  if (box == NULL || inode_file_index (parent) >= 0 || !control_file_lookup (name, &index))
    fuse_reply_err (req, ENOENT);
  else
    reply_entry (req, inode_of_file (box_get_id (box), index));
}

static void
op_getattr (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
  struct stat st;
  if (!stat_inode (req, ino, &st))
    fuse_reply_err (req, ENOENT);
  else
    fuse_reply_attr (req, &st, attr_timeout (ino));
}

/* chmod and chown of a box's directory share or give the box, as with any
 * directory; the kernel has checked the caller may (default_permissions). */
static gboolean
set_box_access (fuse_req_t req, Box *box, struct stat *attr, int to_set)
{
  g_autoptr (GError) error = NULL;
  uid_t uid = to_set & FUSE_SET_ATTR_UID ? attr->st_uid : box_get_owner_uid (box);
  gid_t gid = to_set & FUSE_SET_ATTR_GID ? attr->st_gid : box_get_owner_gid (box);
  if ((to_set & (FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)) && !box_set_owner (box, uid, gid, &error))
    {
      reply_error (req, "chown", box_get_name (box), error);
      return FALSE;
    }
  if ((to_set & FUSE_SET_ATTR_MODE) && !box_set_mode (box, attr->st_mode, &error))
    {
      reply_error (req, "chmod", box_get_name (box), error);
      return FALSE;
    }
  return TRUE;
}

/* A file's size can be set (truncate, O_TRUNC), a box directory's mode and
 * owner; times are accepted and ignored so that `touch` works. */
static void
op_setattr (fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
            struct fuse_file_info *fi)
{
  Box *box = box_of_inode (req, ino);
  if (ino == INODE_LANGUAGES)
    {
      /* Times are accepted and ignored, as everywhere. */
      if (to_set & (FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID))
        refuse (req, EPERM, "chmod/chown", "daemon-wide files keep their mode and owner");
      else if (to_set & FUSE_SET_ATTR_SIZE)
        refuse (req, EACCES, "truncate .languages", "the file is read-only");
      else
        op_getattr (req, ino, fi);
      return;
    }
  if (ino != FUSE_ROOT_ID && box == NULL)
    {
      fuse_reply_err (req, ENOENT);
      return;
    }
  const ControlFile *file = control_file_at (inode_file_index (ino));
  int access_bits = FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID;
  if ((to_set & access_bits) && (box == NULL || file != NULL))
    {
      refuse (req, EPERM, "chmod/chown", "only a box's directory changes mode or owner");
      return;
    }
  if ((to_set & access_bits) && !set_box_access (req, box, attr, to_set))
    return;
  if ((to_set & FUSE_SET_ATTR_SIZE) && file == NULL)
    {
      refuse (req, EISDIR, "truncate", "a directory has no size to set");
      return;
    }
  g_autoptr (GError) error = NULL;
  if ((to_set & FUSE_SET_ATTR_SIZE) && !control_file_truncate (file, box, attr->st_size, &error))
    {
      g_autofree char *path = g_build_filename (box_get_name (box), file->name, NULL);
      reply_error (req, "truncate", path, error);
      return;
    }
  op_getattr (req, ino, fi);
}

static void
op_readlink (fuse_req_t req, fuse_ino_t ino)
{
  Box *box = box_of_inode (req, ino);
  const ControlFile *file = control_file_at (inode_file_index (ino));
  if (box == NULL || file == NULL || file->kind != CONTROL_WORK_DIR)
    fuse_reply_err (req, box == NULL && ino != INODE_LANGUAGES ? ENOENT : EINVAL);
  else
    fuse_reply_readlink (req, box_get_work_dir (box));
}

static void
op_mkdir (fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
  if (parent != FUSE_ROOT_ID)
    {
      refuse (req, EPERM, "mkdir", "directories are made only at the root: boxes");
      return;
    }
  const struct fuse_ctx *ctx = fuse_req_ctx (req);
  g_autoptr (GError) error = NULL;
  Box *box = box_table_create_box (boxes_of (req), name, ctx->uid, ctx->gid, &error);
  if (box == NULL)
    reply_error (req, "mkdir", name, error);
  else
    reply_entry (req, inode_of_box (box_get_id (box)));
}

static void
op_rmdir (fuse_req_t req, fuse_ino_t parent, const char *name)
{
  if (parent != FUSE_ROOT_ID)
    {
      fuse_reply_err (req, box_of_inode (req, parent) ? ENOTDIR : ENOENT);
      return;
    }
  g_autoptr (GError) error = NULL;
  if (!box_table_destroy_box (boxes_of (req), name, &error))
    reply_error (req, "rmdir", name, error);
  else
    fuse_reply_err (req, 0);
}

/* Nothing but mkdir makes an entry, and nothing but rmdir removes one. */
static void
op_unlink (fuse_req_t req, fuse_ino_t parent, const char *name)
{
  refuse (req, EPERM, "unlink", "control files are removed with their box (rmdir)");
}

static void
op_mknod (fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev)
{
  refuse (req, EPERM, "mknod", "only mkdir makes entries");
}

static void
op_symlink (fuse_req_t req, const char *link, fuse_ino_t parent, const char *name)
{
  refuse (req, EPERM, "symlink", "only mkdir makes entries");
}

static void
op_link (fuse_req_t req, fuse_ino_t ino, fuse_ino_t new_parent, const char *new_name)
{
  refuse (req, EPERM, "link", "only mkdir makes entries");
}

static void
op_rename (fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t new_parent,
           const char *new_name, unsigned int flags)
{
  refuse (req, EPERM, "rename", "boxes and their files keep their names");
}

static void
op_create (fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
           struct fuse_file_info *fi)
{
  refuse (req, EACCES, "create", "only mkdir makes entries");
}

static gboolean
access_allowed (const ControlFile *file, int flags)
{
  int mode = flags & O_ACCMODE;
  if ((mode == O_RDONLY || mode == O_RDWR) && !control_file_readable (file))
    return FALSE;
  if ((mode == O_WRONLY || mode == O_RDWR) && !control_file_writable (file))
    return FALSE;
  return TRUE;
}

static void
open_file_free (OpenFile *open_file)
{
  if (open_file->poll_watch != NULL)
    box_unwatch_run_end (open_file->box, open_file->poll_watch);
  if (open_file->poll_handle != NULL)
    fuse_pollhandle_destroy (open_file->poll_handle);
  if (open_file->box != NULL)
    box_unref (open_file->box);
  g_clear_pointer (&open_file->snapshot, g_bytes_unref);
  if (open_file->written != NULL)
    g_string_free (open_file->written, TRUE);
  g_free (open_file);
}

/* .languages: a snapshot of the table, read-only even for root. */
static void
open_languages (fuse_req_t req, struct fuse_file_info *fi)
{
  if ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & O_TRUNC))
    {
      refuse (req, EACCES, "open .languages", "the file is read-only");
      return;
    }
  OpenFile *open_file = g_new0 (OpenFile, 1);
  char *text = box_table_read_languages (boxes_of (req));
  open_file->snapshot = g_bytes_new_take (text, strlen (text));
  fi->fh = (uint64_t) (uintptr_t) open_file;
  fi->direct_io = 1;
  fuse_reply_open (req, fi);
}

static void
op_open (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
  if (ino == INODE_LANGUAGES)
    {
      open_languages (req, fi);
      return;
    }
  Box *box = box_of_inode (req, ino);
  const ControlFile *file = control_file_at (inode_file_index (ino));
  if (box == NULL || file == NULL)
    {
      fuse_reply_err (req, box == NULL ? ENOENT : EISDIR);
      return;
    }
  /* Mode bits alone do not stop root: a read-only file stays read-only. */
  if (!access_allowed (file, fi->flags))
    {
      refuse (req, EACCES, "open",
              control_file_writable (file) ? "the file is write-only" : "the file is read-only");
      return;
    }
  /* A write to either starts a run: its sandbox gets ready meanwhile. */
  if ((file->kind == CONTROL_CMD || file->kind == CONTROL_SOURCE)
      && (fi->flags & O_ACCMODE) != O_RDONLY)
    box_expect_run (box);

  g_autoptr (GError) error = NULL;
  /* libfuse asks the kernel to pass O_TRUNC here rather than as a setattr. */
  gboolean truncated = !(fi->flags & O_TRUNC) || control_file_truncate (file, box, 0, &error);
  OpenFile *open_file = g_new0 (OpenFile, 1);
  open_file->box = box_ref (box);
  open_file->file = file;
  /* status is taken at each read from the start, which may wait for the run. */
  if (truncated && (fi->flags & O_ACCMODE) != O_WRONLY && file->kind != CONTROL_STDIN
      && file->kind != CONTROL_STATUS)
    open_file->snapshot = control_file_snapshot (file, box, &error);
  if (error != NULL)
    {
      open_file_free (open_file);
      g_autofree char *path = g_build_filename (box_get_name (box), file->name, NULL);
      reply_error (req, "open", path, error);
      return;
    }
  fi->fh = (uint64_t) (uintptr_t) open_file;
  fi->direct_io = 1;
  fuse_reply_open (req, fi);
}

static OpenFile *
open_file_of (struct fuse_file_info *fi)
{
  return (OpenFile *) (uintptr_t) fi->fh;
}

static void
reply_snapshot (fuse_req_t req, OpenFile *open_file, size_t size, off_t offset)
{
  gsize length;
  const char *data = g_bytes_get_data (open_file->snapshot, &length);
  if ((guint64) offset >= length)
    fuse_reply_buf (req, NULL, 0);
  else
    fuse_reply_buf (req, data + offset, MIN (size, length - offset));
}

/* A read of status that waits for the run to end, holding its request (no
 * thread) until the box tells it or the reader is interrupted. */
typedef struct
{
  fuse_req_t req;
  OpenFile *open_file;
  size_t size;
  gpointer watch;
} StatusWait;

static void
on_run_end (Box *box, gpointer data)
{
  StatusWait *wait = data;
  g_clear_pointer (&wait->open_file->snapshot, g_bytes_unref);
  wait->open_file->snapshot = control_file_snapshot (wait->open_file->file, box, NULL);
  reply_snapshot (wait->req, wait->open_file, wait->size, 0);
  g_free (wait);
}

/* Ctrl-C on a waiting `cat`: answer at once. libfuse may call this from
 * inside fuse_req_interrupt_func if the interrupt came first. */
static void
on_status_interrupt (fuse_req_t req, void *data)
{
  StatusWait *wait = data;
  box_unwatch_run_end (wait->open_file->box, wait->watch);
  fuse_reply_err (req, EINTR);
  g_free (wait);
}

static void
read_status (fuse_req_t req, OpenFile *open_file, size_t size, off_t offset, int flags)
{
  if (offset == 0 && box_get_state (open_file->box) == BOX_RUNNING && !(flags & O_NONBLOCK))
    {
      StatusWait *wait = g_new0 (StatusWait, 1);
      wait->req = req;
      wait->open_file = open_file;
      wait->size = size;
      wait->watch = box_watch_run_end (open_file->box, on_run_end, wait);
      fuse_req_interrupt_func (req, on_status_interrupt, wait);
      return;
    }
  if (offset == 0 || open_file->snapshot == NULL)
    {
      g_clear_pointer (&open_file->snapshot, g_bytes_unref);
      open_file->snapshot = control_file_snapshot (open_file->file, open_file->box, NULL);
    }
  reply_snapshot (req, open_file, size, offset);
}

static void
op_read (fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, struct fuse_file_info *fi)
{
  OpenFile *open_file = open_file_of (fi);
  if (open_file->file != NULL && open_file->file->kind == CONTROL_STATUS)
    {
      read_status (req, open_file, size, offset, fi->flags);
      return;
    }
  if (open_file->snapshot == NULL)
    {
      g_autofree char *buffer = g_malloc (size);
      g_autoptr (GError) error = NULL;
      gssize done = box_stdin_read (open_file->box, buffer, size, offset, &error);
      if (done < 0)
        reply_error (req, "read", open_file->file->name, error);
      else
        fuse_reply_buf (req, buffer, done);
      return;
    }
  reply_snapshot (req, open_file, size, offset);
}

/* Tools like printf write a multi-line value a line at a time: writes that
 * follow each other through one open descriptor make one value, applied
 * whole at each write. A write at offset 0 starts a new value. */
static gboolean
gather_multi_line (OpenFile *open_file, const char *data, size_t size, off_t offset, GError **error)
{
  if (open_file->written == NULL || offset == 0)
    {
      if (open_file->written != NULL)
        g_string_truncate (open_file->written, 0);
      else
        open_file->written = g_string_new (NULL);
    }
  else if ((gsize) offset != open_file->written->len)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
                   "%s is written from the start, in order", open_file->file->name);
      return FALSE;
    }
  g_string_append_len (open_file->written, data, size);
  return TRUE;
}

static void
op_write (fuse_req_t req, fuse_ino_t ino, const char *data, size_t size, off_t offset,
          struct fuse_file_info *fi)
{
  OpenFile *open_file = open_file_of (fi);
  const struct fuse_ctx *ctx = fuse_req_ctx (req);
  Caller caller = { ctx->uid, ctx->gid };
  g_autoptr (GError) error = NULL;
  gssize done = -1;
  if (!open_file->file->multi_line)
    done
        = control_file_write (open_file->file, open_file->box, data, size, offset, &caller, &error);
  else if (gather_multi_line (open_file, data, size, offset, &error))
    {
      if (control_file_write (open_file->file, open_file->box, open_file->written->str,
                              open_file->written->len, 0, &caller, &error)
          >= 0)
        done = size;
      else /* the refused part is not kept for the next write */
        g_string_truncate (open_file->written, open_file->written->len - size);
    }
  if (done < 0)
    {
      g_autofree char *path
          = g_build_filename (box_get_name (open_file->box), open_file->file->name, NULL);
      reply_error (req, "write", path, error);
      return;
    }
  fuse_reply_write (req, done);
}

static void
op_release (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
  open_file_free (open_file_of (fi));
  fuse_reply_err (req, 0);
}

static void
on_run_end_for_poll (Box *box, gpointer data)
{
  OpenFile *open_file = data;
  open_file->poll_watch = NULL;
  fuse_lowlevel_notify_poll (open_file->poll_handle);
  g_clear_pointer (&open_file->poll_handle, fuse_pollhandle_destroy);
}

/* status is readable once the run has ended; every other file at once.
 * Never ENOSYS, which would turn poll off for the whole mount. */
static void
op_poll (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi, struct fuse_pollhandle *ph)
{
  OpenFile *open_file = open_file_of (fi);
  const ControlFile *file = open_file->file;
  if (file == NULL) /* a daemon-wide file: read-only, readable */
    {
      if (ph != NULL)
        fuse_pollhandle_destroy (ph);
      fuse_reply_poll (req, POLLIN | POLLRDNORM);
      return;
    }
  if (file->kind == CONTROL_STATUS && box_get_state (open_file->box) == BOX_RUNNING)
    {
      /* Only the latest handle of a descriptor needs waking. */
      if (ph != NULL && open_file->poll_handle != NULL)
        fuse_pollhandle_destroy (open_file->poll_handle);
      else if (ph != NULL)
        open_file->poll_watch = box_watch_run_end (open_file->box, on_run_end_for_poll, open_file);
      if (ph != NULL)
        open_file->poll_handle = ph;
      fuse_reply_poll (req, 0);
      return;
    }
  unsigned events = (control_file_readable (file) ? POLLIN | POLLRDNORM : 0)
                    | (control_file_writable (file) ? POLLOUT | POLLWRNORM : 0);
  if (ph != NULL)
    fuse_pollhandle_destroy (ph);
  fuse_reply_poll (req, events);
}

/* A directory listing, taken at opendir so that readdir offsets stay valid
 * while boxes come and go. */
typedef struct
{
  char *name;
  fuse_ino_t ino;
  mode_t type;
} ListingEntry;

static void
listing_entry_clear (ListingEntry *entry)
{
  g_free (entry->name);
}

static void
listing_add (GArray *listing, const char *name, fuse_ino_t ino, mode_t type)
{
  ListingEntry entry = { g_strdup (name), ino, type };
  g_array_append_val (listing, entry);
}

static GArray *
list_directory (fuse_req_t req, fuse_ino_t ino)
{
  Box *box = ino == FUSE_ROOT_ID ? NULL : box_of_inode (req, ino);
  if (ino != FUSE_ROOT_ID && (box == NULL || inode_file_index (ino) >= 0))
    return NULL;

  GArray *listing = g_array_new (FALSE, FALSE, sizeof (ListingEntry));
  g_array_set_clear_func (listing, (GDestroyNotify) listing_entry_clear);
  listing_add (listing, ".", ino, S_IFDIR);
  listing_add (listing, "..", FUSE_ROOT_ID, S_IFDIR);
  if (box != NULL)
    {
      for (guint i = 0; i < control_file_count (); i++)
        listing_add (listing, control_file_at (i)->name, inode_of_file (box_get_id (box), i),
                     control_file_at (i)->mode & S_IFMT);
      return listing;
    }
  g_autoptr (GPtrArray) boxes = box_table_list_boxes (boxes_of (req));
  for (guint i = 0; i < boxes->len; i++)
    {
      Box *each = g_ptr_array_index (boxes, i);
      listing_add (listing, box_get_name (each), inode_of_box (box_get_id (each)), S_IFDIR);
    }
  return listing;
}

static void
op_opendir (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
  GArray *listing = list_directory (req, ino);
  if (listing == NULL)
    {
      fuse_reply_err (req, box_of_inode (req, ino) || ino == INODE_LANGUAGES ? ENOTDIR : ENOENT);
      return;
    }
  fi->fh = (uint64_t) (uintptr_t) listing;
  fuse_reply_open (req, fi);
}

static void
op_readdir (fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, struct fuse_file_info *fi)
{
  GArray *listing = (GArray *) (uintptr_t) fi->fh;
  g_autofree char *buffer = g_malloc (size);
  size_t used = 0;
  for (guint i = offset; i < listing->len; i++)
    {
      const ListingEntry *entry = &g_array_index (listing, ListingEntry, i);
      struct stat st = { .st_ino = entry->ino, .st_mode = entry->type };
      size_t entry_size
          = fuse_add_direntry (req, buffer + used, size - used, entry->name, &st, i + 1);
      if (entry_size > size - used)
        break;
      used += entry_size;
    }
  fuse_reply_buf (req, buffer, used);
}

static void
op_releasedir (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
  g_array_unref ((GArray *) (uintptr_t) fi->fh);
  fuse_reply_err (req, 0);
}

const struct fuse_lowlevel_ops isolatefs_ops = {
  .lookup = op_lookup,
  .getattr = op_getattr,
  .setattr = op_setattr,
  .readlink = op_readlink,
  .mkdir = op_mkdir,
  .rmdir = op_rmdir,
  .unlink = op_unlink,
  .mknod = op_mknod,
  .symlink = op_symlink,
  .link = op_link,
  .rename = op_rename,
  .create = op_create,
  .open = op_open,
  .read = op_read,
  .write = op_write,
  .release = op_release,
  .poll = op_poll,
  .opendir = op_opendir,
  .readdir = op_readdir,
  .releasedir = op_releasedir,
};
