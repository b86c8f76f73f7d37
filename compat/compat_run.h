#pragma once

#include "compat_meta.h"
#include "compat_options.h"

#include <glib.h>

/* isolate's --run through the mount: writes every setting of the box, its
 * stdin, then `cmd`; waits for `status`; copies the run's stdout and stderr
 * to the front end's own unless the program had them redirected to files.
 * NULL with an error when the sandbox failed (isolate's die(): XX). */
CompatVerdict *compat_run (const char *root, const CompatOptions *options,
                           const char *const *environ, GError **error);
