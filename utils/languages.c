#include "languages.h"

#include <gio/gio.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

static void
language_free (gpointer data)
{
  Language *language = data;
  g_free (language->name);
  g_strfreev (language->extensions);
  g_strfreev (language->shebang);
  g_free (language->compile);
  g_free (language->compile_mem);
  g_free (language->compile_time);
  g_free (language->compile_wall_time);
  g_free (language->compile_processes);
  g_free (language->run);
  g_free (language->requires);
  g_free (language);
}

void
languages_free (LanguageTable *table)
{
  if (table == NULL)
    return;
  g_free (table->path);
  g_ptr_array_unref (table->languages);
  g_free (table);
}

static char *
get_optional (GKeyFile *file, const char *group, const char *key, const char *fallback)
{
  char *value = g_key_file_get_string (file, group, key, NULL);
  if (value != NULL)
    {
      g_strstrip (value);
      if (*value != '\0')
        return value;
      g_free (value);
    }
  return g_strdup (fallback);
}

static char **
get_list (GKeyFile *file, const char *group, const char *key)
{
  char **list = g_key_file_get_string_list (file, group, key, NULL, NULL);
  if (list == NULL)
    return g_new0 (char *, 1);
  for (char **item = list; *item != NULL; item++)
    {
      g_strstrip (*item);
      if (**item == '.')
        memmove (*item, *item + 1, strlen (*item));
    }
  return list;
}

/* A command must split into arguments as the box's cmd file would split it,
 * whatever names fill its placeholders. */
static gboolean
check_command (const char *origin, const Language *language, const char *key, const char *command,
               GError **error)
{
  g_autofree char *expanded = language_expand (command, "x.c", "./x", "x");
  g_autoptr (GError) parse_error = NULL;
  g_auto (GStrv) argv = NULL;
  if (g_shell_parse_argv (expanded, NULL, &argv, &parse_error))
    return TRUE;
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "%s: language [%s]: %s: %s",
               origin, language->name, key, parse_error->message);
  return FALSE;
}

static Language *
load_language (GKeyFile *file, const char *group, const char *origin, GError **error)
{
  Language *language = g_new0 (Language, 1);
  language->name = g_strdup (group);
  language->extensions = get_list (file, group, "extensions");
  language->shebang = get_list (file, group, "shebang");
  language->compile = get_optional (file, group, "compile", NULL);
  language->compile_mem = get_optional (file, group, "compile_mem", "512M");
  language->compile_time = get_optional (file, group, "compile_time", "10");
  language->compile_processes = get_optional (file, group, "compile_processes", "16");
  language->compile_wall_time = get_optional (file, group, "compile_wall_time", NULL);
  if (language->compile_wall_time == NULL)
    {
      double cpu = g_ascii_strtod (language->compile_time, NULL);
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];
      language->compile_wall_time
          = g_strdup (cpu > 0 ? g_ascii_formatd (buffer, sizeof buffer, "%.3f", 2 * cpu + 5) : "0");
    }
  language->run = get_optional (file, group, "run", NULL);
  g_autoptr (GError) number_error = NULL;
  gint run_processes = g_key_file_get_integer (file, group, "run_processes", &number_error);
  if (number_error == NULL && run_processes > 0)
    language->run_processes = run_processes;
  language->requires = get_optional (file, group, "requires", NULL);

  if (language->run == NULL)
    g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                 "%s: language [%s] has no run command", origin, group);
  else if (check_command (origin, language, "run", language->run, error)
           && (language->compile == NULL
               || check_command (origin, language, "compile", language->compile, error)))
    return language;
  language_free (language);
  return NULL;
}

static LanguageTable *
load_key_file (GKeyFile *file, const char *origin, GError **error)
{
  g_autoptr (LanguageTable) table = g_new0 (LanguageTable, 1);
  table->path = g_strdup (origin);
  table->languages = g_ptr_array_new_with_free_func (language_free);
  g_auto (GStrv) groups = g_key_file_get_groups (file, NULL);
  for (char **group = groups; *group != NULL; group++)
    {
      Language *language = load_language (file, *group, origin, error);
      if (language == NULL)
        return NULL;
      g_ptr_array_add (table->languages, language);
    }
  if (table->languages->len == 0)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                   "%s: no language in it", origin);
      return NULL;
    }
  return g_steal_pointer (&table);
}

