#pragma once

#include <glib.h>

/* Where rmdir puts a box's state directory: renamed at once into
 * STATE_DIR/trash, then handled by a thread of its own. Deleting a box's
 * files (ext4 unlinks) took 0.7-0.9 ms of each rmdir (traced), which the
 * caller need not wait for: the box is gone once the rename is done.
 *
 * The thread does not delete the directory if it can help it: it empties
 * it for a new box (clean, given by the box layer) and keeps it in
 * STATE_DIR/spare, up to a few. Creating and deleting inodes was most of
 * mkdir's time on a filesystem where many were deleted lately (ext4's
 * allocator skips recently deleted inodes one by one: recently_deleted in
 * perf). Both directories are root's, 0700, out of every box's and user's
 * reach; a daemon deletes what is in them when it starts. */
typedef struct _StateTrash StateTrash;

/* Empties the state directory of a removed box, open as dir_fd, for a new
 * box; FALSE (with why) if it cannot be reused. Called on the thread. */
typedef gboolean (*StateTrashCleanFunc) (int dir_fd, GError **error);

/* Opens (making them if need be) STATE_DIR/trash and STATE_DIR/spare and
 * empties them. */
StateTrash *state_trash_new (const char *state_dir, StateTrashCleanFunc clean, GError **error);

/* Waits for the work under way, then frees. */
void state_trash_free (StateTrash *trash);

/* Moves NAME, in the directory open as dir_fd, into the trash. Fails,
 * leaving NAME where it was, only if it cannot be moved. */
gboolean state_trash_take (StateTrash *trash, int dir_fd, const char *name, GError **error);

/* Moves a spare directory to NAME in the directory open as dir_fd; FALSE
 * if there is none. */
gboolean state_trash_reuse (StateTrash *trash, int dir_fd, const char *name);
