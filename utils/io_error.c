#include "io_error.h"

#include <gio/gio.h>

gboolean
set_io_error (GError **error, int saved_errno, const char *what, const char *name)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "cannot %s %s: %s", what,
               name, g_strerror (saved_errno));
  return FALSE;
}
