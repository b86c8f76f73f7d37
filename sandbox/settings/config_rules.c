#include "config_rules.h"

#include "dir_rules.h"
#include "env_rules.h"
#include "sandbox/sandbox_error.h"

#include <grp.h>
#include <pwd.h>
#include <string.h>

ConfigRule *
config_rule_new (void)
{
  ConfigRule *rule = g_new0 (ConfigRule, 1);
  for (LimitId i = 0; i < N_LIMITS; i++)
    rule->limit_maximum[i] = -1;
  rule->max_boxes = -1;
  return rule;
}

void
config_rule_free (ConfigRule *rule)
{
  g_free (rule->default_dirs);
  g_strfreev (rule->default_env);
  g_free (rule);
}

ConfigRule *
config_rule_of_group (DaemonConfig *config, const char *group, const char *path)
{
  gboolean is_user = g_str_has_prefix (group, "user:");
  const char *name = strchr (group, ':') + 1;
  guint64 number;
  guint id;
  struct passwd *user = is_user ? getpwnam (name) : NULL;
  struct group *group_entry = is_user ? NULL : getgrnam (name);
  if (g_ascii_string_to_unsigned (name, 10, 0, G_MAXUINT32 - 1, &number, NULL))
    id = (guint) number;
  else if (user != NULL)
    id = user->pw_uid;
  else if (group_entry != NULL)
    id = group_entry->gr_gid;
  else
    {
      g_warning ("config file %s: [%s]: no such %s on this host; its settings are skipped", path,
                 group, is_user ? "user" : "group");
      return NULL;
    }

  GHashTable *rules = is_user ? config->user_rules : config->group_rules;
  ConfigRule *rule = g_hash_table_lookup (rules, GUINT_TO_POINTER (id));
  if (rule == NULL)
    {
      rule = config_rule_new ();
      g_hash_table_insert (rules, GUINT_TO_POINTER (id), rule);
    }
  return rule;
}

/* "/etc=;/data=/srv/data" as the dirs file would have it: one a line. */
static char *
one_per_line (const char *value)
{
  g_auto (GStrv) parts = g_strsplit_set (value, ";\n", -1);
  return g_strjoinv ("\n", parts);
}

gboolean
config_parse_default_dirs (const char *value, char **dirs, GError **error)
{
  g_autofree char *text = one_per_line (value);
  g_autoptr (GPtrArray) rules = NULL;
  if (!dir_rules_parse (text, &rules, error))
    return g_prefix_error (error, "default_dirs: "), FALSE;
  g_free (*dirs);
  *dirs = rules->len > 0 ? dir_rules_format (rules) : NULL;
  return TRUE;
}

gboolean
config_parse_default_env (const char *value, GStrv *env, GError **error)
{
  g_autofree char *text = one_per_line (value);
  g_auto (GStrv) rules = NULL;
  if (!env_rules_parse (text, &rules, error))
    return g_prefix_error (error, "default_env: "), FALSE;
  g_strfreev (*env);
  *env = g_steal_pointer (&rules);
  return TRUE;
}

gboolean
config_rule_set (ConfigRule *rule, const char *key, const char *value, GError **error)
{
  LimitId id;
  if (strcmp (key, "max_boxes") == 0)
    {
      guint64 number;
      if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32 - 1, &number, NULL))
        {
          g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
                       "max_boxes: '%s' is not a whole number", value);
          return FALSE;
        }
      rule->max_boxes = (gint64) number;
      return TRUE;
    }
  if (strcmp (key, "default_dirs") == 0)
    return config_parse_default_dirs (value, &rule->default_dirs, error);
  if (strcmp (key, "default_env") == 0)
    return config_parse_default_env (value, &rule->default_env, error);
  if (g_str_has_prefix (key, "max_") && limit_lookup (key + strlen ("max_"), &id))
    return limit_parse (id, value, &rule->limit_maximum[id], error)
           || (g_prefix_error (error, "%s: ", key), FALSE);
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
               "%s: [user:NAME] and [group:NAME] take max_boxes, max_LIMIT, default_dirs and "
               "default_env only",
               key);
  return FALSE;
}

static void
add_member (DaemonConfig *config, uid_t uid, gid_t gid)
{
  GArray *gids = g_hash_table_lookup (config->member_gids, GUINT_TO_POINTER (uid));
  if (gids == NULL)
    {
      gids = g_array_new (FALSE, FALSE, sizeof (gid_t));
      g_hash_table_insert (config->member_gids, GUINT_TO_POINTER (uid), gids);
    }
  g_array_append_val (gids, gid);
}

