/* The daemon: restarts, bad saved state, bad options, signals, examples. */

#include "cgroup_layout.h"
#include "mount_fixture.h"

#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utils/remove_tree.h"

static void
test_restart_keeps_boxes (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  g_assert_cmpint (make_box (mount, "b1"), ==, 0);
  g_assert_cmpint (make_box (mount, "b2"), ==, 0);
  g_assert_cmpint (put (mount, "b1/mem", "128M"), ==, 0);
  g_assert_cmpint (put (mount, "b1/time", "0.3"), ==, 0);
  g_assert_cmpint (put (mount, "b1/env", "LANG=C\n"), ==, 0);
  g_assert_cmpint (put (mount, "b1/dirs", "/opt:maybe\n"), ==, 0);
  g_assert_cmpint (put (mount, "b1/stdin", "input data"), ==, 0);
  g_autofree char *program = mount_path (mount, "b1/box/a.out");
  g_assert_true (g_file_set_contents (program, "binary", -1, NULL));
  g_autofree char *b2_uid = run_for_output (mount, "b2", "id -u");

  mount_restart (mount);

  assert_reads (mount, "b1/mem", "131072\n");
  assert_reads (mount, "b1/time", "0.300\n");
  assert_reads (mount, "b1/env", "LANG=C\n");
  assert_reads (mount, "b1/dirs", "/opt=/opt:maybe\n");
  assert_reads (mount, "b1/stdin", "input data");
  assert_reads (mount, "b1/status", "state:idle\n");
  assert_reads (mount, "b1/box/a.out", "binary");
  g_autofree char *b2_uid_after = run_for_output (mount, "b2", "id -u");
  g_assert_cmpstr (b2_uid_after, ==, b2_uid);
  /* Uids of restored boxes stay taken: a new box gets another. */
  g_assert_cmpint (make_box (mount, "b3"), ==, 0);
  g_autofree char *b3_uid = run_for_output (mount, "b3", "id -u");
  g_assert_cmpstr (b3_uid, !=, b2_uid);
}

static void
test_corrupt_state_is_set_aside (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  const char *broken[] = { "garbage", "not-object", "wrong-version", "bad-value", "bad-name" };
  const char *contents[] = {
    "{ this is not json",
    "[1, 2, 3]",
    NULL, /* filled below from a good file */
    NULL,
    NULL,
  };
  g_assert_cmpint (make_box (mount, "good"), ==, 0);
  g_assert_cmpint (put (mount, "good/mem", "10M"), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    g_assert_cmpint (make_box (mount, broken[i]), ==, 0);
  mount_stop (mount);

  g_autofree char *good_json = NULL;
  g_autofree char *good_path
      = g_build_filename (mount->state_dir, "boxes", "good", "settings.json", NULL);
  g_assert_true (g_file_get_contents (good_path, &good_json, NULL, NULL));
  g_autoptr (GString) wrong_version = g_string_new (good_json);
  g_string_replace (wrong_version, "\"version\" : 1", "\"version\" : 99", 1);
  g_autoptr (GString) bad_value = g_string_new (good_json);
  g_string_replace (bad_value, "\"10240\"", "\"ten megabytes\"", 1);
  g_autoptr (GString) bad_name = g_string_new (good_json);
  g_string_replace (bad_name, "\"good\"", "\"other\"", 1);
  contents[2] = wrong_version->str;
  contents[3] = bad_value->str;
  contents[4] = bad_name->str;
  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *path
          = g_build_filename (mount->state_dir, "boxes", broken[i], "settings.json", NULL);
      g_assert_true (g_file_set_contents (path, contents[i], -1, NULL));
    }

  mount_restart (mount);

  assert_reads (mount, "good/mem", "10240\n");
  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *path = mount_path (mount, broken[i]);
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      /* Its name is free again, with fresh defaults. */
      g_assert_cmpint (make_box (mount, broken[i]), ==, 0);
      g_autofree char *mem = g_build_filename (broken[i], "mem", NULL);
      assert_reads (mount, mem, "262144\n");
    }
  g_autofree char *set_aside = g_build_filename (mount->state_dir, "set-aside", NULL);
  g_assert_cmpuint (count_entries (set_aside), ==, G_N_ELEMENTS (broken));
}

