#pragma once

#include <fuse_lowlevel.h>

/* The FUSE low-level operations of isolatefs. Each translates one filesystem
 * call into one call of the sandbox API and its GError into an errno. The
 * session's userdata is the Daemon. */
extern const struct fuse_lowlevel_ops isolatefs_ops;
