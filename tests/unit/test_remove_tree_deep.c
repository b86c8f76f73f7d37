/* utils/remove_tree.c on deep and wide trees, built one component at a
 * time (their paths are far longer than PATH_MAX) and walked with a low
 * descriptor limit, which a walk holding a descriptor per level cannot
 * stay under; and on trees moved while they are walked. */
#include "utils/remove_tree.h"
#include "utils/tree_walk.h"
#include "remove_tree_fixture.h"
#include "tree_helpers.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEEP 20000
/* Far fewer than a walk holding a descriptor per level needs. */
#define FEW_DESCRIPTORS 64

static struct rlimit saved_limit;

static void
limit_descriptors (void)
{
  g_assert_no_errno (getrlimit (RLIMIT_NOFILE, &saved_limit));
  struct rlimit low = { FEW_DESCRIPTORS, saved_limit.rlim_max };
  g_assert_no_errno (setrlimit (RLIMIT_NOFILE, &low));
}

static void
restore_descriptors (void)
{
  g_assert_no_errno (setrlimit (RLIMIT_NOFILE, &saved_limit));
}

/* What build_chain puts in each level besides the next one. */
enum
{
  WITH_LINKS = 1 << 0, /* link-file, link-dir to outside's; link-up to ".." */
  WITH_FILE = 1 << 1,  /* file, a regular file reading "x" */
  WITH_FIFO = 1 << 2,  /* fifo, every 1000 levels */
  WITH_WIDE = 1 << 3,  /* f0 to f7, and s0 and s1 each holding file and link-file */
  WITH_LEAF = 1 << 4,  /* leaf, a regular file, and leaf-fifo, in the last level only */
};
#define WIDE_FILES 8

/* Builds depth nested directories NAME/NAME/... in the directory open as
 * top_fd, one component at a time as a program would (the path soon
 * exceeds PATH_MAX), each holding what extras asks for. */
static void
build_chain (TreeFixture *fx, int top_fd, const char *name, guint depth, guint extras)
{
  g_autofree char *file_target = g_build_filename (fx->outside, "target.txt", NULL);
  g_autofree char *dir_target = g_build_filename (fx->outside, "target-dir", NULL);
  int fd = openat (top_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  for (guint i = 0; i < depth; i++)
    {
      g_assert_no_errno (mkdirat (fd, name, 0755));
      int sub = tree_open_dir_at (fd, name);
      g_assert_cmpint (sub, >=, 0);
      close (fd);
      fd = sub;
      if (extras & WITH_LINKS)
        {
          g_assert_no_errno (symlinkat (file_target, fd, "link-file"));
          g_assert_no_errno (symlinkat (dir_target, fd, "link-dir"));
          g_assert_no_errno (symlinkat ("..", fd, "link-up"));
        }
      if (extras & WITH_FILE)
        tree_make_file_at (fd, "file");
      if ((extras & WITH_FIFO) && i % 1000 == 0)
        g_assert_no_errno (mkfifoat (fd, "fifo", 0644));
      if (extras & WITH_WIDE)
        {
          for (guint j = 0; j < WIDE_FILES; j++)
            {
              g_autofree char *file_name = g_strdup_printf ("f%u", j);
              tree_make_file_at (fd, file_name);
            }
          for (guint j = 0; j < 2; j++)
            {
              const char *side_name = j == 0 ? "s0" : "s1";
              g_assert_no_errno (mkdirat (fd, side_name, 0755));
              int side = tree_open_dir_at (fd, side_name);
              g_assert_cmpint (side, >=, 0);
              tree_make_file_at (side, "file");
              g_assert_no_errno (symlinkat (file_target, side, "link-file"));
              close (side);
            }
        }
      if ((extras & WITH_LEAF) && i == depth - 1)
        {
          tree_make_file_at (fd, "leaf");
          g_assert_no_errno (mkfifoat (fd, "leaf-fifo", 0644));
        }
    }
  close (fd);
}

static guint
count_entries_at (int dir_fd)
{
  int fd = openat (dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  DIR *dir = fdopendir (fd);
  g_assert_nonnull (dir);
  guint n = 0;
  struct dirent *entry;
  while ((entry = readdir (dir)) != NULL)
    n += !g_str_equal (entry->d_name, ".") && !g_str_equal (entry->d_name, "..");
  closedir (dir);
  return n;
}

static void
assert_regular_file_at (int dir_fd, const char *name)
{
  struct stat st;
  g_assert_no_errno (fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW));
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_size, ==, 1);
}

