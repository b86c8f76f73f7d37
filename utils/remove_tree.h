#pragma once

#include <glib.h>

/* Removes everything inside the directory open as dir_fd, never following a
 * symbolic link: links are removed, not their targets. Safe to run as root on
 * a tree an untrusted program controls, however deep (see tree_walk.h). */
gboolean remove_tree_contents (int dir_fd, GError **error);

/* Removes NAME (a file, a link or a whole directory tree) inside the directory
 * open as parent_fd, with the same care. A missing NAME is not an error. */
gboolean remove_tree_at (int parent_fd, const char *name, GError **error);

/* Leaves only regular files and directories below the directory open as
 * dir_fd: links, FIFOs, sockets and device nodes are removed, never
 * followed. After a run, so that whoever reads box/ as root can neither be
 * redirected to a host file nor block on a FIFO. */
gboolean remove_special_files (int dir_fd, GError **error);