/* A box's record is saved in turn to settings.json and settings.json.1,
 * in place: a save cut short (a daemon killed, a machine that crashed)
 * leaves the newer file torn, and the box comes back with the save before. */
static void
test_torn_save_falls_back (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  g_assert_cmpint (make_box (mount, "b"), ==, 0);
  g_assert_cmpint (put (mount, "b/mem", "10M"), ==, 0);
  g_assert_cmpint (put (mount, "b/mem", "20M"), ==, 0);
  mount_stop (mount);

  /* The newest (the third save: settings.json) loses its second half. */
  g_autofree char *path = g_build_filename (mount->state_dir, "boxes", "b", "settings.json", NULL);
  g_autofree char *json = NULL;
  gsize length;
  g_assert_true (g_file_get_contents (path, &json, &length, NULL));
  g_assert_nonnull (strstr (json, "20480"));
  g_assert_true (g_file_set_contents (path, json, length / 2, NULL));

  mount_restart (mount);
  assert_reads (mount, "b/mem", "10240\n");
  /* And saves go on from there, over the torn one. */
  g_assert_cmpint (put (mount, "b/mem", "30M"), ==, 0);
  mount_restart (mount);
  assert_reads (mount, "b/mem", "30720\n");
}

/* rmdir moves a box's state into the trash, which a thread empties; what
 * a daemon stopped before that is deleted at its next start. */
static void
test_trash_emptied_at_start (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  mount_stop (mount);
  g_autofree char *leftover
      = g_build_filename (mount->state_dir, "trash", "old.7", "box", "deep", NULL);
  g_assert_no_errno (g_mkdir_with_parents (leftover, 0700));
  g_autofree char *file = g_build_filename (leftover, "data", NULL);
  g_assert_true (g_file_set_contents (file, "x", -1, NULL));
  mount_restart (mount);
  g_autofree char *trash = g_build_filename (mount->state_dir, "trash", NULL);
  g_assert_cmpuint (count_entries (trash), ==, 0);
}

static void
test_crash_during_run (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  g_assert_cmpint (make_box (mount, "b"), ==, 0);
  g_assert_cmpint (put (mount, "b/mem", "20M"), ==, 0);
  g_assert_cmpint (put (mount, "b/processes", "10"), ==, 0);
  g_assert_cmpint (put (mount, "b/wall-time", "60"), ==, 0);
  g_assert_cmpint (put (mount, "b/cmd", "sh -c 'sleep 60 & sleep 60'"), ==, 0);
  GPid daemon = atoi (g_subprocess_get_identifier (mount->daemon));
  GPid zygote = process_find_zygote (daemon);
  g_assert_cmpint (zygote, >, 0);

  mount_crash_and_restart (mount);
  /* The daemon's zygote, root in the host's namespaces, dies with it. */
  WAIT_UNTIL (process_has_ended (zygote));
  g_assert_true (process_has_ended (zygote));

  assert_reads (mount, "b/mem", "20480\n");
  g_autofree char *status = get (mount, "b/status");
  g_assert_true (g_str_has_prefix (status, "state:done\n"));
  g_assert_nonnull (strstr (status, "status:XX\nmessage:The run was interrupted"));
  assert_nothing_of_box_runs (mount, "b", mount->first_uid);
  /* The box runs again, and the stale mount is gone: one mount, not two. */
  g_assert_cmpint (put (mount, "b/cmd", "/bin/true"), ==, 0);
  g_autofree char *again = get (mount, "b/status");
  g_assert_nonnull (strstr (again, "exitcode:0"));
  g_autofree char *mounts = NULL;
  g_assert_true (g_file_get_contents ("/proc/self/mounts", &mounts, NULL, NULL));
  g_autofree char *needle = g_strdup_printf (" %s fuse", mount->mount_dir);
  const char *first = strstr (mounts, needle);
  g_assert_nonnull (first);
  g_assert_null (strstr (first + 1, needle));
}

