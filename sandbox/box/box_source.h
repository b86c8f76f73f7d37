#pragma once

#include "box.h"

#include <glib.h>

/* A box's source file (box_source.c): a file of box/ compiled (if its
 * language says so) and run, as the languages table says. */

/* The last source file written to source, "" if none. */
char *box_read_source (Box *box);

/* Compiles and runs the file name of box/ (one path component), as the
 * languages table says: the compile step, if the language has one, runs in
 * the box like any run under the language's compile limits; when it
 * succeeds the run step follows at once under the box's limits. The box
 * is running until the chain ends, and its result is the last step's, with
 * a stage key. Fails with SANDBOX_ERROR_BUSY (a run in progress),
 * _INVALID (a bad name, not a regular file, an unknown language),
 * _NOT_FOUND (no such file), _NOT_INSTALLED (the language's requires is
 * missing) or _FAILED (no languages table, the host). docs/interface.md. */
gboolean box_start_source (Box *box, const char *name, const Caller *caller, GError **error);
