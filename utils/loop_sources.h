#pragma once

#include <glib-unix.h>

/* g_unix_fd_add and g_child_watch_add on the default context, for a daemon
 * whose main loop never runs inside a callback. Their sources may therefore
 * recurse, which spares GLib 2.74 taking a source's descriptor (a pidfd, for
 * a child) out of the poll set around each dispatch and putting it back: two
 * writes to the context's eventfd and one more turn of the loop each time
 * (traced: 34 such writes per run of a box). */
guint fd_watch_add (int fd, GIOCondition condition, GUnixFDSourceFunc func, gpointer data);
guint child_watch_add (GPid pid, GChildWatchFunc func, gpointer data);
