#include "box_run.h"

#include "box_private.h"
#include "box_tmp.h"
#include "sandbox/settings/dir_rules.h"
#include "sandbox/host/state_layout.h"
#include "sandbox/sandbox_error.h"
#include "utils/autofd.h"
#include "utils/chown_tree.h"
#include "utils/remove_tree.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

typedef struct
{
  BoxRunEndFunc func;
  gpointer data;
} RunWatch;

/* What every program finds in its environment unless the env setting says
 * otherwise. LIBC_FATAL_STDERR_ sends glibc's fatal errors to stderr, where
 * they can be read, rather than to the terminal, which there is none of. */
static const char *const default_environment[] = {
  "PATH=" JAIL_DEFAULT_PATH,
  "HOME=/box",
  "LIBC_FATAL_STDERR_=1",
  NULL,
};

char *
box_read_cmd (Box *box)
{
  return box->cmd[0] ? g_strconcat (box->cmd, "\n", NULL) : g_strdup ("");
}

char *
box_read_status (Box *box)
{
  static const char *const state_names[] = {
    [BOX_IDLE] = "idle",
    [BOX_RUNNING] = "running",
    [BOX_DONE] = "done",
  };
  g_autofree char *meta = box->result ? run_result_render (box->result) : g_strdup ("");
  /* During a source chain, which step runs: "compiling..." for a client. */
  const char *stage = box->state == BOX_RUNNING ? box_source_stage (box) : NULL;
  if (stage != NULL)
    return g_strdup_printf ("state:running\nstage:%s\n", stage);
  return g_strdup_printf ("state:%s\n%s", state_names[box->state], meta);
}

gpointer
box_watch_run_end (Box *box, BoxRunEndFunc func, gpointer data)
{
  RunWatch *watch = g_new (RunWatch, 1);
  watch->func = func;
  watch->data = data;
  box->run_watches = g_list_prepend (box->run_watches, watch);
  return watch;
}

void
box_unwatch_run_end (Box *box, gpointer handle)
{
  box->run_watches = g_list_remove (box->run_watches, handle);
  g_free (handle);
}

static void
tell_run_watches (Box *box)
{
  GList *watches = g_steal_pointer (&box->run_watches);
  for (GList *l = watches; l != NULL; l = l->next)
    {
      RunWatch *watch = l->data;
      watch->func (box, watch->data);
    }
  g_list_free_full (watches, g_free);
}

/* ---- Around a run: box/ and the run marker ---- */

/* Hands box/ and what is in it to the box's uid for a run (to_program), or
 * back to the box's owner; see chown_tree() for what is never touched. */
static gboolean
hand_work_dir (Box *box, gboolean to_program, GError **error)
{
  autofd fd = box_store_open_work_dir (box->store, error);
  if (fd < 0)
    return FALSE;
  uid_t program_uid = box_get_uid (box);
  return to_program ? chown_tree (fd, box->owner_uid, program_uid, box_get_gid (box), error)
                    : chown_tree (fd, program_uid, box->owner_uid, box->owner_gid, error);
}

static void
hand_work_dir_back (Box *box)
{
  g_autoptr (GError) error = NULL;
  if (!hand_work_dir (box, FALSE, &error))
    g_warning ("box %s: cannot give box/ back to its owner: %s", box->name, error->message);
}

/* What a run leaves in box/ is read by its owner, often as root: only
 * regular files and directories may stay (docs/security.md). What it left
 * in /tmp goes: the next run finds it fresh. */
void
box_run_tidy_up (Box *box)
{
  g_autoptr (GError) error = NULL;
  autofd fd = box_store_open_work_dir (box->store, &error);
  if (fd < 0 || !remove_special_files (fd, &error))
    g_warning ("box %s: cannot clean box/ after the run: %s", box->name, error->message);
  hand_work_dir_back (box);
  box_tmp_empty (box);
}

static void
mark_run (Box *box, BoxRunMark mark)
{
  g_autoptr (GError) error = NULL;
  if (!box_store_mark_run (box->store, mark, &error))
    g_warning ("box %s: %s", box->name, error->message);
}

static gboolean
open_cgroup (Box *box, GError **error)
{
  if (box->cgroup == NULL)
    box->cgroup = cgroups_open_box (box->shared->cgroups, box->name, error);
  return box->cgroup != NULL;
}

/* A run the daemon's end cut short reads XX until the next run or ctl
 * reset, through any number of restarts. */
static void
show_interrupted (Box *box)
{
  box->result = run_result_new ();
  run_result_set_verdict (box->result, RUN_XX,
                          "The run was interrupted: the daemon stopped during it");
  box->state = BOX_DONE;
  box->interrupted = TRUE;
}

