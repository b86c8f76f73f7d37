#pragma once

#include "compat_options.h"

#include <glib.h>

/* isolate's --init and --cleanup, as a mkdir and an rmdir on the mount. */

/* Box id N is the box named "N" under the mount. */
char *compat_box_name (guint box_id);

/* Creates the box (or, when it exists, resets it: empties box/ and forgets
 * the last run, as isolate 2 does) and answers the directory isolate prints:
 * ROOT/N, whose box/ is the program's /box. A -q quota is written to the
 * box's `quota` file when the daemon has one. */
char *compat_box_init (const char *root, const CompatOptions *options, GError **error);

/* Removes the box; a box that does not exist is not an error. */
gboolean compat_box_cleanup (const char *root, const CompatOptions *options, GError **error);
