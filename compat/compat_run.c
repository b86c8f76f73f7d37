#include "compat_run.h"

#include "boxfs/boxfs.h"
#include "compat_box.h"
#include "compat_settings.h"

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
write_setting (const char *root, const char *box, const CompatSetting *setting, guint verbose,
               GError **error)
{
  g_autoptr (GError) local = NULL;
  if (verbose > 1)
    g_printerr ("Setting %s: %s%s", setting->file, setting->value,
                g_str_has_suffix (setting->value, "\n") ? "" : "\n");
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

static gboolean
write_stdin (const char *root, const char *box, const CompatOptions *options, GError **error)
{
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

static gboolean
prepare (const char *root, const char *box, const CompatOptions *options,
         const char *const *environ, GError **error)
{
  g_autofree char *link = g_build_filename (root, box, "box", NULL);
  g_autofree char *box_dir = realpath (link, NULL);
  if (box_dir == NULL)
    {
      int err = errno;
      g_set_error (error, BOXFS_ERROR, err, "Cannot resolve %s: %s", link, g_strerror (err));
      return FALSE;
    }
  g_autoptr (GPtrArray) settings = compat_settings_for_run (options, box_dir, environ, error);
  if (settings == NULL)
    return FALSE;
  for (guint i = 0; i < settings->len; i++)
    if (!write_setting (root, box, g_ptr_array_index (settings, i), options->verbose, error))
      return FALSE;
  return write_stdin (root, box, options, error);
}

/* Waits for the run's status. When a signal interrupts the wait, stops the
 * run and waits for its end; *interrupted is then the signal's number. */
static char *
wait_for_status (const char *root, const char *box, int *interrupted, GError **error)
{
  g_autoptr (GError) local = NULL;
  char *text = boxfs_get (root, box, "status", FALSE, &local);
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
  return boxfs_get (root, box, "status", FALSE, error);
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

/* The program's output that went to the box's files rather than to files in
 * the sandbox, copied to ours. */
static gboolean
copy_outputs (const char *root, const char *box, const CompatOptions *options, GError **error)
{
  if (options->stdout_path == NULL && !boxfs_copy_out (root, box, "stdout", STDOUT_FILENO, error))
    return FALSE;
  if (options->stderr_path == NULL && !options->stderr_to_stdout
      && !boxfs_copy_out (root, box, "stderr", STDERR_FILENO, error))
    return FALSE;
  return TRUE;
}

CompatVerdict *
compat_run (const char *root, const CompatOptions *options, const char *const *environ,
            GError **error)
{
  g_autofree char *box = compat_box_name (options->box_id);
  if (!check_box (root, box, error) || !prepare (root, box, options, environ, error)
      || !start (root, box, options, error))
    return NULL;
  int interrupted = 0;
  g_autofree char *status = wait_for_status (root, box, &interrupted, error);
  if (status == NULL)
    return NULL;
  if (options->verbose && strstr (status, "\noutput-truncated:1") != NULL)
    g_printerr ("The program's output passed the daemon's max_output: the rest was dropped\n");
  if (!copy_outputs (root, box, options, error))
    return NULL;
  return compat_verdict_from_status (status, options->cg, interrupted, error);
}
