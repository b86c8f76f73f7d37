#include "setting_lines.h"

void
setting_lines_append (GString *text, const char *name, const char *value)
{
  g_auto (GStrv) lines = g_strsplit (value, "\n", -1);
  gboolean any = FALSE;
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      {
        g_string_append_printf (text, "%s=%s\n", name, lines[i]);
        any = TRUE;
      }
  if (!any)
    g_string_append_printf (text, "%s=\n", name);
}
