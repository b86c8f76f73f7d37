/* fs/control_files.c: the files inside a box, against docs/interface.md's table and
 * against the settings the sandbox knows. */
#include "fs/control_files.h"
#include "fs/inodes.h"
#include "sandbox/settings/box_settings.h"
#include "sandbox/sandbox_error.h"

#include <string.h>
#include <sys/stat.h>

/* docs/interface.md, "The files of a box". */
static const struct
{
  const char *name;
  mode_t mode;
} design_table[] = {
  { "mem", S_IFREG | 0644 },
  { "time", S_IFREG | 0644 },
  { "wall-time", S_IFREG | 0644 },
  { "extra-time", S_IFREG | 0644 },
  { "processes", S_IFREG | 0644 },
  { "fsize", S_IFREG | 0644 },
  { "stack", S_IFREG | 0644 },
  { "open-files", S_IFREG | 0644 },
  { "env", S_IFREG | 0644 },
  { "dirs", S_IFREG | 0644 },
  { "share-net", S_IFREG | 0644 },
  { "quota", S_IFREG | 0644 },
  { "stdin", S_IFREG | 0644 },
  { "cmd", S_IFREG | 0644 },
  { "status", S_IFREG | 0444 },
  { "stdout", S_IFREG | 0444 },
  { "stderr", S_IFREG | 0444 },
  { "ctl", S_IFREG | 0200 },
  { "box", S_IFLNK },
  /* Added for isolate's --chdir, --stdin, --stdout, --stderr, --stderr-to-stdout (issue 8). */
  { "chdir", S_IFREG | 0644 },
  { "stdin-path", S_IFREG | 0644 },
  { "stdout-path", S_IFREG | 0644 },
  { "stderr-path", S_IFREG | 0644 },
  /* Added for isolate's -m without --cg and --core (issue 19). */
  { "address-space", S_IFREG | 0644 },
  { "core", S_IFREG | 0644 },
  { "stderr-to-stdout", S_IFREG | 0644 },
  /* Compile and run through plain file operations (issue 5). */
  { "source", S_IFREG | 0644 },
  /* Every setting in one write (issue 20). */
  { "settings", S_IFREG | 0644 },
};

static const ControlFile *
lookup_ok (const char *name)
{
  guint index = G_MAXUINT;
  const ControlFile *file = control_file_lookup (name, &index);
  g_assert_nonnull (file);
  g_assert_true (control_file_at (index) == file);
  g_assert_cmpstr (file->name, ==, name);
  return file;
}

static void
test_every_setting_is_a_setting_file (void)
{
  const char *const *names = box_settings_names ();
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_test_message ("setting %s", names[i]);
      g_assert_cmpint (lookup_ok (names[i])->kind, ==, CONTROL_SETTING);
    }
}

static void
test_every_setting_file_is_a_setting (void)
{
  const char *const *names = box_settings_names ();
  for (guint i = 0; i < control_file_count (); i++)
    {
      const ControlFile *file = control_file_at (i);
      if (file->kind == CONTROL_SETTING)
        {
          g_test_message ("setting file %s", file->name);
          g_assert_true (g_strv_contains (names, file->name));
        }
    }
}

static void
test_every_design_file_exists_with_its_mode (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (design_table); i++)
    {
      const ControlFile *file = lookup_ok (design_table[i].name);
      g_test_message ("%s: mode %o", file->name, (unsigned) file->mode);
      if (S_ISLNK (design_table[i].mode))
        g_assert_true (S_ISLNK (file->mode));
      else
        g_assert_cmpuint (file->mode, ==, design_table[i].mode);
    }
}

static void
test_no_file_outside_design (void)
{
  g_assert_cmpuint (control_file_count (), ==, G_N_ELEMENTS (design_table));
  for (guint i = 0; i < control_file_count (); i++)
    {
      gboolean found = FALSE;
      for (guint j = 0; j < G_N_ELEMENTS (design_table); j++)
        found = found || strcmp (control_file_at (i)->name, design_table[j].name) == 0;
      g_assert_true (found);
    }
}

