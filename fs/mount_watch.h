#pragma once

#include <glib.h>

/* Ends the daemon when its mount leaves the daemon's own mount namespace
 * (fusermount3 -u, umount, umount -l). The kernel tells a FUSE daemon only
 * when the last copy of its mount goes, and every process that made a
 * mount namespace while the mount was there (unshare -m, a container,
 * another sandbox tool) holds a copy: without this, the daemon would serve
 * on, unreachable from its own namespace, until the last of them exited. */
typedef struct _MountWatch MountWatch;

/* Watches the mount just made on mountpoint (a path as the kernel shows
 * it: absolute, without links). on_gone is called once, from the main
 * loop, when it is no longer there. NULL (and a warning) if the mount
 * cannot be found or watched: the daemon then ends with the last copy. */
MountWatch *mount_watch_new (const char *mountpoint, GSourceFunc on_gone, gpointer data);
void mount_watch_free (MountWatch *watch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MountWatch, mount_watch_free)
