/* Running programs through the mount: the jails behind the runs, prepared
 * ahead of the command or not, their mounts and network namespaces. */

#include "host_features.h"
#include "mount_fixture.h"
#include "run_status.h"

#include <glib/gstdio.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The sandbox of the next run is built before its command comes: a change
 * of what it was built with must still show in the next run. */
static void
test_prepared_sandbox_follows_settings (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_autofree char *first = run (mount, "/bin/true"); /* the next one is now prepared */
  g_autofree char *host_dir = g_build_filename (mount->tmp_dir, "shared", NULL);
  g_autofree char *host_file = g_build_filename (host_dir, "marker", NULL);
  g_assert_no_errno (g_mkdir (host_dir, 0755));
  g_assert_true (g_file_set_contents (host_file, "seen\n", -1, NULL));
  g_autofree char *rule = g_strdup_printf ("/data=%s", host_dir);
  g_assert_cmpint (put (mount, "b/dirs", rule), ==, 0);
  g_autofree char *bound = run (mount, "cat /data/marker");
  assert_meta (bound, "exitcode", "0");
  assert_reads (mount, "b/stdout", "seen\n");

  g_assert_cmpint (put (mount, "b/dirs", "\n"), ==, 0);
  g_autofree char *gone = run (mount, "test -e /data");
  assert_meta (gone, "exitcode", "1");

  /* Private network by default: only lo; shared: the host's interfaces. */
  g_autofree char *host_net = NULL;
  g_assert_true (g_file_get_contents ("/proc/net/dev", &host_net, NULL, NULL));
  g_autofree char *private_net = run (mount, "cat /proc/net/dev");
  g_autofree char *private_text = get (mount, "b/stdout");
  g_assert_cmpint (put (mount, "b/share-net", "1"), ==, 0);
  g_autofree char *shared_net = run (mount, "cat /proc/net/dev");
  g_autofree char *shared_text = get (mount, "b/stdout");
  g_auto (GStrv) host_lines = g_strsplit (host_net, "\n", -1);
  g_auto (GStrv) private_lines = g_strsplit (private_text, "\n", -1);
  g_auto (GStrv) shared_lines = g_strsplit (shared_text, "\n", -1);
  g_assert_cmpuint (g_strv_length (private_lines), ==, 4); /* two headers, lo, "" */
  g_assert_cmpuint (g_strv_length (shared_lines), ==, g_strv_length (host_lines));
  g_assert_no_errno (unlink (host_file));
  g_assert_no_errno (g_rmdir (host_dir));
}

/* What a box's next run is built with, seen from outside: the proxy of
 * the jail prepared for it, the root template the daemon keeps (a mount
 * namespace it holds), and the box's saved record (both files). */
typedef struct
{
  char *proxy;
  char *templates;
  char *record;
} PreparedJail;

static void
prepared_jail_clear (PreparedJail *seen)
{
  g_free (seen->proxy);
  g_free (seen->templates);
  g_free (seen->record);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PreparedJail, prepared_jail_clear)

static char *
read_record (const Mount *mount, const char *box)
{
  GString *both = g_string_new (NULL);
  const char *const files[] = { "settings.json", "settings.json.1" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (mount->state_dir, "boxes", box, files[i], NULL);
      g_autofree char *text = NULL;
      if (g_file_get_contents (path, &text, NULL, NULL))
        g_string_append (both, text);
    }
  return g_string_free (both, FALSE);
}

/* The proxies among daemon's children whose program-to-be waits for a
 * command (its child, named as it is until it execs): the jails prepared
 * ahead, not the last run's proxy on its way out. */
static char *
waiting_proxies (GPid daemon)
{
  g_autofree char *proxies = process_live_children_named (daemon, "jail-proxy");
  g_auto (GStrv) pids = g_strsplit (proxies, " ", -1);
  g_autoptr (GPtrArray) waiting = g_ptr_array_new ();
  for (guint i = 0; pids[i] != NULL && pids[i][0] != '\0'; i++)
    {
      g_autofree char *child = process_live_children_named (atoi (pids[i]), "jail-proxy");
      if (child[0] != '\0')
        g_ptr_array_add (waiting, pids[i]);
    }
  g_ptr_array_add (waiting, NULL);
  return g_strjoinv (" ", (char **) waiting->pdata);
}

/* Waits until a jail waits for box b's next run. */
static void
see_prepared_jail (const Mount *mount, PreparedJail *seen)
{
  GPid daemon = atoi (g_subprocess_get_identifier (mount->daemon));
  for (int i = 0; i < 1000; i++)
    {
      prepared_jail_clear (seen);
      seen->proxy = waiting_proxies (daemon);
      if (seen->proxy[0] != '\0')
        break;
      g_usleep (10000);
    }
  g_assert_cmpstr (seen->proxy, !=, "");
  g_assert_null (strchr (seen->proxy, ' '));
  seen->templates = process_namespace_fds (daemon, "mnt");
  seen->record = read_record (mount, "b");
}

