#pragma once

#include <gio/gio.h>

/* The one place an errno becomes a GError: sets error, in domain with
 * code, to the formatted text, ": " and errnum's text; returns FALSE, for
 * `return errno_error_set (...)`. A layer with a domain of its own has a
 * shorthand: set_io_error() below, sandbox_set_errno_error(). */
gboolean errno_error_set (GError **error, GQuark domain, gint code, int errnum, const char *format,
                          ...) G_GNUC_PRINTF (5, 6);

/* A G_IO_ERROR from an errno, "cannot WHAT NAME: strerror". */
static inline gboolean
set_io_error (GError **error, int saved_errno, const char *what, const char *name)
{
  return errno_error_set (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), saved_errno,
                          "cannot %s %s", what, name);
}
