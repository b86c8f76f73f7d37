#include "dir_entries.h"

#include "autofd.h"
#include "errno_error.h"

#include <dirent.h>
#include <errno.h>
#include <gio/gio.h>
#include <string.h>
#include <unistd.h>

gboolean
dir_for_each_entry (int dir_fd, DirEntryFunc func, gpointer data, GError **error)
{
  autofd fd = dup (dir_fd);
  if (fd < 0)
    return set_io_error (error, errno, "duplicate descriptor of", "directory");
  DIR *dir = fdopendir (fd);
  if (dir == NULL)
    return set_io_error (error, errno, "read", "directory");
  autofd_steal (&fd); /* closedir() closes it */
  rewinddir (dir);

  gboolean ok = TRUE;
  struct dirent *entry;
  while (ok && (entry = readdir (dir)) != NULL)
    {
      if (strcmp (entry->d_name, ".") == 0 || strcmp (entry->d_name, "..") == 0)
        continue;
      ok = func (dir_fd, entry->d_name, data, error);
    }
  closedir (dir);
  return ok;
}
