#include "settings_text.h"

#include "sandbox/sandbox_error.h"
#include "utils/setting_lines.h"

#include <string.h>

char *
settings_text_format (const BoxSettings *settings)
{
  GString *text = g_string_new (NULL);
  for (const char *const *name = box_settings_names (); *name != NULL; name++)
    {
      g_autofree char *value = box_settings_get (settings, *name);
      if (box_settings_multi_line (*name))
        setting_lines_append (text, *name, value);
      else
        g_string_append_printf (text, "%s=%s\n", *name, value);
    }
  return g_string_free (text, FALSE);
}

static SettingValue *
find_value (GPtrArray *values, const char *name)
{
  for (guint i = 0; i < values->len; i++)
    {
      SettingValue *value = g_ptr_array_index (values, i);
      if (strcmp (value->name, name) == 0)
        return value;
    }
  return NULL;
}

static gboolean
add_line (GPtrArray *values, const char *line, guint number, GError **error)
{
  const char *equals = strchr (line, '=');
  if (equals == NULL)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
                   "settings line %u is not NAME=VALUE", number);
      return FALSE;
    }
  g_autofree char *name = g_strndup (line, equals - line);
  if (!g_strv_contains (box_settings_names (), name))
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
                   "%s: no such setting (settings line %u)", name, number);
      return FALSE;
    }
  SettingValue *value = find_value (values, name);
  if (value == NULL)
    {
      setting_values_add (values, name, equals + 1);
      return TRUE;
    }
  if (!box_settings_multi_line (name))
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
                   "%s: given again on settings line %u, but it takes one line", name, number);
      return FALSE;
    }
  char *joined = g_strconcat (value->text, "\n", equals + 1, NULL);
  g_free (value->text);
  value->text = joined;
  return TRUE;
}

gboolean
settings_text_parse (const char *text, GPtrArray **values, GError **error)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GPtrArray) parsed = setting_values_new ();
  for (guint n = 0; lines[n] != NULL; n++)
    if (lines[n][0] != '\0' && !add_line (parsed, lines[n], n + 1, error))
      return FALSE;
  *values = g_steal_pointer (&parsed);
  return TRUE;
}