/* Walks down a chain of build_chain (with WITH_FILE) after
 * remove_special_files: every level must hold its regular files and
 * directories, and nothing else. */
static void
assert_chain_pruned (int top_fd, const char *name, guint depth, guint extras)
{
  int fd = tree_open_dir_at (top_fd, name);
  for (guint i = 0; i < depth; i++)
    {
      g_assert_cmpint (fd, >=, 0);
      gboolean last = i == depth - 1;
      guint expected = 1 + !last;
      assert_regular_file_at (fd, "file");
      if (extras & WITH_WIDE)
        {
          expected += WIDE_FILES + 2;
          assert_regular_file_at (fd, "f0");
          int side = tree_open_dir_at (fd, "s1");
          g_assert_cmpint (side, >=, 0);
          assert_regular_file_at (side, "file");
          g_assert_cmpuint (count_entries_at (side), ==, 1);
          close (side);
        }
      if ((extras & WITH_LEAF) && last)
        {
          expected += 1;
          assert_regular_file_at (fd, "leaf");
        }
      g_assert_cmpuint (count_entries_at (fd), ==, expected);
      int sub = last ? -1 : tree_open_dir_at (fd, name);
      close (fd);
      fd = sub;
    }
}

static void
test_deep_contents (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  build_chain (fx, fx->tree_fd, "d", DEEP, WITH_LINKS | WITH_FILE | WITH_FIFO);
  guint open_before = tree_count_open_descriptors ();

  limit_descriptors ();
  gboolean ok = remove_tree_contents (fx->tree_fd, &error);
  restore_descriptors ();

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (tree_count_open_descriptors (), ==, open_before);
  g_assert_cmpuint (tree_count_entries (fx->tree), ==, 0);
  assert_outside_intact (fx);
}

static void
test_deep_at (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  make_dir (fx->tree, "kept");
  int gone_parent = tree_open_dir_at (fx->tree_fd, "kept");
  g_assert_cmpint (gone_parent, >=, 0);
  build_chain (fx, gone_parent, "gone", DEEP, WITH_LINKS | WITH_FIFO);

  limit_descriptors ();
  gboolean ok = remove_tree_at (gone_parent, "gone", &error);
  restore_descriptors ();

  g_assert_no_error (error);
  g_assert_true (ok);
  close (gone_parent);
  g_assert_false (exists_no_follow (fx->tree, "kept/gone"));
  g_assert_true (exists_no_follow (fx->tree, "kept"));
  assert_outside_intact (fx);
}

static void
test_deep_special_files (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  build_chain (fx, fx->tree_fd, "d", DEEP, WITH_LINKS | WITH_FILE | WITH_FIFO);
  guint open_before = tree_count_open_descriptors ();

  limit_descriptors ();
  gboolean ok = remove_special_files (fx->tree_fd, &error);
  restore_descriptors ();

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (tree_count_open_descriptors (), ==, open_before);
  assert_chain_pruned (fx->tree_fd, "d", DEEP, 0);
  assert_outside_intact (fx);
}

/* Levels with many entries beside the way down: what a level's listing has
 * still to give when its descriptor is closed must all be visited. */
static void
test_deep_wide_levels (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint depth = 2 * TREE_WALK_MAX_OPEN + 8;
  build_chain (fx, fx->tree_fd, "d", depth, WITH_LINKS | WITH_FILE | WITH_WIDE | WITH_LEAF);

  limit_descriptors ();
  gboolean ok = remove_special_files (fx->tree_fd, &error);
  restore_descriptors ();
  g_assert_no_error (error);
  g_assert_true (ok);
  assert_chain_pruned (fx->tree_fd, "d", depth, WITH_WIDE | WITH_LEAF);

  limit_descriptors ();
  ok = remove_tree_contents (fx->tree_fd, &error);
  restore_descriptors ();
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (tree_count_entries (fx->tree), ==, 0);
  assert_outside_intact (fx);
}

