/* isolatefs: the daemon that mounts the sandbox filesystem. */

#include "daemon.h"
#include "fs_ops.h"
#include "mount_watch.h"
#include "options.h"
#include "service_notify.h"
#include "session_loop.h"
#include "check/host_check.h"
#include "sandbox/host/state_layout.h"
#include "sandbox/host/state_lock.h"

#include <errno.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

static void
print_usage (const char *program)
{
  printf ("usage: %s [-f] [-d] [-o OPT[,OPT...]] [SOURCE] MOUNTPOINT\n"
          "       %s --check [-o OPT[,OPT...]]\n\n"
          "Mounts the isolatefs sandbox filesystem; with --check, checks instead that this\n"
          "host suits it (OK, WARN or FAIL per check, with the fix; exit status 1 on a FAIL).\n"
          "isolatefs options (isolatefs(8); the box files are in isolatefs(5)): config=FILE,\n"
          "state_dir=DIR, cgroup=auto|v1|v2, cgroup_parent=[/]NAME, first_uid=N,\n"
          "first_gid=N, box_uids=N, max_boxes=N, max_stdin=SIZE, max_output=SIZE,\n"
          "max_tmp=SIZE, prepare_runs=BOOL, prepare_new_boxes=N, favor_dynmods=BOOL,\n"
          "languages=FILE,\n"
          "default_LIMIT=VALUE and max_LIMIT=VALUE for every limit file.\n\n",
          program, program);
  fuse_cmdline_help ();
  fuse_lowlevel_help ();
}

/* Walking a box's tree (rmdir, reset, the clean-up after a run) holds a
 * descriptor per level: take every descriptor the system allows. */
