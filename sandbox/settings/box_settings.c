#include "box_settings.h"

#include "dir_rules.h"
#include "env_rules.h"
#include "setting_names.h"
#include "sandbox/sandbox_error.h"

#include <limits.h>
#include <string.h>

#define DEFAULT_CWD "/box"

typedef struct _TextSetting TextSetting;

/* A setting that is not a limit: its parser and its canonical text. */
struct _TextSetting
{
  const char *name;
  gboolean (*set) (BoxSettings *settings, const TextSetting *setting, const char *text,
                   GError **error);
  char *(*get) (const BoxSettings *settings, const TextSetting *setting);
  int stream;           /* for the stdio paths: 0, 1 or 2 */
  gboolean root_only;   /* binds host paths into the jail, as root does */
  gboolean shapes_jail; /* part of the jail prepared before the command */
  gboolean multi_line;  /* a value of several lines */
};

/* ---- The settings that are not limits, each with its parser ---- */

static gboolean
set_env (BoxSettings *settings, const TextSetting *setting, const char *text, GError **error)
{
  GStrv env;
  if (!env_rules_parse (text, &env, error))
    return FALSE;
  g_strfreev (settings->env);
  settings->env = env;
  return TRUE;
}

static char *
get_env (const BoxSettings *settings, const TextSetting *setting)
{
  return env_rules_format ((const char *const *) settings->env);
}

static gboolean
set_dirs (BoxSettings *settings, const TextSetting *setting, const char *text, GError **error)
{
  GPtrArray *dirs;
  if (!dir_rules_parse (text, &dirs, error))
    return FALSE;
  g_ptr_array_unref (settings->dirs);
  settings->dirs = dirs;
  return TRUE;
}

static char *
get_dirs (const BoxSettings *settings, const TextSetting *setting)
{
  return dir_rules_format (settings->dirs);
}

/* One line, without surrounding whitespace; NULL (and an error) if the text
 * holds more, or a path the kernel would refuse. Paths are inside the
 * jail and used by the program itself, so nothing else is checked. */
static char *
parse_path (const TextSetting *setting, const char *text, GError **error)
{
  g_autofree char *path = g_strstrip (g_strdup (text));
  const char *problem = NULL;
  if (strchr (path, '\n') != NULL)
    problem = "one path, on one line";
  else if (strlen (path) >= PATH_MAX)
    problem = "a path shorter than PATH_MAX";
  if (problem == NULL)
    return g_steal_pointer (&path);
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "%s: expected %s", setting->name,
               problem);
  return NULL;
}

static char *
format_path (const char *path)
{
  return g_strdup (path ? path : "");
}

static gboolean
set_cwd (BoxSettings *settings, const TextSetting *setting, const char *text, GError **error)
{
  g_autofree char *path = parse_path (setting, text, error);
  if (path == NULL)
    return FALSE;
  if (path[0] != '\0' && path[0] != '/')
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "%s: '%s' is not an absolute path",
                   setting->name, path);
      return FALSE;
    }
  g_free (settings->cwd);
  settings->cwd = path[0] ? g_steal_pointer (&path) : g_strdup (DEFAULT_CWD);
  return TRUE;
}

static char *
get_cwd (const BoxSettings *settings, const TextSetting *setting)
{
  return format_path (settings->cwd);
}

static gboolean
set_stdio_path (BoxSettings *settings, const TextSetting *setting, const char *text, GError **error)
{
  g_autofree char *path = parse_path (setting, text, error);
  if (path == NULL)
    return FALSE;
  g_free (settings->stdio_paths[setting->stream]);
  settings->stdio_paths[setting->stream] = path[0] ? g_steal_pointer (&path) : NULL;
  return TRUE;
}

static char *
get_stdio_path (const BoxSettings *settings, const TextSetting *setting)
{
  return format_path (settings->stdio_paths[setting->stream]);
}

static gboolean
set_stderr_to_stdout (BoxSettings *settings, const TextSetting *setting, const char *text,
                      GError **error)
{
  g_autofree char *value = g_strstrip (g_strdup (text));
  if (strcmp (value, "0") != 0 && strcmp (value, "1") != 0)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "%s takes 0 or 1, not '%s'",
                   setting->name, value);
      return FALSE;
    }
  settings->stderr_to_stdout = value[0] == '1';
  return TRUE;
}

