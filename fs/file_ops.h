#pragma once

#include <fuse_lowlevel.h>

/* The FUSE operations on open files (file_ops.c): the files inside a box
 * and the daemon-wide ones at the root. fs_ops.c lists them with the rest. */
void file_op_open (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void file_op_read (fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset,
                   struct fuse_file_info *fi);
void file_op_write (fuse_req_t req, fuse_ino_t ino, const char *data, size_t size, off_t offset,
                    struct fuse_file_info *fi);
void file_op_release (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void file_op_poll (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
                   struct fuse_pollhandle *ph);
