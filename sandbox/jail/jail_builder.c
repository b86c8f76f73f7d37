#include "jail_builder.h"

#include "jail_spawner.h"
#include "sandbox/host/netns_pool.h"
#include "utils/autofd.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

typedef enum
{
  ORDER_QUEUED,
  ORDER_BUILDING,
  ORDER_BUILT,
} OrderState;

struct _JailOrder
{
  gatomicrefcount refs; /* the owner's, and the queue's until the thread is done with it */
  GAsyncQueue *queue;   /* the builder's */
  JailSpawner *spawner; /* the builder's, which outlives its thread */
  gint *spares;         /* the builder's count, if this order is a spare one */
  GMutex lock;          /* for what follows, up to setup */
  GCond built;
  OrderState state;
  gboolean cancelled;
  gboolean warm; /* jail_warm() done: its program-to-be may be in the cgroups */
  Jail *jail;    /* once ORDER_BUILT, unless it failed or was taken */
  GError *error;
  /* The setup and copies of all it points to: the box may change or go
   * while the thread reads them. */
  JailSetup setup;
  char *root_dir;
  char *work_dir;
  char *tmp_dir;
  GStrv cgroup_procs;
  char *cgroup_dir;
};

struct _JailBuilder
{
  GThread *thread;    /* from the first order on: a daemon that goes to the
                         background forks after it made the builder */
  GAsyncQueue *queue; /* of JailOrder; the builder itself, to stop */
  JailSpawner *spawner;
  NetnsPool *netns_pool; /* as many as spare orders */
  guint max_spares;
  gint spares; /* spare orders neither taken nor cancelled, atomic */
};

static void
order_unref (JailOrder *order)
{
  if (!g_atomic_ref_count_dec (&order->refs))
    return;
  jail_free (order->jail);
  g_async_queue_unref (order->queue);
  g_clear_error (&order->error);
  autofd_close (&order->setup.netns_fd);
  autofd_close (&order->setup.root_template_fd);
  g_clear_pointer (&order->setup.dir_rules, g_ptr_array_unref);
  g_free (order->root_dir);
  g_free (order->work_dir);
  g_free (order->tmp_dir);
  g_strfreev (order->cgroup_procs);
  g_free (order->cgroup_dir);
  g_mutex_clear (&order->lock);
  g_cond_clear (&order->built);
  g_free (order);
}

/* ---- The thread ---- */

static void
build (JailOrder *order)
{
  g_mutex_lock (&order->lock);
  gboolean wanted = !order->cancelled;
  if (wanted)
    order->state = ORDER_BUILDING;
  g_mutex_unlock (&order->lock);
  if (!wanted)
    return;

  GError *error = NULL;
  Jail *jail = jail_prepare (order->spawner, &order->setup, &error);
  g_mutex_lock (&order->lock);
  order->jail = jail;
  order->error = error;
  order->state = ORDER_BUILT;
  g_cond_broadcast (&order->built);
  g_mutex_unlock (&order->lock);
}

static gpointer
run_builder (gpointer data)
{
  JailBuilder *builder = data;
  /* Woken by an order, it used to pre-empt the daemon while the daemon
   * still held the queue's lock, then wait for that lock while the daemon
   * waited for the CPU (traced: 0.85 ms, past the end of the run). A
   * batch thread gets its fair share of the CPU but pre-empts no one. */
  struct sched_param param = { 0 };
  sched_setscheduler (0, SCHED_BATCH, &param);
  for (;;)
    {
      gpointer item = g_async_queue_pop (builder->queue);
      if (item == builder)
        return NULL;
      build (item);
      order_unref (item);
    }
}

/* ---- The daemon's side ---- */

JailBuilder *
jail_builder_new (guint max_spares, gboolean births)
{
  JailBuilder *builder = g_new0 (JailBuilder, 1);
  builder->queue = g_async_queue_new ();
  builder->spawner = jail_spawner_new (births);
  builder->netns_pool = netns_pool_new (max_spares);
  builder->max_spares = max_spares;
  return builder;
}

/* Counts a spare order in, unless there are enough. */
static gboolean
count_spare (JailBuilder *builder)
{
  if ((guint) g_atomic_int_add (&builder->spares, 1) < builder->max_spares)
    return TRUE;
  g_atomic_int_add (&builder->spares, -1);
  return FALSE;
}

/* The owner is done with the order: a spare one no longer counts. */
static void
release_spare (JailOrder *order)
{
  if (order->spares != NULL)
    g_atomic_int_add (order->spares, -1);
}

void
jail_builder_free (JailBuilder *builder)
{
  if (builder == NULL)
    return;
  if (builder->thread != NULL)
    {
      g_async_queue_push (builder->queue, builder);
      g_thread_join (builder->thread);
    }
  jail_spawner_free (builder->spawner);
  netns_pool_free (builder->netns_pool);
  g_async_queue_unref (builder->queue);
  g_free (builder);
}

