/* The man pages are complete: isolatefs(5) has an entry for every file of a
 * box and every errno a request can get, isolatefs(8) one for every key of
 * the config file and every option; each page points to installed pages,
 * never to a source tree, and renders without a warning. */

#include "fs/control_files.h"
#include "fs/errno_map.h"
#include "fs/inodes.h"
#include "fs/root_files.h"
#include "sandbox/sandbox_error.h"

#include <errno.h>
#include <string.h>

static char *
read_page (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "..", "docs", name, NULL);
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* The lines of section title, up to the next .SH. */
static char **
section_lines (const char *page, const char *title)
{
  g_autofree char *heading = g_strdup_printf ("\n.SH %s\n", title);
  const char *start = strstr (page, heading);
  g_assert_nonnull (start);
  start += strlen (heading);
  const char *end = strstr (start, "\n.SH ");
  g_autofree char *body = end ? g_strndup (start, end - start) : g_strdup (start);
  return g_strsplit (body, "\n", -1);
}

/* The words a .TP entry's tag names: ".B stdin\-path\fR,\fP stdout\-path" is
 * stdin-path and stdout-path; ".BI max_ LIMIT = VALUE" is max_LIMIT=VALUE
 * (the alternating-font macros join their arguments; quotes group words). */
static void
add_tag_names (GHashTable *names, const char *tag)
{
  const char *text = strchr (tag, ' ');
  if (tag[0] != '.' || text == NULL)
    return;
  gboolean alternating = strlen (tag) > 2 && text - tag == 3 && tag[1] != 'S';
  g_autoptr (GString) plain = g_string_new (NULL);
  gboolean quoted = FALSE;
  for (const char *c = text + 1; *c != '\0'; c++)
    if (*c == '"')
      quoted = !quoted;
    else if (*c != ' ' || quoted || !alternating)
      g_string_append_c (plain, *c);
  g_string_replace (plain, "\\-", "-", 0);
  const char *const fonts[] = { "\\fR", "\\fP", "\\fB", "\\fI" };
  for (guint i = 0; i < G_N_ELEMENTS (fonts); i++)
    g_string_replace (plain, fonts[i], "", 0);
  g_auto (GStrv) words = g_strsplit_set (plain->str, ", ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_hash_table_add (names, g_strdup (words[i]));
}

/* Every name the .TP entries of a section stand for. */
static GHashTable *
entries_of (const char *page, const char *title)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto (GStrv) lines = section_lines (page, title);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strcmp (lines[i], ".TP") == 0 && lines[i + 1] != NULL)
      add_tag_names (names, lines[i + 1]);
  return names;
}

static void
assert_entry (GHashTable *names, const char *page, const char *name)
{
  if (!g_hash_table_contains (names, name))
    g_error ("%s has no entry for %s", page, name);
}

static void
test_box_files (void)
{
  g_autofree char *page = read_page ("isolatefs.5");
  g_autoptr (GHashTable) entries = entries_of (page, "THE FILES OF A BOX");
  for (guint i = 0; i < control_file_count (); i++)
    assert_entry (entries, "isolatefs(5)", control_file_at (i)->name);
  g_autoptr (GHashTable) root = entries_of (page, "THE ROOT OF THE MOUNT");
  const RootFile *file;
  for (fuse_ino_t ino = INODE_FIRST_ROOT_FILE; (file = root_file_of_inode (ino)) != NULL; ino++)
    assert_entry (root, "isolatefs(5)", file->name);
}

static void
test_errors (void)
{
  g_autofree char *page = read_page ("isolatefs.5");
  g_autoptr (GHashTable) entries = entries_of (page, "ERRORS");
  for (int code = SANDBOX_ERROR_INVALID; code <= SANDBOX_ERROR_FAILED; code++)
    {
      g_autoptr (GError) error = g_error_new_literal (SANDBOX_ERROR, code, "");
      assert_entry (entries, "isolatefs(5)", strerrorname_np (errno_from_error (error)));
    }
  /* What the filesystem layer answers itself. */
  const int own[] = { EACCES, ENOTDIR, EINTR };
  for (guint i = 0; i < G_N_ELEMENTS (own); i++)
    assert_entry (entries, "isolatefs(5)", strerrorname_np (own[i]));
}

/* Every key the installed config file shows ("# key=value"), and every
 * option. Entries read "state_dir=DIR", "default_LIMIT=VALUE". */