void
config_index_group_members (DaemonConfig *config)
{
  g_hash_table_remove_all (config->member_gids);
  g_autoptr (GList) gids = g_hash_table_get_keys (config->group_rules);
  for (GList *item = gids; item != NULL; item = item->next)
    {
      gid_t gid = GPOINTER_TO_UINT (item->data);
      struct group *entry = getgrgid (gid);
      for (char **member = entry ? entry->gr_mem : NULL; member != NULL && *member != NULL;
           member++)
        {
          struct passwd *user = getpwnam (*member);
          if (user != NULL)
            add_member (config, user->pw_uid, gid);
        }
    }
}

/* The groups whose rules apply to caller: their primary group's, then the
 * others that list them, in gid order (later ones are layered over
 * earlier ones where rules add up, defaults). */
static GPtrArray *
group_rules_of (const DaemonConfig *config, const Caller *caller)
{
  GPtrArray *rules = g_ptr_array_new ();
  const ConfigRule *primary
      = g_hash_table_lookup (config->group_rules, GUINT_TO_POINTER (caller->gid));
  if (primary != NULL)
    g_ptr_array_add (rules, (gpointer) primary);
  GArray *gids = g_hash_table_lookup (config->member_gids, GUINT_TO_POINTER (caller->uid));
  for (guint i = 0; gids != NULL && i < gids->len; i++)
    {
      gid_t gid = g_array_index (gids, gid_t, i);
      const ConfigRule *rule = g_hash_table_lookup (config->group_rules, GUINT_TO_POINTER (gid));
      if (gid != caller->gid && rule != NULL)
        g_ptr_array_add (rules, (gpointer) rule);
    }
  return rules;
}

/* A user's own rule, else the largest of their groups' (what any of their
 * groups allows them), else -1. */
static gint64
rule_value (const DaemonConfig *config, const Caller *caller, gsize offset)
{
  const ConfigRule *user = g_hash_table_lookup (config->user_rules, GUINT_TO_POINTER (caller->uid));
  if (user != NULL && G_STRUCT_MEMBER (gint64, user, offset) >= 0)
    return G_STRUCT_MEMBER (gint64, user, offset);
  g_autoptr (GPtrArray) groups = group_rules_of (config, caller);
  gint64 value = -1;
  for (guint i = 0; i < groups->len; i++)
    value = MAX (value, G_STRUCT_MEMBER (gint64, g_ptr_array_index (groups, i), offset));
  return value;
}

gint64
daemon_config_maximum (const DaemonConfig *config, LimitId id, const Caller *caller)
{
  gint64 value = rule_value (config, caller,
                             G_STRUCT_OFFSET (ConfigRule, limit_maximum) + id * sizeof (gint64));
  return value >= 0 ? value : config->limit_maximum[id];
}

guint32
daemon_config_box_quota (const DaemonConfig *config, const Caller *caller)
{
  gint64 value = rule_value (config, caller, G_STRUCT_OFFSET (ConfigRule, max_boxes));
  return value >= 0 ? (guint32) value : G_MAXUINT32;
}

/* Daemon-wide, then the owner's groups', then their own. */
static GPtrArray *
rules_in_order (const DaemonConfig *config, const Caller *owner)
{
  GPtrArray *rules = group_rules_of (config, owner);
  const ConfigRule *user = g_hash_table_lookup (config->user_rules, GUINT_TO_POINTER (owner->uid));
  if (user != NULL)
    g_ptr_array_add (rules, (gpointer) user);
  return rules;
}

char *
daemon_config_default_dirs (const DaemonConfig *config, const Caller *owner)
{
  g_autoptr (GString) text = g_string_new (config->default_dirs);
  g_autoptr (GPtrArray) rules = rules_in_order (config, owner);
  for (guint i = 0; i < rules->len; i++)
    {
      const ConfigRule *rule = g_ptr_array_index (rules, i);
      if (rule->default_dirs != NULL)
        g_string_append (text, rule->default_dirs); /* canonical: each line ends in \n */
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

GStrv
daemon_config_default_env (const DaemonConfig *config, const Caller *owner)
{
  g_autoptr (GStrvBuilder) env = g_strv_builder_new ();
  if (config->default_env != NULL)
    g_strv_builder_addv (env, (const char **) config->default_env);
  g_autoptr (GPtrArray) rules = rules_in_order (config, owner);
  for (guint i = 0; i < rules->len; i++)
    {
      const ConfigRule *rule = g_ptr_array_index (rules, i);
      if (rule->default_env != NULL)
        g_strv_builder_addv (env, (const char **) rule->default_env);
    }
  return g_strv_builder_end (env);
}