/* Runs until the daemon holds b's root template: a run takes the one its
 * jail made only if it was ready by then (later on a loaded machine). */
static void
run_until_template (const Mount *mount)
{
  GPid daemon = atoi (g_subprocess_get_identifier (mount->daemon));
  for (int i = 0; i < 50; i++)
    {
      g_free (run (mount, "/bin/true"));
      g_autofree char *templates = process_namespace_fds (daemon, "mnt");
      if (templates[0] != '\0')
        return;
      g_usleep (100000);
    }
  g_assert_not_reached ();
}

/* A judge writes every setting before each run, most of them unchanged:
 * writing a setting's current value (one file, or the settings file) must
 * neither drop the jail prepared for the next run nor the root template,
 * nor save the record again. A real change does all three. */
static void
test_current_value_keeps_prepared_jail (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_autofree char *host_dir = g_build_filename (mount->tmp_dir, "data", NULL);
  g_assert_no_errno (g_mkdir (host_dir, 0755));
  g_autofree char *rule = g_strdup_printf ("/data=%s\n", host_dir);
  g_assert_cmpint (put (mount, "b/dirs", rule), ==, 0);
  g_assert_cmpint (put (mount, "b/mem", "64M"), ==, 0);
  run_until_template (mount);

  g_auto (PreparedJail) before = { 0 };
  see_prepared_jail (mount, &before);
  g_autofree char *settings = get (mount, "b/settings");
  g_assert_cmpint (put (mount, "b/dirs", rule), ==, 0);
  g_assert_cmpint (put (mount, "b/mem", "65536"), ==, 0);
  g_assert_cmpint (put (mount, "b/settings", settings), ==, 0);
  g_usleep (300000); /* a dropped jail's proxy would be gone by now */
  g_auto (PreparedJail) after = { 0 };
  see_prepared_jail (mount, &after);
  g_assert_cmpstr (after.proxy, ==, before.proxy);
  g_assert_cmpstr (before.templates, !=, "");
  g_assert_cmpstr (after.templates, ==, before.templates);
  g_assert_cmpstr (after.record, ==, before.record);
  /* And the run takes that jail. */
  g_autofree char *status = run (mount, "test -d /data");
  assert_meta (status, "exitcode", "0");

  /* A change of dirs: the prepared jail and the template go, the record is saved. */
  run_until_template (mount);
  g_auto (PreparedJail) kept = { 0 };
  see_prepared_jail (mount, &kept);
  g_assert_cmpint (put (mount, "b/dirs", "\n"), ==, 0);
  GPid old_proxy = atoi (kept.proxy);
  for (int i = 0; i < 500 && !process_has_ended (old_proxy); i++)
    g_usleep (10000);
  g_assert_true (process_has_ended (old_proxy));
  GPid daemon = atoi (g_subprocess_get_identifier (mount->daemon));
  g_autofree char *templates = process_namespace_fds (daemon, "mnt");
  g_assert_null (strstr (templates, kept.templates));
  g_autofree char *record = read_record (mount, "b");
  g_assert_cmpstr (record, !=, kept.record);
  g_autofree char *gone = run (mount, "test -d /data");
  assert_meta (gone, "exitcode", "1");
  g_assert_no_errno (g_rmdir (host_dir));
}

/* Runs "ls /" and checks that the root holds the sandbox's tree and nothing
 * of the host's: a root template (jail_protocol.h) taken before it was built
 * would be the host's tree. */
