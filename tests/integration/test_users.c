/* Several users on one mount: each box belongs to whoever made it. */

#include "mount_fixture.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ALICE 61501
#define BOB 61502

static int
errno_of (int ret)
{
  return ret == 0 ? 0 : errno;
}

static int
alice_makes_her_box (const Mount *mount)
{
  return make_box (mount, "alice");
}

static int
alice_sets_and_runs (const Mount *mount)
{
  g_autofree char *input = mount_path (mount, "alice/box/input.txt");
  int fd = open (input, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || write (fd, "from alice\n", 11) != 11)
    return 1;
  close (fd);
  int err = put (mount, "alice/processes", "5");
  err = err ? err
            : put (mount, "alice/cmd", "sh -c 'cat input.txt; id -u; echo made > output.txt'");
  if (err)
    return err;
  g_autofree char *status = get (mount, "alice/status");
  g_autofree char *out = get (mount, "alice/stdout");
  if (status == NULL || strstr (status, "exitcode:0") == NULL)
    return 2;
  /* The program ran as the box's uid, never as alice. */
  g_autofree char *expected = g_strdup_printf ("from alice\n%u\n", mount->first_uid);
  if (g_strcmp0 (out, expected) != 0)
    return 3;
  /* What the program made is hers afterwards: she reads and deletes it. */
  g_autofree char *output = mount_path (mount, "alice/box/output.txt");
  struct stat st;
  if (stat (output, &st) != 0 || st.st_uid != ALICE)
    return 4;
  return errno_of (unlink (output));
}

static int
bob_reads_alices_mem (const Mount *mount)
{
  g_autofree char *mem = get (mount, "alice/mem");
  return mem != NULL ? 0 : errno;
}

static int
bob_writes_alices_mem (const Mount *mount)
{
  return put (mount, "alice/mem", "1G");
}

static int
bob_runs_in_alices_box (const Mount *mount)
{
  return put (mount, "alice/cmd", "/bin/true");
}

static int
bob_lists_alices_box (const Mount *mount)
{
  g_autofree char *path = mount_path (mount, "alice");
  GDir *dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return EACCES;
  g_dir_close (dir);
  return 0;
}

static int
bob_reads_alices_files_on_disk (const Mount *mount)
{
  g_autofree char *path
      = g_build_filename (mount->state_dir, "boxes", "alice", "box", "input.txt", NULL);
  int fd = open (path, O_RDONLY);
  if (fd < 0)
    return errno;
  close (fd);
  return 0;
}

static int
bob_removes_alices_box (const Mount *mount)
{
  return remove_box (mount, "alice");
}

static int
bob_takes_alices_box (const Mount *mount)
{
  g_autofree char *path = mount_path (mount, "alice");
  return errno_of (chmod (path, 0777));
}

static int
alice_sets_dirs (const Mount *mount)
{
  return put (mount, "alice/dirs", "/home:rw\n");
}

/* Root set alice's mem above her maximum, share-net to 1 and dirs. */
static int
alice_writes_back_what_she_reads (const Mount *mount)
{
  g_autofree char *settings = get (mount, "alice/settings");
  if (settings == NULL)
    return 100 + errno;
  /* The current values again (dirs among them) change nothing: accepted
   * from anyone. */
  int err;
  if ((err = put (mount, "alice/settings", settings)) != 0)
    return 200 + err;
  if ((err = put (mount, "alice/mem", "2G")) != 0)
    return 300 + err;
  /* A change is hers to make only within her maximum, and not of dirs:
   * the whole write is refused, time included. */
  if ((err = put (mount, "alice/settings", "time=3\nmem=3G\n")) != EPERM
      || (err = put (mount, "alice/settings", "time=3\ndirs=/srv\n")) != EPERM)
    return 400 + err;
  g_autofree char *time = get (mount, "alice/time");
  return g_strcmp0 (time, "1.000\n") == 0 ? 0 : 500;
}

static int
alice_reads_dirs (const Mount *mount)
{
  g_autofree char *dirs = get (mount, "alice/dirs");
  return dirs != NULL ? 0 : errno;
}

static int
alice_goes_over_the_maximum (const Mount *mount)
{
  /* max_mem=1G,max_share-net=0 for everyone, and [user:61501] max_mem=512M:
   * binding on everyone but root. */
  int err;
  if ((err = put (mount, "alice/mem", "512M")) != 0)
    return 100 + err;
  if ((err = put (mount, "alice/mem", "600M")) != EPERM)
    return 150 + err;
  if ((err = put (mount, "alice/mem", "unlimited")) != EPERM)
    return 200 + err;
  return put (mount, "alice/share-net", "1");
}

static int
alice_makes_a_second_box (const Mount *mount)
{
  return make_box (mount, "alice2"); /* [user:61501] max_boxes=1 */
}

static int
bob_goes_to_the_common_maximum (const Mount *mount)
{
  int err = put (mount, "bob/mem", "800M");
  return err ? 100 + err : put (mount, "bob/mem", "2G");
}

static int
bob_makes_his_box (const Mount *mount)
{
  return make_box (mount, "bob");
}

