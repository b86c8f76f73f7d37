/* isolatefs --check against this machine: each check's outcome is worked
 * out here from what the machine shows (its mounts, sysctls, devices),
 * independently of the daemon's code, and compared with what --check says.
 * Then the outcomes that a test can bring about: a uid range with users or
 * files in it, a noexec state directory, a state directory in use. */

#include "host_features.h"
#include "cgroup_layout.h"
#include "mount_fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/magic.h>
#include <pwd.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <glib/gstdio.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct
{
  char *outcome; /* OK, WARN or FAIL */
  char *finding;
  char *fix; /* NULL when OK */
} Line;

static void
line_free (gpointer data)
{
  Line *line = data;
  g_free (line->outcome);
  g_free (line->finding);
  g_free (line->fix);
  g_free (line);
}

typedef struct
{
  int status;         /* exit status */
  GHashTable *checks; /* name -> Line */
  GPtrArray *order;   /* names, as printed */
  char *summary;      /* the closing count */
} Report;

static void
report_free (Report *report)
{
  g_hash_table_unref (report->checks);
  g_ptr_array_unref (report->order);
  g_free (report->summary);
  g_free (report);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Report, report_free)

/* "OK   name: finding", then "     fix: ..." under a line not OK. */
static Report *
parse_report (const char *text, int status)
{
  Report *report = g_new0 (Report, 1);
  report->status = status;
  report->checks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, line_free);
  report->order = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  Line *last = NULL;
  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      if (g_str_has_prefix (lines[i], "     fix: "))
        {
          g_assert_nonnull (last);
          g_assert_null (last->fix);
          last->fix = g_strdup (lines[i] + strlen ("     fix: "));
          continue;
        }
      g_auto (GStrv) head = g_strsplit (lines[i], ": ", 2);
      g_auto (GStrv) words = g_strsplit_set (head[0], " ", -1);
      const char *outcome = words[0];
      const char *name = words[g_strv_length (words) - 1];
      if (!g_strv_contains ((const char *const[]){ "OK", "WARN", "FAIL", NULL }, outcome))
        {
          g_assert_null (report->summary);
          report->summary = g_strdup (lines[i]);
          continue;
        }
      g_assert_nonnull (head[1]);
      g_assert_false (g_hash_table_contains (report->checks, name));
      last = g_new0 (Line, 1);
      last->outcome = g_strdup (outcome);
      last->finding = g_strdup (head[1]);
      g_hash_table_insert (report->checks, g_strdup (name), last);
      g_ptr_array_add (report->order, g_strdup (name));
    }
  return report;
}

static void
drop_to_nobody (gpointer data)
{
  if (data != NULL && (setgroups (0, NULL) < 0 || setgid (65534) < 0 || setuid (65534) < 0))
    _exit (99);
}

/* isolatefs --check -o OPTIONS, as root or (as_nobody) as nobody. */
static Report *
run_check (const char *options, gboolean as_nobody)
{
  const char *argv[] = { g_getenv ("ISOLATEFS"), "--check", "-o", options, NULL };
  g_autofree char *out = NULL, *err = NULL;
  int wait_status;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, drop_to_nobody,
                               as_nobody ? "" : NULL, &out, &err, &wait_status, &error));
  g_assert_no_error (error);
  g_test_message ("isolatefs --check -o %s%s:\n%s%s", options, as_nobody ? " (as nobody)" : "", out,
                  err);
  g_assert_true (WIFEXITED (wait_status));
  return parse_report (out, WEXITSTATUS (wait_status));
}

static const Line *
check_line (const Report *report, const char *name)
{
  const Line *line = g_hash_table_lookup (report->checks, name);
  if (line == NULL)
    g_error ("--check printed no line for %s", name);
  return line;
}

static void
assert_outcome (const Report *report, const char *name, const char *expected)
{
  const Line *line = check_line (report, name);
  g_test_message ("%s: expected %s, got %s", name, expected, line->outcome);
  g_assert_cmpstr (line->outcome, ==, expected);
  /* Every line that is not OK says what to do; an OK one does not. */
  if (strcmp (expected, "OK") == 0)
    g_assert_null (line->fix);
  else
    g_assert_nonnull (line->fix);
}

static gboolean
read_line (const char *path, char **value)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    {
      *value = NULL;
      return FALSE;
    }
  *value = g_strdup (g_strchomp (text));
  return TRUE;
}

/* ---- what this machine shows, worked out here ---- */

