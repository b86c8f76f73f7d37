/* dir_rules_parse: never crashes; accepted rules are absolute and format to
 * text that parses to the same rules, and formatting is stable. */

#include "fuzz_common.h"

#include "sandbox/settings/dir_rules.h"

static gboolean
rules_equal (GPtrArray *a, GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      const DirRule *x = a->pdata[i], *y = b->pdata[i];
      if (g_strcmp0 (x->inside, y->inside) != 0 || g_strcmp0 (x->outside, y->outside) != 0
          || x->flags != y->flags)
        return FALSE;
    }
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_init_once ();
  g_autofree char *text = fuzz_text (data, size);
  g_autoptr (GPtrArray) rules = NULL;
  g_autoptr (GError) error = NULL;
  if (!dir_rules_parse (text, &rules, &error))
    {
      FUZZ_CHECK (error != NULL, "failed without an error");
      return 0;
    }
  FUZZ_CHECK (rules != NULL, "succeeded without rules");
  for (guint i = 0; i < rules->len; i++)
    {
      const DirRule *rule = rules->pdata[i];
      FUZZ_CHECK (rule->inside != NULL && rule->inside[0] == '/', "rule %u: inside not absolute",
                  i);
    }

  g_autofree char *canonical = dir_rules_format (rules);
  g_autoptr (GPtrArray) again = NULL;
  g_autoptr (GError) again_error = NULL;
  FUZZ_CHECK (dir_rules_parse (canonical, &again, &again_error),
              "input '%s': canonical text '%s' is refused: %s", text, canonical,
              again_error->message);
  FUZZ_CHECK (rules_equal (rules, again), "input '%s': canonical text '%s' parses to other rules",
              text, canonical);
  g_autofree char *canonical_again = dir_rules_format (again);
  FUZZ_CHECK (strcmp (canonical, canonical_again) == 0, "format not stable: '%s' then '%s'",
              canonical, canonical_again);
  return 0;
}
