#include "daemon_config.h"

#include "config_rules.h"
#include "sandbox/sandbox_error.h"
#include "utils/box_name.h"
#include "utils/parse_size.h"

#include <grp.h>
#include <pwd.h>
#include <string.h>

#define CONFIG_GROUP "isolatefs"

/* The installed languages table, used instead of the built-in one when it
 * exists; meson gives the path (sandbox/meson.build). */
#ifndef LANGUAGES_FILE
#define LANGUAGES_FILE "/usr/local/etc/mini-isolate/languages.conf"
#endif

DaemonConfig *
daemon_config_new (void)
{
  DaemonConfig *config = g_new0 (DaemonConfig, 1);
  config->state_dir = g_strdup ("/var/lib/isolatefs");
  config->cgroup_parent = g_strdup ("isolatefs");
  config->first_uid = 60000;
  config->first_gid = 60000;
  config->box_uids = 1000;
  config->max_boxes = 1000;
  config->max_stdin_kib = 64 * 1024;
  config->max_output_kib = 64 * 1024;
  config->max_tmp_kib = 1024 * 1024;
  config->favor_dynmods = TRUE;
  config->prepare_runs = TRUE;
  config->prepare_new_boxes = 8;
  for (LimitId id = 0; id < N_LIMITS; id++)
    {
      config->limit_default[id] = limit_builtin_default (id);
      config->limit_maximum[id] = limit_builtin_maximum (id);
    }
  config->user_rules = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                              (GDestroyNotify) config_rule_free);
  config->group_rules = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                               (GDestroyNotify) config_rule_free);
  config->member_gids
      = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) g_array_unref);
  return config;
}

void
daemon_config_free (DaemonConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->state_dir);
  g_free (config->cgroup_parent);
  g_free (config->languages_file);
  g_free (config->log_file);
  g_free (config->default_dirs);
  g_strfreev (config->default_env);
  g_hash_table_unref (config->user_rules);
  g_hash_table_unref (config->group_rules);
  g_hash_table_unref (config->member_gids);
  g_free (config);
}

/* "default_mem" or "max_mem": which limit, and where its value goes. */
static gint64 *
limit_slot (DaemonConfig *config, const char *key, LimitId *id)
{
  if (g_str_has_prefix (key, "default_") && limit_lookup (key + strlen ("default_"), id))
    return &config->limit_default[*id];
  if (g_str_has_prefix (key, "max_") && limit_lookup (key + strlen ("max_"), id))
    return &config->limit_maximum[*id];
  return NULL;
}

typedef enum
{
  KEY_ABSOLUTE_PATH,
  KEY_CGROUP_PARENT,
  KEY_UINT32,
  KEY_SIZE_KIB,
  KEY_BOOLEAN,
  KEY_DIR_RULES,
  KEY_ENV_RULES,
  KEY_CGROUP_HIERARCHY,
} DaemonKeyKind;

/* The daemon-wide keys; limits' default_X and max_X come from box_limits.c.
 * A fixed key keeps its value through a reload (daemon_config_keep_fixed):
 * where the daemon's state and cgroups are, the uids it gives, how it
 * prepares jails and where it logs are set up once, at start. */
