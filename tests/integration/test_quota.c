/* The quota of box/: a program that fills the disk, with one big file, many
 * small ones or deep directories, stops at the quota; the host's filesystem
 * sees no more than the box's image. */

#include "host_features.h"
#include "mount_fixture.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define QUOTA "4M"
#define QUOTA_KIB 4096

static char *
run_status (const Mount *mount, const char *cmd)
{
  g_assert_cmpint (put (mount, "b/cmd", cmd), ==, 0);
  char *status = get (mount, "b/status");
  g_assert_nonnull (status);
  g_test_message ("%s ->\n%s", cmd, status);
  return status;
}

/* Blocks the host's filesystem gives to everything below the box's state
 * directory: the image, however full box/ is inside it. */
static gint64
state_dir_kib (const Mount *mount)
{
  g_autofree char *image = g_build_filename (mount->state_dir, "boxes", "b", "box.img", NULL);
  struct stat st;
  g_assert_no_errno (stat (image, &st));
  return (gint64) st.st_blocks / 2;
}

/* Gives box b its quota and limits that let it fill it. FALSE where the
 * host cannot make a quota (no loop devices, no mkfs.ext4): the test then
 * checks only that the write is refused and changes nothing, and says so. */
static gboolean
set_up_quota (const Mount *mount)
{
  g_autofree char *reason = NULL;
  if (!host_has_loop_devices (&reason))
    {
      g_test_message ("no quota can be made on this host (%s): checking only that setting "
                      "one is refused and the old value stays",
                      reason);
      int refused = put (mount, "b/quota", QUOTA);
      g_assert_true (refused == EOPNOTSUPP || refused == EIO);
      assert_reads (mount, "b/quota", "unlimited\n");
      return FALSE;
    }
  g_assert_cmpint (put (mount, "b/quota", QUOTA), ==, 0);
  g_assert_cmpint (put (mount, "b/processes", "10"), ==, 0);
  g_assert_cmpint (put (mount, "b/fsize", "unlimited"), ==, 0);
  g_assert_cmpint (put (mount, "b/time", "10"), ==, 0);
  g_assert_cmpint (put (mount, "b/wall-time", "20"), ==, 0);
  assert_reads (mount, "b/quota", "4096\n");
  return TRUE;
}

static void
test_one_big_file (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  if (!set_up_quota (mount))
    return;
  g_autofree char *status = run_status (mount, "sh -c 'cat /dev/zero > big; echo $?; ls -s big'");
  g_autofree char *out = get (mount, "b/stdout");
  g_autofree char *err = get (mount, "b/stderr");
  g_assert_true (g_str_has_prefix (out, "1\n")); /* cat failed ... */
  g_assert_nonnull (strstr (err, "No space left on device"));
  g_assert_cmpint (state_dir_kib (mount), <=, QUOTA_KIB);

  /* The owner sees the file, and the space comes back with it. */
  g_autofree char *big = mount_path (mount, "b/box/big");
  struct stat st;
  g_assert_no_errno (stat (big, &st));
  g_assert_cmpint (st.st_size, >, QUOTA_KIB * 1024 / 2);
  g_assert_cmpint (st.st_size, <=, QUOTA_KIB * 1024);
  g_assert_no_errno (unlink (big));
  g_autofree char *again = run_status (mount, "sh -c 'head -c 1000000 /dev/zero > small'");
  g_assert_nonnull (strstr (again, "exitcode:0\n"));
}

static void
test_many_small_files_and_deep_dirs (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  if (!set_up_quota (mount))
    return;
  g_autofree char *files = run_status (
      mount, "sh -c 'i=0; while echo x > f$i 2>/dev/null; do i=$((i+1)); done; echo $i'");
  g_autofree char *count = get (mount, "b/stdout");
  g_test_message ("%s small files", count);
  g_assert_cmpint (g_ascii_strtoll (count, NULL, 10), >, 100);
  g_assert_cmpint (g_ascii_strtoll (count, NULL, 10), <, QUOTA_KIB * 4);
  g_assert_cmpint (put (mount, "b/ctl", "reset"), ==, 0);

  g_autofree char *dirs = run_status (
      mount, "sh -c 'i=0; while mkdir d 2>/dev/null && cd d; do i=$((i+1)); done; echo $i'");
  g_autofree char *depth = get (mount, "b/stdout");
  g_test_message ("%s levels", depth);
  g_assert_cmpint (g_ascii_strtoll (depth, NULL, 10), >, 100);
  g_assert_cmpint (state_dir_kib (mount), <=, QUOTA_KIB);
  /* reset and rmdir still work on what the program left. */
  g_assert_cmpint (put (mount, "b/ctl", "reset"), ==, 0);
}

static void
test_quota_changes_only_when_empty (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  if (!set_up_quota (mount))
    return;
  g_autofree char *path = mount_path (mount, "b/box/input.txt");
  g_assert_true (g_file_set_contents (path, "kept\n", -1, NULL));
  g_assert_cmpint (put (mount, "b/quota", "8M"), ==, EBUSY);
  assert_reads (mount, "b/quota", "4096\n");
  g_assert_cmpint (put (mount, "b/quota", "unlimited"), ==, EBUSY);
  assert_reads (mount, "b/box/input.txt", "kept\n");
  g_assert_cmpint (put (mount, "b/quota", "100"), ==, EINVAL); /* below 1 MiB */

  g_assert_cmpint (put (mount, "b/ctl", "reset"), ==, 0);
  g_assert_cmpint (put (mount, "b/quota", "8M"), ==, 0);
  g_autofree char *box = mount_path (mount, "b/box");
  struct statvfs fs;
  g_assert_no_errno (statvfs (box, &fs));
  g_assert_cmpuint (fs.f_blocks * fs.f_frsize, <=, 8 * 1024 * 1024);
  g_assert_cmpuint (fs.f_blocks * fs.f_frsize, >, 7 * 1024 * 1024);
  /* Nothing but what the owner puts there: no lost+found. */
  g_assert_cmpuint (count_entries (box), ==, 0);

  g_assert_cmpint (put (mount, "b/quota", "0"), ==, 0);
  assert_reads (mount, "b/quota", "unlimited\n");
  g_assert_no_errno (statvfs (box, &fs));
  g_assert_cmpuint (fs.f_blocks * fs.f_frsize, >, 64 * 1024 * 1024);
}

