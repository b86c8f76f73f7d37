#include "box_stdio.h"

#include "box_private.h"
#include "sandbox/host/state_layout.h"
#include "sandbox/sandbox_error.h"
#include "utils/autofd.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const output_files[]
    = { [BOX_STDOUT] = BOX_STDOUT_FILE, [BOX_STDERR] = BOX_STDERR_FILE };

/* ---- For a run ---- */

gboolean
box_stdio_open (Box *box, gboolean compile, BoxRunStdio *stdio, GError **error)
{
  g_autofree char *stdin_path
      = compile ? g_strdup ("/dev/null") : box_store_path (box->store, BOX_STDIN_FILE);
  stdio->stdin_fd
      = open (stdin_path, O_RDONLY | (compile ? 0 : O_CREAT) | O_NOFOLLOW | O_CLOEXEC, 0600);
  stdio->stdout_path = box_store_path (box->store, output_files[BOX_STDOUT]);
  stdio->stderr_path = box_store_path (box->store, output_files[BOX_STDERR]);
  return stdio->stdin_fd >= 0 || sandbox_set_errno_error (error, errno, "open", stdin_path);
}

void
box_stdio_close (BoxRunStdio *stdio)
{
  autofd_close (&stdio->stdin_fd);
  g_clear_pointer (&stdio->stdout_path, g_free);
  g_clear_pointer (&stdio->stderr_path, g_free);
}

gboolean
box_stdio_remove_outputs (Box *box, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (output_files); i++)
    {
      g_autofree char *path = box_store_path (box->store, output_files[i]);
      if (unlink (path) < 0 && errno != ENOENT)
        return sandbox_set_errno_error (error, errno, "remove", path);
    }
  return TRUE;
}

/* ---- The stdout and stderr files ---- */

GBytes *
box_read_output (Box *box, BoxOutput which, GError **error)
{
  g_autofree char *path = box_store_path (box->store, output_files[which]);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, &local_error);
  if (file != NULL)
    return g_mapped_file_get_bytes (file);
  if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    return g_bytes_new (NULL, 0);
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "cannot read %s of box %s: %s",
               output_files[which], box->name, local_error->message);
  return NULL;
}

/* ---- The stdin file ---- */

/* Opened per call, so that a thousand idle boxes hold no descriptors. */
static int
open_stdin (Box *box, GError **error)
{
  if (!box_check_present (box, error))
    return -1;
  g_autofree char *path = box_store_path (box->store, BOX_STDIN_FILE);
  int fd = open (path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    sandbox_set_errno_error (error, errno, "open", path);
  return fd;
}

/* One positioned read or write of the stdin file. */
static gssize
stdin_io (Box *box, gboolean writing, void *buffer, gsize size, goffset offset, GError **error)
{
  autofd fd = open_stdin (box, error);
  if (fd < 0)
    return -1;
  gssize done = writing ? pwrite (fd, buffer, size, offset) : pread (fd, buffer, size, offset);
  if (done < 0)
    sandbox_set_errno_error (error, errno, writing ? "write stdin of" : "read stdin of", box->name);
  return done;
}

gssize
box_stdin_read (Box *box, char *buffer, gsize size, goffset offset, GError **error)
{
  return stdin_io (box, FALSE, buffer, size, offset, error);
}

static gboolean
check_stdin_cap (Box *box, goffset end, GError **error)
{
  guint64 max_kib = box->shared->config->max_stdin_kib;
  if (end <= (goffset) (max_kib * 1024))
    return TRUE;
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_TOO_LARGE,
               "stdin of box %s would pass max_stdin (%" G_GUINT64_FORMAT " KiB)", box->name,
               max_kib);
  return FALSE;
}

gssize
box_stdin_write (Box *box, const char *data, gsize size, goffset offset, GError **error)
{
  if (offset < 0 || !check_stdin_cap (box, offset + (goffset) size, error))
    return -1;
  return stdin_io (box, TRUE, (void *) data, size, offset, error);
}

gboolean
box_stdin_truncate (Box *box, goffset size, GError **error)
{
  if (size < 0 || !check_stdin_cap (box, size, error))
    return FALSE;
  autofd fd = open_stdin (box, error);
  if (fd < 0)
    return FALSE;
  if (ftruncate (fd, size) < 0)
    return sandbox_set_errno_error (error, errno, "truncate stdin of", box->name);
  return TRUE;
}

goffset
box_stdin_size (Box *box)
{
  g_autofree char *path = box_store_path (box->store, BOX_STDIN_FILE);
  struct stat st;
  return lstat (path, &st) == 0 ? st.st_size : 0;
}
