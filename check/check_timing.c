/* What makes the same program's times differ from run to run, as IOI
 * isolate's isolate-check-environment lists them. None stops the daemon,
 * so each is a WARN at worst: a contest wants them fixed, a classroom may
 * not care. */

#include "checks.h"

#include <string.h>

void
check_aslr (GPtrArray *results)
{
  g_autofree char *value = check_read_line ("/proc/sys/kernel/randomize_va_space");
  if (value == NULL)
    check_add (results, "aslr", CHECK_OK, g_strdup ("this kernel has no ASLR setting"), NULL);
  else if (strcmp (value, "0") == 0)
    check_add (results, "aslr", CHECK_OK,
               g_strdup ("kernel.randomize_va_space=0: a program's addresses are the same at "
                         "every run"),
               NULL);
  else
    check_add (results, "aslr", CHECK_WARN,
               g_strdup_printf ("kernel.randomize_va_space=%s: a program's memory layout, and "
                                "so its cache behaviour and times, change from run to run",
                                value),
               "sysctl -w kernel.randomize_va_space=0, persisted in /etc/sysctl.d/ (this "
               "takes address randomisation from every process of the host: weigh it)");
}

void
check_cpu_frequency (GPtrArray *results)
{
  g_autoptr (GDir) cpus = g_dir_open ("/sys/devices/system/cpu", 0, NULL);
  g_autoptr (GString) scaling = g_string_new (NULL);
  guint seen = 0;
  for (const char *name; cpus != NULL && (name = g_dir_read_name (cpus)) != NULL;)
    {
      if (!g_str_has_prefix (name, "cpu") || !g_ascii_isdigit (name[3]))
        continue;
      g_autofree char *path
          = g_build_filename ("/sys/devices/system/cpu", name, "cpufreq", "scaling_governor", NULL);
      g_autofree char *governor = check_read_line (path);
      if (governor == NULL)
        continue;
      seen++;
      if (strcmp (governor, "performance") != 0)
        g_string_append_printf (scaling, "%s%s=%s", scaling->len ? ", " : "", name, governor);
    }
  if (seen == 0)
    check_add (results, "cpufreq", CHECK_OK,
               g_strdup ("no CPU frequency scaling is exposed here (a virtual machine's host "
                         "may still scale its CPUs)"),
               NULL);
  else if (scaling->len == 0)
    check_add (results, "cpufreq", CHECK_OK,
               g_strdup_printf ("all %u CPUs use the performance governor", seen), NULL);
  else
    check_add (results, "cpufreq", CHECK_WARN,
               g_strdup_printf ("CPUs whose frequency follows the load: %s; a program's time "
                                "then depends on what ran before it",
                                scaling->str),
               "for f in /sys/devices/system/cpu/cpu*/cpufreq/scaling_governor; do echo "
               "performance > $f; done (or cpupower frequency-set -g performance)");
}

void
check_turbo (GPtrArray *results)
{
  g_autofree char *no_turbo = check_read_line ("/sys/devices/system/cpu/intel_pstate/no_turbo");
  g_autofree char *boost = check_read_line ("/sys/devices/system/cpu/cpufreq/boost");
  if (no_turbo != NULL && strcmp (no_turbo, "0") == 0)
    check_add (results, "turbo", CHECK_WARN,
               g_strdup ("Intel turbo boost is on: a CPU runs faster while the others idle and "
                         "the chip is cool, so times depend on the load and the weather"),
               "echo 1 > /sys/devices/system/cpu/intel_pstate/no_turbo");
  else if (boost != NULL && strcmp (boost, "0") != 0)
    check_add (results, "turbo", CHECK_WARN,
               g_strdup ("CPU frequency boost is on: times depend on the load and the "
                         "temperature"),
               "echo 0 > /sys/devices/system/cpu/cpufreq/boost");
  else if (no_turbo == NULL && boost == NULL)
    check_add (results, "turbo", CHECK_OK, g_strdup ("no turbo or boost control is exposed here"),
               NULL);
  else
    check_add (results, "turbo", CHECK_OK, g_strdup ("turbo and boost are off"), NULL);
}

/* The selected word of "always [madvise] never". */
static char *
selected (const char *path)
{
  g_autofree char *line = check_read_line (path);
  const char *open = line ? strchr (line, '[') : NULL;
  const char *close = open ? strchr (open, ']') : NULL;
  return close ? g_strndup (open + 1, close - open - 1) : NULL;
}

void
check_transparent_hugepages (GPtrArray *results)
{
  g_autofree char *enabled = selected ("/sys/kernel/mm/transparent_hugepage/enabled");
  g_autofree char *defrag = selected ("/sys/kernel/mm/transparent_hugepage/defrag");
  if (enabled == NULL)
    check_add (results, "thp", CHECK_OK, g_strdup ("this kernel has no transparent hugepages"),
               NULL);
  else if (strcmp (enabled, "always") == 0)
    check_add (results, "thp", CHECK_WARN,
               g_strdup_printf ("transparent hugepages are always on (defrag: %s): whether a "
                                "program gets 2 MiB pages depends on how fragmented memory is, "
                                "and its time and cg-mem with it",
                                defrag ? defrag : "?"),
               "echo never > /sys/kernel/mm/transparent_hugepage/enabled (or madvise), and "
               "transparent_hugepage=never on the kernel command line to keep it");
  else
    check_add (results, "thp", CHECK_OK,
               g_strdup_printf ("transparent hugepages: %s%s", enabled,
                                strcmp (enabled, "madvise") == 0
                                    ? " (only for programs that ask for them)"
                                    : ""),
               NULL);
}
