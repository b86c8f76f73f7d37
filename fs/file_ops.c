#include "file_ops.h"

#include "nodes.h"
#include "sandbox/box/box_run.h"
#include "sandbox/sandbox_error.h"
#include "utils/autofd.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

/* An open control file, or (box and file NULL) a daemon-wide file at the
 * root. Readers see the snapshot taken at open; of stdout and stderr, the
 * file itself up to the size it had then. */
typedef struct
{
  Box *box;
  const ControlFile *file;
  GBytes *snapshot;
  int output_fd; /* stdout and stderr, or -1 */
  goffset output_size;
  GString *written;                    /* multi-line files: the value written so far */
  struct fuse_pollhandle *poll_handle; /* status: the latest poll waiting for the run */
  gpointer poll_watch;
} OpenFile;

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

static OpenFile *
open_file_new (void)
{
  OpenFile *open_file = g_new0 (OpenFile, 1);
  open_file->output_fd = -1;
  return open_file;
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
  autofd_close (&open_file->output_fd);
  if (open_file->written != NULL)
    g_string_free (open_file->written, TRUE);
  g_free (open_file);
}

/* A daemon-wide file: a snapshot, read-only even for root. */
static void
open_root_file (fuse_req_t req, const RootFile *file, struct fuse_file_info *fi)
{
  if ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & O_TRUNC))
    {
      g_autofree char *what = g_strdup_printf ("open %s", file->name);
      refuse (req, EACCES, what, "the file is read-only");
      return;
    }
  OpenFile *open_file = open_file_new ();
  char *text = file->read (fuse_req_userdata (req));
  open_file->snapshot = g_bytes_new_take (text, strlen (text));
  fi->fh = (uint64_t) (uintptr_t) open_file;
  fi->direct_io = 1;
  fuse_reply_open (req, fi);
}

void
file_op_open (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
  Node node = resolve_node (req, ino);
  if (node.kind == NODE_ROOT_FILE)
    {
      open_root_file (req, node.root_file, fi);
      return;
    }
  if (node.kind != NODE_CONTROL_FILE)
    {
      fuse_reply_err (req, node.box == NULL ? ENOENT : EISDIR);
      return;
    }
  Box *box = node.box;
  const ControlFile *file = node.file;
  /* Mode bits alone do not stop root: a read-only file stays read-only. */
  if (!access_allowed (file, fi->flags))
    {
      refuse (req, EACCES, "open",
              control_file_writable (file) ? "the file is write-only" : "the file is read-only");
      return;
    }
  /* A write to either starts a run: its jail gets ready meanwhile. */
  if ((file->kind == CONTROL_CMD || file->kind == CONTROL_SOURCE)
      && (fi->flags & O_ACCMODE) != O_RDONLY)
    box_expect_run (box);

  g_autoptr (GError) error = NULL;
  /* libfuse asks the kernel to pass O_TRUNC here rather than as a setattr. */
  gboolean truncated = !(fi->flags & O_TRUNC) || control_file_truncate (file, box, 0, &error);
  OpenFile *open_file = open_file_new ();
  open_file->box = box_ref (box);
  open_file->file = file;
  /* status is taken at each read from the start, which may wait for the run. */
  if (file->kind == CONTROL_OUTPUT)
    open_file->output_fd = box_open_output (box, file->output, &open_file->output_size, &error);
  else if (truncated && (fi->flags & O_ACCMODE) != O_WRONLY && file->kind != CONTROL_STDIN
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

/* From the output file itself: a file cut short meanwhile (by the next run
 * or the program) gives less, never a fault, as a mapping of it would.
 * (fuse_reply_data with the descriptor cost several times more CPU per
 * MiB: libfuse splices it through a pipe.) */
static void
reply_output (fuse_req_t req, OpenFile *open_file, size_t size, off_t offset)
{
  gsize length
      = offset < open_file->output_size ? MIN ((goffset) size, open_file->output_size - offset) : 0;
  g_autofree char *buffer = g_malloc (MAX (length, 1));
  gssize done = length > 0 ? pread (open_file->output_fd, buffer, length, offset) : 0;
  if (done < 0)
    {
      g_warning ("cannot read %s of box %s: %s", open_file->file->name,
                 box_get_name (open_file->box), g_strerror (errno));
      fuse_reply_err (req, EIO);
      return;
    }
  fuse_reply_buf (req, buffer, done);
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

void
file_op_read (fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, struct fuse_file_info *fi)
{
  OpenFile *open_file = open_file_of (fi);
  if (open_file->file != NULL && open_file->file->kind == CONTROL_STATUS)
    {
      read_status (req, open_file, size, offset, fi->flags);
      return;
    }
  if (open_file->output_fd >= 0)
    {
      reply_output (req, open_file, size, offset);
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

void
file_op_write (fuse_req_t req, fuse_ino_t ino, const char *data, size_t size, off_t offset,
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

void
file_op_release (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
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
void
file_op_poll (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi, struct fuse_pollhandle *ph)
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
