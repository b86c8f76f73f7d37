/* The benchmark's isolatefs instance (bench.c): started on a temporary
 * mount of its own, driven by file operations, stopped leaving nothing. */
#include "bench_instance.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *tmp_dir, *cgroup_parent, *daemon_log;
char *state_dir;
char *mount_dir;
GPid daemon_pid;
GHashTable *live_boxes;
volatile sig_atomic_t interrupted;

void
on_signal (int sig)
{
  interrupted = 1;
}

static gboolean
is_mounted (void)
{
  g_autofree char *mounts = NULL;
  if (!g_file_get_contents ("/proc/self/mounts", &mounts, NULL, NULL))
    return FALSE;
  g_autofree char *needle = g_strdup_printf (" %s fuse", mount_dir);
  return strstr (mounts, needle) != NULL;
}

static void
daemon_child_setup (gpointer data)
{
  /* If the benchmark dies, the daemon gets SIGTERM and unmounts itself. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  int fd = open (daemon_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd >= 0)
    {
      dup2 (fd, 1);
      dup2 (fd, 2);
    }
}

static void
show_daemon_log (void)
{
  g_autofree char *log = NULL;
  if (g_file_get_contents (daemon_log, &log, NULL, NULL) && *log)
    {
      gsize len = strlen (log);
      fprintf (stderr, "--- daemon log (end) ---\n%s\n", len > 4000 ? log + len - 4000 : log);
    }
}

gboolean
instance_start (const char *isolatefs, int max_boxes)
{
  g_autoptr (GError) error = NULL;
  tmp_dir = g_dir_make_tmp ("isolatefs-bench-XXXXXX", &error);
  if (tmp_dir == NULL)
    {
      fprintf (stderr, "bench: %s\n", error->message);
      return FALSE;
    }
  mount_dir = g_build_filename (tmp_dir, "mnt", NULL);
  state_dir = g_build_filename (tmp_dir, "state", NULL);
  daemon_log = g_build_filename (tmp_dir, "daemon.log", NULL);
  cgroup_parent = g_strdup_printf ("isolatefs-bench-%d", (int) getpid ());
  g_mkdir (mount_dir, 0755);

  /* Box uids of its own: RLIMIT_NPROC counts a uid's processes machine-wide,
   * and another daemon on the machine (a test suite) may run boxes of the
   * default ones meanwhile. */
  guint first_uid = 100000 + (guint) (getpid () % 100000) * 2000;
  g_autofree char *options = g_strdup_printf (
      "state_dir=%s,cgroup_parent=%s,max_boxes=%d,box_uids=%d,first_uid=%u,first_gid=%u", state_dir,
      cgroup_parent, max_boxes, max_boxes, first_uid, first_uid);
  char *argv[] = { (char *) isolatefs, "-f", "-o", options, mount_dir, NULL };
  if (!g_spawn_async (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, daemon_child_setup, NULL,
                      &daemon_pid, &error))
    {
      fprintf (stderr, "bench: cannot start %s: %s\n", isolatefs, error->message);
      return FALSE;
    }
  for (int i = 0; i < 500 && !is_mounted (); i++)
    {
      if (waitpid (daemon_pid, NULL, WNOHANG) == daemon_pid)
        {
          daemon_pid = 0;
          fprintf (stderr, "bench: the daemon exited before mounting\n");
          show_daemon_log ();
          return FALSE;
        }
      g_usleep (10000);
    }
  if (!is_mounted ())
    {
      fprintf (stderr, "bench: %s did not show up in /proc/self/mounts\n", mount_dir);
      return FALSE;
    }
  return TRUE;
}

static void remove_cgroups (void);

/* rmdir every box, unmount, wait for the daemon, delete the temp dir. */
void
instance_stop (void)
{
  if (live_boxes != NULL)
    {
      GHashTableIter iter;
      gpointer name;
      g_hash_table_iter_init (&iter, live_boxes);
      while (g_hash_table_iter_next (&iter, &name, NULL))
        {
          g_autofree char *path = g_build_filename (mount_dir, name, NULL);
          if (rmdir (path) != 0 && errno != ENOENT)
            fprintf (stderr, "bench: rmdir %s: %s\n", path, g_strerror (errno));
        }
      g_hash_table_remove_all (live_boxes);
    }
  if (daemon_pid > 0)
    {
      if (is_mounted ())
        {
          g_autofree char *command = g_strdup_printf ("fusermount3 -u %s", mount_dir);
          int wait_status;
          if (!g_spawn_command_line_sync (command, NULL, NULL, &wait_status, NULL)
              || !g_spawn_check_wait_status (wait_status, NULL))
            {
              fprintf (stderr, "bench: fusermount3 -u failed; sending SIGTERM\n");
              kill (daemon_pid, SIGTERM);
            }
        }
      int status;
      while (waitpid (daemon_pid, &status, 0) < 0 && errno == EINTR)
        ;
      if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        {
          fprintf (stderr, "bench: the daemon ended abnormally (wait status %d)\n", status);
          show_daemon_log ();
        }
      daemon_pid = 0;
    }
  remove_cgroups ();
  if (tmp_dir != NULL)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf --one-file-system %s", tmp_dir);
      g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
    }
}

