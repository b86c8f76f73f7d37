#include "box_name.h"

#include <gio/gio.h>
#include <string.h>

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '.' || c == '-';
}

gboolean
box_name_validate (const char *name, GError **error)
{
  gsize len = strlen (name);

  if (len == 0 || len > BOX_NAME_MAX)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "a box name has 1 to %d characters", BOX_NAME_MAX);
      return FALSE;
    }
  if (name[0] == '.')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "box names starting with '.' are reserved");
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    if (!is_name_char (name[i]))
      {
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             "a box name is made of letters, digits, '_', '.' and '-'");
        return FALSE;
      }
  return TRUE;
}
