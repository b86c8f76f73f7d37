#include "run_output.h"

#include "sandbox/jail/shared/jail_protocol.h"
#include "sandbox/sandbox_error.h"
#include "utils/autofd.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

gboolean
run_outputs_init (RunOutputs *outputs, const int fds[2], gint64 cap, gint64 fsize_kib,
                  GError **error)
{
  *outputs = (RunOutputs){ .fds = { -1, -1 }, .cap = cap };
  if (fsize_kib != JAIL_UNLIMITED && fsize_kib <= cap / 1024)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (outputs->fds); i++)
    if (fds[i] >= 0 && (outputs->fds[i] = fcntl (fds[i], F_DUPFD_CLOEXEC, 0)) < 0)
      {
        run_outputs_close (outputs);
        return sandbox_set_errno_error (error, errno, "keep", "the output files");
      }
  return TRUE;
}

/* A program that seeks far past the end and writes there leaves a hole that
 * takes no disk: the cut frees every block past the cap, so what the state
 * directory holds stays near the cap whatever the program does. */
void
run_outputs_hold_to_cap (RunOutputs *outputs)
{
  for (guint i = 0; i < G_N_ELEMENTS (outputs->fds); i++)
    {
      struct stat st;
      if (outputs->fds[i] < 0 || fstat (outputs->fds[i], &st) < 0 || st.st_size <= outputs->cap)
        continue;
      outputs->truncated = TRUE;
      if (ftruncate (outputs->fds[i], outputs->cap) < 0)
        g_warning ("cannot hold an output file to max_output: %s", g_strerror (errno));
    }
}

void
run_outputs_close (RunOutputs *outputs)
{
  for (guint i = 0; i < G_N_ELEMENTS (outputs->fds); i++)
    autofd_close (&outputs->fds[i]);
}