static const struct
{
  const char *key;
  DaemonKeyKind kind;
  gsize offset;
  gboolean fixed;
} daemon_keys[] = {
  { "state_dir", KEY_ABSOLUTE_PATH, G_STRUCT_OFFSET (DaemonConfig, state_dir), TRUE },
  { "cgroup", KEY_CGROUP_HIERARCHY, G_STRUCT_OFFSET (DaemonConfig, cgroup), TRUE },
  { "cgroup_parent", KEY_CGROUP_PARENT, G_STRUCT_OFFSET (DaemonConfig, cgroup_parent), TRUE },
  { "first_uid", KEY_UINT32, G_STRUCT_OFFSET (DaemonConfig, first_uid), TRUE },
  { "first_gid", KEY_UINT32, G_STRUCT_OFFSET (DaemonConfig, first_gid), TRUE },
  { "box_uids", KEY_UINT32, G_STRUCT_OFFSET (DaemonConfig, box_uids), TRUE },
  { "max_boxes", KEY_UINT32, G_STRUCT_OFFSET (DaemonConfig, max_boxes) },
  { "max_stdin", KEY_SIZE_KIB, G_STRUCT_OFFSET (DaemonConfig, max_stdin_kib) },
  { "max_output", KEY_SIZE_KIB, G_STRUCT_OFFSET (DaemonConfig, max_output_kib) },
  /* The tmp volume is made once, at start (tmp_volume.h). */
  { "max_tmp", KEY_SIZE_KIB, G_STRUCT_OFFSET (DaemonConfig, max_tmp_kib), TRUE },
  { "favor_dynmods", KEY_BOOLEAN, G_STRUCT_OFFSET (DaemonConfig, favor_dynmods), TRUE },
  { "prepare_runs", KEY_BOOLEAN, G_STRUCT_OFFSET (DaemonConfig, prepare_runs), TRUE },
  { "prepare_new_boxes", KEY_UINT32, G_STRUCT_OFFSET (DaemonConfig, prepare_new_boxes), TRUE },
  { "languages", KEY_ABSOLUTE_PATH, G_STRUCT_OFFSET (DaemonConfig, languages_file) },
  { "log", KEY_ABSOLUTE_PATH, G_STRUCT_OFFSET (DaemonConfig, log_file), TRUE },
  { "default_dirs", KEY_DIR_RULES, G_STRUCT_OFFSET (DaemonConfig, default_dirs) },
  { "default_env", KEY_ENV_RULES, G_STRUCT_OFFSET (DaemonConfig, default_env) },
};

static gint
daemon_key_index (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (daemon_keys); i++)
    if (strcmp (daemon_keys[i].key, key) == 0)
      return (gint) i;
  return -1;
}

/* A cgroup path: one or more box-name-like components, so it can never
 * climb out with "..", after a '/' that makes it start at the hierarchy's
 * root rather than at the daemon's own group (cgroup v2: cgroups_new). */
static gboolean
is_cgroup_path (const char *value)
{
  if (value[0] == '/')
    value++;
  if (value[0] == '\0')
    return FALSE;
  g_auto (GStrv) parts = g_strsplit (value, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (!box_name_validate (parts[i], NULL))
      return FALSE;
  return TRUE;
}

static gboolean
set_daemon_key (DaemonConfig *config, guint index, const char *value, GError **error)
{
  gpointer field = G_STRUCT_MEMBER_P (config, daemon_keys[index].offset);
  const char *key = daemon_keys[index].key;
  g_autoptr (GError) local_error = NULL;
  guint64 number = 0;

  switch (daemon_keys[index].kind)
    {
    case KEY_ABSOLUTE_PATH:
      if (!g_path_is_absolute (value))
        break;
      g_free (*(char **) field);
      *(char **) field = g_canonicalize_filename (value, NULL);
      return TRUE;
    case KEY_CGROUP_PARENT:
      if (!is_cgroup_path (value))
        break;
      g_free (*(char **) field);
      *(char **) field = g_strdup (value);
      return TRUE;
    case KEY_UINT32:
      if (!g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT32 - 1, &number, &local_error))
        break;
      *(guint32 *) field = (guint32) number;
      return TRUE;
    case KEY_SIZE_KIB:
      if (!parse_size_kib (value, &number, &local_error))
        break;
      *(guint64 *) field = number;
      return TRUE;
    case KEY_DIR_RULES:
      return config_parse_default_dirs (value, (char **) field, error);
    case KEY_ENV_RULES:
      return config_parse_default_env (value, (GStrv *) field, error);
    case KEY_BOOLEAN:
      if (g_strv_contains ((const char *const[]){ "true", "1", "yes", NULL }, value))
        *(gboolean *) field = TRUE;
      else if (g_strv_contains ((const char *const[]){ "false", "0", "no", NULL }, value))
        *(gboolean *) field = FALSE;
      else
        break;
      return TRUE;
    case KEY_CGROUP_HIERARCHY:
      if (!cgroup_hierarchy_parse (value, (CgroupHierarchy *) field))
        break;
      return TRUE;
    }

  static const char *const expected[] = {
    [KEY_ABSOLUTE_PATH] = "an absolute path",
    [KEY_CGROUP_PARENT] = "names of [A-Za-z0-9_.-] joined by '/', after an optional '/'",
    [KEY_UINT32] = "a whole number from 1",
    [KEY_SIZE_KIB] = "a size in KiB, or with a K/M/G/T suffix",
    [KEY_BOOLEAN] = "true or false (or 1/0, yes/no)",
    [KEY_DIR_RULES] = "dirs rules",
    [KEY_ENV_RULES] = "env rules",
    [KEY_CGROUP_HIERARCHY] = "auto, v1 or v2",
  };
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "%s: '%s' is not %s", key, value,
               expected[daemon_keys[index].kind]);
  return FALSE;
}

