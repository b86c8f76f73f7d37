#pragma once

#include <glib.h>

/* The languages table (a GKeyFile, one group per language), see docs/cli.md. */
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
  char *requires;      /* the program that must exist, e.g. "gcc" */
} Language;

typedef struct
{
  char *path;
  GPtrArray *languages; /* of Language */
} LanguageTable;

/* Loads option, else $MINI_ISOLATE_LANGUAGES, else the installed file. */
LanguageTable *languages_load (const char *option, GError **error);
void languages_free (LanguageTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanguageTable, languages_free)

/* The language of the source file at path: by extension, then by #! line. */
const Language *languages_detect (const LanguageTable *table, const char *path, GError **error);

/* template with {source}, {binary} and {name} replaced by the values, each
 * quoted for the shell-like splitting of the box's cmd file. */
char *language_expand (const char *template, const char *source, const char *binary,
                       const char *name);

/* Where the language's required program is, as the box would find it on its
 * PATH (/usr/local/bin:/usr/bin:/bin); NULL when it is missing. */
char *language_find_requirement (const Language *language);
