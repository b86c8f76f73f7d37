#pragma once

#include <glib.h>

/* The line form of a box's `settings` file, shared by the daemon, which
 * reads it out, and the front ends, which write it. */

/* Appends NAME=LINE for each non-empty line of value, or NAME= alone when
 * it has none (the setting's default). */
void setting_lines_append (GString *text, const char *name, const char *value);
