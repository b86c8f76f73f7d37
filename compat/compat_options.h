#pragma once

#include <glib.h>

/* isolate 1.10.1's command line, parsed into a struct. Nothing here touches
 * the mount or the environment, so unit tests can drive it directly. */

#define COMPAT_OPTIONS_ERROR (compat_options_error_quark ())
GQuark compat_options_error_quark (void);

typedef enum
{
  COMPAT_OPTIONS_ERROR_USAGE, /* isolate's usage(): exit status 2 */
} CompatOptionsError;

typedef enum
{
  COMPAT_COMMAND_NONE,
  COMPAT_COMMAND_INIT,
  COMPAT_COMMAND_RUN,
  COMPAT_COMMAND_CLEANUP,
  COMPAT_COMMAND_VERSION,
  COMPAT_COMMAND_HELP, /* ours: --help prints the usage and succeeds */
} CompatCommand;

/* Sizes are KiB and counts are plain numbers, as isolate takes them; 0 means
 * "no limit" wherever isolate says so. Times are milliseconds. */
typedef struct
{
  CompatCommand command;
  guint box_id;
  char *meta_path; /* -M; "-" is standard output; NULL: no meta file */

  guint mem_kib;    /* -m: address space of each process */
  guint cg_mem_kib; /* --cg-mem: memory of the whole control group */
  guint time_ms;    /* -t */
  guint wall_ms;    /* -w */
  guint extra_ms;   /* -x */
  guint stack_kib;  /* -k */
  guint fsize_kib;  /* -f */
  guint processes;  /* -p: default 1, 0 (bare -p) unlimited */
  guint open_files; /* -n: default 64, 0 unlimited */
  guint core_kib;   /* --core: default 0, no core files */
  gboolean quota;   /* -q given */
  guint quota_blocks;
  guint quota_inodes;

  gboolean cg;              /* --cg */
  gboolean cg_timing;       /* --cg-timing (default) or --no-cg-timing */
  gboolean share_net;       /* --share-net */
  gboolean inherit_fds;     /* --inherit-fds */
  gboolean no_cg_timing;    /* --no-cg-timing given (after any --cg-timing) */
  gboolean special_files;   /* --special-files */
  gboolean tty_hack;        /* --tty-hack */
  gboolean full_env;        /* -e */
  GPtrArray *env_rules;     /* -E, as given: "VAR", "VAR=" or "VAR=value" */
  GPtrArray *dir_rules;     /* -d, CompatDirRule *, in order */
  gboolean no_default_dirs; /* -D */

  char *stdin_path;  /* -i */
  char *stdout_path; /* -o */
  char *stderr_path; /* -r */
  gboolean stderr_to_stdout;
  char *chdir; /* -c */

  guint silent;  /* -s */
  guint verbose; /* -v, counted */

  char **argv; /* --run: the program and its arguments */
} CompatOptions;

/* Parses argv (argv[0] is the program's name) the way isolate's getopt_long
 * loop does, including its checks after the loop. NULL with a
 * COMPAT_OPTIONS_ERROR_USAGE error worded as isolate words it. */
CompatOptions *compat_options_parse (int argc, const char *const *argv, GError **error);
void compat_options_free (CompatOptions *options);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CompatOptions, compat_options_free)

/* The usage text (isolate's option list, with our notes). */
const char *compat_options_usage (void);

/* What the options given ask of isolate that this front end deliberately
 * does differently (docs/compat.md): one line each, for a warning on
 * stderr, NULL-terminated. */
GStrv compat_options_differences (const CompatOptions *options);

/* Helpers shared with the tests: isolate's opt_uint (a decimal number that
 * fits an int) and a time in seconds, as milliseconds. */
gboolean compat_parse_uint (const char *text, guint *value, GError **error);
gboolean compat_parse_time (const char *text, guint *ms, GError **error);
