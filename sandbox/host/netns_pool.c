#include "netns_pool.h"

#include "sandbox/jail/shared/loopback.h"
#include "utils/autofd.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

/* Namespaces are made one at a time, this long after the last take and
 * then as often: making one is 0.3-0.5 ms in the kernel, which this
 * kernel (no kernel preemption) does not interrupt even at SCHED_IDLE.
 * Made right after a take, it held off the daemon for that long in the
 * middle of the new box's first run (traced). */
#define FILL_INTERVAL_MS 100

struct _NetnsPool
{
  guint max;
  GThreadPool *filler; /* one thread, from the first fill on */
  guint timer;         /* on the main context, while the pool is not full */
  GMutex lock;         /* for what follows */
  GQueue ready;        /* of descriptors, as GINT_TO_POINTER */
  gboolean making;     /* the thread is making one */
};

NetnsPool *
netns_pool_new (guint max)
{
  NetnsPool *pool = g_new0 (NetnsPool, 1);
  pool->max = max;
  g_mutex_init (&pool->lock);
  g_queue_init (&pool->ready);
  return pool;
}

void
netns_pool_free (NetnsPool *pool)
{
  if (pool == NULL)
    return;
  g_clear_handle_id (&pool->timer, g_source_remove);
  if (pool->filler != NULL)
    g_thread_pool_free (pool->filler, FALSE, TRUE);
  while (!g_queue_is_empty (&pool->ready))
    close (GPOINTER_TO_INT (g_queue_pop_head (&pool->ready)));
  g_mutex_clear (&pool->lock);
  g_free (pool);
}

/* Makes one, on this thread only: the thread enters it, opens it and goes
 * back. -1 if it cannot. */
static int
make_netns (void)
{
  autofd home_fd = open ("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (home_fd < 0 || unshare (CLONE_NEWNET) < 0)
    {
      g_warning ("cannot make a network namespace ahead: %s", g_strerror (errno));
      return -1;
    }
  /* Else the proxy would bring it up, taking the kernel's network lock on
   * the run's path. */
  int status = loopback_up ();
  if (status != 0)
    g_warning ("cannot bring up lo in a network namespace made ahead: %s", g_strerror (status));
  int fd = open ("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  /* Harmless if it fails: this thread only ever makes namespaces. */
  if (setns (home_fd, CLONE_NEWNET) < 0)
    g_warning ("cannot leave a network namespace made ahead: %s", g_strerror (errno));
  return fd;
}

static void
make_one (gpointer data, gpointer user_data)
{
  NetnsPool *pool = user_data;
  struct sched_param param = { 0 };
  sched_setscheduler (0, SCHED_IDLE, &param);
  int fd = make_netns ();
  g_mutex_lock (&pool->lock);
  if (fd >= 0)
    g_queue_push_tail (&pool->ready, GINT_TO_POINTER (fd));
  pool->making = FALSE;
  g_mutex_unlock (&pool->lock);
}

static gboolean
on_fill_timer (gpointer data)
{
  NetnsPool *pool = data;
  g_mutex_lock (&pool->lock);
  gboolean full = pool->ready.length >= pool->max;
  gboolean start = !full && !pool->making;
  pool->making = pool->making || start;
  g_mutex_unlock (&pool->lock);
  if (start)
    g_thread_pool_push (pool->filler, pool, NULL);
  if (full)
    pool->timer = 0;
  return full ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

int
netns_pool_take (NetnsPool *pool)
{
  if (pool->max == 0)
    return -1;
  g_mutex_lock (&pool->lock);
  int fd = g_queue_is_empty (&pool->ready) ? -1 : GPOINTER_TO_INT (g_queue_pop_head (&pool->ready));
  g_mutex_unlock (&pool->lock);
  if (pool->filler == NULL)
    pool->filler = g_thread_pool_new (make_one, pool, 1, FALSE, NULL);
  /* Again from now: boxes made one after another make none meanwhile. */
  g_clear_handle_id (&pool->timer, g_source_remove);
  pool->timer = g_timeout_add_full (G_PRIORITY_LOW, FILL_INTERVAL_MS, on_fill_timer, pool, NULL);
  return fd;
}
