#include "box.h"

#include "sandbox/host/box_quota.h"
#include "sandbox/settings/box_settings.h"
#include "sandbox/cgroup/cgroup.h"
#include "sandbox/jail/jail_builder.h"
#include "sandbox/run/run.h"
#include "sandbox/sandbox_error.h"
#include "utils/chown_tree.h"
#include "utils/dir_entries.h"
#include "utils/remove_tree.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct _SourceChain SourceChain;

struct _Box
{
  grefcount ref_count;
  const BoxShared *shared; /* the table's, outlives every box */
  guint64 id;
  char *name;
  guint uid_index;
  uid_t owner_uid;
  gid_t owner_gid;
  guint mode;     /* permission bits of the box's directory */
  char *dir;      /* state_dir/boxes/NAME: root's, out of the program's reach */
  char *work_dir; /* dir/box: the program's /box */
  BoxSettings settings;
  char *cmd;
  char *source;       /* the last source written to the source file, "" if none */
  guint64 generation; /* of the last record saved (record_files) */
  BoxState state;
  gboolean removed;
  BoxCgroup *cgroup;     /* opened at the first run */
  JailOrder *standby;    /* the next run's jail, ordered ahead; or NULL */
  gboolean standby_warm; /* jail_order_warm: it may be in the cgroups */
  int netns_fd;          /* the box's network namespace, once a run made it; or -1 */
  int root_template_fd;  /* the box's root template (jail_protocol.h), once a jail made it; or -1 */
  Run *run;              /* while state is BOX_RUNNING */
  RunResult *result;     /* while state is BOX_DONE */
  GList *run_watches;    /* of RunWatch, told when the run ends */
  SourceChain *chain;    /* while a source file's compile-then-run is in progress */
};

typedef struct
{
  BoxRunEndFunc func;
  gpointer data;
} RunWatch;

/* A source file's compile-then-run (box_start_source): what the run step
 * needs while the compile step runs. */
struct _SourceChain
{
  gboolean compiling; /* the current run is the compile step */
  gboolean stopped;   /* ctl kill: no run step after the compile */
  char *run_cmd;      /* the run step's command, and split */
  GStrv run_argv;
  gint64 run_processes; /* the least processes the run step gets (run_processes) */
};

static void
source_chain_free (SourceChain *chain)
{
  if (chain == NULL)
    return;
  g_free (chain->run_cmd);
  g_strfreev (chain->run_argv);
  g_free (chain);
}

static void
source_chain_stop (SourceChain *chain)
{
  chain->stopped = TRUE;
}

/* Files in the box's state directory. The record is saved in turn to
 * each of a pair, the first save (generation 1) to settings.json, so that a
 * save cut short leaves the one before whole. */
static const char *const record_files[] = { "settings.json", "settings.json.1" };
#define RECORD_FILE_OF(generation) (record_files[((generation) + 1) % 2])
#define STDIN_FILE "stdin"
#define ROOT_DIR "root"       /* where a run's root is mounted, in its own namespace only */
#define RUN_STATE "run-state" /* "running" during a run, to notice one cut short */
#define QUOTA_IMAGE "box.img" /* box/'s own filesystem when the box has a quota */

/* What every program finds in its environment unless the env setting says
 * otherwise. LIBC_FATAL_STDERR_ sends glibc's fatal errors to stderr, where
 * they can be read, rather than to the terminal, which there is none of. */
static const char *const default_environment[] = {
  "PATH=" JAIL_DEFAULT_PATH,
  "HOME=/box",
  "LIBC_FATAL_STDERR_=1",
  NULL,
};

static const char *const output_files[] = { [BOX_STDOUT] = "stdout", [BOX_STDERR] = "stderr" };

Box *
box_new (const BoxShared *shared, guint64 id, const char *name, const char *dir, guint uid_index,
         uid_t owner_uid, gid_t owner_gid)
{
  Box *box = g_new0 (Box, 1);
  g_ref_count_init (&box->ref_count);
  box->shared = shared;
  box->id = id;
  box->name = g_strdup (name);
  box->uid_index = uid_index;
  box->owner_uid = owner_uid;
  box->owner_gid = owner_gid;
  box->mode = BOX_DEFAULT_MODE;
  box->dir = g_strdup (dir);
  box->work_dir = g_build_filename (dir, "box", NULL);
  box_settings_init (&box->settings, shared->config);
  box->cmd = g_strdup ("");
  box->source = g_strdup ("");
  box->state = BOX_IDLE;
  box->netns_fd = -1;
  box->root_template_fd = -1;
  return box;
}

Box *
box_new_from_record (const BoxShared *shared, guint64 id, const char *dir, guint uid_index,
                     const BoxRecord *record, GError **error)
{
  g_autoptr (Box) box = box_new (shared, id, record->name, dir, uid_index, record->owner_uid,
                                 record->owner_gid);
  GHashTableIter iter;
  gpointer name, text;
  g_hash_table_iter_init (&iter, record->settings);
  while (g_hash_table_iter_next (&iter, &name, &text))
    if (!box_settings_set_trusted (&box->settings, shared->config, name, text, error))
      {
        g_prefix_error (error, "setting %s: ", (const char *) name);
        return NULL;
      }
  g_free (box->cmd);
  box->cmd = g_strdup (record->cmd);
  g_free (box->source);
  box->source = g_strdup (record->source);
  box->mode = record->mode;
  box->generation = record->generation;
  return g_steal_pointer (&box);
}

