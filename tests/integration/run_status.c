#include "run_status.h"

#include <string.h>

/* Runs cmd in box b and returns the status once the run has ended. */
char *
run (const Mount *mount, const char *cmd)
{
  g_assert_cmpint (put (mount, "b/cmd", cmd), ==, 0);
  char *status = get (mount, "b/status");
  g_assert_nonnull (status);
  g_test_message ("%s ->\n%s", cmd, status);
  g_assert_true (g_str_has_prefix (status, "state:done\n"));
  return status;
}

/* The value of key in a status text, or NULL. */
char *
meta (const char *status, const char *key)
{
  g_autofree char *needle = g_strdup_printf ("\n%s:", key);
  const char *at = strstr (status, needle);
  if (at == NULL)
    return NULL;
  at += strlen (needle);
  return g_strndup (at, strcspn (at, "\n"));
}

void
assert_meta (const char *status, const char *key, const char *expected)
{
  g_autofree char *value = meta (status, key);
  g_assert_cmpstr (value, ==, expected);
}

double
meta_seconds (const char *status, const char *key)
{
  g_autofree char *value = meta (status, key);
  g_assert_nonnull (value);
  return g_ascii_strtod (value, NULL);
}
