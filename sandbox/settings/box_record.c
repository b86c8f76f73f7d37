#include "box_record.h"

#include "sandbox/sandbox_error.h"

#include <json-glib/json-glib.h>

BoxRecord *
box_record_new (void)
{
  BoxRecord *record = g_new0 (BoxRecord, 1);
  record->settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  record->cmd = g_strdup ("");
  record->source = g_strdup ("");
  record->mode = BOX_DEFAULT_MODE;
  return record;
}

void
box_record_free (BoxRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->name);
  g_hash_table_unref (record->settings);
  g_free (record->cmd);
  g_free (record->source);
  g_free (record);
}

char *
box_record_to_json (const BoxRecord *record)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, BOX_RECORD_VERSION);
  json_builder_set_member_name (builder, "generation");
  json_builder_add_int_value (builder, (gint64) record->generation);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, record->name);
  json_builder_set_member_name (builder, "uid");
  json_builder_add_int_value (builder, record->uid);
  json_builder_set_member_name (builder, "gid");
  json_builder_add_int_value (builder, record->gid);
  json_builder_set_member_name (builder, "owner_uid");
  json_builder_add_int_value (builder, record->owner_uid);
  json_builder_set_member_name (builder, "owner_gid");
  json_builder_add_int_value (builder, record->owner_gid);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_int_value (builder, record->mode);
  json_builder_set_member_name (builder, "cmd");
  json_builder_add_string_value (builder, record->cmd);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, record->source);

  /* Sorted, so that the same settings always give the same file. */
  json_builder_set_member_name (builder, "settings");
  json_builder_begin_object (builder);
  g_autoptr (GList) names = g_hash_table_get_keys (record->settings);
  names = g_list_sort (names, (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, g_hash_table_lookup (record->settings, l->data));
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

static gboolean
invalid (GError **error, const char *what)
{
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "box state: %s", what);
  return FALSE;
}

static gboolean
get_string (JsonObject *object, const char *member, char **out, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *what = g_strdup_printf ("'%s' is missing or not a string", member);
      return invalid (error, what);
    }
  g_free (*out);
  *out = json_node_dup_string (node);
  return TRUE;
}

static gboolean
get_id (JsonObject *object, const char *member, guint32 *out, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 0
      || json_node_get_int (node) >= G_MAXUINT32)
    {
      g_autofree char *what = g_strdup_printf ("'%s' is missing or not a uid/gid", member);
      return invalid (error, what);
    }
  *out = (guint32) json_node_get_int (node);
  return TRUE;
}

/* A whole number from 0 to max that older files may lack: *out keeps its
 * default then. */
static gboolean
get_optional_number (JsonObject *object, const char *member, gint64 max, const char *what,
                     gint64 *out, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < 0 || json_node_get_int (node) > max)
    {
      g_autofree char *message = g_strdup_printf ("'%s' is not %s", member, what);
      return invalid (error, message);
    }
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_generation (JsonObject *object, guint64 *out, GError **error)
{
  gint64 generation = 0;
  if (!get_optional_number (object, "generation", G_MAXINT64, "a whole number", &generation, error))
    return FALSE;
  *out = (guint64) generation;
  return TRUE;
}

static gboolean
get_mode (JsonObject *object, guint *out, GError **error)
{
  gint64 mode = *out;
  if (!get_optional_number (object, "mode", 0777, "a mode from 0 to 0777", &mode, error))
    return FALSE;
  *out = (guint) mode;
  return TRUE;
}

static gboolean
get_settings (JsonObject *object, GHashTable *settings, GError **error)
{
  JsonNode *node = json_object_get_member (object, "settings");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "'settings' is missing or not an object");

  JsonObject *members = json_node_get_object (node);
  g_autoptr (GList) names = json_object_get_members (members);
  for (GList *l = names; l != NULL; l = l->next)
    {
      char *text = NULL;
      if (!get_string (members, l->data, &text, error))
        return FALSE;
      g_hash_table_insert (settings, g_strdup (l->data), text);
    }
  return TRUE;
}

BoxRecord *
box_record_from_json (const char *data, gsize length, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) parse_error = NULL;
  if (length > G_MAXSSIZE || !json_parser_load_from_data (parser, data, length, &parse_error))
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "box state is not JSON: %s",
                   parse_error ? parse_error->message : "too large");
      return NULL;
    }

  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return invalid (error, "not a JSON object"), NULL;
  JsonObject *object = json_node_get_object (root);

  JsonNode *version = json_object_get_member (object, "version");
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version)
      || json_node_get_value_type (version) != G_TYPE_INT64
      || json_node_get_int (version) != BOX_RECORD_VERSION)
    return invalid (error, "unknown version"), NULL;

  g_autoptr (BoxRecord) record = box_record_new ();
  if (!get_string (object, "name", &record->name, error)
      || !get_id (object, "uid", &record->uid, error)
      || !get_id (object, "gid", &record->gid, error)
      || !get_id (object, "owner_uid", &record->owner_uid, error)
      || !get_id (object, "owner_gid", &record->owner_gid, error)
      || !get_mode (object, &record->mode, error)
      || !get_generation (object, &record->generation, error)
      || !get_string (object, "cmd", &record->cmd, error)
      /* Optional: files saved before the source file have none. */
      || (json_object_has_member (object, "source")
          && !get_string (object, "source", &record->source, error))
      || !get_settings (object, record->settings, error))
    return NULL;
  return g_steal_pointer (&record);
}
