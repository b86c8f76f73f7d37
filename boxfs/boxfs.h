#pragma once

#include <glib.h>
#include <signal.h>

/* Set (to the signal's number) by the caller's signal handler: reads waiting
 * for a run then give up with EINTR rather than retry. */
extern volatile sig_atomic_t boxfs_interrupted;

/* Access to isolatefs through its mount only: every helper is plain file I/O
 * on ROOT/BOX/FILE. Errors come back in the BOXFS_ERROR domain, whose codes
 * are the errno values the filesystem gave. */

#define BOXFS_ERROR (boxfs_error_quark ())
GQuark boxfs_error_quark (void);

/* The mount point: --root, then $MINI_ISOLATE_ROOT, then /isolate. */
const char *boxfs_root (const char *option);

/* FALSE (with a message in error) unless root is an isolatefs (FUSE) mount.
 * The message says how to name another mount point: with root_option (the
 * front end's "--root"; NULL if it has none) or $MINI_ISOLATE_ROOT. */
gboolean boxfs_check_mounted (const char *root, const char *root_option, GError **error);
/* FALSE (with a message) unless box exists under root. */
gboolean boxfs_check_box (const char *root, const char *box, GError **error);

/* Writes value to BOX/FILE in one write(2), as control files need. */
gboolean boxfs_put (const char *root, const char *box, const char *file, const char *value,
                    GError **error);
/* The whole content of BOX/FILE, or NULL. */
char *boxfs_get (const char *root, const char *box, const char *file, gboolean nonblock,
                 GError **error);
/* The same for BOX/status, which a read from its start gives whole when the
 * buffer holds it (interface.md): without a second read for the end of
 * file, a request fewer. */
char *boxfs_get_status (const char *root, const char *box, gboolean nonblock, GError **error);
/* Whether stat gives BOX/FILE (stdout or stderr) no size. A daemon with a
 * `settings` file gives their size; an older one gives 0 whatever they
 * hold, so only a client that wrote `settings` may skip reading them. */
gboolean boxfs_output_is_empty (const char *root, const char *box, const char *file);
/* Copies BOX/FILE to the descriptor out. */
gboolean boxfs_copy_out (const char *root, const char *box, const char *file, int out,
                         GError **error);
/* Replaces BOX/stdin with the content of path ("-": our standard input;
 * NULL: empty). An empty input costs only a stat when BOX/stdin is empty
 * already. */
gboolean boxfs_set_stdin (const char *root, const char *box, const char *path, GError **error);
/* Copies the host file path into BOX/box/NAME (replacing what was there,
 * without following links), owned by the box directory's owner. */
gboolean boxfs_install (const char *root, const char *box, const char *path, const char *name,
                        GError **error);

/* A status text parsed into key -> value. */
GHashTable *boxfs_parse_status (const char *text);

/* Why errno err was given, in words, for a value written to a limit. */
const char *boxfs_explain_refusal (int err);
