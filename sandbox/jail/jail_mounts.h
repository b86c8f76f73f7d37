#pragma once

#include "sandbox/jail/shared/jail_protocol.h"

#include <glib.h>

/* The jail's file system, in two halves: the plan (JailMount,
 * jail_protocol.h) is computed here, by the daemon, which sends it to the
 * zygote with the rest of the jail's setup; the proxy builds the root from
 * it (zygote/build_root.h). */

/* The default mounts (/bin, /lib, /lib64, /usr, /etc read-only; /box; /proc;
 * /tmp; /dev and /dev/shm) with dir_rules applied over them, parents before
 * their children. An array of JailMount. With tmp_dir, /tmp and each tmp
 * rule bind a directory of it, named after the path inside ("tmp",
 * "dev:shm" for /dev/shm: a rule's path has no ':'), as isolate names its
 * tmp directories; without, each is a tmpfs. */
GPtrArray *jail_mounts_plan (const char *work_dir, const char *tmp_dir, GPtrArray *dir_rules);

/* Makes the directories of tmp_dir the plan binds, if missing: root's, mode
 * 1777, as a /tmp is. */
gboolean jail_mounts_make_tmp_dirs (GPtrArray *plan, const char *tmp_dir, GError **error);

/* TRUE if the plan's lasting mounts can be built once for a box and kept
 * (jail_protocol.h, JAIL_ROOT_*): no mount lies inside a per-run one, so each
 * run only mounts its per-run ones on a copy of that tree. */
gboolean jail_mounts_can_last (GPtrArray *plan);