/* Names of NAME_MAX bytes, for directories, files and links, deep. */
static void
test_longest_names (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  char dir_name[NAME_MAX + 1], file_name[NAME_MAX + 1], link_name[NAME_MAX + 1];
  memset (dir_name, 'd', NAME_MAX);
  memset (file_name, 'f', NAME_MAX);
  memset (link_name, 'l', NAME_MAX);
  dir_name[NAME_MAX] = file_name[NAME_MAX] = link_name[NAME_MAX] = '\0';
  g_autofree char *target = g_build_filename (fx->outside, "target.txt", NULL);
  guint depth = 300; /* a path of 77 kB */

  int fd = openat (fx->tree_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  for (guint i = 0; i < depth; i++)
    {
      tree_make_file_at (fd, file_name);
      g_assert_no_errno (symlinkat (target, fd, link_name));
      g_assert_no_errno (mkdirat (fd, dir_name, 0755));
      int sub = tree_open_dir_at (fd, dir_name);
      g_assert_cmpint (sub, >=, 0);
      close (fd);
      fd = sub;
    }
  close (fd);

  limit_descriptors ();
  gboolean ok = remove_special_files (fx->tree_fd, &error);
  restore_descriptors ();
  g_assert_no_error (error);
  g_assert_true (ok);
  fd = openat (fx->tree_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  for (guint i = 0; i < depth; i++)
    {
      assert_regular_file_at (fd, file_name);
      g_assert_cmpuint (count_entries_at (fd), ==, 2);
      int sub = tree_open_dir_at (fd, dir_name);
      g_assert_cmpint (sub, >=, 0);
      close (fd);
      fd = sub;
    }
  g_assert_cmpuint (count_entries_at (fd), ==, 0);
  close (fd);

  limit_descriptors ();
  ok = remove_tree_contents (fx->tree_fd, &error);
  restore_descriptors ();
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (tree_count_entries (fx->tree), ==, 0);
  assert_outside_intact (fx);
}

/* 100000 entries in one directory, a quarter of them links. */
static void
test_flat_many_entries (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *target = g_build_filename (fx->outside, "target.txt", NULL);
  guint n = 100000;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("entry-%u", i);
      if (i % 4 == 0)
        g_assert_no_errno (symlinkat (target, fx->tree_fd, name));
      else
        tree_make_file_at (fx->tree_fd, name);
    }

  gint64 start = g_get_monotonic_time ();
  g_assert_true (remove_special_files (fx->tree_fd, &error));
  g_assert_no_error (error);
  gint64 pruned = g_get_monotonic_time ();
  g_assert_cmpuint (tree_count_entries (fx->tree), ==, n - n / 4);
  gint64 counted = g_get_monotonic_time ();
  g_assert_true (remove_tree_contents (fx->tree_fd, &error));
  g_assert_no_error (error);
  gint64 removed = g_get_monotonic_time ();
  g_test_message ("pruned in %.3f s, removed in %.3f s", (pruned - start) / 1e6,
                  (removed - counted) / 1e6);
  g_assert_cmpuint (tree_count_entries (fx->tree), ==, 0);
  assert_outside_intact (fx);
}

/* A tree moved while it is walked: a directory TREE_WALK_MAX_OPEN levels
 * and more above the bottom is moved into outside, below decoy/decoy/...,
 * when the walk reaches the bottom. Climbing back up from it leads into
 * outside, which the walk must notice and refuse. */
#define MOVED_LEVEL 5
#define RACE_DEPTH (3 * TREE_WALK_MAX_OPEN)

static TreeFixture *racing_fixture;

static void
move_a_level_out (void)
{
  tree_move_level_out (racing_fixture->tree, racing_fixture->outside, MOVED_LEVEL);
}

static void
make_decoys (TreeFixture *fx)
{
  int fd = open (fx->outside, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  for (guint i = 0; i <= MOVED_LEVEL; i++)
    {
      g_assert_no_errno (mkdirat (fd, "decoy", 0755));
      int sub = tree_open_dir_at (fd, "decoy");
      close (fd);
      fd = sub;
      /* The names the tree's levels hold, all of them. */
      tree_make_file_at (fd, "file");
      tree_make_file_at (fd, "link-file");
      tree_make_file_at (fd, "link-dir");
      tree_make_file_at (fd, "link-up");
    }
  close (fd);
}

static void
assert_decoys_intact (TreeFixture *fx)
{
  int fd = open (fx->outside, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  for (guint i = 0; i <= MOVED_LEVEL; i++)
    {
      int sub = tree_open_dir_at (fd, "decoy");
      g_assert_cmpint (sub, >=, 0);
      close (fd);
      fd = sub;
      assert_regular_file_at (fd, "file");
      assert_regular_file_at (fd, "link-file");
      assert_regular_file_at (fd, "link-dir");
      assert_regular_file_at (fd, "link-up");
      /* Its files, the next decoy, and "moved" in the last. */
      g_assert_cmpuint (count_entries_at (fd), ==, 5);
    }
  close (fd);
  assert_file_contents (fx->outside, "target.txt", "keep me");
  assert_file_contents (fx->outside, "target-dir/inner.txt", "keep me too");
  assert_file_contents (fx->outside, "target-dir/nested/deep.txt", "and me");
}

static void
test_contents_moved_while_walked (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  make_decoys (fx);
  build_chain (fx, fx->tree_fd, "d", RACE_DEPTH, WITH_LINKS | WITH_FILE | WITH_LEAF);
  racing_fixture = fx;
  hook_name = "leaf";
  hook = move_a_level_out;

  g_assert_false (remove_tree_contents (fx->tree_fd, &error));
  g_assert_null (hook_name); /* the move happened */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "moved"));
  assert_decoys_intact (fx);
}

static void
test_special_files_moved_while_walked (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  make_decoys (fx);
  build_chain (fx, fx->tree_fd, "d", RACE_DEPTH, WITH_LINKS | WITH_FILE | WITH_LEAF);
  racing_fixture = fx;
  hook_name = "leaf-fifo";
  hook = move_a_level_out;

  g_assert_false (remove_special_files (fx->tree_fd, &error));
  g_assert_null (hook_name);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "moved"));
  assert_decoys_intact (fx);
}

