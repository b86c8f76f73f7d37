#include "cgroup_backend.h"

struct _Cgroups
{
  const CgroupBackend *backend;
  char *parent;
};

Cgroups *
cgroups_new (const char *parent, GError **error)
{
  /* The only backend so far: this host's controllers are all on v1. */
  const CgroupBackend *backend = &cgroup_v1_backend;
  if (!backend->init (parent, error))
    return NULL;
  Cgroups *cgroups = g_new0 (Cgroups, 1);
  cgroups->backend = backend;
  cgroups->parent = g_strdup (parent);
  return cgroups;
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

const char *const *
box_cgroup_procs_files (BoxCgroup *cgroup)
{
  return cgroup->backend->procs_files (cgroup);
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
