#include "cgroup_files.h"

#include "sandbox/sandbox_error.h"
#include "sandbox/settings/box_limits.h"
#include "utils/autofd.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

char *
cgroup_file_read_fd (int fd)
{
  GString *text = g_string_sized_new (64);
  for (;;)
    {
      char buffer[4096];
      gssize n = pread (fd, buffer, sizeof buffer, text->len);
      if (n > 0)
        g_string_append_len (text, buffer, n);
      else if (n == 0)
        return g_string_free (text, FALSE);
      else if (errno != EINTR)
        {
          int saved_errno = errno;
          g_string_free (text, TRUE);
          errno = saved_errno;
          return NULL;
        }
    }
}

char *
cgroup_file_read (const char *path, GError **error)
{
  autofd fd = open (path, O_RDONLY | O_CLOEXEC);
  char *text = fd >= 0 ? cgroup_file_read_fd (fd) : NULL;
  if (text == NULL)
    sandbox_set_errno_error (error, errno, "read", path);
  return text;
}

gboolean
cgroup_file_write (const char *path, const char *value, GError **error)
{
  autofd fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd >= 0 && write (fd, value, strlen (value)) >= 0)
    return TRUE;
  return errno_error_set (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, errno,
                          "cannot write %s to %s", value, path);
}

gint64
cgroup_keyed_value (const char *text, const char *key)
{
  size_t length = strlen (key);
  for (const char *line = text; line != NULL && *line != '\0';)
    {
      if (strncmp (line, key, length) == 0 && line[length] == ' ')
        return g_ascii_strtoll (line + length + 1, NULL, 10);
      line = strchr (line, '\n');
      line = line ? line + 1 : NULL;
    }
  return -1;
}

GPtrArray *
cgroup_list_groups (const char *dir, GError **error)
{
  g_autoptr (GDir) groups = g_dir_open (dir, 0, error);
  if (groups == NULL)
    return NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  for (const char *name; (name = g_dir_read_name (groups)) != NULL;)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        g_ptr_array_add (names, g_strdup (name));
    }
  return names;
}

gboolean
cgroup_kill_listed (const char *path)
{
  for (int round = 0; round < 1000; round++)
    {
      g_autofree char *text = cgroup_file_read (path, NULL);
      if (text == NULL || text[0] == '\0')
        return TRUE;
      g_auto (GStrv) pids = g_strsplit (text, "\n", -1);
      for (guint i = 0; pids[i] != NULL; i++)
        if (pids[i][0] != '\0')
          kill ((pid_t) g_ascii_strtoll (pids[i], NULL, 10), SIGKILL);
      g_usleep (round < 10 ? 100 : 1000);
    }
  return FALSE;
}

gboolean
cgroup_limits_unchanged (const CgroupLimits *last, gint64 mem_kib, gint64 processes)
{
  return last->written && last->mem_kib == mem_kib && last->processes == processes;
}

void
cgroup_limits_note (CgroupLimits *last, gboolean written, gint64 mem_kib, gint64 processes)
{
  *last = (CgroupLimits){ .written = written, .mem_kib = mem_kib, .processes = processes };
}

char *
cgroup_pids_max (gint64 processes)
{
  return processes == LIMIT_UNLIMITED ? g_strdup ("max")
                                      : g_strdup_printf ("%" G_GINT64_FORMAT, processes);
}
