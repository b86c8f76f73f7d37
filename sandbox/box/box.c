#include "box_private.h"

#include "box_run.h"
#include "sandbox/host/box_quota.h"
#include "sandbox/host/state_layout.h"
#include "sandbox/sandbox_error.h"
#include "sandbox/settings/setting_names.h"
#include "sandbox/settings/settings_text.h"
#include "utils/autofd.h"
#include "utils/chown_tree.h"
#include "utils/dir_entries.h"
#include "utils/remove_tree.h"

#include <errno.h>
#include <sys/stat.h>
#include <string.h>

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
  box->store = box_store_new (dir, 0);
  box_settings_init (&box->settings, shared->config);
  box->cmd = g_strdup ("");
  box->source = g_strdup ("");
  box->state = BOX_IDLE;
  box->jails = box_jails_new (shared->builder, shared->config->prepare_runs);
  return box;
}

void
box_move_dir (Box *box, const char *dir)
{
  box_store_move (box->store, dir);
}

Box *
box_new_from_record (const BoxShared *shared, guint64 id, const char *dir, guint uid_index,
                     const BoxRecord *record, GError **error)
{
  g_autoptr (Box) box
      = box_new (shared, id, record->name, dir, uid_index, record->owner_uid, record->owner_gid);
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
  box_store_free (box->store);
  box->store = box_store_new (dir, record->generation);
  return g_steal_pointer (&box);
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
  box_source_drop (box);
  box_jails_free (box->jails);
  g_free (box->name);
  box_settings_clear (&box->settings);
  box_store_free (box->store);
  g_free (box->cmd);
  g_free (box->source);
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
  return box_store_work_dir (box->store);
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

gboolean
box_check_present (Box *box, GError **error)
{
  if (!box->removed)
    return TRUE;
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_NOT_FOUND, "box %s was removed", box->name);
  return FALSE;
}

gboolean
box_check_idle (Box *box, GError **error)
{
  if (!box_check_present (box, error))
    return FALSE;
  if (box->state != BOX_RUNNING)
    return TRUE;
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_BUSY, "box %s is running", box->name);
  return FALSE;
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

  g_autoptr (GError) local_error = NULL;
  if (box_store_save (box->store, record, &local_error))
    return TRUE;
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "cannot save box %s: %s", box->name,
               local_error->message);
  return FALSE;
}

void
box_save_or_warn (Box *box)
{
  g_autoptr (GError) error = NULL;
  if (!box_save (box, &error))
    g_warning ("%s", error->message);
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
  if (!box_check_idle (box, error))
    return FALSE;
  autofd fd = box_store_open_work_dir (box->store, error);
  if (fd < 0 || !chown_tree (fd, box->owner_uid, owner_uid, owner_gid, error))
    return FALSE;
  box->owner_uid = owner_uid;
  box->owner_gid = owner_gid;
  /* The owner's default_dirs shape the jail. */
  box_rebuild_jails (box);
  return box_save (box, error);
}

/* The jail a setting or the configuration changed is built anew: ahead of
 * the first run as a new box's is, else as after a run. */
static void
box_prepare_again (Box *box)
{
  if (box->state == BOX_IDLE)
    box_prepare_first_run (box);
  else
    box_prepare_next_run (box);
}

/* ---- Settings ---- */

char *
box_read_setting (Box *box, const char *name)
{
  g_autofree char *text = box_settings_get (&box->settings, name);
  if (text == NULL || text[0] == '\0' || g_str_has_suffix (text, "\n"))
    return g_steal_pointer (&text);
  return g_strconcat (text, "\n", NULL);
}

/* A quota is two filesystems of its size, each in an image of its own:
 * box/, its owner's, and the directory the box's /tmp is made in
 * (box_tmp.h), root's. */
static const struct
{
  const char *dir;
  const char *image;
} quota_filesystems[] = {
  { BOX_WORK_DIR, BOX_QUOTA_IMAGE },
  { BOX_TMP_DIR, BOX_TMP_IMAGE },
};

static gboolean
settle_quota_filesystem (Box *box, guint which, gint64 kib, GError **error)
{
  gboolean work = which == 0;
  g_autofree char *dir = box_store_path (box->store, quota_filesystems[which].dir);
  if (!work && kib != LIMIT_UNLIMITED && mkdir (dir, 0711) < 0 && errno != EEXIST)
    return sandbox_set_errno_error (error, errno, "create", dir);
  g_autofree char *image = box_store_path (box->store, quota_filesystems[which].image);
  return work ? box_quota_settle (image, dir, kib, box->owner_uid, box->owner_gid,
                                  BOX_WORK_DIR_MODE, error)
              : box_quota_settle (image, dir, kib, 0, 0, 0711, error);
}

gboolean
box_settle_quota (Box *box, GError **error)
{
  gint64 kib = box->settings.limits[LIMIT_QUOTA];
  for (guint i = 0; i < G_N_ELEMENTS (quota_filesystems); i++)
    if (!settle_quota_filesystem (box, i, kib, error))
      return FALSE;
  return TRUE;
}

gboolean
box_unmount_quota (Box *box, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (quota_filesystems); i++)
    {
      g_autofree char *dir = box_store_path (box->store, quota_filesystems[i].dir);
      if (!box_quota_unmount (dir, error))
        return FALSE;
    }
  return TRUE;
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
  autofd fd = box_store_open_work_dir (box->store, error);
  return fd >= 0 && dir_for_each_entry (fd, refuse_entry, NULL, error);
}

