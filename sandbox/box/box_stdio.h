#pragma once

#include "box.h"

#include <glib.h>

/* A box's standard streams (box_stdio.c): the stdin file, data given to
 * the next run, and the stdout and stderr files, what the last one wrote. */

/* Which captured output of the last run. */
typedef enum
{
  BOX_STDOUT,
  BOX_STDERR,
} BoxOutput;

/* The file holding what the last run (or the run in progress) wrote to
 * stdout or stderr, opened for reading, and how much of it to read: *size,
 * at most max_output. Read it with pread: the next run empties the same
 * file, so a mapping of it could fault. */
int box_open_output (Box *box, BoxOutput which, goffset *size, GError **error);
/* How much a read of that file gives now (0 when there is no file). */
goffset box_output_size (Box *box, BoxOutput which);

/* The stdin file: read and written like a regular file, up to the
 * configured max_stdin (SANDBOX_ERROR_TOO_LARGE past it). */
gssize box_stdin_read (Box *box, char *buffer, gsize size, goffset offset, GError **error);
gssize box_stdin_write (Box *box, const char *data, gsize size, goffset offset, GError **error);
gboolean box_stdin_truncate (Box *box, goffset size, GError **error);
goffset box_stdin_size (Box *box);
