#pragma once

#include "compat_options.h"

#include <glib.h>

/* What a --run writes to the box's files: every setting, each time, since a
 * box keeps its settings from one run to the next and isolate starts every
 * run from its defaults. */

typedef struct
{
  const char *file; /* the control file's name */
  char *value;      /* the text to write; never empty (a lone newline instead) */
  /* The file is one of the newer ones (chdir, stdin-path, ...) and value is
   * its default: an older daemon without the file may be skipped. */
  gboolean optional;
} CompatSetting;

/* The settings for a run, in the order they are written. box_dir is the
 * host path of the box's box/ directory (for "./box" in --dir rules),
 * environ the front end's environment (for -e and -E VAR). NULL with an
 * error for an option the daemon cannot express. */
GPtrArray *compat_settings_for_run (const CompatOptions *options, const char *box_dir,
                                    const char *const *environ, GError **error);

/* The settings as the box's `settings` file takes them, for one write:
 * a NAME=VALUE line for each line of each value, NAME= for an empty one. */
char *compat_settings_text (GPtrArray *settings);

/* TRUE when the program's standard input is the front end's own (no -i). */
gboolean compat_stdin_is_inherited (const CompatOptions *options);
/* TRUE when the program reads the box's stdin file: without -i, and with
 * -i /dev/null (an empty stdin file reads as it does). */
gboolean compat_stdin_uses_box_file (const CompatOptions *options);

/* The command to write to `cmd`: each argument shell-quoted, joined by
 * spaces, so the daemon's split gives the same argv back. */
char *compat_command_text (char *const *argv);
