#pragma once

#include "sandbox/jail/shared/jail_protocol.h"

/* In the proxy, in its new mount namespace: mounts a tmpfs on root_dir, makes
 * every mount of the plan (jail_mounts_plan) under it, and pivots into it.
 * With lasting_only, the per-run mounts (jail_mount_is_per_run) get their
 * mount points only: the tree is a box's root template (jail_protocol.h).
 * tmpfs_kib sizes a JAIL_MOUNT_TMP without a source. On failure writes why
 * to report_fd and returns false. */
bool jail_build_root (const char *root_dir, const JailMount *mounts, unsigned int n_mounts,
                      uint64_t tmpfs_kib, bool lasting_only, int report_fd);

/* In a copy of a root template, as root: makes the plan's per-run mounts,
 * on the mount points the template has. false, and why on report_fd, if
 * one fails. */
bool jail_mount_per_run (const JailMount *mounts, unsigned int n_mounts, uint64_t tmpfs_kib,
                         int report_fd);
