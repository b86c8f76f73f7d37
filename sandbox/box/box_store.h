#pragma once

#include "sandbox/settings/box_record.h"

#include <glib.h>

/* A box's files in its state directory (sandbox/host/state_layout.h): where
 * each one is, the box's saved record and the run marker. */
typedef struct _BoxStore BoxStore;

/* The files of the box whose state directory is dir (which must exist);
 * generation is that of the record saved there last (0: none yet). */
BoxStore *box_store_new (const char *dir, guint64 generation);
void box_store_free (BoxStore *store);

/* The state directory was renamed to dir (a new box's is made under
 * another name, box_table.c). */
void box_store_move (BoxStore *store, const char *dir);

/* box/ in the box's state directory: the program's working directory. */
const char *box_store_work_dir (const BoxStore *store);

/* The host path of one file of the layout (BOX_STDIN_FILE...). */
char *box_store_path (const BoxStore *store, const char *name);

/* box/, open as a directory, never through a link; -1 with error. */
int box_store_open_work_dir (const BoxStore *store, GError **error);

/* Saves record as the next generation (which it sets), over the older of
 * the pair of record files: a save cut short leaves the one before whole. */
gboolean box_store_save (BoxStore *store, BoxRecord *record, GError **error);

/* The newer of the pair of records in the state directory dir that loads;
 * if neither does, why the first did not. */
BoxRecord *box_store_read_record (const char *dir, GError **error);

/* The run marker: what the next start must know of the box's last run. It
 * survives the daemon (SIGKILL, a crash, a stop during a run). */
typedef enum
{
  BOX_RUN_MARK_STOPPED,     /* no run in progress, none cut short */
  BOX_RUN_MARK_RUNNING,     /* a run is starting or in progress: box/ may be the box uid's */
  BOX_RUN_MARK_INTERRUPTED, /* the last run was cut short by the daemon's end */
} BoxRunMark;

gboolean box_store_mark_run (BoxStore *store, BoxRunMark mark, GError **error);
BoxRunMark box_store_run_mark (const BoxStore *store);

/* Makes the state directory of a removed box, open as dir_fd, fit for a
 * new one (state_trash.h): box/ emptied and root's, the files of the layout
 * emptied, anything else (a quota's image) removed. Only system calls on
 * dir_fd: safe on another thread. */
gboolean box_store_clean_dir (int dir_fd, GError **error);
