#include "compile_progress.h"

#include "boxfs/boxfs.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

/* The step of the source chain in progress ("compile", "run"), or NULL
 * once it has ended; waits up to timeout_ms for the end. */
static char *
chain_stage (const char *root, const char *box, int timeout_ms)
{
  g_autofree char *path = g_build_filename (root, box, "status", NULL);
  int fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  /* Readable once the chain has ended. */
  struct pollfd ended = { .fd = fd, .events = POLLIN };
  int polled = poll (&ended, 1, timeout_ms);
  char text[256] = "";
  gssize length = polled == 0 ? read (fd, text, sizeof text - 1) : -1;
  close (fd);
  if (length <= 0)
    return NULL;
  text[length] = '\0';
  g_autoptr (GHashTable) status = boxfs_parse_status (text);
  return g_strdup (g_hash_table_lookup (status, "stage"));
}

/* On a terminal, a compile that takes more than a moment says so, and the
 * line goes once it is over. */
void
compile_progress_show (const char *root, const char *box, const char *name)
{
  g_autofree char *stage = chain_stage (root, box, 500);
  if (g_strcmp0 (stage, "compile") != 0)
    return;
  fprintf (stderr, "compiling %s…", name);
  fflush (stderr);
  while (!boxfs_interrupted && g_strcmp0 (stage, "compile") == 0)
    {
      g_free (stage);
      stage = chain_stage (root, box, 200);
    }
  fprintf (stderr, "\r\033[K");
  fflush (stderr);
}
