#pragma once

#include "utils/errno_error.h"

#include <glib.h>

/* Why the sandbox refused or failed something. The fs layer turns each code
 * into one errno (fs/errno_map.c); the message says why, for the log. */
typedef enum
{
  SANDBOX_ERROR_INVALID,       /* a malformed value or command */
  SANDBOX_ERROR_OVER_MAXIMUM,  /* a well-formed value above the configured maximum */
  SANDBOX_ERROR_EXISTS,        /* a box of that name exists */
  SANDBOX_ERROR_NOT_FOUND,     /* no such box or setting */
  SANDBOX_ERROR_BUSY,          /* a run is in progress */
  SANDBOX_ERROR_NO_SPACE,      /* no box can be created: max_boxes or uids used up */
  SANDBOX_ERROR_QUOTA,         /* the caller has as many boxes as their max_boxes */
  SANDBOX_ERROR_NOT_PERMITTED, /* something only root may do */
  SANDBOX_ERROR_TOO_LONG,      /* a value longer than a control file takes */
  SANDBOX_ERROR_TOO_LARGE,     /* data past its configured cap (stdin) */
  SANDBOX_ERROR_NOT_SUPPORTED, /* a feature this build does not have yet */
  SANDBOX_ERROR_NOT_INSTALLED, /* a source's language whose toolchain the host lacks */
  SANDBOX_ERROR_FAILED,        /* the host failed us (I/O, cgroups) */
} SandboxError;

#define SANDBOX_ERROR (sandbox_error_quark ())
GQuark sandbox_error_quark (void);

/* Sets SANDBOX_ERROR_FAILED, "cannot WHAT PATH: " and errnum's text
 * (errno_error_set); returns FALSE, for a caller's return. */
static inline gboolean
sandbox_set_errno_error (GError **error, int errnum, const char *what, const char *path)
{
  return errno_error_set (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, errnum, "cannot %s %s", what,
                          path);
}
