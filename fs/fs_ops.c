#include "fs_ops.h"

#include "file_ops.h"
#include "inodes.h"
#include "nodes.h"

#include <errno.h>

/* Box directories and control files change only through this mount, which
 * invalidates them itself; a short cache saves round trips for `cat`. */
#define CACHE_SECONDS 1.0

/* Names are kept longer: a box goes only by rmdir on this mount, which the
 * kernel sees (its inode number is never given to another box), and a
 * box's files are always the same. With a second, a judge's run after
 * half a second of quiet paid two or three LOOKUP round trips one time in
 * two. Attributes keep the short cache: a box's owner, and so who may
 * open its files, changes with chown. */
#define ENTRY_SECONDS 3600.0

/* chmod and chown of a box's directory share or give the box, as with any
 * directory; the kernel has checked the caller may (default_permissions). */
static gboolean
set_box_access (fuse_req_t req, Box *box, struct stat *attr, int to_set)
{
  g_autoptr (GError) error = NULL;
  uid_t uid = to_set & FUSE_SET_ATTR_UID ? attr->st_uid : box_get_owner_uid (box);
  gid_t gid = to_set & FUSE_SET_ATTR_GID ? attr->st_gid : box_get_owner_gid (box);
  if ((to_set & (FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)) && !box_set_owner (box, uid, gid, &error))
    {
      reply_error (req, "chown", box_get_name (box), error);
      return FALSE;
    }
  if ((to_set & FUSE_SET_ATTR_MODE) && !box_set_mode (box, attr->st_mode, &error))
    {
      reply_error (req, "chmod", box_get_name (box), error);
      return FALSE;
    }
  return TRUE;
}

/* The sizes of stdin (every write and truncate) and of stdout and stderr
 * (every run) change: never cache them. */
static double
attr_timeout (const Node *node)
{
  if (node->kind != NODE_CONTROL_FILE)
    return CACHE_SECONDS;
  ControlKind kind = node->file->kind;
  return kind == CONTROL_STDIN || kind == CONTROL_OUTPUT ? 0 : CACHE_SECONDS;
}

static void
reply_entry (fuse_req_t req, fuse_ino_t ino)
{
  Node node = resolve_node (req, ino);
  struct fuse_entry_param entry = { .ino = ino };
  if (!stat_node (req, ino, &node, &entry.attr))
    {
      fuse_reply_err (req, ENOENT);
      return;
    }
  entry.attr_timeout = attr_timeout (&node);
  entry.entry_timeout = ENTRY_SECONDS;
  fuse_reply_entry (req, &entry);
}

/* The entry name in the directory parent: at the root a daemon-wide file
 * or a box, in a box one of its files. */
static void
op_lookup (fuse_req_t req, fuse_ino_t parent, const char *name)
{
  Node node = resolve_node (req, parent);
  const RootFile *root_file;
  Box *box;
  guint index;
  if (node.kind == NODE_ROOT && (root_file = root_file_lookup (name)) != NULL)
    reply_entry (req, root_file_inode (root_file));
  else if (node.kind == NODE_ROOT && (box = box_table_find_box (boxes_of (req), name)) != NULL)
    reply_entry (req, inode_of_box (box_get_id (box)));
  else if (node.kind == NODE_BOX_DIR && control_file_lookup (name, &index) != NULL)
    reply_entry (req, inode_of_file (box_get_id (node.box), index));
  else
    fuse_reply_err (req, ENOENT);
}

static void
reply_attr (fuse_req_t req, fuse_ino_t ino, const Node *node)
{
  struct stat st;
  if (!stat_node (req, ino, node, &st))
    fuse_reply_err (req, ENOENT);
  else
    fuse_reply_attr (req, &st, attr_timeout (node));
}

static void
op_getattr (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
  Node node = resolve_node (req, ino);
  reply_attr (req, ino, &node);
}

/* A file's size can be set (truncate, O_TRUNC), a box directory's mode and
 * owner; times are accepted and ignored so that `touch` works. */
