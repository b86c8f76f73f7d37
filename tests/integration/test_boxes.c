/* Boxes as directories: mkdir, rmdir, ls, names, cgroups, uids, box/. */

#include "cgroup_layout.h"
#include "mount_fixture.h"

#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const box_files[] = {
  "mem",    "time",          "wall-time",  "extra-time",  "processes",   "fsize",
  "stack",  "open-files",    "env",        "dirs",        "share-net",   "stdin",
  "cmd",    "status",        "stdout",     "stderr",      "ctl",         "box",
  "quota",  "chdir",         "stdin-path", "stdout-path", "stderr-path", "stderr-to-stdout",
  "source", "address-space", "core",       "settings",
};

static struct stat
stat_of (const Mount *mount, const char *name)
{
  g_autofree char *path = mount_path (mount, name);
  struct stat st;
  g_assert_cmpint (lstat (path, &st), ==, 0);
  return st;
}

static void
test_mkdir_makes_cgroups_and_files (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);

  g_assert_cmpint (make_box (mount, "b1"), ==, 0);
  const char *controllers[] = { "memory", "cpuacct", "pids" };
  for (guint i = 0; i < G_N_ELEMENTS (controllers); i++)
    {
      g_autofree char *cgroup = mount_cgroup_path (mount, controllers[i], "b1");
      g_assert_true (g_file_test (cgroup, G_FILE_TEST_IS_DIR));
    }

  for (guint i = 0; i < G_N_ELEMENTS (box_files); i++)
    {
      g_autofree char *name = g_build_filename ("b1", box_files[i], NULL);
      g_autofree char *path = mount_path (mount, name);
      g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
    }
  g_assert_cmpint (stat_of (mount, "b1/mem").st_mode, ==, S_IFREG | 0644);
  g_assert_cmpint (stat_of (mount, "b1/status").st_mode, ==, S_IFREG | 0444);
  g_assert_cmpint (stat_of (mount, "b1/ctl").st_mode, ==, S_IFREG | 0200);
  g_assert_true (S_ISLNK (stat_of (mount, "b1/box").st_mode));
  g_assert_true (S_ISDIR (stat_of (mount, "b1").st_mode));

  /* Exactly those files: nothing else is listed in a box. */
  g_autofree char *box_dir = mount_path (mount, "b1");
  g_assert_cmpuint (count_entries (box_dir), ==, G_N_ELEMENTS (box_files));
}

/* The proxies of prepared sandboxes (named so by zygote/proxy.c): children
 * of the daemon, which the zygote forks for it; their pids. */
static GPtrArray *
list_proxies (const Mount *mount)
{
  GPid daemon = atoi (g_subprocess_get_identifier (mount->daemon));
  return process_list_children_named (daemon, "jail-proxy");
}

static guint
daemon_proxies (const Mount *mount)
{
  g_autoptr (GPtrArray) proxies = list_proxies (mount);
  return proxies->len;
}

/* How many of the proxies listed earlier are still there (alive, or not yet
 * reaped). */
static guint
proxies_still_there (const Mount *mount, GPtrArray *earlier)
{
  g_autoptr (GPtrArray) now = list_proxies (mount);
  guint count = 0;
  for (guint i = 0; i < earlier->len; i++)
    count += g_ptr_array_find_with_equal_func (now, earlier->pdata[i], g_str_equal, NULL);
  return count;
}

/* A new box gets its first sandbox prepared at mkdir, but only so many
 * boxes not yet run hold one: made and left idle, the rest hold none. */
/* Waits until the daemon has that many proxies, and asserts it has. */
static void
wait_for_proxies (const Mount *mount, guint count)
{
  WAIT_UNTIL (daemon_proxies (mount) == count);
  g_assert_cmpuint (daemon_proxies (mount), ==, count);
}

