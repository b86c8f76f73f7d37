/* The settings file: settings_text_parse on the text written, then
 * box_settings_update with its values, as a user bound by maximums and as
 * root. Refusals are SANDBOX_ERROR with the codes a write may get, and
 * leave the settings as they were; an accepted update reads back through
 * settings_text_format as text that parses and applies again with no
 * change. */

#include "fuzz_common.h"

#include "sandbox/settings/settings_text.h"
#include "sandbox/sandbox_error.h"

static DaemonConfig *config;

static const Caller user = { 1000, 1000 };
static const Caller root = { 0, 0 };

static void
check_refusal (const GError *error, const char *text)
{
  FUZZ_CHECK (error != NULL && error->domain == SANDBOX_ERROR,
              "'%s': refused without a sandbox error", text);
  FUZZ_CHECK (error->code == SANDBOX_ERROR_INVALID || error->code == SANDBOX_ERROR_OVER_MAXIMUM
                  || error->code == SANDBOX_ERROR_NOT_PERMITTED,
              "'%s': refused with unexpected code %d: %s", text, error->code, error->message);
}

/* What updated reads, written to it again, changes nothing. */
static void
check_reads_back (const BoxSettings *updated)
{
  g_autofree char *text = settings_text_format (updated);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) values = NULL;
  FUZZ_CHECK (settings_text_parse (text, &values, &error), "its own text '%s' is refused: %s", text,
              error->message);
  BoxSettings again;
  g_autoptr (GPtrArray) changed = NULL;
  FUZZ_CHECK (box_settings_update (updated, config, &user, values, &again, &changed, &error),
              "its own text '%s' does not apply: %s", text, error->message);
  FUZZ_CHECK (changed->len == 0, "its own text '%s' changes %s", text,
              (const char *) g_ptr_array_index (changed, 0));
  g_autofree char *again_text = settings_text_format (&again);
  FUZZ_CHECK (strcmp (text, again_text) == 0, "'%s' reads back as '%s'", text, again_text);
  box_settings_clear (&again);
}

static void
update_as (const BoxSettings *settings, const Caller *caller, GPtrArray *values, const char *text)
{
  g_autofree char *before = settings_text_format (settings);
  BoxSettings updated;
  g_autoptr (GPtrArray) changed = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok = box_settings_update (settings, config, caller, values, &updated, &changed, &error);
  g_autofree char *after = settings_text_format (settings);
  FUZZ_CHECK (strcmp (before, after) == 0, "'%s' changed the settings it updates", text);
  if (!ok)
    {
      check_refusal (error, text);
      return;
    }
  FUZZ_CHECK (changed->len <= values->len, "'%s': more changes than values", text);
  check_reads_back (&updated);
  box_settings_clear (&updated);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_init_once ();
  if (config == NULL)
    {
      config = daemon_config_new ();
      g_autoptr (GError) error = NULL;
      FUZZ_CHECK (daemon_config_set (config, "max_mem", "1G", &error), "max_mem: %s",
                  error->message);
    }
  g_autofree char *text = fuzz_text (data, size);
  g_autoptr (GPtrArray) values = NULL;
  g_autoptr (GError) error = NULL;
  if (!settings_text_parse (text, &values, &error))
    {
      FUZZ_CHECK (g_error_matches (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID),
                  "'%s': the lines refused without INVALID", text);
      FUZZ_CHECK (values == NULL, "'%s': values despite a refusal", text);
      return 0;
    }
  BoxSettings settings;
  box_settings_init (&settings, config);
  update_as (&settings, &user, values, text);
  update_as (&settings, &root, values, text);
  box_settings_clear (&settings);
  return 0;
}
