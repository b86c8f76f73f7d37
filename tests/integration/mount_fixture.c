#include "mount_fixture.h"

#include "cgroup_layout.h"
#include "fixture_guardian.h"
#include "machine_speed.h"

#include "utils/remove_tree.h"

#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *
isolatefs_path (void)
{
  const char *path = g_getenv ("ISOLATEFS");
  g_assert_nonnull (path);
  return path;
}

gboolean
mount_require_root (void)
{
  if (geteuid () != 0)
    {
      g_test_skip ("needs root: mounts FUSE and creates cgroups");
      return FALSE;
    }
  if (access ("/dev/fuse", R_OK | W_OK) != 0)
    {
      g_test_skip ("needs /dev/fuse");
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_mounted (const char *dir)
{
  g_autofree char *mounts = NULL;
  g_assert_true (g_file_get_contents ("/proc/self/mounts", &mounts, NULL, NULL));
  g_autofree char *needle = g_strdup_printf (" %s fuse", dir);
  return strstr (mounts, needle) != NULL;
}

/* A stale mount of a killed daemon is listed too, but answers ENOTCONN; the
 * new daemon detaches it before it mounts. So ask first: listed, then
 * answering, could be the stale mount and then the bare directory. statfs,
 * not stat, which the kernel answers from its cache for a second after the
 * root was last looked at, even on the stale mount. */
static gboolean
mount_answers (const char *dir)
{
  struct statfs fs;
  return statfs (dir, &fs) == 0 && is_mounted (dir);
}

static void
set_up_daemon_process (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  /* As a daemon started from a script or a supervisor may be: no program in
   * a box may inherit an ignored signal (test_run's isolation-facts). */
  signal (SIGPIPE, SIG_IGN);
}

/* Box uids of its own for each test program, unless the test names them:
 * RLIMIT_NPROC counts a uid's processes machine-wide, so two test programs
 * running boxes of one uid at once (two checkouts' suites on one machine)
 * would take each other's share. */
static guint
first_box_uid (const char *options)
{
  const char *given = options != NULL ? strstr (options, "first_uid=") : NULL;
  if (given != NULL)
    return (guint) g_ascii_strtoull (given + strlen ("first_uid="), NULL, 10);
  return 100000 + (guint) (getpid () % 100000) * 1000;
}

static void
spawn_daemon (Mount *mount, const char *notify_socket)
{
  mount->first_uid = first_box_uid (mount->options);
  g_autofree char *own_ids
      = mount->options != NULL && strstr (mount->options, "first_uid=") != NULL
            ? g_strdup ("")
            : g_strdup_printf (",first_uid=%u,first_gid=%u", mount->first_uid, mount->first_uid);
  /* No languages table named: the built-in one, as on a fresh clone. On a
   * slower machine, the default time limits are scaled (machine_speed.h);
   * a test's own options come after, and win. */
  g_autofree char *scaled = NULL;
  if (machine_slowdown () > 1)
    {
      g_autofree char *time = machine_scaled_seconds (1);
      g_autofree char *wall = machine_scaled_seconds (5);
      scaled = g_strdup_printf (",default_time=%s,default_wall-time=%s", time, wall);
    }
  g_autofree char *options = g_strdup_printf (
      "state_dir=%s,cgroup_parent=%s%s%s%s%s", mount->state_dir, mount->cgroup_parent, own_ids,
      scaled ? scaled : "", mount->options ? "," : "", mount->options ? mount->options : "");
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  /* A failed assertion aborts the test before its teardown: the daemon then
   * gets SIGTERM and unmounts by itself rather than hanging the suite. */
  g_subprocess_launcher_set_child_setup (launcher, set_up_daemon_process, NULL, NULL);
  if (notify_socket != NULL)
    g_subprocess_launcher_setenv (launcher, "NOTIFY_SOCKET", notify_socket, TRUE);
  if (mount->crash_file != NULL)
    {
      g_assert_nonnull (g_getenv ("CRASH_SHIM"));
      g_subprocess_launcher_setenv (launcher, "LD_PRELOAD", g_getenv ("CRASH_SHIM"), TRUE);
      g_subprocess_launcher_setenv (launcher, "ISOLATEFS_CRASH_FILE", mount->crash_file, TRUE);
    }
  mount->daemon = g_subprocess_launcher_spawn (launcher, &error, isolatefs_path (), "-f", "-o",
                                               options, mount->mount_dir, NULL);
  g_assert_no_error (error);
  guardian_daemon_started (mount->tmp_dir, atoi (g_subprocess_get_identifier (mount->daemon)));
}

static void
start_daemon (Mount *mount)
{
  spawn_daemon (mount, NULL);
  /* Unless the daemon exits first. */
  WAIT_UNTIL (mount_answers (mount->mount_dir)
              || g_subprocess_get_identifier (mount->daemon) == NULL);
  g_assert_nonnull (g_subprocess_get_identifier (mount->daemon));
  g_assert_true (mount_answers (mount->mount_dir));
}

static Mount *
mount_prepare (const char *extra_options, gboolean crashable)
{
  static int serial;
  Mount *mount = g_new0 (Mount, 1);
  g_autoptr (GError) error = NULL;
  mount->tmp_dir = g_dir_make_tmp ("isolatefs-test-XXXXXX", &error);
  g_assert_no_error (error);
  mount->mount_dir = g_build_filename (mount->tmp_dir, "mnt", NULL);
  mount->state_dir = g_build_filename (mount->tmp_dir, "state", NULL);
  g_autofree char *name = g_strdup_printf ("isolatefs-test-%d-%d", (int) getpid (), serial++);
  mount->cgroup_parent = cgroup_layout_parent (name);
  mount->options = g_strdup (extra_options);
  if (crashable)
    mount->crash_file = g_build_filename (mount->tmp_dir, "crash-after", NULL);
  g_assert_cmpint (g_mkdir (mount->mount_dir, 0755), ==, 0);
  guardian_watch (mount->tmp_dir, mount->cgroup_parent);
  return mount;
}

Mount *
mount_new (const char *extra_options)
{
  Mount *mount = mount_prepare (extra_options, FALSE);
  start_daemon (mount);
  return mount;
}

Mount *
mount_new_notifying (const char *extra_options, const char *notify_socket)
{
  Mount *mount = mount_prepare (extra_options, FALSE);
  spawn_daemon (mount, notify_socket);
  return mount;
}

Mount *
mount_new_crashable (const char *extra_options)
{
  Mount *mount = mount_prepare (extra_options, TRUE);
  start_daemon (mount);
  return mount;
}

void
mount_crash_after (Mount *mount, const char *spec)
{
  g_assert_nonnull (mount->crash_file);
  g_assert_true (g_file_set_contents (mount->crash_file, spec, -1, NULL));
}

static char *
process_comm (const char *pid)
{
  g_autofree char *path = g_build_filename ("/proc", pid, "comm", NULL);
  g_autofree char *text = NULL;
  return g_file_get_contents (path, &text, NULL, NULL) ? g_strdup (g_strchomp (text)) : NULL;
}

static gboolean
is_daemon_or_jail (const char *comm)
{
  return comm != NULL
         && (strcmp (comm, "isolatefs") == 0 || strcmp (comm, "isolatefs-zygote") == 0
             || strcmp (comm, "jail-zygote") == 0 || strcmp (comm, "jail-proxy") == 0);
}

/* A zygote or proxy whose daemon died: its parent is no daemon's, nor a
 * zygote's. Whose it was cannot be told (the zygote runs from a memfd), so
 * any daemon's counts, which goes as soon as its own does. The descriptors
 * it may still get from its socket (a request sent before the daemon's
 * death) are in flight there, in no process's table, and a zygote still
 * at SCHED_IDLE can make a proxy of them after the daemon's death. */
static gboolean
is_orphaned_jail (const char *pid)
{
  g_autofree char *comm = process_comm (pid);
  if (!is_daemon_or_jail (comm) || strcmp (comm, "isolatefs") == 0)
    return FALSE;
  g_autofree char *status_path = g_build_filename ("/proc", pid, "status", NULL);
  g_autofree char *status = NULL;
  if (!g_file_get_contents (status_path, &status, NULL, NULL))
    return FALSE;
  const char *line = strstr (status, "\nPPid:");
  g_autofree char *parent = line ? g_strdup_printf ("%d", atoi (line + strlen ("\nPPid:"))) : NULL;
  g_autofree char *parent_comm = parent ? process_comm (parent) : NULL;
  return !is_daemon_or_jail (parent_comm);
}

/* A live process with a descriptor of this mount's state or cgroups, or a
 * zygote or proxy of a daemon gone: a sandbox left behind by its daemon.
 * Its pid, or NULL. */
static char *
find_left_sandbox (const Mount *mount)
{
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  g_assert_nonnull (proc);
  for (const char *pid; (pid = g_dir_read_name (proc)) != NULL;)
    {
      if (!g_ascii_isdigit (pid[0]) || process_has_ended (atoi (pid)))
        continue;
      if (is_orphaned_jail (pid))
        return g_strdup (pid);
      g_autofree char *fd_dir = g_build_filename ("/proc", pid, "fd", NULL);
      g_autoptr (GDir) fds = g_dir_open (fd_dir, 0, NULL);
      for (const char *fd; fds != NULL && (fd = g_dir_read_name (fds)) != NULL;)
        {
          g_autofree char *link = g_build_filename (fd_dir, fd, NULL);
          g_autofree char *target = g_file_read_link (link, NULL);
          if (target != NULL
              && (strstr (target, mount->cgroup_parent) != NULL
                  || g_str_has_prefix (target, mount->state_dir)))
            return g_strdup (pid);
        }
    }
  return NULL;
}

/* Once the daemon is gone, so is every sandbox it made (its parent-death
 * signal takes a moment to land, and a proxy still at SCHED_IDLE longer).
 * The scan that found none decides: another daemon's zygote, orphaned by
 * another test a moment later, is not this one's failure. */
static gboolean
no_sandbox_left (const Mount *mount, char **left)
{
  g_free (*left);
  *left = find_left_sandbox (mount);
  return *left == NULL;
}

static void
assert_no_sandbox_left (const Mount *mount)
{
  g_autofree char *left = NULL;
  WAIT_UNTIL (no_sandbox_left (mount, &left));
  if (left == NULL)
    return;
  g_autofree char *comm_path = g_build_filename ("/proc", left, "comm", NULL);
  g_autofree char *comm = NULL;
  g_file_get_contents (comm_path, &comm, NULL, NULL);
  g_test_message ("left behind by the daemon: process %s (%s)", left,
                  comm ? g_strchomp (comm) : "?");
  g_test_fail ();
}

void
mount_stop (Mount *mount)
{
  if (mount->daemon == NULL)
    return;
  g_autofree char *command = g_strdup_printf ("fusermount3 -u %s", mount->mount_dir);
  int wait_status;
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &wait_status, NULL));
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));

  g_autoptr (GError) error = NULL;
  g_assert_true (g_subprocess_wait (mount->daemon, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (mount->daemon));
  g_assert_cmpint (g_subprocess_get_exit_status (mount->daemon), ==, 0);
  g_clear_object (&mount->daemon);
  g_assert_false (is_mounted (mount->mount_dir));
  assert_no_sandbox_left (mount);
}

