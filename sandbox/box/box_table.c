#include "box_table.h"

#include "box_run.h"
#include "box_store.h"
#include "box_tmp.h"
#include "sandbox/host/state_layout.h"

#include "sandbox/cgroup/cgroup.h"
#include "sandbox/cgroup/cgroup_dynmods.h"
#include "sandbox/cgroup/cgroup_spares.h"
#include "sandbox/host/box_quota.h"
#include "sandbox/host/state_trash.h"
#include "sandbox/host/tmp_volume.h"
#include "sandbox/sandbox_error.h"
#include "utils/autofd.h"
#include "sandbox/host/uid_pool.h"
#include "utils/box_name.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <gio/gio.h>
#include <sys/stat.h>
#include <unistd.h>

struct _BoxTable
{
  DaemonConfig *config;
  int boxes_fd; /* state_dir/boxes, where every *at() call starts */
  char *boxes_dir;
  GHashTable *boxes_by_name; /* name -> Box, holding a reference */
  GHashTable *boxes_by_id;   /* &id -> Box */
  UidPool *uids;
  guint64 next_id;
  char *dynmods_dir; /* where cgroup_dynmods_favor() mounted, or NULL */
  BoxShared shared;  /* what the boxes share: config, the jail builder, languages */
  BoxStats stats;    /* what they did, for .metrics */
  StateTrash *trash; /* where rmdir puts a box's state directory */
  CgroupSpares *cgroup_spares;
};

static gboolean
make_dir (const char *path, int mode, GError **error)
{
  if (g_mkdir_with_parents (path, mode) < 0)
    return sandbox_set_errno_error (error, errno, "create", path);
  return TRUE;
}

static void
add_box (BoxTable *table, Box *box)
{
  g_hash_table_insert (table->boxes_by_name, (gpointer) box_get_name (box), box);
  guint64 *id = g_new (guint64, 1);
  *id = box_get_id (box);
  g_hash_table_insert (table->boxes_by_id, id, box);
}

/* box/: the program's working directory. Between runs it is its owner's;
 * box_run.c hands it to the box's uid for each run. */
static gboolean
make_work_dir (BoxTable *table, const char *name, uid_t owner_uid, gid_t owner_gid, GError **error)
{
  g_autofree char *path = g_build_filename (name, BOX_WORK_DIR, NULL);
  if (mkdirat (table->boxes_fd, path, BOX_WORK_DIR_MODE) < 0 && errno != EEXIST)
    return sandbox_set_errno_error (error, errno, "create", path);
  /* An earlier box's, reused (state_trash.h), is root's 0700 till then. */
  if (fchownat (table->boxes_fd, path, owner_uid, owner_gid, AT_SYMLINK_NOFOLLOW) < 0
      || fchmodat (table->boxes_fd, path, BOX_WORK_DIR_MODE, 0) < 0)
    return sandbox_set_errno_error (error, errno, "give to the box's owner", path);

  struct stat st;
  if (fstatat (table->boxes_fd, path, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR (st.st_mode))
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "%s is not a directory", path);
      return FALSE;
    }
  return TRUE;
}

/* A box's directory left by mkdir, under its staging name, and its cgroups
 * (named for the box). */
static void
remove_unfinished (BoxTable *table, const char *staging, const char *name)
{
  g_autofree char *work_dir = g_build_filename (table->boxes_dir, staging, BOX_WORK_DIR, NULL);
  g_autoptr (GError) error = NULL;
  if (!box_quota_unmount (work_dir, &error)
      || !cgroups_remove_box (table->shared.cgroups, name, &error)
      || !state_trash_take (table->trash, table->boxes_fd, staging, &error))
    g_warning ("cannot remove what is left of box %s: %s", name, error->message);
}

/* Everything of a box but its uid and table entries, made under a name no
 * box has (STATE_NEW_BOX_PREFIX), its record saved, then renamed to the
 * box's: that rename is the mkdir. Whichever step fails, nothing is left;
 * a daemon killed before the rename leaves what the next start removes
 * (load_boxes). The box's files are then where it says. */
