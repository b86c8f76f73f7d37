/* utils/languages.c: the languages table, detection and expansion. */
#include "utils/languages.h"

/* A PATH to look requirements up in: the one boxes get. */
#define BOX_PATH "/usr/local/bin:/usr/bin:/bin"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static const char table_text[] = "[C]\n"
                                 "extensions=c;\n"
                                 "requires=gcc\n"
                                 "compile=gcc -o {binary} {source}\n"
                                 "run={binary}\n"
                                 "\n"
                                 "[C++]\n"
                                 "extensions=cpp;C;\n"
                                 "requires=g++\n"
                                 "compile=g++ -o {binary} {source}\n"
                                 "compile_mem=1G\n"
                                 "compile_time=20\n"
                                 "run={binary}\n"
                                 "\n"
                                 "[Python 3]\n"
                                 "extensions=.py;\n"
                                 "shebang=python3;python;\n"
                                 "requires=python3\n"
                                 "run=python3 {source}\n"
                                 "\n"
                                 "[Shell]\n"
                                 "extensions=sh;\n"
                                 "shebang=sh;dash;\n"
                                 "run=sh {source}\n"
                                 "\n"
                                 "[Nowhere]\n"
                                 "extensions=nw;\n"
                                 "requires=no-such-program-anywhere\n"
                                 "run=nw {source}\n"
                                 "run_processes=32\n";

static char *
write_temp (const char *text)
{
  g_autoptr (GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("languages-XXXXXX.conf", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  return path;
}

static LanguageTable *
load_table (void)
{
  g_autofree char *path = write_temp (table_text);
  g_autoptr (GError) error = NULL;
  LanguageTable *table = languages_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (table);
  g_unlink (path);
  return table;
}

static const char *
detected (const LanguageTable *table, const char *name, const char *head)
{
  g_autoptr (GError) error = NULL;
  const Language *language = languages_detect (table, name, head, head ? strlen (head) : 0, &error);
  if (language == NULL)
    {
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
      return NULL;
    }
  g_assert_no_error (error);
  return language->name;
}

static void
test_load (void)
{
  g_autoptr (LanguageTable) table = load_table ();
  g_assert_cmpuint (table->languages->len, ==, 5);
  const Language *c = g_ptr_array_index (table->languages, 0);
  g_assert_cmpstr (c->name, ==, "C");
  g_assert_cmpstr (c->compile_mem, ==, "512M");
  g_assert_cmpstr (c->compile_time, ==, "10");
  g_assert_cmpstr (c->compile_wall_time, ==, "25.000");
  g_assert_cmpstr (c->compile_processes, ==, "16");
  const Language *cpp = g_ptr_array_index (table->languages, 1);
  g_assert_cmpstr (cpp->compile_mem, ==, "1G");
  g_assert_cmpstr (cpp->compile_wall_time, ==, "45.000");
  const Language *python = g_ptr_array_index (table->languages, 2);
  g_assert_null (python->compile);
  g_assert_cmpstr (python->extensions[0], ==, "py"); /* the dot is dropped */
  const Language *shell = g_ptr_array_index (table->languages, 3);
  g_assert_null (shell->requires);
  const Language *nowhere = g_ptr_array_index (table->languages, 4);
  g_assert_cmpuint (nowhere->run_processes, ==, 32);
}

static void
test_load_failures (void)
{
  g_autoptr (GError) error = NULL;
  g_assert_null (languages_load_file ("/nonexistent/languages.conf", &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "/nonexistent/languages.conf"));
  g_clear_error (&error);

  g_autofree char *no_run = write_temp ("[C]\nextensions=c;\n");
  g_assert_null (languages_load_file (no_run, &error));
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND);
  g_clear_error (&error);
  g_unlink (no_run);

  g_autofree char *garbage = write_temp ("this is not a key file\n");
  g_assert_null (languages_load_file (garbage, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_unlink (garbage);

  /* Found at load, not at the first source that needs it. */
  g_autofree char *unbalanced = write_temp ("[C]\nextensions=c;\ncompile=gcc '{source}\nrun=./a\n");
  g_assert_null (languages_load_file (unbalanced, &error));
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "[C]: compile"));
  g_clear_error (&error);
  g_unlink (unbalanced);

  g_autofree char *empty = write_temp ("# no language\n");
  g_assert_null (languages_load_file (empty, &error));
  g_assert_nonnull (strstr (error->message, "no language"));
  g_unlink (empty);
}

/* The table built into the programs is data/languages.conf, whole. */
static void
test_builtin_is_the_shipped_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LanguageTable) builtin = languages_load_builtin (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (builtin->path, ==, LANGUAGES_BUILTIN);
  g_autofree char *shipped
      = g_test_build_filename (G_TEST_DIST, "..", "..", "data", "languages.conf", NULL);
  g_autoptr (LanguageTable) file = languages_load_file (shipped, &error);
  g_assert_no_error (error);
  g_autofree char *builtin_text = languages_format (builtin, BOX_PATH);
  g_autofree char *file_text = languages_format (file, BOX_PATH);
  g_assert_cmpstr (builtin_text, ==, file_text);

  /* No installed file: the built-in table; an installed one wins. */
  g_autoptr (LanguageTable) fallback
      = languages_load_default ("/nonexistent/languages.conf", &error);
  g_assert_cmpstr (fallback->path, ==, LANGUAGES_BUILTIN);
  g_autoptr (LanguageTable) installed = languages_load_default (shipped, &error);
  g_assert_cmpstr (installed->path, ==, shipped);
}

