#pragma once

#include <glib.h>
#include <sys/types.h>

/* What is saved of a box, as JSON in its state directory: enough to bring the
 * box back, with its settings and command, after a restart. */
typedef struct
{
  char *name;
  uid_t uid; /* the box's own uid and gid */
  gid_t gid;
  uid_t owner_uid; /* who created it */
  gid_t owner_gid;
  guint mode;           /* permission bits of the box's directory */
  GHashTable *settings; /* setting name -> canonical text */
  char *cmd;            /* the last command, "" if none */
  char *source;         /* the last source file written to source, "" if none */
  guint64 generation;   /* counts the box's saves: of two records, the higher is newer */
} BoxRecord;

#define BOX_RECORD_VERSION 1
/* Boxes are private to their owner unless the owner chmods them. */
#define BOX_DEFAULT_MODE 0700

BoxRecord *box_record_new (void);
void box_record_free (BoxRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoxRecord, box_record_free)

char *box_record_to_json (const BoxRecord *record);

/* Parses what box_record_to_json wrote. Checks the shape (types, version,
 * ranges), not the settings' values. Fails with SANDBOX_ERROR_INVALID saying
 * what is wrong. */
BoxRecord *box_record_from_json (const char *data, gsize length, GError **error);
