/* box_settings_set then box_settings_get, as a control file write then read:
 * the first byte picks the setting (one of box_settings_names, or an unknown
 * name), the rest is the text written. Whatever get returns, before or after
 * the write and whether it was accepted or not, set must accept and get must
 * give back unchanged. */

#include "fuzz_common.h"

#include "sandbox/settings/box_settings.h"
#include "sandbox/sandbox_error.h"

static DaemonConfig *config;

static void
check_round_trip (BoxSettings *settings, const char *name, const char *input)
{
  g_autofree char *text = box_settings_get (settings, name);
  FUZZ_CHECK (text != NULL, "%s: get gave NULL", name);
  g_autoptr (GError) error = NULL;
  FUZZ_CHECK (box_settings_set (settings, config, name, text, &error),
              "%s: after writing '%s', its text '%s' is refused: %s", name, input, text,
              error->message);
  g_autofree char *again = box_settings_get (settings, name);
  FUZZ_CHECK (strcmp (text, again) == 0, "%s: after writing '%s', '%s' reads back '%s'", name,
              input, text, again);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_init_once ();
  if (config == NULL)
    config = daemon_config_new ();
  if (size == 0)
    return 0;

  const char *const *names = box_settings_names ();
  guint n_names = g_strv_length ((char **) names);
  guint pick = data[0] % (n_names + 1);
  const char *name = pick < n_names ? names[pick] : "no-such-setting";
  g_autofree char *text = fuzz_text (data + 1, size - 1);

  BoxSettings settings;
  box_settings_init (&settings, config);
  g_autoptr (GError) error = NULL;
  gboolean ok = box_settings_set (&settings, config, name, text, &error);
  if (pick == n_names)
    {
      FUZZ_CHECK (!ok && g_error_matches (error, SANDBOX_ERROR, SANDBOX_ERROR_NOT_FOUND),
                  "unknown setting not refused with NOT_FOUND");
      FUZZ_CHECK (box_settings_get (&settings, name) == NULL, "unknown setting has a text");
    }
  else
    {
      FUZZ_CHECK (ok || error != NULL, "%s: failed without an error", name);
      FUZZ_CHECK (ok || error->domain == SANDBOX_ERROR, "%s: error outside SANDBOX_ERROR: %s", name,
                  error->message);
      FUZZ_CHECK (
          ok || error->code == SANDBOX_ERROR_INVALID || error->code == SANDBOX_ERROR_OVER_MAXIMUM,
          "%s: '%s' refused with unexpected code %d: %s", name, text, error->code, error->message);
      check_round_trip (&settings, name, text);
    }
  box_settings_clear (&settings);
  return 0;
}
