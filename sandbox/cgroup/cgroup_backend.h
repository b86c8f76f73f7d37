#pragma once

#include "cgroup.h"

/* What a cgroup backend implements: the calls of cgroup.h, with the
 * parent's name given to each group-level one. cgroup.c picks a backend
 * and passes every call on; a backend's box group starts with BoxCgroup,
 * which says whose it is. */

typedef struct _CgroupBackend CgroupBackend;

struct _BoxCgroup
{
  const CgroupBackend *backend;
};

struct _CgroupBackend
{
  const char *name;
  gboolean runs_apart; /* cgroups_runs_apart() */
  gboolean renames;    /* cgroups_can_rename() */

  /* Checks and makes the parent; returns what the other calls are given
   * as the parent (v1: the path under each hierarchy; v2: the directory). */
  char *(*init) (const char *parent, GError **error);

  /* The boxes' groups in the parent. */
  gboolean (*create_box) (const char *parent, const char *name, GError **error);
  gboolean (*remove_box) (const char *parent, const char *name, GError **error);
  gboolean (*rename_box) (const char *parent, const char *from, const char *to, GError **error);
  gboolean (*box_empty) (const char *parent, const char *name);
  GPtrArray *(*list_boxes) (const char *parent, GError **error);
  void (*remove_parent) (const char *parent);

  /* One box's group, as a run uses it. */
  BoxCgroup *(*open_box) (const char *parent, const char *name, GError **error);
  void (*free) (BoxCgroup *cgroup);
  void (*close_files) (BoxCgroup *cgroup);
  gboolean (*clear_counters) (BoxCgroup *cgroup, guint waiting, GError **error);
  gboolean (*prepare_run) (BoxCgroup *cgroup, gint64 mem_kib, gint64 processes, guint waiting,
                           GError **error);
  gboolean (*place) (BoxCgroup *cgroup, gboolean next_run, CgroupPlacement *placement,
                     GError **error);
  gboolean (*cpu_ns) (BoxCgroup *cgroup, guint64 *ns, GError **error);
  gint64 (*peak_kib) (BoxCgroup *cgroup);
  gboolean (*oom_killed) (BoxCgroup *cgroup);
  gboolean (*kill_all) (BoxCgroup *cgroup);
};

/* cgroup v1: a hierarchy per controller (memory, cpuacct, pids). */
extern const CgroupBackend cgroup_v1_backend;

/* cgroup v2: one hierarchy, a subtree of the daemon's, a group per run. */
extern const CgroupBackend cgroup_v2_backend;
