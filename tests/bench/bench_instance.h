#pragma once

#include <glib.h>
#include <signal.h>

/* The benchmark's isolatefs instance and the file operations on its mount
 * (bench_instance.c). A failed operation stops the instance and exits. */

extern char *mount_dir;
extern char *state_dir;
extern GPid daemon_pid;
extern GHashTable *live_boxes; /* names of boxes that exist */
extern volatile sig_atomic_t interrupted;

/* SIGINT, SIGTERM: stop after the measurement under way. */
void on_signal (int sig);

/* Starts isolatefs on a temporary mount, room for max_boxes boxes. */
gboolean instance_start (const char *isolatefs, int max_boxes);
/* rmdir every box, unmount, wait for the daemon, delete the temp dir. */
void instance_stop (void);

void fail (const char *what, const char *path);
char *box_path (const char *box, const char *file);
/* One write(2) of a whole value, as the interface wants. */
void write_value (const char *box, const char *file, const char *value);
/* Reads a control file to EOF (for status, waits for the run). */
char *read_value (const char *box, const char *file);
/* A key of a status text, or NULL. */
char *status_get (const char *status, const char *key);
double status_seconds (const char *status, const char *key);
void box_create (const char *box);
void box_remove (const char *box);
/* Writes cmd and reads status to EOF; returns the status text. */
char *box_run (const char *box, const char *cmd, gboolean expect_ok);
void copy_helper (const char *box, const char *helper);