/* A new size means a new, empty filesystem: only for an empty box/, so
 * that nothing is lost. The new value (in the settings already) is saved
 * first, then box/ changed to it: a daemon killed in between finds the
 * saved value at its start, and makes box/ agree with it (box_settle_quota).
 * On failure the caller saves the old value again, and makes box/ agree
 * with it. */
static gboolean
change_quota (Box *box, gint64 old_kib, GError **error)
{
  if (box->settings.limits[LIMIT_QUOTA] == old_kib)
    return box_save (box, error);
  return check_work_dir_empty (box, error) && box_save (box, error)
         && box_settle_quota (box, error);
}

static gboolean
changed_any (GPtrArray *changed, gboolean (*test) (const char *name))
{
  for (guint i = 0; i < changed->len; i++)
    if (test (g_ptr_array_index (changed, i)))
      return TRUE;
  return FALSE;
}

static gboolean
is_quota (const char *name)
{
  return strcmp (name, limit_name (LIMIT_QUOTA)) == 0;
}

static gboolean
is_dirs (const char *name)
{
  return strcmp (name, SETTING_DIRS) == 0;
}

static void
swap_settings (BoxSettings *a, BoxSettings *b)
{
  BoxSettings held = *a;
  *a = *b;
  *b = held;
}

/* Puts settings, which differ from the box's in changed, in their place,
 * saved; on failure the box keeps its own. settings gets what was replaced. */
static gboolean
replace_settings (Box *box, BoxSettings *settings, GPtrArray *changed, GError **error)
{
  gboolean quota = changed_any (changed, is_quota);
  if (quota && !box_check_idle (box, error))
    return FALSE;
  gint64 old_quota = box->settings.limits[LIMIT_QUOTA];
  swap_settings (&box->settings, settings);
  /* The rules a run carries are these and the owner's default_dirs: more
   * than it can carry are refused now, not at the next cmd. */
  if (changed_any (changed, is_dirs) && !box_run_check_dir_rules (box, error))
    {
      swap_settings (&box->settings, settings);
      return FALSE;
    }
  /* The jails were built with the old values (their mounts, their network,
   * the box/ they bind): the one prepared goes, and the next is built anew. */
  gboolean rebuild
      = changed_any (changed, box_settings_shape_jail) && box_jails_invalidate (box->jails);
  gboolean ok = quota ? change_quota (box, old_quota, error) : box_save (box, error);
  if (!ok)
    {
      /* Keep memory and disk in agreement: the old values were valid, so they go back,
       * and box/ with them (change_quota). */
      swap_settings (&box->settings, settings);
      g_autoptr (GError) back_error = NULL;
      if (quota && (!box_save (box, &back_error) || !box_settle_quota (box, &back_error)))
        g_warning ("box %s: cannot go back to its quota: %s", box->name, back_error->message);
    }
  if (rebuild)
    box_prepare_again (box);
  return ok;
}

void
box_rebuild_jails (Box *box)
{
  if (box_jails_invalidate (box->jails))
    box_prepare_again (box);
}

/* Several settings (values: SettingValue), all or none. */
static gboolean
box_write_settings (Box *box, GPtrArray *values, const Caller *caller, GError **error)
{
  if (!box_check_present (box, error))
    return FALSE;
  BoxSettings updated;
  g_autoptr (GPtrArray) changed = NULL;
  if (!box_settings_update (&box->settings, box->shared->config, caller, values, &updated, &changed,
                            error))
    return FALSE;
  /* Every value is the current one (a judge writes them all before each
   * run): nothing to save, and the jails prepared stand. */
  gboolean ok = changed->len == 0 || replace_settings (box, &updated, changed, error);
  box_settings_clear (&updated);
  return ok;
}

gboolean
box_write_setting (Box *box, const char *name, const char *text, const Caller *caller,
                   GError **error)
{
  g_autoptr (GPtrArray) values = setting_values_new ();
  setting_values_add (values, name, text);
  return box_write_settings (box, values, caller, error);
}

char *
box_read_settings (Box *box)
{
  return settings_text_format (&box->settings);
}

gboolean
box_write_settings_text (Box *box, const char *text, const Caller *caller, GError **error)
{
  g_autoptr (GPtrArray) values = NULL;
  return settings_text_parse (text, &values, error)
         && box_write_settings (box, values, caller, error);
}

/* ---- ctl ---- */

static gboolean
reset (Box *box, GError **error)
{
  if (!box_check_idle (box, error))
    return FALSE;
  autofd dir_fd = box_store_open_work_dir (box->store, error);
  if (dir_fd < 0)
    return FALSE;
  g_autoptr (GError) remove_error = NULL;
  if (!remove_tree_contents (dir_fd, &remove_error))
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "cannot empty %s: %s",
                   box_store_work_dir (box->store), remove_error->message);
      return FALSE;
    }
  if (!box_stdio_remove_outputs (box, error))
    return FALSE;
  box_run_forget (box);
  return TRUE;
}

gboolean
box_control (Box *box, const char *command, GError **error)
{
  if (!box_check_present (box, error))
    return FALSE;
  if (strcmp (command, "kill") == 0)
    {
      /* Nothing running is nothing to stop: not an error, the run may just have ended. */
      box_run_kill (box);
      return TRUE;
    }
  if (strcmp (command, "reset") == 0)
    return reset (box, error);
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "ctl takes 'kill' or 'reset', not '%s'",
               command);
  return FALSE;
}