static void
assert_interrupted (const Mount *mount)
{
  g_autofree char *status = get (mount, "b/status");
  g_assert_true (g_str_has_prefix (status, "state:done\n"));
  g_assert_nonnull (strstr (status, "status:XX\nmessage:The run was interrupted"));
}

/* A run cut short by the daemon's end reads XX until the next run or ctl
 * reset, however many times the daemon stops, crashes or is read before. */
static void
test_interrupted_run_stays_interrupted (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  g_assert_cmpint (make_box (mount, "b"), ==, 0);
  g_assert_cmpint (put (mount, "b/wall-time", "60"), ==, 0);
  g_assert_cmpint (put (mount, "b/cmd", "sleep 60"), ==, 0);
  mount_crash_and_restart (mount);
  assert_interrupted (mount);
  mount_restart (mount);
  assert_interrupted (mount);
  mount_crash_and_restart (mount);
  assert_interrupted (mount);
  assert_interrupted (mount);

  /* ctl reset forgets it, for good. */
  g_assert_cmpint (put (mount, "b/ctl", "reset"), ==, 0);
  assert_reads (mount, "b/status", "state:idle\n");
  mount_restart (mount);
  assert_reads (mount, "b/status", "state:idle\n");

  /* So does the next run. */
  g_assert_cmpint (put (mount, "b/cmd", "sleep 60"), ==, 0);
  mount_crash_and_restart (mount);
  assert_interrupted (mount);
  g_autofree char *out = run_for_output (mount, "b", "echo next");
  g_assert_cmpstr (out, ==, "next\n");
  mount_restart (mount);
  assert_reads (mount, "b/status", "state:idle\n");
}

/* fusermount3 -u ends the daemon even while another mount namespace holds
 * a copy of its mount (unshare -m, a container, another sandbox tool),
 * which then answers ENOTCONN. */
static void
test_unmount_ends_daemon_despite_namespace_copy (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  g_assert_cmpint (make_box (mount, "b"), ==, 0);
  g_autoptr (GSubprocess) holder = namespace_holder_new ();
  g_autofree char *command = g_strdup_printf ("fusermount3 -u %s", mount->mount_dir);
  int wait_status;
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &wait_status, NULL));
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  /* The identifier goes once GLib has reaped the process. */
  for (int i = 0; i < 1000 && g_subprocess_get_identifier (mount->daemon) != NULL; i++)
    g_usleep (10000);
  g_assert_null (g_subprocess_get_identifier (mount->daemon));
  g_assert_true (g_subprocess_wait (mount->daemon, NULL, NULL));
  g_assert_true (g_subprocess_get_if_exited (mount->daemon));
  g_assert_cmpint (g_subprocess_get_exit_status (mount->daemon), ==, 0);
  g_clear_object (&mount->daemon);

  g_autofree char *copy
      = g_strdup_printf ("/proc/%s/root%s", g_subprocess_get_identifier (holder), mount->mount_dir);
  struct stat st;
  g_assert_cmpint (stat (copy, &st), ==, -1);
  g_assert_cmpint (errno, ==, ENOTCONN);
  mount_start (mount);
  assert_reads (mount, "b/status", "state:idle\n");
  g_subprocess_force_exit (holder);
  g_assert_true (g_subprocess_wait (holder, NULL, NULL));
}

/* A daemon killed while its mount is in use leaves the mount's root in the
 * kernel's attribute cache (a second): stat() of the stale mount succeeds
 * from it. The next daemon, started at once, still finds the stale mount
 * and takes it away: one mount, never one on top of another. */
static void
test_crash_while_in_use_leaves_one_mount (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  g_assert_cmpint (make_box (mount, "b"), ==, 0);
  struct stat st;
  g_assert_no_errno (stat (mount->mount_dir, &st));
  mount_signal (mount, SIGKILL);
  g_assert_true (mount_wait_daemon (mount));
  mount_start (mount);
  g_assert_cmpuint (mounts_on (mount->mount_dir), ==, 1);
  assert_reads (mount, "b/status", "state:idle\n");
}