static void
test_few_new_boxes_hold_a_sandbox (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new ("prepare_new_boxes=2");
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("new%d", i);
      g_assert_cmpint (make_box (mount, name), ==, 0);
    }
  wait_for_proxies (mount, 2);
  g_usleep (300000); /* and no more come */
  g_assert_cmpuint (daemon_proxies (mount), ==, 2);
  /* Removing one lets the next new box have one. The removed box's proxy,
   * killed at rmdir, is reaped later by the jail-builder thread: until
   * then it is listed too, and the count alone could read 2 too early. */
  g_autoptr (GPtrArray) held = list_proxies (mount);
  g_assert_cmpint (remove_box (mount, "new0"), ==, 0);
  g_assert_cmpint (make_box (mount, "new5"), ==, 0);
  WAIT_UNTIL (proxies_still_there (mount, held) == 1 && daemon_proxies (mount) == 2);
  g_assert_cmpuint (proxies_still_there (mount, held), ==, 1);
  g_assert_cmpuint (daemon_proxies (mount), ==, 2);
  g_usleep (300000);
  g_assert_cmpuint (daemon_proxies (mount), ==, 2);
  for (int i = 1; i < 6; i++)
    {
      g_autofree char *name = g_strdup_printf ("new%d", i);
      g_assert_cmpint (remove_box (mount, name), ==, 0);
    }
  wait_for_proxies (mount, 0);
}

static void
test_rmdir_removes_everything (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);

  g_assert_cmpint (make_box (mount, "gone"), ==, 0);
  g_assert_cmpint (put (mount, "gone/mem", "64M"), ==, 0);
  g_autofree char *file = mount_path (mount, "gone/box/data.txt");
  g_assert_true (g_file_set_contents (file, "x", -1, NULL));

  g_assert_cmpint (remove_box (mount, "gone"), ==, 0);
  g_autofree char *cgroup = mount_cgroup_path (mount, "memory", "gone");
  g_assert_false (g_file_test (cgroup, G_FILE_TEST_EXISTS));
  g_autofree char *state = g_build_filename (mount->state_dir, "boxes", "gone", NULL);
  g_assert_false (g_file_test (state, G_FILE_TEST_EXISTS));
  g_autofree char *path = mount_path (mount, "gone");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (remove_box (mount, "gone"), ==, ENOENT);
  /* Its files went to the trash, which a thread of the daemon empties. */
  g_autofree char *trash = g_build_filename (mount->state_dir, "trash", NULL);
  WAIT_UNTIL (count_entries (trash) == 0);
  g_assert_cmpuint (count_entries (trash), ==, 0);
}

/* A removed box's state directory is emptied and kept for a new box
 * (state_trash.h), and its cgroups too (cgroup_spares.h): the new box finds
 * nothing of the old one. */