/* Are memory, cpuacct and pids each on a cgroup v1 hierarchy? */
static gboolean
host_has_v1_controllers (void)
{
  g_autofree char *mounts = NULL;
  g_assert_true (g_file_get_contents ("/proc/self/mounts", &mounts, NULL, NULL));
  const char *const needed[] = { "memory", "cpuacct", "pids" };
  g_auto (GStrv) lines = g_strsplit (mounts, "\n", -1);
  for (guint n = 0; n < G_N_ELEMENTS (needed); n++)
    {
      gboolean found = FALSE;
      for (guint i = 0; lines[i] != NULL && !found; i++)
        {
          g_auto (GStrv) fields = g_strsplit (lines[i], " ", -1);
          if (g_strv_length (fields) < 4 || strcmp (fields[2], "cgroup") != 0)
            continue;
          g_auto (GStrv) options = g_strsplit (fields[3], ",", -1);
          found = g_strv_contains ((const char *const *) options, needed[n]);
        }
      if (!found)
        return FALSE;
    }
  return TRUE;
}

/* cgroup v2, where cgroup=auto picks it: do memory and pids reach the
 * root's groups? */
static gboolean
host_has_v2_controllers (void)
{
  g_autofree char *controllers = NULL;
  if (!g_file_get_contents ("/sys/fs/cgroup/cgroup.controllers", &controllers, NULL, NULL))
    return FALSE;
  g_auto (GStrv) names = g_strsplit_set (g_strstrip (controllers), " ", -1);
  return g_strv_contains ((const char *const *) names, "memory")
         && g_strv_contains ((const char *const *) names, "pids");
}

static const char *
expected_cgroups (void)
{
  if (cgroup_layout_is_v2 ())
    return host_has_v2_controllers () ? "OK" : "FAIL";
  return host_has_v1_controllers () ? "OK" : "FAIL";
}

/* On v2, whether swap is accounted shows in the root's groups that have
 * the memory controller: "none" have it, "yes" they have memory.swap.max,
 * "no" they do not. */
static const char *
v2_swap_accounting (void)
{
  g_autoptr (GDir) groups = g_dir_open ("/sys/fs/cgroup", 0, NULL);
  gboolean with_memory = FALSE, accounted = FALSE;
  for (const char *name; groups != NULL && (name = g_dir_read_name (groups)) != NULL;)
    {
      g_autofree char *max = g_build_filename ("/sys/fs/cgroup", name, "memory.max", NULL);
      g_autofree char *swap = g_build_filename ("/sys/fs/cgroup", name, "memory.swap.max", NULL);
      with_memory |= g_file_test (max, G_FILE_TEST_EXISTS);
      accounted |= g_file_test (swap, G_FILE_TEST_EXISTS);
    }
  return !with_memory ? "none" : accounted ? "yes" : "no";
}

static const char *
expected_swap (void)
{
  g_autofree char *swaps = NULL;
  g_assert_true (g_file_get_contents ("/proc/swaps", &swaps, NULL, NULL));
  gboolean swap_on = strchr (swaps, '\n') != NULL && strchr (swaps, '\n')[1] != '\0';
  if (cgroup_layout_is_v2 ())
    {
      const char *accounting = v2_swap_accounting ();
      if (strcmp (accounting, "no") == 0)
        return swap_on ? "FAIL" : "WARN";
      return swap_on ? "WARN" : "OK";
    }
  if (!g_file_test ("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes", G_FILE_TEST_EXISTS))
    return "FAIL";
  return swap_on ? "WARN" : "OK";
}

/* Can a child make the five namespaces of a sandbox? */
static const char *
expected_namespaces (void)
{
  pid_t child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    _exit (unshare (CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET) == 0
               ? 0
               : 1);
  int status;
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  return WIFEXITED (status) && WEXITSTATUS (status) == 0 ? "OK" : "FAIL";
}

static const char *
expected_userns (void)
{
  g_autofree char *clone = NULL, *max = NULL, *apparmor = NULL;
  read_line ("/proc/sys/kernel/unprivileged_userns_clone", &clone);
  read_line ("/proc/sys/user/max_user_namespaces", &max);
  read_line ("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", &apparmor);
  gboolean closed
      = g_strcmp0 (clone, "0") == 0 || g_strcmp0 (max, "0") == 0 || g_strcmp0 (apparmor, "1") == 0;
  return closed ? "OK" : "WARN";
}

static const char *
expected_aslr (void)
{
  g_autofree char *value = NULL;
  return read_line ("/proc/sys/kernel/randomize_va_space", &value) && strcmp (value, "0") != 0
             ? "WARN"
             : "OK";
}

