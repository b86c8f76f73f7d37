#pragma once

#include <glib.h>

/* The `env` setting: the program's environment beyond the built-in default,
 * one VAR=value per line. A later line for the same VAR replaces an earlier
 * one; empty lines are skipped. Fails with SANDBOX_ERROR_INVALID naming the
 * bad line. On success *rules holds canonical "VAR=value" strings. */
gboolean env_rules_parse (const char *text, GStrv *rules, GError **error);

/* One rule per line, each ending in a newline; "" when there are none. */
char *env_rules_format (const char *const *rules);
