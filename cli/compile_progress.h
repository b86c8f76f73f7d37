#pragma once

#include <glib.h>

/* mini-isolate execute on a terminal: while box's source chain compiles
 * name for more than half a second, standard error shows "compiling
 * NAME…", and the line goes when the compile ends. Reads the box's status
 * without waiting (its stage:compile), so it returns once the compile is
 * over, or at once for a language without one. */
void compile_progress_show (const char *root, const char *box, const char *name);
