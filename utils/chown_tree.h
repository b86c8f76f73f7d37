#pragma once

#include <glib.h>
#include <sys/types.h>

/* Hands a tree from one uid to another: every directory and every regular
 * file with a single link below the directory open as dir_fd that from_uid
 * owns goes to to_uid:to_gid. Links are never followed and anything else is
 * left alone, so neither a link nor a hard link planted in the tree can make
 * root give away a file outside it. Any depth will do (see tree_walk.h). */
gboolean chown_tree (int dir_fd, uid_t from_uid, uid_t to_uid, gid_t to_gid, GError **error);