LanguageTable *
languages_load_file (const char *path, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot load languages file %s: %s",
                   path, local_error->message);
      return NULL;
    }
  return load_key_file (file, path, error);
}

/* Made by glib-compile-resources from data/languages.conf (data/meson.build). */
GResource *languages_resource_get_resource (void);

LanguageTable *
languages_load_builtin (GError **error)
{
  g_autoptr (GBytes) bytes = g_resource_lookup_data (languages_resource_get_resource (),
                                                     LANGUAGES_BUILTIN_RESOURCE, 0, error);
  g_autoptr (GKeyFile) file = g_key_file_new ();
  if (bytes == NULL || !g_key_file_load_from_bytes (file, bytes, G_KEY_FILE_NONE, error))
    return NULL;
  return load_key_file (file, LANGUAGES_BUILTIN, error);
}

LanguageTable *
languages_load_default (const char *installed_path, GError **error)
{
  if (g_file_test (installed_path, G_FILE_TEST_EXISTS))
    return languages_load_file (installed_path, error);
  return languages_load_builtin (error);
}

/* The interpreter named on a #! line: "/usr/bin/env python3" -> "python3". */
static char *
shebang_interpreter (const char *head, gsize head_length)
{
  if (head == NULL || head_length < 2 || strncmp (head, "#!", 2) != 0)
    return NULL;
  const char *end = memchr (head, '\n', head_length);
  g_autofree char *line = g_strndup (head + 2, (end ? (gsize) (end - head) : head_length) - 2);
  g_auto (GStrv) words = g_strsplit_set (g_strstrip (line), " \t", -1);
  guint i = 0;
  while (words[i] != NULL && *words[i] == '\0')
    i++;
  if (words[i] == NULL)
    return NULL;
  g_autofree char *base = g_path_get_basename (words[i]);
  if (strcmp (base, "env") == 0)
    {
      for (i++; words[i] != NULL && (*words[i] == '\0' || *words[i] == '-'); i++)
        ;
      if (words[i] == NULL)
        return NULL;
      return g_path_get_basename (words[i]);
    }
  return g_steal_pointer (&base);
}

static gboolean
list_contains (char **list, const char *value)
{
  for (; *list != NULL; list++)
    if (strcmp (*list, value) == 0)
      return TRUE;
  return FALSE;
}

const Language *
languages_detect_by_extension (const LanguageTable *table, const char *name)
{
  g_autofree char *base = g_path_get_basename (name);
  const char *dot = strrchr (base, '.');
  if (dot == NULL || dot == base)
    return NULL;
  /* Exact first (".C" is C++ for gcc), then ignoring case. */
  for (guint i = 0; i < table->languages->len; i++)
    {
      const Language *language = g_ptr_array_index (table->languages, i);
      if (list_contains (language->extensions, dot + 1))
        return language;
    }
  for (guint i = 0; i < table->languages->len; i++)
    {
      const Language *language = g_ptr_array_index (table->languages, i);
      for (char **ext = language->extensions; *ext != NULL; ext++)
        if (g_ascii_strcasecmp (*ext, dot + 1) == 0)
          return language;
    }
  return NULL;
}

/* interpreter is name followed by nothing but a version: python3.11, python3. */
static gboolean
is_versioned (const char *interpreter, const char *name)
{
  if (!g_str_has_prefix (interpreter, name))
    return FALSE;
  const char *rest = interpreter + strlen (name);
  return strspn (rest, "0123456789.") == strlen (rest);
}