static void
op_setattr (fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
            struct fuse_file_info *fi)
{
  Node node = resolve_node (req, ino);
  int access_bits = FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID;
  g_autoptr (GError) error = NULL;
  if (node.kind == NODE_GONE)
    fuse_reply_err (req, ENOENT);
  else if ((to_set & access_bits) && node.kind == NODE_ROOT_FILE)
    refuse (req, EPERM, "chmod/chown", "daemon-wide files keep their mode and owner");
  else if ((to_set & access_bits) && node.kind != NODE_BOX_DIR)
    refuse (req, EPERM, "chmod/chown", "only a box's directory changes mode or owner");
  else if ((to_set & access_bits) && !set_box_access (req, node.box, attr, to_set))
    return;
  else if ((to_set & FUSE_SET_ATTR_SIZE) && node.kind == NODE_ROOT_FILE)
    {
      g_autofree char *what = g_strdup_printf ("truncate %s", node.root_file->name);
      refuse (req, EACCES, what, "the file is read-only");
    }
  else if ((to_set & FUSE_SET_ATTR_SIZE) && node.kind != NODE_CONTROL_FILE)
    refuse (req, EISDIR, "truncate", "a directory has no size to set");
  else if ((to_set & FUSE_SET_ATTR_SIZE)
           && !control_file_truncate (node.file, node.box, attr->st_size, &error))
    {
      g_autofree char *path = g_build_filename (box_get_name (node.box), node.file->name, NULL);
      reply_error (req, "truncate", path, error);
    }
  else
    reply_attr (req, ino, &node);
}

static void
op_readlink (fuse_req_t req, fuse_ino_t ino)
{
  Node node = resolve_node (req, ino);
  if (node.kind == NODE_CONTROL_FILE && node.file->kind == CONTROL_WORK_DIR)
    fuse_reply_readlink (req, box_get_work_dir (node.box));
  else
    fuse_reply_err (req, node.kind == NODE_ROOT || node.kind == NODE_GONE ? ENOENT : EINVAL);
}

static void
op_mkdir (fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
  if (parent != FUSE_ROOT_ID)
    {
      refuse (req, EPERM, "mkdir", "directories are made only at the root: boxes");
      return;
    }
  const struct fuse_ctx *ctx = fuse_req_ctx (req);
  g_autoptr (GError) error = NULL;
  Box *box = box_table_create_box (boxes_of (req), name, ctx->uid, ctx->gid, &error);
  if (box == NULL)
    reply_error (req, "mkdir", name, error);
  else
    reply_entry (req, inode_of_box (box_get_id (box)));
}

static void
op_rmdir (fuse_req_t req, fuse_ino_t parent, const char *name)
{
  if (parent != FUSE_ROOT_ID)
    {
      fuse_reply_err (req, resolve_node (req, parent).box != NULL ? ENOTDIR : ENOENT);
      return;
    }
  g_autoptr (GError) error = NULL;
  if (!box_table_destroy_box (boxes_of (req), name, &error))
    reply_error (req, "rmdir", name, error);
  else
    fuse_reply_err (req, 0);
}

/* Nothing but mkdir makes an entry, and nothing but rmdir removes one. */
static void
op_unlink (fuse_req_t req, fuse_ino_t parent, const char *name)
{
  refuse (req, EPERM, "unlink", "control files are removed with their box (rmdir)");
}

static void
op_mknod (fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev)
{
  refuse (req, EPERM, "mknod", "only mkdir makes entries");
}

static void
op_symlink (fuse_req_t req, const char *link, fuse_ino_t parent, const char *name)
{
  refuse (req, EPERM, "symlink", "only mkdir makes entries");
}

static void
op_link (fuse_req_t req, fuse_ino_t ino, fuse_ino_t new_parent, const char *new_name)
{
  refuse (req, EPERM, "link", "only mkdir makes entries");
}

