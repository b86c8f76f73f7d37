#include "cgroup_backend.h"

#include "cgroup_files.h"
#include "cgroup_v2_tree.h"

#include "sandbox/sandbox_error.h"
#include "sandbox/settings/box_limits.h"
#include "utils/autofd.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A box's group, PARENT/NAME, holds no process itself: each run has a
 * group of its own below it, made fresh. So a run's figures are its own
 * from the first page it touches: cpu.stat and memory.peak cannot be
 * zeroed before Linux 6.12 (and memory.peak then only for one reader), and
 * memory.events only counts up. The group of the next run is made ahead,
 * with the jail prepared for it, whose program is born into it (clone3's
 * CLONE_INTO_CGROUP: sandbox/jail/zygote/proxy.c); so a jail prepared
 * during a run is never counted in that run. */

#define RUN_PREFIX "run-"

/* How long a kill waits for the group to empty: processes die at once,
 * but a busy machine may take its time to schedule their exits. */
#define KILL_WAIT_MS 2000

/* The files of a run's group a run reads, kept open (cgroup_files.h). */
typedef enum
{
  CPU_STAT,      /* usage_usec */
  MEMORY_PEAK,   /* bytes; absent before Linux 5.19 */
  MEMORY_EVENTS, /* oom_kill */
  EVENTS,        /* cgroup.events: populated, for the kill and the check of what is left */
  N_KEPT
} Kept;

static const char *const kept_names[N_KEPT] = {
  [CPU_STAT] = "cpu.stat",
  [MEMORY_PEAK] = "memory.peak",
  [MEMORY_EVENTS] = "memory.events",
  [EVENTS] = "cgroup.events",
};

typedef struct
{
  char *dir;
  int kept[N_KEPT];
  CgroupLimits limits;
} RunGroup;

typedef struct
{
  BoxCgroup base;
  char *dir;         /* the box's group */
  guint64 next;      /* names the runs' groups: no two alike while the box is open */
  RunGroup *current; /* the run under way, or the last one, until cleared */
  RunGroup *pending; /* the next run's, with the jail prepared for it */
} V2Cgroup;

/* ---- The parent and the boxes' groups ---- */

static char *
v2_init (const char *parent, GError **error)
{
  return cgroup_v2_take_subtree (parent, error);
}

static gboolean
v2_create_box (const char *parent, const char *name, GError **error)
{
  g_autofree char *dir = g_build_filename (parent, name, NULL);
  if (mkdir (dir, 0755) < 0 && errno != EEXIST)
    return sandbox_set_errno_error (error, errno, "create cgroup", dir);
  return cgroup_v2_enable_controllers (dir, error);
}

/* cgroup.events' populated counts the groups below too. A group that is
 * gone reads nothing: it holds no process either. */
static gboolean
populated (int events_fd)
{
  g_autofree char *text = cgroup_file_read_fd (events_fd);
  return text != NULL && cgroup_keyed_value (text, "populated") != 0;
}

/* SIGKILLs everything in the group at dir (and below) and waits until
 * cgroup.events says it is empty. */
static gboolean
kill_group (const char *dir, int events_fd)
{
  g_autofree char *kill_path = g_build_filename (dir, "cgroup.kill", NULL);
  if (!populated (events_fd))
    return TRUE;
  if (!cgroup_file_write (kill_path, "1", NULL))
    {
      /* Before Linux 5.14: one by one. A run's group has no groups below it. */
      g_autofree char *procs = g_build_filename (dir, "cgroup.procs", NULL);
      cgroup_kill_listed (procs);
    }
  /* cgroup.events changing wakes poll with POLLPRI. */
  gint64 deadline = g_get_monotonic_time () + KILL_WAIT_MS * 1000;
  while (populated (events_fd))
    {
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
      if (left_ms <= 0)
        return FALSE;
      struct pollfd watch = { .fd = events_fd, .events = POLLPRI };
      poll (&watch, 1, MIN (left_ms, 100));
    }
  return TRUE;
}

/* Kills what is in the group at dir and below and removes them all. */
static gboolean
remove_group (const char *dir, GError **error)
{
  g_autoptr (GDir) below = g_dir_open (dir, 0, NULL);
  for (const char *name; below != NULL && (name = g_dir_read_name (below)) != NULL;)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !remove_group (child, error))
        return FALSE;
    }
  g_autofree char *events_path = g_build_filename (dir, "cgroup.events", NULL);
  autofd events_fd = open (events_path, O_RDONLY | O_CLOEXEC);
  if (events_fd < 0)
    return errno == ENOENT || sandbox_set_errno_error (error, errno, "open", events_path);
  kill_group (dir, events_fd);
  if (rmdir (dir) < 0 && errno != ENOENT)
    return sandbox_set_errno_error (error, errno, "remove cgroup", dir);
  return TRUE;
}

static gboolean
v2_remove_box (const char *parent, const char *name, GError **error)
{
  g_autofree char *dir = g_build_filename (parent, name, NULL);
  return remove_group (dir, error);
}