/* The newer of the pair that loads; if neither does, why the first did not. */
BoxRecord *
box_read_record (const char *dir, GError **error)
{
  BoxRecord *newest = NULL;
  GError *first_error = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (record_files); i++)
    {
      g_autofree char *path = g_build_filename (dir, record_files[i], NULL);
      g_autofree char *data = NULL;
      gsize length = 0;
      GError *local_error = NULL;
      BoxRecord *record = NULL;
      if (g_file_get_contents (path, &data, &length, &local_error))
        record = box_record_from_json (data, length, &local_error);
      if (record == NULL && i == 0)
        first_error = local_error;
      else if (record == NULL)
        g_error_free (local_error);
      else if (newest == NULL || record->generation > newest->generation)
        {
          box_record_free (newest);
          newest = record;
        }
      else
        box_record_free (record);
    }
  if (newest != NULL)
    g_clear_error (&first_error);
  else
    g_propagate_error (error, first_error);
  return newest;
}

static void
drop_root_template (Box *box)
{
  if (box->root_template_fd >= 0)
    close (box->root_template_fd);
  box->root_template_fd = -1;
}

Box *
box_ref (Box *box)
{
  g_ref_count_inc (&box->ref_count);
  return box;
}

void
box_unref (Box *box)
{
  if (!g_ref_count_dec (&box->ref_count))
    return;
  g_free (box->name);
  g_free (box->dir);
  g_free (box->work_dir);
  box_settings_clear (&box->settings);
  g_free (box->cmd);
  g_free (box->source);
  source_chain_free (box->chain);
  jail_order_cancel (box->standby);
  if (box->netns_fd >= 0)
    close (box->netns_fd);
  drop_root_template (box);
  box_cgroup_free (box->cgroup);
  run_result_free (box->result);
  g_list_free_full (box->run_watches, g_free);
  g_free (box);
}

guint64
box_get_id (const Box *box)
{
  return box->id;
}

const char *
box_get_name (const Box *box)
{
  return box->name;
}

guint
box_get_uid_index (const Box *box)
{
  return box->uid_index;
}

uid_t
box_get_uid (const Box *box)
{
  return daemon_config_box_uid (box->shared->config, box->uid_index);
}

gid_t
box_get_gid (const Box *box)
{
  return daemon_config_box_gid (box->shared->config, box->uid_index);
}

uid_t
box_get_owner_uid (const Box *box)
{
  return box->owner_uid;
}

gid_t
box_get_owner_gid (const Box *box)
{
  return box->owner_gid;
}

guint
box_get_mode (const Box *box)
{
  return box->mode;
}

const char *
box_get_work_dir (const Box *box)
{
  return box->work_dir;
}

BoxState
box_get_state (const Box *box)
{
  return box->state;
}

void
box_mark_removed (Box *box)
{
  box->removed = TRUE;
  if (box->cgroup != NULL)
    box_cgroup_close_files (box->cgroup);
}

static gboolean
check_present (Box *box, GError **error)
{
  if (!box->removed)
    return TRUE;
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_NOT_FOUND, "box %s was removed", box->name);
  return FALSE;
}

static gboolean
is_kept_file (const char *name)
{
  const char *const kept[] = { record_files[0],          record_files[1],          STDIN_FILE,
                               output_files[BOX_STDOUT], output_files[BOX_STDERR], RUN_STATE };
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    if (strcmp (name, kept[i]) == 0)
      return TRUE;
  return FALSE;
}

/* A directory of the layout, emptied; box/ goes back to root until a new
 * owner takes it. */
static gboolean
clean_dir (int dir_fd, const char *name, GError **error)
{
  int fd = openat (dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return sandbox_set_errno_error (error, errno, "open", name);
  gboolean ok = remove_tree_contents (fd, error);
  if (ok && (fchown (fd, 0, 0) < 0 || fchmod (fd, 0700) < 0))
    ok = sandbox_set_errno_error (error, errno, "take back", name);
  close (fd);
  return ok;
}

static gboolean
clean_file (int dir_fd, const char *name, GError **error)
{
  int fd = openat (dir_fd, name, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return sandbox_set_errno_error (error, errno, "open", name);
  struct stat st;
  gboolean ok = fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && ftruncate (fd, 0) == 0;
  if (!ok)
    sandbox_set_errno_error (error, errno ? errno : EINVAL, "empty", name);
  close (fd);
  return ok;
}

static gboolean
clean_entry (int dir_fd, const char *name, gpointer data, GError **error)
{
  if (strcmp (name, "box") == 0 || strcmp (name, ROOT_DIR) == 0)
    return clean_dir (dir_fd, name, error);
  if (is_kept_file (name))
    return clean_file (dir_fd, name, error);
  return remove_tree_at (dir_fd, name, error);
}

gboolean
box_clean_state_dir (int dir_fd, GError **error)
{
  return dir_for_each_entry (dir_fd, clean_entry, NULL, error);
}

static int
open_work_dir (Box *box, GError **error)
{
  int fd = open (box->work_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    sandbox_set_errno_error (error, errno, "open", box->work_dir);
  return fd;
}

/* Writes text over what path held, in place: no new inode, no rename (on
 * ext4 a rename over a file writes it out first, 0.3 ms, and creating and
 * unlinking inodes cost 0.1-0.2 ms each on a filesystem where many were
 * deleted lately: traced). A daemon killed in the middle leaves the file
 * torn, and the loader takes the other one of the pair (box_save). */
static gboolean
write_in_place (const char *path, const char *text, GError **error)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return sandbox_set_errno_error (error, errno, "open", path);
  gsize length = strlen (text);
  gsize done = 0;
  while (done < length)
    {
      ssize_t n = pwrite (fd, text + done, length - done, done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += n;
    }
  /* A text as long as the file's (the run marker's always is) needs no
   * truncation, which on ext4 is one more journalled inode update. */
  struct stat st;
  gboolean same_size = fstat (fd, &st) == 0 && st.st_size == (off_t) length;
  gboolean ok = done == length && (same_size || ftruncate (fd, length) == 0);
  if (!ok)
    sandbox_set_errno_error (error, errno ? errno : EIO, "write", path);
  close (fd);
  return ok;
}

gboolean
box_save (Box *box, GError **error)
{
  g_autoptr (BoxRecord) record = box_record_new ();
  record->name = g_strdup (box->name);
  record->uid = box_get_uid (box);
  record->gid = box_get_gid (box);
  record->owner_uid = box->owner_uid;
  record->owner_gid = box->owner_gid;
  record->mode = box->mode;
  g_free (record->cmd);
  record->cmd = g_strdup (box->cmd);
  g_free (record->source);
  record->source = g_strdup (box->source);
  for (const char *const *name = box_settings_names (); *name != NULL; name++)
    g_hash_table_insert (record->settings, g_strdup (*name),
                         box_settings_get (&box->settings, *name));

  record->generation = box->generation + 1;

  g_autofree char *json = box_record_to_json (record);
  g_autofree char *path = g_build_filename (box->dir, RECORD_FILE_OF (record->generation), NULL);
  g_autoptr (GError) local_error = NULL;
  if (!write_in_place (path, json, &local_error))
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "cannot save box %s: %s", box->name,
                   local_error->message);
      return FALSE;
    }
  box->generation = record->generation;
  return TRUE;
}

gboolean
box_set_mode (Box *box, guint mode, GError **error)
{
  guint old_mode = box->mode;
  box->mode = mode & 0777;
  if (box_save (box, error))
    return TRUE;
  box->mode = old_mode;
  return FALSE;
}

gboolean
box_set_owner (Box *box, uid_t owner_uid, gid_t owner_gid, GError **error)
{
  if (!check_present (box, error))
    return FALSE;
  if (box->state == BOX_RUNNING)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_BUSY, "box %s is running", box->name);
      return FALSE;
    }
  int fd = open_work_dir (box, error);
  if (fd < 0)
    return FALSE;
  gboolean handed = chown_tree (fd, box->owner_uid, owner_uid, owner_gid, error);
  close (fd);
  if (!handed)
    return FALSE;
  box->owner_uid = owner_uid;
  box->owner_gid = owner_gid;
  return box_save (box, error);
}