gboolean
daemon_config_has_key (const char *key)
{
  LimitId id;
  return daemon_key_index (key) >= 0
         || (g_str_has_prefix (key, "default_") && limit_lookup (key + strlen ("default_"), &id))
         || (g_str_has_prefix (key, "max_") && limit_lookup (key + strlen ("max_"), &id));
}

gboolean
daemon_config_set (DaemonConfig *config, const char *key, const char *value, GError **error)
{
  LimitId id;
  gint64 *slot = limit_slot (config, key, &id);
  if (slot != NULL)
    return limit_parse (id, value, slot, error) || (g_prefix_error (error, "%s: ", key), FALSE);

  gint index = daemon_key_index (key);
  if (index >= 0)
    return set_daemon_key (config, index, value, error);

  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "unknown setting '%s'", key);
  return FALSE;
}

/* Applies every key of one group of the config file. */
static gboolean
load_group (DaemonConfig *config, GKeyFile *file, const char *path, const char *group,
            GError **error)
{
  ConfigRule *rule = NULL;
  if (strcmp (group, CONFIG_GROUP) != 0
      && (rule = config_rule_of_group (config, group, path)) == NULL)
    return TRUE;

  g_auto (GStrv) keys = g_key_file_get_keys (file, group, NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      /* GKeyFile may return a value and set an error (a bad escape): the
       * error is what counts. */
      g_autoptr (GError) read_error = NULL;
      g_autofree char *value = g_key_file_get_string (file, group, keys[i], &read_error);
      if (read_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&read_error));
          return FALSE;
        }
      if (rule != NULL ? !config_rule_set (rule, keys[i], value, error)
                       : !daemon_config_set (config, keys[i], value, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
daemon_config_load_file (DaemonConfig *config, const char *path, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
    return g_prefix_error (error, "config file %s: ", path), FALSE;

  /* Every group is known before any is applied: a file is taken or refused whole. */
  g_auto (GStrv) groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    if (strcmp (groups[i], CONFIG_GROUP) != 0 && !g_str_has_prefix (groups[i], "user:")
        && !g_str_has_prefix (groups[i], "group:"))
      {
        g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
                     "config file %s: unknown group [%s] (settings go in [" CONFIG_GROUP
                     "], [user:NAME] or [group:NAME])",
                     path, groups[i]);
        return FALSE;
      }
  for (guint i = 0; groups[i] != NULL; i++)
    if (!load_group (config, file, path, groups[i], error))
      return g_prefix_error (error, "config file %s: ", path), FALSE;
  config_index_group_members (config);
  return TRUE;
}

gboolean
daemon_config_check (const DaemonConfig *config, GError **error)
{
  for (LimitId id = 0; id < N_LIMITS; id++)
    if (!limit_check_maximum (id, config->limit_default[id], config->limit_maximum[id], error))
      return g_prefix_error (error, "default_%s: ", limit_name (id)), FALSE;

  if ((guint64) config->first_uid + config->box_uids > G_MAXUINT32
      || (guint64) config->first_gid + config->box_uids > G_MAXUINT32)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
                   "first_uid/first_gid + box_uids runs past the largest uid");
      return FALSE;
    }
  return TRUE;
}

/* The compile limits of every language must parse as the box's files would
 * take them: a bad one is found at start, not at some box's first source. */
