#pragma once

#include <glib.h>
#include <sys/types.h>

/* A depth-first walk of a directory tree that an untrusted program may have
 * built and may still change while it is walked, for the tree walkers of
 * remove_tree.c and chown_tree.c.
 *
 * It loops rather than recurses, so its stack does not grow with the depth,
 * and it keeps at most TREE_WALK_MAX_OPEN directories open: deeper, the
 * oldest is closed (the names it had still to give are read into memory
 * first), and it is opened again from its child through "..", checked to be
 * the very directory (device and inode) it was on the way down. A tree moved
 * meanwhile makes the walk fail rather than go on in another directory. The
 * walk itself opens nothing by a name with '/', and nothing but ".." and
 * "."; entries are the visitor's business. */

/* Directories held open at once by a walk, besides one or two for a moment. */
#define TREE_WALK_MAX_OPEN 32

/* Called with every entry NAME (never . or ..) of the directory open as
 * dir_fd, in no particular order. To walk into NAME, the visitor sets
 * *subdir_fd to a descriptor of that directory, opened O_RDONLY |
 * O_DIRECTORY without following a link; the walk then owns it and visits
 * its entries before the rest of dir_fd's. Returning FALSE (with error set)
 * ends the walk. */
typedef gboolean (*TreeVisitFunc) (int dir_fd, const char *name, int *subdir_fd, gpointer data,
                                   GError **error);

/* Called when every entry of a directory walked into has been visited,
 * after it is closed, with its parent open as parent_fd and NAME, its name
 * there. */
typedef gboolean (*TreeLeaveFunc) (int parent_fd, const char *name, gpointer data, GError **error);

/* Visits the tree below the directory open as dir_fd (which is neither
 * moved nor closed). leave may be NULL. */
gboolean tree_walk (int dir_fd, TreeVisitFunc visit, TreeLeaveFunc leave, gpointer data,
                    GError **error);

/* Opens the parent of the directory open as dir_fd and checks that it is the
 * directory with device dev and inode ino; what it calls NAME in messages.
 * Returns the new descriptor, or -1 with error set (G_IO_ERROR_FAILED if it
 * is another directory: the tree was moved). */
int tree_walk_open_parent (int dir_fd, dev_t dev, ino_t ino, const char *name, GError **error);
