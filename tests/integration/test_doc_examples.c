/* The console examples of the docs, run against a real mount: a doc example
 * that stops working fails the suite.
 *
 * A console example is a fenced block whose first line is a command: a line
 * starting with "# " (or "$ "). The lines up to the next command are what
 * that command prints. Each block runs in one bash, from the source tree (the
 * README's "this directory"), on a fresh mount standing in for /isolate; its
 * commands' output, standard error included, is compared with the doc's:
 * - figures that vary from run to run (times, memory, context switches) match
 *   by shape: "time:0.002" matches "time:0.013" but not "time:" or "time:x";
 * - a line "..." stands for any number of lines;
 * - what ls prints is compared as a set of names (the doc shows a terminal's
 *   columns, the test reads a pipe);
 * - bash's "line N: " in its error messages is dropped (an interactive shell
 *   prints none).
 * Trailing empty lines do not count. */

#include "mount_fixture.h"

#include <string.h>

/* The docs whose console examples run, from the source root. */
static const char *const documents[] = { "README.md", "docs/interface.md" };

/* status keys whose values differ between runs of the same program. */
static const char *const varying_keys[]
    = { "time", "time-wall", "max-rss", "csw-voluntary", "csw-forced", "cg-mem", NULL };

typedef struct
{
  char *text;      /* without its prompt */
  guint line;      /* in the document, from 1 */
  GString *output; /* what the doc says it prints */
} Command;

typedef struct
{
  char *document;
  guint line; /* of the block's first command */
  GPtrArray *commands;
} Example;

static void
command_free (gpointer data)
{
  Command *command = data;
  g_free (command->text);
  g_string_free (command->output, TRUE);
  g_free (command);
}

static void
example_free (gpointer data)
{
  Example *example = data;
  g_free (example->document);
  g_ptr_array_unref (example->commands);
  g_free (example);
}

static gboolean
is_command (const char *line)
{
  return g_str_has_prefix (line, "# ") || g_str_has_prefix (line, "$ ");
}

/* Every console example of a document, in its order. */
static void
collect_examples (const char *document, GPtrArray *examples)
{
  g_autofree char *path = g_build_filename (g_getenv ("SOURCE_ROOT"), document, NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  Example *example = NULL;
  gboolean in_block = FALSE;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "```"))
        {
          in_block = !in_block;
          example = NULL;
        }
      else if (in_block && example == NULL && is_command (lines[i])
               && g_str_has_prefix (lines[i - 1], "```"))
        {
          example = g_new0 (Example, 1);
          example->document = g_strdup (document);
          example->line = i + 1;
          example->commands = g_ptr_array_new_with_free_func (command_free);
          g_ptr_array_add (examples, example);
        }
      if (!in_block || example == NULL || g_str_has_prefix (lines[i], "```"))
        continue;
      if (is_command (lines[i]))
        {
          Command *command = g_new0 (Command, 1);
          command->text = g_strdup (lines[i] + 2);
          command->line = i + 1;
          command->output = g_string_new (NULL);
          g_ptr_array_add (example->commands, command);
        }
      else
        {
          Command *last = g_ptr_array_index (example->commands, example->commands->len - 1);
          g_string_append_printf (last->output, "%s\n", lines[i]);
        }
    }
}

/* "0.002" and "13.750" have one shape, digits standing for digits. */
static gboolean
same_shape (const char *expected, const char *actual)
{
  g_autoptr (GRegex) digits = g_regex_new ("[0-9]+", 0, 0, NULL);
  g_autofree char *a = g_regex_replace_literal (digits, expected, -1, 0, "9", 0, NULL);
  g_autofree char *b = g_regex_replace_literal (digits, actual, -1, 0, "9", 0, NULL);
  return a[0] != '\0' && g_str_equal (a, b);
}

static gboolean
line_matches (const char *expected, const char *actual)
{
  if (g_str_equal (expected, actual))
    return TRUE;
  const char *colon = strchr (expected, ':');
  if (colon == NULL)
    return FALSE;
  g_autofree char *key = g_strndup (expected, colon - expected);
  return g_strv_contains (varying_keys, key) && g_str_has_prefix (actual, key)
         && actual[strlen (key)] == ':' && same_shape (colon + 1, actual + strlen (key) + 1);
}

