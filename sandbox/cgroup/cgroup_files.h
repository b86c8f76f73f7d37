#pragma once

#include <glib.h>

/* Plain file I/O on cgroupfs, as both backends do it: a run's limits are
 * written and its counters read as files (libcgroup adds nothing but cost
 * on this path, which a time limit polls). On cgroupfs an open, a read and
 * a close cost 7-8 us, a pread on a descriptor kept open 0.8 us
 * (measured), so counters a run reads are kept open. */

/* Reads fd from offset 0 to its end (cgroupfs makes a file's text afresh
 * at offset 0); NULL with errno set if it fails. */
char *cgroup_file_read_fd (int fd);

/* Reads the file at path whole; NULL with error. */
char *cgroup_file_read (const char *path, GError **error);

/* Writes value to the file at path (cgroupfs takes a value in one write). */
gboolean cgroup_file_write (const char *path, const char *value, GError **error);

/* In the text of a flat keyed file, "KEY VALUE" lines (cpu.stat,
 * memory.events, cgroup.events; v1's memory.oom_control), key's value;
 * -1 if there is none. */
gint64 cgroup_keyed_value (const char *text, const char *key);

/* The names of the groups in the group at dir (its subdirectories); NULL
 * with error if it cannot be read. */
GPtrArray *cgroup_list_groups (const char *dir, GError **error);

/* SIGKILLs every process the cgroup.procs file at path lists, going round
 * until it lists none (they may fork meanwhile; pids.max bounds how many
 * there can be). TRUE once it is empty; FALSE after about a second. */
gboolean cgroup_kill_listed (const char *path);

/* The limits last written to a group, which are written again only when
 * they change: a judge runs with the same limits again and again, and each
 * write is an open, a write and a close on cgroupfs. */
typedef struct
{
  gboolean written;
  gint64 mem_kib;
  gint64 processes;
} CgroupLimits;

/* TRUE if mem_kib and processes are what was written last. */
gboolean cgroup_limits_unchanged (const CgroupLimits *last, gint64 mem_kib, gint64 processes);

/* Notes what was just written (written FALSE: a write failed, write all again). */
void cgroup_limits_note (CgroupLimits *last, gboolean written, gint64 mem_kib, gint64 processes);

/* pids.max's text for processes (LIMIT_UNLIMITED: "max"). */
char *cgroup_pids_max (gint64 processes);
