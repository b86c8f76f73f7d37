#pragma once

#include <glib.h>

/* The filesystem the boxes' /tmp lives on (docs/interface.md, "/tmp"): an
 * ext4 image of max_tmp KiB, STATE_DIR/tmp.img, mounted on STATE_DIR/tmp
 * through a loop device, as a quota's (box_quota.h). On disk, a program's
 * files in /tmp are page cache, which the kernel can write out and reclaim,
 * not memory it must keep; and they cannot fill the state directory's
 * filesystem past the image. Each box has a directory of it (box_tmp.h).
 * What is in it is the runs' own and never outlives them, so the image is
 * made afresh at each start. */

/* Makes and mounts it, after unmounting one a killed daemon left; returns
 * the mount point. NULL with SANDBOX_ERROR_NOT_SUPPORTED where the machine
 * has no loop devices or no mkfs.ext4, or another error. */
char *tmp_volume_mount (const char *state_dir, guint64 size_kib, GError **error);

/* Unmounts it (detached if a jail still holds it) and removes its image. */
void tmp_volume_unmount (const char *state_dir);