static gboolean
make_box_files (BoxTable *table, Box *box, GError **error)
{
  const char *name = box_get_name (box);
  g_autofree char *staging = g_strconcat (STATE_NEW_BOX_PREFIX, name, NULL);
  if (!state_trash_reuse (table->trash, table->boxes_fd, staging)
      && mkdirat (table->boxes_fd, staging, STATE_DIR_MODE) < 0)
    return sandbox_set_errno_error (error, errno, "create the state directory of box", name);
  if (make_work_dir (table, staging, box_get_owner_uid (box), box_get_owner_gid (box), error)
      && (cgroup_spares_take (table->cgroup_spares, name)
          || cgroups_create_box (table->shared.cgroups, name, error))
      && box_settle_quota (box, error) && box_save (box, error))
    {
      if (renameat (table->boxes_fd, staging, table->boxes_fd, name) == 0)
        {
          g_autofree char *dir = g_build_filename (table->boxes_dir, name, NULL);
          box_move_dir (box, dir);
          return TRUE;
        }
      sandbox_set_errno_error (error, errno, "create the state directory of box", name);
    }
  remove_unfinished (table, staging, name);
  return FALSE;
}

/* A user's or group's max_boxes (root has none). */
static gboolean
check_quota (BoxTable *table, uid_t owner_uid, gid_t owner_gid, GError **error)
{
  Caller owner = { owner_uid, owner_gid };
  guint32 quota = daemon_config_box_quota (table->config, &owner);
  if (owner_uid == 0 || quota == G_MAXUINT32)
    return TRUE;
  guint owned = 0;
  GHashTableIter iter;
  gpointer box;
  g_hash_table_iter_init (&iter, table->boxes_by_name);
  while (g_hash_table_iter_next (&iter, NULL, &box))
    owned += box_get_owner_uid (box) == owner_uid;
  if (owned < quota)
    return TRUE;
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_QUOTA, "uid %u has %u boxes, its max_boxes",
               (guint) owner_uid, owned);
  return FALSE;
}

Box *
box_table_create_box (BoxTable *table, const char *name, uid_t owner_uid, gid_t owner_gid,
                      GError **error)
{
  g_autoptr (GError) name_error = NULL;
  if (!box_name_validate (name, &name_error))
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "'%s': %s", name,
                   name_error->message);
      return NULL;
    }
  if (box_table_find_box (table, name) != NULL)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_EXISTS, "box %s exists", name);
      return NULL;
    }
  if (!check_quota (table, owner_uid, owner_gid, error))
    return NULL;
  guint uid_index;
  if (box_table_count_boxes (table) >= table->config->max_boxes
      || !uid_pool_take (table->uids, &uid_index))
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_NO_SPACE,
                   "no room for box %s: %u boxes exist (max_boxes %u, box_uids %u)", name,
                   box_table_count_boxes (table), table->config->max_boxes,
                   table->config->box_uids);
      return NULL;
    }

  g_autofree char *dir = g_strdup_printf ("%s/%s%s", table->boxes_dir, STATE_NEW_BOX_PREFIX, name);
  g_autoptr (Box) box
      = box_new (&table->shared, table->next_id++, name, dir, uid_index, owner_uid, owner_gid);
  if (!make_box_files (table, box, error))
    {
      uid_pool_release (table->uids, uid_index);
      return NULL;
    }
  add_box (table, box);
  box_prepare_first_run (box);
  g_message ("box %s created for uid %u (box uid %u)", name, (guint) owner_uid,
             (guint) box_get_uid (box));
  return g_steal_pointer (&box);
}

