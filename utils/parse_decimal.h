#pragma once

#include <glib.h>

/* Parses a non-negative decimal number of seconds ("2", "0.5", ".25", "1.")
 * into milliseconds, rounding to the nearest millisecond, except that a
 * positive value never becomes 0 (0 often means "no limit"); at most a week. No sign, exponent
 * or surrounding text. Fails with G_IO_ERROR_INVALID_ARGUMENT. */
gboolean parse_seconds_ms (const char *text, gint64 *ms, GError **error);

/* "1.500" for 1500: seconds with three decimals, the way isolate prints them. */
char *format_seconds_ms (gint64 ms);