JailOrder *
jail_builder_order (JailBuilder *builder, const JailSetup *setup, gboolean spare, GError **error)
{
  if (builder->thread == NULL
      && (builder->thread = g_thread_try_new ("jail-builder", run_builder, builder, error)) == NULL)
    return NULL;
  if (spare && !count_spare (builder))
    return NULL;
  JailOrder *order = g_new0 (JailOrder, 1);
  order->spares = spare ? &builder->spares : NULL;
  g_atomic_ref_count_init (&order->refs);
  g_atomic_ref_count_inc (&order->refs);
  g_mutex_init (&order->lock);
  g_cond_init (&order->built);
  order->state = ORDER_QUEUED;
  order->queue = g_async_queue_ref (builder->queue);
  order->spawner = builder->spawner;
  order->root_dir = g_strdup (setup->root_dir);
  order->work_dir = g_strdup (setup->work_dir);
  order->tmp_dir = g_strdup (setup->tmp_dir);
  order->cgroup_procs = g_strdupv ((char **) setup->cgroup_procs);
  order->cgroup_dir = g_strdup (setup->cgroup_dir);
  order->setup = *setup;
  order->setup.root_dir = order->root_dir;
  order->setup.work_dir = order->work_dir;
  order->setup.tmp_dir = order->tmp_dir;
  order->setup.cgroup_procs = (const char *const *) order->cgroup_procs;
  order->setup.cgroup_dir = order->cgroup_dir;
  /* Replaced, never changed, when the box's dirs change: a reference will do. */
  if (setup->dir_rules != NULL)
    order->setup.dir_rules = g_ptr_array_ref (setup->dir_rules);
  /* Without a copy, the jail makes a namespace of its own: slower, no less isolated. */
  if (setup->netns_fd >= 0)
    order->setup.netns_fd = fcntl (setup->netns_fd, F_DUPFD_CLOEXEC, 3);
  if (setup->root_template_fd >= 0)
    order->setup.root_template_fd = fcntl (setup->root_template_fd, F_DUPFD_CLOEXEC, 3);
  g_async_queue_push (builder->queue, order);
  return order;
}

Jail *
jail_builder_prepare (JailBuilder *builder, const JailSetup *setup, GError **error)
{
  jail_spawner_hurry (builder->spawner);
  return jail_prepare (builder->spawner, setup, error);
}

int
jail_builder_take_netns (JailBuilder *builder)
{
  return netns_pool_take (builder->netns_pool);
}

Jail *
jail_order_take (JailOrder *order)
{
  g_mutex_lock (&order->lock);
  if (order->state == ORDER_QUEUED)
    order->cancelled = TRUE;
  else if (order->state == ORDER_BUILDING)
    {
      /* A run waits for it now. */
      jail_spawner_hurry (order->spawner);
      while (order->state != ORDER_BUILT)
        g_cond_wait (&order->built, &order->lock);
    }
  Jail *jail = g_steal_pointer (&order->jail);
  g_autoptr (GError) error = g_steal_pointer (&order->error);
  g_mutex_unlock (&order->lock);
  if (error != NULL)
    g_warning ("cannot prepare a sandbox ahead: %s", error->message);
  release_spare (order);
  order_unref (order);
  return jail;
}

gboolean
jail_order_warm (JailOrder *order)
{
  g_mutex_lock (&order->lock);
  if (order->state == ORDER_BUILT && order->jail != NULL && order->setup.join_at_launch)
    order->warm = jail_warm (order->jail);
  gboolean warm = order->warm;
  g_mutex_unlock (&order->lock);
  return warm;
}

void
jail_order_cancel (JailOrder *order)
{
  if (order == NULL)
    return;
  g_mutex_lock (&order->lock);
  order->cancelled = TRUE;
  /* A jail that never joined the box's cgroups is killed now and reaped
   * by the thread: its namespaces take a millisecond or so to go, which
   * rmdir need not wait for. One whose program-to-be joined early is
   * reaped before this returns, so that the cgroups can be removed. */
  gboolean reap_later = order->state == ORDER_BUILT && order->jail != NULL
                        && order->setup.join_at_launch && !order->warm;
  if (reap_later)
    {
      /* Dying, it would otherwise take this CPU from the daemon at once. */
      struct sched_param param = { 0 };
      sched_setscheduler (jail_get_pid (order->jail), SCHED_IDLE, &param);
      kill (jail_get_pid (order->jail), SIGKILL);
      g_atomic_ref_count_inc (&order->refs);
    }
  g_mutex_unlock (&order->lock);
  release_spare (order);
  order_unref (order);
  if (reap_later)
    g_async_queue_push (order->queue, order);
}
