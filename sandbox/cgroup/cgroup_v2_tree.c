#include "cgroup_v2_tree.h"

#include "cgroup_files.h"

#include "sandbox/sandbox_error.h"

#include <errno.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define UNIFIED "/sys/fs/cgroup"
#define HYBRID "/sys/fs/cgroup/unified"

/* The daemon's own leaf, when it takes its own group for the boxes. */
#define DAEMON_LEAF "daemon"

/* What a run is limited by (required), and measured or weighed by (cpu:
 * enabled where there; cpu.stat's usage_usec is there without it). */
static const char *const required[] = { "memory", "pids", NULL };
static const char *const wanted[] = { "memory", "pids", "cpu", NULL };

static gboolean
is_cgroup2 (const char *path)
{
  struct statfs fs;
  return statfs (path, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
}

gboolean
cgroup_v2_is_the_hierarchy (void)
{
  return is_cgroup2 (UNIFIED);
}

char *
cgroup_v2_mount_point (void)
{
  if (is_cgroup2 (UNIFIED))
    return g_strdup (UNIFIED);
  return is_cgroup2 (HYBRID) ? g_strdup (HYBRID) : NULL;
}

/* This process's group, "/..." from the hierarchy's root: the "0::" line
 * of /proc/self/cgroup. */
static char *
own_group (GError **error)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents ("/proc/self/cgroup", &text, NULL, error))
    return NULL;
  const char *line = g_str_has_prefix (text, "0::") ? text : strstr (text, "\n0::");
  if (line == NULL)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED,
                   "/proc/self/cgroup names no cgroup v2 group");
      return NULL;
    }
  line += line[0] == '\n' ? 4 : 3;
  return g_strndup (line, strcspn (line, "\n"));
}

static gboolean
has_word (const char *text, const char *word)
{
  g_auto (GStrv) words = g_strsplit_set (text, " \n", -1);
  return g_strv_contains ((const char *const *) words, word);
}

/* "the memory controller", "the memory and pids controllers": the
 * required ones the group at dir lacks, or NULL if it has them all. */
static char *
missing_controllers (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "cgroup.controllers", NULL);
  g_autofree char *available = cgroup_file_read (path, error);
  if (available == NULL)
    return NULL;
  g_autoptr (GPtrArray) missing = g_ptr_array_new ();
  for (guint i = 0; required[i] != NULL; i++)
    if (!has_word (available, required[i]))
      g_ptr_array_add (missing, (gpointer) required[i]);
  if (missing->len == 0)
    return NULL;
  g_ptr_array_add (missing, NULL);
  g_autofree char *names = g_strjoinv (" and ", (char **) missing->pdata);
  return g_strdup_printf ("the %s controller%s", names, missing->len > 2 ? "s" : "");
}

static gboolean
check_controllers (const char *dir, gboolean root, GError **error)
{
  GError *read_error = NULL;
  g_autofree char *missing = missing_controllers (dir, &read_error);
  if (read_error != NULL)
    return g_propagate_error (error, read_error), FALSE;
  if (missing == NULL)
    return TRUE;
  if (root)
    g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED,
                 "cgroup v2 lacks %s (%s/cgroup.controllers): bound to a cgroup v1 hierarchy, "
                 "or disabled on the kernel's command line. Use cgroup=v1, or boot with "
                 "systemd.unified_cgroup_hierarchy=1",
                 missing, dir);
  else
    g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED,
                 "%s not delegated to %s (cgroup.controllers): the group above it does not "
                 "enable them. Under systemd, run isolatefs from a unit with Delegate=yes, or "
                 "give an absolute cgroup_parent",
                 missing, dir);
  return FALSE;
}

/* The daemon leaves its group, which is to hold the boxes' groups, for a
 * leaf of its own. Only if nothing else is in it: the group is the
 * daemon's to divide (a unit with Delegate=yes), not a shell's session. */
static gboolean
move_into_leaf (const char *own_dir, GError **error)
{
  g_autofree char *procs_path = g_build_filename (own_dir, "cgroup.procs", NULL);
  g_autofree char *procs = cgroup_file_read (procs_path, error);
  if (procs == NULL)
    return FALSE;
  g_autofree char *self = g_strdup_printf ("%d", (int) getpid ());
  g_auto (GStrv) pids = g_strsplit (g_strstrip (procs), "\n", -1);
  for (guint i = 0; pids[i] != NULL; i++)
    if (strcmp (pids[i], self) != 0)
      {
        g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED,
                     "the daemon's cgroup %s holds other processes (%s): a relative "
                     "cgroup_parent needs a group of the daemon's own, as a systemd unit with "
                     "Delegate=yes has, or give an absolute cgroup_parent",
                     own_dir, pids[i]);
        return FALSE;
      }
  g_autofree char *leaf = g_build_filename (own_dir, DAEMON_LEAF, NULL);
  g_autofree char *leaf_procs = g_build_filename (leaf, "cgroup.procs", NULL);
  if (mkdir (leaf, 0755) < 0 && errno != EEXIST)
    return sandbox_set_errno_error (error, errno, "create cgroup", leaf);
  if (!cgroup_file_write (leaf_procs, self, error))
    return FALSE;
  g_message ("cgroup v2: the daemon moved into %s", leaf);
  return TRUE;
}

