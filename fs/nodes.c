#include "nodes.h"

#include "daemon.h"
#include "errno_map.h"
#include "inodes.h"

#include <errno.h>
#include <string.h>

BoxTable *
boxes_of (fuse_req_t req)
{
  Daemon *daemon = fuse_req_userdata (req);
  return daemon->boxes;
}

Node
resolve_node (fuse_req_t req, fuse_ino_t ino)
{
  Node node = { .kind = NODE_GONE };
  if (ino == FUSE_ROOT_ID)
    node.kind = NODE_ROOT;
  else if ((node.root_file = root_file_of_inode (ino)) != NULL)
    node.kind = NODE_ROOT_FILE;
  else if ((node.box = box_table_find_box_by_id (boxes_of (req), inode_box_id (ino))) == NULL)
    node.kind = NODE_GONE;
  else if (inode_file_index (ino) < 0)
    node.kind = NODE_BOX_DIR;
  else if ((node.file = control_file_at (inode_file_index (ino))) != NULL)
    node.kind = NODE_CONTROL_FILE;
  return node;
}

gboolean
stat_node (fuse_req_t req, fuse_ino_t ino, const Node *node, struct stat *st)
{
  Daemon *daemon = fuse_req_userdata (req);
  memset (st, 0, sizeof *st);
  st->st_ino = ino;
  st->st_atime = st->st_mtime = st->st_ctime = daemon->started;
  switch (node->kind)
    {
    case NODE_GONE:
      return FALSE;
    case NODE_ROOT:
      /* Anyone the mount lets in may make a box; the sticky bit keeps each
       * user's boxes theirs to remove (the kernel checks, default_permissions). */
      st->st_mode = S_IFDIR | S_ISVTX | 0777;
      st->st_nlink = 2 + box_table_count_boxes (daemon->boxes);
      return TRUE;
    case NODE_ROOT_FILE:
      /* Read-only for everyone, root included; size 0 as control files. */
      st->st_mode = S_IFREG | 0444;
      st->st_nlink = 1;
      return TRUE;
    case NODE_BOX_DIR:
      st->st_mode = S_IFDIR | box_get_mode (node->box);
      st->st_nlink = 2;
      st->st_uid = box_get_owner_uid (node->box);
      st->st_gid = box_get_owner_gid (node->box);
      return TRUE;
    case NODE_CONTROL_FILE:
      control_file_stat (node->file, node->box, st);
      return TRUE;
    }
  return FALSE;
}

void
refuse (fuse_req_t req, int err, const char *what, const char *why)
{
  const struct fuse_ctx *ctx = fuse_req_ctx (req);
  /* A failure of the host (EIO) is a warning; a refusal of what a user
   * wrote is a message. */
  GLogLevelFlags level = err == EIO ? G_LOG_LEVEL_WARNING : G_LOG_LEVEL_MESSAGE;
  Daemon *daemon = fuse_req_userdata (req);
  daemon->refused[MIN (err, METRICS_MAX_ERRNO)]++;
  g_log (G_LOG_DOMAIN, level, "%s by uid %u: %s (%s)", what, (guint) ctx->uid, why,
         g_strerror (err));
  fuse_reply_err (req, err);
}

void
reply_error (fuse_req_t req, const char *what, const char *path, const GError *error)
{
  g_autofree char *what_path = g_strdup_printf ("%s %s", what, path);
  refuse (req, errno_from_error (error), what_path, error->message);
}
