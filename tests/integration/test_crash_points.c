/* A daemon killed at each step of an operation (crash_shim.c picks the
 * step), then started again: what it finds on disk must be whole. A quota
 * change leaves the setting and the mounted filesystem in agreement; an
 * unacknowledged mkdir leaves nothing, never a box set aside; an rmdir cut
 * short leaves the box whole, and no cgroup half made a spare; a run cut
 * short while it starts leaves box/ its owner's. */

#include "host_features.h"
#include "mount_fixture.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

static char *
state_path (const Mount *mount, const char *relative)
{
  return g_build_filename (mount->state_dir, relative, NULL);
}

/* The quota box b reads, and what is mounted on its box/, agree: no
 * filesystem of its own for "unlimited", else one filesystem of that size. */
static void
assert_quota_agrees (const Mount *mount)
{
  g_autofree char *quota = get (mount, "b/quota");
  g_assert_nonnull (quota);
  g_autofree char *box = state_path (mount, "boxes/b/box");
  g_autofree char *dir = state_path (mount, "boxes/b");
  struct stat box_st, dir_st;
  g_assert_no_errno (stat (box, &box_st));
  g_assert_no_errno (stat (dir, &dir_st));
  g_test_message ("quota reads %s", g_strchomp (quota));
  if (strcmp (quota, "unlimited") == 0)
    {
      g_assert_cmpuint (box_st.st_dev, ==, dir_st.st_dev);
      g_assert_cmpuint (mounts_on (box), ==, 0);
      return;
    }
  guint64 bytes = g_ascii_strtoull (quota, NULL, 10) * 1024;
  struct statvfs fs;
  g_assert_no_errno (statvfs (box, &fs));
  g_test_message ("box/ is a filesystem of %" G_GUINT64_FORMAT " bytes",
                  (guint64) fs.f_blocks * fs.f_frsize);
  g_assert_cmpuint (box_st.st_dev, !=, dir_st.st_dev);
  g_assert_cmpuint (mounts_on (box), ==, 1);
  /* Made ready for its owner: its root the owner's, 0700, no lost+found. */
  g_assert_cmpuint (box_st.st_mode & 07777, ==, 0700);
  g_assert_cmpuint (box_st.st_uid, ==, 0);
  g_autofree char *lost = g_build_filename (box, "lost+found", NULL);
  g_assert_false (g_file_test (lost, G_FILE_TEST_EXISTS));
  g_assert_cmpuint ((guint64) fs.f_blocks * fs.f_frsize, <=, bytes);
  g_assert_cmpuint ((guint64) fs.f_blocks * fs.f_frsize, >, bytes / 2);
}

static void
set_quota (Mount *mount, const char *value)
{
  g_assert_cmpint (put (mount, "b/quota", value), ==, 0);
  assert_quota_agrees (mount);
}

/* Each quota change, killed after each of its steps: the steps the issue
 * named (the new filesystem mounted) and the others. */
static void
test_quota_change (void)
{
  if (!mount_require_root ())
    return;
  g_autofree char *reason = NULL;
  if (!host_has_loop_devices (&reason))
    {
      g_test_skip (reason);
      return;
    }
  static const struct
  {
    const char *from, *to, *crash_after;
  } cases[] = {
    { "unlimited", "2M", "mount:/boxes/b/box:1" },
    { "unlimited", "2M", "pwrite:/boxes/b/settings.json:1" },
    { "unlimited", "2M", "rename:/boxes/b/box.img:1" },
    { "2M", "4M", "mount:/boxes/b/box:1" },
    { "2M", "4M", "pwrite:/boxes/b/settings.json:1" },
    { "2M", "4M", "umount2:/boxes/b/box:1" },
    { "2M", "4M", "unlink:/boxes/b/box.img:1" },
    { "2M", "4M", "rename:/boxes/b/box.img:1" },
    { "4M", "unlimited", "pwrite:/boxes/b/settings.json:1" },
    { "4M", "unlimited", "umount2:/boxes/b/box:1" },
    { "4M", "unlimited", "unlink:/boxes/b/box.img:1" },
  };
  g_autoptr (Mount) mount = mount_new_crashable (NULL);
  g_assert_cmpint (make_box (mount, "b"), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("quota %s -> %s, killed after %s", cases[i].from, cases[i].to,
                      cases[i].crash_after);
      set_quota (mount, cases[i].from);
      mount_crash_after (mount, cases[i].crash_after);
      g_assert_cmpint (put (mount, "b/quota", cases[i].to), !=, 0);
      mount_await_crash_and_restart (mount);
      assert_quota_agrees (mount);
      /* And the box goes on: a run writes to box/, which the owner reads. */
      g_autofree char *out
          = run_for_output (mount, "b", "sh -c 'echo ok > f; read x < f; echo $x'");
      g_assert_cmpstr (out, ==, "ok\n");
      g_assert_cmpint (put (mount, "b/ctl", "reset"), ==, 0);
    }
}