/* Once the daemon died of SIGKILL: its stale mount, and no sandbox of it left. */
static void
assert_killed_daemon_gone (Mount *mount)
{
  g_clear_object (&mount->daemon);
  /* The kernel aborts the connection once no process holds /dev/fuse,
   * which may come a moment after the wait. */
  struct statfs fs;
  WAIT_UNTIL (statfs (mount->mount_dir, &fs) < 0);
  g_assert_cmpint (statfs (mount->mount_dir, &fs), ==, -1);
  g_assert_cmpint (errno, ==, ENOTCONN);
  assert_no_sandbox_left (mount);
}

void
mount_stop_by_signal (Mount *mount, int signal)
{
  g_subprocess_send_signal (mount->daemon, signal);
  g_assert_true (g_subprocess_wait (mount->daemon, NULL, NULL));
  g_assert_true (g_subprocess_get_if_exited (mount->daemon));
  g_assert_cmpint (g_subprocess_get_exit_status (mount->daemon), ==, 0);
  g_clear_object (&mount->daemon);
  g_assert_false (is_mounted (mount->mount_dir));
  assert_no_sandbox_left (mount);
}

void
mount_start (Mount *mount)
{
  g_assert_null (mount->daemon);
  start_daemon (mount);
}

void
mount_signal (Mount *mount, int signal)
{
  g_subprocess_send_signal (mount->daemon, signal);
}