static void
test_open_parent_checks_identity (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  make_dir (fx->tree, "a/b");
  make_dir (fx->tree, "c");
  int a = tree_open_dir_at (fx->tree_fd, "a");
  int c = tree_open_dir_at (fx->tree_fd, "c");
  int b = tree_open_dir_at (a, "b");
  g_assert_cmpint (b, >=, 0);
  struct stat a_st, c_st;
  g_assert_no_errno (fstat (a, &a_st));
  g_assert_no_errno (fstat (c, &c_st));

  int up = tree_walk_open_parent (b, a_st.st_dev, a_st.st_ino, "a", &error);
  g_assert_no_error (error);
  g_assert_cmpint (up, >=, 0);
  close (up);

  g_assert_no_errno (renameat (a, "b", c, "b"));
  up = tree_walk_open_parent (b, a_st.st_dev, a_st.st_ino, "a", &error);
  g_assert_cmpint (up, ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "cannot go back up to a"));
  g_clear_error (&error);

  up = tree_walk_open_parent (b, c_st.st_dev, c_st.st_ino, "c", &error);
  g_assert_no_error (error);
  g_assert_cmpint (up, >=, 0);
  close (up);

  close (a);
  close (b);
  close (c);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, TreeFixture, NULL, tree_setup, fn, tree_teardown)
  /* The biggest trees are made in tmpfs where there is one: ext4 can take
   * a minute to allocate 100000 inodes just after as many were freed. */
#define ADD_BIG(path, fn) g_test_add (path, TreeFixture, "/dev/shm", tree_setup, fn, tree_teardown)
  ADD_BIG ("/remove-tree/deep/contents", test_deep_contents);
  ADD_BIG ("/remove-tree/deep/at", test_deep_at);
  ADD_BIG ("/remove-tree/deep/special-files", test_deep_special_files);
  ADD ("/remove-tree/deep/wide-levels", test_deep_wide_levels);
  ADD ("/remove-tree/deep/longest-names", test_longest_names);
  ADD_BIG ("/remove-tree/flat/many-entries", test_flat_many_entries);
  ADD ("/remove-tree/race/contents-moved-while-walked", test_contents_moved_while_walked);
  ADD ("/remove-tree/race/special-files-moved-while-walked", test_special_files_moved_while_walked);
  ADD ("/remove-tree/race/open-parent-checks-identity", test_open_parent_checks_identity);
#undef ADD_BIG
#undef ADD
  return g_test_run ();
}
