#include "cgroup_backend.h"

#include "cgroup_files.h"

#include "sandbox/settings/box_limits.h"
#include "sandbox/sandbox_error.h"
#include "utils/autofd.h"

#include <libcgroup.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

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

/* The parent's path under each hierarchy's root: an absolute
 * cgroup_parent means the same as a relative one here. */
static char *
v1_init (const char *parent, GError **error)
{
  cgroup_set_logger (log_from_libcgroup, CGROUP_LOG_WARNING, NULL);
  int ret = cgroup_init ();
  if (ret != 0)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "cannot initialise libcgroup: %s",
                   cgroup_strerror (ret));
      return NULL;
    }

  /* libcgroup also finds a controller on cgroup v2: only a v1 mount will do. */
  for (guint i = 0; i < G_N_ELEMENTS (controllers); i++)
    {
      g_autofree char *mount_point = NULL;
      ret = cgroup_get_subsys_mount_point (controllers[i], &mount_point);
      struct statfs fs;
      if (ret == 0 && statfs (mount_point, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC)
        ret = ECGROUPNOTMOUNTED;
      if (ret != 0)
        {
          g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED,
                       "the controller '%s' is not mounted as a cgroup v1 hierarchy (%s), and "
                       "runs need memory, cpuacct and pids there",
                       controllers[i], cgroup_strerror (ret));
          return NULL;
        }
    }
  while (parent[0] == '/')
    parent++;
  return create_group (parent, error) ? g_strdup (parent) : NULL;
}

/* A box's group in one controller, on the host: MOUNT/PARENT/NAME. */
static char *
box_group_dir (const char *controller, const char *parent, const char *name, GError **error)
{
  g_autofree char *mount_point = NULL;
  int ret = cgroup_get_subsys_mount_point (controller, &mount_point);
  if (ret != 0)
    {
      set_cgroup_error (error, ret, "find the mount of", controller);
      return NULL;
    }
  return g_build_filename (mount_point, parent, name, NULL);
}

/* A box's groups are made and removed with plain mkdir and rmdir: libcgroup
 * took about a millisecond for the three (it reads and writes the groups'
 * settings), most of a box's creation. The parent is made through it. */
static gboolean
v1_create_box (const char *parent, const char *name, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (controllers); i++)
    {
      g_autofree char *dir = box_group_dir (controllers[i], parent, name, error);
      if (dir == NULL)
        return FALSE;
      if (mkdir (dir, 0755) < 0 && errno != EEXIST)
        return sandbox_set_errno_error (error, errno, "create cgroup", dir);
    }
  return TRUE;
}

static gboolean
v1_remove_box (const char *parent, const char *name, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (controllers); i++)
    {
      g_autofree char *dir = box_group_dir (controllers[i], parent, name, error);
      if (dir == NULL)
        return FALSE;
      if (rmdir (dir) < 0 && errno != ENOENT)
        return sandbox_set_errno_error (error, errno, "remove cgroup", dir);
    }
  return TRUE;
}

static gboolean
v1_rename_box (const char *parent, const char *from, const char *to, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (controllers); i++)
    {
      g_autofree char *old_dir = box_group_dir (controllers[i], parent, from, error);
      g_autofree char *new_dir = old_dir ? box_group_dir (controllers[i], parent, to, error) : NULL;
      if (new_dir != NULL && rename (old_dir, new_dir) == 0)
        continue;
      if (new_dir != NULL)
        sandbox_set_errno_error (error, errno, "rename cgroup", old_dir);
      /* Back to how it was, in the controllers done. */
      for (guint done = 0; done < i; done++)
        {
          g_autofree char *back = box_group_dir (controllers[done], parent, to, NULL);
          g_autofree char *orig = box_group_dir (controllers[done], parent, from, NULL);
          if (back != NULL && orig != NULL)
            rename (back, orig);
        }
      return FALSE;
    }
  return TRUE;
}

static gboolean
v1_box_empty (const char *parent, const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (controllers); i++)
    {
      g_autofree char *dir = box_group_dir (controllers[i], parent, name, NULL);
      g_autofree char *procs = dir ? g_build_filename (dir, "cgroup.procs", NULL) : NULL;
      g_autofree char *members = NULL;
      if (procs == NULL || !g_file_get_contents (procs, &members, NULL, NULL) || members[0] != '\0')
        return FALSE;
    }
  return TRUE;
}

/* The names in every controller: a daemon killed amid a rename leaves a
 * group under its new name in the controllers done, its old in the others. */