static const char *
expected_cpufreq (void)
{
  for (guint cpu = 0; cpu < 4096; cpu++)
    {
      g_autofree char *path
          = g_strdup_printf ("/sys/devices/system/cpu/cpu%u/cpufreq/scaling_governor", cpu);
      g_autofree char *governor = NULL;
      if (read_line (path, &governor) && strcmp (governor, "performance") != 0)
        return "WARN";
    }
  return "OK";
}

static const char *
expected_turbo (void)
{
  g_autofree char *no_turbo = NULL, *boost = NULL;
  read_line ("/sys/devices/system/cpu/intel_pstate/no_turbo", &no_turbo);
  read_line ("/sys/devices/system/cpu/cpufreq/boost", &boost);
  return g_strcmp0 (no_turbo, "0") == 0 || (boost != NULL && strcmp (boost, "0") != 0) ? "WARN"
                                                                                       : "OK";
}

static const char *
expected_thp (void)
{
  g_autofree char *enabled = NULL;
  read_line ("/sys/kernel/mm/transparent_hugepage/enabled", &enabled);
  return enabled != NULL && strstr (enabled, "[always]") != NULL ? "WARN" : "OK";
}

static const char *
expected_core_pattern (void)
{
  g_autofree char *pattern = NULL;
  g_assert_true (read_line ("/proc/sys/kernel/core_pattern", &pattern));
  return pattern[0] == '|' ? "WARN" : "OK";
}

/* A state directory in a fresh directory of /tmp: FAIL on a noexec /tmp,
 * WARN on a tmpfs one or one with less than a GiB free. */
static const char *
expected_state_dir (const char *dir)
{
  struct statfs fs;
  g_assert_cmpint (statfs (dir, &fs), ==, 0);
  if (fs.f_flags & ST_NOEXEC)
    return "FAIL";
  if (fs.f_type == TMPFS_MAGIC
      || (guint64) fs.f_bavail * fs.f_bsize < (G_GUINT64_CONSTANT (1) << 30))
    return "WARN";
  return "OK";
}

/* A range of box_uids ids with no user and no group in it. */
static guint32
free_id_range (guint32 box_uids)
{
  for (guint32 first = 3000000000u;; first += 1000)
    {
      gboolean used = FALSE;
      for (guint32 id = first; id < first + box_uids && !used; id++)
        used = getpwuid (id) != NULL || getgrgid (id) != NULL;
      if (!used)
        return first;
    }
}