gboolean
mount_wait_daemon (Mount *mount)
{
  g_assert_true (g_subprocess_wait (mount->daemon, NULL, NULL));
  gboolean killed = g_subprocess_get_if_signaled (mount->daemon)
                    && g_subprocess_get_term_sig (mount->daemon) == SIGKILL;
  if (!killed)
    {
      g_assert_true (g_subprocess_get_if_exited (mount->daemon));
      g_assert_cmpint (g_subprocess_get_exit_status (mount->daemon), ==, 0);
    }
  g_clear_object (&mount->daemon);
  assert_no_sandbox_left (mount);
  return killed;
}

void
mount_start_and_kill (Mount *mount, guint delay_us)
{
  g_assert_null (mount->daemon);
  spawn_daemon (mount, NULL);
  g_usleep (delay_us);
  g_subprocess_force_exit (mount->daemon);
  g_assert_true (g_subprocess_wait (mount->daemon, NULL, NULL));
  g_clear_object (&mount->daemon);
  assert_no_sandbox_left (mount);
}

void
mount_crash_and_restart (Mount *mount)
{
  g_subprocess_force_exit (mount->daemon);
  g_assert_true (g_subprocess_wait (mount->daemon, NULL, NULL));
  assert_killed_daemon_gone (mount);
  start_daemon (mount);
}

