#include "compat_dirs.h"

#include "compat_options.h"

#include <string.h>

/* In the order the daemon prints them, which is also isolate's bit order. */
static const struct
{
  const char *name;
  CompatDirFlags flag;
} dir_options[] = {
  { "rw", COMPAT_DIR_RW },       { "noexec", COMPAT_DIR_NOEXEC }, { "fs", COMPAT_DIR_FS },
  { "maybe", COMPAT_DIR_MAYBE }, { "dev", COMPAT_DIR_DEV },       { "tmp", COMPAT_DIR_TMP },
  { "norec", COMPAT_DIR_NOREC },
};

/* These two lists mirror the jail's default mounts (add_defaults in
 * sandbox/jail/jail_mounts.c), which a front end cannot link:
 * tests/compat/test_compat_mirrors_jail.c checks them against it.
 *
 * The daemon's built-in rules that isolate's default set lacks: isolate
 * binds no /etc. (/box, /bin, /lib, /lib64, /usr, /proc and /tmp are in
 * both; the daemon's /dev is a minimal one rather than the host's.) */
static const char *const daemon_only_defaults[] = { "/etc" };

/* What -D drops: every default of the daemon's that isolate's default set
 * also has, except /box (the daemon's working directory) and /dev (minimal,
 * host devices never in it), plus /etc and /dev/shm. */
static const char *const dropped_by_no_default_dirs[]
    = { "/bin", "/dev/shm", "/etc", "/lib", "/lib64", "/proc", "/tmp", "/usr" };

void
compat_dir_rule_free (CompatDirRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->inside);
  g_free (rule->outside);
  g_free (rule);
}

static gboolean
invalid_rule (const char *text, GError **error)
{
  g_set_error (error, COMPAT_OPTIONS_ERROR, COMPAT_OPTIONS_ERROR_USAGE,
               "Invalid directory rule specified: %s", text);
  return FALSE;
}

static gboolean
parse_flag (const char *name, CompatDirFlags *flags, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (dir_options); i++)
    if (strcmp (name, dir_options[i].name) == 0)
      {
        *flags |= dir_options[i].flag;
        return TRUE;
      }
  g_set_error (error, COMPAT_OPTIONS_ERROR, COMPAT_OPTIONS_ERROR_USAGE,
               "Unknown directory option %s", name);
  return FALSE;
}

/* isolate takes the inside path relative to the sandbox's root, with or
 * without leading slashes, and refuses ".." in it. The daemon wants it
 * absolute with no empty or "." component. NULL when isolate refuses it. */
static char *
normalise_inside (const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  GString *result = g_string_new (NULL);
  for (char **part = parts; *part != NULL; part++)
    {
      if (**part == '\0' || strcmp (*part, ".") == 0)
        continue;
      if (strcmp (*part, "..") == 0)
        {
          g_string_free (result, TRUE);
          return NULL;
        }
      g_string_append_c (result, '/');
      g_string_append (result, *part);
    }
  if (result->len == 0)
    {
      g_string_free (result, TRUE);
      return NULL;
    }
  return g_string_free (result, FALSE);
}

CompatDirRule *
compat_dir_rule_parse (const char *text, GError **error)
{
  if (*text == '\0' || strchr (text, '\n') != NULL)
    {
      invalid_rule (text, error);
      return NULL;
    }
  /* As isolate does: the options first (every ':' starts one), then the
   * '=' in what is left. */
  g_auto (GStrv) fields = g_strsplit (text, ":", -1);
  CompatDirFlags flags = 0;
  for (char **option = fields + 1; *option != NULL; option++)
    if (!parse_flag (*option, &flags, error))
      return NULL;
  const char *head = fields[0];
  const char *eq = strchr (head, '=');
  g_autofree char *in_text = eq ? g_strndup (head, eq - head) : g_strdup (head);
  const char *out = eq ? eq + 1 : NULL;

  g_autoptr (CompatDirRule) rule = g_new0 (CompatDirRule, 1);
  rule->flags = flags;
  rule->inside = normalise_inside (in_text);
  if (rule->inside == NULL || ((flags & COMPAT_DIR_FS) && (flags & COMPAT_DIR_TMP)))
    {
      invalid_rule (text, error);
      return NULL;
    }
  if (flags & COMPAT_DIR_FS)
    {
      if (out == NULL || *out == '\0' || strchr (out, '/') != NULL)
        {
          invalid_rule (text, error);
          return NULL;
        }
      rule->outside = g_strdup (out);
    }
  else if (flags & COMPAT_DIR_TMP)
    {
      if (out != NULL)
        {
          invalid_rule (text, error);
          return NULL;
        }
    }
  else if (out != NULL && *out == '\0')
    rule->drop = TRUE;
  else if (out != NULL)
    {
      if (*out != '/' && !g_str_has_prefix (out, "./"))
        {
          invalid_rule (text, error);
          return NULL;
        }
      rule->outside = g_strdup (out);
    }
  else
    rule->outside = g_strdup (rule->inside);
  return g_steal_pointer (&rule);
}