char *
box_read_setting (Box *box, const char *name)
{
  g_autofree char *text = box_settings_get (&box->settings, name);
  if (text == NULL || text[0] == '\0' || g_str_has_suffix (text, "\n"))
    return g_steal_pointer (&text);
  return g_strconcat (text, "\n", NULL);
}

static gboolean
refuse_entry (int dir_fd, const char *name, gpointer data, GError **error)
{
  g_set_error_literal (error, SANDBOX_ERROR, SANDBOX_ERROR_BUSY,
                       "box/ must be empty to change the quota (ctl reset empties it)");
  return FALSE;
}

static gboolean
check_work_dir_empty (Box *box, GError **error)
{
  int fd = open_work_dir (box, error);
  if (fd < 0)
    return FALSE;
  gboolean empty = dir_for_each_entry (fd, refuse_entry, NULL, error);
  close (fd);
  return empty;
}

gboolean
box_mount_quota (Box *box, GError **error)
{
  gint64 kib = box->settings.limits[LIMIT_QUOTA];
  if (kib == LIMIT_UNLIMITED || box_quota_is_mounted (box->work_dir))
    return TRUE;
  g_autofree char *image = g_build_filename (box->dir, QUOTA_IMAGE, NULL);
  if (!g_file_test (image, G_FILE_TEST_EXISTS) && !box_quota_create (image, kib, error))
    return FALSE;
  return box_quota_mount (image, box->work_dir, box->owner_uid, box->owner_gid, BOX_WORK_DIR_MODE,
                          error);
}

gboolean
box_unmount_quota (Box *box, GError **error)
{
  return box_quota_unmount (box->work_dir, error);
}

/* A new size means a new, empty filesystem: only for an empty box/, so
 * that nothing is lost. */
static gboolean
change_quota (Box *box, gint64 old_kib, GError **error)
{
  if (box->settings.limits[LIMIT_QUOTA] == old_kib)
    return TRUE;
  g_autofree char *image = g_build_filename (box->dir, QUOTA_IMAGE, NULL);
  if (!check_work_dir_empty (box, error) || !box_unmount_quota (box, error))
    return FALSE;
  if (unlink (image) < 0 && errno != ENOENT)
    return sandbox_set_errno_error (error, errno, "remove", image);
  return box_mount_quota (box, error);
}

gboolean
box_write_setting (Box *box, const char *name, const char *text, const Caller *caller,
                   GError **error)
{
  if (!check_present (box, error))
    return FALSE;
  if (caller->uid != 0 && box_settings_need_root (name))
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_NOT_PERMITTED,
                   "only root may set %s: it binds host paths", name);
      return FALSE;
    }
  gboolean is_quota = strcmp (name, limit_name (LIMIT_QUOTA)) == 0;
  if (is_quota && box->state == BOX_RUNNING)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_BUSY, "box %s is running", box->name);
      return FALSE;
    }
  g_autofree char *old_text = box_settings_get (&box->settings, name);
  gint64 old_quota = box->settings.limits[LIMIT_QUOTA];
  if (!box_settings_set_as (&box->settings, box->shared->config, caller, name, text, error))
    return FALSE;
  /* A prepared sandbox was built with the old value (its mounts, its
   * network, the box/ it binds): it goes, and the next is built anew. */
  gboolean rebuild = box->standby != NULL && box_settings_shape_jail (name);
  /* The template binds the old box/ and rules; its quota image too. */
  if (box_settings_shape_jail (name))
    drop_root_template (box);
  if (rebuild)
    g_clear_pointer (&box->standby, jail_order_cancel);
  gboolean ok = (!is_quota || change_quota (box, old_quota, error)) && box_save (box, error);
  if (!ok)
    {
      /* Keep memory and disk in agreement: the old value was valid, so it goes back. */
      box_settings_set_trusted (&box->settings, box->shared->config, name, old_text, NULL);
      if (is_quota && !box_mount_quota (box, NULL))
        g_warning ("box %s: cannot mount box/ with its quota again", box->name);
    }
  if (rebuild && box->state == BOX_IDLE)
    box_prepare_first_run (box);
  else if (rebuild)
    box_prepare_next_run (box);
  return ok;
}