gboolean
box_table_destroy_box (BoxTable *table, const char *name, GError **error)
{
  Box *box = box_table_find_box (table, name);
  if (box == NULL)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_NOT_FOUND, "no box named %s", name);
      return FALSE;
    }
  box_abort_run (box);
  /* Its uid's directory of the tmp volume goes to the box that takes the uid next. */
  box_tmp_empty (box);
  if (!box_unmount_quota (box, error)
      || !(cgroup_spares_give (table->cgroup_spares, name)
           || cgroups_remove_box (table->shared.cgroups, name, error)))
    return FALSE;
  if (!state_trash_take (table->trash, table->boxes_fd, name, error))
    return FALSE;

  box_mark_removed (box);
  uid_pool_release (table->uids, box_get_uid_index (box));
  guint64 id = box_get_id (box);
  g_hash_table_remove (table->boxes_by_id, &id);
  g_hash_table_remove (table->boxes_by_name, name);
  g_message ("box %s removed", name);
  return TRUE;
}

Box *
box_table_find_box (BoxTable *table, const char *name)
{
  return g_hash_table_lookup (table->boxes_by_name, name);
}

Box *
box_table_find_box_by_id (BoxTable *table, guint64 id)
{
  return g_hash_table_lookup (table->boxes_by_id, &id);
}

guint
box_table_count_boxes (BoxTable *table)
{
  return g_hash_table_size (table->boxes_by_name);
}

static gint
compare_box_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (box_get_name (*(Box **) a), box_get_name (*(Box **) b));
}

GPtrArray *
box_table_list_boxes (BoxTable *table)
{
  GPtrArray *boxes = g_ptr_array_new_with_free_func ((GDestroyNotify) box_unref);
  GHashTableIter iter;
  gpointer box;
  g_hash_table_iter_init (&iter, table->boxes_by_name);
  while (g_hash_table_iter_next (&iter, NULL, &box))
    g_ptr_array_add (boxes, box_ref (box));
  g_ptr_array_sort (boxes, compare_box_names);
  return boxes;
}

void
box_table_close (BoxTable *table)
{
  gboolean empty = box_table_count_boxes (table) == 0;
  g_autoptr (Cgroups) cgroups = g_steal_pointer (&table->shared.cgroups);
  box_table_free (table);
  if (empty && cgroups != NULL)
    cgroups_remove_parent (cgroups);
}

/* Checks a saved record against the configuration and claims its uid. */
static gboolean
claim_record_uid (BoxTable *table, const BoxRecord *record, guint *uid_index, GError **error)
{
  const DaemonConfig *config = table->config;
  guint index = record->uid - config->first_uid;
  if (record->uid < config->first_uid || index >= config->box_uids
      || record->gid != daemon_config_box_gid (config, index))
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
                   "its uid %u/gid %u is outside the configured range", (guint) record->uid,
                   (guint) record->gid);
      return FALSE;
    }
  if (!uid_pool_claim (table->uids, index))
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "its uid %u is used by another box",
                   (guint) record->uid);
      return FALSE;
    }
  *uid_index = index;
  return TRUE;
}

static gboolean
load_box (BoxTable *table, const char *name, GError **error)
{
  if (!box_name_validate (name, error))
    return FALSE;
  if (box_table_count_boxes (table) >= table->config->max_boxes)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_NO_SPACE, "more boxes than max_boxes");
      return FALSE;
    }
  g_autofree char *dir = g_build_filename (table->boxes_dir, name, NULL);
  g_autoptr (BoxRecord) record = box_store_read_record (dir, error);
  if (record == NULL)
    return FALSE;
  if (g_strcmp0 (record->name, name) != 0)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "its state names box '%s'",
                   record->name);
      return FALSE;
    }

  guint uid_index;
  if (!claim_record_uid (table, record, &uid_index, error))
    return FALSE;
  g_autoptr (Box) box
      = box_new_from_record (&table->shared, table->next_id++, dir, uid_index, record, error);
  if (box == NULL || !make_work_dir (table, name, record->owner_uid, record->owner_gid, error)
      || !cgroups_create_box (table->shared.cgroups, name, error))
    {
      uid_pool_release (table->uids, uid_index);
      return FALSE;
    }
  if (!box_settle_quota (box, error))
    {
      uid_pool_release (table->uids, uid_index);
      return FALSE;
    }
  box_recover_interrupted_run (box);
  add_box (table, g_steal_pointer (&box));
  return TRUE;
}

