/* sandbox/settings/box_record.c: a box's saved state as JSON, and what loading refuses. */
#include "sandbox/settings/box_record.h"
#include "sandbox/sandbox_error.h"

#include <json-glib/json-glib.h>
#include <string.h>

static BoxRecord *
sample_record (void)
{
  BoxRecord *record = box_record_new ();
  record->name = g_strdup ("alice1");
  record->uid = 60001;
  record->gid = 60002;
  record->owner_uid = 1000;
  record->owner_gid = 1001;
  g_free (record->cmd);
  record->cmd = g_strdup ("./a.out 'two words' \"quoted\" \\back\nslash");
  g_free (record->source);
  record->source = g_strdup ("hello world.c");
  record->generation = 12345678901;
  g_hash_table_insert (record->settings, g_strdup ("mem"), g_strdup ("131072"));
  g_hash_table_insert (record->settings, g_strdup ("time"), g_strdup ("1.500"));
  g_hash_table_insert (record->settings, g_strdup ("env"), g_strdup ("A=1\nB=\"x\"\n"));
  g_hash_table_insert (record->settings, g_strdup ("dirs"), g_strdup (""));
  return record;
}

static BoxRecord *
from_json_ok (const char *json)
{
  g_autoptr (GError) error = NULL;
  BoxRecord *record = box_record_from_json (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

static void
assert_records_equal (const BoxRecord *a, const BoxRecord *b)
{
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpuint (a->uid, ==, b->uid);
  g_assert_cmpuint (a->gid, ==, b->gid);
  g_assert_cmpuint (a->owner_uid, ==, b->owner_uid);
  g_assert_cmpuint (a->owner_gid, ==, b->owner_gid);
  g_assert_cmpstr (a->cmd, ==, b->cmd);
  g_assert_cmpstr (a->source, ==, b->source);
  g_assert_cmpuint (a->generation, ==, b->generation);
  g_assert_cmpuint (g_hash_table_size (a->settings), ==, g_hash_table_size (b->settings));
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, a->settings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpstr (g_hash_table_lookup (b->settings, key), ==, value);
}

static void
assert_refused (const char *json)
{
  g_autoptr (GError) error = NULL;
  g_test_message ("refusing: %s", json);
  g_autoptr (BoxRecord) record = box_record_from_json (json, strlen (json), &error);
  g_assert_null (record);
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
}

/* The sample record's JSON with one member replaced by value_json, or
 * removed if value_json is NULL. */
static char *
sample_json_with (const char *member, const char *value_json)
{
  g_autoptr (BoxRecord) record = sample_record ();
  g_autofree char *json = box_record_to_json (record);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = json_from_string (json, &error);
  g_assert_no_error (error);
  JsonObject *object = json_node_get_object (root);
  g_assert_true (json_object_has_member (object, member));
  if (value_json == NULL)
    json_object_remove_member (object, member);
  else
    {
      JsonNode *value = json_from_string (value_json, &error);
      g_assert_no_error (error);
      json_object_set_member (object, member, value);
    }
  return json_to_string (root, FALSE);
}

static void
assert_refused_with (const char *member, const char *value_json)
{
  g_autofree char *json = sample_json_with (member, value_json);
  assert_refused (json);
}

static void
test_round_trip_keeps_every_field (void)
{
  g_autoptr (BoxRecord) record = sample_record ();
  g_autofree char *json = box_record_to_json (record);
  g_autoptr (BoxRecord) loaded = from_json_ok (json);
  assert_records_equal (record, loaded);
  assert_records_equal (loaded, record);
}

static void
test_round_trip_empty_settings_and_cmd (void)
{
  g_autoptr (BoxRecord) record = box_record_new ();
  record->name = g_strdup ("b");
  g_autofree char *json = box_record_to_json (record);
  g_autoptr (BoxRecord) loaded = from_json_ok (json);
  assert_records_equal (record, loaded);
  g_assert_cmpstr (loaded->cmd, ==, "");
  g_assert_cmpuint (g_hash_table_size (loaded->settings), ==, 0);
}

static void
test_round_trip_largest_ids (void)
{
  g_autoptr (BoxRecord) record = sample_record ();
  record->uid = G_MAXUINT32 - 1;
  record->gid = G_MAXUINT32 - 1;
  record->owner_uid = 0;
  record->owner_gid = 0;
  g_autofree char *json = box_record_to_json (record);
  g_autoptr (BoxRecord) loaded = from_json_ok (json);
  assert_records_equal (record, loaded);
}

static void
test_json_has_version (void)
{
  g_autoptr (BoxRecord) record = sample_record ();
  g_autofree char *json = box_record_to_json (record);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = json_from_string (json, &error);
  g_assert_no_error (error);
  JsonObject *object = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, BOX_RECORD_VERSION);
}

static void
test_same_settings_give_same_json (void)
{
  /* Insertion order does not show in the file. */
  g_autoptr (BoxRecord) a = sample_record ();
  g_autoptr (BoxRecord) b = sample_record ();
  const char *const names[] = { "zeta", "alpha", "mu", "beta", "omega", "k" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_hash_table_insert (a->settings, g_strdup (names[i]), g_strdup ("1"));
      g_hash_table_insert (b->settings, g_strdup (names[G_N_ELEMENTS (names) - 1 - i]),
                           g_strdup ("1"));
    }
  g_autofree char *json_a = box_record_to_json (a);
  g_autofree char *json_b = box_record_to_json (b);
  g_assert_cmpstr (json_a, ==, json_b);
}

static void
test_refuses_not_json (void)
{
  assert_refused ("");
  assert_refused ("{");
  assert_refused ("not json");
  assert_refused ("{\"version\": 1,}x");
}

static void
test_refuses_not_an_object (void)
{
  assert_refused ("[]");
  assert_refused ("[{\"version\": 1}]");
  assert_refused ("\"box\"");
  assert_refused ("1");
  assert_refused ("null");
}

static void
test_refuses_wrong_version (void)
{
  assert_refused_with ("version", "2");
  assert_refused_with ("version", "0");
  assert_refused_with ("version", "-1");
  assert_refused_with ("version", "\"1\"");
  assert_refused_with ("version", "1.0");
  assert_refused_with ("version", "true");
  assert_refused_with ("version", "null");
  assert_refused_with ("version", NULL);
}

static void
test_refuses_missing_fields (void)
{
  const char *const members[]
      = { "name", "uid", "gid", "owner_uid", "owner_gid", "cmd", "settings" };
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    assert_refused_with (members[i], NULL);
}

static void
test_refuses_mistyped_strings (void)
{
  const char *const members[] = { "name", "cmd", "source" };
  const char *const values[] = { "5", "null", "true", "[]", "{}", "[\"a\"]" };
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    for (guint j = 0; j < G_N_ELEMENTS (values); j++)
      assert_refused_with (members[i], values[j]);
}

static void
test_source_is_optional (void)
{
  /* Saved before the source file existed: no source, read as none. */
  g_autofree char *json = sample_json_with ("source", NULL);
  g_autoptr (BoxRecord) record = from_json_ok (json);
  g_assert_cmpstr (record->source, ==, "");
}

static void
test_refuses_mistyped_ids (void)
{
  const char *const members[] = { "uid", "gid", "owner_uid", "owner_gid" };
  const char *const values[] = { "\"60000\"", "1.5", "60000.0", "null", "true", "[1]", "{}" };
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    for (guint j = 0; j < G_N_ELEMENTS (values); j++)
      assert_refused_with (members[i], values[j]);
}

static void
test_refuses_ids_out_of_range (void)
{
  const char *const members[] = { "uid", "gid", "owner_uid", "owner_gid" };
  const char *const values[] = { "-1", "-60000", "4294967295", "4294967296", "9007199254740993" };
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    for (guint j = 0; j < G_N_ELEMENTS (values); j++)
      assert_refused_with (members[i], values[j]);
}

static void
test_refuses_settings_not_an_object (void)
{
  const char *const values[] = { "[]", "[\"mem\"]", "\"mem=1\"", "1", "null", "true" };
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    assert_refused_with ("settings", values[i]);
}

static void
test_refuses_setting_not_a_string (void)
{
  const char *const values[] = {
    "{\"mem\": 131072}",  "{\"mem\": null}", "{\"mem\": true}",
    "{\"mem\": [\"1\"]}", "{\"mem\": {}}",   "{\"time\": \"1\", \"mem\": 1.5}",
  };
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    assert_refused_with ("settings", values[i]);
}

/* Files saved before there were two have none: the oldest, 0. */
static void
test_generation_is_optional_and_whole (void)
{
  g_autofree char *without = sample_json_with ("generation", NULL);
  g_autoptr (BoxRecord) record = from_json_ok (without);
  g_assert_cmpuint (record->generation, ==, 0);
  assert_refused_with ("generation", "-1");
  assert_refused_with ("generation", "1.5");
  assert_refused_with ("generation", "\"7\"");
}

static void
test_length_bounds_the_data (void)
{
  g_autoptr (BoxRecord) record = sample_record ();
  g_autofree char *json = box_record_to_json (record);
  g_autoptr (GError) error = NULL;
  /* Only the first half: not a whole JSON document. */
  g_autoptr (BoxRecord) loaded = box_record_from_json (json, strlen (json) / 2, &error);
  g_assert_null (loaded);
  g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/box-record/round-trip/every-field", test_round_trip_keeps_every_field);
  g_test_add_func ("/box-record/source-is-optional", test_source_is_optional);
  g_test_add_func ("/box-record/generation-is-optional-and-whole",
                   test_generation_is_optional_and_whole);
  g_test_add_func ("/box-record/round-trip/empty-settings-and-cmd",
                   test_round_trip_empty_settings_and_cmd);
  g_test_add_func ("/box-record/round-trip/largest-ids", test_round_trip_largest_ids);
  g_test_add_func ("/box-record/json-has-version", test_json_has_version);
  g_test_add_func ("/box-record/same-settings-same-json", test_same_settings_give_same_json);
  g_test_add_func ("/box-record/refuses/not-json", test_refuses_not_json);
  g_test_add_func ("/box-record/refuses/not-an-object", test_refuses_not_an_object);
  g_test_add_func ("/box-record/refuses/wrong-version", test_refuses_wrong_version);
  g_test_add_func ("/box-record/refuses/missing-fields", test_refuses_missing_fields);
  g_test_add_func ("/box-record/refuses/mistyped-strings", test_refuses_mistyped_strings);
  g_test_add_func ("/box-record/refuses/mistyped-ids", test_refuses_mistyped_ids);
  g_test_add_func ("/box-record/refuses/ids-out-of-range", test_refuses_ids_out_of_range);
  g_test_add_func ("/box-record/refuses/settings-not-an-object",
                   test_refuses_settings_not_an_object);
  g_test_add_func ("/box-record/refuses/setting-not-a-string", test_refuses_setting_not_a_string);
  g_test_add_func ("/box-record/length-bounds-the-data", test_length_bounds_the_data);
  return g_test_run ();
}