static void
test_names_are_unique (void)
{
  for (guint i = 0; i < control_file_count (); i++)
    for (guint j = i + 1; j < control_file_count (); j++)
      g_assert_cmpstr (control_file_at (i)->name, !=, control_file_at (j)->name);
}

static void
test_kinds (void)
{
  g_assert_cmpint (lookup_ok ("cmd")->kind, ==, CONTROL_CMD);
  g_assert_cmpint (lookup_ok ("source")->kind, ==, CONTROL_SOURCE);
  g_assert_cmpint (lookup_ok ("status")->kind, ==, CONTROL_STATUS);
  g_assert_cmpint (lookup_ok ("stdout")->kind, ==, CONTROL_OUTPUT);
  g_assert_cmpint (lookup_ok ("stdout")->output, ==, BOX_STDOUT);
  g_assert_cmpint (lookup_ok ("stderr")->kind, ==, CONTROL_OUTPUT);
  g_assert_cmpint (lookup_ok ("stderr")->output, ==, BOX_STDERR);
  g_assert_cmpint (lookup_ok ("ctl")->kind, ==, CONTROL_CTL);
  g_assert_cmpint (lookup_ok ("stdin")->kind, ==, CONTROL_STDIN);
  g_assert_cmpint (lookup_ok ("box")->kind, ==, CONTROL_WORK_DIR);
  g_assert_cmpint (lookup_ok ("settings")->kind, ==, CONTROL_SETTINGS);
}

/* And settings, which holds them. */
static void
test_only_env_and_dirs_are_multi_line (void)
{
  for (guint i = 0; i < control_file_count (); i++)
    {
      const ControlFile *file = control_file_at (i);
      gboolean expected = strcmp (file->name, "env") == 0 || strcmp (file->name, "dirs") == 0
                          || strcmp (file->name, "settings") == 0;
      g_test_message ("%s", file->name);
      g_assert_cmpint (file->multi_line, ==, expected);
    }
}

static void
test_readable_and_writable (void)
{
  g_assert_true (control_file_readable (lookup_ok ("mem")));
  g_assert_true (control_file_writable (lookup_ok ("mem")));
  g_assert_true (control_file_readable (lookup_ok ("cmd")));
  g_assert_true (control_file_writable (lookup_ok ("cmd")));
  g_assert_true (control_file_readable (lookup_ok ("stdin")));
  g_assert_true (control_file_writable (lookup_ok ("stdin")));
  g_assert_true (control_file_readable (lookup_ok ("status")));
  g_assert_false (control_file_writable (lookup_ok ("status")));
  g_assert_true (control_file_readable (lookup_ok ("stdout")));
  g_assert_false (control_file_writable (lookup_ok ("stdout")));
  g_assert_false (control_file_readable (lookup_ok ("ctl")));
  g_assert_true (control_file_writable (lookup_ok ("ctl")));
  g_assert_false (control_file_readable (lookup_ok ("box")));
  g_assert_false (control_file_writable (lookup_ok ("box")));
  g_assert_true (control_file_readable (lookup_ok ("settings")));
  g_assert_true (control_file_writable (lookup_ok ("settings")));
}

static void
test_lookup_gives_index (void)
{
  for (guint i = 0; i < control_file_count (); i++)
    {
      guint index = G_MAXUINT;
      const ControlFile *file = control_file_lookup (control_file_at (i)->name, &index);
      g_assert_true (file == control_file_at (i));
      g_assert_cmpuint (index, ==, i);
    }
}

static void
test_lookup_unknown_names (void)
{
  const char *const names[] = { "", "nope", "MEM", "box/", "mem\n", ".", "..", "meta" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      guint index;
      g_assert_null (control_file_lookup (names[i], &index));
    }
  g_assert_null (control_file_at (control_file_count ()));
  g_assert_null (control_file_at (G_MAXUINT));
}

