#include "cgroup_backend.h"

#include "cgroup_v2_tree.h"

#include <string.h>

struct _Cgroups
{
  const CgroupBackend *backend;
  char *parent; /* as the backend's calls take it */
};

static const char *const hierarchy_names[] = {
  [CGROUP_HIERARCHY_AUTO] = "auto",
  [CGROUP_HIERARCHY_V1] = "v1",
  [CGROUP_HIERARCHY_V2] = "v2",
};

gboolean
cgroup_hierarchy_parse (const char *text, CgroupHierarchy *hierarchy)
{
  for (guint i = 0; i < G_N_ELEMENTS (hierarchy_names); i++)
    if (strcmp (text, hierarchy_names[i]) == 0)
      {
        *hierarchy = (CgroupHierarchy) i;
        return TRUE;
      }
  return FALSE;
}

/* v2 where the host boots it alone; v1 on a hybrid host, whose v2
 * hierarchy (/sys/fs/cgroup/unified) has no controller a run needs. */
CgroupHierarchy
cgroup_hierarchy_resolve (CgroupHierarchy hierarchy)
{
  if (hierarchy != CGROUP_HIERARCHY_AUTO)
    return hierarchy;
  return cgroup_v2_is_the_hierarchy () ? CGROUP_HIERARCHY_V2 : CGROUP_HIERARCHY_V1;
}

static const CgroupBackend *
pick_backend (CgroupHierarchy hierarchy)
{
  return cgroup_hierarchy_resolve (hierarchy) == CGROUP_HIERARCHY_V2 ? &cgroup_v2_backend
                                                                     : &cgroup_v1_backend;
}

/* The backend's reason, with what was asked and where the fix is told. */
static void
explain (GError **error, CgroupHierarchy hierarchy, const CgroupBackend *backend)
{
  GError *cause = g_steal_pointer (error);
  const char *asked;
  if (hierarchy != CGROUP_HIERARCHY_AUTO)
    asked = hierarchy == CGROUP_HIERARCHY_V1 ? "cgroup=v1: " : "cgroup=v2: ";
  else if (backend == &cgroup_v2_backend)
    asked = "cgroup=auto, and /sys/fs/cgroup is cgroup v2: ";
  else
    asked = "no cgroups to run boxes in: /sys/fs/cgroup is not a cgroup v2 hierarchy, and on "
            "cgroup v1 ";
  const char *hint = backend == &cgroup_v1_backend && cgroup_v2_is_the_hierarchy ()
                         ? " (this host has cgroup v2, which cgroup=auto picks)"
                         : "";
  g_set_error (error, cause->domain, cause->code, "%s%s%s; see docs/deployment.md#cgroups", asked,
               cause->message, hint);
  g_error_free (cause);
}

Cgroups *
cgroups_new (const char *parent, CgroupHierarchy hierarchy, GError **error)
{
  const CgroupBackend *backend = pick_backend (hierarchy);
  char *own_parent = backend->init (parent, error);
  if (own_parent == NULL)
    {
      explain (error, hierarchy, backend);
      return NULL;
    }
  g_message ("cgroup %s%s: the boxes' groups are in %s", backend->name,
             hierarchy == CGROUP_HIERARCHY_AUTO ? " (cgroup=auto)" : "", own_parent);
  Cgroups *cgroups = g_new0 (Cgroups, 1);
  cgroups->backend = backend;
  cgroups->parent = own_parent;
  return cgroups;
}

const char *
cgroups_hierarchy_name (const Cgroups *cgroups)
{
  return cgroups->backend->name;
}

gboolean
cgroups_runs_apart (const Cgroups *cgroups)
{
  return cgroups->backend->runs_apart;
}

gboolean
cgroups_can_rename (const Cgroups *cgroups)
{
  return cgroups->backend->renames;
}

void
cgroups_free (Cgroups *cgroups)
{
  if (cgroups == NULL)
    return;
  g_free (cgroups->parent);
  g_free (cgroups);
}

gboolean
cgroups_create_box (Cgroups *cgroups, const char *name, GError **error)
{
  return cgroups->backend->create_box (cgroups->parent, name, error);
}

gboolean
cgroups_remove_box (Cgroups *cgroups, const char *name, GError **error)
{
  return cgroups->backend->remove_box (cgroups->parent, name, error);
}

gboolean
cgroups_rename_box (Cgroups *cgroups, const char *from, const char *to, GError **error)
{
  return cgroups->backend->rename_box (cgroups->parent, from, to, error);
}

gboolean
cgroups_box_empty (Cgroups *cgroups, const char *name)
{
  return cgroups->backend->box_empty (cgroups->parent, name);
}

GPtrArray *
cgroups_list_boxes (Cgroups *cgroups, GError **error)
{
  return cgroups->backend->list_boxes (cgroups->parent, error);
}

void
cgroups_remove_parent (Cgroups *cgroups)
{
  cgroups->backend->remove_parent (cgroups->parent);
}

BoxCgroup *
cgroups_open_box (Cgroups *cgroups, const char *name, GError **error)
{
  return cgroups->backend->open_box (cgroups->parent, name, error);
}

void
box_cgroup_free (BoxCgroup *cgroup)
{
  if (cgroup != NULL)
    cgroup->backend->free (cgroup);
}

void
box_cgroup_close_files (BoxCgroup *cgroup)
{
  cgroup->backend->close_files (cgroup);
}

gboolean
box_cgroup_clear_counters (BoxCgroup *cgroup, guint waiting, GError **error)
{
  return cgroup->backend->clear_counters (cgroup, waiting, error);
}

gboolean
box_cgroup_prepare_run (BoxCgroup *cgroup, gint64 mem_kib, gint64 processes, guint waiting,
                        GError **error)
{
  return cgroup->backend->prepare_run (cgroup, mem_kib, processes, waiting, error);
}

gboolean
box_cgroup_place (BoxCgroup *cgroup, gboolean next_run, CgroupPlacement *placement, GError **error)
{
  return cgroup->backend->place (cgroup, next_run, placement, error);
}

gboolean
box_cgroup_cpu_ns (BoxCgroup *cgroup, guint64 *ns, GError **error)
{
  return cgroup->backend->cpu_ns (cgroup, ns, error);
}

gint64
box_cgroup_peak_kib (BoxCgroup *cgroup)
{
  return cgroup->backend->peak_kib (cgroup);
}

gboolean
box_cgroup_oom_killed (BoxCgroup *cgroup)
{
  return cgroup->backend->oom_killed (cgroup);
}

gboolean
box_cgroup_kill_all (BoxCgroup *cgroup)
{
  return cgroup->backend->kill_all (cgroup);
}
