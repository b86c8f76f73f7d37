/* The small parsers in utils/: parse_size_kib, parse_seconds_ms (with
 * format_seconds_ms round trip) and box_name_validate (against a reference
 * of the documented rule). */

#include "fuzz_common.h"

#include "utils/box_name.h"
#include "utils/parse_decimal.h"
#include "utils/parse_size.h"

/* docs/interface.md, "The root of the mount": 1-64 characters of [A-Za-z0-9_.-], not starting with '.'. */
static gboolean
reference_box_name (const char *name)
{
  size_t length = strlen (name);
  if (length < 1 || length > BOX_NAME_MAX || name[0] == '.')
    return FALSE;
  for (size_t i = 0; i < length; i++)
    if (!g_ascii_isalnum (name[i]) && name[i] != '_' && name[i] != '.' && name[i] != '-')
      return FALSE;
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_init_once ();
  g_autofree char *text = fuzz_text (data, size);

  guint64 kib = 0;
  g_autoptr (GError) size_error = NULL;
  if (parse_size_kib (text, &kib, &size_error))
    {
      /* Plain digits are KiB as they are. */
      if (text[0] != '\0' && strspn (text, "0123456789") == strlen (text) && strlen (text) < 19)
        FUZZ_CHECK (kib == g_ascii_strtoull (text, NULL, 10), "'%s' gave %" G_GUINT64_FORMAT, text,
                    kib);
    }
  else
    FUZZ_CHECK (size_error != NULL, "parse_size_kib failed without an error");

  gint64 ms = -1;
  g_autoptr (GError) seconds_error = NULL;
  if (parse_seconds_ms (text, &ms, &seconds_error))
    {
      FUZZ_CHECK (ms >= 0 && ms <= G_GINT64_CONSTANT (7) * 24 * 3600 * 1000,
                  "'%s' gave %" G_GINT64_FORMAT " ms", text, ms);
      g_autofree char *formatted = format_seconds_ms (ms);
      gint64 again = -1;
      FUZZ_CHECK (parse_seconds_ms (formatted, &again, NULL) && again == ms,
                  "'%s' gave %" G_GINT64_FORMAT " ms, formatted '%s' gives %" G_GINT64_FORMAT, text,
                  ms, formatted, again);
    }
  else
    FUZZ_CHECK (seconds_error != NULL, "parse_seconds_ms failed without an error");

  g_autoptr (GError) name_error = NULL;
  gboolean valid = box_name_validate (text, &name_error);
  FUZZ_CHECK (valid == reference_box_name (text), "box name '%s': validate says %d", text, valid);
  FUZZ_CHECK (valid || name_error != NULL, "box_name_validate failed without an error");
  return 0;
}
