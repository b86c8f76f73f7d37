#pragma once

/* What the tests of the daemon's configuration share: a configuration and
 * a config file to write for each test, and setting keys. */

#include "sandbox/settings/daemon_config.h"

#include <glib.h>

typedef struct
{
  DaemonConfig *config;
  char *path; /* a temporary config file, written by each test */
} ConfigFixture;

void config_setup (ConfigFixture *fx, gconstpointer data);
void config_teardown (ConfigFixture *fx, gconstpointer data);
/* Writes the temporary config file. */
void write_config_file (ConfigFixture *fx, const char *contents);
/* Sets key, asserting it is taken. */
void set_ok (DaemonConfig *config, const char *key, const char *value);
/* Asserts key=value is refused with a message naming the key. */
void assert_set_refused (DaemonConfig *config, const char *key, const char *value);
