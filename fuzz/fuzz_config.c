/* The daemon's configuration: the input is used twice.
 *  1. Split into lines "key=value", each given to daemon_config_set (as -o
 *     options are).
 *  2. Written to a temporary file and loaded with daemon_config_load_file
 *     (a GKeyFile with an [isolatefs] group).
 * Neither may crash; a failure must come with an error; daemon_config_check
 * must not crash on whatever was set. */

#include "fuzz_common.h"

#include "sandbox/settings/daemon_config.h"

#include <unistd.h>

static char *tmp_path;

static void
check_config (DaemonConfig *config)
{
  g_autoptr (GError) error = NULL;
  if (!daemon_config_check (config, &error))
    FUZZ_CHECK (error != NULL, "check failed without an error");
  for (guint i = 0; i < 4; i++)
    {
      daemon_config_box_uid (config, i);
      daemon_config_box_gid (config, i);
    }
}

static void
set_keys (const char *text)
{
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *equals = strchr (lines[i], '=');
      if (equals == NULL)
        {
          /* A bare key: its presence only. */
          daemon_config_has_key (lines[i]);
          continue;
        }
      *equals = '\0';
      const char *key = lines[i], *value = equals + 1;
      g_autoptr (GError) error = NULL;
      gboolean ok = daemon_config_set (config, key, value, &error);
      FUZZ_CHECK (ok || error != NULL, "'%s' failed without an error", key);
      FUZZ_CHECK (!ok || daemon_config_has_key (key), "'%s' accepted but not a key", key);
    }
  check_config (config);
}

static void
load_file (const uint8_t *data, size_t size)
{
  if (tmp_path == NULL)
    {
      g_autoptr (GError) error = NULL;
      int fd = g_file_open_tmp ("fuzz-config-XXXXXX.conf", &tmp_path, &error);
      FUZZ_CHECK (fd >= 0, "cannot make a temporary file: %s", error->message);
      close (fd);
    }
  FUZZ_CHECK (g_file_set_contents (tmp_path, (const char *) data, (gssize) size, NULL),
              "cannot write %s", tmp_path);

  g_autoptr (DaemonConfig) config = daemon_config_new ();
  g_autoptr (GError) error = NULL;
  gboolean ok = daemon_config_load_file (config, tmp_path, &error);
  FUZZ_CHECK (ok ? error == NULL : error != NULL, "load gave %d with error %s", ok,
              error != NULL ? error->message : "(none)");
  check_config (config);
}

static void
remove_tmp (void)
{
  if (tmp_path != NULL)
    unlink (tmp_path);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_init_once ();
  static gboolean registered = FALSE;
  if (!registered)
    {
      registered = TRUE;
      atexit (remove_tmp);
    }
  g_autofree char *text = fuzz_text (data, size);
  set_keys (text);
  load_file (data, size);
  return 0;
}
