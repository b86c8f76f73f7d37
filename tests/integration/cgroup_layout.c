#include "cgroup_layout.h"

#include <errno.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/statfs.h>
#include <unistd.h>

#define CGROUP_ROOT "/sys/fs/cgroup"

static const char *const v1_controllers[] = { "memory", "cpuacct", "pids", NULL };

gboolean
cgroup_layout_is_v2 (void)
{
  struct statfs fs;
  return statfs (CGROUP_ROOT, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
}

char *
cgroup_layout_parent (const char *name)
{
  return cgroup_layout_is_v2 () ? g_strconcat ("/", name, NULL) : g_strdup (name);
}

GStrv
cgroup_layout_dirs (const char *parent, const char *box)
{
  GPtrArray *dirs = g_ptr_array_new ();
  if (cgroup_layout_is_v2 ())
    g_ptr_array_add (dirs, g_build_filename (CGROUP_ROOT, parent, box, NULL));
  else
    for (guint i = 0; v1_controllers[i] != NULL; i++)
      g_ptr_array_add (dirs, g_build_filename (CGROUP_ROOT, v1_controllers[i], parent, box, NULL));
  g_ptr_array_add (dirs, NULL);
  return (GStrv) g_ptr_array_free (dirs, FALSE);
}

char *
cgroup_layout_dir (const char *parent, const char *box)
{
  return cgroup_layout_is_v2 () ? g_build_filename (CGROUP_ROOT, parent, box, NULL)
                                : g_build_filename (CGROUP_ROOT, "pids", parent, box, NULL);
}

static void
add_members (const char *dir, GPtrArray *pids)
{
  g_autofree char *procs_path = g_build_filename (dir, "cgroup.procs", NULL);
  g_autofree char *procs = NULL;
  if (g_file_get_contents (procs_path, &procs, NULL, NULL))
    {
      g_auto (GStrv) lines = g_strsplit (procs, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        if (lines[i][0] != '\0')
          g_ptr_array_add (pids, g_strdup (lines[i]));
    }
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  for (const char *name; listing != NULL && (name = g_dir_read_name (listing)) != NULL;)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        add_members (child, pids);
    }
}

GPtrArray *
cgroup_layout_members (const char *dir)
{
  GPtrArray *pids = g_ptr_array_new_with_free_func (g_free);
  add_members (dir, pids);
  return pids;
}

void
cgroup_layout_remove (const char *dir)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  if (listing == NULL)
    return;
  for (const char *name; (name = g_dir_read_name (listing)) != NULL;)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        cgroup_layout_remove (child);
    }
  for (int i = 0; i < 500 && rmdir (dir) < 0 && errno == EBUSY; i++)
    {
      g_autoptr (GPtrArray) pids = cgroup_layout_members (dir);
      for (guint j = 0; j < pids->len; j++)
        kill (atoi (pids->pdata[j]), SIGKILL);
      g_usleep (10000);
    }
}