void
mount_await_crash_and_restart (Mount *mount)
{
  /* The identifier goes once GLib has reaped the process. */
  for (int i = 0; i < 3000 && g_subprocess_get_identifier (mount->daemon) != NULL; i++)
    g_usleep (10000);
  if (g_subprocess_get_identifier (mount->daemon) != NULL)
    {
      g_autofree char *spec = NULL;
      g_file_get_contents (mount->crash_file, &spec, NULL, NULL);
      g_test_message ("the daemon did not crash at %s within 30 s", spec);
      g_test_fail ();
      g_subprocess_force_exit (mount->daemon);
    }
  g_assert_true (g_subprocess_wait (mount->daemon, NULL, NULL));
  g_assert_true (g_subprocess_get_if_signaled (mount->daemon));
  g_assert_cmpint (g_subprocess_get_term_sig (mount->daemon), ==, SIGKILL);
  g_assert_no_errno (unlink (mount->crash_file));
  assert_killed_daemon_gone (mount);
  start_daemon (mount);
}

void
mount_restart (Mount *mount)
{
  mount_stop (mount);
  start_daemon (mount);
}

static void
remove_all_boxes (Mount *mount)
{
  g_autoptr (GDir) dir = g_dir_open (mount->mount_dir, 0, NULL);
  g_assert_nonnull (dir);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  for (guint i = 0; i < names->len; i++)
    g_assert_cmpint (remove_box (mount, g_ptr_array_index (names, i)), ==, 0);
}

