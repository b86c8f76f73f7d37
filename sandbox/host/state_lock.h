#pragma once

#include <glib.h>

/* One daemon per state directory. Two daemons sharing one would hand the
 * same box uid to different boxes and each lose track of the boxes the other
 * removes, so a daemon holds an exclusive lock (flock) on STATE_DIR/daemon.lock
 * for as long as it runs, taken before it touches anything else there. The
 * file says who holds it: the daemon's pid and the mount point it serves,
 * for the refusal a second daemon prints. The kernel drops the lock when the
 * daemon dies, however it dies. */
typedef struct _StateLock StateLock;

/* Makes state_dir if it does not exist, and takes its lock for a daemon
 * serving mountpoint. If another daemon holds it, fails with
 * SANDBOX_ERROR_BUSY naming that daemon's pid and mount point, having
 * changed nothing. */
StateLock *state_lock_take (const char *state_dir, const char *mountpoint, GError **error);

/* Who holds state_dir's lock, as the refusal of a second daemon names it
 * ("isolatefs pid 4242, serving /isolate"), or NULL when no daemon does.
 * Takes no lock itself (it looks in /proc/locks), so a daemon starting at
 * the same moment is not turned away by the look. */
char *state_lock_holder (const char *state_dir);

/* Names the calling process as the holder: after the daemon forked into
 * the background, its pid is no longer the one written. */
void state_lock_claim (StateLock *lock);

/* Releases the lock; the file stays, to be taken again. */
void state_lock_release (StateLock *lock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StateLock, state_lock_release)
