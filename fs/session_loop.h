#pragma once

#include "daemon.h"

/* Serves the daemon's FUSE session from a GLib main loop, one request per
 * wake-up, until the filesystem is unmounted or SIGTERM/SIGINT/SIGHUP
 * arrives. No thread is pinned per request. */
void session_loop_run (Daemon *daemon);
