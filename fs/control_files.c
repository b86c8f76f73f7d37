#include "control_files.h"

#include "sandbox/box/box_run.h"
#include "sandbox/box/box_source.h"
#include "sandbox/sandbox_error.h"
#include "sandbox/settings/box_settings.h"
#include "sandbox/settings/setting_names.h"

#include <string.h>

#define RW (S_IFREG | 0644)
#define RO (S_IFREG | 0444)
#define WO (S_IFREG | 0200)

/* The files that are not settings (docs/interface.md, "Inside a box"). */
static const ControlFile other_files[] = {
  { SETTINGS_FILE, RW, CONTROL_SETTINGS, .multi_line = TRUE },
  { "stdin", RW, CONTROL_STDIN },
  { "cmd", RW, CONTROL_CMD },
  { "source", RW, CONTROL_SOURCE },
  { "status", RO, CONTROL_STATUS },
  { "stdout", RO, CONTROL_OUTPUT, BOX_STDOUT },
  { "stderr", RO, CONTROL_OUTPUT, BOX_STDERR },
  { "ctl", WO, CONTROL_CTL },
  { "box", S_IFLNK | 0777, CONTROL_WORK_DIR },
};

typedef struct
{
  ControlFile *files;
  guint count;
} Table;

/* A file for each setting the sandbox knows (box_settings_names), then
 * other_files: made once. */
static const Table *
table (void)
{
  static Table *built;
  if (g_once_init_enter (&built))
    {
      const char *const *names = box_settings_names ();
      Table *made = g_new0 (Table, 1);
      guint n_settings = g_strv_length ((char **) names);
      made->count = n_settings + G_N_ELEMENTS (other_files);
      made->files = g_new0 (ControlFile, made->count);
      for (guint i = 0; i < n_settings; i++)
        made->files[i] = (ControlFile){
          .name = names[i],
          .mode = RW,
          .kind = CONTROL_SETTING,
          .multi_line = box_settings_multi_line (names[i]),
          .root_only = box_settings_need_root (names[i]),
        };
      memcpy (made->files + n_settings, other_files, sizeof other_files);
      g_once_init_leave (&built, made);
    }
  return built;
}

guint
control_file_count (void)
{
  return table ()->count;
}

const ControlFile *
control_file_at (guint index)
{
  return index < table ()->count ? &table ()->files[index] : NULL;
}

const ControlFile *
control_file_lookup (const char *name, guint *index)
{
  for (guint i = 0; i < table ()->count; i++)
    if (strcmp (table ()->files[i].name, name) == 0)
      {
        *index = i;
        return &table ()->files[i];
      }
  return NULL;
}

gboolean
control_file_readable (const ControlFile *file)
{
  return S_ISREG (file->mode) && (file->mode & S_IRUSR);
}

gboolean
control_file_writable (const ControlFile *file)
{
  return S_ISREG (file->mode) && (file->mode & S_IWUSR);
}

void
control_file_stat (const ControlFile *file, Box *box, struct stat *st)
{
  st->st_mode = file->mode;
  st->st_nlink = 1;
  /* The kernel checks access against these (default_permissions): a file
   * its owner may not write is not shown as theirs with a w bit. */
  st->st_uid = file->root_only ? 0 : box_get_owner_uid (box);
  st->st_gid = file->root_only ? 0 : box_get_owner_gid (box);
  /* Values have no size until read: 0, as in sysfs; readers go to EOF. The
   * data files have theirs: a client skips reading an empty stdout. */
  if (file->kind == CONTROL_STDIN)
    st->st_size = box_stdin_size (box);
  else if (file->kind == CONTROL_OUTPUT)
    st->st_size = box_output_size (box, file->output);
  else if (file->kind == CONTROL_WORK_DIR)
    st->st_size = strlen (box_get_work_dir (box));
}

static GBytes *
bytes_of_string (char *text)
{
  return g_bytes_new_take (text, strlen (text));
}

GBytes *
control_file_snapshot (const ControlFile *file, Box *box, GError **error)
{
  switch (file->kind)
    {
    case CONTROL_SETTING:
      return bytes_of_string (box_read_setting (box, file->name));
    case CONTROL_SETTINGS:
      return bytes_of_string (box_read_settings (box));
    case CONTROL_CMD:
      return bytes_of_string (box_read_cmd (box));
    case CONTROL_SOURCE:
      return bytes_of_string (box_read_source (box));
    case CONTROL_STATUS:
      return bytes_of_string (box_read_status (box));
    case CONTROL_OUTPUT: /* read from the file itself: file_ops.c */
    case CONTROL_CTL:
    case CONTROL_STDIN:
    case CONTROL_WORK_DIR:
      break;
    }
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "%s is not read as a value",
               file->name);
  return NULL;
}

/* The value of one write: no NUL inside, one trailing newline dropped. */
static char *
value_of_write (const ControlFile *file, const char *data, gsize size, GError **error)
{
  if (size > CONTROL_VALUE_MAX)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_TOO_LONG,
                   "%s takes values up to %d bytes, not %" G_GSIZE_FORMAT, file->name,
                   CONTROL_VALUE_MAX, size);
      return NULL;
    }
  /* Values are text, saved as JSON: no NUL byte, and UTF-8. */
  if (memchr (data, '\0', size) != NULL || !g_utf8_validate_len (data, size, NULL))
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
                   "%s: a value is UTF-8 text without NUL bytes", file->name);
      return NULL;
    }
  if (size > 0 && data[size - 1] == '\n')
    size--;
  return g_strndup (data, size);
}

gssize
control_file_write (const ControlFile *file, Box *box, const char *data, gsize size, goffset offset,
                    const Caller *caller, GError **error)
{
  if (file->kind == CONTROL_STDIN)
    return box_stdin_write (box, data, size, offset, error);

  g_autofree char *value = value_of_write (file, data, size, error);
  if (value == NULL)
    return -1;

  gboolean ok = FALSE;
  switch (file->kind)
    {
    case CONTROL_SETTING:
      ok = box_write_setting (box, file->name, value, caller, error);
      break;
    case CONTROL_SETTINGS:
      ok = box_write_settings_text (box, value, caller, error);
      break;
    case CONTROL_CMD:
      ok = box_start_run (box, value, error);
      break;
    case CONTROL_SOURCE:
      ok = box_start_source (box, value, caller, error);
      break;
    case CONTROL_CTL:
      ok = box_control (box, value, error);
      break;
    case CONTROL_STATUS:
    case CONTROL_OUTPUT:
    case CONTROL_STDIN:
    case CONTROL_WORK_DIR:
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "%s is read-only", file->name);
      break;
    }
  return ok ? (gssize) size : -1;
}

gboolean
control_file_truncate (const ControlFile *file, Box *box, goffset size, GError **error)
{
  if (file->kind == CONTROL_STDIN)
    return box_stdin_truncate (box, size, error);
  if (size == 0 && control_file_writable (file))
    return TRUE;
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
               "%s can only be truncated to 0, before a write", file->name);
  return FALSE;
}