static void
assert_root_is_sandbox (Mount *mount, const char *extra)
{
  g_autofree char *listing = run (mount, "ls /");
  assert_meta (listing, "exitcode", "0");
  g_autofree char *names = get (mount, "b/stdout");
  static const char *const host_only[] = { "home", "root", "var", "sys", "srv", "opt", "mnt" };
  g_auto (GStrv) lines = g_strsplit (names, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    for (guint j = 0; j < G_N_ELEMENTS (host_only); j++)
      g_assert_cmpstr (lines[i], !=, host_only[j]);
  g_assert_true (g_strv_contains ((const char *const *) lines, "box"));
  g_assert_true (extra == NULL || g_strv_contains ((const char *const *) lines, extra));
}

/* A box's binds are built once and kept; every run still gets its own
 * /tmp, /dev/shm, /proc and tmp rules, and nothing one run leaves there
 * reaches the next. Its /proc shows the run's processes only: the proxy (PID
 * 1), sh, and ls while it lists them (into a file: listed while a pipe's
 * reader was being started, the count was 3 or 4). */
static void
test_per_run_mounts_fresh_every_run (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_assert_cmpint (put (mount, "b/processes", "10"), ==, 0);
  g_assert_cmpint (put (mount, "b/dirs", "/scratch:tmp"), ==, 0);
  for (int i = 0; i < 8; i++)
    {
      assert_root_is_sandbox (mount, "scratch");
      g_autofree char *left
          = run (mount, "sh -c 'ls -A /tmp /dev/shm /scratch; touch /tmp/a /dev/shm/b /scratch/c; "
                        "ls /proc > /tmp/proc; grep -c \"^[0-9]\" /tmp/proc'");
      assert_meta (left, "exitcode", "0");
      assert_reads (mount, "b/stdout", "/dev/shm:\n\n/scratch:\n\n/tmp:\n3\n");
    }

  /* A rule inside a per-run mount: the whole root is built at every run. */
  g_autofree char *host_dir = g_build_filename (mount->tmp_dir, "inside-tmp", NULL);
  g_autofree char *host_file = g_build_filename (host_dir, "marker", NULL);
  g_assert_no_errno (g_mkdir (host_dir, 0755));
  g_assert_true (g_file_set_contents (host_file, "seen\n", -1, NULL));
  g_autofree char *rule = g_strdup_printf ("/tmp/data=%s", host_dir);
  g_assert_cmpint (put (mount, "b/dirs", rule), ==, 0);
  for (int i = 0; i < 4; i++)
    {
      assert_root_is_sandbox (mount, NULL);
      g_autofree char *nested
          = run (mount, "sh -c 'ls -A /tmp; cat /tmp/data/marker; touch /tmp/a'");
      assert_meta (nested, "exitcode", "0");
      assert_reads (mount, "b/stdout", "data\nseen\n");
    }
  g_assert_no_errno (unlink (host_file));
  g_assert_no_errno (g_rmdir (host_dir));
}

/* The next run's sandbox is built ahead, during a run or after it; the
 * run's figures must still be its own: no CPU time, memory or process of
 * the sandbox waiting for the next command. */
static void
test_prepared_sandbox_counts_nothing_early (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_autofree char *first = run (fixture->mount, "/bin/true");
  /* The next sandbox is prepared meanwhile: its proxy, a child of the
   * daemon, appears (later on a loaded machine). */
  g_usleep (300000);
  GPid daemon = atoi (g_subprocess_get_identifier (fixture->mount->daemon));
  WAIT_UNTIL (process_children_named (daemon, "jail-proxy") > 0);
  g_assert_cmpuint (process_children_named (daemon, "jail-proxy"), >, 0);
  g_autofree char *status = run (fixture->mount, "/bin/true");
  /* What /bin/true itself costs, whatever this CPU's speed; building a
   * sandbox costs some milliseconds more. */
  double native = host_true_cpu_seconds ();
  g_test_message ("/bin/true takes %.4f s of CPU natively", native);
  g_assert_cmpfloat (meta_seconds (status, "time"), <=, MAX (0.005, 4 * native));
  g_autofree char *cg_mem = meta (status, "cg-mem");
  g_assert_cmpint (g_ascii_strtoll (cg_mem, NULL, 10), <, 4096);
  /* processes=1 (the default) still lets the program itself run, and no more. */
  g_autofree char *fork = run (fixture->mount, "sh -c '/bin/true'");
  g_assert_nonnull (meta (fork, "status"));
  /* Built while this run sleeps, the next sandbox is not among its two. */
  g_assert_cmpint (put (fixture->mount, "b/processes", "2"), ==, 0);
  g_autofree char *during = run (fixture->mount, "sh -c 'sleep 0.3; /bin/true'");
  assert_meta (during, "exitcode", "0");
}

/* A box keeps its network namespace across runs (making one per run costs a
 * millisecond), but never shares it with the host or another box, and
 * nothing a run opened in it outlives the run. */
static void
test_network_namespace_per_box (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_assert_cmpint (make_box (mount, "other"), ==, 0);
  const char *show = "readlink /proc/self/ns/net";
  g_autofree char *first = run_for_output (mount, "b", show);
  g_autofree char *second = run_for_output (mount, "b", show);
  g_autofree char *other = run_for_output (mount, "other", show);
  g_autofree char *host = g_file_read_link ("/proc/self/ns/net", NULL);
  g_assert_cmpstr (first, ==, second);
  g_assert_cmpstr (first, !=, other);
  g_assert_true (g_str_has_prefix (first, "net:["));
  g_assert_false (g_str_has_prefix (first, host));

  g_assert_cmpint (put (mount, "b/processes", "10"), ==, 0);
  const char *listen = "python3 -c \"import socket; s = socket.socket(); "
                       "s.bind(('127.0.0.1', 5555)); s.listen(); print('listening')\"";
  g_autofree char *listened = run_for_output (mount, "b", listen);
  g_assert_cmpstr (listened, ==, "listening\n");
  const char *connect = "python3 -c \"import socket\ntry:\n socket.create_connection(('127.0.0.1', "
                        "5555), 1)\n print('connected')\nexcept OSError as e:\n print('refused')\"";
  g_autofree char *connected = run_for_output (mount, "b", connect);
  g_assert_cmpstr (connected, ==, "refused\n");
  g_assert_cmpint (put (mount, "b/share-net", "1"), ==, 0);
  g_autofree char *shared = run_for_output (mount, "b", show);
  g_assert_true (g_str_has_prefix (shared, host));
}

/* Bytes received on the box's loopback so far, as its next run reads them. */
static guint64
loopback_bytes (const Mount *mount, const char *box)
{
  const char *count = "awk '/lo:/ { sub(/.*lo:/, \"\"); print $1 }' /proc/net/dev";
  g_autofree char *out = run_for_output (mount, box, count);
  return g_ascii_strtoull (out, NULL, 10);
}

/* A box's network is its own from its first run: what another box did on
 * its loopback does not show, whether the namespace was made by the run
 * or ahead of it (none is ever handed on, even once its box is gone). */
static void
test_network_namespace_fresh (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_assert_cmpint (put (mount, "b/processes", "10"), ==, 0);
  const char *send = "python3 -c \"import socket; s = socket.socket(socket.AF_INET, "
                     "socket.SOCK_DGRAM)\nfor i in range(100): s.sendto(b'x' * 1000, "
                     "('127.0.0.1', 9))\"";
  g_autofree char *sent = run_for_output (mount, "b", send);
  g_assert_cmpuint (loopback_bytes (mount, "b"), >=, 100000);
  g_assert_cmpint (remove_box (mount, "b"), ==, 0);
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("fresh%d", i);
      g_assert_cmpint (make_box (mount, name), ==, 0);
      g_assert_cmpuint (loopback_bytes (mount, name), ==, 0);
      g_assert_cmpint (remove_box (mount, name), ==, 0);
    }
  g_assert_cmpint (make_box (mount, "b"), ==, 0); /* for the fixture */
}