void
box_recover_interrupted_run (Box *box)
{
  BoxRunMark mark = box_store_run_mark (box->store);
  if (mark == BOX_RUN_MARK_STOPPED)
    return;
  if (mark == BOX_RUN_MARK_RUNNING)
    {
      /* Its start or its end may have been cut short too: box/ goes back
       * to its owner whatever part of it the box's uid had. */
      if (open_cgroup (box, NULL))
        box_cgroup_kill_all (box->cgroup);
      box_run_tidy_up (box);
      mark_run (box, BOX_RUN_MARK_INTERRUPTED);
      g_message ("box %s: its last run was interrupted by the daemon's stop", box->name);
    }
  show_interrupted (box);
}

/* ---- The jails, prepared ahead ---- */

/* The box's dirs rules over the ones its owner's runs get by default
 * (default_dirs): a new array, or a new reference to the box's own. */
static GPtrArray *
dir_rules_of (Box *box, GError **error)
{
  Caller owner = { box_get_owner_uid (box), box_get_owner_gid (box) };
  g_autofree char *defaults = daemon_config_default_dirs (box->shared->config, &owner);
  if (defaults == NULL)
    return g_ptr_array_ref (box->settings.dirs);
  g_autofree char *own = dir_rules_format (box->settings.dirs);
  g_autofree char *text = g_strconcat (defaults, own, NULL);
  GPtrArray *rules = NULL;
  if (!dir_rules_parse (text, &rules, error))
    return g_prefix_error (error, "default_dirs with the box's dirs: "), NULL;
  return rules;
}

gboolean
box_run_check_dir_rules (Box *box, GError **error)
{
  g_autoptr (GPtrArray) rules = dir_rules_of (box, error);
  return rules != NULL;
}

/* What describe_jail makes for a JailSetup to point to. */
typedef struct
{
  char *root_dir;
  char *tmp_dir;
  GPtrArray *dir_rules;
} JailParts;

static void
jail_parts_clear (JailParts *parts)
{
  g_clear_pointer (&parts->root_dir, g_free);
  g_clear_pointer (&parts->tmp_dir, g_free);
  g_clear_pointer (&parts->dir_rules, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (JailParts, jail_parts_clear)

/* What this box's jails are built with, but for what box_jails.c holds:
 * for the next run, or for the one about to start. Its strings live as
 * long as the box's settings, but those of parts, the caller's to clear. */
static gboolean
describe_jail (Box *box, gboolean next_run, JailSetup *setup, JailParts *parts, GError **error)
{
  parts->root_dir = box_store_path (box->store, BOX_ROOT_DIR);
  CgroupPlacement placement;
  if ((parts->dir_rules = dir_rules_of (box, error)) == NULL || !open_cgroup (box, error)
      || !box_cgroup_place (box->cgroup, next_run, &placement, error))
    return FALSE;
  g_autoptr (GError) tmp_error = NULL;
  parts->tmp_dir = box_tmp_dir (box, &tmp_error);
  if (tmp_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&tmp_error));
      return FALSE;
    }
  if (mkdir (parts->root_dir, 0700) < 0 && errno != EEXIST)
    return sandbox_set_errno_error (error, errno, "create", parts->root_dir);
  gboolean ahead = box->shared->config->prepare_runs;
  *setup = (JailSetup){
    .uid = box_get_uid (box),
    .gid = box_get_gid (box),
    .root_dir = parts->root_dir,
    .work_dir = box_store_work_dir (box->store),
    .tmp_dir = parts->tmp_dir,
    .tmpfs_kib = (gint64) box->shared->config->max_tmp_kib,
    .dir_rules = parts->dir_rules,
    .share_net = box->settings.limits[LIMIT_SHARE_NET] == 1,
    .cgroup_procs = placement.procs_files,
    .cgroup_dir = placement.birth_dir,
    .netns_fd = -1,
    .root_template_fd = -1,
    /* From the jail of a box's second run on (ordered during, or after, its
     * first): only a jail prepared ahead gives its template. */
    .make_root_template = ahead && box->state != BOX_IDLE,
    .join_at_launch = box->shared->favor_dynmods,
  };
  return TRUE;
}

static void
order_jail (Box *box, gboolean spare)
{
  g_auto (JailParts) parts = { NULL };
  JailSetup setup;
  g_autoptr (GError) error = NULL;
  if (describe_jail (box, TRUE, &setup, &parts, &error))
    box_jails_order (box->jails, &setup, spare, &error);
  if (box_jails_ordered (box->jails))
    box->shared->stats->jails_prepared++;
  /* Not fatal: the run prepares its own, and reports what fails then. */
  if (error != NULL)
    g_warning ("box %s: cannot prepare the next run: %s", box->name, error->message);
}