static void
test_daemon_keys_and_options (void)
{
  g_autofree char *page = read_page ("isolatefs.8");
  g_autoptr (GHashTable) entries = entries_of (page, "CONFIGURATION");
  g_autoptr (GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer entry;
  g_hash_table_iter_init (&iter, entries);
  while (g_hash_table_iter_next (&iter, &entry, NULL))
    g_hash_table_add (keys, g_strndup (entry, strcspn (entry, "=")));

  g_autofree char *conf_path
      = g_test_build_filename (G_TEST_DIST, "..", "..", "systemd", "isolatefs.conf", NULL);
  g_autofree char *conf = NULL;
  g_assert_true (g_file_get_contents (conf_path, &conf, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (conf, "\n", -1);
  guint checked = 0;
  for (guint i = 0; lines[i] != NULL && !g_str_has_prefix (lines[i], "# [user:"); i++)
    {
      gsize length = strcspn (lines[i] + 2, "= ");
      if (!g_str_has_prefix (lines[i], "# ") || lines[i][2 + length] != '=')
        continue; /* prose */
      g_autofree char *key = g_strndup (lines[i] + 2, length);
      checked++;
      if (g_hash_table_contains (keys, key))
        continue;
      /* default_mem is default_LIMIT, with mem among the limits named. */
      const char *limit = strchr (key, '_');
      g_autofree char *generic
          = limit ? g_strdup_printf ("%.*sLIMIT", (int) (limit + 1 - key), key) : NULL;
      g_autofree char *named = limit ? g_strdup_printf ("\\fB%s\\fR", limit + 1) : NULL;
      g_autoptr (GString) escaped = g_string_new (named);
      g_string_replace (escaped, "-", "\\-", 0);
      if (generic == NULL || !g_hash_table_contains (keys, generic)
          || strstr (page, escaped->str) == NULL)
        g_error ("isolatefs(8) has no entry for %s", key);
    }
  g_assert_cmpuint (checked, >, 20);

  g_autoptr (GHashTable) options = entries_of (page, "OPTIONS");
  const char *const all_options[]
      = { "-f", "-d", "-o", "--check", "-h", "--help", "-V", "--version" };
  for (guint i = 0; i < G_N_ELEMENTS (all_options); i++)
    assert_entry (options, "isolatefs(8)", all_options[i]);
}

/* Installed pages name each other, never a file of the source tree. */
static void
test_pages_point_to_pages (void)
{
  const struct
  {
    const char *page;
    const char *const see_also[4];
  } pages[] = {
    { "isolatefs.8", { "isolatefs (5)", "mini-isolate (1)", "mini-isolate-compat (1)" } },
    { "isolatefs.5", { "isolatefs (8)", "mini-isolate (1)", "mini-isolate-compat (1)" } },
    { "mini-isolate.1", { "isolatefs (5)", "isolatefs (8)", "mini-isolate-compat (1)" } },
    { "mini-isolate-compat.1", { "isolatefs (5)", "isolatefs (8)", "mini-isolate (1)" } },
  };
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *page = read_page (pages[i].page);
      g_assert_null (strstr (page, "docs/"));
      g_auto (GStrv) lines = section_lines (page, "SEE ALSO");
      g_autofree char *see_also = g_strjoinv ("\n", lines);
      for (guint j = 0; pages[i].see_also[j] != NULL; j++)
        if (strstr (see_also, pages[i].see_also[j]) == NULL)
          g_error ("%s: SEE ALSO does not name %s", pages[i].page, pages[i].see_also[j]);
    }
}

/* groff, as man runs it, finds nothing to warn about. */
static void
test_pages_render (void)
{
  g_autofree char *groff = g_find_program_in_path ("groff");
  if (groff == NULL)
    {
      g_test_skip ("groff is not installed");
      return;
    }
  const char *const pages[]
      = { "isolatefs.8", "isolatefs.5", "mini-isolate.1", "mini-isolate-compat.1" };
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *path
          = g_test_build_filename (G_TEST_DIST, "..", "..", "docs", pages[i], NULL);
      const char *argv[] = { groff, "-man", "-ww", "-z", path, NULL };
      g_autofree char *err = NULL;
      int wait_status;
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                                   &err, &wait_status, NULL));
      g_test_message ("%s: %s", pages[i], err);
      g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
      g_assert_cmpstr (err, ==, "");
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/man-pages/box-files", test_box_files);
  g_test_add_func ("/man-pages/errors", test_errors);
  g_test_add_func ("/man-pages/daemon-keys-and-options", test_daemon_keys_and_options);
  g_test_add_func ("/man-pages/point-to-pages", test_pages_point_to_pages);
  g_test_add_func ("/man-pages/render", test_pages_render);
  return g_test_run ();
}
