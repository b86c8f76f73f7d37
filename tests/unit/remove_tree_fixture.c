/* What the tests of utils/remove_tree.c share (test_remove_tree.c,
 * test_remove_tree_deep.c): their trees, and unlinkat wrapped. */
#include "remove_tree_fixture.h"

#include "tree_helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int __real_unlinkat (int dir_fd, const char *name, int flags);

/* unlinkat, wrapped (-Wl,--wrap=unlinkat), for two situations a test cannot
 * otherwise set up:
 * - a call on the name in fail_name fails with EACCES (the host refusing);
 * - when a call fails with EISDIR on the name in swap_name, the directory is
 *   moved aside and replaced by a link to swap_target before the call
 *   returns, as an untrusted program racing the removal could do;
 * - a call on the name in hook_name first runs hook, to change the tree at
 *   an exact point of a walk. */

const char *fail_name;
const char *swap_name;
const char *swap_target;
/* When set, called (once) just before unlinkat removes the name in hook_name. */
const char *hook_name;
void (*hook) (void);

int
__wrap_unlinkat (int dir_fd, const char *name, int flags)
{
  if (fail_name != NULL && g_str_equal (name, fail_name))
    {
      errno = EACCES;
      return -1;
    }
  if (hook_name != NULL && g_str_equal (name, hook_name))
    {
      hook_name = NULL;
      hook ();
    }
  int result = __real_unlinkat (dir_fd, name, flags);
  if (result < 0 && errno == EISDIR && swap_name != NULL && g_str_equal (name, swap_name))
    {
      swap_name = NULL;
      g_assert_no_errno (renameat (dir_fd, name, dir_fd, "moved-aside"));
      g_assert_no_errno (symlinkat (swap_target, dir_fd, name));
      errno = EISDIR;
    }
  return result;
}

void
make_dir (const char *base, const char *relative)
{
  g_autofree char *path = g_build_filename (base, relative, NULL);
  g_assert_no_errno (g_mkdir_with_parents (path, 0755));
}

void
make_file (const char *base, const char *relative, const char *contents)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (base, relative, NULL);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

void
make_link (const char *base, const char *relative, const char *target)
{
  g_autofree char *path = g_build_filename (base, relative, NULL);
  g_assert_no_errno (symlink (target, path));
}

gboolean
exists_no_follow (const char *base, const char *relative)
{
  g_autofree char *path = g_build_filename (base, relative, NULL);
  struct stat st;
  return lstat (path, &st) == 0;
}

void
assert_file_contents (const char *base, const char *relative, const char *expected)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (base, relative, NULL);
  g_autofree char *contents = NULL;
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, expected);
}

/* data: where to make the directories (NULL: the usual temporary one). */
void
tree_setup (TreeFixture *fx, gconstpointer data)
{
  fx->tree = tree_make_tmp_dir (data, "remove-tree-XXXXXX");
  fx->outside = tree_make_tmp_dir (data, "remove-tree-outside-XXXXXX");
  fx->tree_fd = open (fx->tree, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  g_assert_cmpint (fx->tree_fd, >=, 0);

  make_file (fx->outside, "target.txt", "keep me");
  make_dir (fx->outside, "target-dir/nested");
  make_file (fx->outside, "target-dir/inner.txt", "keep me too");
  make_file (fx->outside, "target-dir/nested/deep.txt", "and me");
}

void
tree_teardown (TreeFixture *fx, gconstpointer data)
{
  fail_name = NULL;
  swap_name = NULL;
  hook_name = NULL;
  if (fx->tree_fd >= 0)
    close (fx->tree_fd);
  tree_remove_all (fx->tree);
  tree_remove_all (fx->outside);
  g_free (fx->tree);
  g_free (fx->outside);
}

void
assert_outside_intact (TreeFixture *fx)
{
  assert_file_contents (fx->outside, "target.txt", "keep me");
  assert_file_contents (fx->outside, "target-dir/inner.txt", "keep me too");
  assert_file_contents (fx->outside, "target-dir/nested/deep.txt", "and me");
  g_assert_cmpuint (tree_count_entries (fx->outside), ==, 2);
}
