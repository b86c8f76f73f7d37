#pragma once

/* Shared by the harnesses: each defines LLVMFuzzerTestOneInput, which either
 * libFuzzer (clang, -fsanitize=fuzzer) or standalone_main.c (any compiler)
 * drives. */

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A failed property: print it and abort, so both drivers report a crash. */
#define FUZZ_CHECK(cond, ...)                                                                    \
  do                                                                                             \
    {                                                                                            \
      if (!(cond))                                                                               \
        {                                                                                        \
          fprintf (stderr, "%s:%d: property failed: %s: ", __FILE__, __LINE__, #cond);           \
          fprintf (stderr, __VA_ARGS__);                                                         \
          fputc ('\n', stderr);                                                                  \
          abort ();                                                                              \
        }                                                                                        \
    }                                                                                            \
  while (0)

/* The input as a NUL-terminated string (cut at its first NUL, as a control
 * file's text is handed to the parsers as a C string). */
static inline char *
fuzz_text (const uint8_t *data, size_t size)
{
  return g_strndup ((const char *) data, size);
}

/* GLib's criticals and warnings (a g_return_if_fail, a GError set twice) on
 * hostile input are bugs worth a crash report: print them and abort(), which
 * libFuzzer catches and saves the input for (GLib's own fatal path ends in a
 * SIGTRAP that libFuzzer does not catch). */
static inline GLogWriterOutput
fuzz_log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  GLogWriterOutput out = g_log_writer_standard_streams (level, fields, n_fields, data);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      fprintf (stderr, "GLib warning or critical: aborting\n");
      abort ();
    }
  return out;
}

static inline void
fuzz_init_once (void)
{
  static gboolean done = FALSE;
  if (done)
    return;
  done = TRUE;
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}
