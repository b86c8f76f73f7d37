#include "reload.h"

#include "service_notify.h"

void
daemon_reload (Daemon *daemon)
{
  service_notify_reloading ();
  const char *source = daemon->options->config_file ? daemon->options->config_file : "-o";
  g_autoptr (DaemonConfig) config = daemon_config_new ();
  g_autoptr (GError) error = NULL;
  LanguageTable *languages = NULL;
  g_autofree char *status = NULL;
  if (!daemon_options_apply (daemon->options, config, &error)
      || !daemon_config_check (config, &error)
      || (languages = daemon_config_load_languages (config, &error)) == NULL)
    {
      g_warning ("reload refused, the settings stay as they were: %s", error->message);
      status = g_strdup_printf ("serving %s; the last reload was refused: %s",
                                daemon->options->mountpoint, error->message);
    }
  else
    {
      box_table_reload (daemon->boxes, g_steal_pointer (&config), languages);
      g_message ("reloaded the configuration (%s)", source);
      status = g_strdup_printf ("serving %s", daemon->options->mountpoint);
    }
  g_clear_error (&error);
  if (!daemon_log_reopen (daemon->log, &error))
    g_warning ("%s", error->message);
  service_notify_ready (status);
}
