#pragma once

#include <fuse_lowlevel.h>
#include <glib.h>

/* Inode numbers are computed, not stored: a box's directory is its id shifted
 * left by 8 bits, the files inside it add 1 + their index in the control-file
 * table. Box ids are never reused, so a stale inode can never reach a new box
 * of the same name. */
#define INODE_FILE_BITS 8

/* The daemon-wide files at the root (root_files.h), whose names start
 * with '.', are 2, 3...: box ids start at 1, so box 0's inodes are free,
 * but for 1, the root's. */
#define INODE_FIRST_ROOT_FILE ((fuse_ino_t) 2)

static inline fuse_ino_t
inode_of_box (guint64 box_id)
{
  return (fuse_ino_t) box_id << INODE_FILE_BITS;
}

static inline fuse_ino_t
inode_of_file (guint64 box_id, guint file_index)
{
  return inode_of_box (box_id) | (file_index + 1);
}

static inline guint64
inode_box_id (fuse_ino_t ino)
{
  return ino >> INODE_FILE_BITS;
}

/* -1 for the box's directory itself, else the control-file index. */
static inline gint
inode_file_index (fuse_ino_t ino)
{
  return (gint) (ino & ((1u << INODE_FILE_BITS) - 1)) - 1;
}