/* A daemon killed with SIGKILL leaves its favordynmods hierarchy mounted in
 * the state directory; the next start takes it away, whether or not it
 * mounts one of its own. */
static void
test_crash_leaves_no_dynmods_mount (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  g_autofree char *dynmods = g_build_filename (mount->state_dir, "cgroup-favordynmods", NULL);
  if (mounts_on (dynmods) == 0)
    g_test_message ("this kernel has no favordynmods (before 6.0): the daemon mounts nothing "
                    "there, so this checks only that no mount appears");
  guint own = mounts_on (dynmods);
  g_assert_cmpuint (own, <=, 1);

  g_subprocess_force_exit (mount->daemon);
  g_assert_true (g_subprocess_wait (mount->daemon, NULL, NULL));
  g_assert_cmpuint (mounts_on (dynmods), ==, own); /* left behind */
  mount_crash_and_restart (mount);
  g_assert_cmpuint (mounts_on (dynmods), ==, own); /* one, not two */

  g_free (mount->options);
  mount->options = g_strdup ("favor_dynmods=false");
  mount_crash_and_restart (mount);
  g_assert_cmpuint (mounts_on (dynmods), ==, 0);
  g_assert_false (g_file_test (dynmods, G_FILE_TEST_EXISTS));
}

/* Two daemons on one state directory would give the same box uid to two
 * boxes: the second is refused, names the first, and touches nothing. */
