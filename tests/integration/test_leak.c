/* 1000 box lifecycles leave nothing behind and do not grow the daemon. */

#include "cgroup_layout.h"
#include "daemon_idle.h"
#include "mount_fixture.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CYCLES 1000

static gint64
daemon_rss_kib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *status = NULL;
  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  const char *line = strstr (status, "VmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen ("VmRSS:"), NULL, 10);
}

static void
assert_file_empty (const char *path)
{
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "");
}

static guint
processes_of_uids_from (uid_t first)
{
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  guint count = 0;
  const char *name;
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      if (!g_ascii_isdigit (name[0]))
        continue;
      g_autofree char *path = g_build_filename ("/proc", name, NULL);
      struct stat st;
      if (stat (path, &st) == 0 && st.st_uid >= first && st.st_uid < first + 1000)
        count++;
    }
  return count;
}

static void
cycle (const Mount *mount, const char *name)
{
  g_autofree char *mem = g_build_filename (name, "mem", NULL);
  g_autofree char *time = g_build_filename (name, "time", NULL);
  g_autofree char *processes = g_build_filename (name, "processes", NULL);
  g_autofree char *cmd = g_build_filename (name, "cmd", NULL);
  g_autofree char *status_file = g_build_filename (name, "status", NULL);
  g_assert_cmpint (make_box (mount, name), ==, 0);
  g_assert_cmpint (put (mount, mem, "64M"), ==, 0);
  g_assert_cmpint (put (mount, time, "1"), ==, 0);
  g_assert_cmpint (put (mount, processes, "2"), ==, 0);
  g_assert_cmpint (put (mount, cmd, "/bin/true"), ==, 0);
  g_autofree char *status = get (mount, status_file);
  g_assert_nonnull (strstr (status, "exitcode:0"));
  g_assert_cmpint (remove_box (mount, name), ==, 0);
}

static void
test_lifecycles_leak_nothing (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new ("first_uid=63000,first_gid=63000");
  GPid pid = atoi (g_subprocess_get_identifier (mount->daemon));

  /* Warm up, so that what GLib and libc allocate once is not counted. */
  for (int i = 0; i < 20; i++)
    cycle (mount, "warm-up");
  /* Compared at rest: a dropped jail, a proxy or the pool of network
   * namespaces may still hold descriptors a while after the last rmdir. */
  guint fds_before = daemon_wait_idle (pid);
  gint64 rss_before = daemon_rss_kib (pid);

  for (int i = 0; i < CYCLES; i++)
    {
      g_autofree char *name = g_strdup_printf ("cycle%d", i % 7);
      cycle (mount, name);
    }

  guint fds_after = daemon_wait_idle (pid);
  gint64 rss_after = daemon_rss_kib (pid);
  g_test_message ("daemon RSS: %" G_GINT64_FORMAT " KiB before, %" G_GINT64_FORMAT
                  " KiB after %d cycles; descriptors %u before, %u after",
                  rss_before, rss_after, CYCLES, fds_before, fds_after);
  g_print ("# daemon RSS %" G_GINT64_FORMAT " KiB -> %" G_GINT64_FORMAT " KiB over %d cycles\n",
           rss_before, rss_after, CYCLES);
  g_assert_cmpuint (fds_after, ==, fds_before);
  g_assert_cmpint (rss_after - rss_before, <, 2048);

  g_autofree char *boxes = g_build_filename (mount->state_dir, "boxes", NULL);
  g_assert_cmpuint (count_entries (boxes), ==, 0);
  g_autofree char *cgroups = cgroup_layout_dir (mount->cgroup_parent, NULL);
  g_autoptr (GDir) dir = g_dir_open (cgroups, 0, NULL);
  const char *entry;
  guint spares = 0;
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (cgroups, entry, NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_DIR))
        continue;
      /* No box's group is left; a few emptied ones are kept for new boxes. */
      g_assert_true (g_str_has_prefix (entry, ".spare-"));
      g_autofree char *procs = g_build_filename (path, "cgroup.procs", NULL);
      assert_file_empty (procs);
      spares++;
    }
  g_assert_cmpuint (spares, <=, 16);
  g_assert_cmpuint (processes_of_uids_from (63000), ==, 0);
  g_assert_cmpuint (count_entries (mount->mount_dir), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/leak/lifecycles-leak-nothing", test_lifecycles_leak_nothing);
  return g_test_run ();
}
