#pragma once

#include <glib.h>

/* What the daemon tells a service manager (systemd's Type=notify) about its
 * state, through libsystemd's sd_notify(): the manager names its socket in
 * $NOTIFY_SOCKET. Without one, as when started from a shell or from fstab,
 * these do nothing. The daemon's programs never see that variable: the
 * zygote starts with an empty environment (jail_spawner.h). */

/* The mount is in place and requests are served from now on; status says
 * how the daemon is ("serving /isolate"). Said again after a reload. */
void service_notify_ready (const char *status);

/* The daemon is reading its configuration again (SIGHUP). */
void service_notify_reloading (void);

/* The daemon is unmounting and ending its runs. */
void service_notify_stopping (void);
