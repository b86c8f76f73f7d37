#pragma once

#include <glib.h>

typedef gboolean (*DirEntryFunc) (int dir_fd, const char *name, gpointer data, GError **error);

/* Calls func with every entry name of the directory open as dir_fd, but .
 * and .., until one call fails. The descriptor is not moved or closed. */
gboolean dir_for_each_entry (int dir_fd, DirEntryFunc func, gpointer data, GError **error);
