#pragma once

#include <glib.h>

/* isolate's directory rules (-d/--dir, -D), parsed as isolate parses them,
 * and rendered in the daemon's `dirs` syntax. */

typedef enum
{
  COMPAT_DIR_RW = 1 << 0,
  COMPAT_DIR_NOEXEC = 1 << 1,
  COMPAT_DIR_FS = 1 << 2,
  COMPAT_DIR_MAYBE = 1 << 3,
  COMPAT_DIR_DEV = 1 << 4,
  COMPAT_DIR_TMP = 1 << 5,
  COMPAT_DIR_NOREC = 1 << 6,
} CompatDirFlags;

typedef struct
{
  char *inside;  /* absolute and normalised: "tmp" and "/tmp/" become "/tmp" */
  char *outside; /* a host path, "./box..." or a file system type; NULL: none */
  gboolean drop; /* "in=": bind nothing there, dropping a default */
  CompatDirFlags flags;
} CompatDirRule;

/* Parses one rule as isolate's --dir takes it: "in=out:opt:...", "dir:opt",
 * "in=" (drop), "in=TYPE:fs", "in:tmp". NULL with a
 * COMPAT_OPTIONS_ERROR_USAGE error for a rule isolate would refuse. */
CompatDirRule *compat_dir_rule_parse (const char *text, GError **error);
void compat_dir_rule_free (CompatDirRule *rule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CompatDirRule, compat_dir_rule_free)

/* Whether a rule binds a source relative to the sandbox's directory
 * ("./box..."): only then does compat_dirs_render need box_dir, which costs
 * a request to the daemon to find. */
gboolean compat_dirs_need_box_dir (GPtrArray *rules);

/* The whole `dirs` value for a run: isolate's default set expressed against
 * the daemon's defaults (or nothing of them with no_default_dirs), then the
 * rules in order. box_dir is the host path of the box's box/ directory, what
 * isolate's "./box" sources name (NULL when no rule needs it). NULL with an error for a rule the
 * daemon cannot express. The text ends with a newline (a lone one when empty). */
char *compat_dirs_render (GPtrArray *rules, gboolean no_default_dirs, const char *box_dir,
                          GError **error);
