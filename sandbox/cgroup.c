#include "cgroup.h"

#include "sandbox_error.h"

#include <libcgroup.h>
#include <stdarg.h>

/* Every controller a run is measured and limited by. */
static const char *const controllers[] = { "memory", "cpuacct", "pids" };

static void
log_from_libcgroup (void *userdata, int level, const char *format, va_list args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);
  g_strchomp (message);
  g_debug ("libcgroup: %s", message);
}

static gboolean
set_cgroup_error (GError **error, int code, const char *what, const char *path)
{
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "cannot %s cgroup %s: %s", what, path,
               cgroup_strerror (code));
  return FALSE;
}

static struct cgroup *
new_cgroup_in_all_controllers (const char *path)
{
  struct cgroup *group = cgroup_new_cgroup (path);
  if (group == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (controllers); i++)
    if (cgroup_add_controller (group, controllers[i]) == NULL)
      {
        cgroup_free (&group);
        return NULL;
      }
  return group;
}

static gboolean
create_group (const char *path, GError **error)
{
  struct cgroup *group = new_cgroup_in_all_controllers (path);
  if (group == NULL)
    return set_cgroup_error (error, ECGFAIL, "describe", path);
  int ret = cgroup_create_cgroup (group, 0);
  cgroup_free (&group);
  if (ret != 0)
    return set_cgroup_error (error, ret, "create", path);
  return TRUE;
}

static gboolean
remove_group (const char *path, GError **error)
{
  struct cgroup *group = new_cgroup_in_all_controllers (path);
  if (group == NULL)
    return set_cgroup_error (error, ECGFAIL, "describe", path);
  int ret = cgroup_delete_cgroup_ext (group, CGFLAG_DELETE_EMPTY_ONLY);
  cgroup_free (&group);
  if (ret != 0 && ret != ECGROUPNOTEXIST)
    return set_cgroup_error (error, ret, "remove", path);
  return TRUE;
}

gboolean
cgroups_init (const char *parent, GError **error)
{
  cgroup_set_logger (log_from_libcgroup, CGROUP_LOG_WARNING, NULL);
  int ret = cgroup_init ();
  if (ret != 0)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "cannot initialise libcgroup: %s",
                   cgroup_strerror (ret));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (controllers); i++)
    {
      g_autofree char *mount_point = NULL;
      ret = cgroup_get_subsys_mount_point (controllers[i], &mount_point);
      if (ret != 0)
        {
          g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED,
                       "the cgroup v1 controller '%s' is not mounted: %s", controllers[i],
                       cgroup_strerror (ret));
          return FALSE;
        }
    }
  return create_group (parent, error);
}

gboolean
box_cgroups_create (const char *parent, const char *name, GError **error)
{
  g_autofree char *path = g_build_path ("/", parent, name, NULL);
  return create_group (path, error);
}

gboolean
box_cgroups_remove (const char *parent, const char *name, GError **error)
{
  g_autofree char *path = g_build_path ("/", parent, name, NULL);
  return remove_group (path, error);
}

void
cgroups_remove_parent (const char *parent)
{
  g_autoptr (GError) error = NULL;
  if (!remove_group (parent, &error))
    g_debug ("cgroup parent kept: %s", error->message);
}