static char *
get_stderr_to_stdout (const BoxSettings *settings, const TextSetting *setting)
{
  return g_strdup (settings->stderr_to_stdout ? "1" : "0");
}

static const TextSetting text_settings[] = {
  { SETTING_ENV, set_env, get_env, .multi_line = TRUE },
  { SETTING_DIRS, set_dirs, get_dirs, .root_only = TRUE, .shapes_jail = TRUE, .multi_line = TRUE },
  { SETTING_CHDIR, set_cwd, get_cwd },
  { SETTING_STDIN_PATH, set_stdio_path, get_stdio_path, .stream = 0 },
  { SETTING_STDOUT_PATH, set_stdio_path, get_stdio_path, .stream = 1 },
  { SETTING_STDERR_PATH, set_stdio_path, get_stdio_path, .stream = 2 },
  { SETTING_STDERR_TO_STDOUT, set_stderr_to_stdout, get_stderr_to_stdout },
};

static const TextSetting *
text_setting_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (text_settings); i++)
    if (strcmp (text_settings[i].name, name) == 0)
      return &text_settings[i];
  return NULL;
}

/* ---- The settings as a whole ---- */

void
box_settings_init (BoxSettings *settings, const DaemonConfig *config)
{
  memset (settings, 0, sizeof *settings);
  memcpy (settings->limits, config->limit_default, sizeof settings->limits);
  settings->env = g_new0 (char *, 1);
  settings->dirs = g_ptr_array_new_with_free_func ((GDestroyNotify) dir_rule_free);
  settings->cwd = g_strdup (DEFAULT_CWD);
}

void
box_settings_clear (BoxSettings *settings)
{
  g_clear_pointer (&settings->env, g_strfreev);
  g_clear_pointer (&settings->dirs, g_ptr_array_unref);
  g_clear_pointer (&settings->cwd, g_free);
  for (int i = 0; i < 3; i++)
    g_clear_pointer (&settings->stdio_paths[i], g_free);
}

/* The limits in their table's order, then text_settings, made from the
 * two tables once. */
const char *const *
box_settings_names (void)
{
  static const char **names;
  if (g_once_init_enter (&names))
    {
      const char **built = g_new0 (const char *, N_LIMITS + G_N_ELEMENTS (text_settings) + 1);
      for (LimitId id = 0; id < N_LIMITS; id++)
        built[id] = limit_name (id);
      for (guint i = 0; i < G_N_ELEMENTS (text_settings); i++)
        built[N_LIMITS + i] = text_settings[i].name;
      g_once_init_leave (&names, built);
    }
  return names;
}

/* Anyone but root, with no rule of their own: the daemon-wide maximums. */
static const Caller anyone = { (uid_t) -1, (gid_t) -1 };

static gboolean
binds (const Caller *caller)
{
  return caller != NULL && caller->uid != 0;
}

/* caller NULL or root: no maximum. */
static gboolean
set_limit (BoxSettings *settings, const DaemonConfig *config, LimitId id, const char *text,
           const Caller *caller, GError **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  gint64 value;
  if (!limit_parse (id, stripped, &value, error)
      || (binds (caller)
          && !limit_check_maximum (id, value, daemon_config_maximum (config, id, caller), error)))
    return FALSE;
  settings->limits[id] = value;
  return TRUE;
}

static gboolean
set_setting (BoxSettings *settings, const DaemonConfig *config, const char *name, const char *text,
             const Caller *caller, GError **error)
{
  LimitId id;
  if (limit_lookup (name, &id))
    return set_limit (settings, config, id, text, caller, error);
  const TextSetting *setting = text_setting_lookup (name);
  if (setting != NULL)
    return setting->set (settings, setting, text, error);
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_NOT_FOUND, "no setting named '%s'", name);
  return FALSE;
}

gboolean
box_settings_set (BoxSettings *settings, const DaemonConfig *config, const char *name,
                  const char *text, GError **error)
{
  return set_setting (settings, config, name, text, &anyone, error);
}

gboolean
box_settings_set_trusted (BoxSettings *settings, const DaemonConfig *config, const char *name,
                          const char *text, GError **error)
{
  return set_setting (settings, config, name, text, NULL, error);
}

gboolean
box_settings_need_root (const char *name)
{
  const TextSetting *setting = text_setting_lookup (name);
  return setting != NULL && setting->root_only;
}

gboolean
box_settings_multi_line (const char *name)
{
  const TextSetting *setting = text_setting_lookup (name);
  return setting != NULL && setting->multi_line;
}

