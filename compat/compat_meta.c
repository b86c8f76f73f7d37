#include "compat_meta.h"

#include "boxfs/boxfs.h"

#include <errno.h>
#include <string.h>

/* The figures isolate prints for every run that ran, in its order (its
 * final_stats() then cg_stats()). */
static const char *const stats_keys[]
    = { "time", "time-wall", "max-rss", "csw-voluntary", "csw-forced", "cg-mem" };

void
compat_verdict_free (CompatVerdict *verdict)
{
  if (verdict == NULL)
    return;
  g_free (verdict->meta);
  g_free (verdict->line);
  g_free (verdict);
}

static void
append (GString *meta, GHashTable *status, const char *key)
{
  const char *value = g_hash_table_lookup (status, key);
  if (value != NULL)
    g_string_append_printf (meta, "%s:%s\n", key, value);
}

static void
append_stats (GString *meta, GHashTable *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (stats_keys); i++)
    append (meta, status, stats_keys[i]);
  if (g_strcmp0 (g_hash_table_lookup (status, "cg-oom-killed"), "1") == 0)
    g_string_append (meta, "cg-oom-killed:1\n");
}

static const char *
lookup (GHashTable *status, const char *key, const char *fallback)
{
  const char *value = g_hash_table_lookup (status, key);
  return value != NULL ? value : fallback;
}

static CompatVerdict *
verdict_new (GString *meta, char *line, CompatExit exit_status)
{
  CompatVerdict *verdict = g_new0 (CompatVerdict, 1);
  verdict->meta = g_string_free (meta, FALSE);
  verdict->line = line;
  verdict->exit_status = exit_status;
  verdict->fatal = exit_status == COMPAT_EXIT_SANDBOX_ERROR;
  return verdict;
}

CompatVerdict *
compat_verdict_for_error (const char *message)
{
  g_autofree char *one_line = g_strdelimit (g_strdup (message), "\n", ' ');
  GString *meta = g_string_new (NULL);
  g_string_append_printf (meta, "status:XX\nmessage:%s\n", one_line);
  return verdict_new (meta, g_steal_pointer (&one_line), COMPAT_EXIT_SANDBOX_ERROR);
}

/* isolate's keeper reports a limit it enforced, and its own interruption,
 * through err() before it kills the run: status and message first, then
 * killed:1 and the figures. No exit code or signal of the killed program
 * is given for a time-out; a signal is (for an interruption, the one the
 * front end got). */
static CompatVerdict *
killed_verdict (GHashTable *status, const char *code, const char *message, int interrupted)
{
  GString *meta = g_string_new (NULL);
  if (interrupted != 0)
    g_string_append_printf (meta, "exitsig:%d\n", interrupted);
  else if (strcmp (code, "SG") == 0)
    append (meta, status, "exitsig");
  g_string_append_printf (meta, "status:%s\nmessage:%s\nkilled:1\n", code, message);
  append_stats (meta, status);
  return verdict_new (meta, g_strdup (message), COMPAT_EXIT_PROGRAM_FAILED);
}

/* A run that ended by itself: the figures, then how it ended. */
static CompatVerdict *
finished_verdict (GHashTable *status, const char *code)
{
  GString *meta = g_string_new (NULL);
  append_stats (meta, status);
  if (code == NULL)
    {
      append (meta, status, "exitcode");
      char *line
          = g_strdup_printf ("OK (%s sec real, %s sec wall)", lookup (status, "time", "0.000"),
                             lookup (status, "time-wall", "0.000"));
      return verdict_new (meta, line, COMPAT_EXIT_OK);
    }
  /* A time-out found after the end (within the extra time) is reported
   * before isolate looks at how the program ended. */
  if (strcmp (code, "TO") != 0)
    {
      append (meta, status, "exitcode");
      append (meta, status, "exitsig");
    }
  const char *message = lookup (status, "message", code);
  g_string_append_printf (meta, "status:%s\nmessage:%s\n", code, message);
  return verdict_new (meta, g_strdup (message), COMPAT_EXIT_PROGRAM_FAILED);
}

CompatVerdict *
compat_verdict_from_status (const char *text, gboolean cg, int interrupted, GError **error)
{
  g_autoptr (GHashTable) status = boxfs_parse_status (text);
  if (!cg)
    {
      g_hash_table_remove (status, "cg-mem");
      g_hash_table_remove (status, "cg-oom-killed");
    }
  const char *state = g_hash_table_lookup (status, "state");
  if (g_strcmp0 (state, "done") != 0)
    {
      g_set_error (error, BOXFS_ERROR, EIO, "the run did not complete (state:%s)",
                   state ? state : "?");
      return NULL;
    }
  const char *code = g_hash_table_lookup (status, "status");
  if (g_strcmp0 (code, "XX") == 0)
    return compat_verdict_for_error (lookup (status, "message", "Internal error"));
  if (interrupted != 0)
    return killed_verdict (status, "SG", "Interrupted", interrupted);
  if (code != NULL && g_strcmp0 (g_hash_table_lookup (status, "killed"), "1") == 0)
    return killed_verdict (status, code, lookup (status, "message", code), 0);
  return finished_verdict (status, code);
}
