#pragma once

#include "box_settings.h"

#include <glib.h>

/* The text of a box's settings file (docs/interface.md, "settings"): every
 * setting as NAME=VALUE lines, so that one write sets many and one read
 * gives them all. A multi-line setting (env, dirs) takes a line per line
 * of its value, and NAME= alone when it is empty. */

/* Every setting, in box_settings_names()' order. */
char *settings_text_format (const BoxSettings *settings);

/* The values (SettingValue, in the order of their first line) that text
 * asks for: each setting once, a multi-line one's lines joined in order.
 * Empty lines are skipped. A line without '=', a name that is no setting,
 * or a one-line setting given twice get SANDBOX_ERROR_INVALID, the message
 * naming the line or the setting. The values themselves are not parsed
 * here (box_settings_update does). */
gboolean settings_text_parse (const char *text, GPtrArray **values, GError **error);