/* The daemon removes its cgroup parent at a clean stop; this catches the
 * case where it could not: under each v1 controller, or (cgroup v2, where
 * this process's group is the root's, as in the guest of tests/cgroup2/)
 * under the root. */
static void
remove_cgroups (void)
{
  static const char *const places[] = { "memory", "cpuacct", "pids", "" };
  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    {
      g_autofree char *path = g_build_filename ("/sys/fs/cgroup", places[i], cgroup_parent, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR) && rmdir (path) != 0)
        fprintf (stderr, "bench: cannot remove cgroup %s: %s\n", path, g_strerror (errno));
    }
}

/* ---- File operations on the mount --------------------------------------- */

void
fail (const char *what, const char *path)
{
  fprintf (stderr, "bench: %s %s: %s\n", what, path, g_strerror (errno));
  show_daemon_log ();
  instance_stop ();
  exit (1);
}

char *
box_path (const char *box, const char *file)
{
  return g_build_filename (mount_dir, box, file, NULL);
}

/* One write(2) of a whole value, as the interface wants. */
void
write_value (const char *box, const char *file, const char *value)
{
  g_autofree char *path = box_path (box, file);
  int fd = open (path, O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0)
    fail ("open", path);
  ssize_t len = strlen (value);
  if (write (fd, value, len) != len)
    fail ("write", path);
  close (fd);
}

/* Reads a control file to EOF (for status, waits for the run). */
char *
read_value (const char *box, const char *file)
{
  g_autofree char *path = box_path (box, file);
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    fail ("open", path);
  GString *text = g_string_new (NULL);
  char buf[4096];
  ssize_t n;
  while ((n = read (fd, buf, sizeof buf)) > 0)
    g_string_append_len (text, buf, n);
  if (n < 0)
    fail ("read", path);
  close (fd);
  return g_string_free (text, FALSE);
}

/* A key of a status text, or NULL. */
char *
status_get (const char *status, const char *key)
{
  g_auto (GStrv) lines = g_strsplit (status, "\n", -1);
  size_t key_len = strlen (key);
  for (char **line = lines; *line; line++)
    if (strncmp (*line, key, key_len) == 0 && (*line)[key_len] == ':')
      return g_strdup (*line + key_len + 1);
  return NULL;
}

double
status_seconds (const char *status, const char *key)
{
  g_autofree char *value = status_get (status, key);
  return value ? g_ascii_strtod (value, NULL) : NAN;
}

void
box_create (const char *box)
{
  g_autofree char *path = g_build_filename (mount_dir, box, NULL);
  if (mkdir (path, 0755) != 0)
    fail ("mkdir", path);
  g_hash_table_add (live_boxes, g_strdup (box));
}

void
box_remove (const char *box)
{
  g_autofree char *path = g_build_filename (mount_dir, box, NULL);
  if (rmdir (path) != 0)
    fail ("rmdir", path);
  g_hash_table_remove (live_boxes, box);
}

/* Writes cmd and reads status to EOF; returns the status text. A run that
 * did not end OK (no "status:" key) is reported once, as it would make the
 * figures meaningless. */
char *
box_run (const char *box, const char *cmd, gboolean expect_ok)
{
  write_value (box, "cmd", cmd);
  char *status = read_value (box, "status");
  g_autofree char *verdict = status_get (status, "status");
  if (expect_ok && verdict != NULL)
    {
      static gboolean warned;
      if (!warned)
        fprintf (stderr, "bench: warning: run of '%s' in %s ended:\n%s", cmd, box, status);
      warned = TRUE;
    }
  return status;
}

void
copy_helper (const char *box, const char *helper)
{
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (mount_dir, box, "box", "helper", NULL);
  if (!g_file_get_contents (helper, &contents, &len, &error)
      || !g_file_set_contents_full (path, contents, len, G_FILE_SET_CONTENTS_NONE, 0755, &error))
    {
      fprintf (stderr, "bench: cannot copy the helper: %s\n", error->message);
      instance_stop ();
      exit (1);
    }
}
