#include "env_rules.h"

#include "sandbox/sandbox_error.h"

#include <string.h>

static gboolean
is_variable_name (const char *name, gsize len)
{
  if (len == 0 || !(g_ascii_isalpha (name[0]) || name[0] == '_'))
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if (!(g_ascii_isalnum (name[i]) || name[i] == '_'))
      return FALSE;
  return TRUE;
}

/* Index of the rule setting the same variable as `rule` (whose name is
 * name_len long), or -1. */
static gint
find_variable (GPtrArray *rules, const char *rule, gsize name_len)
{
  for (guint i = 0; i < rules->len; i++)
    {
      const char *other = g_ptr_array_index (rules, i);
      if (strncmp (other, rule, name_len + 1) == 0)
        return (gint) i;
    }
  return -1;
}

gboolean
env_rules_parse (const char *text, GStrv *rules, GError **error)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GPtrArray) parsed = g_ptr_array_new_with_free_func (g_free);

  for (guint n = 0; lines[n] != NULL; n++)
    {
      const char *line = lines[n];
      if (line[0] == '\0')
        continue;
      const char *equals = strchr (line, '=');
      if (equals == NULL || !is_variable_name (line, equals - line))
        {
          g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
                       "env line %u is not VAR=value with VAR made of letters, digits and '_'",
                       n + 1);
          return FALSE;
        }
      gint previous = find_variable (parsed, line, equals - line);
      if (previous >= 0)
        g_ptr_array_remove_index (parsed, previous);
      g_ptr_array_add (parsed, g_strdup (line));
    }

  g_ptr_array_add (parsed, NULL);
  *rules = (GStrv) g_ptr_array_free (g_steal_pointer (&parsed), FALSE);
  return TRUE;
}

char *
env_rules_format (const char *const *rules)
{
  GString *text = g_string_new (NULL);
  for (; rules != NULL && *rules != NULL; rules++)
    g_string_append_printf (text, "%s\n", *rules);
  return g_string_free (text, FALSE);
}
