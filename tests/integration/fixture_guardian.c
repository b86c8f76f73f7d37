#include "fixture_guardian.h"

#include "cgroup_layout.h"
#include "mount_fixture.h"

#include "utils/remove_tree.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

/* The write end of the pipe to the guardian, or -1 before the first mount. */
static int guardian_fd = -1;

typedef struct
{
  char *tmp_dir;
  char *cgroup_parent;
  GPid daemon;
} Watched;

static void
watched_free (gpointer data)
{
  Watched *watched = data;
  g_free (watched->tmp_dir);
  g_free (watched->cgroup_parent);
  g_free (watched);
}

/* Its daemon unmounts on the SIGTERM the test's death sent it. */
static void
wait_for_daemon (GPid daemon)
{
  for (int i = 0; i < 2000 && daemon > 0 && !process_has_ended (daemon); i++)
    g_usleep (10000);
  if (daemon > 0 && !process_has_ended (daemon))
    {
      g_printerr ("fixture guardian: daemon %d still runs 20 s after its test died: killed\n",
                  (int) daemon);
      kill (daemon, SIGKILL);
      for (int i = 0; i < 500 && !process_has_ended (daemon); i++)
        g_usleep (10000);
    }
}

static gint
longer_first (gconstpointer a, gconstpointer b)
{
  return (gint) strlen (*(const char **) b) - (gint) strlen (*(const char **) a);
}

/* Everything mounted below dir, deepest first: a stale FUSE mount, the
 * favordynmods hierarchy, box quotas. */
static void
unmount_below (const char *dir)
{
  g_autofree char *mounts = NULL;
  if (!g_file_get_contents ("/proc/self/mounts", &mounts, NULL, NULL))
    return;
  g_autofree char *prefix = g_strconcat (dir, "/", NULL);
  g_autoptr (GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) lines = g_strsplit (mounts, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) fields = g_strsplit (lines[i], " ", 3);
      if (fields[0] != NULL && fields[1] != NULL && g_str_has_prefix (fields[1], prefix))
        g_ptr_array_add (targets, g_strdup (fields[1]));
    }
  g_ptr_array_sort (targets, longer_first);
  for (guint i = 0; i < targets->len; i++)
    if (umount2 (targets->pdata[i], MNT_DETACH) < 0 && errno != EINVAL)
      g_printerr ("fixture guardian: cannot unmount %s: %s\n", (char *) targets->pdata[i],
                  g_strerror (errno));
}

static void
clean_up (const Watched *watched)
{
  wait_for_daemon (watched->daemon);
  unmount_below (watched->tmp_dir);
  g_auto (GStrv) cgroups = cgroup_layout_dirs (watched->cgroup_parent, NULL);
  for (guint i = 0; cgroups[i] != NULL; i++)
    cgroup_layout_remove (cgroups[i]);
  g_autofree char *parent = g_path_get_dirname (watched->tmp_dir);
  g_autofree char *base = g_path_get_basename (watched->tmp_dir);
  int parent_fd = open (parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  g_autoptr (GError) error = NULL;
  if (parent_fd < 0 || !remove_tree_at (parent_fd, base, &error))
    g_printerr ("fixture guardian: cannot remove %s: %s\n", watched->tmp_dir,
                error ? error->message : g_strerror (errno));
  if (parent_fd >= 0)
    close (parent_fd);
  g_printerr ("fixture guardian: the test died before freeing its mount: removed %s and "
              "cgroup %s\n",
              watched->tmp_dir, watched->cgroup_parent);
}

/* Reads the test's lines until the test is gone (end of file). */
static void
guard (int fd)
{
  g_autoptr (GHashTable) watched
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, watched_free);
  g_autoptr (GIOChannel) channel = g_io_channel_unix_new (fd);
  for (;;)
    {
      g_autofree char *line = NULL;
      if (g_io_channel_read_line (channel, &line, NULL, NULL, NULL) != G_IO_STATUS_NORMAL)
        break;
      g_auto (GStrv) words = g_strsplit (g_strchomp (line), "\t", 3);
      if (g_strv_length (words) < 2)
        continue;
      Watched *entry = g_hash_table_lookup (watched, words[1]);
      if (g_str_equal (words[0], "watch") && words[2] != NULL && entry == NULL)
        {
          entry = g_new0 (Watched, 1);
          entry->tmp_dir = g_strdup (words[1]);
          entry->cgroup_parent = g_strdup (words[2]);
          g_hash_table_insert (watched, entry->tmp_dir, entry);
        }
      else if (g_str_equal (words[0], "daemon") && words[2] != NULL && entry != NULL)
        entry->daemon = atoi (words[2]);
      else if (g_str_equal (words[0], "forget"))
        g_hash_table_remove (watched, words[1]);
    }
  GHashTableIter iter;
  gpointer entry;
  g_hash_table_iter_init (&iter, watched);
  while (g_hash_table_iter_next (&iter, NULL, &entry))
    clean_up (entry);
}

static void
start_guardian (void)
{
  int fds[2];
  g_assert_no_errno (pipe2 (fds, O_CLOEXEC));
  pid_t pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (fds[1]);
      /* Out of the test's process group, and its standard output (TAP). */
      setsid ();
      int null = open ("/dev/null", O_RDWR | O_CLOEXEC);
      dup2 (null, STDOUT_FILENO);
      guard (fds[0]);
      _exit (0);
    }
  close (fds[0]);
  guardian_fd = fds[1];
}

static void tell (const char *format, ...) G_GNUC_PRINTF (1, 2);

static void
tell (const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *line = g_strdup_vprintf (format, args);
  va_end (args);
  if (guardian_fd < 0)
    start_guardian ();
  gsize length = strlen (line);
  g_assert_cmpint (write (guardian_fd, line, length), ==, (gssize) length);
}

void
guardian_watch (const char *tmp_dir, const char *cgroup_parent)
{
  tell ("watch\t%s\t%s\n", tmp_dir, cgroup_parent);
}

void
guardian_daemon_started (const char *tmp_dir, GPid daemon)
{
  tell ("daemon\t%s\t%d\n", tmp_dir, (int) daemon);
}

void
guardian_forget (const char *tmp_dir)
{
  tell ("forget\t%s\n", tmp_dir);
}
