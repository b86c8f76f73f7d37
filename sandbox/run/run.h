#pragma once

#include "sandbox/cgroup/cgroup.h"
#include "sandbox/jail/jail.h"
#include "run_result.h"

#include <glib.h>

/* One run of a program in a box, driven from the daemon's GLib main loop: it
 * launches a prepared jail, enforces the time limits from the cgroup's CPU time and
 * the monotonic clock, holds the output files the program writes to a cap
 * (run_output.h), and hands a RunResult to its done callback once everything
 * of the run is gone. */
typedef struct _Run Run;

typedef struct
{
  JailLaunch launch; /* its descriptors stay the caller's */
  BoxCgroup *cgroup; /* prepared for this run, joined by the program */
  gint64 time_ms;    /* CPU time limit, LIMIT_UNLIMITED for none */
  gint64 extra_ms;   /* CPU time past time_ms before the kill */
  gint64 wall_ms;    /* wall-clock limit, LIMIT_UNLIMITED for none */
  gint64 mem_kib;    /* the memory limit the cgroup was prepared with, LIMIT_UNLIMITED for none */
  int output_fds[2]; /* of launch.stdio_fds, the box's stdout and stderr files (or -1) */
  gint64 output_cap; /* bytes kept of each */
} RunSpec;

/* Called once, from the main loop; the callback owns the result. */
typedef void (*RunDoneFunc) (RunResult *result, gpointer data);

/* Starts the run in jail (prepared, not launched), which it takes, and
 * returns at once. If the jail cannot be set up (a failed mount, a stdio
 * path that cannot be opened) the run still happens and ends as soon as the
 * jail says so, with status XX and the reason, so that the caller's status
 * reads like any other outcome; a program that cannot be executed exits 127
 * (jail.h). Fails only if the output files cannot be kept; the jail is then
 * freed. */
Run *run_start (const RunSpec *spec, Jail *jail, RunDoneFunc done, gpointer data, GError **error);

/* Kills everything of the run; done still comes, with killed:1. */
void run_kill (Run *run, RunVerdict verdict, const char *message);

/* Kills the run and waits, blocking, until nothing of it is left; done is
 * not called. For rmdir and shutdown. */
void run_abort (Run *run);
