#pragma once

#include <glib.h>

/* The `dirs` setting: what is bound into the jail beyond the defaults, in
 * IOI isolate's syntax, one rule per line:
 *   /in              bind host /in at /in, read-only
 *   /in=/out         bind host /out at /in
 *   /in=             bind nothing at /in (drops a default rule)
 *   /in=fstype:fs    mount a filesystem of that type at /in
 *   /in:tmp          a fresh writable directory at /in
 * followed by options, each after a ':': rw, noexec, maybe (skip if /out is
 * missing), dev (allow device nodes), norec (no submounts), fs, tmp. */
typedef enum
{
  DIR_RULE_RW = 1 << 0,
  DIR_RULE_NOEXEC = 1 << 1,
  DIR_RULE_FS = 1 << 2,
  DIR_RULE_MAYBE = 1 << 3,
  DIR_RULE_DEV = 1 << 4,
  DIR_RULE_TMP = 1 << 5,
  DIR_RULE_NOREC = 1 << 6,
} DirRuleFlags;

typedef struct
{
  char *inside;  /* absolute path inside the jail, normalised */
  char *outside; /* host path, fs type with DIR_RULE_FS, NULL for "bind nothing" or tmp */
  DirRuleFlags flags;
} DirRule;

void dir_rule_free (DirRule *rule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DirRule, dir_rule_free)

/* The most rules a setting holds: each is a mount of the run's sandbox,
 * which takes as many as the jail's protocol carries, less the defaults
 * (jail_mounts.c checks it). */
#define DIR_RULES_MAX 4086

/* Parses the whole setting; a later rule for the same /in replaces an earlier
 * one. *rules is an array of DirRule. Fails with SANDBOX_ERROR_INVALID naming
 * the bad line and why, or for more than DIR_RULES_MAX rules. */
gboolean dir_rules_parse (const char *text, GPtrArray **rules, GError **error);

/* Canonical text, one rule per line. */
char *dir_rules_format (GPtrArray *rules);
