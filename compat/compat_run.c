#include "compat_run.h"

#include "boxfs/boxfs.h"
#include "compat_box.h"
#include "compat_dirs.h"
#include "compat_settings.h"
#include "sandbox/settings/setting_names.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static gboolean
check_box (const char *root, const char *box, GError **error)
{
  g_autofree char *path = g_build_filename (root, box, NULL);
  struct stat st;
  if (stat (path, &st) == 0 && S_ISDIR (st.st_mode))
    return TRUE;
  g_set_error (error, BOXFS_ERROR, ENOENT,
               "Box directory not found, did you run `isolate --init'?");
  return FALSE;
}

/* Writes one setting. A newer control file that this daemon lacks is
 * skipped when the value is its default, and an error otherwise. */
static gboolean
write_setting (const char *root, const char *box, const CompatSetting *setting, GError **error)
{
  g_autoptr (GError) local = NULL;
  if (boxfs_put (root, box, setting->file, setting->value, &local))
    return TRUE;
  if (g_error_matches (local, BOXFS_ERROR, ENOENT))
    {
      if (setting->optional)
        return TRUE;
      g_set_error (error, BOXFS_ERROR, ENOSYS,
                   "This isolatefs has no `%s' file: the option that needs it requires a newer "
                   "daemon",
                   setting->file);
      return FALSE;
    }
  g_autofree char *value = g_strchomp (g_strdup (setting->value));
  g_propagate_prefixed_error (error, g_steal_pointer (&local),
                              "Cannot set %s to '%s': ", setting->file, value);
  return FALSE;
}

/* Writes every setting in one request to the box's settings file, all or
 * none. When that fails, they are written one by one: a daemon older than
 * the settings file takes them so, a text too long for one write fits,
 * and a refusal names the setting. *sized: the settings file took them,
 * so the daemon gives the size of stdout and stderr (boxfs.h). */
static gboolean
write_settings (const char *root, const char *box, GPtrArray *settings, guint verbose,
                gboolean *sized, GError **error)
{
  for (guint i = 0; verbose > 1 && i < settings->len; i++)
    {
      const CompatSetting *setting = g_ptr_array_index (settings, i);
      g_printerr ("Setting %s: %s%s", setting->file, setting->value,
                  g_str_has_suffix (setting->value, "\n") ? "" : "\n");
    }
  g_autofree char *text = compat_settings_text (settings);
  *sized = boxfs_put (root, box, SETTINGS_FILE, text, NULL);
  for (guint i = 0; !*sized && i < settings->len; i++)
    if (!write_setting (root, box, g_ptr_array_index (settings, i), error))
      return FALSE;
  return TRUE;
}

/* Whether to hand our standard input to the program. isolate lets the
 * program inherit it; here it is copied into the box's stdin file, which
 * needs an end: a terminal or other device is not read (the program gets an
 * empty input). */
static gboolean
stdin_is_copyable (void)
{
  struct stat st;
  if (fstat (STDIN_FILENO, &st) != 0)
    return FALSE;
  return S_ISREG (st.st_mode) || S_ISFIFO (st.st_mode) || S_ISSOCK (st.st_mode);
}

/* The box's stdin file gets our standard input, or is left empty; with -i
 * the program opens a file of its own and the box's is not touched. */