static void
test_detect_by_extension (void)
{
  g_autoptr (LanguageTable) table = load_table ();
  g_assert_cmpstr (detected (table, "hello.c", NULL), ==, "C");
  g_assert_cmpstr (detected (table, "dir/hello.c", NULL), ==, "C");
  g_assert_cmpstr (detected (table, "hello.cpp", NULL), ==, "C++");
  /* Exact first: .C is C++, not C ignoring case; then ignoring case. */
  g_assert_cmpstr (detected (table, "hello.C", NULL), ==, "C++");
  g_assert_cmpstr (detected (table, "hello.PY", NULL), ==, "Python 3");
  g_assert_cmpstr (detected (table, "hello.py", "#!/bin/sh\n"), ==, "Python 3");
  g_assert_null (detected (table, ".c", NULL)); /* a dot file has no extension */
  g_assert_null (detected (table, "hello.rs", NULL));
  g_assert_null (languages_detect_by_extension (table, "hello"));
  g_assert_null (languages_detect_by_extension (table, "hello."));
}

static void
test_detect_by_shebang (void)
{
  g_autoptr (LanguageTable) table = load_table ();
  g_assert_cmpstr (detected (table, "hello", "#!/usr/bin/python3\nprint(1)\n"), ==, "Python 3");
  g_assert_cmpstr (detected (table, "hello", "#!/usr/bin/env python3\n"), ==, "Python 3");
  g_assert_cmpstr (detected (table, "hello", "#! /usr/bin/env -S python3 -u\n"), ==, "Python 3");
  g_assert_cmpstr (detected (table, "hello", "#!/usr/bin/python3.11"), ==, "Python 3");
  g_assert_cmpstr (detected (table, "hello", "#!/bin/sh -e\necho hi\n"), ==, "Shell");
  g_assert_cmpstr (detected (table, "x.unknown", "#!/bin/dash\n"), ==, "Shell");
  g_assert_null (detected (table, "hello", "#!/usr/bin/perl\n"));
  g_assert_null (detected (table, "hello", "#!/usr/bin/env\n"));
  g_assert_null (detected (table, "hello", "#!\n"));
  g_assert_null (detected (table, "hello", "print(1)\n"));
  g_assert_null (detected (table, "hello", "#"));
  g_assert_null (detected (table, "hello", NULL));
  /* Only the first line counts. */
  g_assert_null (detected (table, "hello", "\n#!/bin/sh\n"));
  g_assert_null (detected (table, "hello", "#!/usr/bin/pythonic\n"));
}

