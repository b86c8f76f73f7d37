#pragma once

#include "daemon_log.h"
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
  DaemonLog *log; /* GLib writes with it until the process ends: never freed */
  time_t started; /* the time every inode shows */
} Daemon;