static GPtrArray *
v1_list_boxes (const char *parent, GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (controllers); i++)
    {
      g_autofree char *dir = box_group_dir (controllers[i], parent, "", error);
      g_autoptr (GPtrArray) groups = dir ? cgroup_list_groups (dir, error) : NULL;
      if (groups == NULL)
        return NULL;
      for (guint g = 0; g < groups->len; g++)
        if (!g_ptr_array_find_with_equal_func (names, groups->pdata[g], g_str_equal, NULL))
          g_ptr_array_add (names, g_strdup (groups->pdata[g]));
    }
  return g_steal_pointer (&names);
}

static void
v1_remove_parent (const char *parent)
{
  g_autoptr (GError) error = NULL;
  if (!remove_group (parent, &error))
    g_debug ("cgroup parent kept: %s", error->message);
}

enum
{
  MEMORY,
  CPUACCT,
  PIDS,
  N_CONTROLLERS
};

/* The counters every run reads or resets, kept open from the box's first
 * jail on: on cgroupfs an open, read and close cost 7-8 us, a pread
 * 0.8 us (measured), and a run's end reads all three before its status is
 * answered. A seq_file read again from offset 0 is made afresh, but only if
 * the last read returned something: cgroup.procs, which may be empty, is
 * opened for each read (kept open, it read empty for ever once it had). */
typedef enum
{
  CPU_USAGE,
  MEMORY_PEAK,
  OOM_CONTROL,
  N_KEPT_FILES
} KeptFile;

static const struct
{
  guint controller;
  const char *name;
  int flags;
} kept_files[N_KEPT_FILES] = {
  [CPU_USAGE] = { CPUACCT, "cpuacct.usage", O_RDWR },
  [MEMORY_PEAK] = { MEMORY, "memory.memsw.max_usage_in_bytes", O_RDWR },
  [OOM_CONTROL] = { MEMORY, "memory.oom_control", O_RDONLY },
};

typedef struct
{
  BoxCgroup base;
  char *dirs[N_CONTROLLERS];
  char *procs_files[N_CONTROLLERS + 1];
  int kept_fds[N_KEPT_FILES];
  guint64 oom_kills_before; /* memory.oom_control's oom_kill when the run was prepared */
  gboolean counters_clear;  /* v1_clear_counters since the last run's start */
  CgroupLimits limits;      /* in the cgroup files */
} V1Cgroup;

static void
v1_close_files (BoxCgroup *box_cgroup)
{
  V1Cgroup *cgroup = (V1Cgroup *) box_cgroup;
  for (guint i = 0; i < N_KEPT_FILES; i++)
    autofd_close (&cgroup->kept_fds[i]);
}

static void
v1_free (BoxCgroup *box_cgroup)
{
  V1Cgroup *cgroup = (V1Cgroup *) box_cgroup;
  for (guint i = 0; i < N_CONTROLLERS; i++)
    {
      g_free (cgroup->dirs[i]);
      g_free (cgroup->procs_files[i]);
    }
  v1_close_files (box_cgroup);
  g_free (cgroup);
}

static char *
kept_path (V1Cgroup *cgroup, KeptFile file)
{
  return g_build_filename (cgroup->dirs[kept_files[file].controller], kept_files[file].name, NULL);
}

static BoxCgroup *
v1_open_box (const char *parent, const char *name, GError **error)
{
  G_STATIC_ASSERT (G_N_ELEMENTS (controllers) == N_CONTROLLERS);
  V1Cgroup *cgroup = g_new0 (V1Cgroup, 1);
  cgroup->base.backend = &cgroup_v1_backend;
  g_autoptr (BoxCgroup) owned = &cgroup->base; /* freed by box_cgroup_free() on failure */
  for (guint i = 0; i < N_KEPT_FILES; i++)
    cgroup->kept_fds[i] = -1;
  for (guint i = 0; i < N_CONTROLLERS; i++)
    {
      char *mount_point = NULL;
      int ret = cgroup_get_subsys_mount_point (controllers[i], &mount_point);
      if (ret != 0)
        {
          set_cgroup_error (error, ret, "find the mount of", controllers[i]);
          return NULL;
        }
      cgroup->dirs[i] = g_build_filename (mount_point, parent, name, NULL);
      cgroup->procs_files[i] = g_build_filename (cgroup->dirs[i], "cgroup.procs", NULL);
      free (mount_point);
    }
  for (guint i = 0; i < N_KEPT_FILES; i++)
    {
      g_autofree char *path = kept_path (cgroup, i);
      cgroup->kept_fds[i] = open (path, kept_files[i].flags | O_CLOEXEC);
      if (cgroup->kept_fds[i] < 0)
        return sandbox_set_errno_error (error, errno, "open", path), NULL;
    }
  return g_steal_pointer (&owned);
}

