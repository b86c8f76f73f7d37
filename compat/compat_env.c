#include "compat_env.h"

#include <string.h>

typedef struct
{
  char *name;
  char *value;
} Variable;

static void
variable_free (Variable *variable)
{
  g_free (variable->name);
  g_free (variable->value);
  g_free (variable);
}

static gboolean
is_valid_name (const char *name, gsize length)
{
  if (length == 0 || !(g_ascii_isalpha (name[0]) || name[0] == '_'))
    return FALSE;
  for (gsize i = 1; i < length; i++)
    if (!(g_ascii_isalnum (name[i]) || name[i] == '_'))
      return FALSE;
  return TRUE;
}

static void
unset (GPtrArray *variables, const char *name)
{
  for (guint i = 0; i < variables->len; i++)
    {
      const Variable *variable = g_ptr_array_index (variables, i);
      if (strcmp (variable->name, name) == 0)
        {
          g_ptr_array_remove_index (variables, i);
          return;
        }
    }
}

/* Sets name=value (removing an earlier value first, so it moves to the end,
 * as isolate's apply_env_rule does). Values the env file cannot hold (a
 * newline, bytes that are not UTF-8) are dropped. */
static void
set (GPtrArray *variables, const char *name, const char *value)
{
  unset (variables, name);
  if (value == NULL || strchr (value, '\n') != NULL || !g_utf8_validate (value, -1, NULL))
    return;
  Variable *variable = g_new (Variable, 1);
  variable->name = g_strdup (name);
  variable->value = g_strdup (value);
  g_ptr_array_add (variables, variable);
}

/* The value of name in environ, or NULL. */
static const char *
lookup (const char *const *environ, const char *name)
{
  gsize length = strlen (name);
  for (const char *const *entry = environ; entry != NULL && *entry != NULL; entry++)
    if (strncmp (*entry, name, length) == 0 && (*entry)[length] == '=')
      return *entry + length + 1;
  return NULL;
}

static void
apply_rule (GPtrArray *variables, const char *rule, const char *const *environ)
{
  const char *eq = strchr (rule, '=');
  if (eq == NULL)
    {
      set (variables, rule, lookup (environ, rule));
      return;
    }
  g_autofree char *name = g_strndup (rule, eq - rule);
  set (variables, name, eq[1] == '\0' ? NULL : eq + 1);
}

char *
compat_env_render (gboolean full_env, GPtrArray *rules, const char *const *environ)
{
  g_autoptr (GPtrArray) variables = g_ptr_array_new_with_free_func ((GDestroyNotify) variable_free);
  if (full_env)
    for (const char *const *entry = environ; entry != NULL && *entry != NULL; entry++)
      {
        const char *eq = strchr (*entry, '=');
        if (eq == NULL || !is_valid_name (*entry, eq - *entry))
          continue;
        g_autofree char *name = g_strndup (*entry, eq - *entry);
        set (variables, name, eq + 1);
      }
  apply_rule (variables, "LIBC_FATAL_STDERR_=1", environ);
  for (guint i = 0; rules != NULL && i < rules->len; i++)
    apply_rule (variables, g_ptr_array_index (rules, i), environ);

  GString *text = g_string_new (NULL);
  for (guint i = 0; i < variables->len; i++)
    {
      const Variable *variable = g_ptr_array_index (variables, i);
      g_string_append_printf (text, "%s=%s\n", variable->name, variable->value);
    }
  if (text->len == 0)
    g_string_append_c (text, '\n');
  return g_string_free (text, FALSE);
}
