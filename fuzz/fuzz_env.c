/* env_rules_parse: never crashes; an accepted set formats to text that parses
 * to the same rules, and formatting is stable. */

#include "fuzz_common.h"

#include "sandbox/settings/env_rules.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_init_once ();
  g_autofree char *text = fuzz_text (data, size);
  g_auto (GStrv) rules = NULL;
  g_autoptr (GError) error = NULL;
  if (!env_rules_parse (text, &rules, &error))
    {
      FUZZ_CHECK (error != NULL, "failed without an error");
      return 0;
    }
  FUZZ_CHECK (rules != NULL, "succeeded without rules");
  for (guint i = 0; rules[i] != NULL; i++)
    FUZZ_CHECK (strchr (rules[i], '=') != NULL && strchr (rules[i], '\n') == NULL,
                "rule '%s' is not one VAR=value line", rules[i]);

  g_autofree char *canonical = env_rules_format ((const char *const *) rules);
  g_auto (GStrv) again = NULL;
  g_autoptr (GError) again_error = NULL;
  FUZZ_CHECK (env_rules_parse (canonical, &again, &again_error),
              "canonical text '%s' is refused: %s", canonical, again_error->message);
  FUZZ_CHECK (g_strv_equal ((const char *const *) rules, (const char *const *) again),
              "canonical text '%s' parses to other rules", canonical);
  g_autofree char *canonical_again = env_rules_format ((const char *const *) again);
  FUZZ_CHECK (strcmp (canonical, canonical_again) == 0, "format not stable: '%s' then '%s'",
              canonical, canonical_again);
  return 0;
}
