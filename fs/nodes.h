#pragma once

#include "control_files.h"
#include "root_files.h"
#include "sandbox/box/box_table.h"

#include <fuse_lowlevel.h>
#include <glib.h>
#include <sys/stat.h>

/* What an inode is, decided once per operation by resolve_node(): the
 * FUSE operations (fs_ops.c, file_ops.c) then only switch on its kind. */
typedef enum
{
  NODE_GONE,         /* no such inode, or a box removed since */
  NODE_ROOT,         /* the mount's root, which holds the boxes */
  NODE_ROOT_FILE,    /* a daemon-wide file at the root (root_files.h) */
  NODE_BOX_DIR,      /* a box's directory */
  NODE_CONTROL_FILE, /* a file inside a box (control_files.h) */
} NodeKind;

typedef struct
{
  NodeKind kind;
  Box *box;                  /* NODE_BOX_DIR, NODE_CONTROL_FILE: a reference the table keeps */
  const ControlFile *file;   /* NODE_CONTROL_FILE */
  const RootFile *root_file; /* NODE_ROOT_FILE */
} Node;

Node resolve_node (fuse_req_t req, fuse_ino_t ino);

/* The table of boxes the request's mount serves. */
BoxTable *boxes_of (fuse_req_t req);

/* Fills st for the node; FALSE for NODE_GONE. */
gboolean stat_node (fuse_req_t req, fuse_ino_t ino, const Node *node, struct stat *st);

/* Answers a refused or failed call with its errno, and logs why with who
 * asked: every refusal leaves a line in the log. */
void refuse (fuse_req_t req, int err, const char *what, const char *why);

/* The same for a sandbox error, its errno from errno_map.h. */
void reply_error (fuse_req_t req, const char *what, const char *path, const GError *error);