char *
box_read_cmd (Box *box)
{
  return box->cmd[0] ? g_strconcat (box->cmd, "\n", NULL) : g_strdup ("");
}

/* The default environment with the env rules over it. */
static GStrv
build_environment (Box *box)
{
  g_auto (GStrv) env = g_strdupv ((char **) default_environment);
  for (char **rule = box->settings.env; *rule != NULL; rule++)
    {
      g_autofree char *name = g_strndup (*rule, strchr (*rule, '=') - *rule);
      env = g_environ_setenv (env, name, strchr (*rule, '=') + 1, TRUE);
    }
  return g_steal_pointer (&env);
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

/* What a run leaves in box/ is read by its owner, often as root: only
 * regular files and directories may stay (DESIGN §4). */
static void
remove_special_files_of_run (Box *box)
{
  g_autoptr (GError) error = NULL;
  int fd = open_work_dir (box, &error);
  if (fd < 0 || !remove_special_files (fd, &error))
    g_warning ("box %s: cannot clean box/ after the run: %s", box->name, error->message);
  if (fd >= 0)
    close (fd);
}

gboolean
box_hand_work_dir (Box *box, gboolean to_program, GError **error)
{
  int fd = open_work_dir (box, error);
  if (fd < 0)
    return FALSE;
  uid_t program_uid = box_get_uid (box);
  gboolean ok = to_program ? chown_tree (fd, box->owner_uid, program_uid, box_get_gid (box), error)
                           : chown_tree (fd, program_uid, box->owner_uid, box->owner_gid, error);
  close (fd);
  return ok;
}

static void
hand_work_dir_back (Box *box)
{
  g_autoptr (GError) error = NULL;
  if (!box_hand_work_dir (box, FALSE, &error))
    g_warning ("box %s: cannot give box/ back to its owner: %s", box->name, error->message);
}

/* The marker survives the daemon (SIGKILL, a crash, a stop during a run),
 * so that the next start can say the run was cut short. No fsync: it only
 * has to outlive the daemon, not the machine. Written in place, not
 * created and removed: 0.1 ms less per run. */
static void
mark_running (Box *box, gboolean running)
{
  g_autofree char *path = g_build_filename (box->dir, RUN_STATE, NULL);
  g_autoptr (GError) error = NULL;
  /* Of one length, so that it is only ever overwritten. */
  if (!write_in_place (path, running ? "running\n" : "stopped\n", &error))
    g_warning ("box %s: %s", box->name, error->message);
}

void
box_recover_interrupted_run (Box *box)
{
  g_autofree char *path = g_build_filename (box->dir, RUN_STATE, NULL);
  g_autofree char *state = NULL;
  if (!g_file_get_contents (path, &state, NULL, NULL) || !g_str_has_prefix (state, "running"))
    return;
  g_autoptr (GError) error = NULL;
  if (box->cgroup == NULL)
    box->cgroup = box_cgroup_open (box->shared->config->cgroup_parent, box->name, &error);
  if (box->cgroup != NULL)
    box_cgroup_kill_all (box->cgroup);
  remove_special_files_of_run (box);
  hand_work_dir_back (box);
  box->result = run_result_new ();
  run_result_set_verdict (box->result, "XX",
                          "The run was interrupted: the daemon stopped during it");
  box->state = BOX_DONE;
  mark_running (box, FALSE);
  g_message ("box %s: its last run was interrupted by the daemon's stop", box->name);
}

static gboolean
open_cgroup (Box *box, GError **error)
{
  if (box->cgroup == NULL)
    box->cgroup = box_cgroup_open (box->shared->config->cgroup_parent, box->name, error);
  return box->cgroup != NULL;
}

/* What this box's jails are built with. Its strings live as long as the
 * box's settings, but root_dir, the caller's to free. */
static gboolean
describe_jail (Box *box, JailSetup *setup, char **root_dir, GError **error)
{
  *root_dir = g_build_filename (box->dir, ROOT_DIR, NULL);
  if (!open_cgroup (box, error))
    return FALSE;
  if (mkdir (*root_dir, 0700) < 0 && errno != EEXIST)
    return sandbox_set_errno_error (error, errno, "create", *root_dir);
  gboolean share_net = box->settings.limits[LIMIT_SHARE_NET] == 1;
  /* One made ahead, if there is: cheaper than the jail making it. */
  if (!share_net && box->netns_fd < 0 && box->shared->config->prepare_runs)
    box->netns_fd = jail_builder_take_netns (box->shared->builder);
  *setup = (JailSetup){
    .uid = box_get_uid (box),
    .gid = box_get_gid (box),
    .root_dir = *root_dir,
    .work_dir = box->work_dir,
    .dir_rules = box->settings.dirs,
    .share_net = share_net,
    .cgroup_procs = box_cgroup_procs_files (box->cgroup),
    .netns_fd = box->netns_fd,
    .root_template_fd = box->root_template_fd,
    /* From the jail of a box's second run on (ordered during, or after, its
     * first): only a jail prepared ahead gives its template (keep_root_template). */
    .make_root_template = box->shared->config->prepare_runs && box->state != BOX_IDLE,
    .join_at_launch = box->shared->favor_dynmods,
  };
  return TRUE;
}

/* The network namespace of the box's first jail serves every later one. */
static void
keep_netns (Box *box, const Jail *jail)
{
  if (box->settings.limits[LIMIT_SHARE_NET] != 1 && box->netns_fd < 0)
    /* Not kept if it cannot be opened: the next run makes its own. */
    box->netns_fd = jail_open_netns (jail, NULL);
}

/* The root template of a jail prepared ahead serves every later jail, until
 * a setting it was built from changes. A jail made for the run itself has
 * not finished building it yet. */
static void
keep_root_template (Box *box, Jail *jail)
{
  if (box->root_template_fd < 0)
    box->root_template_fd = jail_take_root_template (jail);
}

/* For a run that found no jail prepared ahead. */
static Jail *
prepare_jail (Box *box, GError **error)
{
  g_autofree char *root_dir = NULL;
  JailSetup setup;
  if (!describe_jail (box, &setup, &root_dir, error))
    return NULL;
  setup.make_root_template = FALSE; /* launched at once: its template would come too late */
  Jail *jail = jail_builder_prepare (box->shared->builder, &setup, error);
  if (jail != NULL)
    keep_netns (box, jail);
  return jail;
}

static void
order_jail (Box *box, gboolean spare)
{
  g_autofree char *root_dir = NULL;
  JailSetup setup;
  g_autoptr (GError) error = NULL;
  box->standby_warm = FALSE;
  if (describe_jail (box, &setup, &root_dir, &error))
    box->standby = jail_builder_order (box->shared->builder, &setup, spare, &error);
  /* Not fatal: the run prepares its own, and reports what fails then. */
  if (error != NULL)
    g_warning ("box %s: cannot prepare the next run: %s", box->name, error->message);
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

/* The next run's jail is ordered as soon as this one's is launched, and
 * built while this run runs: then neither the reader of status nor a
 * judge's next run waits for it. That takes a jail that joins its cgroups
 * at launch; otherwise it is ordered when the run ends. */
void
box_prepare_next_run (Box *box)
{
  if (!box->shared->config->prepare_runs || box->removed || box->standby != NULL
      || (box->state == BOX_RUNNING && !box->shared->favor_dynmods))
    return;
  order_jail (box, FALSE);
}

void
box_expect_run (Box *box)
{
  /* Not during a run: it would join that run's cgroups. */
  if (box->standby != NULL && box->state != BOX_RUNNING && !box->standby_warm)
    box->standby_warm = jail_order_warm (box->standby);
}

void
box_prepare_first_run (Box *box)
{
  if (box->shared->config->prepare_runs && box->standby == NULL)
    order_jail (box, TRUE);
}

static gboolean source_step_done (Box *box, RunResult **result);

static void
on_run_done (RunResult *result, gpointer data)
{
  Box *box = data;
  /* The compile step of a source file's chain hands over to its run step. */
  if (box->chain != NULL && source_step_done (box, &result))
    return;
  remove_special_files_of_run (box);
  hand_work_dir_back (box);
  box->run = NULL;
  box->result = result;
  /* The sandbox could not be set up: the next is built whole again. */
  if (g_strcmp0 (result->status, "XX") == 0)
    drop_root_template (box);
  box->state = BOX_DONE;
  tell_run_watches (box);
  /* After the answer: a crash in between shows the run as cut short. */
  mark_running (box, FALSE);
  /* Status is answered: the next run's counters are cleared now rather than
   * at its launch. Not where the next jail joins early: its waiting would
   * count. If this fails, the launch tries again and says why. */
  if (box->shared->favor_dynmods && box->cgroup != NULL)
    box_cgroup_clear_counters (box->cgroup, 0, NULL);
  box_prepare_next_run (box);
}

static gboolean
prepare_cgroup (Box *box, GError **error)
{
  return open_cgroup (box, error)
         && box_cgroup_prepare_run (
             box->cgroup, box->settings.limits[LIMIT_MEM], box->settings.limits[LIMIT_PROCESSES],
             box->standby != NULL && (!box->shared->favor_dynmods || box->standby_warm) ? 1 : 0,
             error);
}

static Run *
start (Box *box, char **argv, int stdin_fd, GError **error)
{
  g_autoptr (Jail) jail = box->standby ? jail_order_take (g_steal_pointer (&box->standby)) : NULL;
  box->standby_warm = FALSE;
  if (jail != NULL)
    {
      keep_netns (box, jail);
      keep_root_template (box, jail);
    }
  else if ((jail = prepare_jail (box, error)) == NULL)
    return NULL;
  g_auto (GStrv) env = build_environment (box);
  g_autofree char *stdout_path = g_build_filename (box->dir, output_files[BOX_STDOUT], NULL);
  g_autofree char *stderr_path = g_build_filename (box->dir, output_files[BOX_STDERR], NULL);
  const gint64 *limits = box->settings.limits;
  RunSpec spec = {
    .launch = {
      .argv = argv,
      .envp = env,
      .cwd = box->settings.cwd,
      .stdio_fds = { stdin_fd, -1, -1 },
      .stdio_paths = { box->settings.stdio_paths[0], box->settings.stdio_paths[1],
                       box->settings.stdio_paths[2] },
      .stderr_to_stdout = box->settings.stderr_to_stdout,
      .fsize_kib = limits[LIMIT_FSIZE],
      .stack_kib = limits[LIMIT_STACK],
      .open_files = limits[LIMIT_OPEN_FILES],
    },
    .cgroup = box->cgroup,
    .time_ms = limits[LIMIT_TIME],
    .extra_ms = limits[LIMIT_EXTRA_TIME],
    .wall_ms = limits[LIMIT_WALL_TIME],
    .stdout_path = stdout_path,
    .stderr_path = stderr_path,
    .output_cap = (gint64) box->shared->config->max_output_kib * 1024,
  };
  Run *run = run_start (&spec, g_steal_pointer (&jail), on_run_done, box, error);
  if (run != NULL && box->shared->favor_dynmods)
    order_next_jail_soon (box);
  return run;
}

gboolean
box_start_run (Box *box, const char *cmd, GError **error)
{
  if (!check_present (box, error))
    return FALSE;
  if (box->state == BOX_RUNNING)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_BUSY, "box %s is running", box->name);
      return FALSE;
    }

  g_auto (GStrv) argv = NULL;
  g_autoptr (GError) parse_error = NULL;
  if (!g_shell_parse_argv (cmd, NULL, &argv, &parse_error))
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "cmd: %s", parse_error->message);
      return FALSE;
    }
  if (!prepare_cgroup (box, error) || !box_hand_work_dir (box, TRUE, error))
    return FALSE;
  g_autofree char *stdin_path = g_build_filename (box->dir, STDIN_FILE, NULL);
  int stdin_fd = open (stdin_path, O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (stdin_fd < 0)
    {
      hand_work_dir_back (box);
      return sandbox_set_errno_error (error, errno, "open", stdin_path);
    }
  box->run = start (box, argv, stdin_fd, error);
  close (stdin_fd);
  if (box->run == NULL)
    {
      hand_work_dir_back (box);
      return FALSE;
    }

  mark_running (box, TRUE);
  g_clear_pointer (&box->result, run_result_free);
  box->state = BOX_RUNNING;
  /* A judge runs the same command again and again: save only
   * when it changes. */
  if (strcmp (box->cmd, cmd) == 0)
    return TRUE;
  g_free (box->cmd);
  box->cmd = g_strdup (cmd);
  g_autoptr (GError) save_error = NULL;
  if (!box_save (box, &save_error))
    g_warning ("%s", save_error->message);
  return TRUE;
}

