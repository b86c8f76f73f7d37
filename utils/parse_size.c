#include "parse_size.h"

#include <gio/gio.h>
#include <string.h>

/* Multiplier to KiB of a unit letter, or 0 if it is not one. */
static guint64
unit_in_kib (char letter)
{
  switch (g_ascii_toupper (letter))
    {
    case 'K':
      return 1;
    case 'M':
      return G_GUINT64_CONSTANT (1) << 10;
    case 'G':
      return G_GUINT64_CONSTANT (1) << 20;
    case 'T':
      return G_GUINT64_CONSTANT (1) << 30;
    default:
      return 0;
    }
}

static gboolean
is_unit_tail (const char *tail)
{
  return *tail == '\0' || g_ascii_strcasecmp (tail, "B") == 0
         || g_ascii_strcasecmp (tail, "iB") == 0;
}

gboolean
parse_size_kib (const char *text, guint64 *kib, GError **error)
{
  const char *p = text;
  while (g_ascii_isdigit (*p))
    p++;
  if (p == text)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "'%s' is not a size (a number of KiB, or with a K/M/G/T suffix)", text);
      return FALSE;
    }

  g_autofree char *digits = g_strndup (text, p - text);
  guint64 number = 0;
  guint64 unit = 1;
  if (*p != '\0')
    {
      unit = unit_in_kib (*p);
      if (unit == 0 || !is_unit_tail (p + 1))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "'%s' has an unknown unit (use K, M, G or T)", text);
          return FALSE;
        }
    }

  /* Sizes are kept in gint64 elsewhere, where G_MAXINT64 means unlimited. */
  if (!g_ascii_string_to_unsigned (digits, 10, 0, (G_MAXINT64 - 1) / unit, &number, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "'%s' is too large", text);
      return FALSE;
    }
  *kib = number * unit;
  return TRUE;
}