static void
test_second_daemon_refused (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  g_assert_cmpint (make_box (mount, "b"), ==, 0);
  g_assert_cmpint (put (mount, "b/mem", "64M"), ==, 0);
  g_autofree char *state_before = NULL, *lock_before = NULL;
  g_autofree char *settings
      = g_build_filename (mount->state_dir, "boxes", "b", "settings.json", NULL);
  g_autofree char *lock = g_build_filename (mount->state_dir, "daemon.lock", NULL);
  g_assert_true (g_file_get_contents (settings, &state_before, NULL, NULL));
  g_assert_true (g_file_get_contents (lock, &lock_before, NULL, NULL));
  guint entries = count_entries (mount->state_dir);

  g_autofree char *second = g_build_filename (mount->tmp_dir, "second", NULL);
  g_assert_no_errno (g_mkdir (second, 0755));
  g_autofree char *options = g_strdup_printf ("state_dir=%s,cgroup_parent=%s-second",
                                              mount->state_dir, mount->cgroup_parent);
  const char *args[] = { "-f", "-o", options, second, NULL };
  g_autofree char *err = NULL;
  g_assert_cmpint (run_isolatefs_expecting_failure (args, &err), ==, 1);
  g_test_message ("%s", err);
  g_autofree char *holder
      = g_strdup_printf ("isolatefs pid %s, serving %s",
                         g_subprocess_get_identifier (mount->daemon), mount->mount_dir);
  g_assert_nonnull (strstr (err, holder));

  g_autofree char *state_after = NULL, *lock_after = NULL;
  g_assert_true (g_file_get_contents (settings, &state_after, NULL, NULL));
  g_assert_true (g_file_get_contents (lock, &lock_after, NULL, NULL));
  g_assert_cmpstr (state_after, ==, state_before);
  g_assert_cmpstr (lock_after, ==, lock_before);
  g_assert_cmpuint (count_entries (mount->state_dir), ==, entries);
  g_autofree char *second_parent = g_strdup_printf ("%s-second", mount->cgroup_parent);
  g_autofree char *cgroup = cgroup_layout_dir (second_parent, NULL);
  g_assert_false (g_file_test (cgroup, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (mounts_on (second), ==, 0);
  g_assert_no_errno (g_rmdir (second));
  /* The first goes on as before. */
  assert_reads (mount, "b/mem", "65536\n");
  g_autofree char *out = run_for_output (mount, "b", "echo still");
  g_assert_cmpstr (out, ==, "still\n");
}

static void
test_bad_options_refused_before_mounting (void)
{
  if (!mount_require_root ())
    return;
  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-opts-XXXXXX", NULL);
  const char *cases[][2] = {
    { "default_mem=banana", "default_mem" },
    { "max_mem=1M,default_mem=2M", "maximum" },
    { "state_dir=relative/path", "state_dir" },
    { "cgroup_parent=../escape", "cgroup_parent" },
    { "first_uid=0", "first_uid" },
    { "no_such_option=1", "unknown" },
    { "config=/nonexistent/isolatefs.conf", "config file" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[] = { "-f", "-o", cases[i][0], tmp, NULL };
      g_autofree char *err = NULL;
      g_test_message ("isolatefs -o %s", cases[i][0]);
      g_assert_cmpint (run_isolatefs_expecting_failure (args, &err), !=, 0);
      g_autofree char *lower = g_ascii_strdown (err, -1);
      g_assert_nonnull (strstr (lower, cases[i][1]));
    }
  g_assert_cmpint (rmdir (tmp), ==, 0);
}

/* A mount point that is not there: one message, which says what to do. */
static void
test_missing_mount_point (void)
{
  if (!mount_require_root ())
    return;
  const char *args[] = { "-f", "/nonexistent/isolatefs-mount", NULL };
  g_autofree char *err = NULL;
  g_assert_cmpint (run_isolatefs_expecting_failure (args, &err), !=, 0);
  g_assert_cmpstr (err, ==,
                   "isolatefs: mount point /nonexistent/isolatefs-mount: No such file or "
                   "directory (create the directory first)\n");
}

static void
become_nobody (gpointer data)
{
  if (setgroups (0, NULL) < 0 || setgid (65534) < 0 || setuid (65534) < 0)
    _exit (99);
}

/* A user who is not root is told so first, and nothing is made: no state
 * directory, no cgroup. */
static void
test_not_root_touches_nothing (void)
{
  if (!mount_require_root ())
    return;
  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-nonroot-XXXXXX", NULL);
  g_assert_cmpint (chmod (tmp, 0777), ==, 0);
  g_autofree char *state_dir = g_build_filename (tmp, "state", NULL);
  g_autofree char *mount_dir = g_build_filename (tmp, "mnt", NULL);
  g_assert_cmpint (g_mkdir (mount_dir, 0777), ==, 0);
  g_autofree char *name = g_strdup_printf ("isolatefs-nonroot-%d", (int) getpid ());
  g_autofree char *parent = cgroup_layout_parent (name);
  g_autofree char *options = g_strdup_printf ("state_dir=%s,cgroup_parent=%s", state_dir, parent);
  const char *argv[] = { g_getenv ("ISOLATEFS"), "-f", "-o", options, mount_dir, NULL };
  g_autofree char *err = NULL;
  int wait_status;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, become_nobody, NULL,
                               NULL, &err, &wait_status, NULL));
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 1);
  g_assert_true (g_str_has_prefix (err, "isolatefs: must be run as root"));
  g_assert_cmpstr (strchr (err, '\n'), ==, "\n"); /* that one line alone */
  g_assert_false (g_file_test (state_dir, G_FILE_TEST_EXISTS));
  g_autofree char *cgroup = cgroup_layout_dir (parent, NULL);
  g_assert_false (g_file_test (cgroup, G_FILE_TEST_EXISTS));
  g_assert_cmpint (rmdir (mount_dir), ==, 0);
  g_assert_cmpint (rmdir (tmp), ==, 0);
}

static int
user_over_max_processes (const Mount *mount)
{
  int err = make_box (mount, "u");
  if (err != 0)
    return 100 + err;
  if ((err = put (mount, "u/processes", "50")) != 0)
    return 150 + err;
  return put (mount, "u/processes", "51");
}

