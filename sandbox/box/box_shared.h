#pragma once

#include "box_stats.h"
#include "sandbox/cgroup/cgroup.h"
#include "sandbox/jail/jail_builder.h"
#include "sandbox/settings/daemon_config.h"
#include "utils/languages.h"

#include <glib.h>

/* What every box of a table shares besides its own state: the daemon's
 * configuration, fixed once the daemon runs, and what the table found or
 * made at start. The table (box_table.h) owns it; boxes hold it as const. */
typedef struct
{
  const DaemonConfig *config;
  Cgroups *cgroups;     /* the boxes' cgroups, under config->cgroup_parent */
  JailBuilder *builder; /* prepares jails; ahead of runs unless config->prepare_runs is off */
  /* config->favor_dynmods, unless the kernel refused it (cgroup_dynmods.h):
   * whether joining a cgroup is cheap. */
  gboolean favor_dynmods;
  /* Whether a jail prepared during a run is not counted in that run: its
   * program joins its cgroups at launch (favor_dynmods, v1), or is born
   * into the next run's own group (v2: cgroups_runs_apart). Then the next
   * run's jail is prepared while a run runs. */
  gboolean runs_apart;
  /* The languages table of the source files (daemon_config_load_languages). */
  LanguageTable *languages;
  BoxStats *stats; /* the table's, counted as runs end (box_stats.h) */
  /* Where the tmp volume is mounted (tmp_volume.h), or NULL if the machine
   * could not make it: then a /tmp is a tmpfs of max_tmp. */
  char *tmp_volume;
} BoxShared;

/* Frees what the shared state owns (cgroups, the builder, the languages table). */
void box_shared_clear (BoxShared *shared);
