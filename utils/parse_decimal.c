#include "parse_decimal.h"

#include <gio/gio.h>
#include <string.h>

/* A week: far beyond any useful limit, and small enough that sums of limits
 * never overflow. */
#define MAX_SECONDS 604800

static gboolean
all_digits (const char *text)
{
  for (; *text; text++)
    if (!g_ascii_isdigit (*text))
      return FALSE;
  return TRUE;
}

gboolean
parse_seconds_ms (const char *text, gint64 *ms, GError **error)
{
  const char *dot = strchr (text, '.');
  g_autofree char *whole_part = dot ? g_strndup (text, dot - text) : g_strdup (text);
  const char *fraction = dot ? dot + 1 : "";

  if (!all_digits (whole_part) || !all_digits (fraction)
      || (*whole_part == '\0' && *fraction == '\0'))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "'%s' is not a number of seconds (like 2 or 0.5)", text);
      return FALSE;
    }

  guint64 whole = 0;
  if (*whole_part != '\0'
      && !g_ascii_string_to_unsigned (whole_part, 10, 0, MAX_SECONDS, &whole, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "'%s' is more than %d seconds",
                   text, MAX_SECONDS);
      return FALSE;
    }

  /* Milliseconds from the first three decimals, rounded by the fourth. */
  gsize fraction_len = strlen (fraction);
  gint64 thousandths = 0;
  for (gsize i = 0; i < 3; i++)
    thousandths = thousandths * 10 + (i < fraction_len ? fraction[i] - '0' : 0);
  if (fraction_len > 3 && fraction[3] >= '5')
    thousandths++;

  /* A positive value stays positive: 0 often means "no limit". */
  if (whole == 0 && thousandths == 0 && strspn (fraction, "0") != fraction_len)
    thousandths = 1;

  *ms = (gint64) whole * 1000 + thousandths;
  if (*ms > (gint64) MAX_SECONDS * 1000)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "'%s' is more than %d seconds",
                   text, MAX_SECONDS);
      return FALSE;
    }
  return TRUE;
}

char *
format_seconds_ms (gint64 ms)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%03d", ms / 1000, (int) (ms % 1000));
}
