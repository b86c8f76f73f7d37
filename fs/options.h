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
} DaemonOptions;

void daemon_options_clear (DaemonOptions *options);

/* Takes our own -o options out of args into config: first the file named by
 * config=FILE, then each key=value in the order given, so that the command
 * line overrides the file. What remains in args is libfuse's. */
gboolean daemon_options_parse (struct fuse_args *args, DaemonConfig *config,
                               DaemonOptions *options, GError **error);
