#pragma once

#include "mount_fixture.h"

/* What the crash-consistency test (test_crash.c) knows of one box: what
 * every acknowledged operation left, and what an operation the daemon's
 * death cut short may have left instead. */

/* The control files the test writes, with the value a new box reads. */
typedef enum
{
  KEY_MEM,
  KEY_TIME,
  KEY_ENV,
  KEY_QUOTA,
  KEY_STDIN,
  N_KEYS
} BoxKey;

extern const char *const box_key_files[N_KEYS];

typedef struct
{
  gboolean exists;
  char *values[N_KEYS]; /* as the files read */
  /* box/: every file of required there, and nothing but those of allowed
   * (a run or ctl reset cut short leaves some of them). */
  GHashTable *required;
  GHashTable *allowed;
  /* status: the XX of a run the daemon's end cut short, until the next run
   * or reset (must); or that or idle, after a run the daemon's end may have
   * come right after (may). */
  gboolean must_be_interrupted;
  gboolean may_be_interrupted;
} BoxModel;

BoxModel *box_model_new (void);
BoxModel *box_model_copy (const BoxModel *model);
void box_model_free (BoxModel *model);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoxModel, box_model_free)

/* A new box's, as mkdir leaves it. */
void box_model_make (BoxModel *model);
void box_model_set (BoxModel *model, BoxKey key, const char *value);
/* A file that is in box/ from now on (add), or may be (allow). */
void box_model_add_file (BoxModel *model, const char *name);
void box_model_allow_file (BoxModel *model, const char *name);
/* box/ emptied (required), or maybe emptied (only required). */
void box_model_clear_files (BoxModel *model, gboolean surely);

/* Whether the box as the mount shows it matches model; if not, why, in
 * *why. Reads files, status, and what is mounted on its box/. */
gboolean box_model_check (const BoxModel *model, const Mount *mount, const char *name, char **why);

/* What the box holds now, read from the mount, as the model to go on
 * from: after a restart, once box_model_check accepted it. */
void box_model_adopt (BoxModel *model, const Mount *mount, const char *name);
