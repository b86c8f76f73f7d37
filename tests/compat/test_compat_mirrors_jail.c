/* compat/compat_dirs.c mirrors the jail's default mounts
 * (sandbox/jail/jail_mounts.c): what -D drops, and what the default set
 * drops so that a box looks like isolate's, must be mounts the jail makes
 * by default. Checked here, so that a change to one that forgets the
 * other fails. */
#include "compat_dirs.h"
#include "sandbox/jail/jail_mounts.h"

#include <glib.h>
#include <string.h>

/* The jail's default mounts, as "/inside" paths. */
static GPtrArray *
jail_defaults (void)
{
  g_autoptr (GPtrArray) plan = jail_mounts_plan ("/work-dir", "/tmp-dir", NULL);
  GPtrArray *insides = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < plan->len; i++)
    g_ptr_array_add (insides,
                     g_strconcat ("/", ((JailMount *) g_ptr_array_index (plan, i))->inside, NULL));
  return insides;
}

/* The paths compat drops ("/in=" lines) when it renders no rules. */
static GPtrArray *
dropped (gboolean no_default_dirs)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = compat_dirs_render (NULL, no_default_dirs, "/work-dir", &error);
  g_assert_no_error (error);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_suffix (lines[i], "="))
      g_ptr_array_add (paths, g_strndup (lines[i], strlen (lines[i]) - 1));
  return paths;
}

static gboolean
contains (GPtrArray *paths, const char *path)
{
  return g_ptr_array_find_with_equal_func (paths, path, g_str_equal, NULL);
}

static void
test_no_default_dirs_drops_every_jail_default_but_box_and_dev (void)
{
  g_autoptr (GPtrArray) defaults = jail_defaults ();
  g_autoptr (GPtrArray) drops = dropped (TRUE);
  for (guint i = 0; i < drops->len; i++)
    {
      g_test_message ("-D drops %s", (char *) g_ptr_array_index (drops, i));
      g_assert_true (contains (defaults, g_ptr_array_index (drops, i)));
    }
  for (guint i = 0; i < defaults->len; i++)
    {
      const char *inside = g_ptr_array_index (defaults, i);
      if (strcmp (inside, "/box") != 0 && strcmp (inside, "/dev") != 0)
        g_assert_true (contains (drops, inside));
    }
}

static void
test_default_set_drops_only_jail_defaults (void)
{
  g_autoptr (GPtrArray) defaults = jail_defaults ();
  g_autoptr (GPtrArray) drops = dropped (FALSE);
  for (guint i = 0; i < drops->len; i++)
    g_assert_true (contains (defaults, g_ptr_array_index (drops, i)));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compat-mirrors-jail/no-default-dirs",
                   test_no_default_dirs_drops_every_jail_default_but_box_and_dev);
  g_test_add_func ("/compat-mirrors-jail/default-set", test_default_set_drops_only_jail_defaults);
  return g_test_run ();
}