static gboolean
v2_rename_box (const char *parent, const char *from, const char *to, GError **error)
{
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_NOT_SUPPORTED,
               "cgroup v2 cannot rename a group (%s/%s)", parent, from);
  return FALSE;
}

static gboolean
v2_box_empty (const char *parent, const char *name)
{
  g_autofree char *path = g_build_filename (parent, name, "cgroup.events", NULL);
  g_autofree char *events = cgroup_file_read (path, NULL);
  return events != NULL && cgroup_keyed_value (events, "populated") == 0;
}

static GPtrArray *
v2_list_boxes (const char *parent, GError **error)
{
  return cgroup_list_groups (parent, error);
}

static void
v2_remove_parent (const char *parent)
{
  if (rmdir (parent) < 0)
    g_debug ("cgroup parent %s kept: %s", parent, g_strerror (errno));
}

/* ---- The runs' groups ---- */

static void
run_group_close (RunGroup *group)
{
  for (guint i = 0; i < N_KEPT; i++)
    autofd_close (&group->kept[i]);
}

static void
run_group_free (RunGroup *group)
{
  if (group == NULL)
    return;
  run_group_close (group);
  g_free (group->dir);
  g_free (group);
}

static RunGroup *
run_group_new (V2Cgroup *cgroup, GError **error)
{
  RunGroup *group = g_new0 (RunGroup, 1);
  for (guint i = 0; i < N_KEPT; i++)
    group->kept[i] = -1;
  /* A name taken (by hand, say) is passed over. */
  int made = -1;
  for (int tries = 0; made < 0 && tries < 16; tries++)
    {
      g_free (group->dir);
      g_autofree char *name = g_strdup_printf (RUN_PREFIX "%" G_GUINT64_FORMAT, cgroup->next++);
      group->dir = g_build_filename (cgroup->dir, name, NULL);
      made = mkdir (group->dir, 0755);
      if (made < 0 && errno != EEXIST)
        break;
    }
  if (made < 0)
    {
      sandbox_set_errno_error (error, errno, "create cgroup", group->dir);
      run_group_free (group);
      return NULL;
    }
  for (guint i = 0; i < N_KEPT; i++)
    {
      g_autofree char *path = g_build_filename (group->dir, kept_names[i], NULL);
      group->kept[i] = open (path, O_RDONLY | O_CLOEXEC);
      if (group->kept[i] < 0 && !(i == MEMORY_PEAK && errno == ENOENT))
        {
          sandbox_set_errno_error (error, errno, "open", path);
          rmdir (group->dir);
          run_group_free (group);
          return NULL;
        }
    }
  return group;
}

/* The group goes once nothing is left in it. */
static gboolean
run_group_remove (RunGroup *group, GError **error)
{
  if (populated (group->kept[EVENTS]))
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_BUSY,
                   "processes of an earlier run are still in %s", group->dir);
      return FALSE;
    }
  if (rmdir (group->dir) < 0 && errno != ENOENT)
    return sandbox_set_errno_error (error, errno, "remove cgroup", group->dir);
  return TRUE;
}

static char *
bytes_or_max (gint64 kib)
{
  return kib == LIMIT_UNLIMITED ? g_strdup ("max")
                                : g_strdup_printf ("%" G_GINT64_FORMAT, kib * 1024);
}

static gboolean
write_in (RunGroup *group, const char *file, const char *value, GError **error)
{
  g_autofree char *path = g_build_filename (group->dir, file, NULL);
  return cgroup_file_write (path, value, error);
}

/* memory.max with no swap beyond it (memory.swap.max is missing where the
 * kernel does not account swap: cgroup_v2_take_subtree said so), and
 * pids.max. Written when they change only (CgroupLimits). A memory.max
 * below what the group holds makes the kernel reclaim, then kill (the
 * waiting program of a jail prepared ahead, say): the write itself never
 * fails for it. */
static gboolean
write_limits (RunGroup *group, gint64 mem_kib, gint64 processes, GError **error)
{
  if (cgroup_limits_unchanged (&group->limits, mem_kib, processes))
    return TRUE;
  g_autofree char *bytes = bytes_or_max (mem_kib);
  g_autofree char *pids = cgroup_pids_max (processes);
  g_autoptr (GError) swap_error = NULL;
  gboolean written
      = write_in (group, "memory.max", bytes, error) && write_in (group, "pids.max", pids, error);
  if (written && !write_in (group, "memory.swap.max", "0", &swap_error))
    g_debug ("%s", swap_error->message);
  cgroup_limits_note (&group->limits, written, mem_kib, processes);
  return written;
}

/* ---- A box's group, as runs use it ---- */

static void
v2_close_files (BoxCgroup *box_cgroup)
{
  V2Cgroup *cgroup = (V2Cgroup *) box_cgroup;
  if (cgroup->current != NULL)
    run_group_close (cgroup->current);
  if (cgroup->pending != NULL)
    run_group_close (cgroup->pending);
}

static void
v2_free (BoxCgroup *box_cgroup)
{
  V2Cgroup *cgroup = (V2Cgroup *) box_cgroup;
  run_group_free (cgroup->current);
  run_group_free (cgroup->pending);
  g_free (cgroup->dir);
  g_free (cgroup);
}

