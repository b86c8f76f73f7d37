#pragma once

#include <glib.h>

/* The benchmark's side-by-side mode (issue 20): IOI isolate against this
 * project's two ways in, alternating call by call in one run, medians and
 * ratios (side_by_side.c). Needs the benchmark's instance started. */
typedef struct
{
  const char *isolate; /* isolate 1.10.1 */
  const char *compat;  /* mini-isolate-compat */
  const char *cli;     /* mini-isolate */
  int first_box;       /* isolate's box ids first_box and first_box + 1 */
  int calls;           /* per tool and row */
  int windows;         /* of each tool, alternating, in the two-box rows */
  double window_s;     /* seconds each */
} SideBySide;

/* Prints the side-by-side table; FALSE if a tool could not be set up. */
gboolean side_by_side_run (const SideBySide *config);