/* The next run's jail is ordered as soon as this one's is launched, and
 * built while this run runs: then neither the reader of status nor a
 * judge's next run waits for it. That takes a jail this run does not
 * count (BoxShared.runs_apart); otherwise it is ordered when the run ends. */
void
box_prepare_next_run (Box *box)
{
  if (!box->shared->config->prepare_runs || box->removed || box_jails_ordered (box->jails)
      || (box->state == BOX_RUNNING && !box->shared->runs_apart))
    return;
  order_jail (box, FALSE);
}

void
box_prepare_first_run (Box *box)
{
  if (box->shared->config->prepare_runs && !box_jails_ordered (box->jails))
    order_jail (box, TRUE);
}

static gboolean
order_next_jail_now (gpointer data)
{
  box_prepare_next_run (data);
  return G_SOURCE_REMOVE;
}

/* Once the cmd write is answered: the thread's clone holds the daemon's
 * address space, and a page fault of the main loop waits for it (traced:
 * the answer to a box's first cmd 1 ms later). */
static void
order_next_jail_soon (Box *box)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, order_next_jail_now, box_ref (box),
                   (GDestroyNotify) box_unref);
}

void
box_expect_run (Box *box)
{
  /* Not during a run: it would join that run's cgroups. */
  if (box->state != BOX_RUNNING)
    box_jails_warm (box->jails);
}

/* ---- A run, from its start to its end ---- */

static void
on_run_done (RunResult *result, gpointer data)
{
  Box *box = data;
  /* Each step of a source chain is a run of its own. */
  result->stage = box_source_stage (box);
  box_stats_run_ended (box->shared->stats, result, box->name, box->owner_uid);
  /* The compile step of a source file's chain hands over to its run step. */
  if (box->chain != NULL && box_source_step_done (box, &result))
    return;
  box_run_tidy_up (box);
  box->run = NULL;
  box->result = result;
  /* The jail could not be set up: the next is built whole again. */
  if (result->verdict == RUN_XX)
    box_jails_drop_template (box->jails);
  box->state = BOX_DONE;
  tell_run_watches (box);
  /* After the answer: a crash in between shows the run as cut short. */
  mark_run (box, BOX_RUN_MARK_STOPPED);
  /* Status is answered: the next run's counters are cleared now rather than
   * at its launch. Not where the next jail joins early: its waiting would
   * count. If this fails, the launch tries again and says why. */
  if (box->shared->runs_apart && box->cgroup != NULL)
    box_cgroup_clear_counters (box->cgroup, 0, NULL);
  box_prepare_next_run (box);
}

static gboolean
prepare_cgroup (Box *box, const gint64 *limits, GError **error)
{
  guint waiting = box_jails_waiting (box->jails, box->shared->favor_dynmods);
  return open_cgroup (box, error)
         && box_cgroup_prepare_run (box->cgroup, limits[LIMIT_MEM], limits[LIMIT_PROCESSES],
                                    waiting, error);
}

/* The jail ordered ahead, or one prepared now. */
static Jail *
take_jail (Box *box, GError **error)
{
  Jail *jail = box_jails_take_standby (box->jails, box->settings.limits[LIMIT_SHARE_NET] == 1);
  if (jail != NULL)
    {
      box->shared->stats->jails_used++;
      return jail;
    }
  g_auto (JailParts) parts = { NULL };
  JailSetup setup;
  if (!describe_jail (box, FALSE, &setup, &parts, error))
    return NULL;
  return box_jails_prepare (box->jails, &setup, error);
}

static GStrv
apply_env_rules (GStrv env, char *const *rules)
{
  for (char *const *rule = rules; *rule != NULL; rule++)
    {
      g_autofree char *name = g_strndup (*rule, strchr (*rule, '=') - *rule);
      env = g_environ_setenv (env, name, strchr (*rule, '=') + 1, TRUE);
    }
  return env;
}

/* The default environment, then the owner's default_env rules, then the
 * box's own env rules over it. */
static GStrv
build_environment (Box *box)
{
  Caller owner = { box_get_owner_uid (box), box_get_owner_gid (box) };
  g_auto (GStrv) defaults = daemon_config_default_env (box->shared->config, &owner);
  GStrv env = g_strdupv ((char **) default_environment);
  env = apply_env_rules (env, defaults);
  return apply_env_rules (env, box->settings.env);
}