/* Moves a box that cannot be loaded out of the way, keeping its files for
 * the administrator. */
static void
set_aside (BoxTable *table, const char *name, const char *reason)
{
  g_autofree char *set_aside_dir
      = g_build_filename (table->config->state_dir, STATE_SET_ASIDE_DIR, NULL);
  g_autofree char *target
      = g_strdup_printf ("%s/%s.%" G_GINT64_FORMAT, set_aside_dir, name, g_get_real_time ());
  g_autoptr (GError) error = NULL;
  if (!cgroups_remove_box (table->shared.cgroups, name, &error))
    {
      g_warning ("box %s cannot be loaded (%s): %s", name, reason, error->message);
      g_clear_error (&error);
    }
  if (!make_dir (set_aside_dir, 0700, &error))
    g_warning ("box %s cannot be loaded (%s) nor set aside: %s", name, reason, error->message);
  else if (renameat (table->boxes_fd, name, AT_FDCWD, target) < 0)
    g_warning ("box %s cannot be loaded (%s) nor set aside: %s", name, reason, g_strerror (errno));
  else
    g_warning ("box %s set aside to %s: %s", name, target, reason);
}

static gboolean
load_boxes (BoxTable *table, GError **error)
{
  g_autoptr (GDir) dir = g_dir_open (table->boxes_dir, 0, error);
  if (dir == NULL)
    return FALSE;
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr (GError) load_error = NULL;
      if (g_str_has_prefix (name, STATE_NEW_BOX_PREFIX))
        {
          /* Its mkdir was cut short, never answered: nothing to keep. */
          const char *box_name = name + strlen (STATE_NEW_BOX_PREFIX);
          g_message ("box %s was being made when the daemon stopped: removed", box_name);
          remove_unfinished (table, name, box_name);
        }
      else if (!load_box (table, name, &load_error))
        set_aside (table, name, load_error->message);
    }
  return TRUE;
}

/* Not fatal: without it a run after a pause costs 5-25 ms more (cgroup_dynmods.h).
 * Not on cgroup v2, where a program is born into its group and never moved. */
static void
favor_dynmods (BoxTable *table)
{
  g_autofree char *dir = g_build_filename (table->config->state_dir, STATE_DYNMODS_DIR, NULL);
  /* A killed daemon's goes first, whether or not this one mounts its own. */
  cgroup_dynmods_release (dir);
  if (!table->config->favor_dynmods || cgroups_runs_apart (table->shared.cgroups))
    return;
  g_autoptr (GError) error = NULL;
  if (cgroup_dynmods_favor (dir, &error))
    {
      table->dynmods_dir = g_steal_pointer (&dir);
      table->shared.favor_dynmods = TRUE;
      return;
    }
  g_message ("%s; joining cgroups stays slow after a pause", error->message);
}

/* Not fatal: where the machine cannot make it, a /tmp is a tmpfs of
 * max_tmp, charged to the box's memory as before. */
static void
make_tmp_volume (BoxTable *table)
{
  g_autoptr (GError) error = NULL;
  table->shared.tmp_volume
      = tmp_volume_mount (table->config->state_dir, table->config->max_tmp_kib, &error);
  if (table->shared.tmp_volume == NULL)
    g_warning ("%s; /tmp is a tmpfs of max_tmp in each box, charged to its memory", error->message);
}

