#include "sandbox_error.h"

G_DEFINE_QUARK (sandbox - error - quark, sandbox_error)

gboolean
sandbox_set_errno_error (GError **error, int errnum, const char *what, const char *path)
{
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "cannot %s %s: %s", what, path,
               g_strerror (errnum));
  return FALSE;
}