static gboolean
check_compile_limits (const LanguageTable *table, GError **error)
{
  for (guint i = 0; i < table->languages->len; i++)
    {
      const Language *language = g_ptr_array_index (table->languages, i);
      const struct
      {
        LimitId id;
        const char *key, *text;
      } limits[] = {
        { LIMIT_MEM, "compile_mem", language->compile_mem },
        { LIMIT_TIME, "compile_time", language->compile_time },
        { LIMIT_WALL_TIME, "compile_wall_time", language->compile_wall_time },
        { LIMIT_PROCESSES, "compile_processes", language->compile_processes },
      };
      for (guint j = 0; j < G_N_ELEMENTS (limits); j++)
        {
          gint64 value;
          if (!limit_parse (limits[j].id, limits[j].text, &value, error))
            return g_prefix_error (error, "%s: language [%s]: %s: ", table->path, language->name,
                                   limits[j].key),
                   FALSE;
        }
    }
  return TRUE;
}

LanguageTable *
daemon_config_load_languages (const DaemonConfig *config, GError **error)
{
  g_autoptr (GError) load_error = NULL;
  g_autoptr (LanguageTable) table = config->languages_file != NULL
                                        ? languages_load_file (config->languages_file, &load_error)
                                        : languages_load_default (LANGUAGES_FILE, &load_error);
  if (table == NULL || !check_compile_limits (table, &load_error))
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "%s; %s", load_error->message,
                   config->languages_file != NULL
                       ? "fix it, or drop the languages setting to use the built-in table"
                       : "fix it, or delete it to use the built-in table");
      return NULL;
    }
  g_message ("languages table: %s (%u languages)", table->path, table->languages->len);
  return g_steal_pointer (&table);
}

/* Copies one fixed key; TRUE if config had another value. */
static gboolean
keep_key (DaemonConfig *config, const DaemonConfig *running, guint index)
{
  gpointer field = G_STRUCT_MEMBER_P (config, daemon_keys[index].offset);
  gconstpointer kept = G_STRUCT_MEMBER_P (running, daemon_keys[index].offset);
  gboolean changed;
  switch (daemon_keys[index].kind)
    {
    case KEY_ABSOLUTE_PATH:
    case KEY_CGROUP_PARENT:
      changed = g_strcmp0 (*(char **) field, *(char *const *) kept) != 0;
      g_free (*(char **) field);
      *(char **) field = g_strdup (*(char *const *) kept);
      return changed;
    case KEY_UINT32:
      changed = *(guint32 *) field != *(const guint32 *) kept;
      *(guint32 *) field = *(const guint32 *) kept;
      return changed;
    case KEY_BOOLEAN:
      changed = *(gboolean *) field != *(const gboolean *) kept;
      *(gboolean *) field = *(const gboolean *) kept;
      return changed;
    case KEY_CGROUP_HIERARCHY:
      changed = *(CgroupHierarchy *) field != *(const CgroupHierarchy *) kept;
      *(CgroupHierarchy *) field = *(const CgroupHierarchy *) kept;
      return changed;
    case KEY_SIZE_KIB:
      changed = *(guint64 *) field != *(const guint64 *) kept;
      *(guint64 *) field = *(const guint64 *) kept;
      return changed;
    case KEY_DIR_RULES:
    case KEY_ENV_RULES:
      break; /* none is fixed */
    }
  g_return_val_if_reached (FALSE);
}

char *
daemon_config_keep_fixed (DaemonConfig *config, const DaemonConfig *running)
{
  g_autoptr (GString) changed = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (daemon_keys); i++)
    if (daemon_keys[i].fixed && keep_key (config, running, i))
      g_string_append_printf (changed, "%s%s", changed->len ? ", " : "", daemon_keys[i].key);
  return g_string_free (g_steal_pointer (&changed), FALSE);
}

uid_t
daemon_config_box_uid (const DaemonConfig *config, guint index)
{
  return config->first_uid + index;
}

gid_t
daemon_config_box_gid (const DaemonConfig *config, guint index)
{
  return config->first_gid + index;
}