/* Groups of runs a daemon left behind (it was killed, or stopped during a
 * run): what runs there is killed, the groups go. */
static gboolean
remove_left_runs (const char *dir, GError **error)
{
  g_autoptr (GDir) below = g_dir_open (dir, 0, error);
  if (below == NULL)
    return FALSE;
  for (const char *name; (name = g_dir_read_name (below)) != NULL;)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !remove_group (child, error))
        return FALSE;
    }
  return TRUE;
}

static BoxCgroup *
v2_open_box (const char *parent, const char *name, GError **error)
{
  g_autofree char *dir = g_build_filename (parent, name, NULL);
  if (!remove_left_runs (dir, error))
    return NULL;
  V2Cgroup *cgroup = g_new0 (V2Cgroup, 1);
  cgroup->base.backend = &cgroup_v2_backend;
  cgroup->dir = g_steal_pointer (&dir);
  return &cgroup->base;
}

static gboolean
v2_clear_counters (BoxCgroup *box_cgroup, guint waiting, GError **error)
{
  V2Cgroup *cgroup = (V2Cgroup *) box_cgroup;
  if (cgroup->current != NULL && !run_group_remove (cgroup->current, error))
    return FALSE;
  g_clear_pointer (&cgroup->current, run_group_free);
  return TRUE;
}

static gboolean
v2_prepare_run (BoxCgroup *box_cgroup, gint64 mem_kib, gint64 processes, guint waiting,
                GError **error)
{
  V2Cgroup *cgroup = (V2Cgroup *) box_cgroup;
  if (!v2_clear_counters (box_cgroup, waiting, error))
    return FALSE;
  cgroup->current = g_steal_pointer (&cgroup->pending);
  if (cgroup->current == NULL && (cgroup->current = run_group_new (cgroup, error)) == NULL)
    return FALSE;
  return write_limits (cgroup->current, mem_kib, processes, error);
}

static gboolean
v2_place (BoxCgroup *box_cgroup, gboolean next_run, CgroupPlacement *placement, GError **error)
{
  V2Cgroup *cgroup = (V2Cgroup *) box_cgroup;
  RunGroup **group = next_run ? &cgroup->pending : &cgroup->current;
  if (*group == NULL && (*group = run_group_new (cgroup, error)) == NULL)
    return FALSE;
  *placement = (CgroupPlacement){ .birth_dir = (*group)->dir };
  return TRUE;
}

static gboolean
v2_cpu_ns (BoxCgroup *box_cgroup, guint64 *ns, GError **error)
{
  V2Cgroup *cgroup = (V2Cgroup *) box_cgroup;
  *ns = 0;
  if (cgroup->current == NULL)
    return TRUE;
  g_autofree char *text = cgroup_file_read_fd (cgroup->current->kept[CPU_STAT]);
  if (text == NULL)
    return sandbox_set_errno_error (error, errno, "read the cpu.stat of", cgroup->current->dir);
  *ns = (guint64) MAX (cgroup_keyed_value (text, "usage_usec"), 0) * 1000;
  return TRUE;
}

static gint64
v2_peak_kib (BoxCgroup *box_cgroup)
{
  V2Cgroup *cgroup = (V2Cgroup *) box_cgroup;
  if (cgroup->current == NULL || cgroup->current->kept[MEMORY_PEAK] < 0)
    return -1;
  g_autofree char *text = cgroup_file_read_fd (cgroup->current->kept[MEMORY_PEAK]);
  return text ? (gint64) (g_ascii_strtoull (text, NULL, 10) / 1024) : -1;
}

static gboolean
v2_oom_killed (BoxCgroup *box_cgroup)
{
  V2Cgroup *cgroup = (V2Cgroup *) box_cgroup;
  if (cgroup->current == NULL)
    return FALSE;
  g_autofree char *text = cgroup_file_read_fd (cgroup->current->kept[MEMORY_EVENTS]);
  return text != NULL && cgroup_keyed_value (text, "oom_kill") > 0;
}

/* The run's group: a jail prepared for the next run waits in its own. */
static gboolean
v2_kill_all (BoxCgroup *box_cgroup)
{
  V2Cgroup *cgroup = (V2Cgroup *) box_cgroup;
  RunGroup *group = cgroup->current;
  return group == NULL || kill_group (group->dir, group->kept[EVENTS]);
}

const CgroupBackend cgroup_v2_backend = {
  .name = "v2",
  .runs_apart = TRUE,
  .renames = FALSE,
  .init = v2_init,
  .create_box = v2_create_box,
  .remove_box = v2_remove_box,
  .rename_box = v2_rename_box,
  .box_empty = v2_box_empty,
  .list_boxes = v2_list_boxes,
  .remove_parent = v2_remove_parent,
  .open_box = v2_open_box,
  .free = v2_free,
  .close_files = v2_close_files,
  .clear_counters = v2_clear_counters,
  .prepare_run = v2_prepare_run,
  .place = v2_place,
  .cpu_ns = v2_cpu_ns,
  .peak_kib = v2_peak_kib,
  .oom_killed = v2_oom_killed,
  .kill_all = v2_kill_all,
};