static void
test_reused_directory_keeps_nothing (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  g_assert_cmpint (make_box (mount, "old"), ==, 0);
  g_assert_cmpint (put (mount, "old/mem", "64M"), ==, 0);
  g_assert_cmpint (put (mount, "old/processes", "10"), ==, 0);
  g_assert_cmpint (put (mount, "old/stdin", "old input"), ==, 0);
  g_autofree char *secret = mount_path (mount, "old/box/secret");
  g_assert_true (g_file_set_contents (secret, "old data", -1, NULL));
  g_autofree char *out = run_for_output (mount, "old", "cat");
  g_assert_cmpstr (out, ==, "old input");
  g_autofree char *box_dir = mount_path (mount, "old/box");
  g_assert_cmpint (chmod (box_dir, 0777), ==, 0);
  /* What the trash thread empties is untrusted: links are removed, never
   * followed; a FIFO does not block it. */
  g_autofree char *victim = g_build_filename (mount->tmp_dir, "victim", NULL);
  g_assert_true (g_file_set_contents (victim, "host file", -1, NULL));
  g_autofree char *link = mount_path (mount, "old/box/link");
  g_assert_cmpint (symlink (victim, link), ==, 0);
  g_autofree char *dir_link = mount_path (mount, "old/box/dir-link");
  g_assert_cmpint (symlink (mount->tmp_dir, dir_link), ==, 0);
  g_autofree char *fifo = mount_path (mount, "old/box/fifo");
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (remove_box (mount, "old"), ==, 0);

  g_autofree char *spare = g_build_filename (mount->state_dir, "spare", NULL);
  WAIT_UNTIL (count_entries (spare) > 0);
  g_assert_cmpuint (count_entries (spare), ==, 1);
  /* Its cgroups are kept for the next box too, but on v2, which cannot
   * rename a group: there they went (cgroup_spares.h). */
  g_autofree char *cgroup = mount_cgroup_path (mount, "pids", ".spare-0");
  g_autofree char *old_cgroup = mount_cgroup_path (mount, "pids", "old");
  g_assert_cmpint (g_file_test (cgroup, G_FILE_TEST_IS_DIR), ==, !cgroup_layout_is_v2 ());
  g_assert_false (g_file_test (old_cgroup, G_FILE_TEST_EXISTS));
  g_assert_cmpint (make_box (mount, "new"), ==, 0);
  g_assert_cmpuint (count_entries (spare), ==, 0);
  g_assert_false (g_file_test (cgroup, G_FILE_TEST_EXISTS));

  g_autofree char *new_box = mount_path (mount, "new/box");
  g_assert_cmpuint (count_entries (new_box), ==, 0);
  g_autofree char *host_text = NULL;
  g_assert_true (g_file_get_contents (victim, &host_text, NULL, NULL));
  g_assert_cmpstr (host_text, ==, "host file");
  struct stat st;
  g_assert_cmpint (stat (new_box, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0700);
  assert_reads (mount, "new/stdin", "");
  assert_reads (mount, "new/stdout", "");
  assert_reads (mount, "new/cmd", "");
  assert_reads (mount, "new/status", "state:idle\n");
  g_autofree char *mem = get (mount, "new/mem");
  g_assert_cmpstr (mem, !=, "65536\n");
  /* And it survives a restart as itself. */
  mount_restart (mount);
  assert_reads (mount, "new/cmd", "");
  /* The old box's processes=10 left pids.max at 10 in the group (v1); the
   * new box's first run sets its own (1): the shell cannot fork. */
  g_autofree char *forked = run_for_output (mount, "new", "sh -c '/bin/true; echo forked'");
  g_assert_null (strstr (forked, "forked"));
  g_autofree char *status = get (mount, "new/status");
  g_assert_null (strstr (status, "exitcode:0\n"));
  g_assert_cmpint (remove_box (mount, "new"), ==, 0);
}

/* How many processes are in the box's cgroups (the groups of its runs, on
 * v2). */
static guint
count_members (const Mount *mount, const char *box)
{
  g_autofree char *group = mount_cgroup_path (mount, "pids", box);
  g_autoptr (GPtrArray) members = cgroup_layout_members (group);
  return members->len;
}

/* The daemon's proxies whose program-to-be (a child named as they are)
 * waits for a command: their sandboxes are built. */
static guint
waiting_programs (const Mount *mount)
{
  g_autoptr (GPtrArray) proxies = list_proxies (mount);
  guint waiting = 0;
  for (guint i = 0; i < proxies->len; i++)
    waiting += process_children_named (atoi (proxies->pdata[i]), "jail-proxy") > 0;
  return waiting;
}

/* Opens cmd for writing (and closes it), and says whether the box's
 * program-to-be is in its cgroups by now. */
static gboolean
open_cmd_and_see_joined (const Mount *mount, const char *box, const char *cmd)
{
  int fd = open (cmd, O_WRONLY);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  return count_members (mount, box) > 0;
}

/* Opens box's cmd for writing, which warms its prepared sandbox, until the
 * program-to-be has joined the box's cgroups. A sandbox the builder thread
 * has not handed over yet is not warmed (the open does nothing): a loaded
 * machine may take that long. */
static void
warm (const Mount *mount, const char *box)
{
  g_autofree char *cmd_file = g_build_filename (box, "cmd", NULL);
  g_autofree char *cmd = mount_path (mount, cmd_file);
  WAIT_UNTIL (open_cmd_and_see_joined (mount, box, cmd));
  g_assert_cmpuint (count_members (mount, box), ==, 1);
}

/* Opening cmd for writing warms the prepared sandbox: its program-to-be
 * joins the box's cgroups before the command comes (v1; on v2 it was born
 * in the next run's group). It is then the run's one process; dropped
 * unused (rmdir), it leaves the cgroups removable. */
static void
test_opening_cmd_warms_the_sandbox (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  const char *boxes[] = { "ran", "warmed" };
  for (guint i = 0; i < G_N_ELEMENTS (boxes); i++)
    {
      g_assert_cmpint (make_box (mount, boxes[i]), ==, 0);
      g_autofree char *out = run_for_output (mount, boxes[i], "/bin/true");
    }
  WAIT_UNTIL (waiting_programs (mount) == 2); /* the next sandboxes are built */
  g_assert_cmpuint (waiting_programs (mount), ==, 2);
  g_assert_cmpuint (count_members (mount, "warmed"), ==, cgroup_layout_is_v2 () ? 1 : 0);

  warm (mount, "warmed");
  /* The warmed program-to-be is the run's one process of two. */
  g_assert_cmpint (put (mount, "warmed/processes", "2"), ==, 0);
  g_autofree char *forked = run_for_output (mount, "warmed", "sh -c '/bin/true; echo ok'");
  g_assert_cmpstr (forked, ==, "ok\n");

  /* Warmed and dropped: rmdir still removes everything. */
  warm (mount, "ran");
  g_assert_cmpint (remove_box (mount, "ran"), ==, 0);
  g_autofree char *ran_cgroup = mount_cgroup_path (mount, "pids", "ran");
  g_assert_false (g_file_test (ran_cgroup, G_FILE_TEST_EXISTS));
  g_assert_cmpint (remove_box (mount, "warmed"), ==, 0);
}

static void
test_names (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);

  g_autofree char *longest = g_strnfill (64, 'a');
  g_autofree char *too_long = g_strnfill (65, 'a');
  g_assert_cmpint (make_box (mount, "A-z_0.9"), ==, 0);
  g_assert_cmpint (make_box (mount, longest), ==, 0);
  g_assert_cmpint (make_box (mount, too_long), ==, EINVAL);
  g_assert_cmpint (make_box (mount, ".hidden"), ==, EINVAL);
  g_assert_cmpint (make_box (mount, "sp ace"), ==, EINVAL);
  g_assert_cmpint (make_box (mount, "caf\xc3\xa9"), ==, EINVAL);
  g_assert_cmpint (make_box (mount, "A-z_0.9"), ==, EEXIST);
  /* Boxes hold no directories of their own. */
  g_assert_cmpint (make_box (mount, "A-z_0.9/sub"), ==, EPERM);
}

