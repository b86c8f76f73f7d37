/* utils/remove_tree.c: removing a tree without following symbolic links
 * (the trees: remove_tree_fixture.h). Deep, wide and raced trees are in
 * test_remove_tree_deep.c. */
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

static void
test_contents_empties_nested_tree (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  make_dir (fx->tree, "a/b/c");
  make_dir (fx->tree, "empty");
  make_file (fx->tree, "top.txt", "x");
  make_file (fx->tree, "a/one.txt", "1");
  make_file (fx->tree, "a/b/c/deep.txt", "deep");

  g_assert_true (remove_tree_contents (fx->tree_fd, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_test (fx->tree, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (tree_count_entries (fx->tree), ==, 0);
}

static void
test_contents_removes_link_to_outside_file_not_target (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *target = g_build_filename (fx->outside, "target.txt", NULL);
  make_dir (fx->tree, "sub");
  make_link (fx->tree, "file-link", target);
  make_link (fx->tree, "sub/file-link", target);

  g_assert_true (remove_tree_contents (fx->tree_fd, &error));
  g_assert_no_error (error);

  g_assert_false (exists_no_follow (fx->tree, "file-link"));
  g_assert_cmpuint (tree_count_entries (fx->tree), ==, 0);
  assert_outside_intact (fx);
}

static void
test_contents_does_not_descend_into_linked_directory (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *target = g_build_filename (fx->outside, "target-dir", NULL);
  make_dir (fx->tree, "sub/deeper");
  make_link (fx->tree, "dir-link", target);
  make_link (fx->tree, "sub/deeper/dir-link", target);
  make_link (fx->tree, "sub/parent-link", "..");
  make_link (fx->tree, "self-link", ".");

  g_assert_true (remove_tree_contents (fx->tree_fd, &error));
  g_assert_no_error (error);

  g_assert_false (exists_no_follow (fx->tree, "dir-link"));
  g_assert_cmpuint (tree_count_entries (fx->tree), ==, 0);
  assert_outside_intact (fx);
}

static void
test_contents_removes_dangling_link_and_fifo (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *fifo = g_build_filename (fx->tree, "fifo", NULL);
  make_link (fx->tree, "dangling", "/nonexistent/remove-tree-test");
  g_assert_no_errno (mkfifo (fifo, 0644));

  g_assert_true (remove_tree_contents (fx->tree_fd, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tree_count_entries (fx->tree), ==, 0);
}

static void
test_contents_removes_many_entries (TreeFixture *fx, gconstpointer data)
{
  /* Enough entries that readdir needs several batches while entries go. */
  g_autoptr (GError) error = NULL;
  make_dir (fx->tree, "sub");
  for (guint i = 0; i < 1500; i++)
    {
      g_autofree char *name = g_strdup_printf ("file-with-a-longish-name-%04u", i);
      g_autofree char *sub_name = g_strdup_printf ("sub/f%u", i);
      make_file (fx->tree, name, "");
      if (i % 5 == 0)
        make_file (fx->tree, sub_name, "");
    }

  g_assert_true (remove_tree_contents (fx->tree_fd, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tree_count_entries (fx->tree), ==, 0);
}

static void
test_contents_twice_is_harmless (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  make_file (fx->tree, "a", "");
  g_assert_true (remove_tree_contents (fx->tree_fd, &error));
  g_assert_no_error (error);
  make_file (fx->tree, "b", "");
  /* The same descriptor, read again from the start. */
  g_assert_true (remove_tree_contents (fx->tree_fd, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tree_count_entries (fx->tree), ==, 0);
}

static void
test_contents_of_regular_file_fails (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->outside, "target.txt", NULL);
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);

  g_assert_false (remove_tree_contents (fd, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  close (fd);
  assert_outside_intact (fx);
}

static void
test_contents_reports_entry_it_cannot_remove (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  make_dir (fx->tree, "sub");
  make_file (fx->tree, "sub/stuck", "x");
  fail_name = "stuck";

  g_assert_false (remove_tree_contents (fx->tree_fd, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "stuck"));
  g_assert_true (exists_no_follow (fx->tree, "sub/stuck"));
}

static void
test_at_removes_file (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  make_file (fx->tree, "gone.txt", "x");
  make_file (fx->tree, "kept.txt", "y");

  g_assert_true (remove_tree_at (fx->tree_fd, "gone.txt", &error));
  g_assert_no_error (error);
  g_assert_false (exists_no_follow (fx->tree, "gone.txt"));
  assert_file_contents (fx->tree, "kept.txt", "y");
}

static void
test_at_removes_directory_tree (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *target = g_build_filename (fx->outside, "target-dir", NULL);
  make_dir (fx->tree, "gone/a/b");
  make_file (fx->tree, "gone/a/b/f", "x");
  make_link (fx->tree, "gone/a/dir-link", target);
  make_dir (fx->tree, "kept");

  g_assert_true (remove_tree_at (fx->tree_fd, "gone", &error));
  g_assert_no_error (error);
  g_assert_false (exists_no_follow (fx->tree, "gone"));
  g_assert_true (exists_no_follow (fx->tree, "kept"));
  assert_outside_intact (fx);
}

static void
test_at_removes_link_to_directory_not_target (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *target = g_build_filename (fx->outside, "target-dir", NULL);
  make_link (fx->tree, "dir-link", target);

  g_assert_true (remove_tree_at (fx->tree_fd, "dir-link", &error));
  g_assert_no_error (error);
  g_assert_false (exists_no_follow (fx->tree, "dir-link"));
  assert_outside_intact (fx);
}

static void
test_at_directory_swapped_for_link_not_followed (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *target = g_build_filename (fx->outside, "target-dir", NULL);
  make_dir (fx->tree, "racy");
  make_file (fx->tree, "racy/f", "x");
  swap_name = "racy";
  swap_target = target;

  /* Failing is fine; descending into the link's target is not. */
  remove_tree_at (fx->tree_fd, "racy", &error);
  g_assert_null (swap_name); /* the swap happened */
  assert_outside_intact (fx);
}

static void
test_at_missing_name_is_ok (TreeFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (remove_tree_at (fx->tree_fd, "missing", &error));
  g_assert_no_error (error);
}

static void
test_special_files_keeps_only_plain_files (TreeFixture *fx, gconstpointer data)
{
  make_dir (fx->tree, "a/b");
  make_file (fx->tree, "a/b/kept.txt", "kept");
  make_file (fx->tree, "top.txt", "top");
  g_autofree char *outside_file = g_build_filename (fx->outside, "target.txt", NULL);
  g_autofree char *outside_dir = g_build_filename (fx->outside, "target-dir", NULL);
  make_link (fx->tree, "a/link-to-file", outside_file);
  make_link (fx->tree, "a/b/link-to-dir", outside_dir);
  make_link (fx->tree, "dangling", "/nonexistent");
  g_autofree char *fifo = g_build_filename (fx->tree, "a/b/fifo", NULL);
  g_assert_no_errno (mkfifo (fifo, 0644));

  g_autoptr (GError) error = NULL;
  g_assert_true (remove_special_files (fx->tree_fd, &error));
  g_assert_no_error (error);

  assert_file_contents (fx->tree, "a/b/kept.txt", "kept");
  assert_file_contents (fx->tree, "top.txt", "top");
  g_assert_false (exists_no_follow (fx->tree, "a/link-to-file"));
  g_assert_false (exists_no_follow (fx->tree, "a/b/link-to-dir"));
  g_assert_false (exists_no_follow (fx->tree, "dangling"));
  g_assert_false (exists_no_follow (fx->tree, "a/b/fifo"));
  g_assert_cmpuint (tree_count_entries (fx->tree), ==, 2);
  assert_outside_intact (fx);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, TreeFixture, NULL, tree_setup, fn, tree_teardown)
  ADD ("/remove-tree/contents/empties-nested-tree", test_contents_empties_nested_tree);
  ADD ("/remove-tree/contents/removes-link-to-file-not-target",
       test_contents_removes_link_to_outside_file_not_target);
  ADD ("/remove-tree/contents/does-not-descend-into-linked-dir",
       test_contents_does_not_descend_into_linked_directory);
  ADD ("/remove-tree/contents/removes-dangling-link-and-fifo",
       test_contents_removes_dangling_link_and_fifo);
  ADD ("/remove-tree/contents/removes-many-entries", test_contents_removes_many_entries);
  ADD ("/remove-tree/contents/twice-is-harmless", test_contents_twice_is_harmless);
  ADD ("/remove-tree/contents/of-regular-file-fails", test_contents_of_regular_file_fails);
  ADD ("/remove-tree/contents/reports-entry-it-cannot-remove",
       test_contents_reports_entry_it_cannot_remove);
  ADD ("/remove-tree/at/removes-file", test_at_removes_file);
  ADD ("/remove-tree/at/removes-directory-tree", test_at_removes_directory_tree);
  ADD ("/remove-tree/at/removes-link-to-dir-not-target",
       test_at_removes_link_to_directory_not_target);
  ADD ("/remove-tree/at/directory-swapped-for-link-not-followed",
       test_at_directory_swapped_for_link_not_followed);
  ADD ("/remove-tree/at/missing-name-is-ok", test_at_missing_name_is_ok);
  ADD ("/remove-tree/special-files/keeps-only-plain-files",
       test_special_files_keeps_only_plain_files);
#undef ADD
  return g_test_run ();
}
