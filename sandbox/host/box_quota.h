#pragma once

#include <glib.h>
#include <sys/types.h>

/* A disk quota for box/: when a box has one, box/ is a filesystem of its own
 * (ext4, no journal) in an image file of exactly that size in the box's
 * state directory, mounted on box/ through a loop device. Whatever a program
 * writes, in one big file, many small ones or deep directories, ends with
 * ENOSPC when the image is full, and the host's filesystem never sees more
 * than the image. Files are real files on disk (they survive a reboot), and
 * box/ stays a real directory for the owner and the program alike. */

/* Makes a sparse image of kib KiB at image_path and an empty ext4 filesystem
 * in it (runs mkfs.ext4, blocking for some tens of milliseconds). */
gboolean box_quota_create (const char *image_path, gint64 kib, GError **error);

/* Mounts the image on work_dir (nosuid, nodev) and gives its root to
 * uid:gid with mode, without the lost+found mkfs makes. Fails with
 * SANDBOX_ERROR_NOT_SUPPORTED if the machine has no loop devices. */
gboolean box_quota_mount (const char *image_path, const char *work_dir, uid_t uid, gid_t gid,
                          guint mode, GError **error);

/* Whether work_dir is a mount point (the quota filesystem is mounted). */
gboolean box_quota_is_mounted (const char *work_dir);

/* Unmounts work_dir if it is mounted; the loop device goes with it. */
gboolean box_quota_unmount (const char *work_dir, GError **error);