static void
assert_no_box_set_aside (const Mount *mount)
{
  g_autofree char *set_aside = state_path (mount, "set-aside");
  if (g_file_test (set_aside, G_FILE_TEST_IS_DIR))
    g_assert_cmpuint (count_entries (set_aside), ==, 0);
}

/* A removed box leaves a spare state directory (made by a thread) and
 * spare cgroups; a mkdir takes them. */
static void
make_spares (Mount *mount)
{
  g_assert_cmpint (make_box (mount, "x"), ==, 0);
  g_assert_cmpint (remove_box (mount, "x"), ==, 0);
  g_autofree char *spare = state_path (mount, "spare");
  for (int i = 0; i < 500 && count_entries (spare) == 0; i++)
    g_usleep (10000);
  g_assert_cmpuint (count_entries (spare), >, 0);
}

/* The groups under the mount's cgroup parent, in every controller, are
 * those of the boxes there are (box, or none if NULL): none half-renamed
 * from or to a spare is left. */
static void
assert_cgroups_only_of (const Mount *mount, const char *box)
{
  static const char *const controllers[] = { "memory", "cpuacct", "pids" };
  for (guint c = 0; c < G_N_ELEMENTS (controllers); c++)
    {
      g_autofree char *parent = mount_cgroup_path (mount, controllers[c], "");
      g_autoptr (GDir) dir = g_dir_open (parent, 0, NULL);
      g_assert_nonnull (dir);
      guint groups = 0;
      for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
        {
          g_autofree char *path = g_build_filename (parent, name, NULL);
          if (!g_file_test (path, G_FILE_TEST_IS_DIR))
            continue;
          g_test_message ("%s: %s", controllers[c], name);
          g_assert_cmpstr (name, ==, box);
          groups++;
        }
      g_assert_cmpuint (groups, ==, box != NULL);
    }
}

/* mkdir, killed at each step before it is answered: nothing of the box is
 * left, nothing set aside, and its name is free. */
static void
test_mkdir (void)
{
  if (!mount_require_root ())
    return;
  static const struct
  {
    gboolean spares;
    const char *crash_after;
  } cases[] = {
    { TRUE, "renameat:halfmade:1" },             /* a spare state directory taken */
    { FALSE, "mkdirat:halfmade:1" },             /* a state directory made */
    { FALSE, "fchownat:halfmade/box:1" },        /* box/ given to the owner */
    { TRUE, "rename:halfmade:1" },               /* spare cgroups taken */
    { FALSE, "mkdir:halfmade:1" },               /* a cgroup made */
    { TRUE, "pwrite:halfmade/settings.json:1" }, /* its record saved */
  };
  g_autoptr (Mount) mount = mount_new_crashable (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("mkdir killed after %s", cases[i].crash_after);
      if (cases[i].spares)
        make_spares (mount);
      else
        mount_restart (mount); /* which drops every spare */
      mount_crash_after (mount, cases[i].crash_after);
      g_assert_cmpint (make_box (mount, "halfmade"), !=, 0);
      mount_await_crash_and_restart (mount);

      g_autofree char *box = mount_path (mount, "halfmade");
      g_assert_false (g_file_test (box, G_FILE_TEST_EXISTS));
      assert_no_box_set_aside (mount);
      g_autofree char *boxes = state_path (mount, "boxes");
      g_assert_cmpuint (count_entries (boxes), ==, 0);
      assert_cgroups_only_of (mount, NULL);
      g_assert_cmpint (make_box (mount, "halfmade"), ==, 0);
      assert_reads (mount, "halfmade/quota", "unlimited\n");
      g_assert_cmpint (remove_box (mount, "halfmade"), ==, 0);
    }
}