/* 0, or the errno of the open or the write. */
static int
write_file (V1Cgroup *cgroup, guint controller, const char *file, const char *value)
{
  g_autofree char *path = g_build_filename (cgroup->dirs[controller], file, NULL);
  autofd fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd >= 0 && write (fd, value, strlen (value)) >= 0)
    return 0;
  return errno;
}

static gboolean
set_write_error (V1Cgroup *cgroup, guint controller, const char *file, const char *value,
                 int errnum, GError **error)
{
  g_autofree char *path = g_build_filename (cgroup->dirs[controller], file, NULL);
  return errno_error_set (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, errnum,
                          "cannot write %s to %s", value, path);
}

static gboolean
write_value (V1Cgroup *cgroup, guint controller, const char *file, const char *value,
             GError **error)
{
  g_autofree char *path = g_build_filename (cgroup->dirs[controller], file, NULL);
  return cgroup_file_write (path, value, error);
}

static gboolean
reset_kept (V1Cgroup *cgroup, KeptFile file, GError **error)
{
  if (pwrite (cgroup->kept_fds[file], "0", 1, 0) == 1)
    return TRUE;
  int saved_errno = errno;
  g_autofree char *path = kept_path (cgroup, file);
  return sandbox_set_errno_error (error, saved_errno, "write 0 to", path);
}

static char *
read_kept (V1Cgroup *cgroup, KeptFile file, GError **error)
{
  char *text = cgroup_file_read_fd (cgroup->kept_fds[file]);
  if (text == NULL)
    {
      int saved_errno = errno;
      g_autofree char *path = kept_path (cgroup, file);
      sandbox_set_errno_error (error, saved_errno, "read", path);
    }
  return text;
}

static char *
read_procs (V1Cgroup *cgroup, GError **error)
{
  return cgroup_file_read (cgroup->procs_files[PIDS], error);
}

static guint64
read_kept_u64 (V1Cgroup *cgroup, KeptFile file)
{
  g_autofree char *text = read_kept (cgroup, file, NULL);
  return text ? g_ascii_strtoull (text, NULL, 10) : 0;
}

/* memory.oom_control's "oom_kill N" line: kills by the OOM killer, ever. */
static guint64
read_oom_kills (V1Cgroup *cgroup)
{
  g_autofree char *text = read_kept (cgroup, OOM_CONTROL, NULL);
  return text ? (guint64) MAX (cgroup_keyed_value (text, "oom_kill"), 0) : 0;
}

/* What the group holds, as the usage file next to a limit file says. */
static guint64
read_usage (V1Cgroup *cgroup, const char *limit_file)
{
  g_autofree char *usage_file = g_strdup (limit_file);
  strcpy (strstr (usage_file, "limit_in_bytes"), "usage_in_bytes");
  g_autofree char *path = g_build_filename (cgroup->dirs[MEMORY], usage_file, NULL);
  g_autofree char *text = NULL;
  return g_file_get_contents (path, &text, NULL, NULL) ? g_ascii_strtoull (text, NULL, 10) : 0;
}

/* Sets a memory limit file to bytes (-1: none); *set says what it was set
 * to. The kernel refuses (EBUSY) a limit below what the group holds and
 * cannot reclaim at once. After a run it holds 100-430 KB: what the run's
 * CPUs charged ahead in batches (per-CPU stocks, drained asynchronously),
 * page cache, kernel objects. memory.force_empty reclaims what it can and
 * lets the batches drain. If what is left (kernel objects, 4-140 KB seen)
 * is still more than asked, it is the limit: the run can allocate nothing
 * either way, and its peak (above mem) makes the runner judge it out of
 * memory (run.c). */
static gboolean
write_memory_limit (V1Cgroup *cgroup, const char *file, gint64 bytes, gint64 *set, GError **error)
{
  *set = bytes;
  for (int attempt = 0;; attempt++)
    {
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, *set);
      int errnum = write_file (cgroup, MEMORY, file, value);
      if (errnum == 0)
        return TRUE;
      if (errnum != EBUSY || attempt == 3)
        return set_write_error (cgroup, MEMORY, file, value, errnum, error);
      if (attempt == 0)
        write_file (cgroup, MEMORY, "memory.force_empty", "0");
      gint64 held = (gint64) read_usage (cgroup, file);
      *set = MAX (bytes, (held + 4095) / 4096 * 4096);
      g_debug ("%s: %s asked, the group holds %" G_GINT64_FORMAT " bytes", file, value, held);
    }
}

