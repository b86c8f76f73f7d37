#pragma once

#include "sandbox/jail/jail_mounts.h"

/* In the proxy, in its new mount namespace: mounts a tmpfs on root_dir, makes
 * every mount of the plan (jail_mounts_plan) under it, and pivots into it.
 * With lasting_only, the per-run mounts (jail_mount_is_per_run) get their
 * mount points only: the tree is a box's root template (jail_wire.h). On
 * failure writes why to report_fd and returns FALSE. */
gboolean jail_build_root (const char *root_dir, const JailMount *mounts, guint n_mounts,
                          gboolean lasting_only, int report_fd);

/* In a copy of a root template, as root: makes the plan's per-run mounts,
 * on the mount points the template has. FALSE, and why on report_fd, if
 * one fails. */
gboolean jail_mount_per_run (const JailMount *mounts, guint n_mounts, int report_fd);