/* ---- The source file: compile (if the language says so), then run ---- */

/* Both steps of a source file's chain run here, where the source is. */
#define SOURCE_CWD "/box"

char *
box_read_source (Box *box)
{
  return box->source[0] ? g_strconcat (box->source, "\n", NULL) : g_strdup ("");
}

/* Starts one step of a source file's chain: argv under limits, in /box.
 * The compile step reads /dev/null and writes to the box's stdout and
 * stderr whatever the box's stdio settings say; the run step takes stdin
 * and those settings as any run. The box's settings are changed only while
 * the run takes them, and put back before anything is saved. */
static gboolean
start_step (Box *box, const char *cmd, char **argv, const gint64 *limits, gboolean compile,
            GError **error)
{
  BoxSettings *settings = &box->settings;
  BoxSettings saved = *settings;
  memcpy (settings->limits, limits, sizeof settings->limits);
  settings->cwd = (char *) SOURCE_CWD;
  if (compile)
    {
      memset (settings->stdio_paths, 0, sizeof settings->stdio_paths);
      settings->stderr_to_stdout = FALSE;
    }

  gboolean ok = prepare_cgroup (box, error) && box_hand_work_dir (box, TRUE, error);
  if (ok)
    {
      g_autofree char *stdin_path
          = compile ? g_strdup ("/dev/null") : g_build_filename (box->dir, STDIN_FILE, NULL);
      int stdin_fd
          = open (stdin_path, O_RDONLY | (compile ? 0 : O_CREAT) | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (stdin_fd < 0)
        ok = sandbox_set_errno_error (error, errno, "open", stdin_path);
      else
        {
          box->run = start (box, argv, stdin_fd, error);
          close (stdin_fd);
          ok = box->run != NULL;
        }
      if (!ok)
        hand_work_dir_back (box);
    }
  *settings = saved;
  if (!ok)
    return FALSE;

  mark_running (box, TRUE);
  g_clear_pointer (&box->result, run_result_free);
  box->state = BOX_RUNNING;
  g_free (box->cmd);
  box->cmd = g_strdup (cmd);
  return TRUE;
}

static void
save_or_warn (Box *box)
{
  g_autoptr (GError) error = NULL;
  if (!box_save (box, &error))
    g_warning ("%s", error->message);
}

/* The box's own limits, with processes raised to the language's
 * run_processes for the run step. */
static void
run_step_limits (Box *box, const SourceChain *chain, gint64 *limits)
{
  memcpy (limits, box->settings.limits, sizeof box->settings.limits);
  limits[LIMIT_PROCESSES] = MAX (limits[LIMIT_PROCESSES], chain->run_processes);
}

/* Called by on_run_done when a step ends. TRUE if the chain goes on (the
 * compile step succeeded and the run step started): the box stays running
 * and nobody is told. FALSE when the chain is over: result, marked with its
 * step, is the box's result. */
static gboolean
source_step_done (Box *box, RunResult **result)
{
  SourceChain *chain = box->chain;
  (*result)->stage = chain->compiling ? "compile" : "run";
  if (!chain->compiling || (*result)->status != NULL || chain->stopped)
    {
      g_clear_pointer (&box->chain, source_chain_free);
      return FALSE;
    }

  /* Compiled: what the compiler wrote is dropped, the program runs at once. */
  box->run = NULL;
  remove_special_files_of_run (box);
  hand_work_dir_back (box);
  chain->compiling = FALSE;
  gint64 limits[N_LIMITS];
  run_step_limits (box, chain, limits);
  g_autoptr (GError) error = NULL;
  if (start_step (box, chain->run_cmd, chain->run_argv, limits, FALSE, &error))
    {
      g_clear_pointer (result, run_result_free);
      save_or_warn (box);
      return TRUE;
    }
  g_warning ("box %s: cannot start the run of %s after its compile: %s", box->name, box->source,
             error->message);
  run_result_free (*result);
  *result = run_result_new ();
  (*result)->stage = "run";
  run_result_set_verdict (*result, "XX", "cannot start the run: %s", error->message);
  g_clear_pointer (&box->chain, source_chain_free);
  return FALSE;
}

/* A file of box/, named by one path component. */
static gboolean
check_source_name (const char *name, GError **error)
{
  const char *problem = NULL;
  if (name[0] == '\0')
    problem = "the name of a file in box/";
  else if (strchr (name, '/') != NULL || strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    problem = "a file directly in box/: one name, no '/'";
  else if (strchr (name, '\n') != NULL)
    problem = "one name, on one line";
  else if (name[0] == '-')
    problem = "a name that does not start with '-' (compilers would take it for an option)";
  else if (strlen (name) > NAME_MAX)
    problem = "a name of at most NAME_MAX bytes";
  if (problem == NULL)
    return TRUE;
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "source: expected %s", problem);
  return FALSE;
}

/* The source's language. The daemon reads the source (its #! line) as
 * root, so it opens only what the box's owner put there: one component
 * under box/, never through a link (O_NOFOLLOW), never blocking on a FIFO
 * (O_NONBLOCK), and only a regular file of the owner's or the box's. */
static const Language *
detect_source_language (Box *box, const LanguageTable *table, const char *name, GError **error)
{
  int dir_fd = open_work_dir (box, error);
  if (dir_fd < 0)
    return NULL;
  int fd = openat (dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  int saved_errno = errno;
  close (dir_fd);
  if (fd < 0)
    {
      if (saved_errno == ENOENT)
        g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_NOT_FOUND, "source: no file %s in box/",
                     name);
      else if (saved_errno == ELOOP)
        g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
                     "source: %s is a symbolic link; links are not followed", name);
      else if (saved_errno == ENXIO)
        g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
                     "source: %s is not a regular file", name);
      else
        sandbox_set_errno_error (error, saved_errno, "open source", name);
      return NULL;
    }

  const Language *language = NULL;
  struct stat st;
  g_autoptr (GError) detect_error = NULL;
  if (fstat (fd, &st) < 0)
    sandbox_set_errno_error (error, errno, "stat source", name);
  else if (!S_ISREG (st.st_mode))
    g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "source: %s is not a regular file",
                 name);
  else if (st.st_uid != box->owner_uid && st.st_uid != box_get_uid (box) && box->owner_uid != 0)
    g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
                 "source: %s belongs to uid %u, neither the box's owner nor its program", name,
                 (guint) st.st_uid);
  else if ((language = languages_detect_fd (table, name, fd, &detect_error)) == NULL)
    g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "source: %s", detect_error->message);
  close (fd);
  return language;
}

