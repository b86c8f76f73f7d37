#include "checks.h"

#include "sandbox/cgroup/cgroup_v2_tree.h"

#include <string.h>

/* What the daemon's cgroup backend needs: sandbox/cgroup/cgroup.h. */
static const char *const v1_controllers[] = { "memory", "cpuacct", "pids" };

/* The first v1 hierarchy that carries controller, as libcgroup finds it. */
static const MountEntry *
find_v1_hierarchy (const GPtrArray *mounts, const char *controller)
{
  for (guint i = 0; i < mounts->len; i++)
    {
      const MountEntry *entry = g_ptr_array_index (mounts, i);
      if (strcmp (entry->fs_type, "cgroup") == 0
          && check_has_option (entry->super_options, controller))
        return entry;
    }
  return NULL;
}

static const MountEntry *
find_v2_hierarchy (const GPtrArray *mounts)
{
  for (guint i = 0; i < mounts->len; i++)
    {
      const MountEntry *entry = g_ptr_array_index (mounts, i);
      if (strcmp (entry->fs_type, "cgroup2") == 0)
        return entry;
    }
  return NULL;
}

/* cgroup v2: where the boxes would go, as the daemon would find it
 * (cgroup_v2_tree.h), or why it would stop. */
static void
check_v2 (GPtrArray *results, const CheckSettings *settings)
{
  g_autoptr (GError) error = NULL;
  gboolean divides_own = FALSE;
  g_autofree char *dir = cgroup_v2_look_at_subtree (settings->cgroup_parent, &divides_own, &error);
  if (dir == NULL)
    {
      check_add (results, "cgroups", CHECK_FAIL, g_strdup (error->message),
                 "see docs/deployment.md, cgroups");
      return;
    }
  check_add (results, "cgroups", CHECK_OK,
             g_strdup_printf ("cgroup v2 backend: memory and pids reach it; boxes go under %s%s",
                              dir,
                              divides_own ? " (a group the daemon divides: where it runs, it "
                                            "must be alone, as in a unit with Delegate=yes)"
                                          : ""),
             NULL);
}

/* The backend the daemon would pick (cgroup_hierarchy_resolve), and why, or FAIL. */
static void
pick_backend (GPtrArray *results, const CheckSettings *settings, const GPtrArray *mounts)
{
  if (cgroup_hierarchy_resolve (settings->cgroup) == CGROUP_HIERARCHY_V2)
    {
      check_v2 (results, settings);
      return;
    }
  g_autoptr (GString) found = g_string_new (NULL);
  g_autoptr (GString) missing = g_string_new (NULL);
  g_autoptr (GString) read_only = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (v1_controllers); i++)
    {
      const MountEntry *entry = find_v1_hierarchy (mounts, v1_controllers[i]);
      GString *list = entry == NULL                                   ? missing
                      : check_has_option (entry->mount_options, "ro") ? read_only
                                                                      : found;
      g_string_append_printf (list, "%s%s", list->len ? ", " : "", v1_controllers[i]);
      if (entry != NULL && list == found)
        g_string_append_printf (found, " (%s)", entry->mount_point);
    }
  if (missing->len == 0 && read_only->len == 0)
    {
      check_add (results, "cgroups", CHECK_OK,
                 g_strdup_printf ("cgroup v1 backend: %s; boxes go under %s in each", found->str,
                                  settings->cgroup_parent),
                 NULL);
      return;
    }
  const MountEntry *v2 = find_v2_hierarchy (mounts);
  if (missing->len > 0)
    check_add (results, "cgroups", CHECK_FAIL,
               g_strdup_printf ("the daemon's cgroup v1 backend needs the memory, cpuacct and "
                                "pids controllers; not mounted as v1: %s%s%s",
                                missing->str, v2 ? "; cgroup v2 is mounted on " : "",
                                v2 ? v2->mount_point : ""),
               "boot with systemd.unified_cgroup_hierarchy=0 (on the kernel command line), or "
               "mount each missing controller: mkdir -p /sys/fs/cgroup/NAME && mount -t cgroup "
               "-o NAME cgroup /sys/fs/cgroup/NAME");
  else
    check_add (results, "cgroups", CHECK_FAIL,
               g_strdup_printf ("cgroup v1 controllers mounted read-only: %s", read_only->str),
               "remount them read-write (as root the daemon makes groups in them)");
}

void
check_cgroups (GPtrArray *results, const CheckSettings *settings)
{
  g_autoptr (GPtrArray) mounts = check_mount_table ();
  pick_backend (results, settings, mounts);
}