/* rmdir, killed while its cgroups become spares (renamed one controller
 * after another): the box is there still, with its groups and no spare's
 * left, and goes at the next rmdir. */
static void
test_rmdir (void)
{
  if (!mount_require_root ())
    return;
  static const char *const cases[] = { "rename:.spare-:1", "rename:.spare-:2" };
  g_autoptr (Mount) mount = mount_new_crashable (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("rmdir killed after %s", cases[i]);
      g_assert_cmpint (make_box (mount, "b"), ==, 0);
      g_assert_cmpint (put (mount, "b/time", "2"), ==, 0);
      mount_crash_after (mount, cases[i]);
      g_assert_cmpint (remove_box (mount, "b"), !=, 0);
      mount_await_crash_and_restart (mount);

      assert_no_box_set_aside (mount);
      assert_reads (mount, "b/time", "2.000\n");
      assert_cgroups_only_of (mount, "b");
      g_autofree char *out = run_for_output (mount, "b", "echo ok");
      g_assert_cmpstr (out, ==, "ok\n");
      g_assert_cmpint (remove_box (mount, "b"), ==, 0);
      mount_restart (mount); /* which drops every spare */
      assert_cgroups_only_of (mount, NULL);
    }
}

/* Every entry of box/, and box/ itself, belongs to uid. */
static void
assert_work_dir_owned_by (const Mount *mount, uid_t uid)
{
  g_autofree char *box = state_path (mount, "boxes/b/box");
  struct stat st;
  g_assert_no_errno (lstat (box, &st));
  g_assert_cmpuint (st.st_uid, ==, uid);
  g_autoptr (GDir) dir = g_dir_open (box, 0, NULL);
  g_assert_nonnull (dir);
  for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
    {
      g_autofree char *path = g_build_filename (box, name, NULL);
      g_assert_no_errno (lstat (path, &st));
      g_test_message ("box/%s: uid %u", name, (guint) st.st_uid);
      g_assert_cmpuint (st.st_uid, ==, uid);
    }
}

/* A run's start hands box/ to the box's uid: killed midway, the restart
 * hands it back to the owner (root here). */
static void
test_run_start (void)
{
  if (!mount_require_root ())
    return;
  static const char *const crash_after[] = {
    "fchown:/boxes/b/box:1",    /* box/ itself handed over */
    "fchownat:/boxes/b/box/:2", /* and two of its files */
  };
  g_autoptr (Mount) mount = mount_new_crashable (NULL);
  g_assert_cmpint (make_box (mount, "b"), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (crash_after); i++)
    {
      g_test_message ("run start killed after %s", crash_after[i]);
      for (int f = 0; f < 3; f++)
        {
          g_autofree char *name = g_strdup_printf ("b/box/file%d", f);
          g_autofree char *path = mount_path (mount, name);
          g_assert_true (g_file_set_contents (path, "mine\n", -1, NULL));
        }
      assert_work_dir_owned_by (mount, 0);
      mount_crash_after (mount, crash_after[i]);
      g_assert_cmpint (put (mount, "b/cmd", "true"), !=, 0);
      mount_await_crash_and_restart (mount);
      assert_work_dir_owned_by (mount, 0);
      g_autofree char *status = get (mount, "b/status");
      g_assert_false (g_str_has_prefix (status, "state:running"));
      g_autofree char *out = run_for_output (mount, "b", "cat file0");
      g_assert_cmpstr (out, ==, "mine\n");
      assert_work_dir_owned_by (mount, 0);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/crash-points/quota-change", test_quota_change);
  g_test_add_func ("/crash-points/mkdir", test_mkdir);
  g_test_add_func ("/crash-points/rmdir", test_rmdir);
  g_test_add_func ("/crash-points/run-start", test_run_start);
  return g_test_run ();
}