void
mount_free (Mount *mount)
{
  if (mount->daemon != NULL)
    {
      remove_all_boxes (mount);
      mount_stop (mount);
    }
  /* Nothing may be left: the daemon removes its cgroup parent once empty. */
  g_auto (GStrv) cgroups = cgroup_layout_dirs (mount->cgroup_parent, NULL);
  for (guint i = 0; cgroups[i] != NULL; i++)
    if (g_file_test (cgroups[i], G_FILE_TEST_EXISTS))
      {
        g_test_message ("left behind: %s", cgroups[i]);
        cgroup_layout_remove (cgroups[i]);
        g_test_fail ();
      }
  g_autofree char *parent = g_path_get_dirname (mount->tmp_dir);
  g_autofree char *base = g_path_get_basename (mount->tmp_dir);
  int parent_fd = open (parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  g_assert_cmpint (parent_fd, >=, 0);
  g_assert_true (remove_tree_at (parent_fd, base, NULL));
  close (parent_fd);
  guardian_forget (mount->tmp_dir);

  g_free (mount->tmp_dir);
  g_free (mount->mount_dir);
  g_free (mount->state_dir);
  g_free (mount->cgroup_parent);
  g_free (mount->options);
  g_free (mount->crash_file);
  g_free (mount);
}

void
box_fixture_set_up (BoxFixture *fixture, gconstpointer options)
{
  if (!mount_require_root ())
    return;
  fixture->mount = mount_new (options);
  g_assert_cmpint (make_box (fixture->mount, "b"), ==, 0);
}

void
box_fixture_tear_down (BoxFixture *fixture, gconstpointer options)
{
  g_clear_pointer (&fixture->mount, mount_free);
}

char *
mount_path (const Mount *mount, const char *name)
{
  return g_build_filename (mount->mount_dir, name, NULL);
}

char *
mount_cgroup_path (const Mount *mount, const char *controller, const char *box)
{
  if (cgroup_layout_is_v2 ())
    return cgroup_layout_dir (mount->cgroup_parent, box);
  return g_build_filename ("/sys/fs/cgroup", controller, mount->cgroup_parent, box, NULL);
}

int
put_bytes (const Mount *mount, const char *name, const char *data, gsize size, int flags)
{
  g_autofree char *path = mount_path (mount, name);
  int fd = open (path, O_WRONLY | flags);
  if (fd < 0)
    return errno;
  int err = 0;
  if (write (fd, data, size) != (gssize) size)
    err = errno;
  close (fd);
  return err;
}

int
put (const Mount *mount, const char *name, const char *value)
{
  return put_bytes (mount, name, value, strlen (value), O_TRUNC);
}

char *
get (const Mount *mount, const char *name)
{
  g_autofree char *path = mount_path (mount, name);
  int fd = open (path, O_RDONLY);
  if (fd < 0)
    return NULL;
  GString *text = g_string_new (NULL);
  char buffer[4096];
  gssize n;
  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (text, buffer, n);
  int saved_errno = errno;
  close (fd);
  if (n < 0)
    {
      g_string_free (text, TRUE);
      errno = saved_errno;
      return NULL;
    }
  return g_string_free (text, FALSE);
}

void
assert_reads (const Mount *mount, const char *name, const char *expected)
{
  g_autofree char *text = get (mount, name);
  g_assert_cmpstr (text, ==, expected);
}

gint64
stat_size (const Mount *mount, const char *name)
{
  g_autofree char *path = mount_path (mount, name);
  struct stat st;
  return stat (path, &st) == 0 ? st.st_size : -1;
}

gint64
process_uid (const char *pid)
{
  g_autofree char *path = g_build_filename ("/proc", pid, "status", NULL);
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  const char *line = strstr (text, "\nUid:");
  return line ? g_ascii_strtoll (line + strlen ("\nUid:"), NULL, 10) : -1;
}

/* Whether the process is in a cgroup under this mount's parent: whatever a
 * box starts stays in its cgroups (leaving them takes root), wherever it
 * goes; other test suites on the machine may use the same uids. */
static gboolean
in_mount_cgroups (const Mount *mount, const char *pid)
{
  g_autofree char *path = g_build_filename ("/proc", pid, "cgroup", NULL);
  g_autofree char *text = NULL;
  const char *parent = mount->cgroup_parent + (mount->cgroup_parent[0] == '/');
  g_autofree char *needle = g_strdup_printf ("/%s/", parent);
  return g_file_get_contents (path, &text, NULL, NULL) && strstr (text, needle) != NULL;
}

static gboolean
process_is_named (const char *pid, const char *comm)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/comm", pid);
  g_autofree char *text = NULL;
  return g_file_get_contents (path, &text, NULL, NULL) && g_str_equal (g_strchomp (text), comm);
}

