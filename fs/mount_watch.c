#include "mount_watch.h"

#include "utils/autofd.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <string.h>
#include <unistd.h>

struct _MountWatch
{
  int fd;            /* /proc/self/mountinfo: POLLPRI when our mount table changes */
  char *mount_point; /* as mountinfo writes it */
  char *device;      /* our mount's "major:minor": the FUSE connection, unique while we live */
  guint source;
  GSourceFunc on_gone;
  gpointer data;
};

/* The table from its start (a seq_file is made afresh at offset 0). */
static char *
read_table (int fd)
{
  GString *text = g_string_new (NULL);
  char buffer[8192];
  for (;;)
    {
      ssize_t n = pread (fd, buffer, sizeof buffer, text->len);
      if (n > 0)
        g_string_append_len (text, buffer, n);
      else if (n == 0 || errno != EINTR)
        break;
    }
  return g_string_free (text, FALSE);
}

/* mountinfo writes a path with ' ', '\t', '\n' and '\\' in octal. */
static char *
escape_path (const char *path)
{
  GString *escaped = g_string_new (NULL);
  for (const char *c = path; *c != '\0'; c++)
    if (strchr (" \t\n\\", *c) != NULL)
      g_string_append_printf (escaped, "\\%03o", (unsigned char) *c);
    else
      g_string_append_c (escaped, *c);
  return g_string_free (escaped, FALSE);
}

/* The device of the last mount listed on mount_point (the newest, on top),
 * or of the one of that device if one is given; NULL if there is none. */
static char *
find_mount (const char *table, const char *mount_point, const char *device)
{
  g_auto (GStrv) lines = g_strsplit (table, "\n", -1);
  char *found = NULL;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      /* ID PARENT MAJOR:MINOR ROOT MOUNT-POINT ... */
      g_auto (GStrv) fields = g_strsplit (lines[i], " ", 6);
      if (g_strv_length (fields) < 6 || strcmp (fields[4], mount_point) != 0
          || (device != NULL && strcmp (fields[2], device) != 0))
        continue;
      g_free (found);
      found = g_strdup (fields[2]);
    }
  return found;
}

static gboolean
on_table_changed (gint fd, GIOCondition condition, gpointer data)
{
  MountWatch *watch = data;
  g_autofree char *table = read_table (fd);
  g_autofree char *still = find_mount (table, watch->mount_point, watch->device);
  if (still != NULL)
    return G_SOURCE_CONTINUE;
  watch->source = 0;
  watch->on_gone (watch->data);
  return G_SOURCE_REMOVE;
}

MountWatch *
mount_watch_new (const char *mountpoint, GSourceFunc on_gone, gpointer data)
{
  autofd fd = open ("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
  g_autofree char *table = fd >= 0 ? read_table (fd) : NULL;
  g_autofree char *mount_point = escape_path (mountpoint);
  g_autofree char *device = table ? find_mount (table, mount_point, NULL) : NULL;
  if (device == NULL)
    {
      g_warning ("cannot find our mount on %s in /proc/self/mountinfo: the daemon ends only "
                 "once no mount namespace holds it",
                 mountpoint);
      return NULL;
    }
  MountWatch *watch = g_new0 (MountWatch, 1);
  watch->mount_point = g_steal_pointer (&mount_point);
  watch->device = g_steal_pointer (&device);
  watch->on_gone = on_gone;
  watch->data = data;
  watch->fd = autofd_steal (&fd);
  watch->source = g_unix_fd_add (watch->fd, G_IO_PRI | G_IO_ERR, on_table_changed, watch);
  return watch;
}

void
mount_watch_free (MountWatch *watch)
{
  if (watch == NULL)
    return;
  if (watch->source != 0)
    g_source_remove (watch->source);
  autofd_close (&watch->fd);
  g_free (watch->mount_point);
  g_free (watch->device);
  g_free (watch);
}
