#include "languages.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef LANGUAGES_FILE
#define LANGUAGES_FILE "/etc/mini-isolate/languages.conf"
#endif

/* The PATH programs get in a box (isolatefs's default environment). */
static const char *const box_path[] = { "/usr/local/bin", "/usr/bin", "/bin" };

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

LanguageTable *
languages_load (const char *option, GError **error)
{
  const char *path = option;
  if (path == NULL || *path == '\0')
    path = g_getenv ("MINI_ISOLATE_LANGUAGES");
  if (path == NULL || *path == '\0')
    path = LANGUAGES_FILE;

  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot load languages file %s: %s",
                   path, local_error->message);
      return NULL;
    }

  LanguageTable *table = g_new0 (LanguageTable, 1);
  table->path = g_strdup (path);
  table->languages = g_ptr_array_new_with_free_func (language_free);
  g_auto (GStrv) groups = g_key_file_get_groups (file, NULL);
  for (char **group = groups; *group != NULL; group++)
    {
      Language *language = g_new0 (Language, 1);
      language->name = g_strdup (*group);
      language->extensions = get_list (file, *group, "extensions");
      language->shebang = get_list (file, *group, "shebang");
      language->compile = get_optional (file, *group, "compile", NULL);
      language->compile_mem = get_optional (file, *group, "compile_mem", "512M");
      language->compile_time = get_optional (file, *group, "compile_time", "10");
      language->compile_processes = get_optional (file, *group, "compile_processes", "16");
      language->compile_wall_time = get_optional (file, *group, "compile_wall_time", NULL);
      if (language->compile_wall_time == NULL)
        {
          double cpu = g_ascii_strtod (language->compile_time, NULL);
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];
          language->compile_wall_time = g_strdup (
              cpu > 0 ? g_ascii_formatd (buffer, sizeof buffer, "%.3f", 2 * cpu + 5) : "0");
        }
      language->run = get_optional (file, *group, "run", NULL);
      g_autoptr (GError) number_error = NULL;
      gint run_processes = g_key_file_get_integer (file, *group, "run_processes", &number_error);
      if (number_error == NULL && run_processes > 0)
        language->run_processes = run_processes;
      language->requires = get_optional (file, *group, "requires", NULL);
      g_ptr_array_add (table->languages, language);
      if (language->run == NULL)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                       "%s: language [%s] has no run command", path, *group);
          languages_free (table);
          return NULL;
        }
    }
  return table;
}

/* The interpreter named on a #! line: "/usr/bin/env python3" -> "python3". */
static char *
shebang_interpreter (const char *path)
{
  FILE *file = fopen (path, "re");
  if (file == NULL)
    return NULL;
  char line[512];
  if (fgets (line, sizeof line, file) == NULL || strncmp (line, "#!", 2) != 0)
    {
      fclose (file);
      return NULL;
    }
  fclose (file);
  g_auto (GStrv) words = g_strsplit_set (g_strstrip (line + 2), " \t", -1);
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
languages_detect (const LanguageTable *table, const char *path, GError **error)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    {
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
    }
  g_autofree char *interpreter = shebang_interpreter (path);
  if (interpreter != NULL)
    {
      for (guint i = 0; i < table->languages->len; i++)
        {
          const Language *language = g_ptr_array_index (table->languages, i);
          if (list_contains (language->shebang, interpreter))
            return language;
        }
      /* python3.11, for instance, as python3. */
      for (guint i = 0; i < table->languages->len; i++)
        {
          const Language *language = g_ptr_array_index (table->languages, i);
          for (char **name = language->shebang; *name != NULL; name++)
            if (g_str_has_prefix (interpreter, *name)
                && strspn (interpreter + strlen (*name), "0123456789.")
                       == strlen (interpreter + strlen (*name)))
              return language;
        }
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s: unknown language (interpreter %s on its #! line is not in %s)", path,
                   interpreter, table->path);
      return NULL;
    }
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
               "%s: unknown language (no known extension, no #! line; see %s)", path, table->path);
  return NULL;
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
language_find_requirement (const Language *language)
{
  if (language->requires == NULL)
    return g_strdup ("");
  if (strchr (language->requires, '/') != NULL)
    return access (language->requires, X_OK) == 0 ? g_strdup (language->requires) : NULL;
  for (guint i = 0; i < G_N_ELEMENTS (box_path); i++)
    {
      g_autofree char *candidate = g_build_filename (box_path[i], language->requires, NULL);
      if (access (candidate, X_OK) == 0)
        return g_steal_pointer (&candidate);
    }
  return NULL;
}