static void
test_quota_survives_restart (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  if (!set_up_quota (mount))
    return;
  g_autofree char *status = run_status (mount, "sh -c 'echo made > made.txt'");
  mount_restart (mount);
  assert_reads (mount, "b/quota", "4096\n");
  assert_reads (mount, "b/box/made.txt", "made\n");
  g_autofree char *full = run_status (mount, "sh -c 'cat /dev/zero > big'");
  g_assert_nonnull (strstr (full, "status:RE\n"));
  g_assert_cmpint (state_dir_kib (mount), <=, QUOTA_KIB);

  mount_crash_and_restart (mount);
  assert_reads (mount, "b/box/made.txt", "made\n");
}

/* The device ("major:minor") of the topmost mount on path in the mount
 * namespace of process pid ("self" for this one), or NULL if none. */
static char *
mount_device (const char *pid, const char *path)
{
  g_autofree char *file = g_strdup_printf ("/proc/%s/mountinfo", pid);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (file, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  char *device = NULL;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) fields = g_strsplit (lines[i], " ", 6);
      if (g_strv_length (fields) >= 5 && strcmp (fields[4], path) == 0)
        {
          g_free (device);
          device = g_strdup (fields[2]);
        }
    }
  return device;
}

/* Any process that made a mount namespace while box/ was mounted (unshare
 * -m, a container, another sandbox tool) keeps a copy of that mount, and
 * with it the image's filesystem. A restart finds the image still in use:
 * the box comes back on that very filesystem (one filesystem per image,
 * never two), whether the daemon stopped on SIGTERM or on fusermount3 -u. */
static void
test_image_held_by_another_namespace (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  if (!set_up_quota (mount))
    return;
  g_autofree char *kept = mount_path (mount, "b/box/kept.txt");
  g_assert_true (g_file_set_contents (kept, "kept\n", -1, NULL));
  g_autoptr (GSubprocess) holder = namespace_holder_new ();
  const char *holder_pid = g_subprocess_get_identifier (holder);
  g_autofree char *box = g_build_filename (mount->state_dir, "boxes", "b", "box", NULL);
  g_autofree char *held = mount_device (holder_pid, box);
  g_assert_nonnull (held);

  for (int round = 0; round < 2; round++)
    {
      if (round == 0)
        mount_stop_by_signal (mount, SIGTERM);
      else
        mount_stop (mount); /* fusermount3 -u */
      mount_start (mount);
      assert_reads (mount, "b/quota", "4096\n");
      assert_reads (mount, "b/box/kept.txt", "kept\n");
      g_autofree char *ours = mount_device ("self", box);
      g_assert_cmpstr (ours, ==, held);
      /* What the box writes now, the holder's copy shows: one filesystem. */
      g_autofree char *status = run_status (mount, "sh -c 'echo new > new.txt'");
      g_assert_nonnull (strstr (status, "exitcode:0\n"));
      g_autofree char *through_holder
          = g_strdup_printf ("/proc/%s/root%s/new.txt", holder_pid, box);
      g_autofree char *seen = NULL;
      g_assert_true (g_file_get_contents (through_holder, &seen, NULL, NULL));
      g_assert_cmpstr (seen, ==, "new\n");
      g_assert_cmpint (put (mount, "b/ctl", "reset"), ==, 0);
      g_assert_true (g_file_set_contents (kept, "kept\n", -1, NULL));
    }
  g_autofree char *set_aside = g_build_filename (mount->state_dir, "set-aside", NULL);
  g_assert_false (g_file_test (set_aside, G_FILE_TEST_EXISTS));

  /* Once the holder and the box are gone, so is the image's loop device. */
  g_subprocess_force_exit (holder);
  g_assert_true (g_subprocess_wait (holder, NULL, NULL));
  g_assert_cmpint (remove_box (mount, "b"), ==, 0);
  guint volume = mount_tmp_volume_loops (mount); /* the boxes' /tmp: not the box's */
  WAIT_UNTIL (loop_devices_under (mount->tmp_dir) == volume);
  g_assert_cmpuint (loop_devices_under (mount->tmp_dir), ==, volume);
  g_assert_cmpint (make_box (mount, "b"), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, function)                                                                        \
  g_test_add (path, BoxFixture, NULL, box_fixture_set_up, function, box_fixture_tear_down)
  ADD ("/quota/one-big-file", test_one_big_file);
  ADD ("/quota/many-small-files-and-deep-dirs", test_many_small_files_and_deep_dirs);
  ADD ("/quota/changes-only-when-empty", test_quota_changes_only_when_empty);
  ADD ("/quota/survives-restart", test_quota_survives_restart);
  ADD ("/quota/image-held-by-another-namespace", test_image_held_by_another_namespace);
#undef ADD
  return g_test_run ();
}
