#pragma once

#include "daemon_config.h"
#include "box_limits.h"

#include <glib.h>

/* What a box's setting files hold: the limits, then how the program is run
 * (environment, directories, working directory, standard streams). Each is
 * written and read as text by name, the name of its control file. */
typedef struct
{
  gint64 limits[N_LIMITS];
  GStrv env;                 /* canonical "VAR=value" strings */
  GPtrArray *dirs;           /* of DirRule */
  char *cwd;                 /* the working directory inside the jail, absolute */
  char *stdio_paths[3];      /* files inside the jail for stdin, stdout, stderr; NULL:
                                the box's stdin, stdout and stderr files */
  gboolean stderr_to_stdout; /* stderr goes where stdout goes */
} BoxSettings;

/* Every setting's configured default. */
void box_settings_init (BoxSettings *settings, const DaemonConfig *config);
void box_settings_clear (BoxSettings *settings);

/* The names of all settings (setting_names.h), NULL-terminated: the files
 * box_settings_set and box_settings_get know, the limits first. */
const char *const *box_settings_names (void);

/* Parses text (surrounding whitespace ignored for limits) and, if it is valid
 * and within the configured maximum, replaces the setting. On failure the old
 * value stays: SANDBOX_ERROR_INVALID, _OVER_MAXIMUM or _NOT_FOUND (no such
 * setting). */
gboolean box_settings_set (BoxSettings *settings, const DaemonConfig *config, const char *name,
                           const char *text, GError **error);

/* The same without the configured maximum: for values saved earlier, which
 * were accepted then. */
gboolean box_settings_set_trusted (BoxSettings *settings, const DaemonConfig *config,
                                   const char *name, const char *text, GError **error);

/* Settings only root may change: `dirs` binds host paths into the jail as
 * root does, so a user who sets it could reach what they cannot read. */
gboolean box_settings_need_root (const char *name);

/* Whether a value of the setting has several lines (env, dirs). */
gboolean box_settings_multi_line (const char *name);

/* Whether the setting shapes the jail itself (its mounts, its network),
 * which is built before the command comes. */
gboolean box_settings_shape_jail (const char *name);

/* The canonical text of a setting, as its file reads; NULL for an unknown name. */
char *box_settings_get (const BoxSettings *settings, const char *name);

/* A new text for one setting, by name, as its file takes it. */
typedef struct
{
  char *name;
  char *text;
} SettingValue;

/* An empty list of SettingValue, which owns them. */
GPtrArray *setting_values_new (void);
void setting_values_add (GPtrArray *values, const char *name, const char *text);

/* What values (SettingValue) make of settings, all or nothing: updated gets
 * a copy of settings with every value applied, and changed the names whose
 * canonical text differs from settings' (none if every value is the current
 * one). Only a change is checked against what binds caller: the maximums
 * (none for root) and the settings only root may change (`dirs`, which binds
 * host paths into the jail as root does); the current value again is
 * accepted from anyone. On failure nothing is set, and the error's message
 * starts with the name of the setting that failed: SANDBOX_ERROR_INVALID,
 * _OVER_MAXIMUM, _NOT_PERMITTED or _NOT_FOUND (no such setting). */
gboolean box_settings_update (const BoxSettings *settings, const DaemonConfig *config,
                              const Caller *caller, GPtrArray *values, BoxSettings *updated,
                              GPtrArray **changed, GError **error);
