/* utils/chown_tree.c: handing a tree to another uid without following links
 * and without giving away a file that is also elsewhere.
 *
 * Each test gets two fresh temporary directories: `tree`, handed over, and
 * `outside`, holding the targets of links and hard links planted in `tree`,
 * whose owners must not change. Giving a file to another uid needs root: as
 * another user, the tests hand the tree from their own uid to itself, which
 * still walks it all, and skip what they cannot check. */
#include "utils/chown_tree.h"
#include "utils/tree_walk.h"
#include "tree_helpers.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* fchownat, wrapped (-Wl,--wrap=fchownat): when it is called on the inode in
 * hook_ino, hook runs first (once), to change the tree at an exact point of
 * a walk. */
int __real_fchownat (int dir_fd, const char *name, uid_t uid, gid_t gid, int flags);
int __wrap_fchownat (int dir_fd, const char *name, uid_t uid, gid_t gid, int flags);

static ino_t hook_ino;
static void (*hook) (void);

int
__wrap_fchownat (int dir_fd, const char *name, uid_t uid, gid_t gid, int flags)
{
  struct stat st;
  if (hook_ino != 0 && fstatat (dir_fd, name, &st, flags & AT_EMPTY_PATH) == 0
      && st.st_ino == hook_ino)
    {
      hook_ino = 0;
      hook ();
    }
  return __real_fchownat (dir_fd, name, uid, gid, flags);
}

typedef struct
{
  char *tree;
  char *outside;
  int tree_fd;
  uid_t from_uid; /* who owns what the test makes */
  uid_t to_uid;   /* whom it goes to: another uid as root, else from_uid */
  gid_t to_gid;
} TreeFixture;

#define OTHER_UID 4242
#define OTHER_GID 4243
#define STRANGER_UID 5555

static int
open_path (const char *path)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  return fd;
}

/* data: where to make the directories (NULL: the usual temporary one). */
static void
tree_setup (TreeFixture *fx, gconstpointer data)
{
  fx->tree = tree_make_tmp_dir (data, "chown-tree-XXXXXX");
  fx->outside = tree_make_tmp_dir (data, "chown-tree-outside-XXXXXX");
  fx->tree_fd = open_path (fx->tree);
  fx->from_uid = geteuid ();
  fx->to_uid = fx->from_uid == 0 ? OTHER_UID : fx->from_uid;
  fx->to_gid = fx->from_uid == 0 ? OTHER_GID : getegid ();

  int outside_fd = open_path (fx->outside);
  tree_make_file_at (outside_fd, "target.txt");
  g_assert_no_errno (mkdirat (outside_fd, "target-dir", 0755));
  close (outside_fd);
}

static void
tree_teardown (TreeFixture *fx, gconstpointer data)
{
  hook_ino = 0;
  close (fx->tree_fd);
  tree_remove_all (fx->tree);
  tree_remove_all (fx->outside);
  g_free (fx->tree);
  g_free (fx->outside);
}

static gboolean
need_root (void)
{
  if (geteuid () == 0)
    return TRUE;
  g_test_skip ("giving files to another uid needs root");
  return FALSE;
}

static uid_t
owner_at (int dir_fd, const char *name)
{
  struct stat st;
  g_assert_no_errno (fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH));
  return st.st_uid;
}

static void
assert_outside_untouched (TreeFixture *fx)
{
  int fd = open_path (fx->outside);
  g_assert_cmpuint (owner_at (fd, ""), ==, fx->from_uid);
  g_assert_cmpuint (owner_at (fd, "target.txt"), ==, fx->from_uid);
  g_assert_cmpuint (owner_at (fd, "target-dir"), ==, fx->from_uid);
  close (fd);
}