/* Swap in use, KiB, from /proc/swaps ("Filename Type Size Used Priority"). */
static guint64
swap_size_kib (guint *devices)
{
  g_autofree char *text = NULL;
  *devices = 0;
  if (!g_file_get_contents ("/proc/swaps", &text, NULL, NULL))
    return 0;
  guint64 total = 0;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto (GStrv) fields = g_strsplit_set (lines[i], " \t", -1);
      guint n = 0;
      for (guint j = 0; fields[j] != NULL; j++)
        if (*fields[j] != '\0' && ++n == 3)
          {
            total += g_ascii_strtoull (fields[j], NULL, 10);
            (*devices)++;
          }
    }
  return total;
}

/* cgroup v2: the daemon sets memory.swap.max = 0 beside memory.max, where
 * the kernel accounts swap: its groups with the memory controller then
 * have the file (the root has neither; its children show it). */
static void
check_swap_v2 (GPtrArray *results, guint64 swap_kib, guint devices)
{
  g_autofree char *mount = cgroup_v2_mount_point ();
  g_autoptr (GDir) groups = mount ? g_dir_open (mount, 0, NULL) : NULL;
  guint with_memory = 0, accounted = 0;
  for (const char *name; groups != NULL && (name = g_dir_read_name (groups)) != NULL;)
    {
      g_autofree char *max = g_build_filename (mount, name, "memory.max", NULL);
      g_autofree char *swap_max = g_build_filename (mount, name, "memory.swap.max", NULL);
      with_memory += g_file_test (max, G_FILE_TEST_EXISTS);
      accounted += g_file_test (swap_max, G_FILE_TEST_EXISTS);
    }
  if (with_memory > 0 && accounted == 0)
    check_add (results, "swap", swap_kib > 0 ? CHECK_FAIL : CHECK_WARN,
               g_strdup_printf ("no swap accounting (no memory.swap.max in %s's groups): a run "
                                "may use swap beyond mem; %" G_GUINT64_FORMAT " KiB of swap",
                                mount, swap_kib),
               "boot without swapaccount=0 (or swapoff -a)");
  else if (swap_kib > 0)
    check_add (results, "swap", CHECK_WARN,
               g_strdup_printf ("%u swap device(s), %" G_GUINT64_FORMAT
                                " KiB: runs get none (memory.swap.max = 0), but the host's "
                                "other processes pushed to swap slow the machine, and times vary",
                                devices, swap_kib),
               "swapoff -a, and remove the swap lines from /etc/fstab");
  else
    check_add (results, "swap", CHECK_OK,
               g_strdup (with_memory > 0 ? "no swap; swap accounting (memory.swap.max) present"
                                         : "no swap"),
               NULL);
}

/* The daemon limits memory + swap (v1: memory.memsw.*, so that swap cannot
 * stretch mem); without swap accounting the kernel has no such files and
 * every run fails to set its limit. Swap itself, even accounted, makes a
 * program that is pushed out slower: unfair, not unsafe. */
void
check_swap (GPtrArray *results, const CheckSettings *settings)
{
  if (cgroup_hierarchy_resolve (settings->cgroup) == CGROUP_HIERARCHY_V2)
    {
      guint devices;
      guint64 swap_kib = swap_size_kib (&devices);
      check_swap_v2 (results, swap_kib, devices);
      return;
    }
  g_autoptr (GPtrArray) mounts = check_mount_table ();
  const MountEntry *memory = find_v1_hierarchy (mounts, "memory");
  guint devices;
  guint64 swap_kib = swap_size_kib (&devices);
  if (memory != NULL)
    {
      g_autofree char *memsw
          = g_build_filename (memory->mount_point, "memory.memsw.limit_in_bytes", NULL);
      if (!g_file_test (memsw, G_FILE_TEST_EXISTS))
        check_add (results, "swap", CHECK_FAIL,
                   g_strdup_printf ("no swap accounting (%s is missing): the daemon limits "
                                    "memory + swap, and every run would fail to",
                                    memsw),
                   "boot with swapaccount=1 on the kernel command line");
      else if (swap_kib > 0)
        check_add (results, "swap", CHECK_WARN,
                   g_strdup_printf ("%u swap device(s), %" G_GUINT64_FORMAT
                                    " KiB: memory limits hold (swap is accounted), but a "
                                    "program pushed to swap runs slower, and its times vary",
                                    devices, swap_kib),
                   "swapoff -a, and remove the swap lines from /etc/fstab");
      else
        check_add (results, "swap", CHECK_OK,
                   g_strdup ("no swap; swap accounting (memory.memsw) present"), NULL);
      return;
    }
  /* No memory controller: check_cgroups says so; say what is known of swap. */
  check_add (results, "swap", swap_kib > 0 ? CHECK_WARN : CHECK_OK,
             g_strdup_printf ("%" G_GUINT64_FORMAT " KiB of swap; no memory controller to "
                              "account it",
                              swap_kib),
             swap_kib > 0 ? "swapoff -a, and remove the swap lines from /etc/fstab" : NULL);
}
