#include "errno_map.h"

#include "sandbox/sandbox_error.h"

#include <errno.h>

int
errno_from_error (const GError *error)
{
  static const int sandbox_errnos[] = {
    [SANDBOX_ERROR_INVALID] = EINVAL,
    [SANDBOX_ERROR_OVER_MAXIMUM] = EPERM,
    [SANDBOX_ERROR_EXISTS] = EEXIST,
    [SANDBOX_ERROR_NOT_FOUND] = ENOENT,
    [SANDBOX_ERROR_BUSY] = EBUSY,
    [SANDBOX_ERROR_NO_SPACE] = ENOSPC,
    [SANDBOX_ERROR_QUOTA] = EDQUOT,
    [SANDBOX_ERROR_NOT_PERMITTED] = EPERM,
    [SANDBOX_ERROR_TOO_LONG] = E2BIG,
    [SANDBOX_ERROR_TOO_LARGE] = EFBIG,
    [SANDBOX_ERROR_NOT_SUPPORTED] = ENOTSUP,
    [SANDBOX_ERROR_NOT_INSTALLED] = ENOPKG,
    [SANDBOX_ERROR_FAILED] = EIO,
  };

  if (error == NULL || error->domain != SANDBOX_ERROR || error->code < 0
      || error->code >= (int) G_N_ELEMENTS (sandbox_errnos))
    return EIO;
  return sandbox_errnos[error->code];
}