static gboolean
lines_match (char **expected, char **actual)
{
  if (*expected == NULL)
    return *actual == NULL;
  if (g_str_equal (*expected, "..."))
    for (;; actual++)
      {
        if (lines_match (expected + 1, actual))
          return TRUE;
        if (*actual == NULL)
          return FALSE;
      }
  return *actual != NULL && line_matches (*expected, *actual)
         && lines_match (expected + 1, actual + 1);
}

/* The lines of an output, without its trailing empty lines. */
static GStrv
output_lines (const char *output)
{
  g_autofree char *text = g_strdup (output);
  g_strchomp (text);
  return text[0] == '\0' ? g_new0 (char *, 1) : g_strsplit (text, "\n", -1);
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

static GStrv
sorted_words (const char *text)
{
  g_auto (GStrv) words = g_strsplit_set (text, " \t\n", -1);
  GPtrArray *kept = g_ptr_array_new ();
  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      g_ptr_array_add (kept, g_strdup (words[i]));
  g_ptr_array_sort (kept, compare_strings);
  g_ptr_array_add (kept, NULL);
  return (GStrv) g_ptr_array_free (kept, FALSE);
}

static gboolean
output_matches (const Command *command, const char *actual)
{
  if (g_str_has_prefix (command->text, "ls "))
    {
      g_auto (GStrv) expected_names = sorted_words (command->output->str);
      g_auto (GStrv) actual_names = sorted_words (actual);
      return g_strv_equal ((const char *const *) expected_names,
                           (const char *const *) actual_names);
    }
  g_auto (GStrv) expected_lines = output_lines (command->output->str);
  g_auto (GStrv) actual_lines = output_lines (actual);
  return lines_match (expected_lines, actual_lines);
}

#define MARKER "@@doc-example-command@@"

/* The block as one bash script: a marker line before each command's output. */
static char *
script_of (const Example *example, const Mount *mount)
{
  g_autoptr (GRegex) mount_point = g_regex_new ("/isolate(?=/|\\s|$)", 0, 0, NULL);
  GString *script = g_string_new ("exec 2>&1\n");
  for (guint i = 0; i < example->commands->len; i++)
    {
      const Command *command = g_ptr_array_index (example->commands, i);
      g_autofree char *text
          = g_regex_replace_literal (mount_point, command->text, -1, 0, mount->mount_dir, 0, NULL);
      g_string_append_printf (script, "echo; echo " MARKER "\n%s\n", text);
    }
  return g_string_free (script, FALSE);
}

/* What each command printed, the mount point shown as /isolate again. */
static GStrv
run_example (const Example *example, const Mount *mount)
{
  g_autofree char *script = script_of (example, mount);
  const char *argv[] = { "bash", "-c", script, NULL };
  const char *envp[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C", "HOME=/root", NULL };
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (g_getenv ("SOURCE_ROOT"), (char **) argv, (char **) envp,
                               G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, NULL, &error));
  g_assert_no_error (error);
  g_autoptr (GRegex) bash_line = g_regex_new ("^bash: line [0-9]+: ", G_REGEX_MULTILINE, 0, NULL);
  g_autofree char *unlined = g_regex_replace_literal (bash_line, out, -1, 0, "bash: ", 0, NULL);
  g_autoptr (GString) shown = g_string_new (unlined);
  g_string_replace (shown, mount->mount_dir, "/isolate", 0);
  /* Each marker follows an "echo" that ended the output before it. */
  g_auto (GStrv) parts = g_strsplit (shown->str, "\n" MARKER "\n", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, example->commands->len + 1);
  return g_strdupv (parts + 1);
}

static void
test_example (gconstpointer data)
{
  const Example *example = data;
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  g_auto (GStrv) outputs = run_example (example, mount);
  for (guint i = 0; i < example->commands->len; i++)
    {
      const Command *command = g_ptr_array_index (example->commands, i);
      if (output_matches (command, outputs[i]))
        continue;
      g_test_message ("%s:%u: # %s\nthe doc shows:\n%sit printed:\n%s", example->document,
                      command->line, command->text, command->output->str, outputs[i]);
      g_test_fail ();
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr (GPtrArray) examples = g_ptr_array_new_with_free_func (example_free);
  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    collect_examples (documents[i], examples);
  /* A doc with no example left would pass unseen. */
  g_assert_cmpuint (examples->len, >=, 4);
  for (guint i = 0; i < examples->len; i++)
    {
      const Example *example = g_ptr_array_index (examples, i);
      g_autofree char *path
          = g_strdup_printf ("/doc-examples/%s/line-%u", example->document, example->line);
      g_test_add_data_func (path, example, test_example);
    }
  return g_test_run ();
}