static gboolean
write_stdin (const char *root, const char *box, const CompatOptions *options, GError **error)
{
  if (!compat_stdin_uses_box_file (options))
    return TRUE;
  gboolean inherited = compat_stdin_is_inherited (options);
  gboolean copy = inherited && stdin_is_copyable ();
  if (inherited && !copy && options->verbose)
    g_printerr ("Standard input is a terminal or device: the program gets an empty input\n");
  g_autoptr (GError) local = NULL;
  if (boxfs_set_stdin (root, box, copy ? "-" : NULL, &local))
    return TRUE;
  if (g_error_matches (local, BOXFS_ERROR, EFBIG))
    g_set_error (error, BOXFS_ERROR, EFBIG,
                 "Standard input is larger than the daemon's max_stdin allows");
  else
    g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/* The host path of the box's box/ directory, for "./box" in --dir rules. */
static char *
resolve_box_dir (const char *root, const char *box, GError **error)
{
  g_autofree char *link = g_build_filename (root, box, "box", NULL);
  char *box_dir = realpath (link, NULL);
  if (box_dir == NULL)
    {
      int err = errno;
      g_set_error (error, BOXFS_ERROR, err, "Cannot resolve %s: %s", link, g_strerror (err));
    }
  return box_dir;
}

static gboolean
prepare (const char *root, const char *box, const CompatOptions *options,
         const char *const *environ, gboolean *sized, GError **error)
{
  g_autofree char *box_dir = NULL;
  if (compat_dirs_need_box_dir (options->dir_rules)
      && (box_dir = resolve_box_dir (root, box, error)) == NULL)
    return FALSE;
  g_autoptr (GPtrArray) settings = compat_settings_for_run (options, box_dir, environ, error);
  if (settings == NULL)
    return FALSE;
  return write_settings (root, box, settings, options->verbose, sized, error)
         && write_stdin (root, box, options, error);
}

/* Waits for the run's status. When a signal interrupts the wait, stops the
 * run and waits for its end; *interrupted is then the signal's number. */
static char *
wait_for_status (const char *root, const char *box, int *interrupted, GError **error)
{
  g_autoptr (GError) local = NULL;
  char *text = boxfs_get_status (root, box, FALSE, &local);
  if (text != NULL)
    return text;
  if (!boxfs_interrupted)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  *interrupted = boxfs_interrupted;
  boxfs_interrupted = 0;
  if (!boxfs_put (root, box, "ctl", "kill", error))
    return NULL;
  return boxfs_get_status (root, box, FALSE, error);
}

static gboolean
start (const char *root, const char *box, const CompatOptions *options, GError **error)
{
  if (boxfs_interrupted)
    {
      g_set_error (error, BOXFS_ERROR, EINTR, "Interrupted before the program started");
      return FALSE;
    }
  g_autofree char *command = compat_command_text (options->argv);
  if (options->verbose)
    g_printerr ("Running: %s\n", command);
  g_autoptr (GError) local = NULL;
  if (boxfs_put (root, box, "cmd", command, &local))
    return TRUE;
  if (g_error_matches (local, BOXFS_ERROR, EBUSY))
    g_set_error (error, BOXFS_ERROR, EBUSY, "Box %s is already running a program", box);
  else
    g_propagate_prefixed_error (error, g_steal_pointer (&local), "Cannot start the program: ");
  return FALSE;
}

/* Copies BOX/FILE to out unless the daemon says it is empty. */
static gboolean
copy_output (const char *root, const char *box, const char *file, int out, gboolean sized,
             GError **error)
{
  if (sized && boxfs_output_is_empty (root, box, file))
    return TRUE;
  return boxfs_copy_out (root, box, file, out, error);
}

/* The program's output that went to the box's files rather than to files in
 * the sandbox, copied to ours. */
static gboolean
copy_outputs (const char *root, const char *box, const CompatOptions *options, gboolean sized,
              GError **error)
{
  if (options->stdout_path == NULL
      && !copy_output (root, box, "stdout", STDOUT_FILENO, sized, error))
    return FALSE;
  if (options->stderr_path == NULL && !options->stderr_to_stdout
      && !copy_output (root, box, "stderr", STDERR_FILENO, sized, error))
    return FALSE;
  return TRUE;
}

CompatVerdict *
compat_run (const char *root, const CompatOptions *options, const char *const *environ,
            GError **error)
{
  g_autofree char *box = compat_box_name (options->box_id);
  gboolean sized = FALSE;
  if (!check_box (root, box, error) || !prepare (root, box, options, environ, &sized, error)
      || !start (root, box, options, error))
    return NULL;
  int interrupted = 0;
  g_autofree char *status = wait_for_status (root, box, &interrupted, error);
  if (status == NULL)
    return NULL;
  if (options->verbose && strstr (status, "\noutput-truncated:1") != NULL)
    g_printerr ("The program's output passed the daemon's max_output: the rest was dropped\n");
  if (!copy_outputs (root, box, options, sized, error))
    return NULL;
  return compat_verdict_from_status (status, options->cg, interrupted, error);
}
