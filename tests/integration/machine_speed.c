#include "machine_speed.h"

#include <stdlib.h>

static double
positive_from_env (const char *name, double otherwise)
{
  const char *text = g_getenv (name);
  double value = text ? g_ascii_strtod (text, NULL) : 0;
  return value > 0 ? value : otherwise;
}

double
machine_slowdown (void)
{
  return MAX (1.0, positive_from_env ("ISOLATEFS_TEST_SLOWDOWN", 1.0));
}

char *
machine_scaled_seconds (double seconds)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.3f", seconds * machine_slowdown ()));
}

double
machine_cpu_tick (void)
{
  return positive_from_env ("ISOLATEFS_TEST_CPU_TICK_MS", 0) / 1000;
}
