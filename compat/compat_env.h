#pragma once

#include <glib.h>

/* isolate's environment rules (-e, -E), expanded against the front end's own
 * environment into the daemon's `env` file: "VAR=value" lines. */

/* Applies isolate's rules: with full_env, environ first; then its built-in
 * LIBC_FATAL_STDERR_=1; then each rule in order ("VAR" inherits VAR from
 * environ if set, "VAR=" removes VAR, "VAR=value" sets it). Variables of
 * environ that the env file cannot hold (odd names, values with a newline
 * or not in UTF-8)
 * are skipped. The text ends with a newline (a lone one when empty). */
char *compat_env_render (gboolean full_env, GPtrArray *rules, const char *const *environ);
