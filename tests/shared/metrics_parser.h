#pragma once

#include <glib.h>

/* What Prometheus' reference parser (Debian's python3-prometheus-client,
 * with /usr/bin/python3, whose package it is) reads in text: "TYPE family
 * type" per family and "name{label=value,...} value" per sample, one a
 * line. NULL, with the test skipped, when that parser is not installed. */
char *metrics_parse (const char *text);

/* Fails the test unless the parser read the line. */
void metrics_assert_line (const char *parsed, const char *line);