static int
alice_shares_read_access (const Mount *mount)
{
  g_autofree char *path = mount_path (mount, "alice");
  return errno_of (chmod (path, 0755));
}

static void
test_boxes_belong_to_their_maker (void)
{
  if (!mount_require_root ())
    return;
  g_autofree char *conf_dir = g_dir_make_tmp ("isolatefs-users-conf-XXXXXX", NULL);
  g_autofree char *conf = g_build_filename (conf_dir, "isolatefs.conf", NULL);
  g_assert_true (g_file_set_contents (conf,
                                      "[isolatefs]\n"
                                      "max_mem=1G\n"
                                      "max_share-net=0\n"
                                      "[user:61501]\n"
                                      "max_mem=512M\n"
                                      "max_boxes=1\n",
                                      -1, NULL));
  g_autofree char *options = g_strdup_printf ("allow_other,default_permissions,config=%s", conf);
  g_autoptr (Mount) mount = mount_new (options);
  /* Let the test users reach the mount point and the state directory. */
  g_assert_cmpint (chmod (mount->tmp_dir, 0711), ==, 0);

  g_assert_cmpint (as_user (mount, ALICE, alice_makes_her_box), ==, 0);
  g_autofree char *alice = mount_path (mount, "alice");
  struct stat st;
  g_assert_cmpint (stat (alice, &st), ==, 0);
  g_assert_cmpuint (st.st_uid, ==, ALICE);
  g_assert_cmpuint (st.st_mode, ==, S_IFDIR | 0700);
  g_assert_cmpint (as_user (mount, ALICE, alice_sets_and_runs), ==, 0);
  g_assert_cmpint (as_user (mount, ALICE, alice_goes_over_the_maximum), ==, EPERM);
  /* dirs binds host paths as root does: root's alone to set, and shown so. */
  g_assert_cmpint (as_user (mount, ALICE, alice_sets_dirs), ==, EACCES);
  g_autofree char *dirs = mount_path (mount, "alice/dirs");
  g_assert_cmpint (stat (dirs, &st), ==, 0);
  g_assert_cmpuint (st.st_uid, ==, 0);
  g_assert_cmpuint (st.st_mode, ==, S_IFREG | 0644);
  g_assert_cmpint (as_user (mount, ALICE, alice_reads_dirs), ==, 0);

  g_assert_cmpint (as_user (mount, BOB, bob_reads_alices_mem), ==, EACCES);
  g_assert_cmpint (as_user (mount, BOB, bob_writes_alices_mem), ==, EACCES);
  g_assert_cmpint (as_user (mount, BOB, bob_runs_in_alices_box), ==, EACCES);
  g_assert_cmpint (as_user (mount, BOB, bob_lists_alices_box), ==, EACCES);
  g_assert_cmpint (as_user (mount, BOB, bob_reads_alices_files_on_disk), ==, EACCES);
  int removal = as_user (mount, BOB, bob_removes_alices_box);
  g_assert_true (removal == EACCES || removal == EPERM);
  g_assert_cmpint (as_user (mount, BOB, bob_takes_alices_box), ==, EPERM);
  g_assert_cmpint (as_user (mount, BOB, bob_makes_his_box), ==, 0);
  g_assert_cmpint (as_user (mount, ALICE, alice_makes_a_second_box), ==, EDQUOT);
  g_assert_cmpint (as_user (mount, BOB, bob_goes_to_the_common_maximum), ==, EPERM);

  /* Alice shares her box for reading, as with any directory. */
  g_assert_cmpint (as_user (mount, ALICE, alice_shares_read_access), ==, 0);
  g_assert_cmpint (as_user (mount, BOB, bob_reads_alices_mem), ==, 0);
  g_assert_cmpint (as_user (mount, BOB, bob_writes_alices_mem), ==, EACCES);

  /* root can do everything, above the maximums too. */
  g_assert_cmpint (put (mount, "alice/mem", "2G"), ==, 0);
  assert_reads (mount, "alice/mem", "2097152\n");
  g_assert_cmpint (put (mount, "alice/share-net", "1"), ==, 0);
  g_assert_cmpint (put (mount, "alice/dirs", "/home:rw"), ==, 0);
  g_assert_cmpint (as_user (mount, ALICE, alice_writes_back_what_she_reads), ==, 0);
  g_assert_cmpint (g_unlink (conf), ==, 0);
  g_assert_cmpint (g_rmdir (conf_dir), ==, 0);
}

static void
test_allow_other_needs_default_permissions (void)
{
  if (!mount_require_root ())
    return;
  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-users-XXXXXX", NULL);
  const char *args[] = { "-f", "-o", "allow_other", tmp, NULL };
  g_autofree char *err = NULL;
  g_assert_cmpint (run_isolatefs_expecting_failure (args, &err), !=, 0);
  g_assert_nonnull (strstr (err, "default_permissions"));
  g_assert_cmpint (rmdir (tmp), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/users/boxes-belong-to-their-maker", test_boxes_belong_to_their_maker);
  g_test_add_func ("/users/allow-other-needs-default-permissions",
                   test_allow_other_needs_default_permissions);
  return g_test_run ();
}
