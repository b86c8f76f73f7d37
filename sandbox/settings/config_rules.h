#pragma once

/* The per-user and per-group rules of the config file ([user:NAME],
 * [group:NAME]) and the defaults every box's runs get, for
 * daemon_config.c: what binds or serves one user, from their own rule,
 * their groups' and the daemon-wide settings. */

#include "daemon_config.h"

ConfigRule *config_rule_new (void);
void config_rule_free (ConfigRule *rule);

/* The rule a group of the config file means ("user:NAME" or "group:NAME",
 * a name or a number), made on first use. NULL for a name that is no user
 * (or no group) of this host: the group is then skipped, with a warning,
 * so that a user who left does not stop the daemon from starting. */
ConfigRule *config_rule_of_group (DaemonConfig *config, const char *group, const char *path);

/* A key of a rule's group: max_boxes, max_LIMIT, default_dirs, default_env. */
gboolean config_rule_set (ConfigRule *rule, const char *key, const char *value, GError **error);

/* default_dirs or default_env (daemon-wide or a rule's): rules separated
 * by ';' or newlines, as the box's dirs and env files take them. */
gboolean config_parse_default_dirs (const char *value, char **dirs, GError **error);
gboolean config_parse_default_env (const char *value, GStrv *env, GError **error);

/* Notes which users each [group:NAME] rule's group lists as members, so
 * that a rule binds its members and not only those whose primary group it
 * is. Done once the file is read (and again at each reload). */
void config_index_group_members (DaemonConfig *config);