static void
test_this_host (void)
{
  if (!mount_require_root ())
    return;
  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-check-XXXXXX", NULL);
  g_autofree char *state_dir = g_build_filename (tmp, "state", NULL);
  guint32 first = free_id_range (10);
  g_autofree char *options = g_strdup_printf (
      "state_dir=%s,cgroup_parent=isolatefs-check,first_uid=%u,first_gid=%u,box_uids=10", state_dir,
      first, first);
  g_autoptr (Report) report = run_check (options, FALSE);

  g_autofree char *loop_reason = NULL;
  const struct
  {
    const char *name;
    const char *outcome;
  } expected[] = {
    { "root", "OK" },
    { "cgroups", expected_cgroups () },
    { "swap", expected_swap () },
    { "fuse", "OK" }, /* mount_require_root opened it */
    /* No quota configured: a host without loop devices only warns. */
    { "loop", host_has_loop_devices (&loop_reason) ? "OK" : "WARN" },
    { "namespaces", expected_namespaces () },
    { "userns", expected_userns () },
    { "aslr", expected_aslr () },
    { "cpufreq", expected_cpufreq () },
    { "turbo", expected_turbo () },
    { "thp", expected_thp () },
    { "core_pattern", expected_core_pattern () },
    { "uids", "OK" },
    { "state_dir", expected_state_dir (tmp) },
    { "state_lock", "OK" },
  };
  gboolean fails = FALSE;
  guint counts[3] = { 0 };
  g_assert_cmpuint (report->order->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmpstr (g_ptr_array_index (report->order, i), ==, expected[i].name);
      assert_outcome (report, expected[i].name, expected[i].outcome);
      fails |= strcmp (expected[i].outcome, "FAIL") == 0;
      counts[strcmp (expected[i].outcome, "OK") == 0     ? 0
             : strcmp (expected[i].outcome, "WARN") == 0 ? 1
                                                         : 2]++;
    }
  g_autofree char *summary
      = g_strdup_printf ("%u OK, %u WARN, %u FAIL", counts[0], counts[1], counts[2]);
  g_assert_cmpstr (report->summary, ==, summary);
  g_assert_cmpint (report->status, ==, fails ? 1 : 0);

  /* Which backend the daemon would pick, and where the boxes would go. */
  const char *finding = check_line (report, "cgroups")->finding;
  if (cgroup_layout_is_v2 () && host_has_v2_controllers ())
    {
      g_assert_true (g_str_has_prefix (finding, "cgroup v2 backend"));
      g_assert_nonnull (strstr (finding, "/isolatefs-check"));
    }
  else if (!cgroup_layout_is_v2 () && host_has_v1_controllers ())
    {
      g_assert_true (g_str_has_prefix (finding, "cgroup v1 backend"));
      g_assert_nonnull (strstr (finding, "boxes go under isolatefs-check"));
    }
  /* The state directory is not made by a check. */
  g_assert_false (g_file_test (state_dir, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

/* Users 1-10 exist on every Debian (daemon, bin, sys...): a box would run
 * as one of them. */
static void
test_uid_range_of_users (void)
{
  if (!mount_require_root ())
    return;
  struct passwd *daemon_user = getpwuid (1);
  if (daemon_user == NULL)
    {
      g_test_skip ("no user with uid 1 here");
      return;
    }
  g_autoptr (Report) report = run_check ("first_uid=1,first_gid=1,box_uids=10", FALSE);
  assert_outcome (report, "uids", "FAIL");
  g_autofree char *named = g_strdup_printf ("%s (1)", daemon_user->pw_name);
  g_assert_nonnull (strstr (check_line (report, "uids")->finding, named));
  g_assert_cmpint (report->status, ==, 1);
}

/* A file that every box sees (in /etc), owned by a box uid. */
static void
test_file_of_a_box_uid (void)
{
  if (!mount_require_root ())
    return;
  guint32 first = free_id_range (10);
  g_autofree char *planted = g_strdup_printf ("/etc/.isolatefs-check-test-%d", (int) getpid ());
  g_assert_true (g_file_set_contents (planted, "", -1, NULL));
  g_assert_cmpint (chown (planted, first + 3, 0), ==, 0);
  g_autofree char *options
      = g_strdup_printf ("first_uid=%u,first_gid=%u,box_uids=10", first, first);
  g_autoptr (Report) report = run_check (options, FALSE);
  g_assert_cmpint (g_unlink (planted), ==, 0);
  assert_outcome (report, "uids", "FAIL");
  g_assert_nonnull (strstr (check_line (report, "uids")->finding, planted));
  g_assert_cmpint (report->status, ==, 1);
}

/* box/ lives in the state directory: on a noexec filesystem no program
 * copied into a box could run. */
static void
test_noexec_state_dir (void)
{
  if (!mount_require_root ())
    return;
  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-check-XXXXXX", NULL);
  g_assert_cmpint (mount ("isolatefs-check", tmp, "tmpfs", MS_NOEXEC, "size=1m"), ==, 0);
  g_autofree char *options = g_strdup_printf ("state_dir=%s/state", tmp);
  g_autoptr (Report) report = run_check (options, FALSE);
  g_assert_cmpint (umount (tmp), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
  assert_outcome (report, "state_dir", "FAIL");
  g_assert_nonnull (strstr (check_line (report, "state_dir")->finding, "noexec"));
  g_assert_cmpint (report->status, ==, 1);
}

/* A running daemon's state directory: named with its holder, and only a
 * warning (judges run the check beside the daemon they run). */
static void
test_state_dir_in_use (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  g_autofree char *options = g_strdup_printf ("state_dir=%s", mount->state_dir);
  g_autoptr (Report) report = run_check (options, FALSE);
  assert_outcome (report, "state_lock", "WARN");
  g_autofree char *holder
      = g_strdup_printf ("isolatefs pid %s, serving %s",
                         g_subprocess_get_identifier (mount->daemon), mount->mount_dir);
  g_assert_nonnull (strstr (check_line (report, "state_lock")->finding, holder));
}

/* Not root: the checks that need root say they cannot tell. */
static void
test_not_root (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Report) report = run_check ("first_uid=3000000000,box_uids=10", TRUE);
  assert_outcome (report, "root", "WARN");
  assert_outcome (report, "fuse", "WARN");
  assert_outcome (report, "namespaces", "WARN");
  assert_outcome (report, "state_dir", "WARN");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/check/this-host", test_this_host);
  g_test_add_func ("/check/uid-range-of-users", test_uid_range_of_users);
  g_test_add_func ("/check/file-of-a-box-uid", test_file_of_a_box_uid);
  g_test_add_func ("/check/noexec-state-dir", test_noexec_state_dir);
  g_test_add_func ("/check/state-dir-in-use", test_state_dir_in_use);
  g_test_add_func ("/check/not-root", test_not_root);
  return g_test_run ();
}
