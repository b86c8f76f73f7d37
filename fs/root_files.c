#include "root_files.h"

#include "inodes.h"

#include <string.h>

static const RootFile root_files[] = {
  /* The languages table of the source files (box_table_read_languages). */
  { ".languages", box_table_read_languages },
};

G_STATIC_ASSERT (INODE_FIRST_ROOT_FILE + G_N_ELEMENTS (root_files) <= 1u << INODE_FILE_BITS);

guint
root_file_count (void)
{
  return G_N_ELEMENTS (root_files);
}

const RootFile *
root_file_at (guint index)
{
  return index < G_N_ELEMENTS (root_files) ? &root_files[index] : NULL;
}

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
  return ino >= INODE_FIRST_ROOT_FILE ? root_file_at (ino - INODE_FIRST_ROOT_FILE) : NULL;
}

fuse_ino_t
root_file_inode (const RootFile *file)
{
  return INODE_FIRST_ROOT_FILE + (fuse_ino_t) (file - root_files);
}