static void
test_config_file (void)
{
  if (!mount_require_root ())
    return;
  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-conf-XXXXXX", NULL);
  g_autofree char *conf = g_build_filename (tmp, "isolatefs.conf", NULL);
  g_assert_true (g_file_set_contents (conf,
                                      "[isolatefs]\n"
                                      "default_mem=64M\n"
                                      "max_processes=50\n"
                                      "default_time=3\n",
                                      -1, NULL));
  /* The command line overrides the file. */
  g_autofree char *options
      = g_strdup_printf ("config=%s,default_time=4,allow_other,default_permissions", conf);
  g_autoptr (Mount) mount = mount_new (options);
  g_assert_cmpint (chmod (mount->tmp_dir, 0711), ==, 0);
  g_assert_cmpint (make_box (mount, "b"), ==, 0);
  assert_reads (mount, "b/mem", "65536\n");
  assert_reads (mount, "b/time", "4.000\n");
  /* The file's maximum binds a user (root is exempt). */
  g_assert_cmpint (as_user (mount, 61600, user_over_max_processes), ==, EPERM);
  g_assert_cmpint (unlink (conf), ==, 0);
  g_assert_cmpint (rmdir (tmp), ==, 0);
}

static void
test_sigterm_unmounts_cleanly (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  g_assert_cmpint (make_box (mount, "kept"), ==, 0);
  g_assert_cmpint (put (mount, "kept/mem", "5M"), ==, 0);

  g_subprocess_send_signal (mount->daemon, SIGTERM);
  g_assert_true (g_subprocess_wait (mount->daemon, NULL, NULL));
  g_assert_true (g_subprocess_get_if_exited (mount->daemon));
  g_assert_cmpint (g_subprocess_get_exit_status (mount->daemon), ==, 0);
  g_clear_object (&mount->daemon);
  /* Unmounted: the directory is empty again. */
  g_assert_cmpuint (count_entries (mount->mount_dir), ==, 0);

  mount_restart (mount);
  assert_reads (mount, "kept/mem", "5120\n");
}

/* mount.fuse3, as mount(8) runs it for an fstab line, with PATH leading to
 * the built daemon; answers the exit status. */
static int
mount_fuse3 (const char *mount_dir, const char *options, char **err)
{
  g_autofree char *daemon_dir = g_path_get_dirname (g_getenv ("ISOLATEFS"));
  g_autofree char *path = g_strdup_printf ("%s:%s", daemon_dir, g_getenv ("PATH"));
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "PATH", path, TRUE);
  const char *argv[] = { "mount.fuse3", "isolatefs", mount_dir, "-o", options, NULL };
  int wait_status;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH_FROM_ENVP, NULL, NULL,
                               NULL, err, &wait_status, NULL));
  return WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