/* Each rule is a mount of the run's sandbox, and a sandbox has at most
 * 4096 (jail_protocol.h), 10 of them the defaults: `dirs` takes as many
 * rules as a run can carry, and refuses one more when it is written, never
 * failing the runs after it. */
static void
test_dirs_rules_a_run_can_carry (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_autofree char *most = tmp_dir_rules (4086);
  g_autofree char *one_more = tmp_dir_rules (4087);
  g_test_message ("4086 rules: %zu bytes", strlen (most));
  g_assert_cmpint (put (mount, "b/dirs", one_more), ==, EINVAL);
  assert_reads (mount, "b/dirs", "");
  g_assert_cmpint (put (mount, "b/dirs", most), ==, 0);
  g_autofree char *status = run (mount, "sh -c 'echo x > /t4085/f; read l < /t4085/f; echo $l'");
  assert_meta (status, "exitcode", "0");
  assert_reads (mount, "b/stdout", "x\n");
  g_assert_cmpint (put (mount, "b/dirs", one_more), ==, EINVAL);
  g_autofree char *kept = get (mount, "b/dirs");
  g_assert_cmpuint (strlen (kept), ==, strlen (most));
  /* A rule that replaces another (the same path) is not one more. */
  g_autofree char *replaced = g_strconcat (most, "/t0:tmp:noexec\n", NULL);
  g_assert_cmpint (put (mount, "b/dirs", replaced), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/run/prepared-sandbox-follows-settings", test_prepared_sandbox_follows_settings);
  ADD ("/run/prepared-sandbox-counts-nothing-early", test_prepared_sandbox_counts_nothing_early);
  ADD ("/run/current-value-keeps-prepared-jail", test_current_value_keeps_prepared_jail);
  ADD ("/run/per-run-mounts-fresh-every-run", test_per_run_mounts_fresh_every_run);
  ADD ("/run/network-namespace-per-box", test_network_namespace_per_box);
  ADD ("/run/network-namespace-fresh", test_network_namespace_fresh);
  ADD ("/run/dirs-rules-a-run-can-carry", test_dirs_rules_a_run_can_carry);
  /* Every run builds its sandbox when cmd is written. */
  ADD_WITH ("/run/unprepared-sandbox-follows-settings", test_prepared_sandbox_follows_settings,
            "prepare_runs=false");
  return g_test_run ();
}
