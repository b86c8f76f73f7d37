#include "root_files.h"

#include "inodes.h"

#include <string.h>

/* The languages table of the source files (box_table_read_languages). */
static char *
read_languages (Daemon *daemon)
{
  return box_table_read_languages (daemon->boxes);
}

/* What the daemon has done since it started, for Prometheus (metrics.h):
 * counters kept as it goes, and one pass over the boxes. */
static char *
read_metrics (Daemon *daemon)
{
  const BoxStats *stats = box_table_stats (daemon->boxes);
  Metrics metrics = {
    .runs_in_progress = box_table_count_running (daemon->boxes),
    .boxes = box_table_count_boxes (daemon->boxes),
    .jails_prepared = stats->jails_prepared,
    .jails_used = stats->jails_used,
    .time_limit_kills = stats->time_limit_kills,
    .oom_kills = stats->oom_kills,
    .uptime_seconds = (g_get_monotonic_time () - daemon->started_us) / 1e6,
    .resident_bytes = metrics_resident_bytes (),
  };
  G_STATIC_ASSERT (G_N_ELEMENTS (stats->runs) == METRICS_N_VERDICTS);
  memcpy (metrics.runs, stats->runs, sizeof metrics.runs);
  memcpy (metrics.refused, daemon->refused, sizeof metrics.refused);
  return metrics_render (&metrics);
}

static const RootFile root_files[] = {
  { ".languages", read_languages },
  { ".metrics", read_metrics },
};

G_STATIC_ASSERT (INODE_FIRST_ROOT_FILE + G_N_ELEMENTS (root_files) <= 1u << INODE_FILE_BITS);

const RootFile *
root_file_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (root_files); i++)
    if (strcmp (root_files[i].name, name) == 0)
      return &root_files[i];
  return NULL;
}

const RootFile *
root_file_of_inode (fuse_ino_t ino)
{
  if (ino < INODE_FIRST_ROOT_FILE || ino - INODE_FIRST_ROOT_FILE >= G_N_ELEMENTS (root_files))
    return NULL;
  return &root_files[ino - INODE_FIRST_ROOT_FILE];
}

fuse_ino_t
root_file_inode (const RootFile *file)
{
  return INODE_FIRST_ROOT_FILE + (fuse_ino_t) (file - root_files);
}
