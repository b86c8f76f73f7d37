#include "compat_settings.h"

#include "compat_dirs.h"
#include "compat_env.h"
#include "sandbox/settings/setting_names.h"
#include "utils/setting_lines.h"

#include <string.h>

static void
setting_free (CompatSetting *setting)
{
  g_free (setting->value);
  g_free (setting);
}

static void
add (GPtrArray *settings, const char *file, char *value, gboolean optional)
{
  CompatSetting *setting = g_new0 (CompatSetting, 1);
  setting->file = file;
  setting->value = value;
  setting->optional = optional;
  g_ptr_array_add (settings, setting);
}

/* A KiB size or a count where isolate's 0 means no limit. */
static char *
limit (guint value)
{
  return value == 0 ? g_strdup ("unlimited") : g_strdup_printf ("%u", value);
}

/* Milliseconds as decimal seconds; 0 is "no limit" for the daemon's time
 * and wall-time as for isolate. */
static char *
seconds (guint ms)
{
  return g_strdup_printf ("%u.%03u", ms / 1000, ms % 1000);
}

/* isolate opens -i/-o/-r in /box, before --chdir applies, and changes to a
 * relative --chdir from /box: relative paths are relative to /box. */
static char *
inside_path (const char *path)
{
  if (g_path_is_absolute (path))
    return g_strdup (path);
  return g_build_filename ("/box", path, NULL);
}

gboolean
compat_stdin_is_inherited (const CompatOptions *options)
{
  return options->stdin_path == NULL;
}

gboolean
compat_stdin_uses_box_file (const CompatOptions *options)
{
  return options->stdin_path == NULL || strcmp (options->stdin_path, "/dev/null") == 0;
}

/* Empty (a lone newline) for stdio through the control files. */
static char *
optional_path (const char *path)
{
  if (path == NULL)
    return g_strdup ("\n");
  return inside_path (path);
}

static gboolean
check_line (const char *what, const char *value, GError **error)
{
  if (strchr (value, '\n') == NULL)
    return TRUE;
  g_set_error (error, COMPAT_OPTIONS_ERROR, COMPAT_OPTIONS_ERROR_USAGE,
               "%s: a path with a newline cannot be given to the sandbox", what);
  return FALSE;
}

GPtrArray *
compat_settings_for_run (const CompatOptions *options, const char *box_dir,
                         const char *const *environ, GError **error)
{
  const char *paths[]
      = { options->chdir, options->stdin_path, options->stdout_path, options->stderr_path };
  const char *names[] = { "--chdir", "--stdin", "--stdout", "--stderr" };
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    if (paths[i] != NULL && !check_line (names[i], paths[i], error))
      return NULL;
  g_autofree char *dirs
      = compat_dirs_render (options->dir_rules, options->no_default_dirs, box_dir, error);
  if (dirs == NULL)
    return NULL;

  g_autoptr (GPtrArray) settings = g_ptr_array_new_with_free_func ((GDestroyNotify) setting_free);
  /* As isolate: --cg-mem the whole run's memory, -m each process's address space. */
  add (settings, SETTING_MEM, limit (options->cg_mem_kib), FALSE);
  add (settings, SETTING_TIME, seconds (options->time_ms), FALSE);
  add (settings, SETTING_WALL_TIME, seconds (options->wall_ms), FALSE);
  add (settings, SETTING_EXTRA_TIME, seconds (options->extra_ms), FALSE);
  add (settings, SETTING_PROCESSES, limit (options->processes), FALSE);
  add (settings, SETTING_FSIZE, limit (options->fsize_kib), FALSE);
  add (settings, SETTING_STACK, limit (options->stack_kib), FALSE);
  add (settings, SETTING_OPEN_FILES, limit (options->open_files), FALSE);
  add (settings, SETTING_SHARE_NET, g_strdup (options->share_net ? "1" : "0"), FALSE);
  add (settings, SETTING_ADDRESS_SPACE, limit (options->mem_kib), options->mem_kib == 0);
  add (settings, SETTING_CORE, g_strdup_printf ("%u", options->core_kib), options->core_kib == 0);
  add (settings, SETTING_ENV, compat_env_render (options->full_env, options->env_rules, environ),
       FALSE);
  add (settings, SETTING_DIRS, g_steal_pointer (&dirs), FALSE);
  add (settings, SETTING_CHDIR, options->chdir ? inside_path (options->chdir) : g_strdup ("/box"),
       options->chdir == NULL);
  gboolean stdin_default = compat_stdin_uses_box_file (options);
  add (settings, SETTING_STDIN_PATH, optional_path (stdin_default ? NULL : options->stdin_path),
       stdin_default);
  add (settings, SETTING_STDOUT_PATH, optional_path (options->stdout_path),
       options->stdout_path == NULL);
  add (settings, SETTING_STDERR_PATH, optional_path (options->stderr_path),
       options->stderr_path == NULL);
  add (settings, SETTING_STDERR_TO_STDOUT, g_strdup (options->stderr_to_stdout ? "1" : "0"),
       !options->stderr_to_stdout);
  return g_steal_pointer (&settings);
}

char *
compat_settings_text (GPtrArray *settings)
{
  GString *text = g_string_new (NULL);
  for (guint i = 0; i < settings->len; i++)
    {
      const CompatSetting *setting = g_ptr_array_index (settings, i);
      setting_lines_append (text, setting->file, setting->value);
    }
  return g_string_free (text, FALSE);
}

char *
compat_command_text (char *const *argv)
{
  GString *text = g_string_new (NULL);
  for (char *const *arg = argv; *arg != NULL; arg++)
    {
      g_autofree char *quoted = g_shell_quote (*arg);
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, quoted);
    }
  return g_string_free (text, FALSE);
}
