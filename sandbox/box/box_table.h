#pragma once

#include "box.h"
#include "box_stats.h"
#include "sandbox/settings/daemon_config.h"

#include <glib.h>
#include <sys/types.h>

/* All boxes of one daemon: where they live on disk, their cgroups and uids.
 * It is the only place boxes are made, found and destroyed. */
typedef struct _BoxTable BoxTable;

/* Takes config (already checked) and the languages table loaded from it
 * (daemon_config_load_languages). Prepares the state directory and the
 * cgroup parent, then brings back every saved box; a box that cannot be
 * brought back is moved to state_dir/set-aside with the reason in the log. */
BoxTable *box_table_new (DaemonConfig *config, LanguageTable *languages, GError **error);

/* Ends every run and the jails prepared for the next (nothing a box ran
 * outlives the daemon), unmounts quotas and frees; the boxes persist, on
 * disk and in their cgroups, for the next start. */
void box_table_free (BoxTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoxTable, box_table_free)

/* Makes a box owned by owner_uid/owner_gid. Fails with SANDBOX_ERROR_INVALID
 * (bad name), _EXISTS, _QUOTA (the owner's own max_boxes), _NO_SPACE
 * (max_boxes or uids used up) or _FAILED, in
 * which case nothing of it is left. Returns a reference the table keeps. */
Box *box_table_create_box (BoxTable *table, const char *name, uid_t owner_uid, gid_t owner_gid,
                           GError **error);

/* Removes the box's cgroups, files and saved state, and frees its uid. */
gboolean box_table_destroy_box (BoxTable *table, const char *name, GError **error);

/* The box of that name or id, or NULL; a reference the table keeps. */
Box *box_table_find_box (BoxTable *table, const char *name);
Box *box_table_find_box_by_id (BoxTable *table, guint64 id);

guint box_table_count_boxes (BoxTable *table);

/* How many boxes have a run (or a source chain) in progress. */
guint box_table_count_running (BoxTable *table);

/* What the boxes did since the daemon started. */
const BoxStats *box_table_stats (BoxTable *table);

/* Every box, sorted by name: a new array holding its own references. */
GPtrArray *box_table_list_boxes (BoxTable *table);

/* The languages table of the source files, as .languages reads: one
 * block of key:value lines per language (languages_format). */
char *box_table_read_languages (BoxTable *table);

/* A configuration read again (SIGHUP): takes config (checked) and
 * languages in place of the running ones, but for the keys a running
 * daemon cannot change (daemon_config_keep_fixed), which stay as they were,
 * with a warning naming those the file changed. Boxes keep their saved
 * values; the jails prepared for their next runs are built anew. */
void box_table_reload (BoxTable *table, DaemonConfig *config, LanguageTable *languages);

/* A clean shutdown: box_table_free(), then, last of all, the cgroup parent
 * goes if no box is left in it. Whoever waits for that (a test, a unit
 * stopping) then knows that the daemon has released everything else. */
void box_table_close (BoxTable *table);
