#pragma once

#include "cgroup.h"

#include <glib.h>

/* The cgroups of removed boxes, kept under reserved names (".spare-N": no
 * box name starts with a dot) for new boxes, up to a few. Making and
 * removing a box's three groups took 0.45 ms of its lifecycle (traced),
 * and a memory group removed lingers in the kernel while pages are still
 * charged to it. A kept group is empty; a new box's first run writes its
 * limits and clears its counters (cgroup.h), as for a group just made. */
typedef struct _CgroupSpares CgroupSpares;

/* Removes what an earlier daemon kept among cgroups' boxes. */
CgroupSpares *cgroup_spares_new (Cgroups *cgroups);

/* Removes the groups kept, then frees. */
void cgroup_spares_free (CgroupSpares *spares);

/* Renames a kept group to NAME; FALSE if none is kept. */
gboolean cgroup_spares_take (CgroupSpares *spares, const char *name);

/* Keeps NAME's groups, if they are empty and there are not enough kept;
 * FALSE otherwise (they are where they were). Never on cgroup v2, which
 * cannot rename a group; making one there is a single mkdir. */
gboolean cgroup_spares_give (CgroupSpares *spares, const char *name);
