#pragma once

#include "daemon.h"

/* SIGHUP (systemctl reload): the config file and the -o options are read
 * again and the box table takes them: maximums, per-user and per-group
 * rules, defaults and the languages table; what a running daemon cannot
 * change stays (box_table_reload). A file that does not load, does not
 * check or names a broken languages table changes nothing, and the log
 * says why. Runs in progress go on undisturbed. The log file (log=FILE) is
 * opened again, for logrotate. */
void daemon_reload (Daemon *daemon);
