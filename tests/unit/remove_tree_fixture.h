#pragma once

#include <glib.h>

/* What the tests of utils/remove_tree.c share (remove_tree_fixture.c).
 *
 * Each test gets two fresh temporary directories: `tree`, whose contents are
 * removed, and `outside`, holding the targets of links planted in `tree`.
 * Whatever `outside` holds must survive. */
typedef struct
{
  char *tree;
  char *outside;
  int tree_fd;
} TreeFixture;

/* data: where to make the directories (NULL: the usual temporary one). */
void tree_setup (TreeFixture *fx, gconstpointer data);
void tree_teardown (TreeFixture *fx, gconstpointer data);

void make_dir (const char *base, const char *relative);
void make_file (const char *base, const char *relative, const char *contents);
void make_link (const char *base, const char *relative, const char *target);
gboolean exists_no_follow (const char *base, const char *relative);
void assert_file_contents (const char *base, const char *relative, const char *expected);
/* What tree_setup put in outside is all there. */
void assert_outside_intact (TreeFixture *fx);

/* unlinkat, wrapped (-Wl,--wrap=unlinkat), for situations a test cannot
 * otherwise set up: a call on fail_name fails with EACCES; a call failing
 * with EISDIR on swap_name has the directory swapped for a link to
 * swap_target first; a call on hook_name runs hook first. tree_teardown
 * clears them. */
int __wrap_unlinkat (int dir_fd, const char *name, int flags);
extern const char *fail_name;
extern const char *swap_name;
extern const char *swap_target;
extern const char *hook_name;
extern void (*hook) (void);