gboolean
cgroup_v2_enable_controllers (const char *dir, GError **error)
{
  g_autofree char *controllers_path = g_build_filename (dir, "cgroup.controllers", NULL);
  g_autofree char *subtree_path = g_build_filename (dir, "cgroup.subtree_control", NULL);
  g_autofree char *available = cgroup_file_read (controllers_path, error);
  g_autofree char *enabled = available ? cgroup_file_read (subtree_path, error) : NULL;
  if (enabled == NULL)
    return FALSE;
  g_autoptr (GString) change = g_string_new (NULL);
  for (guint i = 0; wanted[i] != NULL; i++)
    if (has_word (available, wanted[i]) && !has_word (enabled, wanted[i]))
      g_string_append_printf (change, "%s+%s", change->len ? " " : "", wanted[i]);
  if (change->len == 0)
    return TRUE;
  GError *write_error = NULL;
  if (cgroup_file_write (subtree_path, change->str, &write_error))
    return TRUE;
  if (g_error_matches (write_error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED)
      && strstr (write_error->message, g_strerror (EBUSY)) != NULL)
    g_prefix_error (&write_error,
                    "processes are in %s, and cgroup v2 lets only a group without processes "
                    "enable controllers for its children: ",
                    dir);
  g_propagate_error (error, write_error);
  return FALSE;
}

/* Each group from top (which exists) down to dir is made and enables the
 * controllers for the one below it, dir too for the boxes' groups. */
static gboolean
make_down_to (const char *top, const char *dir, GError **error)
{
  if (!cgroup_v2_enable_controllers (top, error))
    return FALSE;
  g_autofree char *path = g_strdup (top);
  g_auto (GStrv) names = g_strsplit (dir + strlen (top), "/", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (names[i][0] == '\0')
        continue;
      char *deeper = g_build_filename (path, names[i], NULL);
      g_free (path);
      path = deeper;
      if (mkdir (path, 0755) < 0 && errno != EEXIST)
        return sandbox_set_errno_error (error, errno, "create cgroup", path);
      if (!cgroup_v2_enable_controllers (path, error))
        return FALSE;
    }
  return TRUE;
}

/* Does clone3 take CLONE_INTO_CGROUP (Linux 5.7)? Asked with a descriptor
 * that is not open: EBADF if it does, E2BIG, EINVAL or ENOSYS before. */
static gboolean
has_clone_into_cgroup (void)
{
  struct clone_args args = {
    .flags = CLONE_INTO_CGROUP,
    .exit_signal = SIGCHLD,
    .cgroup = INT_MAX,
  };
  long pid = syscall (SYS_clone3, &args, sizeof args);
  /* Never seen: a kernel that made a child of it anyway. */
  if (pid == 0)
    _exit (0);
  if (pid > 0)
    waitpid ((pid_t) pid, NULL, 0);
  return pid < 0 && errno == EBADF;
}

/* What this kernel lacks that the runs' groups would use: said once, at
 * start (docs/deployment.md#cgroups). dir is the parent's group, which has
 * the memory controller's files. */
static void
tell_what_is_missing (const char *dir)
{
  static const struct
  {
    const char *file;
    const char *without;
  } optional[] = {
    { "memory.peak", "no memory.peak (Linux 5.19): status has no cg-mem" },
    { "cgroup.kill", "no cgroup.kill (Linux 5.14): a run's processes are killed one by one" },
    { "memory.swap.max", "no memory.swap.max (swap accounting is off): a run may use swap "
                         "beyond mem" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (optional); i++)
    {
      g_autofree char *path = g_build_filename (dir, optional[i].file, NULL);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        g_message ("cgroup v2: %s", optional[i].without);
    }
  if (!has_clone_into_cgroup ())
    g_message ("cgroup v2: no clone3(CLONE_INTO_CGROUP) (Linux 5.7): a program moves into its "
               "run's group before it runs anything");
}

/* Where the subtree for parent starts (the daemon's own group, or the
 * root for an absolute parent) and the parent's directory; FALSE with an
 * error if the controllers do not reach it. */
static gboolean
locate_subtree (const char *parent, char **top, char **dir, gboolean *own, GError **error)
{
  g_autofree char *mount = cgroup_v2_mount_point ();
  if (mount == NULL)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED,
                   "no cgroup v2 hierarchy is mounted (at %s or %s)", UNIFIED, HYBRID);
      return FALSE;
    }
  g_autofree char *own_path = own_group (error);
  if (own_path == NULL)
    return FALSE;
  gboolean absolute = parent[0] == '/';
  *own = !absolute && strcmp (own_path, "/") != 0;
  *top = *own ? g_build_filename (mount, own_path, NULL) : g_strdup (mount);
  *dir = g_build_filename (*top, parent, NULL);
  return check_controllers (*top, !*own, error);
}

char *
cgroup_v2_look_at_subtree (const char *parent, gboolean *divides_own, GError **error)
{
  g_autofree char *top = NULL;
  g_autofree char *dir = NULL;
  if (!locate_subtree (parent, &top, &dir, divides_own, error))
    return NULL;
  return g_steal_pointer (&dir);
}

char *
cgroup_v2_take_subtree (const char *parent, GError **error)
{
  g_autofree char *top = NULL;
  g_autofree char *dir = NULL;
  gboolean own;
  if (!locate_subtree (parent, &top, &dir, &own, error))
    return NULL;
  /* The root may hold processes and enable controllers both. */
  if (own && !move_into_leaf (top, error))
    return NULL;
  if (!make_down_to (top, dir, error))
    return NULL;
  tell_what_is_missing (dir);
  return g_steal_pointer (&dir);
}
