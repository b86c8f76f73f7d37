#include "tree_helpers.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <unistd.h>

char *
tree_make_tmp_dir (const char *base, const char *pattern)
{
  if (base != NULL && access (base, W_OK | X_OK) == 0)
    {
      g_autofree char *template = g_build_filename (base, pattern, NULL);
      if (g_mkdtemp_full (template, 0700) != NULL)
        return g_steal_pointer (&template);
    }
  g_autoptr (GError) error = NULL;
  char *path = g_dir_make_tmp (pattern, &error);
  g_assert_no_error (error);
  return path;
}

void
tree_remove_all (const char *path)
{
  if (path == NULL)
    return;
  const char *argv[] = { "rm", "-rf", "--", path, NULL };
  g_autoptr (GError) error = NULL;
  int wait_status;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
}

int
tree_open_dir_at (int dir_fd, const char *name)
{
  return openat (dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

void
tree_make_file_at (int dir_fd, const char *name)
{
  int fd = openat (dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "x", 1), ==, 1);
  close (fd);
}

guint
tree_count_entries (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open (path, 0, &error);
  g_assert_no_error (error);
  guint n = 0;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

guint
tree_count_open_descriptors (void)
{
  return tree_count_entries ("/proc/self/fd");
}

void
tree_move_level_out (const char *tree, const char *outside, guint level)
{
  g_autoptr (GString) from = g_string_new (tree);
  for (guint i = 0; i < level; i++)
    g_string_append (from, "/d");
  g_autoptr (GString) to = g_string_new (outside);
  for (guint i = 0; i <= level; i++)
    g_string_append (to, "/decoy");
  g_string_append (to, "/moved");
  g_assert_no_errno (rename (from->str, to->str));
}
