#include "loop_sources.h"

static guint
attach_recursive (GSource *source, GSourceFunc func, gpointer data)
{
  g_source_set_callback (source, func, data, NULL);
  g_source_set_can_recurse (source, TRUE);
  guint id = g_source_attach (source, NULL);
  g_source_unref (source);
  return id;
}

guint
fd_watch_add (int fd, GIOCondition condition, GUnixFDSourceFunc func, gpointer data)
{
  return attach_recursive (g_unix_fd_source_new (fd, condition), G_SOURCE_FUNC (func), data);
}

guint
child_watch_add (GPid pid, GChildWatchFunc func, gpointer data)
{
  return attach_recursive (g_child_watch_source_new (pid), G_SOURCE_FUNC (func), data);
}
