#pragma once

#include <glib.h>

/* What a run keeps of the program's standard output and error.
 *
 * The program writes the box's stdout and stderr files itself, through the
 * descriptors it was given: they are regular files, so RLIMIT_FSIZE (the
 * box's fsize) applies to them as to any file it writes (the write that
 * crosses it is cut short, the next fails with EFBIG and SIGXFSZ), and
 * nothing of the daemon stands between a write and the file. The daemon
 * holds each file to its own cap on top (max_output): whatever lies past
 * it is cut off, during the run and at its end, and the run says so
 * (output-truncated). Once every process of the run is gone, the files are
 * complete: no copy is pending anywhere.
 *
 * Other ways for output to travel (live pipes read as they are written)
 * would be further kinds of stream here, beside this one. */
typedef struct
{
  int fds[2]; /* the daemon's own descriptors of the stdout and stderr files, or -1:
                 a stream that goes elsewhere, or that cannot pass the cap */
  gint64 cap; /* bytes kept of each */
  gboolean truncated;
} RunOutputs;

/* Watches the files the program is given (fds, -1 for none; duplicated,
 * the caller keeps its own) when they could grow past cap: a file cannot
 * grow past the program's fsize limit, fsize_kib (JAIL_UNLIMITED for none),
 * so none is watched when that is within the cap. */
gboolean run_outputs_init (RunOutputs *outputs, const int fds[2], gint64 cap, gint64 fsize_kib,
                           GError **error);

/* Cuts each file back to the cap if it passed it. Called as the run's limits
 * are checked, and once more at its end, when nothing writes any more. */
void run_outputs_hold_to_cap (RunOutputs *outputs);

void run_outputs_close (RunOutputs *outputs);
