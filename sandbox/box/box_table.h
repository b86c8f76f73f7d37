#pragma once

#include "box.h"
#include "sandbox/settings/config.h"

#include <glib.h>
#include <sys/types.h>

/* All boxes of one daemon: where they live on disk, their cgroups and uids.
 * It is the only place boxes are made, found and destroyed. */
typedef struct _Sandbox Sandbox;

/* Takes config (already checked, its languages table loaded). Prepares the state directory and the cgroup
 * parent, then brings back every saved box; a box that cannot be brought back
 * is moved to state_dir/set-aside with the reason in the log. */
Sandbox *sandbox_new (SandboxConfig *config, GError **error);

/* Frees memory only: boxes persist, on disk and in their cgroups. */
void sandbox_free (Sandbox *sandbox);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sandbox, sandbox_free)

const SandboxConfig *sandbox_get_config (Sandbox *sandbox);

/* Makes a box owned by owner_uid/owner_gid. Fails with SANDBOX_ERROR_INVALID
 * (bad name), _EXISTS, _QUOTA (the owner's own max_boxes), _NO_SPACE
 * (max_boxes or uids used up) or _FAILED, in
 * which case nothing of it is left. Returns a reference the sandbox keeps. */
Box *sandbox_create_box (Sandbox *sandbox, const char *name, uid_t owner_uid, gid_t owner_gid,
                         GError **error);

/* Removes the box's cgroups, files and saved state, and frees its uid. */
gboolean sandbox_destroy_box (Sandbox *sandbox, const char *name, GError **error);

/* The box of that name or id, or NULL; a reference the sandbox keeps. */
Box *sandbox_find_box (Sandbox *sandbox, const char *name);
Box *sandbox_find_box_by_id (Sandbox *sandbox, guint64 id);

guint sandbox_count_boxes (Sandbox *sandbox);

/* Every box, sorted by name: a new array holding its own references. */
GPtrArray *sandbox_list_boxes (Sandbox *sandbox);

/* The languages table of the source files, as .languages reads: one
 * block of key:value lines per language (languages_format). */
char *sandbox_read_languages (Sandbox *sandbox);

/* A clean shutdown: sandbox_free(), then, last of all, the cgroup parent
 * goes if no box is left in it. Whoever waits for that (a test, a unit
 * stopping) then knows that the daemon has released everything else. */
void sandbox_close (Sandbox *sandbox);
