#include "session_loop.h"

#include "reload.h"
#include "utils/loop_sources.h"

#include <errno.h>
#include <glib-unix.h>

typedef struct
{
  Daemon *daemon;
  struct fuse_buf buffer; /* reused for every request */
} SessionSource;

static gboolean
on_request (gint fd, GIOCondition condition, gpointer data)
{
  SessionSource *source = data;
  struct fuse_session *session = source->daemon->session;

  int received = fuse_session_receive_buf (session, &source->buffer);
  if (received == -EINTR || received == -EAGAIN)
    return G_SOURCE_CONTINUE;
  if (received <= 0)
    {
      /* 0 is how libfuse says the filesystem was unmounted. */
      if (received < 0)
        g_warning ("reading from the FUSE device failed: %s", g_strerror (-received));
      g_main_loop_quit (source->daemon->loop);
      return G_SOURCE_REMOVE;
    }
  fuse_session_process_buf (session, &source->buffer);
  if (fuse_session_exited (session))
    {
      g_main_loop_quit (source->daemon->loop);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_hangup (gpointer data)
{
  daemon_reload (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_signal (gpointer data)
{
  Daemon *daemon = data;
  g_message ("signal received, unmounting");
  g_main_loop_quit (daemon->loop);
  return G_SOURCE_CONTINUE;
}

void
session_loop_run (Daemon *daemon)
{
  SessionSource source = { daemon, { 0 } };
  daemon->loop = g_main_loop_new (NULL, FALSE);

  guint request_watch = fd_watch_add (fuse_session_fd (daemon->session),
                                      G_IO_IN | G_IO_ERR | G_IO_HUP, on_request, &source);
  guint signal_watches[] = {
    g_unix_signal_add (SIGTERM, on_signal, daemon),
    g_unix_signal_add (SIGINT, on_signal, daemon),
    g_unix_signal_add (SIGHUP, on_hangup, daemon),
  };

  g_main_loop_run (daemon->loop);

  for (guint i = 0; i < G_N_ELEMENTS (signal_watches); i++)
    g_source_remove (signal_watches[i]);
  /* The request watch removed itself if the session ended; remove it if a signal did. */
  GSource *request_source = g_main_context_find_source_by_id (NULL, request_watch);
  if (request_source != NULL)
    g_source_destroy (request_source);
  free (source.buffer.mem);
  g_clear_pointer (&daemon->loop, g_main_loop_unref);
}
