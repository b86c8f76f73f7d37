/* What the daemon does with a source file's name and first bytes, both
 * written by whoever owns the box: detection (by extension, then by the #!
 * line) and the names and commands made from the source's name, which must
 * split back, through the cmd file's shell-like quoting, into exactly the
 * arguments they were made from. Input: the name, a newline, the file's
 * first bytes. */

#include "fuzz_common.h"

#include "utils/languages.h"

#include <glib/gstdio.h>
#include <unistd.h>

static const char table_text[]
    = "[C]\nextensions=c;\ncompile=gcc -o {binary} {source}\nrun={binary}\n"
      "[Python 3]\nextensions=py;\nshebang=python3;python;\nrun=python3 {source}\n"
      "[Shell]\nextensions=sh;\nshebang=sh;dash;\nrun=sh {source}\n";

static LanguageTable *
load_table (void)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("fuzz-languages-XXXXXX", &path, NULL);
  FUZZ_CHECK (fd >= 0 && write (fd, table_text, sizeof table_text - 1) > 0, "temporary table");
  close (fd);
  g_autoptr (GError) error = NULL;
  LanguageTable *table = languages_load_file (path, &error);
  FUZZ_CHECK (table != NULL, "the table does not load: %s", error ? error->message : "");
  g_unlink (path);
  return table;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_init_once ();
  static LanguageTable *table;
  if (table == NULL)
    table = load_table ();

  const char *newline = memchr (data, '\n', size);
  gsize name_length = newline ? (gsize) (newline - (const char *) data) : size;
  g_autofree char *name = g_strndup ((const char *) data, name_length);
  const char *head = newline ? newline + 1 : NULL;
  gsize head_length = newline ? size - name_length - 1 : 0;

  g_autoptr (GError) error = NULL;
  const Language *language = languages_detect (table, name, head, head_length, &error);
  FUZZ_CHECK (language != NULL || error != NULL, "no language and no error for '%s'", name);

  g_autofree char *program = NULL;
  g_autofree char *binary = NULL;
  language_source_names (name, &program, &binary);
  FUZZ_CHECK (g_str_has_prefix (binary, "./"), "binary '%s' of '%s'", binary, name);
  FUZZ_CHECK (strcmp (binary + 2, name) != 0, "binary '%s' would overwrite its source", binary);

  g_autofree char *cmd = language_expand ("run {source} {binary} {name}", name, binary, program);
  g_auto (GStrv) argv = NULL;
  FUZZ_CHECK (g_shell_parse_argv (cmd, NULL, &argv, NULL), "'%s' does not split back", cmd);
  FUZZ_CHECK (g_strv_length (argv) == 4 && strcmp (argv[1], name) == 0
                  && strcmp (argv[2], binary) == 0 && strcmp (argv[3], program) == 0,
              "'%s' splits into something else than '%s'", cmd, name);
  return 0;
}
