#pragma once

#include <glib.h>

#define BOX_NAME_MAX 64

/* A box name: 1 to BOX_NAME_MAX characters of [A-Za-z0-9_.-], not starting
 * with '.' (those names are kept for daemon-wide files). Fails with
 * G_IO_ERROR_INVALID_ARGUMENT saying which rule the name breaks. */
gboolean box_name_validate (const char *name, GError **error);