static void
test_hands_over_only_what_it_may (TreeFixture *fx, gconstpointer data)
{
  if (!need_root ())
    return;
  g_autoptr (GError) error = NULL;
  g_autofree char *target = g_build_filename (fx->outside, "target.txt", NULL);
  g_autofree char *target_dir = g_build_filename (fx->outside, "target-dir", NULL);
  g_autofree char *hard_target = g_build_filename (fx->outside, "hard.txt", NULL);
  g_autofree char *hard_link = g_build_filename (fx->tree, "hard.txt", NULL);
  int fd = fx->tree_fd;
  tree_make_file_at (fd, "file");
  g_assert_no_errno (mkdirat (fd, "dir", 0755));
  int dir = tree_open_dir_at (fd, "dir");
  tree_make_file_at (dir, "inner");
  close (dir);
  g_assert_no_errno (symlinkat (target, fd, "link-file"));
  g_assert_no_errno (symlinkat (target_dir, fd, "link-dir"));
  g_assert_no_errno (mkfifoat (fd, "fifo", 0644));
  tree_make_file_at (fd, "strangers");
  g_assert_no_errno (fchownat (fd, "strangers", STRANGER_UID, STRANGER_UID, 0));
  g_assert_no_errno (mkdirat (fd, "strangers-dir", 0755));
  int strangers_dir = tree_open_dir_at (fd, "strangers-dir");
  tree_make_file_at (strangers_dir, "mine");
  close (strangers_dir);
  g_assert_no_errno (fchownat (fd, "strangers-dir", STRANGER_UID, STRANGER_UID, 0));
  int outside_fd = open_path (fx->outside);
  tree_make_file_at (outside_fd, "hard.txt");
  close (outside_fd);
  g_assert_no_errno (link (hard_target, hard_link));

  g_assert_true (chown_tree (fd, fx->from_uid, fx->to_uid, fx->to_gid, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (owner_at (fd, ""), ==, fx->to_uid);
  g_assert_cmpuint (owner_at (fd, "file"), ==, fx->to_uid);
  g_assert_cmpuint (owner_at (fd, "dir"), ==, fx->to_uid);
  g_assert_cmpuint (owner_at (fd, "dir/inner"), ==, fx->to_uid);
  /* Links, FIFOs, hard links and others' files stay as they were. */
  g_assert_cmpuint (owner_at (fd, "link-file"), ==, fx->from_uid);
  g_assert_cmpuint (owner_at (fd, "link-dir"), ==, fx->from_uid);
  g_assert_cmpuint (owner_at (fd, "fifo"), ==, fx->from_uid);
  g_assert_cmpuint (owner_at (fd, "hard.txt"), ==, fx->from_uid);
  g_assert_cmpuint (owner_at (fd, "strangers"), ==, STRANGER_UID);
  g_assert_cmpuint (owner_at (fd, "strangers-dir"), ==, STRANGER_UID);
  /* A directory of another owner is not walked into. */
  g_assert_cmpuint (owner_at (fd, "strangers-dir/mine"), ==, fx->from_uid);
  assert_outside_untouched (fx);
}

/* A chain of depth directories d/d/..., each with links to outside's file
 * and directory and to "..", a FIFO, a regular file, and (every 1000
 * levels) a hard link to a file of outside; the last also holds "leaf". */
static void
build_chain (TreeFixture *fx, guint depth)
{
  g_autofree char *target = g_build_filename (fx->outside, "target.txt", NULL);
  g_autofree char *target_dir = g_build_filename (fx->outside, "target-dir", NULL);
  int outside_fd = open_path (fx->outside);
  int fd = openat (fx->tree_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  for (guint i = 0; i < depth; i++)
    {
      g_assert_no_errno (mkdirat (fd, "d", 0755));
      int sub = tree_open_dir_at (fd, "d");
      g_assert_cmpint (sub, >=, 0);
      close (fd);
      fd = sub;
      g_assert_no_errno (symlinkat (target, fd, "link-file"));
      g_assert_no_errno (symlinkat (target_dir, fd, "link-dir"));
      g_assert_no_errno (symlinkat ("..", fd, "link-up"));
      g_assert_no_errno (mkfifoat (fd, "fifo", 0644));
      tree_make_file_at (fd, "file");
      if (i % 1000 == 0)
        {
          g_autofree char *name = g_strdup_printf ("hard-%u", i);
          tree_make_file_at (outside_fd, name);
          g_assert_no_errno (linkat (outside_fd, name, fd, "hard", 0));
        }
      if (i == depth - 1)
        tree_make_file_at (fd, "leaf");
    }
  close (fd);
  close (outside_fd);
}

static void
assert_chain_handed_over (TreeFixture *fx, guint depth)
{
  int fd = tree_open_dir_at (fx->tree_fd, "d");
  for (guint i = 0; i < depth; i++)
    {
      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpuint (owner_at (fd, ""), ==, fx->to_uid);
      g_assert_cmpuint (owner_at (fd, "file"), ==, fx->to_uid);
      g_assert_cmpuint (owner_at (fd, "link-file"), ==, fx->from_uid);
      g_assert_cmpuint (owner_at (fd, "fifo"), ==, fx->from_uid);
      if (i % 1000 == 0)
        g_assert_cmpuint (owner_at (fd, "hard"), ==, fx->from_uid);
      int sub = i + 1 < depth ? tree_open_dir_at (fd, "d") : -1;
      close (fd);
      fd = sub;
    }
  assert_outside_untouched (fx);
}

/* Far fewer descriptors than a walk holding one per level needs. */
static void
test_deep_tree (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint depth = 20000;
  build_chain (fx, depth);
  guint open_before = tree_count_open_descriptors ();

  struct rlimit saved, low;
  g_assert_no_errno (getrlimit (RLIMIT_NOFILE, &saved));
  low = (struct rlimit){ 64, saved.rlim_max };
  g_assert_no_errno (setrlimit (RLIMIT_NOFILE, &low));
  gboolean ok = chown_tree (fx->tree_fd, fx->from_uid, fx->to_uid, fx->to_gid, &error);
  g_assert_no_errno (setrlimit (RLIMIT_NOFILE, &saved));

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (tree_count_open_descriptors (), ==, open_before);
  assert_chain_handed_over (fx, depth);
}

/* A directory more than TREE_WALK_MAX_OPEN levels above the bottom is moved
 * into outside, under decoy/decoy/..., when the walk reaches the bottom:
 * climbing back up from it would lead into the decoys. */
#define MOVED_LEVEL 5

static TreeFixture *racing_fixture;

static void
move_a_level_out (void)
{
  tree_move_level_out (racing_fixture->tree, racing_fixture->outside, MOVED_LEVEL);
}

static void
test_moved_while_walked (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  int fd = open_path (fx->outside);
  for (guint i = 0; i <= MOVED_LEVEL; i++)
    {
      g_assert_no_errno (mkdirat (fd, "decoy", 0755));
      int sub = tree_open_dir_at (fd, "decoy");
      close (fd);
      fd = sub;
      tree_make_file_at (fd, "file");
    }
  close (fd);
  build_chain (fx, 3 * TREE_WALK_MAX_OPEN);
  g_autoptr (GString) leaf = g_string_new (fx->tree);
  for (guint i = 0; i < 3 * TREE_WALK_MAX_OPEN; i++)
    g_string_append (leaf, "/d");
  g_string_append (leaf, "/leaf");
  struct stat st;
  g_assert_no_errno (fstatat (fx->tree_fd, leaf->str + strlen (fx->tree) + 1, &st, 0));
  hook_ino = st.st_ino;
  hook = move_a_level_out;
  racing_fixture = fx;

  g_assert_false (chown_tree (fx->tree_fd, fx->from_uid, fx->to_uid, fx->to_gid, &error));
  g_assert_cmpuint (hook_ino, ==, 0); /* the move happened */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "moved"));

  fd = open_path (fx->outside);
  for (guint i = 0; i <= MOVED_LEVEL; i++)
    {
      int sub = tree_open_dir_at (fd, "decoy");
      g_assert_cmpint (sub, >=, 0);
      close (fd);
      fd = sub;
      g_assert_cmpuint (owner_at (fd, ""), ==, fx->from_uid);
      g_assert_cmpuint (owner_at (fd, "file"), ==, fx->from_uid);
    }
  close (fd);
  assert_outside_untouched (fx);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/chown-tree/hands-over-only-what-it-may", TreeFixture, NULL, tree_setup,
              test_hands_over_only_what_it_may, tree_teardown);
  /* In tmpfs where there is one: ext4 can take a minute to allocate 100000
   * inodes just after as many were freed. */
  g_test_add ("/chown-tree/deep-tree", TreeFixture, "/dev/shm", tree_setup, test_deep_tree,
              tree_teardown);
  g_test_add ("/chown-tree/moved-while-walked", TreeFixture, NULL, tree_setup,
              test_moved_while_walked, tree_teardown);
  return g_test_run ();
}