static void
test_max_boxes (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new ("max_boxes=2");

  g_assert_cmpint (make_box (mount, "one"), ==, 0);
  g_assert_cmpint (make_box (mount, "two"), ==, 0);
  g_assert_cmpint (make_box (mount, "three"), ==, ENOSPC);
  g_assert_cmpint (remove_box (mount, "one"), ==, 0);
  g_assert_cmpint (make_box (mount, "three"), ==, 0);
}

static void
test_uids_unique_and_reused (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new ("first_uid=61000,first_gid=62000");

  g_assert_cmpint (make_box (mount, "a"), ==, 0);
  g_assert_cmpint (make_box (mount, "b"), ==, 0);
  g_assert_cmpint (put (mount, "a/processes", "5"), ==, 0);
  g_assert_cmpint (put (mount, "b/processes", "5"), ==, 0);
  g_autofree char *a_ids = run_for_output (mount, "a", "sh -c 'id -u; id -g'");
  g_autofree char *b_ids = run_for_output (mount, "b", "id -u");
  g_assert_cmpstr (a_ids, ==, "61000\n62000\n");
  g_assert_cmpstr (b_ids, ==, "61001\n");

  /* Between runs box/ is its owner's (root here), not the program's. */
  g_autofree char *a_dir = mount_path (mount, "a/box");
  struct stat a;
  g_assert_cmpint (stat (a_dir, &a), ==, 0);
  g_assert_true (S_ISDIR (a.st_mode));
  g_assert_cmpuint (a.st_uid, ==, 0);

  g_assert_cmpint (remove_box (mount, "a"), ==, 0);
  g_assert_cmpint (make_box (mount, "c"), ==, 0);
  g_autofree char *c_ids = run_for_output (mount, "c", "id -u");
  g_assert_cmpstr (c_ids, ==, "61000\n");
}