gboolean
box_settings_shape_jail (const char *name)
{
  const TextSetting *setting = text_setting_lookup (name);
  return strcmp (name, limit_name (LIMIT_SHARE_NET)) == 0
         || strcmp (name, limit_name (LIMIT_QUOTA)) == 0
         || (setting != NULL && setting->shapes_jail);
}

char *
box_settings_get (const BoxSettings *settings, const char *name)
{
  LimitId id;
  if (limit_lookup (name, &id))
    return limit_format (id, settings->limits[id]);
  const TextSetting *setting = text_setting_lookup (name);
  return setting ? setting->get (settings, setting) : NULL;
}

/* ---- Several settings at once ---- */

static void
setting_value_free (SettingValue *value)
{
  g_free (value->name);
  g_free (value->text);
  g_free (value);
}

GPtrArray *
setting_values_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) setting_value_free);
}

void
setting_values_add (GPtrArray *values, const char *name, const char *text)
{
  SettingValue *value = g_new (SettingValue, 1);
  value->name = g_strdup (name);
  value->text = g_strdup (text);
  g_ptr_array_add (values, value);
}

/* A copy through each setting's canonical text, which its parser takes back
 * unchanged (fuzz_settings checks it): one definition of what a setting
 * holds, that of its text. */
static void
copy_settings (const BoxSettings *from, const DaemonConfig *config, BoxSettings *to)
{
  box_settings_init (to, config);
  for (const char *const *name = box_settings_names (); *name != NULL; name++)
    {
      g_autofree char *text = box_settings_get (from, *name);
      if (!box_settings_set_trusted (to, config, *name, text, NULL))
        g_error ("setting %s: its own text '%s' does not parse", *name, text);
    }
}

/* A setting changed to what next holds, as caller may change it: within the
 * maximum that binds them, and not one only root may change. */
static gboolean
check_change (const BoxSettings *next, const DaemonConfig *config, const Caller *caller,
              const char *name, GError **error)
{
  if (!binds (caller))
    return TRUE;
  LimitId id;
  if (limit_lookup (name, &id))
    return limit_check_maximum (id, next->limits[id], daemon_config_maximum (config, id, caller),
                                error);
  if (!box_settings_need_root (name))
    return TRUE;
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_NOT_PERMITTED,
               "%s: only root may change it, as it binds host paths", name);
  return FALSE;
}

/* The name as box_settings_names() holds it, which outlives any value. */
static const char *
canonical_name (const char *name)
{
  for (const char *const *known = box_settings_names (); *known != NULL; known++)
    if (strcmp (*known, name) == 0)
      return *known;
  return NULL;
}

static gboolean
text_changed (const BoxSettings *old, const BoxSettings *next, const char *name)
{
  g_autofree char *old_text = box_settings_get (old, name);
  g_autofree char *new_text = box_settings_get (next, name);
  return strcmp (old_text, new_text) != 0;
}

/* Every value applied to next, as saved values are; then each setting that
 * ended up changed, checked and listed in changed. */
static gboolean
apply_values (const BoxSettings *old, BoxSettings *next, const DaemonConfig *config,
              const Caller *caller, GPtrArray *values, GPtrArray *changed, GError **error)
{
  for (guint i = 0; i < values->len; i++)
    {
      const SettingValue *value = g_ptr_array_index (values, i);
      if (!set_setting (next, config, value->name, value->text, NULL, error))
        return FALSE;
    }
  for (guint i = 0; i < values->len; i++)
    {
      const char *name
          = canonical_name (((const SettingValue *) g_ptr_array_index (values, i))->name);
      if (!text_changed (old, next, name) || g_ptr_array_find (changed, name, NULL))
        continue;
      if (!check_change (next, config, caller, name, error))
        return FALSE;
      g_ptr_array_add (changed, (gpointer) name);
    }
  return TRUE;
}

gboolean
box_settings_update (const BoxSettings *settings, const DaemonConfig *config, const Caller *caller,
                     GPtrArray *values, BoxSettings *updated, GPtrArray **changed, GError **error)
{
  BoxSettings next;
  copy_settings (settings, config, &next);
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  if (!apply_values (settings, &next, config, caller, values, names, error))
    {
      box_settings_clear (&next);
      return FALSE;
    }
  *updated = next;
  *changed = g_steal_pointer (&names);
  return TRUE;
}
