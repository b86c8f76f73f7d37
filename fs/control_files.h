#pragma once

#include "sandbox/box/box_stdio.h"

#include <glib.h>
#include <sys/stat.h>

/* The files inside a box directory, from one table. Each kind says how a
 * file's operations map onto the box's API. */
typedef enum
{
  CONTROL_SETTING,  /* a limit, env or dirs: one value per write */
  CONTROL_SETTINGS, /* every setting at once, as NAME=VALUE lines */
  CONTROL_CMD,      /* write starts a run; read gives the last command */
  CONTROL_SOURCE,   /* write compiles and runs a file of box/; read gives its name */
  CONTROL_STATUS,   /* the last run's result */
  CONTROL_OUTPUT,   /* stdout or stderr of the last run */
  CONTROL_CTL,      /* write-only commands */
  CONTROL_STDIN,    /* data, read and written at offsets like a regular file */
  CONTROL_WORK_DIR  /* box/: a link to the real directory */
} ControlKind;

typedef struct
{
  const char *name;
  mode_t mode; /* type and permission bits */
  ControlKind kind;
  BoxOutput output;    /* for CONTROL_OUTPUT */
  gboolean multi_line; /* successive writes through one open build one value */
  gboolean root_only;  /* only root may write it, so it shows as root's, not the owner's */
} ControlFile;

/* Control-file values are at most this long; longer writes get E2BIG. */
#define CONTROL_VALUE_MAX (64 * 1024)

guint control_file_count (void);
const ControlFile *control_file_at (guint index);
/* The file of that name and its index, or NULL. */
const ControlFile *control_file_lookup (const char *name, guint *index);

gboolean control_file_readable (const ControlFile *file);
gboolean control_file_writable (const ControlFile *file);

/* Attributes as the box's owner sees them. */
void control_file_stat (const ControlFile *file, Box *box, struct stat *st);

/* The text a reader sees, taken once per open (direct_io: no page cache);
 * not for stdout and stderr, which are read from their files
 * (box_open_output). */
GBytes *control_file_snapshot (const ControlFile *file, Box *box, GError **error);

/* One write(2): a whole value or command (offset ignored), or for stdin the
 * data at offset, written by caller. Returns how many
 * bytes were taken, or -1. */
gssize control_file_write (const ControlFile *file, Box *box, const char *data, gsize size,
                           goffset offset, const Caller *caller, GError **error);

/* truncate(2) and O_TRUNC. Value files accept size 0 and keep their value
 * until the next write; stdin is cut to size. */
gboolean control_file_truncate (const ControlFile *file, Box *box, goffset size, GError **error);
