#pragma once

#include "sandbox/jail_mounts.h"

/* In the proxy, in its new mount namespace: mounts a tmpfs on root_dir, makes
 * every mount of the plan (jail_mounts_plan) under it, and pivots into it.
 * On failure writes why to report_fd and returns FALSE. */
gboolean jail_build_root (const char *root_dir, const JailMount *mounts, guint n_mounts,
                          int report_fd);
