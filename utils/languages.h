#pragma once

#include <glib.h>

/* The languages table (a GKeyFile, one group per language; docs/cli.md, "The
 * languages file"), shared by the mini-isolate command and the daemon's
 * `source` file. Pure: it never opens a source file itself; detection by a
 * #! line is given the file's first bytes, or a descriptor to read them from. */
typedef struct
{
  char *name;        /* the group name: "C", "Python 3"... */
  char **extensions; /* without the dot */
  char **shebang;    /* interpreter names recognised on a #! line */
  char *compile;     /* NULL when the language is not compiled */
  char *compile_mem; /* limits of the compile step, as the box's files take them */
  char *compile_time;
  char *compile_wall_time;
  char *compile_processes;
  char *run;
  guint run_processes; /* at least this many processes for the run (0: the box's) */
  char *requires;      /* the program that must exist, e.g. "gcc"; NULL: none */
} Language;

typedef struct
{
  char *path;           /* the file it came from, or LANGUAGES_BUILTIN */
  GPtrArray *languages; /* of Language, in the file's order */
} LanguageTable;

/* How many bytes of a source detection looks at for its #! line. */
#define LANGUAGES_HEAD_MAX 512

/* Loads the table from path. Fails (G_FILE_ERROR, G_KEY_FILE_ERROR) if the
 * file cannot be read or parsed, holds no language, or a language has no run
 * command or a command that does not split into arguments. */
LanguageTable *languages_load_file (const char *path, GError **error);

/* The path of a table built into the program rather than read from a file. */
#define LANGUAGES_BUILTIN "built-in"
#define LANGUAGES_BUILTIN_RESOURCE "/org/mini-isolate/languages.conf"

/* The table built into the program: data/languages.conf of its source tree. */
LanguageTable *languages_load_builtin (GError **error);

/* The installed table if there is a file at installed_path, else the
 * built-in one: what a program uses when no table is named. */
LanguageTable *languages_load_default (const char *installed_path, GError **error);
void languages_free (LanguageTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanguageTable, languages_free)

/* The language of the source named name (a file name; only its base name
 * counts), by its extension: exactly first (".C" is C++ for gcc), then
 * ignoring case. NULL if no extension matches. */
const Language *languages_detect_by_extension (const LanguageTable *table, const char *name);

/* The language by extension, else by the #! line at the start of head (the
 * first head_length bytes of the file; NULL when they could not be read):
 * the interpreter's base name, or for "#!/usr/bin/env NAME" the NAME;
 * "python3.11" matches "python3". Fails with G_FILE_ERROR_INVAL saying why. */
const Language *languages_detect (const LanguageTable *table, const char *name, const char *head,
                                  gsize head_length, GError **error);

/* The same, reading the first LANGUAGES_HEAD_MAX bytes from fd (pread at
 * offset 0) only if the extension does not tell; fd < 0: no #! line. */
const Language *languages_detect_fd (const LanguageTable *table, const char *name, int fd,
                                     GError **error);

/* The names a source gives its commands: name, the source without its
 * extension ("hello" for "hello.c"), and binary, "./NAME" (or "./NAME.bin"
 * for a source without extension, so that it cannot overwrite the source). */
void language_source_names (const char *source, char **name, char **binary);

/* template with {source}, {binary} and {name} replaced by the values, each
 * quoted for the shell-like splitting of the box's cmd file. */
char *language_expand (const char *template, const char *source, const char *binary,
                       const char *name);

/* Where the language's required program is, as a program would find it
 * on search_path (a PATH: directories joined by ':'); "" if it requires
 * nothing; NULL when it is missing. */
char *language_find_requirement (const Language *language, const char *search_path);

/* The table as the daemon's read-only .languages file shows it: one block
 * of "key:value" lines per language, blocks separated by an empty line
 * (docs/interface.md, ".languages"); installed as found on search_path. */
char *languages_format (const LanguageTable *table, const char *search_path);
