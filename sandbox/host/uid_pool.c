#include "uid_pool.h"

struct _UidPool
{
  guint size;
  guint8 *used; /* one flag per index: simple, and 64 KiB even for 65536 uids */
};

UidPool *
uid_pool_new (guint size)
{
  UidPool *pool = g_new0 (UidPool, 1);
  pool->size = size;
  pool->used = g_new0 (guint8, size);
  return pool;
}

void
uid_pool_free (UidPool *pool)
{
  if (pool == NULL)
    return;
  g_free (pool->used);
  g_free (pool);
}

gboolean
uid_pool_take (UidPool *pool, guint *index)
{
  for (guint i = 0; i < pool->size; i++)
    if (!pool->used[i])
      {
        pool->used[i] = 1;
        *index = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
uid_pool_claim (UidPool *pool, guint index)
{
  if (index >= pool->size || pool->used[index])
    return FALSE;
  pool->used[index] = 1;
  return TRUE;
}

void
uid_pool_release (UidPool *pool, guint index)
{
  g_return_if_fail (index < pool->size);
  pool->used[index] = 0;
}