/* The mount's options, as /proc/self/mounts lists them. */
static char *
mount_options_of (const char *mount_dir)
{
  g_autofree char *mounts = NULL;
  g_assert_true (g_file_get_contents ("/proc/self/mounts", &mounts, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (mounts, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) fields = g_strsplit (lines[i], " ", -1);
      if (g_strv_length (fields) >= 4 && strcmp (fields[1], mount_dir) == 0)
        return g_strdup (fields[3]);
    }
  return NULL;
}

/* Uses a background instance mounted on mount_dir by mount(8) or
 * mount.fuse3, unmounts it, and waits for its daemon to be gone. Whatever
 * mount asked (suid, dev), the mount is nosuid,nodev, as a direct start. */
static void
use_and_unmount (const char *mount_dir, const char *parent)
{
  g_autofree char *options = mount_options_of (mount_dir);
  g_assert_nonnull (options);
  g_auto (GStrv) option_list = g_strsplit (options, ",", -1);
  g_assert_true (g_strv_contains ((const char *const *) option_list, "nosuid"));
  g_assert_true (g_strv_contains ((const char *const *) option_list, "nodev"));
  g_autofree char *box = g_build_filename (mount_dir, "b", NULL);
  g_assert_cmpint (g_mkdir (box, 0755), ==, 0);
  g_autofree char *mem = g_build_filename (box, "mem", NULL);
  /* Not g_file_set_contents: it writes a temporary file and renames it. */
  FILE *file = fopen (mem, "w");
  g_assert_nonnull (file);
  g_assert_cmpint (fputs ("32M", file), >=, 0);
  g_assert_cmpint (fclose (file), ==, 0);
  g_autofree char *value = NULL;
  g_assert_true (g_file_get_contents (mem, &value, NULL, NULL));
  g_assert_cmpstr (value, ==, "32768\n");
  g_assert_cmpint (rmdir (box), ==, 0);

  g_autofree char *command = g_strdup_printf ("umount %s", mount_dir);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  /* The daemon removes its cgroup parent on the way out. */
  g_autofree char *cgroup = cgroup_layout_dir (parent, NULL);
  WAIT_UNTIL (!g_file_test (cgroup, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (cgroup, G_FILE_TEST_EXISTS));
}

static void
remove_tmp (const char *tmp)
{
  int tmp_parent = open (g_get_tmp_dir (), O_RDONLY | O_DIRECTORY);
  g_autofree char *base = g_path_get_basename (tmp);
  g_assert_true (remove_tree_at (tmp_parent, base, NULL));
  close (tmp_parent);
}

static void
test_mount_fuse3_as_fstab_does (void)
{
  if (!mount_require_root ())
    return;
  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-fstab-XXXXXX", NULL);
  g_autofree char *mount_dir = g_build_filename (tmp, "mnt", NULL);
  g_autofree char *state_dir = g_build_filename (tmp, "state", NULL);
  g_autofree char *name = g_strdup_printf ("isolatefs-fstab-%d", (int) getpid ());
  g_autofree char *parent = cgroup_layout_parent (name);
  g_assert_cmpint (g_mkdir (mount_dir, 0755), ==, 0);

  /* A bad value is refused before anything is mounted. */
  g_autofree char *err = NULL;
  g_assert_cmpint (mount_fuse3 (mount_dir, "default_mem=banana", &err), !=, 0);
  g_assert_nonnull (strstr (err, "default_mem"));
  g_assert_cmpuint (count_entries (mount_dir), ==, 0);

  /* mount adds options of its own (rw, dev, suid); the daemon goes to the
   * background once the mount is ready. */
  g_autofree char *options = g_strdup_printf (
      "state_dir=%s,cgroup_parent=%s,allow_other,default_permissions,rw,dev,suid", state_dir,
      parent);
  g_assert_cmpint (mount_fuse3 (mount_dir, options, NULL), ==, 0);
  use_and_unmount (mount_dir, parent);
  remove_tmp (tmp);
}

static void
test_fstab_line (void)
{
  if (!mount_require_root ())
    return;
  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-fstab-XXXXXX", NULL);
  g_autofree char *mount_dir = g_build_filename (tmp, "mnt", NULL);
  g_autofree char *state_dir = g_build_filename (tmp, "state", NULL);
  g_autofree char *name = g_strdup_printf ("isolatefs-fstab2-%d", (int) getpid ());
  g_autofree char *parent = cgroup_layout_parent (name);
  g_assert_cmpint (g_mkdir (mount_dir, 0755), ==, 0);

  /* mount(8) runs helpers with a fixed PATH, so the not-installed daemon is
   * named in the line itself (PROGRAM#SOURCE, as mount.fuse3 allows). */
  g_autofree char *fstab = g_build_filename (tmp, "fstab", NULL);
  g_autofree char *line = g_strdup_printf (
      "%s#isolatefs %s fuse state_dir=%s,cgroup_parent=%s,allow_other,default_permissions 0 0\n",
      g_getenv ("ISOLATEFS"), mount_dir, state_dir, parent);
  g_assert_true (g_file_set_contents (fstab, line, -1, NULL));
  g_autofree char *command = g_strdup_printf ("mount -T %s %s", fstab, mount_dir);
  int wait_status;
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &wait_status, NULL));
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  use_and_unmount (mount_dir, parent);
  remove_tmp (tmp);
}