static void
op_rename (fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t new_parent,
           const char *new_name, unsigned int flags)
{
  refuse (req, EPERM, "rename", "boxes and their files keep their names");
}

static void
op_create (fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
           struct fuse_file_info *fi)
{
  refuse (req, EACCES, "create", "only mkdir makes entries");
}

/* A directory listing, taken at opendir so that readdir offsets stay valid
 * while boxes come and go. */
typedef struct
{
  char *name;
  fuse_ino_t ino;
  mode_t type;
} ListingEntry;

static void
listing_entry_clear (ListingEntry *entry)
{
  g_free (entry->name);
}

static void
listing_add (GArray *listing, const char *name, fuse_ino_t ino, mode_t type)
{
  ListingEntry entry = { g_strdup (name), ino, type };
  g_array_append_val (listing, entry);
}

static GArray *
list_directory (fuse_req_t req, const Node *node)
{
  GArray *listing = g_array_new (FALSE, FALSE, sizeof (ListingEntry));
  g_array_set_clear_func (listing, (GDestroyNotify) listing_entry_clear);
  fuse_ino_t ino = node->kind == NODE_ROOT ? FUSE_ROOT_ID : inode_of_box (box_get_id (node->box));
  listing_add (listing, ".", ino, S_IFDIR);
  listing_add (listing, "..", FUSE_ROOT_ID, S_IFDIR);
  if (node->kind == NODE_BOX_DIR)
    {
      for (guint i = 0; i < control_file_count (); i++)
        listing_add (listing, control_file_at (i)->name, inode_of_file (box_get_id (node->box), i),
                     control_file_at (i)->mode & S_IFMT);
      return listing;
    }
  g_autoptr (GPtrArray) boxes = box_table_list_boxes (boxes_of (req));
  for (guint i = 0; i < boxes->len; i++)
    {
      Box *each = g_ptr_array_index (boxes, i);
      listing_add (listing, box_get_name (each), inode_of_box (box_get_id (each)), S_IFDIR);
    }
  return listing;
}

static void
op_opendir (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
  Node node = resolve_node (req, ino);
  if (node.kind != NODE_ROOT && node.kind != NODE_BOX_DIR)
    {
      fuse_reply_err (req, node.kind == NODE_GONE ? ENOENT : ENOTDIR);
      return;
    }
  fi->fh = (uint64_t) (uintptr_t) list_directory (req, &node);
  fuse_reply_open (req, fi);
}

static void
op_readdir (fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, struct fuse_file_info *fi)
{
  GArray *listing = (GArray *) (uintptr_t) fi->fh;
  g_autofree char *buffer = g_malloc (size);
  size_t used = 0;
  for (guint i = offset; i < listing->len; i++)
    {
      const ListingEntry *entry = &g_array_index (listing, ListingEntry, i);
      struct stat st = { .st_ino = entry->ino, .st_mode = entry->type };
      size_t entry_size
          = fuse_add_direntry (req, buffer + used, size - used, entry->name, &st, i + 1);
      if (entry_size > size - used)
        break;
      used += entry_size;
    }
  fuse_reply_buf (req, buffer, used);
}

static void
op_releasedir (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
  g_array_unref ((GArray *) (uintptr_t) fi->fh);
  fuse_reply_err (req, 0);
}

const struct fuse_lowlevel_ops isolatefs_ops = {
  .lookup = op_lookup,
  .getattr = op_getattr,
  .setattr = op_setattr,
  .readlink = op_readlink,
  .mkdir = op_mkdir,
  .rmdir = op_rmdir,
  .unlink = op_unlink,
  .mknod = op_mknod,
  .symlink = op_symlink,
  .link = op_link,
  .rename = op_rename,
  .create = op_create,
  .open = file_op_open,
  .read = file_op_read,
  .write = file_op_write,
  .release = file_op_release,
  .poll = file_op_poll,
  .opendir = op_opendir,
  .readdir = op_readdir,
  .releasedir = op_releasedir,
};
