#pragma once

#include <gio/gio.h>

/* What a command run by a test printed and how it exited. */
typedef struct
{
  int status; /* its exit status; the command must exit, not die of a signal */
  char *out;
  char *err;
} CommandResult;

void command_result_free (CommandResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CommandResult, command_result_free)

/* Runs argv with the launcher (which must pipe stdin, stdout and stderr),
 * feeding it input (NULL: nothing), waits for it and logs what it did. */
CommandResult *command_run (GSubprocessLauncher *launcher, const char *const *argv,
                            const char *input);
