#pragma once

#include "mount_fixture.h"

/* What a run's test reads of its status (the meta text of docs/interface.md). */

/* Runs cmd in box b and returns the status once the run has ended. */
char *run (const Mount *mount, const char *cmd);

/* The value of key in a status text, or NULL. */
char *meta (const char *status, const char *key);

void assert_meta (const char *status, const char *key, const char *expected);

/* The value of key, seconds with decimals. */
double meta_seconds (const char *status, const char *key);

/* Adds a test of box b (BoxFixture), on a mount with the extra options
 * given (NULL: none). */
#define ADD_WITH(path, function, options)                                                          \
  g_test_add (path, BoxFixture, options, box_fixture_set_up, function, box_fixture_tear_down)
#define ADD(path, function) ADD_WITH (path, function, NULL)
