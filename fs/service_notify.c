#include "service_notify.h"

#include <systemd/sd-daemon.h>

/* A manager that cannot be told is logged, not fatal: the mount works. */
static void
notify (const char *state)
{
  int ret = sd_notify (0, state);
  if (ret < 0)
    g_warning ("cannot notify the service manager (%s): %s", state, g_strerror (-ret));
}

void
service_notify_ready (const char *status)
{
  g_autofree char *state = g_strdup_printf ("READY=1\nSTATUS=%s", status);
  notify (state);
}

void
service_notify_reloading (void)
{
  notify ("RELOADING=1\nSTATUS=reloading the configuration");
}

void
service_notify_stopping (void)
{
  notify ("STOPPING=1\nSTATUS=unmounting");
}
