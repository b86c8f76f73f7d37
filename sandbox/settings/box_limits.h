#pragma once

#include <glib.h>

/* The numeric settings of a box: one control file each, one default and one
 * maximum each in the daemon's configuration. */
typedef enum
{
  LIMIT_MEM,           /* KiB, memory + swap of the whole box */
  LIMIT_TIME,          /* ms of CPU time, all processes of the run */
  LIMIT_WALL_TIME,     /* ms of wall-clock time */
  LIMIT_EXTRA_TIME,    /* ms of CPU time allowed past LIMIT_TIME before the kill */
  LIMIT_PROCESSES,     /* processes + threads at once */
  LIMIT_FSIZE,         /* KiB, largest file the program may write */
  LIMIT_STACK,         /* KiB */
  LIMIT_OPEN_FILES,    /* descriptors */
  LIMIT_SHARE_NET,     /* 0 or 1; its maximum 0 forbids sharing the network */
  LIMIT_QUOTA,         /* KiB of disk for box/ (box_quota.h) */
  LIMIT_ADDRESS_SPACE, /* KiB of address space of each process (isolate's -m) */
  LIMIT_CORE,          /* KiB, largest core file a crash may leave */
  N_LIMITS
} LimitId;

/* The value of a limit that was removed. Larger than any real value, so that
 * "value > maximum" needs no special case. */
#define LIMIT_UNLIMITED G_MAXINT64

const char *limit_name (LimitId id);
gboolean limit_lookup (const char *name, LimitId *id);

/* Parses the text of a control file or config value, in the limit's unit,
 * accepting "unlimited" where the limit can be removed. Does not check the
 * configured maximum. Fails with SANDBOX_ERROR_INVALID. */
gboolean limit_parse (LimitId id, const char *text, gint64 *value, GError **error);

/* The canonical text of a value, as a control file reads back. */
char *limit_format (LimitId id, gint64 value);

/* Fails with SANDBOX_ERROR_OVER_MAXIMUM if value is above maximum. */
gboolean limit_check_maximum (LimitId id, gint64 value, gint64 maximum, GError **error);

/* Built-in values, used when the configuration does not set them. */
gint64 limit_builtin_default (LimitId id);
gint64 limit_builtin_maximum (LimitId id);
