#pragma once

#include "sandbox/cgroup/cgroup.h"

#include <glib.h>
#include <stdio.h>

/* `isolatefs --check`: is this host fit to run the daemon with these
 * settings, and to time programs fairly? Each check looks at one thing and
 * says OK, WARN (the daemon works, but runs are less fair or less safe than
 * they could be) or FAIL (the daemon cannot work, or a box could reach
 * what it must not), with the fix for anything not OK. Nothing is changed:
 * a check that needs to try something (a namespace, a chown) tries it in
 * a child process or on a scratch file it removes. */

typedef enum
{
  CHECK_OK,
  CHECK_WARN,
  CHECK_FAIL,
} CheckOutcome;

/* What the checks need of the daemon's settings (isolatefs(8)). */
typedef struct
{
  const char *state_dir;
  CgroupHierarchy cgroup;
  const char *cgroup_parent;
  guint32 first_uid;
  guint32 first_gid;
  guint32 box_uids;
  gboolean quota_configured; /* a finite default_quota or max_quota: every box takes one */
} CheckSettings;

typedef struct
{
  const char *name; /* short and stable: "cgroups", "aslr", ... */
  CheckOutcome outcome;
  char *finding; /* what was found, in one sentence or two */
  char *fix;     /* what to do; NULL when OK */
} CheckResult;

/* Runs every check, in a fixed order. */
GPtrArray *host_check_run (const CheckSettings *settings);

/* One line per check, "OK   name: finding", with "     fix: ..." under each
 * one not OK, and a closing count. */
void host_check_print (const GPtrArray *results, FILE *out);

/* 0 when nothing FAILs, else 1. */
int host_check_exit_status (const GPtrArray *results);
