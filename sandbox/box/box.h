#pragma once

#include "box_shared.h"
#include "sandbox/settings/box_record.h"

#include <glib.h>
#include <sys/types.h>

/* One box: who it is, its settings, its files and its runs. The table
 * (box_table.h) makes, finds and destroys boxes; the calls here, in
 * box_run.h, box_source.h and box_stdio.h are what the files inside a box
 * do. Every call that changes a setting saves the box's record before it
 * returns. */
typedef struct _Box Box;

typedef enum
{
  BOX_IDLE,    /* no run since the box was made or reset */
  BOX_RUNNING, /* a run is in progress */
  BOX_DONE,    /* the last run ended; its result is in status */
} BoxState;

/* A box with default settings whose files live in dir (which must exist). */
Box *box_new (const BoxShared *shared, guint64 id, const char *name, const char *dir,
              guint uid_index, uid_t owner_uid, gid_t owner_gid);

/* Its files were moved to dir (mkdir makes them under another name). */
void box_move_dir (Box *box, const char *dir);

/* A box brought back from its saved record. A saved value that no longer
 * parses fails the whole box (SANDBOX_ERROR_INVALID); maximums are not
 * checked again: the values were accepted when they were written. */
Box *box_new_from_record (const BoxShared *shared, guint64 id, const char *dir, guint uid_index,
                          const BoxRecord *record, GError **error);

Box *box_ref (Box *box);
void box_unref (Box *box);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Box, box_unref)

/* A number unique among all boxes of this daemon's lifetime, never reused. */
guint64 box_get_id (const Box *box);
const char *box_get_name (const Box *box);
guint box_get_uid_index (const Box *box);
uid_t box_get_uid (const Box *box);
uid_t box_get_owner_uid (const Box *box);
gid_t box_get_owner_gid (const Box *box);
/* The permission bits of the box's directory (BOX_DEFAULT_MODE at first). */
guint box_get_mode (const Box *box);
gboolean box_set_mode (Box *box, guint mode, GError **error);
/* Gives the box, and what its owner had in box/, to another user. */
gboolean box_set_owner (Box *box, uid_t owner_uid, gid_t owner_gid, GError **error);

/* The jail prepared for the box's next run goes and is ordered anew, for a
 * change from outside the box of what it is built with (the owner, whose
 * default_dirs apply; a reloaded configuration). */
void box_rebuild_jails (Box *box);

/* The host path of box/, the program's working directory. */
const char *box_get_work_dir (const Box *box);
BoxState box_get_state (const Box *box);

/* Set when the box is destroyed; every call below then fails with
 * SANDBOX_ERROR_NOT_FOUND, while references held elsewhere stay valid. */
void box_mark_removed (Box *box);

/* With a quota, box/ is a filesystem of its own (box_quota.h): makes box/
 * agree with the box's quota, mounting (or making) its filesystem, or
 * dropping one an earlier daemon left of another size. For the table, when
 * it loads a box. */
gboolean box_settle_quota (Box *box, GError **error);
/* Unmounts it, if mounted; its image keeps the files. Before rmdir, and when
 * the daemon stops. */
gboolean box_unmount_quota (Box *box, GError **error);

/* Saves the box's record (box_store.h). */
gboolean box_save (Box *box, GError **error);

char *box_read_setting (Box *box, const char *name);
/* Configured maximums bind everyone but root; `dirs` is root's alone to
 * change. Writing the current value changes nothing: no save, and the jail
 * prepared for the next run stands. */
gboolean box_write_setting (Box *box, const char *name, const char *text, const Caller *caller,
                            GError **error);
/* The settings file (settings_text.h): every setting as NAME=VALUE lines.
 * A write sets every setting its lines name, all or none, with at most one
 * save; the others stay. */
char *box_read_settings (Box *box);
gboolean box_write_settings_text (Box *box, const char *text, const Caller *caller, GError **error);

/* A command written to ctl: "kill" or "reset". */
gboolean box_control (Box *box, const char *command, GError **error);
