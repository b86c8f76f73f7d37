#pragma once

#include "sandbox/settings/daemon_config.h"

#include <fuse_lowlevel.h>
#include <glib.h>

/* The daemon's command line: isolatefs [-f] [-d] [-o OPT[,OPT...]] MOUNTPOINT,
 * or isolatefs --check [-o OPT[,OPT...]] */
typedef struct
{
  char *mountpoint;
  gboolean check; /* --check: check the host against the settings, mount nothing */
  gboolean foreground;
  gboolean debug;
  gboolean show_help;
  gboolean show_version;
  char *config_file; /* config=FILE, or NULL */
  GStrv settings;    /* our other -o options, "key=value", in command-line order */
} DaemonOptions;

void daemon_options_clear (DaemonOptions *options);

/* Takes our own -o options out of args into config: first the file named by
 * config=FILE, then each key=value in the order given, so that the command
 * line overrides the file. What remains in args is libfuse's. */
gboolean daemon_options_parse (struct fuse_args *args, DaemonConfig *config, DaemonOptions *options,
                               GError **error);

/* Applies the options to config as daemon_options_parse did: at start, and
 * again when the daemon reloads its configuration. */
gboolean daemon_options_apply (const DaemonOptions *options, DaemonConfig *config, GError **error);
