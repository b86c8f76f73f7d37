#pragma once

#include <glib.h>

/* What the tests of the tree walkers (remove_tree, chown_tree) share: making
 * and removing their temporary trees, one component at a time. */

/* A fresh directory below base, or below the usual temporary directory if
 * base is NULL or unusable. */
char *tree_make_tmp_dir (const char *base, const char *pattern);

/* Removes path with rm -rf: independent of the code under test, and of any
 * depth (nftw stops at PATH_MAX). NULL does nothing. */
void tree_remove_all (const char *path);

/* NAME in the directory open as dir_fd, never following a link; -1 if it
 * is not a directory. */
int tree_open_dir_at (int dir_fd, const char *name);
/* A new regular file NAME reading "x". */
void tree_make_file_at (int dir_fd, const char *name);

/* How many entries a directory lists (without . and ..). */
guint tree_count_entries (const char *path);
/* How many descriptors this process has open. */
guint tree_count_open_descriptors (void);

/* Moves tree/d/d/... (level levels of "d") to outside/decoy/.../decoy/moved
 * (level + 1 decoys): what a program racing a walk could do. */
void tree_move_level_out (const char *tree, const char *outside, guint level);
