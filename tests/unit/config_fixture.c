#include "config_fixture.h"

#include "sandbox/sandbox_error.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

void
config_setup (ConfigFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  fx->config = daemon_config_new ();
  int fd = g_file_open_tmp ("isolatefs-config-XXXXXX.conf", &fx->path, &error);
  g_assert_no_error (error);
  close (fd);
}

void
config_teardown (ConfigFixture *fx, gconstpointer data)
{
  g_unlink (fx->path);
  g_free (fx->path);
  daemon_config_free (fx->config);
}

void
write_config_file (ConfigFixture *fx, const char *contents)
{
  g_autoptr (GError) error = NULL;
  g_file_set_contents (fx->path, contents, -1, &error);
  g_assert_no_error (error);
}

void
set_ok (DaemonConfig *config, const char *key, const char *value)
{
  g_autoptr (GError) error = NULL;
  g_test_message ("setting %s=%s", key, value);
  gboolean ok = daemon_config_set (config, key, value, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

void
assert_set_refused (DaemonConfig *config, const char *key, const char *value)
{
  g_autoptr (GError) error = NULL;
  g_test_message ("refusing %s=%s", key, value);
  g_assert_false (daemon_config_set (config, key, value, &error));
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
  /* The message names the key, for the log. */
  g_assert_nonnull (strstr (error->message, key));
}