static gboolean
binds_relative (const CompatDirRule *rule)
{
  return !rule->drop && !(rule->flags & (COMPAT_DIR_FS | COMPAT_DIR_TMP)) && rule->outside != NULL
         && g_str_has_prefix (rule->outside, "./");
}

gboolean
compat_dirs_need_box_dir (GPtrArray *rules)
{
  for (guint i = 0; rules != NULL && i < rules->len; i++)
    if (binds_relative (g_ptr_array_index (rules, i)))
      return TRUE;
  return FALSE;
}

/* The host path a bind rule's source names. isolate resolves "./X" against
 * the sandbox's directory, of which only box/ exists here. */
static char *
resolve_outside (const CompatDirRule *rule, const char *box_dir, GError **error)
{
  const char *out = rule->outside;
  if (!binds_relative (rule))
    return g_strdup (out);
  const char *rest = out + 2;
  if (strcmp (rest, "box") == 0)
    return g_strdup (box_dir);
  if (g_str_has_prefix (rest, "box/"))
    return g_build_filename (box_dir, rest + 4, NULL);
  g_set_error (error, COMPAT_OPTIONS_ERROR, COMPAT_OPTIONS_ERROR_USAGE,
               "Directory rule for %s: only ./box and paths below it can be bound relative to "
               "the sandbox's directory, not %s",
               rule->inside, out);
  return NULL;
}

static gboolean
render_rule (GString *text, const CompatDirRule *rule, const char *box_dir, GError **error)
{
  g_string_append (text, rule->inside);
  if (rule->drop)
    g_string_append_c (text, '=');
  else if (rule->flags & COMPAT_DIR_FS)
    g_string_append_printf (text, "=%s", rule->outside);
  else if (!(rule->flags & COMPAT_DIR_TMP))
    {
      g_autofree char *outside = resolve_outside (rule, box_dir, error);
      if (outside == NULL)
        return FALSE;
      /* The daemon wants a clean absolute path: no trailing or double '/'. */
      g_autofree char *clean = g_canonicalize_filename (outside, "/");
      g_string_append_printf (text, "=%s", clean);
    }
  for (guint i = 0; i < G_N_ELEMENTS (dir_options); i++)
    if (rule->flags & dir_options[i].flag)
      g_string_append_printf (text, ":%s", dir_options[i].name);
  g_string_append_c (text, '\n');
  return TRUE;
}

char *
compat_dirs_render (GPtrArray *rules, gboolean no_default_dirs, const char *box_dir, GError **error)
{
  g_autoptr (GString) text = g_string_new (NULL);
  if (no_default_dirs)
    for (guint i = 0; i < G_N_ELEMENTS (dropped_by_no_default_dirs); i++)
      g_string_append_printf (text, "%s=\n", dropped_by_no_default_dirs[i]);
  else
    for (guint i = 0; i < G_N_ELEMENTS (daemon_only_defaults); i++)
      g_string_append_printf (text, "%s=\n", daemon_only_defaults[i]);
  for (guint i = 0; rules != NULL && i < rules->len; i++)
    if (!render_rule (text, g_ptr_array_index (rules, i), box_dir, error))
      return NULL;
  if (text->len == 0)
    g_string_append_c (text, '\n');
  return g_string_free (g_steal_pointer (&text), FALSE);
}
