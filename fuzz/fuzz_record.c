/* box_record_from_json, the state-file loader: never crashes; a record it
 * accepts writes out (box_record_to_json) as JSON that loads to an equal
 * record. */

#include "fuzz_common.h"

#include "sandbox/settings/box_record.h"

static gboolean
settings_equal (GHashTable *a, GHashTable *b)
{
  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (value, g_hash_table_lookup (b, key)) != 0)
      return FALSE;
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_init_once ();
  g_autoptr (GError) error = NULL;
  g_autoptr (BoxRecord) record = box_record_from_json ((const char *) data, size, &error);
  if (record == NULL)
    {
      FUZZ_CHECK (error != NULL, "failed without an error");
      return 0;
    }
  FUZZ_CHECK (record->name != NULL && record->cmd != NULL && record->settings != NULL,
              "accepted record with a NULL field");

  g_autofree char *json = box_record_to_json (record);
  FUZZ_CHECK (json != NULL, "to_json gave NULL");
  g_autoptr (GError) again_error = NULL;
  g_autoptr (BoxRecord) again = box_record_from_json (json, strlen (json), &again_error);
  FUZZ_CHECK (again != NULL, "its own JSON is refused: %s\n%s", again_error->message, json);
  FUZZ_CHECK (strcmp (record->name, again->name) == 0, "name '%s' became '%s'", record->name,
              again->name);
  FUZZ_CHECK (strcmp (record->cmd, again->cmd) == 0, "cmd '%s' became '%s'", record->cmd,
              again->cmd);
  FUZZ_CHECK (record->uid == again->uid && record->gid == again->gid
                  && record->owner_uid == again->owner_uid && record->owner_gid == again->owner_gid,
              "ids changed");
  FUZZ_CHECK (settings_equal (record->settings, again->settings), "settings changed\n%s", json);
  return 0;
}
