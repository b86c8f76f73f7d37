#include "options.h"

#include "sandbox/sandbox_error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  char *config_file;
  GPtrArray *settings;    /* "key=value", ours, in command-line order */
  GPtrArray *positionals; /* [SOURCE] MOUNTPOINT */
  gboolean allow_other;
  gboolean default_permissions;
  gboolean check;
} OwnOptions;

/* fuse_opt_parse's callback: 0 takes an option out of args, 1 leaves it. */
static int
take_own_option (void *data, const char *arg, int key, struct fuse_args *outargs)
{
  OwnOptions *own = data;
  if (key == FUSE_OPT_KEY_NONOPT)
    {
      g_ptr_array_add (own->positionals, g_strdup (arg));
      return 0;
    }
  if (key != FUSE_OPT_KEY_OPT)
    return 1;
  if (strcmp (arg, "--check") == 0)
    {
      own->check = TRUE;
      return 0;
    }
  own->allow_other |= strcmp (arg, "allow_other") == 0;
  own->default_permissions |= strcmp (arg, "default_permissions") == 0;
  const char *equals = strchr (arg, '=');
  if (equals == NULL)
    return 1;
  g_autofree char *name = g_strndup (arg, equals - arg);
  if (strcmp (name, "config") == 0)
    {
      g_free (own->config_file);
      own->config_file = g_strdup (equals + 1);
      return 0;
    }
  if (!daemon_config_has_key (name))
    return 1;
  g_ptr_array_add (own->settings, g_strdup (arg));
  return 0;
}

/* mount(8) runs us as `isolatefs SOURCE MOUNTPOINT -o ...` (fstab's first
 * field, which means nothing to us); by hand it is `isolatefs MOUNTPOINT`.
 * The mount point goes back to libfuse's arguments. */
static gboolean
take_mountpoint (OwnOptions *own, struct fuse_args *args, GError **error)
{
  if (own->positionals->len > 2)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
                   "too many arguments: give [SOURCE] MOUNTPOINT");
      return FALSE;
    }
  if (own->positionals->len == 0)
    return TRUE;
  /* libfuse would refuse a missing one too, and then we would say "bad
   * command line" after it: one message, with what to do. */
  const char *mountpoint = g_ptr_array_index (own->positionals, own->positionals->len - 1);
  g_autofree char *real = realpath (mountpoint, NULL);
  if (real == NULL)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "mount point %s: %s%s", mountpoint,
                   g_strerror (errno), errno == ENOENT ? " (create the directory first)" : "");
      return FALSE;
    }
  fuse_opt_add_arg (args, mountpoint);
  /* Last, so that it wins over the suid and dev that mount(8) passes for an
   * fstab line: nothing on the mount is a program or a device, and a
   * direct start gets both from libfuse anyway. */
  fuse_opt_add_arg (args, "-onosuid,nodev");
  return TRUE;
}

gboolean
daemon_options_apply (const DaemonOptions *options, DaemonConfig *config, GError **error)
{
  if (options->config_file != NULL
      && !daemon_config_load_file (config, options->config_file, error))
    return FALSE;
  for (guint i = 0; options->settings != NULL && options->settings[i] != NULL; i++)
    {
      const char *setting = options->settings[i];
      const char *equals = strchr (setting, '=');
      g_autofree char *key = g_strndup (setting, equals - setting);
      if (!daemon_config_set (config, key, equals + 1, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
daemon_options_parse (struct fuse_args *args, DaemonConfig *config, DaemonOptions *options,
                      GError **error)
{
  OwnOptions own = {
    .settings = g_ptr_array_new_with_free_func (g_free),
    .positionals = g_ptr_array_new_with_free_func (g_free),
  };
  struct fuse_cmdline_opts cmdline = { 0 };

  gboolean ok = fuse_opt_parse (args, &own, NULL, take_own_option) == 0;
  if (!ok)
    g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "cannot parse the options");
  ok = ok && take_mountpoint (&own, args, error);
  /* The kernel then checks every access against the owners and modes we
   * report; without it any user of the mount could use any box. */
  if (ok && own.allow_other && !own.default_permissions)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
                   "allow_other needs default_permissions too");
      ok = FALSE;
    }
  if (ok && fuse_parse_cmdline (args, &cmdline) != 0)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "bad command line (see --help)");
      ok = FALSE;
    }
  g_ptr_array_add (own.settings, NULL);
  options->config_file = g_steal_pointer (&own.config_file);
  options->settings = (GStrv) g_ptr_array_free (g_steal_pointer (&own.settings), FALSE);
  ok = ok && daemon_options_apply (options, config, error);

  options->mountpoint = cmdline.mountpoint ? g_strdup (cmdline.mountpoint) : NULL;
  options->check = own.check;
  options->foreground = cmdline.foreground || cmdline.debug;
  options->debug = cmdline.debug;
  options->show_help = cmdline.show_help;
  options->show_version = cmdline.show_version;
  free (cmdline.mountpoint);
  g_ptr_array_unref (own.positionals);
  return ok;
}

void
daemon_options_clear (DaemonOptions *options)
{
  g_clear_pointer (&options->mountpoint, g_free);
  g_clear_pointer (&options->config_file, g_free);
  g_clear_pointer (&options->settings, g_strfreev);
}
