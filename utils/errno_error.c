#include "errno_error.h"

gboolean
errno_error_set (GError **error, GQuark domain, gint code, int errnum, const char *format, ...)
{
  if (error == NULL)
    return FALSE;
  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, domain, code, "%s: %s", text, g_strerror (errnum));
  return FALSE;
}