/* A command of the languages table, split as cmd would be. */
static GStrv
split_language_command (const LanguageTable *table, const Language *language, const char *key,
                        const char *command, GError **error)
{
  GStrv argv = NULL;
  g_autoptr (GError) parse_error = NULL;
  if (g_shell_parse_argv (command, NULL, &argv, &parse_error))
    return argv;
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "languages file %s: [%s] %s: %s",
               table->path, language->name, key, parse_error->message);
  return NULL;
}

/* The compile step's limits: the language's for mem, time, wall-time and
 * processes, each lowered to the writer's maximum (root has none), and
 * the box's for the rest. */
static gboolean
compile_step_limits (Box *box, const LanguageTable *table, const Language *language,
                     const Caller *caller, gint64 *limits, GError **error)
{
  const struct
  {
    LimitId id;
    const char *key, *text;
  } compile_limits[] = {
    { LIMIT_MEM, "compile_mem", language->compile_mem },
    { LIMIT_TIME, "compile_time", language->compile_time },
    { LIMIT_WALL_TIME, "compile_wall_time", language->compile_wall_time },
    { LIMIT_PROCESSES, "compile_processes", language->compile_processes },
  };
  memcpy (limits, box->settings.limits, sizeof box->settings.limits);
  for (guint i = 0; i < G_N_ELEMENTS (compile_limits); i++)
    {
      LimitId id = compile_limits[i].id;
      g_autoptr (GError) parse_error = NULL;
      if (!limit_parse (id, compile_limits[i].text, &limits[id], &parse_error))
        {
          g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "languages file %s: [%s] %s: %s",
                       table->path, language->name, compile_limits[i].key, parse_error->message);
          return FALSE;
        }
      if (caller->uid != 0)
        limits[id] = MIN (limits[id], daemon_config_maximum (box->shared->config, id, caller));
    }
  return TRUE;
}

