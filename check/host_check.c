#include "host_check.h"

#include "checks.h"

#include <stdarg.h>
#include <string.h>

static void
check_result_free (gpointer data)
{
  CheckResult *result = data;
  g_free (result->finding);
  g_free (result->fix);
  g_free (result);
}

void
check_add (GPtrArray *results, const char *name, CheckOutcome outcome, char *finding,
           const char *fix_format, ...)
{
  CheckResult *result = g_new0 (CheckResult, 1);
  result->name = name;
  result->outcome = outcome;
  result->finding = finding;
  if (fix_format != NULL)
    {
      va_list args;
      va_start (args, fix_format);
      result->fix = g_strdup_vprintf (fix_format, args);
      va_end (args);
    }
  g_ptr_array_add (results, result);
}

char *
check_read_line (const char *path)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  char *newline = strchr (text, '\n');
  if (newline != NULL)
    *newline = '\0';
  return g_steal_pointer (&text);
}

GPtrArray *
host_check_run (const CheckSettings *settings)
{
  GPtrArray *results = g_ptr_array_new_with_free_func (check_result_free);
  check_root (results);
  check_cgroups (results, settings);
  check_swap (results, settings);
  check_fuse (results);
  check_loop_devices (results, settings);
  check_namespaces (results);
  check_user_namespaces (results);
  check_aslr (results);
  check_cpu_frequency (results);
  check_turbo (results);
  check_transparent_hugepages (results);
  check_core_pattern (results);
  check_uid_range (results, settings);
  check_state_dir (results, settings);
  check_state_lock (results, settings);
  return results;
}

static const char *const outcome_names[] = {
  [CHECK_OK] = "OK",
  [CHECK_WARN] = "WARN",
  [CHECK_FAIL] = "FAIL",
};

void
host_check_print (const GPtrArray *results, FILE *out)
{
  guint counts[G_N_ELEMENTS (outcome_names)] = { 0 };
  for (guint i = 0; i < results->len; i++)
    {
      const CheckResult *result = g_ptr_array_index (results, i);
      counts[result->outcome]++;
      fprintf (out, "%-4s %s: %s\n", outcome_names[result->outcome], result->name, result->finding);
      if (result->fix != NULL)
        fprintf (out, "     fix: %s\n", result->fix);
    }
  fprintf (out, "%u OK, %u WARN, %u FAIL\n", counts[CHECK_OK], counts[CHECK_WARN],
           counts[CHECK_FAIL]);
}

int
host_check_exit_status (const GPtrArray *results)
{
  for (guint i = 0; i < results->len; i++)
    if (((const CheckResult *) g_ptr_array_index (results, i))->outcome == CHECK_FAIL)
      return 1;
  return 0;
}
