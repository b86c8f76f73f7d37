#include "dir_rules.h"

#include "sandbox/sandbox_error.h"

#include <string.h>

static const char *const option_names[] = { "rw", "noexec", "fs", "maybe", "dev", "tmp", "norec" };

void
dir_rule_free (DirRule *rule)
{
  g_free (rule->inside);
  g_free (rule->outside);
  g_free (rule);
}

static gboolean
parse_option (const char *name, DirRuleFlags *flags)
{
  for (guint i = 0; i < G_N_ELEMENTS (option_names); i++)
    if (strcmp (name, option_names[i]) == 0)
      {
        *flags |= 1u << i;
        return TRUE;
      }
  return FALSE;
}

/* An absolute path with no "." or ".." component and no empty one but the
 * first, so that it names one place and cannot climb out of the jail. */
static gboolean
is_plain_absolute_path (const char *path)
{
  if (path[0] != '/' || path[1] == '\0')
    return FALSE;
  g_auto (GStrv) parts = g_strsplit (path + 1, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] == '\0' || strcmp (parts[i], ".") == 0 || strcmp (parts[i], "..") == 0)
      return FALSE;
  return TRUE;
}

static const char *
check_rule (const DirRule *rule, gboolean has_equals)
{
  if (!is_plain_absolute_path (rule->inside))
    return "the path inside must be absolute, without '.', '..' or a trailing '/'";
  if ((rule->flags & DIR_RULE_FS) && (rule->flags & DIR_RULE_TMP))
    return "'fs' and 'tmp' cannot be combined";
  if (rule->flags & DIR_RULE_TMP)
    return has_equals ? "a 'tmp' rule takes no '=' part" : NULL;
  if (rule->flags & DIR_RULE_FS)
    return rule->outside == NULL || strchr (rule->outside, '/') != NULL
               ? "an 'fs' rule needs a filesystem type after '='"
               : NULL;
  if (rule->outside != NULL && !is_plain_absolute_path (rule->outside))
    return "the path outside must be absolute, without '.', '..' or a trailing '/'";
  return NULL;
}

static DirRule *
parse_rule (const char *line, GError **error)
{
  g_auto (GStrv) fields = g_strsplit (line, ":", -1);
  g_autoptr (DirRule) rule = g_new0 (DirRule, 1);

  for (guint i = 1; fields[i] != NULL; i++)
    if (!parse_option (fields[i], &rule->flags))
      {
        g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "unknown option '%s'", fields[i]);
        return NULL;
      }

  const char *equals = strchr (fields[0], '=');
  rule->inside = equals ? g_strndup (fields[0], equals - fields[0]) : g_strdup (fields[0]);
  if (equals != NULL && equals[1] != '\0')
    rule->outside = g_strdup (equals + 1);
  else if (equals == NULL && !(rule->flags & DIR_RULE_TMP))
    rule->outside = g_strdup (rule->inside);

  const char *problem = check_rule (rule, equals != NULL);
  if (problem != NULL)
    {
      g_set_error_literal (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, problem);
      return NULL;
    }
  return g_steal_pointer (&rule);
}

static void
put_rule (GPtrArray *rules, DirRule *rule)
{
  for (guint i = 0; i < rules->len; i++)
    {
      DirRule *other = g_ptr_array_index (rules, i);
      if (strcmp (other->inside, rule->inside) == 0)
        {
          g_ptr_array_remove_index (rules, i);
          break;
        }
    }
  g_ptr_array_add (rules, rule);
}

gboolean
dir_rules_parse (const char *text, GPtrArray **rules, GError **error)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GPtrArray) parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) dir_rule_free);

  for (guint n = 0; lines[n] != NULL; n++)
    {
      if (lines[n][0] == '\0')
        continue;
      DirRule *rule = parse_rule (lines[n], error);
      if (rule == NULL)
        {
          g_prefix_error (error, "dirs line %u: ", n + 1);
          return FALSE;
        }
      put_rule (parsed, rule);
    }
  if (parsed->len > DIR_RULES_MAX)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
                   "dirs holds at most %u rules (a run's sandbox carries no more mounts), not %u",
                   DIR_RULES_MAX, parsed->len);
      return FALSE;
    }
  *rules = g_steal_pointer (&parsed);
  return TRUE;
}

char *
dir_rules_format (GPtrArray *rules)
{
  GString *text = g_string_new (NULL);
  for (guint i = 0; i < rules->len; i++)
    {
      const DirRule *rule = g_ptr_array_index (rules, i);
      g_string_append (text, rule->inside);
      if (!(rule->flags & DIR_RULE_TMP))
        g_string_append_printf (text, "=%s", rule->outside ? rule->outside : "");
      for (guint bit = 0; bit < G_N_ELEMENTS (option_names); bit++)
        if (rule->flags & (1u << bit))
          g_string_append_printf (text, ":%s", option_names[bit]);
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}
