#include "cgroup_spares.h"

#define SPARE_PREFIX ".spare-"
#define MAX_SPARES 16

struct _CgroupSpares
{
  Cgroups *cgroups;
  guint64 next; /* names the groups kept: no two alike */
  GQueue names;
};

static void
remove_kept (Cgroups *cgroups, const char *name)
{
  g_autoptr (GError) error = NULL;
  if (!cgroups_remove_box (cgroups, name, &error))
    g_warning ("%s", error->message);
}

CgroupSpares *
cgroup_spares_new (Cgroups *cgroups)
{
  CgroupSpares *spares = g_new0 (CgroupSpares, 1);
  spares->cgroups = cgroups;
  g_queue_init (&spares->names);
  g_autoptr (GPtrArray) groups = cgroups_list_boxes (cgroups, NULL);
  for (guint i = 0; groups != NULL && i < groups->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (groups, i), SPARE_PREFIX))
      remove_kept (cgroups, g_ptr_array_index (groups, i));
  return spares;
}

void
cgroup_spares_free (CgroupSpares *spares)
{
  if (spares == NULL)
    return;
  char *name;
  while ((name = g_queue_pop_head (&spares->names)) != NULL)
    {
      remove_kept (spares->cgroups, name);
      g_free (name);
    }
  g_free (spares);
}

gboolean
cgroup_spares_take (CgroupSpares *spares, const char *name)
{
  g_autofree char *spare = g_queue_pop_head (&spares->names);
  if (spare == NULL)
    return FALSE;
  g_autoptr (GError) error = NULL;
  if (cgroups_rename_box (spares->cgroups, spare, name, &error))
    return TRUE;
  g_warning ("%s", error->message);
  remove_kept (spares->cgroups, spare);
  return FALSE;
}

gboolean
cgroup_spares_give (CgroupSpares *spares, const char *name)
{
  if (!cgroups_can_rename (spares->cgroups) || spares->names.length >= MAX_SPARES
      || !cgroups_box_empty (spares->cgroups, name))
    return FALSE;
  char *spare = g_strdup_printf (SPARE_PREFIX "%" G_GUINT64_FORMAT, spares->next++);
  if (!cgroups_rename_box (spares->cgroups, name, spare, NULL))
    {
      g_free (spare);
      return FALSE;
    }
  g_queue_push_tail (&spares->names, spare);
  return TRUE;
}
