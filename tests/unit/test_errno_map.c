/* fs/errno_map.c: which errno a filesystem call answers for each error. */
#include "fs/errno_map.h"
#include "sandbox/sandbox_error.h"

#include <errno.h>
#include <gio/gio.h>

static int
errno_of (GQuark domain, gint code)
{
  g_autoptr (GError) error = g_error_new_literal (domain, code, "test");
  return errno_from_error (error);
}

static void
test_every_sandbox_error_code (void)
{
  const struct
  {
    SandboxError code;
    int errno_value;
  } table[] = {
    { SANDBOX_ERROR_INVALID, EINVAL },
    { SANDBOX_ERROR_OVER_MAXIMUM, EPERM },
    { SANDBOX_ERROR_EXISTS, EEXIST },
    { SANDBOX_ERROR_NOT_FOUND, ENOENT },
    { SANDBOX_ERROR_BUSY, EBUSY },
    { SANDBOX_ERROR_NO_SPACE, ENOSPC },
    { SANDBOX_ERROR_QUOTA, EDQUOT },
    { SANDBOX_ERROR_NOT_PERMITTED, EPERM },
    { SANDBOX_ERROR_TOO_LONG, E2BIG },
    { SANDBOX_ERROR_TOO_LARGE, EFBIG },
    { SANDBOX_ERROR_NOT_SUPPORTED, ENOTSUP },
    { SANDBOX_ERROR_NOT_INSTALLED, ENOPKG },
    { SANDBOX_ERROR_FAILED, EIO },
  };
  /* One row per code: a new code must be added here too. */
  G_STATIC_ASSERT (G_N_ELEMENTS (table) == SANDBOX_ERROR_FAILED + 1);
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_test_message ("code %d", table[i].code);
      g_assert_cmpint (errno_of (SANDBOX_ERROR, table[i].code), ==, table[i].errno_value);
    }
}

static void
test_other_domains_are_eio (void)
{
  /* Even where the other domain's code reads like one of ours. */
  g_assert_cmpint (errno_of (G_IO_ERROR, G_IO_ERROR_NOT_FOUND), ==, EIO);
  g_assert_cmpint (errno_of (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT), ==, EIO);
  g_assert_cmpint (errno_of (G_IO_ERROR, G_IO_ERROR_EXISTS), ==, EIO);
  g_assert_cmpint (errno_of (G_FILE_ERROR, G_FILE_ERROR_NOENT), ==, EIO);
  g_assert_cmpint (errno_of (G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE), ==, EIO);
  g_assert_cmpint (errno_of (g_quark_from_static_string ("other-error"), 0), ==, EIO);
}

static void
test_unknown_sandbox_codes_are_eio (void)
{
  g_assert_cmpint (errno_of (SANDBOX_ERROR, SANDBOX_ERROR_FAILED + 1), ==, EIO);
  g_assert_cmpint (errno_of (SANDBOX_ERROR, 1000), ==, EIO);
  g_assert_cmpint (errno_of (SANDBOX_ERROR, -1), ==, EIO);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/errno-map/every-sandbox-error-code", test_every_sandbox_error_code);
  g_test_add_func ("/errno-map/other-domains-are-eio", test_other_domains_are_eio);
  g_test_add_func ("/errno-map/unknown-sandbox-codes-are-eio", test_unknown_sandbox_codes_are_eio);
  return g_test_run ();
}
