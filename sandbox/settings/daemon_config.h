#pragma once

#include "box_limits.h"
#include "sandbox/cgroup/cgroup.h"
#include "utils/languages.h"

#include <glib.h>
#include <sys/types.h>

/* Who asks: the owner of a new box, the writer of a setting. */
typedef struct
{
  uid_t uid;
  gid_t gid;
} Caller;

/* The daemon's settings: from -o options and the config file, fixed once the
 * daemon runs. Every key is documented in docs/configuration.md. */
typedef struct
{
  char *state_dir;           /* absolute; boxes' files and saved settings */
  CgroupHierarchy cgroup;    /* auto, v1 or v2 (cgroup.h) */
  char *cgroup_parent;       /* the group holding the boxes' groups (cgroups_new) */
  guint32 first_uid;         /* box uids are first_uid .. first_uid + box_uids - 1 */
  guint32 first_gid;         /* likewise for gids */
  guint32 box_uids;          /* how many uids (and gids) boxes may use */
  guint32 max_boxes;         /* how many boxes may exist at once */
  guint64 max_stdin_kib;     /* cap on the size of a box's stdin file */
  guint64 max_output_kib;    /* how much of each of stdout and stderr a run keeps */
  guint64 max_tmp_kib;       /* the size of the filesystem holding the boxes' /tmp */
  gboolean favor_dynmods;    /* make joining a cgroup cheap (cgroup_dynmods.h), if the
                                kernel can (BoxShared.favor_dynmods says) */
  gboolean prepare_runs;     /* build a box's next jail ahead of its command (jail_builder.h) */
  guint32 prepare_new_boxes; /* how many boxes not yet run may hold one, from mkdir on */
  char *languages_file;      /* absolute; the languages table of the source file, or NULL:
                                the installed one if there is, else the built-in one */
  char *log_file;            /* log=FILE, or NULL: where the log goes (fs/daemon_log.h) */
  char *default_dirs;        /* dirs rules under every box's own, canonical text, or NULL */
  GStrv default_env;         /* env rules under every box's own, or NULL */
  gint64 limit_default[N_LIMITS];
  gint64 limit_maximum[N_LIMITS];
  GHashTable *user_rules;  /* uid -> ConfigRule: [user:NAME] groups of the config file */
  GHashTable *group_rules; /* gid -> ConfigRule: [group:NAME] */
  GHashTable *member_gids; /* uid -> GArray of gid_t: the [group:NAME] groups listing the user */
} DaemonConfig;

/* What a [user:NAME] or [group:NAME] group of the config file sets for its
 * users: maximums (-1 where it sets none and the daemon-wide value holds),
 * and defaults that add to the daemon-wide ones (NULL: none). */
typedef struct
{
  gint64 limit_maximum[N_LIMITS];
  gint64 max_boxes;
  char *default_dirs; /* canonical dirs rules */
  GStrv default_env;  /* canonical env rules */
} ConfigRule;

DaemonConfig *daemon_config_new (void);
void daemon_config_free (DaemonConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DaemonConfig, daemon_config_free)

/* TRUE if key is one of ours (so the fs layer knows which -o options to keep). */
gboolean daemon_config_has_key (const char *key);

/* Sets one key ("state_dir", "max_boxes", "default_mem", "max_time", ...)
 * from its text. Fails with SANDBOX_ERROR_INVALID. */
gboolean daemon_config_set (DaemonConfig *config, const char *key, const char *value,
                            GError **error);

/* Applies every key of the [isolatefs] group of a GKeyFile. */
gboolean daemon_config_load_file (DaemonConfig *config, const char *path, GError **error);

/* The maximum of a limit for a caller who is not root: their user's rule,
 * else the largest their groups' rules allow (their primary group's, and
 * those that list them as a member), else the daemon-wide one. */
gint64 daemon_config_maximum (const DaemonConfig *config, LimitId id, const Caller *caller);

/* How many boxes a caller may own at once (G_MAXUINT32: no per-user count),
 * found as daemon_config_maximum finds a maximum. */
guint32 daemon_config_box_quota (const DaemonConfig *config, const Caller *caller);

/* The dirs rules that every run of a box of owner gets under the box's own:
 * default_dirs daemon-wide, then their groups', then their own, as one
 * text for dir_rules_parse (a later rule for the same path wins); NULL if
 * there is none. */
char *daemon_config_default_dirs (const DaemonConfig *config, const Caller *owner);

/* The env rules likewise, in that order (a later one for the same
 * variable wins); may be empty. */
GStrv daemon_config_default_env (const DaemonConfig *config, const Caller *owner);

/* For a reload: the keys a running daemon cannot change (where its state
 * and cgroups are, its uid range, how it prepares jails) are copied from
 * running into config. Returns the names of those the file changed, for
 * a warning ("" if none). */
char *daemon_config_keep_fixed (DaemonConfig *config, const DaemonConfig *running);

/* Checks that the settings fit together (each default within its maximum,
 * the uid range valid). Call once all keys are set. */
gboolean daemon_config_check (const DaemonConfig *config, GError **error);

/* Loads the languages table: languages_file if set, else the installed
 * table if there is one, else the one built into the program. A table that
 * cannot be read, or has a language whose commands or compile limits do
 * not parse, fails with a message saying what to do. */
LanguageTable *daemon_config_load_languages (const DaemonConfig *config, GError **error);

uid_t daemon_config_box_uid (const DaemonConfig *config, guint index);
gid_t daemon_config_box_gid (const DaemonConfig *config, guint index);
