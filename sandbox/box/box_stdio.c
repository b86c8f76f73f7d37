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

static int
open_output_for_run (Box *box, BoxOutput which, GError **error)
{
  g_autofree char *path = box_store_path (box->store, output_files[which]);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    sandbox_set_errno_error (error, errno, "create", path);
  return fd;
}

gboolean
box_stdio_open (Box *box, gboolean compile, BoxRunStdio *stdio, GError **error)
{
  const BoxSettings *settings = &box->settings;
  *stdio = (BoxRunStdio){ .fds = { -1, -1, -1 }, .output_fds = { -1, -1 } };
  for (int i = 0; i < 3 && !compile; i++)
    stdio->paths[i] = settings->stdio_paths[i];
  stdio->stderr_to_stdout = !compile && settings->stderr_to_stdout;

  g_autofree char *stdin_path
      = compile ? g_strdup ("/dev/null") : box_store_path (box->store, BOX_STDIN_FILE);
  stdio->fds[0]
      = open (stdin_path, O_RDONLY | (compile ? 0 : O_CREAT) | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (stdio->fds[0] < 0)
    return sandbox_set_errno_error (error, errno, "open", stdin_path);
  /* Both files are emptied, even one the program does not write: they
   * say what this run wrote there. */
  if ((stdio->fds[1] = open_output_for_run (box, BOX_STDOUT, error)) < 0
      || (stdio->fds[2] = open_output_for_run (box, BOX_STDERR, error)) < 0)
    return FALSE;
  if (stdio->paths[1] == NULL)
    stdio->output_fds[BOX_STDOUT] = stdio->fds[1];
  if (stdio->paths[2] == NULL && !stdio->stderr_to_stdout)
    stdio->output_fds[BOX_STDERR] = stdio->fds[2];
  return TRUE;
}

void
box_stdio_close (BoxRunStdio *stdio)
{
  for (int i = 0; i < 3; i++)
    autofd_close (&stdio->fds[i]);
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

/* During a run the file may hold a little more than the cap, until the run
 * cuts it (run_output.h). */
static goffset
capped_output_size (Box *box, goffset size)
{
  return MIN (size, (goffset) box->shared->config->max_output_kib * 1024);
}

int
box_open_output (Box *box, BoxOutput which, goffset *size, GError **error)
{
  g_autofree char *path = box_store_path (box->store, output_files[which]);
  /* Made empty if no run wrote it yet, or ctl reset removed it. */
  int fd = open (path, O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  struct stat st;
  if (fd < 0 || fstat (fd, &st) < 0)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "cannot read %s of box %s: %s",
                   output_files[which], box->name, g_strerror (errno));
      autofd_close (&fd);
      return -1;
    }
  *size = capped_output_size (box, st.st_size);
  return fd;
}

goffset
box_output_size (Box *box, BoxOutput which)
{
  g_autofree char *path = box_store_path (box->store, output_files[which]);
  struct stat st;
  return lstat (path, &st) == 0 ? capped_output_size (box, st.st_size) : 0;
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
