#pragma once

#include <glib.h>

/* Sends the daemon's log to syslog: for when it runs in the background,
 * where its standard error is /dev/null. */
void syslog_writer_install (void);