static void
test_file_indexes_fit_in_inodes (void)
{
  /* Inode numbers give each file of a box 1 + its index in the low bits. */
  g_assert_cmpuint (control_file_count () + 1, <, 1u << INODE_FILE_BITS);
  const guint64 box_ids[] = { 1, 2, 12345, G_MAXUINT32 };
  for (guint b = 0; b < G_N_ELEMENTS (box_ids); b++)
    {
      fuse_ino_t dir = inode_of_box (box_ids[b]);
      g_assert_cmpuint (inode_box_id (dir), ==, box_ids[b]);
      g_assert_cmpint (inode_file_index (dir), ==, -1);
      for (guint i = 0; i < control_file_count (); i++)
        {
          fuse_ino_t ino = inode_of_file (box_ids[b], i);
          g_assert_cmpuint (inode_box_id (ino), ==, box_ids[b]);
          g_assert_cmpint (inode_file_index (ino), ==, (gint) i);
          g_assert_cmpuint (ino, !=, FUSE_ROOT_ID);
        }
    }
}

/* The checks below happen before any box is touched, so no box is needed. */

static void
test_write_over_64k_is_too_long (void)
{
  gsize size = CONTROL_VALUE_MAX + 1;
  g_autofree char *data = g_malloc (size);
  memset (data, '1', size);
  const char *const names[] = { "mem", "env", "cmd", "ctl" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_cmpint (control_file_write (lookup_ok (names[i]), NULL, data, size, 0, NULL, &error),
                       ==, -1);
      g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_TOO_LONG);
    }
}

static void
test_write_with_nul_byte_refused (void)
{
  g_autoptr (GError) error = NULL;
  const char data[] = { '1', '\0', '2' };
  g_assert_cmpint (control_file_write (lookup_ok ("mem"), NULL, data, sizeof data, 0, NULL, &error),
                   ==, -1);
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
}

static void
test_write_to_read_only_file_refused (void)
{
  const char *const names[] = { "status", "stdout", "stderr" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_cmpint (control_file_write (lookup_ok (names[i]), NULL, "x", 1, 0, NULL, &error), ==,
                       -1);
      g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
    }
}

static void
test_truncate_value_files_to_zero_only (void)
{
  const char *const writable[] = { "mem", "env", "dirs", "cmd", "ctl", "share-net" };
  for (guint i = 0; i < G_N_ELEMENTS (writable); i++)
    {
      g_autoptr (GError) error = NULL;
      const ControlFile *file = lookup_ok (writable[i]);
      g_assert_true (control_file_truncate (file, NULL, 0, &error));
      g_assert_no_error (error);
      g_assert_false (control_file_truncate (file, NULL, 1, &error));
      g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
    }

  const char *const read_only[] = { "status", "stdout", "stderr" };
  for (guint i = 0; i < G_N_ELEMENTS (read_only); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (control_file_truncate (lookup_ok (read_only[i]), NULL, 0, &error));
      g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/control-files/every-setting-is-a-setting-file",
                   test_every_setting_is_a_setting_file);
  g_test_add_func ("/control-files/every-setting-file-is-a-setting",
                   test_every_setting_file_is_a_setting);
  g_test_add_func ("/control-files/design-files-exist-with-mode",
                   test_every_design_file_exists_with_its_mode);
  g_test_add_func ("/control-files/no-file-outside-design", test_no_file_outside_design);
  g_test_add_func ("/control-files/names-unique", test_names_are_unique);
  g_test_add_func ("/control-files/kinds", test_kinds);
  g_test_add_func ("/control-files/only-env-and-dirs-multi-line",
                   test_only_env_and_dirs_are_multi_line);
  g_test_add_func ("/control-files/readable-and-writable", test_readable_and_writable);
  g_test_add_func ("/control-files/lookup-gives-index", test_lookup_gives_index);
  g_test_add_func ("/control-files/lookup-unknown-names", test_lookup_unknown_names);
  g_test_add_func ("/control-files/file-indexes-fit-in-inodes", test_file_indexes_fit_in_inodes);
  g_test_add_func ("/control-files/write-over-64k-too-long", test_write_over_64k_is_too_long);
  g_test_add_func ("/control-files/write-with-nul-refused", test_write_with_nul_byte_refused);
  g_test_add_func ("/control-files/write-read-only-refused", test_write_to_read_only_file_refused);
  g_test_add_func ("/control-files/truncate-value-files-zero-only",
                   test_truncate_value_files_to_zero_only);
  return g_test_run ();
}
