#pragma once

#include <glib.h>

/* Which of the configured box uids are in use. A box holds an index into the
 * range; the lowest free index is handed out first, so uids are reused after
 * rmdir and stay within the range. */
typedef struct _UidPool UidPool;

UidPool *uid_pool_new (guint size);
void uid_pool_free (UidPool *pool);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UidPool, uid_pool_free)

/* Takes the lowest free index; FALSE if every index is in use. */
gboolean uid_pool_take (UidPool *pool, guint *index);

/* Takes a given index (a box loaded from disk); FALSE if it is out of range
 * or already in use. */
gboolean uid_pool_claim (UidPool *pool, guint index);

void uid_pool_release (UidPool *pool, guint index);
