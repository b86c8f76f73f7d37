#pragma once

#include <glib.h>

/* The daemon's half of a message's payload (jail_protocol.h): strings packed
 * into a GString, then sealed into a memfd to attach to the message. */

/* Appends text and its NUL; NULL as "". */
void jail_payload_append (GString *payload, const char *text);

/* A memfd holding size bytes of data that nobody can change any more,
 * executable if asked (for execveat); -1 with error if it cannot be made. */
int jail_payload_seal (const void *data, gsize size, const char *name, gboolean executable,
                       GError **error);
