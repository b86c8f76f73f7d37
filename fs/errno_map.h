#pragma once

#include <glib.h>

/* The errno a filesystem call answers for a sandbox error. Errors from other
 * domains are the host failing us: EIO. */
int errno_from_error (const GError *error);
