/* limit_parse for every LimitId: never crashes, and whatever it accepts reads
 * back (limit_format) as text that parses to the same value again. */

#include "fuzz_common.h"

#include "sandbox/settings/box_limits.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_init_once ();
  g_autofree char *text = fuzz_text (data, size);
  for (LimitId id = 0; id < N_LIMITS; id++)
    {
      g_autoptr (GError) error = NULL;
      gint64 value = -1;
      if (!limit_parse (id, text, &value, &error))
        {
          FUZZ_CHECK (error != NULL && error->message != NULL, "%s: failed without an error",
                      limit_name (id));
          continue;
        }
      FUZZ_CHECK (error == NULL, "%s: succeeded with an error set", limit_name (id));
      FUZZ_CHECK (value >= 0, "%s: '%s' gave negative %" G_GINT64_FORMAT, limit_name (id), text,
                  value);

      g_autofree char *canonical = limit_format (id, value);
      gint64 again = -1;
      g_autoptr (GError) again_error = NULL;
      FUZZ_CHECK (limit_parse (id, canonical, &again, &again_error),
                  "%s: '%s' gave %" G_GINT64_FORMAT ", whose text '%s' is refused: %s",
                  limit_name (id), text, value, canonical, again_error->message);
      FUZZ_CHECK (again == value,
                  "%s: '%s' gave %" G_GINT64_FORMAT " but its text '%s' gives %" G_GINT64_FORMAT,
                  limit_name (id), text, value, canonical, again);

      /* The maximum check must not crash either, whatever the pair. */
      g_autoptr (GError) max_error = NULL;
      limit_check_maximum (id, value, limit_builtin_maximum (id), &max_error);
      g_clear_error (&max_error);
      limit_check_maximum (id, value, value / 2, &max_error);
    }
  return 0;
}
