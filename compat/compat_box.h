#pragma once

#include "compat_options.h"

#include <glib.h>

/* isolate's --init and --cleanup, as a mkdir and an rmdir on the mount. */

/* Box id N is the box named "N" under the mount. */
char *compat_box_name (guint box_id);

/* The directory that holds the work directories --init prints: work_dirs
 * when not NULL (the $MINI_ISOLATE_COMPAT_DIR of the caller), else the
 * built-in one. NULL when it is empty: --init then prints ROOT/N itself. */
const char *compat_work_dirs (const char *work_dirs);

/* Creates the box (or, when it exists, resets it: empties box/ and forgets
 * the last run, as isolate 2 does) and answers the directory isolate prints.
 * That is a fresh work directory WORK_DIRS/N holding a link `box` to the
 * box's box/ (the program's /box), where judges may create their own files
 * beside box/ as they do in isolate's directory; or ROOT/N when work_dirs is
 * NULL. A -q quota is written to the box's `quota` file when the daemon has
 * one. */
char *compat_box_init (const char *root, const char *work_dirs, const CompatOptions *options,
                       GError **error);

/* Removes the box and its work directory; a box that does not exist is not
 * an error. */
gboolean compat_box_cleanup (const char *root, const char *work_dirs, const CompatOptions *options,
                             GError **error);