BoxTable *
box_table_new (DaemonConfig *config, LanguageTable *languages, GError **error)
{
  g_autoptr (BoxTable) table = g_new0 (BoxTable, 1);
  table->config = config;
  table->shared.config = config;
  table->shared.languages = languages;
  table->shared.stats = &table->stats;
  table->boxes_fd = -1;
  table->boxes_dir = g_build_filename (config->state_dir, STATE_BOXES_DIR, NULL);
  table->boxes_by_name
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) box_unref);
  table->boxes_by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  table->uids = uid_pool_new (config->box_uids);
  table->next_id = 1;

  if (!make_dir (config->state_dir, STATE_DIR_MODE, error)
      || !make_dir (table->boxes_dir, STATE_DIR_MODE, error)
      || (table->trash = state_trash_new (config->state_dir, box_store_clean_dir, error)) == NULL)
    return NULL;
  table->boxes_fd = open (table->boxes_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (table->boxes_fd < 0)
    return sandbox_set_errno_error (error, errno, "open", table->boxes_dir), NULL;
  if ((table->shared.cgroups = cgroups_new (config->cgroup_parent, config->cgroup, error)) == NULL)
    return NULL;
  table->cgroup_spares = cgroup_spares_new (table->shared.cgroups);
  favor_dynmods (table);
  make_tmp_volume (table);
  gboolean born_in_cgroup = cgroups_runs_apart (table->shared.cgroups);
  table->shared.runs_apart = table->shared.favor_dynmods || born_in_cgroup;
  table->shared.builder = jail_builder_new (config->prepare_new_boxes, born_in_cgroup);
  if (!load_boxes (table, error))
    return NULL;
  return g_steal_pointer (&table);
}

void
box_table_free (BoxTable *table)
{
  if (table == NULL)
    return;
  /* Nothing a box ran may outlive the daemon. */
  GHashTableIter iter;
  gpointer box;
  g_hash_table_iter_init (&iter, table->boxes_by_name);
  while (g_hash_table_iter_next (&iter, NULL, &box))
    {
      box_abort_run (box);
      /* Mounted again at the next start; its image keeps the files. */
      g_autoptr (GError) error = NULL;
      if (!box_unmount_quota (box, &error))
        g_warning ("%s", error->message);
    }
  g_hash_table_unref (table->boxes_by_id);
  g_hash_table_unref (table->boxes_by_name);
  /* After the boxes: their jails' proxies die with the thread that made them. */
  box_shared_clear (&table->shared);
  if (table->shared.tmp_volume != NULL)
    tmp_volume_unmount (table->config->state_dir);
  g_clear_pointer (&table->shared.tmp_volume, g_free);
  state_trash_free (table->trash);
  cgroup_spares_free (table->cgroup_spares);
  uid_pool_free (table->uids);
  if (table->dynmods_dir != NULL)
    cgroup_dynmods_release (table->dynmods_dir);
  g_free (table->dynmods_dir);
  autofd_close (&table->boxes_fd);
  g_free (table->boxes_dir);
  daemon_config_free (table->config);
  g_free (table);
}

void
box_table_reload (BoxTable *table, DaemonConfig *config, LanguageTable *languages)
{
  g_autofree char *fixed = daemon_config_keep_fixed (config, table->config);
  if (*fixed != '\0')
    g_warning ("reload: %s changed; a running daemon keeps them as they were until it "
               "restarts",
               fixed);
  daemon_config_free (table->config);
  table->config = config;
  table->shared.config = config;
  languages_free (table->shared.languages);
  table->shared.languages = languages;
  /* Their jails were built with the old default_dirs. */
  GHashTableIter iter;
  gpointer box;
  g_hash_table_iter_init (&iter, table->boxes_by_name);
  while (g_hash_table_iter_next (&iter, NULL, &box))
    box_rebuild_jails (box);
}

const BoxStats *
box_table_stats (BoxTable *table)
{
  return &table->stats;
}

guint
box_table_count_running (BoxTable *table)
{
  guint running = 0;
  GHashTableIter iter;
  gpointer box;
  g_hash_table_iter_init (&iter, table->boxes_by_name);
  while (g_hash_table_iter_next (&iter, NULL, &box))
    running += box_get_state (box) == BOX_RUNNING;
  return running;
}

char *
box_table_read_languages (BoxTable *table)
{
  return languages_format (table->shared.languages, JAIL_DEFAULT_PATH);
}