gboolean
box_start_source (Box *box, const char *text, const Caller *caller, GError **error)
{
  if (!check_present (box, error))
    return FALSE;
  if (box->state == BOX_RUNNING)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_BUSY, "box %s is running", box->name);
      return FALSE;
    }
  g_autofree char *name = g_strstrip (g_strdup (text));
  if (!check_source_name (name, error))
    return FALSE;
  const LanguageTable *table = box->shared->languages;
  const Language *language = detect_source_language (box, table, name, error);
  if (language == NULL)
    return FALSE;
  g_autofree char *found = language_find_requirement (language);
  if (found == NULL)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_NOT_INSTALLED,
                   "source: %s is not installed (%s not found)", language->name,
                   language->requires);
      return FALSE;
    }

  g_autofree char *program = NULL, *binary = NULL;
  language_source_names (name, &program, &binary);
  g_autofree char *compile_cmd
      = language->compile ? language_expand (language->compile, name, binary, program) : NULL;
  g_auto (GStrv) compile_argv = NULL;
  SourceChain *chain = g_new0 (SourceChain, 1);
  chain->run_cmd = language_expand (language->run, name, binary, program);
  chain->run_argv = split_language_command (table, language, "run", chain->run_cmd, error);
  chain->run_processes = language->run_processes;
  if (caller->uid != 0)
    chain->run_processes
        = MIN (chain->run_processes, daemon_config_maximum (box->shared->config, LIMIT_PROCESSES, caller));
  gint64 limits[N_LIMITS];
  gboolean started = FALSE;
  if (chain->run_argv != NULL && compile_cmd != NULL)
    started
        = (compile_argv = split_language_command (table, language, "compile", compile_cmd, error))
              != NULL
          && compile_step_limits (box, table, language, caller, limits, error)
          && start_step (box, compile_cmd, compile_argv, limits, TRUE, error);
  else if (chain->run_argv != NULL)
    {
      run_step_limits (box, chain, limits);
      started = start_step (box, chain->run_cmd, chain->run_argv, limits, FALSE, error);
    }
  if (!started)
    {
      source_chain_free (chain);
      return FALSE;
    }
  chain->compiling = compile_cmd != NULL;
  box->chain = chain;
  g_free (box->source);
  box->source = g_steal_pointer (&name);
  save_or_warn (box);
  return TRUE;
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

