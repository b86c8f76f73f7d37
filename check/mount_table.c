#include "checks.h"

#include <stdio.h>
#include <string.h>

static void
mount_entry_free (gpointer data)
{
  MountEntry *entry = data;
  g_free (entry->mount_point);
  g_free (entry->mount_options);
  g_free (entry->fs_type);
  g_free (entry->source);
  g_free (entry->super_options);
  g_free (entry);
}

/* "36 35 98:0 /root /mnt rw,noatime shared:1 - ext4 /dev/sda1 rw,errors=continue":
 * optional fields end at " - ". Paths escape spaces and the like as \040. */
static MountEntry *
parse_line (const char *line)
{
  g_auto (GStrv) halves = g_strsplit (line, " - ", 2);
  if (halves[0] == NULL || halves[1] == NULL)
    return NULL;
  g_auto (GStrv) mount = g_strsplit (halves[0], " ", -1);
  g_auto (GStrv) fs = g_strsplit (halves[1], " ", 3);
  if (g_strv_length (mount) < 6 || g_strv_length (fs) < 3)
    return NULL;
  MountEntry *entry = g_new0 (MountEntry, 1);
  if (sscanf (mount[2], "%u:%u", &entry->major, &entry->minor) != 2)
    {
      mount_entry_free (entry);
      return NULL;
    }
  entry->mount_point = g_strcompress (mount[4]);
  entry->mount_options = g_strdup (mount[5]);
  entry->fs_type = g_strdup (fs[0]);
  entry->source = g_strcompress (fs[1]);
  entry->super_options = g_strdup (g_strchomp (fs[2]));
  return entry;
}

GPtrArray *
check_mount_table (void)
{
  GPtrArray *table = g_ptr_array_new_with_free_func (mount_entry_free);
  g_autofree char *text = NULL;
  if (!g_file_get_contents ("/proc/self/mountinfo", &text, NULL, NULL))
    return table;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      MountEntry *entry = parse_line (lines[i]);
      if (entry != NULL)
        g_ptr_array_add (table, entry);
    }
  return table;
}

gboolean
check_has_option (const char *options, const char *option)
{
  g_auto (GStrv) list = g_strsplit (options, ",", -1);
  return g_strv_contains ((const char *const *) list, option);
}
