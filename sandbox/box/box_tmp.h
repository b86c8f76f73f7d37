#pragma once

#include "box.h"

#include <glib.h>

/* Where a box's /tmp (and each tmp rule's directory) is made, on disk as
 * isolate's, not in memory (docs/interface.md, "/tmp"): a directory of the
 * daemon's tmp volume (tmp_volume.h) named after the box's uid, or, for a
 * box with a quota, a filesystem of the quota's size of its own (box.c
 * mounts it with box/). The jail binds a directory of it for each
 * (jail_mounts_plan); the box empties them after every run, so each run
 * finds them fresh. */

/* The host directory, made if missing; NULL without a tmp volume and
 * without a quota: then each is a tmpfs of max_tmp in the jail. */
char *box_tmp_dir (Box *box, GError **error);

/* Empties what the last run left in them (never following a link): at the
 * end of every run and when the box is removed. */
void box_tmp_empty (Box *box);
