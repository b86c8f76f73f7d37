#include "box_settings.h"

#include "dir_rules.h"
#include "env_rules.h"
#include "sandbox_error.h"

#include <string.h>

static const char *const setting_names[] = {
  "mem",   "time",       "wall-time", "extra-time", "processes", "fsize",
  "stack", "open-files", "share-net", "env",        "dirs",      NULL,
};

G_STATIC_ASSERT (G_N_ELEMENTS (setting_names) == N_LIMITS + 3);

void
box_settings_init (BoxSettings *settings, const SandboxConfig *config)
{
  memcpy (settings->limits, config->limit_default, sizeof settings->limits);
  settings->env = g_new0 (char *, 1);
  settings->dirs = g_ptr_array_new_with_free_func ((GDestroyNotify) dir_rule_free);
}

void
box_settings_clear (BoxSettings *settings)
{
  g_clear_pointer (&settings->env, g_strfreev);
  g_clear_pointer (&settings->dirs, g_ptr_array_unref);
}

const char *const *
box_settings_names (void)
{
  return setting_names;
}

/* Anyone but root, with no rule of their own: the daemon-wide maximums. */
static const SandboxCaller anyone = { (uid_t) -1, (gid_t) -1 };

/* caller NULL or root: no maximum. */
static gboolean
set_limit (BoxSettings *settings, const SandboxConfig *config, LimitId id, const char *text,
           const SandboxCaller *caller, GError **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  gint64 value;
  gboolean bound = caller != NULL && caller->uid != 0;
  if (!limit_parse (id, stripped, &value, error)
      || (bound
          && !limit_check_maximum (id, value, sandbox_config_maximum (config, id, caller), error)))
    return FALSE;
  settings->limits[id] = value;
  return TRUE;
}

static gboolean
set_setting (BoxSettings *settings, const SandboxConfig *config, const char *name, const char *text,
             const SandboxCaller *caller, GError **error)
{
  LimitId id;
  if (limit_lookup (name, &id))
    return set_limit (settings, config, id, text, caller, error);

  if (strcmp (name, "env") == 0)
    {
      GStrv env;
      if (!env_rules_parse (text, &env, error))
        return FALSE;
      g_strfreev (settings->env);
      settings->env = env;
      return TRUE;
    }
  if (strcmp (name, "dirs") == 0)
    {
      GPtrArray *dirs;
      if (!dir_rules_parse (text, &dirs, error))
        return FALSE;
      g_ptr_array_unref (settings->dirs);
      settings->dirs = dirs;
      return TRUE;
    }

  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_NOT_FOUND, "no setting named '%s'", name);
  return FALSE;
}

gboolean
box_settings_set (BoxSettings *settings, const SandboxConfig *config, const char *name,
                  const char *text, GError **error)
{
  return set_setting (settings, config, name, text, &anyone, error);
}

gboolean
box_settings_set_as (BoxSettings *settings, const SandboxConfig *config,
                     const SandboxCaller *caller, const char *name, const char *text,
                     GError **error)
{
  return set_setting (settings, config, name, text, caller, error);
}

gboolean
box_settings_set_trusted (BoxSettings *settings, const SandboxConfig *config, const char *name,
                          const char *text, GError **error)
{
  return set_setting (settings, config, name, text, NULL, error);
}

gboolean
box_settings_need_root (const char *name)
{
  return strcmp (name, "dirs") == 0;
}

gboolean
box_settings_shape_jail (const char *name)
{
  return strcmp (name, "dirs") == 0 || strcmp (name, "share-net") == 0;
}

char *
box_settings_get (const BoxSettings *settings, const char *name)
{
  LimitId id;
  if (limit_lookup (name, &id))
    return limit_format (id, settings->limits[id]);
  if (strcmp (name, "env") == 0)
    return env_rules_format ((const char *const *) settings->env);
  if (strcmp (name, "dirs") == 0)
    return dir_rules_format (settings->dirs);
  return NULL;
}
