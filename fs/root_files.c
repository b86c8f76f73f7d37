#include "root_files.h"

#include "inodes.h"

#include <string.h>

static const RootFile root_files[] = {
  /* The languages table of the source files (box_table_read_languages). */
  { ".languages", box_table_read_languages },
};

G_STATIC_ASSERT (INODE_FIRST_ROOT_FILE + G_N_ELEMENTS (root_files) <= 1u << INODE_FILE_BITS);

const RootFile *
root_file_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (root_files); i++)
    if (strcmp (root_files[i].name, name) == 0)
      return &root_files[i];
  return NULL;
}

const RootFile *
root_file_of_inode (fuse_ino_t ino)
{
  if (ino < INODE_FIRST_ROOT_FILE || ino - INODE_FIRST_ROOT_FILE >= G_N_ELEMENTS (root_files))
    return NULL;
  return &root_files[ino - INODE_FIRST_ROOT_FILE];
}

fuse_ino_t
root_file_inode (const RootFile *file)
{
  return INODE_FIRST_ROOT_FILE + (fuse_ino_t) (file - root_files);
}