/* The pids of parent's children, of all its threads. */
static GPtrArray *
children_of (GPid parent)
{
  GPtrArray *children = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *tasks = g_strdup_printf ("/proc/%d/task", (int) parent);
  g_autoptr (GDir) dir = g_dir_open (tasks, 0, NULL);
  g_assert_nonnull (dir);
  for (const char *task; (task = g_dir_read_name (dir)) != NULL;)
    {
      g_autofree char *path = g_build_filename (tasks, task, "children", NULL);
      g_autofree char *text = NULL;
      /* A thread listed may have ended since (an idle one of a GThreadPool). */
      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;
      g_auto (GStrv) pids = g_strsplit_set (g_strstrip (text), " ", -1);
      for (guint i = 0; text[0] && pids[i] != NULL; i++)
        g_ptr_array_add (children, g_strdup (pids[i]));
    }
  return children;
}

GPtrArray *
process_list_children_named (GPid parent, const char *comm)
{
  GPtrArray *children = children_of (parent);
  for (guint i = children->len; i-- > 0;)
    if (!process_is_named (children->pdata[i], comm))
      g_ptr_array_remove_index (children, i);
  return children;
}

guint
process_children_named (GPid parent, const char *comm)
{
  g_autoptr (GPtrArray) children = process_list_children_named (parent, comm);
  return children->len;
}

