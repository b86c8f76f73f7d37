#include "command_result.h"

void
command_result_free (CommandResult *result)
{
  if (result == NULL)
    return;
  g_free (result->out);
  g_free (result->err);
  g_free (result);
}

CommandResult *
command_run (GSubprocessLauncher *launcher, const char *const *argv, const char *input)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  CommandResult *result = g_new0 (CommandResult, 1);
  g_subprocess_communicate_utf8 (process, input ? input : "", NULL, &result->out, &result->err,
                                 &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
  g_autofree char *shown = g_strjoinv (" ", (char **) argv);
  g_test_message ("%s -> %d\nstdout: %s\nstderr: %s", shown, result->status, result->out,
                  result->err);
  return result;
}