static void
raise_descriptor_limit (void)
{
  struct rlimit limit;
  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

/* A daemon killed without unmounting leaves its mount behind, answering
 * ENOTCONN: take it away, so that a restart needs no reboot. Asked with
 * statfs, which always reaches the daemon: stat is answered from the
 * kernel's cache of the root's attributes for a second after its last use. */
static void
recover_stale_mount (const char *mountpoint)
{
  struct statfs fs;
  if (statfs (mountpoint, &fs) == 0 || errno != ENOTCONN)
    return;
  if (umount2 (mountpoint, MNT_DETACH) == 0)
    g_message ("removed the stale mount left on %s by a daemon that died", mountpoint);
  else
    g_warning ("cannot remove the stale mount on %s: %s", mountpoint, g_strerror (errno));
}

/* Our mount left our namespace, even if copies of it live on in others. */
static gboolean
on_unmounted (gpointer data)
{
  Daemon *daemon = data;
  g_message ("unmounted: stopping");
  daemon->unmounted = TRUE;
  g_main_loop_quit (daemon->loop);
  return G_SOURCE_REMOVE;
}

/* Mounts, serves until unmounted or signalled, and unmounts. */
static int
serve (Daemon *daemon, const DaemonOptions *options, StateLock *lock)
{
  recover_stale_mount (options->mountpoint);
  if (fuse_session_mount (daemon->session, options->mountpoint) != 0)
    return 1;
  /* Without syslog the log goes to a file: said while a terminal may read it. */
  if (!options->foreground && daemon_log_is_fallback (daemon->log))
    fprintf (stderr, "isolatefs: the log goes to %s\n", daemon_log_describe (daemon->log));
  /* Only once the mount is ready: what mount(8) and fstab users wait for. */
  fuse_daemonize (options->foreground);
  state_lock_claim (lock);
  daemon_log_install (daemon->log);
  g_message ("serving %s", options->mountpoint);
  g_autofree char *status = g_strdup_printf ("serving %s", options->mountpoint);
  service_notify_ready (status);

  g_autoptr (MountWatch) watch = mount_watch_new (options->mountpoint, on_unmounted, daemon);
  session_loop_run (daemon);

  service_notify_stopping ();
  /* Unmounted by someone else: what is on the mount point now is not ours
   * to unmount (a daemon started since, say). Closing the FUSE device ends
   * the copies (ENOTCONN). */
  if (!daemon->unmounted)
    fuse_session_unmount (daemon->session);
  return 0;
}

/* Where the log goes (daemon_log.h); without syslog, into the state
 * directory, which the lock has made. */
static DaemonLog *
open_log (const DaemonConfig *config, const DaemonOptions *options, GError **error)
{
  g_autofree char *fallback = g_build_filename (config->state_dir, STATE_LOG_FILE, NULL);
  DaemonLogSettings settings = {
    .file = config->log_file,
    .foreground = options->foreground,
    .syslog_socket = "/dev/log",
    .fallback_file = fallback,
  };
  return daemon_log_new (&settings, error);
}

/* isolatefs --check: the host against these settings (host_check.h). */
static int
check_host (const DaemonConfig *config)
{
  CheckSettings settings = {
    .state_dir = config->state_dir,
    .cgroup = config->cgroup,
    .cgroup_parent = config->cgroup_parent,
    .first_uid = config->first_uid,
    .first_gid = config->first_gid,
    .box_uids = config->box_uids,
    .quota_configured = config->limit_default[LIMIT_QUOTA] != LIMIT_UNLIMITED
                        || config->limit_maximum[LIMIT_QUOTA] != LIMIT_UNLIMITED,
  };
  g_autoptr (GPtrArray) results = host_check_run (&settings);
  host_check_print (results, stdout);
  return host_check_exit_status (results);
}

int
main (int argc, char *argv[])
{
  struct fuse_args args = FUSE_ARGS_INIT (argc, argv);
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  DaemonOptions options = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (StateLock) lock = NULL;
  g_autoptr (LanguageTable) languages = NULL;
  int status = 1;

  if (!daemon_options_parse (&args, config, &options, &error)
      || !daemon_config_check (config, &error))
    {
      fprintf (stderr, "isolatefs: %s\n", error->message);
      goto out;
    }
  if (options.show_help || options.show_version)
    {
      if (options.show_help)
        print_usage (argv[0]);
      else
        printf ("isolatefs %s, libfuse %s\n", ISOLATEFS_VERSION, fuse_pkgversion ());
      status = 0;
      goto out;
    }
  if (options.check)
    {
      status = check_host (config);
      goto out;
    }
  /* Before anything is touched: the state directory, the cgroups. */
  if (geteuid () != 0)
    {
      fprintf (stderr, "isolatefs: must be run as root (it makes cgroups and gives each box's "
                       "files to the box's uid)\n");
      goto out;
    }
  if (options.mountpoint == NULL)
    {
      fprintf (stderr, "isolatefs: no mount point given (see --help)\n");
      goto out;
    }

  /* libfuse checks its own options here (it says what is wrong), before
   * anything is touched on disk or in the cgroups. */
  raise_descriptor_limit ();
  Daemon daemon = {
    .started = time (NULL),
    .started_us = g_get_monotonic_time (),
    .options = &options,
  };
  daemon.session = fuse_session_new (&args, &isolatefs_ops, sizeof isolatefs_ops, &daemon);
  if (daemon.session == NULL)
    goto out;
  /* The lock before anything else of the state directory is touched. */
  if ((languages = daemon_config_load_languages (config, &error)) == NULL
      || (lock = state_lock_take (config->state_dir, options.mountpoint, &error)) == NULL
      || (daemon.log = open_log (config, &options, &error)) == NULL
      || (daemon.boxes
          = box_table_new (g_steal_pointer (&config), g_steal_pointer (&languages), &error))
             == NULL)
    fprintf (stderr, "isolatefs: %s\n", error->message);
  else
    {
      status = serve (&daemon, &options, lock);
      box_table_close (daemon.boxes);
    }
  fuse_session_destroy (daemon.session);

out:
  daemon_options_clear (&options);
  fuse_opt_free_args (&args);
  return status;
}