void
box_abort_run (Box *box)
{
  g_clear_pointer (&box->standby, jail_order_cancel);
  drop_root_template (box); /* it holds box/, maybe a quota image */
  g_clear_pointer (&box->chain, source_chain_free);
  if (box->run != NULL)
    {
      run_abort (g_steal_pointer (&box->run));
      hand_work_dir_back (box);
      box->state = BOX_IDLE;
    }
  tell_run_watches (box);
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
  return g_strdup_printf ("state:%s\n%s", state_names[box->state], meta);
}

GBytes *
box_read_output (Box *box, BoxOutput which, GError **error)
{
  g_autofree char *path = g_build_filename (box->dir, output_files[which], NULL);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, &local_error);
  if (file != NULL)
    return g_mapped_file_get_bytes (file);
  if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    return g_bytes_new (NULL, 0);
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "cannot read %s of box %s: %s",
               output_files[which], box->name, local_error->message);
  return NULL;
}

static gboolean
reset (Box *box, GError **error)
{
  if (box->state == BOX_RUNNING)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_BUSY, "box %s is running", box->name);
      return FALSE;
    }

  int dir_fd = open_work_dir (box, error);
  if (dir_fd < 0)
    return FALSE;
  g_autoptr (GError) remove_error = NULL;
  gboolean emptied = remove_tree_contents (dir_fd, &remove_error);
  close (dir_fd);
  if (!emptied)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "cannot empty %s: %s", box->work_dir,
                   remove_error->message);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (output_files); i++)
    {
      g_autofree char *path = g_build_filename (box->dir, output_files[i], NULL);
      if (unlink (path) < 0 && errno != ENOENT)
        return sandbox_set_errno_error (error, errno, "remove", path);
    }
  g_clear_pointer (&box->result, run_result_free);
  box->state = BOX_IDLE;
  return TRUE;
}

gboolean
box_control (Box *box, const char *command, GError **error)
{
  if (!check_present (box, error))
    return FALSE;
  if (strcmp (command, "kill") == 0)
    {
      /* Nothing running is nothing to stop: not an error, the run may just have ended. */
      if (box->run != NULL)
        run_kill (box->run, "SG", "Killed by ctl");
      if (box->chain != NULL)
        source_chain_stop (box->chain);
      return TRUE;
    }
  if (strcmp (command, "reset") == 0)
    return reset (box, error);
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "ctl takes 'kill' or 'reset', not '%s'",
               command);
  return FALSE;
}

static int
open_stdin (Box *box, GError **error)
{
  if (!check_present (box, error))
    return -1;
  g_autofree char *path = g_build_filename (box->dir, STDIN_FILE, NULL);
  int fd = open (path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    sandbox_set_errno_error (error, errno, "open", path);
  return fd;
}

/* One positioned read or write of the stdin file. It is opened per call, so
 * that a thousand idle boxes hold no descriptors. */
static gssize
stdin_io (Box *box, gboolean writing, void *buffer, gsize size, goffset offset, GError **error)
{
  int fd = open_stdin (box, error);
  if (fd < 0)
    return -1;
  gssize done = writing ? pwrite (fd, buffer, size, offset) : pread (fd, buffer, size, offset);
  int saved_errno = errno;
  close (fd);
  if (done < 0)
    sandbox_set_errno_error (error, saved_errno, writing ? "write stdin of" : "read stdin of",
                             box->name);
  return done;
}

gssize
box_stdin_read (Box *box, char *buffer, gsize size, goffset offset, GError **error)
{
  return stdin_io (box, FALSE, buffer, size, offset, error);
}

static gboolean
check_stdin_cap (Box *box, goffset end, GError **error)
{
  if (end <= (goffset) (box->shared->config->max_stdin_kib * 1024))
    return TRUE;
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_TOO_LARGE,
               "stdin of box %s would pass max_stdin (%" G_GUINT64_FORMAT " KiB)", box->name,
               box->shared->config->max_stdin_kib);
  return FALSE;
}

gssize
box_stdin_write (Box *box, const char *data, gsize size, goffset offset, GError **error)
{
  if (offset < 0 || !check_stdin_cap (box, offset + (goffset) size, error))
    return -1;
  return stdin_io (box, TRUE, (void *) data, size, offset, error);
}

gboolean
box_stdin_truncate (Box *box, goffset size, GError **error)
{
  if (size < 0 || !check_stdin_cap (box, size, error))
    return FALSE;
  int fd = open_stdin (box, error);
  if (fd < 0)
    return FALSE;
  int ret = ftruncate (fd, size);
  int saved_errno = errno;
  close (fd);
  if (ret < 0)
    return sandbox_set_errno_error (error, saved_errno, "truncate stdin of", box->name);
  return TRUE;
}

goffset
box_stdin_size (Box *box)
{
  g_autofree char *path = g_build_filename (box->dir, STDIN_FILE, NULL);
  struct stat st;
  return lstat (path, &st) == 0 ? st.st_size : 0;
}