static gint
compare_pids (gconstpointer a, gconstpointer b)
{
  return atoi (*(const char *const *) a) - atoi (*(const char *const *) b);
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

char *
process_live_children_named (GPid parent, const char *comm)
{
  g_autoptr (GPtrArray) named = process_list_children_named (parent, comm);
  for (guint i = named->len; i-- > 0;)
    if (process_has_ended (atoi (named->pdata[i])))
      g_ptr_array_remove_index (named, i);
  g_ptr_array_sort (named, compare_pids);
  g_ptr_array_add (named, NULL);
  return g_strjoinv (" ", (char **) named->pdata);
}

char *
process_namespace_fds (GPid pid, const char *type)
{
  g_autofree char *fd_dir = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autofree char *prefix = g_strconcat (type, ":[", NULL);
  g_autoptr (GDir) fds = g_dir_open (fd_dir, 0, NULL);
  g_assert_nonnull (fds);
  g_autoptr (GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  for (const char *fd; (fd = g_dir_read_name (fds)) != NULL;)
    {
      g_autofree char *path = g_build_filename (fd_dir, fd, NULL);
      char *target = g_file_read_link (path, NULL);
      if (target != NULL && g_str_has_prefix (target, prefix))
        g_ptr_array_add (links, target);
      else
        g_free (target);
    }
  g_ptr_array_sort (links, compare_strings);
  g_ptr_array_add (links, NULL);
  return g_strjoinv (" ", (char **) links->pdata);
}

/* Is pid PID 1 of a PID namespace of its own (two pids on its NSpid line)? */
static gboolean
has_own_pid_namespace (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", pid);
  g_autofree char *status = NULL;
  if (!g_file_get_contents (path, &status, NULL, NULL))
    return FALSE;
  const char *line = strstr (status, "\nNSpid:\t");
  if (line == NULL)
    return FALSE;
  line += strlen ("\nNSpid:\t");
  const char *tab = strchr (line, '\t');
  return tab != NULL && tab < strchr (line, '\n');
}

GPid
process_find_zygote (GPid daemon)
{
  g_autoptr (GPtrArray) children = children_of (daemon);
  /* A proxy is named so too until it renames itself, but is PID 1 of a
   * namespace of its own. */
  for (guint i = 0; i < children->len; i++)
    if (process_is_named (children->pdata[i], "jail-zygote")
        && !has_own_pid_namespace (children->pdata[i]))
      return atoi (children->pdata[i]);
  return 0;
}

guint
process_count_jails (GPid daemon)
{
  g_autoptr (GPtrArray) children = children_of (daemon);
  guint count = 0;
  for (guint i = 0; i < children->len; i++)
    count += has_own_pid_namespace (children->pdata[i]);
  return count;
}

glong
process_blocked_syscall (GPid pid, guint64 args[3])
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/syscall", (int) pid);
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  /* "number arg1 ... arg6 sp pc", or "running" (or "-1 sp pc" between calls). */
  g_auto (GStrv) fields = g_strsplit (g_strstrip (text), " ", -1);
  if (g_strv_length (fields) < 4)
    return -1;
  for (int i = 0; i < 3; i++)
    args[i] = g_ascii_strtoull (fields[i + 1], NULL, 16);
  return g_ascii_strtoll (fields[0], NULL, 10);
}

/* The state letter of /proc/PID/stat, or 0. */
static char
process_state (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  /* "pid (comm) S ...": comm may hold spaces and parentheses. */
  const char *end = strrchr (text, ')');
  return end != NULL && end[1] == ' ' ? end[2] : 0;
}

gboolean
process_blocked_in (GPid pid, glong syscall_number)
{
  if (!g_file_test ("/proc/self/syscall", G_FILE_TEST_EXISTS))
    return process_state (pid) == 'S';
  guint64 args[3];
  return process_blocked_syscall (pid, args) == syscall_number;
}

void
process_wait_blocked_in (GPid pid, glong syscall_number)
{
  WAIT_UNTIL (process_blocked_in (pid, syscall_number));
  g_assert_true (process_blocked_in (pid, syscall_number));
}

gboolean
process_has_ended (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return TRUE;
  const char *state = strrchr (stat, ')');
  return state != NULL && state[1] == ' ' && state[2] == 'Z';
}

void
assert_nothing_of_box_runs (const Mount *mount, const char *box, uid_t uid)
{
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  g_assert_nonnull (proc);
  for (const char *name; (name = g_dir_read_name (proc)) != NULL;)
    if (g_ascii_isdigit (name[0]) && in_mount_cgroups (mount, name))
      g_assert_cmpint (process_uid (name), !=, uid);

  g_autofree char *group = mount_cgroup_path (mount, "pids", box);
  g_autoptr (GPtrArray) pids = cgroup_layout_members (group);
  g_assert_cmpuint (pids->len, <=, 1);
  if (pids->len > 0)
    g_assert_cmpint (process_uid (pids->pdata[0]), <=, 0); /* root, or gone meanwhile */
}

static void
run_example (const char *interpreter, const char *script, const Mount *mount)
{
  const char *argv[] = { interpreter, script, mount->mount_dir, NULL };
  int wait_status;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (g_getenv ("SOURCE_ROOT"), (char **) argv, NULL, G_SPAWN_SEARCH_PATH,
                               NULL, NULL, &out, &err, &wait_status, &error));
  g_assert_no_error (error);
  g_test_message ("%s: %s%s", script, out, err);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
}

void
assert_examples_run (const Mount *mount, const char *shell_script, const char *python_script)
{
  run_example ("sh", shell_script, mount);
  run_example ("python3", python_script, mount);
  g_assert_cmpuint (count_entries (mount->mount_dir), ==, 0);
}

