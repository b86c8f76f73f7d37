#include "crash_model.h"

#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

const char *const box_key_files[N_KEYS] = {
  [KEY_MEM] = "mem",     [KEY_TIME] = "time",   [KEY_ENV] = "env",
  [KEY_QUOTA] = "quota", [KEY_STDIN] = "stdin",
};

/* What a new box reads, with the daemon's built-in defaults. */
static const char *const new_box_values[N_KEYS] = {
  [KEY_MEM] = "262144\n",      [KEY_TIME] = "1.000\n", [KEY_ENV] = "",
  [KEY_QUOTA] = "unlimited\n", [KEY_STDIN] = "",
};

static GHashTable *
new_set (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static GHashTable *
copy_set (GHashTable *set)
{
  GHashTable *copy = new_set ();
  GHashTableIter iter;
  gpointer name;
  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    g_hash_table_add (copy, g_strdup (name));
  return copy;
}

BoxModel *
box_model_new (void)
{
  BoxModel *model = g_new0 (BoxModel, 1);
  model->required = new_set ();
  model->allowed = new_set ();
  return model;
}

BoxModel *
box_model_copy (const BoxModel *model)
{
  BoxModel *copy = g_new0 (BoxModel, 1);
  *copy = *model;
  for (int i = 0; i < N_KEYS; i++)
    copy->values[i] = g_strdup (model->values[i]);
  copy->required = copy_set (model->required);
  copy->allowed = copy_set (model->allowed);
  return copy;
}

void
box_model_free (BoxModel *model)
{
  if (model == NULL)
    return;
  for (int i = 0; i < N_KEYS; i++)
    g_free (model->values[i]);
  g_hash_table_unref (model->required);
  g_hash_table_unref (model->allowed);
  g_free (model);
}

void
box_model_make (BoxModel *model)
{
  model->exists = TRUE;
  for (int i = 0; i < N_KEYS; i++)
    box_model_set (model, i, new_box_values[i]);
  box_model_clear_files (model, TRUE);
  model->must_be_interrupted = model->may_be_interrupted = FALSE;
}

void
box_model_set (BoxModel *model, BoxKey key, const char *value)
{
  g_free (model->values[key]);
  model->values[key] = g_strdup (value);
}

void
box_model_add_file (BoxModel *model, const char *name)
{
  g_hash_table_add (model->required, g_strdup (name));
  g_hash_table_add (model->allowed, g_strdup (name));
}

void
box_model_allow_file (BoxModel *model, const char *name)
{
  g_hash_table_add (model->allowed, g_strdup (name));
}

void
box_model_clear_files (BoxModel *model, gboolean surely)
{
  g_hash_table_remove_all (model->required);
  if (surely)
    g_hash_table_remove_all (model->allowed);
}

static char *
box_file (const Mount *mount, const char *name, const char *file)
{
  g_autofree char *relative = g_build_filename (name, file, NULL);
  return get (mount, relative);
}

static char *
work_dir (const Mount *mount, const char *name)
{
  return g_build_filename (mount->state_dir, "boxes", name, "box", NULL);
}

/* The quota read and box/ agree: a filesystem of that size of its own, or
 * none for unlimited. */
static const char *
check_quota_mount (const Mount *mount, const char *name, const char *quota)
{
  g_autofree char *box = work_dir (mount, name);
  g_autofree char *dir = g_path_get_dirname (box);
  struct stat box_st, dir_st;
  struct statvfs fs;
  if (stat (box, &box_st) < 0 || stat (dir, &dir_st) < 0 || statvfs (box, &fs) < 0)
    return "box/ cannot be examined";
  gboolean own_fs = box_st.st_dev != dir_st.st_dev;
  if (strcmp (quota, "unlimited\n") == 0)
    return own_fs ? "box/ is a filesystem of its own, the quota unlimited" : NULL;
  guint64 bytes = g_ascii_strtoull (quota, NULL, 10) * 1024;
  guint64 size = (guint64) fs.f_blocks * fs.f_frsize;
  if (!own_fs || size > bytes || size <= bytes / 2)
    return "box/ is not a filesystem of the quota's size";
  return NULL;
}

/* box/ is its owner's (root), 0700, and so is every entry of it: none is
 * left to the box's uid between runs. */
static gboolean
check_files (const BoxModel *model, const Mount *mount, const char *name, GString *why)
{
  g_autofree char *box = work_dir (mount, name);
  struct stat st;
  if (lstat (box, &st) < 0 || st.st_uid != 0 || (st.st_mode & 07777) != 0700)
    g_string_append_printf (why, "box/ is not its owner's, 0700; ");
  g_autoptr (GHashTable) seen = new_set ();
  g_autoptr (GDir) dir = g_dir_open (box, 0, NULL);
  for (const char *file; dir != NULL && (file = g_dir_read_name (dir)) != NULL;)
    {
      g_autofree char *path = g_build_filename (box, file, NULL);
      g_hash_table_add (seen, g_strdup (file));
      if (lstat (path, &st) < 0 || st.st_uid != 0)
        g_string_append_printf (why, "box/%s is not its owner's; ", file);
      if (!g_hash_table_contains (model->allowed, file))
        g_string_append_printf (why, "box/%s should not be there; ", file);
    }
  GHashTableIter iter;
  gpointer file;
  g_hash_table_iter_init (&iter, model->required);
  while (g_hash_table_iter_next (&iter, &file, NULL))
    if (!g_hash_table_contains (seen, file))
      g_string_append_printf (why, "box/%s is missing; ", (char *) file);
  return why->len == 0;
}

static gboolean
is_interrupted (const char *status)
{
  return status != NULL && g_str_has_prefix (status, "state:done\n")
         && strstr (status, "status:XX\nmessage:The run was interrupted") != NULL;
}

gboolean
box_model_check (const BoxModel *model, const Mount *mount, const char *name, char **why)
{
  g_autoptr (GString) problems = g_string_new (NULL);
  g_autofree char *path = mount_path (mount, name);
  gboolean exists = g_file_test (path, G_FILE_TEST_IS_DIR);
  if (exists != model->exists)
    g_string_append_printf (problems, "the box %s; ", exists ? "exists" : "is missing");
  for (int i = 0; exists && model->exists && i < N_KEYS; i++)
    {
      g_autofree char *value = box_file (mount, name, box_key_files[i]);
      if (g_strcmp0 (value, model->values[i]) != 0)
        g_string_append_printf (problems, "%s reads '%s', not '%s'; ", box_key_files[i], value,
                                model->values[i]);
    }
  if (exists && model->exists)
    {
      g_autofree char *quota = box_file (mount, name, "quota");
      const char *mismatch = quota ? check_quota_mount (mount, name, quota) : NULL;
      if (mismatch != NULL)
        g_string_append_printf (problems, "%s; ", mismatch);
      check_files (model, mount, name, problems);
      g_autofree char *status = box_file (mount, name, "status");
      /* After a restart: idle (a result is not kept), or the XX of a run
       * cut short, if there may have been one. */
      gboolean interrupted = is_interrupted (status);
      if (interrupted ? !(model->must_be_interrupted || model->may_be_interrupted)
                      : (model->must_be_interrupted || g_strcmp0 (status, "state:idle\n") != 0))
        g_string_append_printf (problems, "status reads '%s'%s; ", status,
                                model->must_be_interrupted ? ", not the interrupted run's XX" : "");
    }
  *why = problems->len ? g_strdup (problems->str) : NULL;
  return problems->len == 0;
}

void
box_model_adopt (BoxModel *model, const Mount *mount, const char *name)
{
  g_autofree char *path = mount_path (mount, name);
  model->exists = g_file_test (path, G_FILE_TEST_IS_DIR);
  box_model_clear_files (model, TRUE);
  model->must_be_interrupted = model->may_be_interrupted = FALSE;
  if (!model->exists)
    return;
  for (int i = 0; i < N_KEYS; i++)
    {
      g_free (model->values[i]);
      model->values[i] = box_file (mount, name, box_key_files[i]);
    }
  g_autofree char *box = work_dir (mount, name);
  g_autoptr (GDir) dir = g_dir_open (box, 0, NULL);
  for (const char *file; dir != NULL && (file = g_dir_read_name (dir)) != NULL;)
    box_model_add_file (model, file);
  g_autofree char *status = box_file (mount, name, "status");
  model->must_be_interrupted = is_interrupted (status);
}