/* In the background with no syslog to take the log (no /dev/log, as on
 * this kind of machine), nothing is lost: the daemon says on the terminal
 * that its log goes to a file of the state directory, and it does. */
static void
test_background_log_without_syslog (void)
{
  if (!mount_require_root ())
    return;
  if (g_file_test ("/dev/log", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("this host has a syslog (/dev/log): the daemon's log goes there");
      return;
    }
  g_autofree char *tmp = g_dir_make_tmp ("isolatefs-log-XXXXXX", NULL);
  g_autofree char *mount_dir = g_build_filename (tmp, "mnt", NULL);
  g_autofree char *state_dir = g_build_filename (tmp, "state", NULL);
  g_autofree char *parent = g_strdup_printf ("isolatefs-log-%d", (int) getpid ());
  g_assert_cmpint (g_mkdir (mount_dir, 0755), ==, 0);
  g_autofree char *options = g_strdup_printf ("state_dir=%s,cgroup_parent=%s", state_dir, parent);
  const char *argv[] = { g_getenv ("ISOLATEFS"), "-o", options, mount_dir, NULL };
  g_autofree char *err = NULL;
  int wait_status;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err,
                               &wait_status, NULL));
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  g_autofree char *log = g_build_filename (state_dir, "isolatefs.log", NULL);
  g_autofree char *said
      = g_strdup_printf ("isolatefs: the log goes to %s, as there is no syslog", log);
  g_assert_nonnull (strstr (err, said));

  use_and_unmount (mount_dir, parent);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (log, &text, NULL, NULL));
  g_autofree char *serving = g_strdup_printf ("message: serving %s\n", mount_dir);
  g_assert_nonnull (strstr (text, serving));
  g_assert_nonnull (strstr (text, "message: box b created for uid 0"));
  g_assert_nonnull (strstr (text, "message: box b removed"));
  remove_tmp (tmp);
}

static void
test_examples_run (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  assert_examples_run (mount, "examples/box_demo.sh", "examples/box_demo.py");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/daemon/restart-keeps-boxes", test_restart_keeps_boxes);
  g_test_add_func ("/daemon/corrupt-state-is-set-aside", test_corrupt_state_is_set_aside);
  g_test_add_func ("/daemon/crash-during-run", test_crash_during_run);
  g_test_add_func ("/daemon/interrupted-run-stays-interrupted",
                   test_interrupted_run_stays_interrupted);
  g_test_add_func ("/daemon/unmount-ends-daemon-despite-namespace-copy",
                   test_unmount_ends_daemon_despite_namespace_copy);
  g_test_add_func ("/daemon/crash-leaves-no-dynmods-mount", test_crash_leaves_no_dynmods_mount);
  g_test_add_func ("/daemon/crash-while-in-use-leaves-one-mount",
                   test_crash_while_in_use_leaves_one_mount);
  g_test_add_func ("/daemon/second-daemon-refused", test_second_daemon_refused);
  g_test_add_func ("/daemon/torn-save-falls-back", test_torn_save_falls_back);
  g_test_add_func ("/daemon/trash-emptied-at-start", test_trash_emptied_at_start);
  g_test_add_func ("/daemon/bad-options-refused-before-mounting",
                   test_bad_options_refused_before_mounting);
  g_test_add_func ("/daemon/missing-mount-point", test_missing_mount_point);
  g_test_add_func ("/daemon/not-root-touches-nothing", test_not_root_touches_nothing);
  g_test_add_func ("/daemon/config-file", test_config_file);
  g_test_add_func ("/daemon/sigterm-unmounts-cleanly", test_sigterm_unmounts_cleanly);
  g_test_add_func ("/daemon/examples-run", test_examples_run);
  g_test_add_func ("/daemon/mount-fuse3-as-fstab-does", test_mount_fuse3_as_fstab_does);
  g_test_add_func ("/daemon/fstab-line", test_fstab_line);
  g_test_add_func ("/daemon/background-log-without-syslog", test_background_log_without_syslog);
  return g_test_run ();
}