/* Written when they change only (CgroupLimits). */
static gboolean
write_limits (V1Cgroup *cgroup, gint64 mem_kib, gint64 processes, GError **error)
{
  if (cgroup_limits_unchanged (&cgroup->limits, mem_kib, processes))
    return TRUE;
  gint64 bytes = mem_kib == LIMIT_UNLIMITED ? -1 : mem_kib * 1024;
  g_autofree char *pids = cgroup_pids_max (processes);
  gint64 memory_set = bytes, memsw_set = bytes;
  /* memsw may never be below the plain limit: lift it first, then set both.
   * The peak from the counters' reset may be of more than the group holds
   * now, reclaimed to meet the new limit: the run's own starts here. */
  gboolean written
      = write_value (cgroup, MEMORY, "memory.memsw.limit_in_bytes", "-1", error)
        && write_memory_limit (cgroup, "memory.limit_in_bytes", bytes, &memory_set, error)
        && write_memory_limit (cgroup, "memory.memsw.limit_in_bytes", memory_set, &memsw_set, error)
        && write_value (cgroup, PIDS, "pids.max", pids, error)
        && reset_kept (cgroup, MEMORY_PEAK, error);
  /* A limit raised to what the group held is tried again at the next run. */
  cgroup_limits_note (&cgroup->limits, written && memsw_set == bytes, mem_kib, processes);
  return written;
}

static guint
count_lines (const char *text)
{
  guint lines = 0;
  for (const char *c = text; *c != '\0'; c++)
    lines += *c == '\n';
  return lines;
}

static gboolean
v1_clear_counters (BoxCgroup *box_cgroup, guint waiting, GError **error)
{
  V1Cgroup *cgroup = (V1Cgroup *) box_cgroup;
  cgroup->counters_clear = FALSE;
  g_autofree char *members = read_procs (cgroup, error);
  if (members == NULL)
    return FALSE;
  if (count_lines (members) > waiting)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_BUSY,
                   "processes of an earlier run are still in %s", cgroup->dirs[PIDS]);
      return FALSE;
    }
  if (!reset_kept (cgroup, MEMORY_PEAK, error) || !reset_kept (cgroup, CPU_USAGE, error))
    return FALSE;
  cgroup->oom_kills_before = read_oom_kills (cgroup);
  cgroup->counters_clear = TRUE;
  return TRUE;
}

static gboolean
v1_prepare_run (BoxCgroup *box_cgroup, gint64 mem_kib, gint64 processes, guint waiting,
                GError **error)
{
  V1Cgroup *cgroup = (V1Cgroup *) box_cgroup;
  if (!cgroup->counters_clear && !v1_clear_counters (box_cgroup, waiting, error))
    return FALSE;
  cgroup->counters_clear = FALSE;
  return write_limits (cgroup, mem_kib, processes, error);
}

static gboolean
v1_place (BoxCgroup *box_cgroup, gboolean next_run, CgroupPlacement *placement, GError **error)
{
  V1Cgroup *cgroup = (V1Cgroup *) box_cgroup;
  *placement = (CgroupPlacement){ .procs_files = (const char *const *) cgroup->procs_files };
  return TRUE;
}

static gboolean
v1_cpu_ns (BoxCgroup *box_cgroup, guint64 *ns, GError **error)
{
  V1Cgroup *cgroup = (V1Cgroup *) box_cgroup;
  g_autofree char *text = read_kept (cgroup, CPU_USAGE, error);
  if (text == NULL)
    return FALSE;
  *ns = g_ascii_strtoull (text, NULL, 10);
  return TRUE;
}

static gint64
v1_peak_kib (BoxCgroup *box_cgroup)
{
  V1Cgroup *cgroup = (V1Cgroup *) box_cgroup;
  return (gint64) (read_kept_u64 (cgroup, MEMORY_PEAK) / 1024);
}

static gboolean
v1_oom_killed (BoxCgroup *box_cgroup)
{
  V1Cgroup *cgroup = (V1Cgroup *) box_cgroup;
  return read_oom_kills (cgroup) > cgroup->oom_kills_before;
}

static gboolean
v1_kill_all (BoxCgroup *box_cgroup)
{
  V1Cgroup *cgroup = (V1Cgroup *) box_cgroup;
  return cgroup_kill_listed (cgroup->procs_files[PIDS]);
}

const CgroupBackend cgroup_v1_backend = {
  .name = "v1",
  .runs_apart = FALSE,
  .renames = TRUE,
  .init = v1_init,
  .create_box = v1_create_box,
  .remove_box = v1_remove_box,
  .rename_box = v1_rename_box,
  .box_empty = v1_box_empty,
  .list_boxes = v1_list_boxes,
  .remove_parent = v1_remove_parent,
  .open_box = v1_open_box,
  .free = v1_free,
  .close_files = v1_close_files,
  .clear_counters = v1_clear_counters,
  .prepare_run = v1_prepare_run,
  .place = v1_place,
  .cpu_ns = v1_cpu_ns,
  .peak_kib = v1_peak_kib,
  .oom_killed = v1_oom_killed,
  .kill_all = v1_kill_all,
};
