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

/* Makes box/ (work_dir) what a quota of kib KiB (LIMIT_UNLIMITED: none)
 * asks for, whatever an earlier daemon left there, killed in the middle
 * of a change or not: with none, a plain directory and no image; else the
 * image of exactly that size mounted on it (nosuid, nodev; made empty if
 * there is none of that size, with its root given to uid:gid with mode).
 * An image of another size is removed: the quota is saved before box/ is
 * changed to it, and changes only while box/ is empty (box.c). Fails with
 * SANDBOX_ERROR_NOT_SUPPORTED if the machine has no loop devices or no
 * mkfs.ext4. */
gboolean box_quota_settle (const char *image_path, const char *work_dir, gint64 kib, uid_t uid,
                           gid_t gid, guint mode, GError **error);

/* Unmounts work_dir if it is mounted; the loop device goes with it (once
 * no other mount namespace holds a copy of the mount). */
gboolean box_quota_unmount (const char *work_dir, GError **error);
