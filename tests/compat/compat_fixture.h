#pragma once

#include "tests/integration/command_result.h"
#include "tests/integration/mount_fixture.h"

#include <glib.h>

/* What the tests of mini-isolate-compat against a real mount share
 * (compat_fixture.c). */

/* One mount for the whole program, made when a test first needs it. */
extern Mount *mount;
extern char *bin_dir;   /* holds `isolate`, a link to the front end */
extern char *work_dirs; /* $MINI_ISOLATE_COMPAT_DIR */
extern char *host_prog; /* data/prog.c compiled on the host */

const char *env_path (const char *name);
char *data (const char *name);

/* FALSE (the test skipped) without root, /dev/fuse or gcc. */
gboolean require_mount (void);

/* The box's newer control files that some options need; tests of those
 * options skip, naming the file, against a daemon without them. */
gboolean require_daemon_file (const char *box, const char *file);

/* ---- running isolate ---- */

CommandResult *spawn (const char *const *argv, const char *input);
/* Runs a shell command line, as Judge0 runs its backquoted commands. */
CommandResult *shell (const char *line);
/* Runs isolate with an argument vector, as CMS's subprocess calls do. */
CommandResult *isolate_argv (GPtrArray *args, const char *input);
void add (GPtrArray *args, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* isolate --cg -b box_id --init, then Judge0's files beside box/ (its
 * initialize_workdir), stdin.txt holding stdin_text: the work directory. */
char *judge0_init (const char *box_id);

/* ---- files ---- */

char *read_file (const char *path);
void write_file (const char *path, const char *text);
void copy_file (const char *from, const char *to, int mode);
void assert_contains (const char *text, const char *part);

/* key -> value of isolate's meta file; every line must be one of isolate's
 * keys, once. */
GHashTable *read_meta (const char *path);

/* What the test program reads, and what it then writes. */
extern const char stdin_text[];
extern const char stdout_expected[];

/* Unmounts and frees the above; at the end of main. */
void compat_fixture_tear_down (void);
