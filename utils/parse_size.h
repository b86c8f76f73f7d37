#pragma once

#include <glib.h>

/* Parses a size given in KiB, with an optional binary suffix: K (KiB, the
 * default unit), M, G or T, in either case, optionally followed by "B" or
 * "iB" ("64M", "64MiB", "65536"). Fails with G_IO_ERROR_INVALID_ARGUMENT. */
gboolean parse_size_kib (const char *text, guint64 *kib, GError **error);