static void
test_detect_fd (void)
{
  g_autoptr (LanguageTable) table = load_table ();
  g_autofree char *script = write_temp ("#!/usr/bin/env python3\nprint('hi')\n");
  int fd = open (script, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_autoptr (GError) error = NULL;
  const Language *language = languages_detect_fd (table, "script", fd, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (language->name, ==, "Python 3");
  /* pread: the file's offset does not matter. */
  g_assert_cmpint (lseek (fd, 10, SEEK_SET), ==, 10);
  g_assert_true (languages_detect_fd (table, "script", fd, NULL) == language);
  close (fd);
  g_unlink (script);

  g_assert_null (languages_detect_fd (table, "script", -1, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_assert_nonnull (languages_detect_fd (table, "hello.c", -1, NULL));
}

static void
test_source_names (void)
{
  const struct
  {
    const char *source, *name, *binary;
  } cases[] = {
    { "hello.c", "hello", "./hello" },
    { "a.b.cpp", "a.b", "./a.b" },
    { "script", "script", "./script.bin" },
    { "dir/x.py", "x", "./x" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = NULL, *binary = NULL;
      language_source_names (cases[i].source, &name, &binary);
      g_assert_cmpstr (name, ==, cases[i].name);
      g_assert_cmpstr (binary, ==, cases[i].binary);
    }
}

static void
test_expand_quotes (void)
{
  g_autofree char *plain
      = language_expand ("gcc -o {binary} {source} {name}", "hello.c", "./hello", "hello");
  g_assert_cmpstr (plain, ==, "gcc -o './hello' 'hello.c' 'hello'");

  /* Whatever the name holds, the split gives it back as one word. */
  const char *nasty = "it's a \"file\" $(rm -rf) ;.c";
  g_autofree char *command = language_expand ("cc {source} {unknown}", nasty, "./x", "x");
  g_auto (GStrv) argv = NULL;
  g_assert_true (g_shell_parse_argv (command, NULL, &argv, NULL));
  g_assert_cmpuint (g_strv_length (argv), ==, 3);
  g_assert_cmpstr (argv[0], ==, "cc");
  g_assert_cmpstr (argv[1], ==, nasty);
  g_assert_cmpstr (argv[2], ==, "{unknown}");
}

static void
test_requirement (void)
{
  g_autoptr (LanguageTable) table = load_table ();
  g_autofree char *sh = language_find_requirement (g_ptr_array_index (table->languages, 3), BOX_PATH);
  g_assert_cmpstr (sh, ==, ""); /* requires nothing */
  g_autofree char *missing = language_find_requirement (g_ptr_array_index (table->languages, 4), BOX_PATH);
  g_assert_null (missing);
  Language absolute = { .requires = (char *) "/bin/sh" };
  g_autofree char *found = language_find_requirement (&absolute, BOX_PATH);
  g_assert_cmpstr (found, ==, "/bin/sh");
}

static void
test_format (void)
{
  g_autoptr (LanguageTable) table = load_table ();
  g_autofree char *text = languages_format (table, BOX_PATH);
  g_auto (GStrv) blocks = g_strsplit (text, "\n\n", -1);
  g_assert_cmpuint (g_strv_length (blocks), ==, 5);
  g_assert_true (g_str_has_prefix (blocks[0], "language:C\nextensions:c\nshebang:\nrequires:gcc\n"
                                              "installed:"));
  g_assert_nonnull (strstr (blocks[0], "\ncompiled:1\ncompile:gcc -o {binary} {source}\n"
                                       "run:{binary}"));
  g_assert_true (g_str_has_prefix (blocks[2], "language:Python 3\nextensions:py\n"
                                              "shebang:python3 python\nrequires:python3\n"));
  g_assert_nonnull (strstr (blocks[2], "\ncompiled:0\ncompile:\n"));
  g_assert_nonnull (strstr (blocks[3], "\nrequires:\ninstalled:1\n"));
  g_assert_nonnull (strstr (blocks[4], "\ninstalled:0\n"));
  g_assert_true (g_str_has_suffix (text, "run:nw {source}\n"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/languages/load", test_load);
  g_test_add_func ("/languages/load-failures", test_load_failures);
  g_test_add_func ("/languages/builtin-is-the-shipped-file", test_builtin_is_the_shipped_file);
  g_test_add_func ("/languages/detect-by-extension", test_detect_by_extension);
  g_test_add_func ("/languages/detect-by-shebang", test_detect_by_shebang);
  g_test_add_func ("/languages/detect-fd", test_detect_fd);
  g_test_add_func ("/languages/source-names", test_source_names);
  g_test_add_func ("/languages/expand-quotes", test_expand_quotes);
  g_test_add_func ("/languages/requirement", test_requirement);
  g_test_add_func ("/languages/format", test_format);
  return g_test_run ();
}
