#pragma once

#include "box_shared.h"
#include "sandbox/settings/box_record.h"

#include <glib.h>
#include <sys/types.h>

/* One box: its settings, its files on disk, and (from the run issue on) its
 * runs. Boxes are made and destroyed by the BoxTable (box_table.h); the calls
 * here are what the files inside a box do. Every call that changes a setting
 * saves the box's state before it returns. */
typedef struct _Box Box;

/* box/ belongs to the box's owner between runs, to its uid during them. */
#define BOX_WORK_DIR_MODE 0700

typedef enum
{
  BOX_IDLE,    /* no run since the box was made or reset */
  BOX_RUNNING, /* a run is in progress */
  BOX_DONE,    /* the last run ended; its result is in status */
} BoxState;

/* Which captured output of the last run. */
typedef enum
{
  BOX_STDOUT,
  BOX_STDERR,
} BoxOutput;

/* A box with default settings whose files live in dir (which must exist). */
Box *box_new (const BoxShared *shared, guint64 id, const char *name, const char *dir,
              guint uid_index, uid_t owner_uid, gid_t owner_gid);

/* A box brought back from its saved record. A saved value that no longer
 * parses fails the whole box (SANDBOX_ERROR_INVALID); maximums are not
 * checked again: the values were accepted when they were written. */
Box *box_new_from_record (const BoxShared *shared, guint64 id, const char *dir, guint uid_index,
                          const BoxRecord *record, GError **error);

/* Makes the state directory of a removed box, open as dir_fd, fit for a
 * new one (state_trash.h): box/ emptied and root's, the files of the layout
 * emptied, anything else (a quota's image) removed. Only system calls on
 * dir_fd: safe on another thread. */
gboolean box_clean_state_dir (int dir_fd, GError **error);

/* Reads the saved record of the box whose state directory is dir. */
BoxRecord *box_read_record (const char *dir, GError **error);

Box *box_ref (Box *box);
void box_unref (Box *box);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Box, box_unref)

/* A number unique among all boxes of this daemon's lifetime, never reused. */
guint64 box_get_id (const Box *box);
const char *box_get_name (const Box *box);
guint box_get_uid_index (const Box *box);
uid_t box_get_uid (const Box *box);
gid_t box_get_gid (const Box *box);
uid_t box_get_owner_uid (const Box *box);
gid_t box_get_owner_gid (const Box *box);
/* The permission bits of the box's directory (BOX_DEFAULT_MODE at first). */
guint box_get_mode (const Box *box);
gboolean box_set_mode (Box *box, guint mode, GError **error);
/* Gives the box, and what its owner had in box/, to another user. */
gboolean box_set_owner (Box *box, uid_t owner_uid, gid_t owner_gid, GError **error);

/* The host path of box/, the program's working directory. */
const char *box_get_work_dir (const Box *box);
BoxState box_get_state (const Box *box);

/* Set when the box is destroyed; every call below then fails with
 * SANDBOX_ERROR_NOT_FOUND, while references held elsewhere stay valid. */
void box_mark_removed (Box *box);

/* With a quota, box/ is a filesystem of its own (box_quota.h): mounts it
 * unless it is mounted (making it if it does not exist yet). Without one,
 * does nothing. For the table, when it loads a box. */
gboolean box_mount_quota (Box *box, GError **error);
/* Unmounts it, if mounted; its image keeps the files. Before rmdir, and when
 * the daemon stops. */
gboolean box_unmount_quota (Box *box, GError **error);

/* Saves the box's record atomically (a new file renamed over the old). */
gboolean box_save (Box *box, GError **error);

char *box_read_setting (Box *box, const char *name);
/* Configured maximums bind everyone but root; `dirs` is root's alone. */
gboolean box_write_setting (Box *box, const char *name, const char *text,
                            const Caller *caller, GError **error);

/* The last command, "" if none. */
char *box_read_cmd (Box *box);
/* Starts a run of cmd, split into argv by shell quoting rules. */
gboolean box_start_run (Box *box, const char *cmd, GError **error);

/* The last source file written to source, "" if none. */
char *box_read_source (Box *box);
/* Compiles and runs the file name of box/ (one path component), as the
 * languages table says: the compile step, if the language has one, runs in
 * the box like any run under the language's compile limits; when it
 * succeeds the run step follows at once under the box's limits. The box
 * is running until the chain ends, and its result is the last step's, with
 * a stage key. Fails with SANDBOX_ERROR_BUSY (a run in progress),
 * _INVALID (a bad name, not a regular file, an unknown language),
 * _NOT_FOUND (no such file), _NOT_INSTALLED (the language's requires is
 * missing) or _FAILED (no languages table, the host). docs/interface.md. */
gboolean box_start_source (Box *box, const char *name, const Caller *caller, GError **error);

/* Hands box/ and what is in it to the box's uid for a run (to_program), or
 * back to the box's owner; see chown_tree() for what is never touched. */
gboolean box_hand_work_dir (Box *box, gboolean to_program, GError **error);

/* Called once when the current run ends (or the box is destroyed during it). */
typedef void (*BoxRunEndFunc) (Box *box, gpointer data);
gpointer box_watch_run_end (Box *box, BoxRunEndFunc func, gpointer data);
void box_unwatch_run_end (Box *box, gpointer handle);

/* Orders the sandbox of the next run ahead of its command (jail.h,
 * jail_builder.h), unless one is ordered, or the box has no builder
 * (prepare_runs=false). Done by the box itself as each run starts (or ends,
 * where joining cgroups is slow: favor_dynmods), and again when a setting
 * it was built with changes. */
void box_prepare_next_run (Box *box);

/* The box's cmd or source was opened for writing: a run is likely to
 * follow. Its prepared sandbox gets ready for the launch meanwhile
 * (jail_warm): its program-to-be wakes, on a CPU that may have been idle,
 * and joins the cgroups while the command is on its way. */
void box_expect_run (Box *box);

/* The same for a new box, as a spare order (jail_builder_order): a box
 * made and never run would hold a sandbox for nothing, so only a few new
 * boxes (prepare_new_boxes) do at once. */
void box_prepare_first_run (Box *box);

/* Kills the current run and the sandbox prepared for the next, and waits
 * until nothing of them is left, without a result; watchers are told. For
 * rmdir and the daemon's stop; the next start reports the run as
 * interrupted. */
void box_abort_run (Box *box);

/* At load: if a run was in progress when the daemon last stopped, kills
 * whatever is left of it and makes its result XX, saying so. */
void box_recover_interrupted_run (Box *box);

/* The result of the last run in IOI isolate's meta format, after "state:". */
char *box_read_status (Box *box);
/* What the last run wrote to stdout or stderr. */
GBytes *box_read_output (Box *box, BoxOutput which, GError **error);

/* A command written to ctl: "kill" or "reset". */
gboolean box_control (Box *box, const char *command, GError **error);

/* The stdin file: data given to the next run, read and written like a
 * regular file, up to the configured max_stdin. */
gssize box_stdin_read (Box *box, char *buffer, gsize size, goffset offset, GError **error);
gssize box_stdin_write (Box *box, const char *data, gsize size, goffset offset, GError **error);
gboolean box_stdin_truncate (Box *box, goffset size, GError **error);
goffset box_stdin_size (Box *box);
