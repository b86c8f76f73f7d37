#pragma once

#include <glib.h>

/* Sets a G_IO_ERROR from an errno, "cannot WHAT NAME: strerror", and
 * returns FALSE, for `return set_io_error (...)`. */
gboolean set_io_error (GError **error, int saved_errno, const char *what, const char *name);