guint
mounts_on (const char *path)
{
  g_autofree char *mounts = NULL;
  g_assert_true (g_file_get_contents ("/proc/self/mounts", &mounts, NULL, NULL));
  g_autofree char *needle = g_strdup_printf (" %s ", path);
  guint count = 0;
  for (const char *at = mounts; (at = strstr (at, needle)) != NULL; at++)
    count++;
  return count;
}

guint
loop_devices_under (const char *dir)
{
  g_autoptr (GDir) devices = g_dir_open ("/sys/block", 0, NULL);
  guint count = 0;
  for (const char *name; devices != NULL && (name = g_dir_read_name (devices)) != NULL;)
    {
      g_autofree char *path = g_build_filename ("/sys/block", name, "loop", "backing_file", NULL);
      g_autofree char *backing = NULL;
      count += g_str_has_prefix (name, "loop") && g_file_get_contents (path, &backing, NULL, NULL)
               && g_str_has_prefix (backing, dir);
    }
  return count;
}

guint
mount_tmp_volume_loops (const Mount *mount)
{
  g_autofree char *volume = g_build_filename (mount->state_dir, "tmp", NULL);
  return mounts_on (volume) > 0;
}

guint
count_entries (const char *dir)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (listing);
  guint count = 0;
  while (g_dir_read_name (listing) != NULL)
    count++;
  return count;
}

char *
tmp_dir_rules (guint n)
{
  GString *text = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "/t%u:tmp\n", i);
  return g_string_free (text, FALSE);
}

char *
run_for_output (const Mount *mount, const char *box, const char *cmd)
{
  g_autofree char *cmd_file = g_build_filename (box, "cmd", NULL);
  g_autofree char *status_file = g_build_filename (box, "status", NULL);
  g_autofree char *stdout_file = g_build_filename (box, "stdout", NULL);
  g_assert_cmpint (put (mount, cmd_file, cmd), ==, 0);
  g_autofree char *status = get (mount, status_file);
  g_assert_true (g_str_has_prefix (status, "state:done\n"));
  return get (mount, stdout_file);
}

int
make_box (const Mount *mount, const char *box)
{
  g_autofree char *path = mount_path (mount, box);
  return mkdir (path, 0755) == 0 ? 0 : errno;
}

int
remove_box (const Mount *mount, const char *box)
{
  g_autofree char *path = mount_path (mount, box);
  return rmdir (path) == 0 ? 0 : errno;
}

int
as_user (const Mount *mount, uid_t user, UserAction action)
{
  pid_t pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      if (setgroups (0, NULL) != 0 || setgid (user) != 0 || setuid (user) != 0)
        _exit (255);
      _exit (action (mount));
    }
  int status;
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static gboolean
same_mount_namespace (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/ns/mnt", pid);
  g_autofree char *theirs = g_file_read_link (path, NULL);
  g_autofree char *ours = g_file_read_link ("/proc/self/ns/mnt", NULL);
  return theirs == NULL || g_strcmp0 (theirs, ours) == 0;
}

static void
die_with_test (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

GSubprocess *
namespace_holder_new (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_test, NULL, NULL);
  GSubprocess *holder
      = g_subprocess_launcher_spawn (launcher, &error, "unshare", "--mount", "sleep", "600", NULL);
  g_assert_no_error (error);
  const char *pid = g_subprocess_get_identifier (holder);
  g_autofree char *comm_path = g_strdup_printf ("/proc/%s/comm", pid);
  for (int i = 0; i < 500; i++)
    {
      g_autofree char *comm = NULL;
      if (!same_mount_namespace (pid) && g_file_get_contents (comm_path, &comm, NULL, NULL)
          && strcmp (g_strchomp (comm), "sleep") == 0)
        return holder;
      g_usleep (10000);
    }
  g_assert_not_reached ();
}

int
run_isolatefs_expecting_failure (const char *const *args, char **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) isolatefs_path ());
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, (gpointer) *args);
  g_ptr_array_add (argv, NULL);

  int wait_status;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                               err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  return WEXITSTATUS (wait_status);
}
