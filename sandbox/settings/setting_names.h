#pragma once

/* The names of a box's setting files (docs/interface.md), written once:
 * the limits' table (box_limits.c) and the text settings' table
 * (box_settings.c) are keyed by them, box_settings_names() lists them from
 * those tables, fs/control_files.c makes a file of each, and both front
 * ends (cli/, compat/) write them. Plain C, no GLib: a front end includes
 * it and links nothing of the daemon's. */

/* The limits, in LimitId's order. */
#define SETTING_MEM "mem"
#define SETTING_TIME "time"
#define SETTING_WALL_TIME "wall-time"
#define SETTING_EXTRA_TIME "extra-time"
#define SETTING_PROCESSES "processes"
#define SETTING_FSIZE "fsize"
#define SETTING_STACK "stack"
#define SETTING_OPEN_FILES "open-files"
#define SETTING_SHARE_NET "share-net"
#define SETTING_QUOTA "quota"
#define SETTING_ADDRESS_SPACE "address-space"
#define SETTING_CORE "core"

/* The settings that are text. */
#define SETTING_ENV "env"
#define SETTING_DIRS "dirs"
#define SETTING_CHDIR "chdir"
#define SETTING_STDIN_PATH "stdin-path"
#define SETTING_STDOUT_PATH "stdout-path"
#define SETTING_STDERR_PATH "stderr-path"
#define SETTING_STDERR_TO_STDOUT "stderr-to-stdout"

/* The file that reads and writes every setting at once, as NAME=VALUE
 * lines (settings_text.h). */
#define SETTINGS_FILE "settings"
