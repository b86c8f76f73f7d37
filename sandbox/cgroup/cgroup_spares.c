#include "cgroup_spares.h"

#include "cgroup.h"

#define SPARE_PREFIX ".spare-"
#define MAX_SPARES 16

struct _CgroupSpares
{
  char *parent;
  guint64 next; /* names the groups kept: no two alike */
  GQueue names;
};

static void
remove_kept (const char *parent, const char *name)
{
  g_autoptr (GError) error = NULL;
  if (!box_cgroups_remove (parent, name, &error))
    g_warning ("%s", error->message);
}

CgroupSpares *
cgroup_spares_new (const char *parent)
{
  CgroupSpares *spares = g_new0 (CgroupSpares, 1);
  spares->parent = g_strdup (parent);
  g_queue_init (&spares->names);
  g_autoptr (GPtrArray) groups = box_cgroups_list (parent, NULL);
  for (guint i = 0; groups != NULL && i < groups->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (groups, i), SPARE_PREFIX))
      remove_kept (parent, g_ptr_array_index (groups, i));
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
      remove_kept (spares->parent, name);
      g_free (name);
    }
  g_free (spares->parent);
  g_free (spares);
}

gboolean
cgroup_spares_take (CgroupSpares *spares, const char *name)
{
  g_autofree char *spare = g_queue_pop_head (&spares->names);
  if (spare == NULL)
    return FALSE;
  g_autoptr (GError) error = NULL;
  if (box_cgroups_rename (spares->parent, spare, name, &error))
    return TRUE;
  g_warning ("%s", error->message);
  remove_kept (spares->parent, spare);
  return FALSE;
}

gboolean
cgroup_spares_give (CgroupSpares *spares, const char *name)
{
  if (spares->names.length >= MAX_SPARES || !box_cgroups_empty (spares->parent, name))
    return FALSE;
  char *spare = g_strdup_printf (SPARE_PREFIX "%" G_GUINT64_FORMAT, spares->next++);
  if (!box_cgroups_rename (spares->parent, name, spare, NULL))
    {
      g_free (spare);
      return FALSE;
    }
  g_queue_push_tail (&spares->names, spare);
  return TRUE;
}