static void
test_box_dir_is_real (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  g_assert_cmpint (make_box (mount, "real"), ==, 0);

  /* Data written through box/ lands on the state directory's filesystem,
   * not in the FUSE mount: exec, mmap and bulk I/O run natively. */
  g_autofree char *through_mount = mount_path (mount, "real/box/hello.txt");
  g_assert_true (g_file_set_contents (through_mount, "hello", -1, NULL));
  g_autofree char *on_disk
      = g_build_filename (mount->state_dir, "boxes", "real", "box", "hello.txt", NULL);
  g_autofree char *content = NULL;
  g_assert_true (g_file_get_contents (on_disk, &content, NULL, NULL));
  g_assert_cmpstr (content, ==, "hello");

  struct stat mount_st, file_st;
  g_assert_cmpint (stat (mount->mount_dir, &mount_st), ==, 0);
  g_assert_cmpint (stat (through_mount, &file_st), ==, 0);
  g_assert_cmpuint (mount_st.st_dev, !=, file_st.st_dev);
}

static void
test_listing_many_boxes (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  const guint n = 300; /* more than one readdir buffer holds */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("box%03u", i);
      g_assert_cmpint (make_box (mount, name), ==, 0);
    }
  g_autoptr (GDir) dir = g_dir_open (mount->mount_dir, 0, NULL);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_true (g_hash_table_add (seen, g_strdup (name)));
  g_assert_cmpuint (g_hash_table_size (seen), ==, n);
  g_assert_true (g_hash_table_contains (seen, "box000"));
  g_assert_true (g_hash_table_contains (seen, "box299"));
}

static void
test_two_mounts_side_by_side (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) first = mount_new (NULL);
  g_autoptr (Mount) second = mount_new (NULL);

  g_assert_cmpint (make_box (first, "same"), ==, 0);
  g_assert_cmpint (make_box (second, "same"), ==, 0);
  g_assert_cmpint (put (first, "same/mem", "1M"), ==, 0);
  g_assert_cmpint (put (second, "same/mem", "2M"), ==, 0);
  g_autofree char *first_mem = get (first, "same/mem");
  g_autofree char *second_mem = get (second, "same/mem");
  g_assert_cmpstr (first_mem, ==, "1024\n");
  g_assert_cmpstr (second_mem, ==, "2048\n");

  g_assert_cmpint (remove_box (first, "same"), ==, 0);
  g_autofree char *second_cgroup = mount_cgroup_path (second, "pids", "same");
  g_assert_true (g_file_test (second_cgroup, G_FILE_TEST_IS_DIR));
  g_autofree char *still = get (second, "same/mem");
  g_assert_cmpstr (still, ==, "2048\n");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/boxes/mkdir-makes-cgroups-and-files", test_mkdir_makes_cgroups_and_files);
  g_test_add_func ("/boxes/rmdir-removes-everything", test_rmdir_removes_everything);
  g_test_add_func ("/boxes/few-new-boxes-hold-a-sandbox", test_few_new_boxes_hold_a_sandbox);
  g_test_add_func ("/boxes/reused-directory-keeps-nothing", test_reused_directory_keeps_nothing);
  g_test_add_func ("/boxes/opening-cmd-warms-the-sandbox", test_opening_cmd_warms_the_sandbox);
  g_test_add_func ("/boxes/names", test_names);
  g_test_add_func ("/boxes/max-boxes", test_max_boxes);
  g_test_add_func ("/boxes/uids-unique-and-reused", test_uids_unique_and_reused);
  g_test_add_func ("/boxes/box-dir-is-real", test_box_dir_is_real);
  g_test_add_func ("/boxes/listing-many-boxes", test_listing_many_boxes);
  g_test_add_func ("/boxes/two-mounts-side-by-side", test_two_mounts_side_by_side);
  return g_test_run ();
}
