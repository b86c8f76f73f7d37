#pragma once

#include "daemon_log.h"
#include "metrics.h"
#include "options.h"
#include "sandbox/box/box_table.h"

#include <fuse_lowlevel.h>
#include <glib.h>
#include <time.h>

/* Everything the running daemon holds: the one place for its state. */
typedef struct
{
  BoxTable *boxes;
  struct fuse_session *session;
  GMainLoop *loop;
  DaemonLog *log;               /* GLib writes with it until the process ends: never freed */
  const DaemonOptions *options; /* the command line, read again at a reload */
  time_t started;               /* the time every inode shows */
  gint64 started_us;            /* g_get_monotonic_time () at start, for the uptime */
  guint64 refused[METRICS_MAX_ERRNO + 1]; /* requests refused, by errno (nodes.c) */
  gboolean unmounted; /* by someone else, copies of the mount living on (mount_watch.h) */
} Daemon;