const Language *
languages_detect (const LanguageTable *table, const char *name, const char *head, gsize head_length,
                  GError **error)
{
  const Language *by_extension = languages_detect_by_extension (table, name);
  if (by_extension != NULL)
    return by_extension;
  g_autofree char *interpreter = shebang_interpreter (head, head_length);
  if (interpreter != NULL)
    {
      for (guint i = 0; i < table->languages->len; i++)
        {
          const Language *language = g_ptr_array_index (table->languages, i);
          if (list_contains (language->shebang, interpreter))
            return language;
        }
      for (guint i = 0; i < table->languages->len; i++)
        {
          const Language *language = g_ptr_array_index (table->languages, i);
          for (char **shebang = language->shebang; *shebang != NULL; shebang++)
            if (is_versioned (interpreter, *shebang))
              return language;
        }
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s: unknown language (interpreter %s on its #! line is not in %s)", name,
                   interpreter, table->path);
      return NULL;
    }
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
               "%s: unknown language (no known extension, no #! line; see %s)", name, table->path);
  return NULL;
}

const Language *
languages_detect_fd (const LanguageTable *table, const char *name, int fd, GError **error)
{
  const Language *by_extension = languages_detect_by_extension (table, name);
  if (by_extension != NULL)
    return by_extension;
  char head[LANGUAGES_HEAD_MAX];
  gssize length = -1;
  if (fd >= 0)
    do
      length = pread (fd, head, sizeof head, 0);
    while (length < 0 && errno == EINTR);
  return languages_detect (table, name, length > 0 ? head : NULL, MAX (length, 0), error);
}

void
language_source_names (const char *source, char **name, char **binary)
{
  g_autofree char *base = g_path_get_basename (source);
  const char *dot = strrchr (base, '.');
  if (dot == base)
    dot = NULL;
  *name = dot != NULL ? g_strndup (base, dot - base) : g_strdup (base);
  *binary = g_strdup_printf (dot != NULL ? "./%s" : "./%s.bin", *name);
}

char *
language_expand (const char *template, const char *source, const char *binary, const char *name)
{
  static const char *const keys[] = { "{source}", "{binary}", "{name}" };
  const char *values[] = { source, binary, name };
  GString *text = g_string_new (NULL);
  const char *at = template;
  while (*at != '\0')
    {
      gboolean replaced = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        if (g_str_has_prefix (at, keys[i]))
          {
            g_autofree char *quoted = g_shell_quote (values[i]);
            g_string_append (text, quoted);
            at += strlen (keys[i]);
            replaced = TRUE;
            break;
          }
      if (!replaced)
        g_string_append_c (text, *at++);
    }
  return g_string_free (text, FALSE);
}

char *
language_find_requirement (const Language *language, const char *search_path)
{
  if (language->requires == NULL)
    return g_strdup ("");
  if (strchr (language->requires, '/') != NULL)
    return access (language->requires, X_OK) == 0 ? g_strdup (language->requires) : NULL;
  g_auto (GStrv) dirs = g_strsplit (search_path, ":", -1);
  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *candidate = g_build_filename (dirs[i], language->requires, NULL);
      if (dirs[i][0] != '\0' && access (candidate, X_OK) == 0)
        return g_steal_pointer (&candidate);
    }
  return NULL;
}

static void
append_list (GString *text, const char *key, char **list)
{
  g_autofree char *joined = g_strjoinv (" ", list);
  g_string_append_printf (text, "%s:%s\n", key, joined);
}

/* A value on one line, whatever escapes the key file held. */
static void
append_value (GString *text, const char *key, const char *value)
{
  g_autofree char *line = g_strdelimit (g_strdup (value ? value : ""), "\r\n", ' ');
  g_string_append_printf (text, "%s:%s\n", key, line);
}

char *
languages_format (const LanguageTable *table, const char *search_path)
{
  GString *text = g_string_new (NULL);
  for (guint i = 0; i < table->languages->len; i++)
    {
      const Language *language = g_ptr_array_index (table->languages, i);
      g_autofree char *found = language_find_requirement (language, search_path);
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "language:%s\n", language->name);
      append_list (text, "extensions", language->extensions);
      append_list (text, "shebang", language->shebang);
      append_value (text, "requires", language->requires);
      g_string_append_printf (text, "installed:%d\n", found != NULL);
      g_string_append_printf (text, "compiled:%d\n", language->compile != NULL);
      append_value (text, "compile", language->compile);
      append_value (text, "run", language->run);
    }
  return g_string_free (text, FALSE);
}
