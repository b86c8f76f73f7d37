#pragma once

#include <glib.h>

/* Where rmdir puts a box's state directory: renamed at once into
 * STATE_DIR/trash, then deleted by a thread of its own. Deleting a box's
 * files (ext4 unlinks) took 0.7-0.9 ms of each rmdir (traced), which the
 * caller need not wait for: the box is gone once the rename is done, and
 * the trash is root's, 0700, out of every box's and user's reach. What a
 * daemon stopped before deleting is deleted at its next start. */
typedef struct _StateTrash StateTrash;

/* Opens (making it if need be) STATE_DIR/trash and empties it. */
StateTrash *state_trash_new (const char *state_dir, GError **error);

/* Waits for the deletions under way, then frees. */
void state_trash_free (StateTrash *trash);

/* Moves NAME, in the directory open as dir_fd, into the trash and has it
 * deleted. Fails, leaving NAME where it was, only if it cannot be moved. */
gboolean state_trash_take (StateTrash *trash, int dir_fd, const char *name, GError **error);