static Run *
launch (Box *box, const BoxRunPlan *plan, const BoxRunStdio *stdio, GError **error)
{
  Jail *jail = take_jail (box, error);
  if (jail == NULL)
    return NULL;
  g_auto (GStrv) env = build_environment (box);
  const gint64 *limits = plan->limits;
  RunSpec spec = {
    .launch = {
      .argv = plan->argv,
      .envp = env,
      .cwd = plan->cwd,
      .stdio_fds = { stdio->fds[0], stdio->fds[1], stdio->fds[2] },
      .stdio_paths = { stdio->paths[0], stdio->paths[1], stdio->paths[2] },
      .stderr_to_stdout = stdio->stderr_to_stdout,
      .fsize_kib = limits[LIMIT_FSIZE],
      .stack_kib = limits[LIMIT_STACK],
      .open_files = limits[LIMIT_OPEN_FILES],
      .address_space_kib = limits[LIMIT_ADDRESS_SPACE],
      .core_kib = limits[LIMIT_CORE],
      .processes = limits[LIMIT_PROCESSES],
    },
    .cgroup = box->cgroup,
    .time_ms = limits[LIMIT_TIME],
    .extra_ms = limits[LIMIT_EXTRA_TIME],
    .wall_ms = limits[LIMIT_WALL_TIME],
    .mem_kib = limits[LIMIT_MEM],
    .output_fds = { stdio->output_fds[0], stdio->output_fds[1] },
    .output_cap = (gint64) box->shared->config->max_output_kib * 1024,
  };
  Run *run = run_start (&spec, jail, on_run_done, box, error);
  if (run != NULL && box->shared->runs_apart)
    order_next_jail_soon (box);
  return run;
}

gboolean
box_run_start (Box *box, const BoxRunPlan *plan, GError **error)
{
  if (!prepare_cgroup (box, plan->limits, error))
    return FALSE;
  /* Before box/ is handed over: a daemon killed from here on leaves a
   * marker that makes the next start hand it back. */
  mark_run (box, BOX_RUN_MARK_RUNNING);
  BoxRunStdio stdio = { .fds = { -1, -1, -1 }, .output_fds = { -1, -1 } };
  Run *run = NULL;
  if (hand_work_dir (box, TRUE, error) && box_stdio_open (box, plan->compile, &stdio, error))
    run = launch (box, plan, &stdio, error);
  box_stdio_close (&stdio);
  if (run == NULL)
    {
      hand_work_dir_back (box);
      mark_run (box, box->interrupted ? BOX_RUN_MARK_INTERRUPTED : BOX_RUN_MARK_STOPPED);
      return FALSE;
    }
  box->run = run;
  box->interrupted = FALSE;
  g_clear_pointer (&box->result, run_result_free);
  box->state = BOX_RUNNING;
  if (strcmp (box->cmd, plan->cmd) != 0)
    {
      g_free (box->cmd);
      box->cmd = g_strdup (plan->cmd);
    }
  return TRUE;
}

gboolean
box_start_run (Box *box, const char *cmd, GError **error)
{
  if (!box_check_idle (box, error))
    return FALSE;
  g_auto (GStrv) argv = NULL;
  g_autoptr (GError) parse_error = NULL;
  if (!g_shell_parse_argv (cmd, NULL, &argv, &parse_error))
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "cmd: %s", parse_error->message);
      return FALSE;
    }
  BoxRunPlan plan = {
    .cmd = cmd,
    .argv = argv,
    .limits = box->settings.limits,
    .cwd = box->settings.cwd,
  };
  /* A judge runs the same command again and again: saved only when it changes. */
  gboolean changed = strcmp (box->cmd, cmd) != 0;
  if (!box_run_start (box, &plan, error))
    return FALSE;
  if (changed)
    box_save_or_warn (box);
  return TRUE;
}

void
box_run_kill (Box *box)
{
  if (box->run != NULL)
    run_kill (box->run, RUN_SG, "Killed by ctl");
  box_source_stop (box);
}

void
box_run_forget (Box *box)
{
  g_clear_pointer (&box->result, run_result_free);
  box->state = BOX_IDLE;
  if (box->interrupted)
    mark_run (box, BOX_RUN_MARK_STOPPED);
  box->interrupted = FALSE;
}

void
box_abort_run (Box *box)
{
  box_jails_invalidate (box->jails);
  box_source_drop (box);
  if (box->run != NULL)
    {
      run_abort (g_steal_pointer (&box->run));
      hand_work_dir_back (box);
      box->state = BOX_IDLE;
    }
  tell_run_watches (box);
}
