#pragma once

#include "daemon.h"

#include <fuse_lowlevel.h>
#include <glib.h>

/* The daemon-wide files at the root, beside the boxes, from one table, as
 * the files inside a box come from control_files.h. Their names start with
 * '.', which no box name may; each reads as a snapshot taken at open, and
 * none can be written, not even by root. */
typedef struct
{
  const char *name;
  /* The text a reader sees, taken at open: cheap, and nothing of a run waits. */
  char *(*read) (Daemon *daemon);
} RootFile;

/* The file of that name, or NULL. */
const RootFile *root_file_lookup (const char *name);

/* The file whose inode ino is, or NULL; and its inode. */
const RootFile *root_file_of_inode (fuse_ino_t ino);
fuse_ino_t root_file_inode (const RootFile *file);
