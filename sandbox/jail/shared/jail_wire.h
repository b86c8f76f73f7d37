#pragma once

#include <glib.h>

/* The messages between the daemon and the processes that build a sandbox:
 * the zygote (sandbox/jail/zygote/), which forks the proxies, and the
 * program-to-be. Compiled into both sides; the zygote links no GLib, so
 * this file uses its types only. Each message is one SOCK_SEQPACKET
 * record: a fixed header, and descriptors attached to it. Variable data
 * travels in a sealed memfd, the first descriptor: NUL-terminated strings,
 * after a table of fixed-size records if the message has one. */

/* ---- The daemon asks the zygote for a sandbox ---- */

#define JAIL_SPAWN_MAGIC 0x7a79676fU /* "zygo" */

/* How the proxy comes by the sandbox's root. A box's binds and /dev are the
 * same at every run: built once, in a mount namespace the daemon keeps (the
 * box's root template), each run then only copies it and mounts its own
 * /tmp, /proc and the like (jail_mount_is_per_run). */
typedef enum
{
  JAIL_ROOT_BUILD,          /* the whole root, in a new mount namespace */
  JAIL_ROOT_BUILD_TEMPLATE, /* the lasting part, then send the namespace (JailTemplateMessage) */
  JAIL_ROOT_FROM_TEMPLATE,  /* join the template attached; no new mount namespace */
} JailRootMode;

/* Attached in this order: the payload, the report, status, launch and go
 * descriptors (zygote/proxy.h), the network namespace to join if has_netns,
 * the root template if root_mode is JAIL_ROOT_FROM_TEMPLATE, then the
 * n_cgroups cgroup.procs files. */
typedef struct
{
  guint32 magic;
  guint32 clone_flags; /* the namespaces to make */
  guint32 root_mode;   /* JailRootMode */
  guint32 uid;
  guint32 gid;
  guint32 share_net;
  guint32 join_at_launch;
  guint32 has_netns;
  guint32 n_mounts;
  guint32 n_cgroups;
  guint32 payload_size;
} JailSpawnRequest;

/* The payload: n_mounts of these, then the strings: the root directory;
 * each mount's inside and source ("" for none); each cgroup.procs path. */
typedef struct
{
  guint32 kind;  /* JailMountKind */
  guint32 flags; /* DirRuleFlags */
} JailSpawnMount;

#define JAIL_SPAWN_FIXED_FDS 5
#define JAIL_SPAWN_MAX_CGROUPS 16
#define JAIL_SPAWN_MAX_FDS (JAIL_SPAWN_FIXED_FDS + 2 + JAIL_SPAWN_MAX_CGROUPS)

/* The zygote's answer: the proxy's pid, a child of the daemon, or -1 and
 * the errno of what failed. */
typedef struct
{
  gint32 pid;
  gint32 error;
} JailSpawnReply;

/* ---- The proxy gives back a box's root template ---- */

#define JAIL_TEMPLATE_MAGIC 0x746d706cU /* "tmpl" */

/* Sent by a JAIL_ROOT_BUILD_TEMPLATE proxy on its end of the launch socket
 * once the root is built and pivoted into, never before; attached: its
 * mount namespace. */
typedef struct
{
  guint32 magic;
} JailTemplateMessage;

/* ---- The daemon launches a prepared sandbox's program ---- */

#define JAIL_HANDOVER_MAGIC 0x6a61696cU /* "jail" */

/* Attached: the payload (argv, envp, cwd and the three stdio paths, "" for
 * none), then the standard descriptors given as descriptors. */
typedef struct
{
  guint32 magic;
  guint32 argc;
  guint32 envc;
  guint32 payload_size;
  guint32 fd_mask; /* bit i: standard descriptor i is attached */
  guint32 stderr_to_stdout;
  gint64 fsize_kib;
  gint64 stack_kib;
  gint64 open_files;
} JailHandoverHeader;

#define JAIL_HANDOVER_MAX_FDS 4

/* ---- Both sides ---- */

/* Sends one message: header and descriptors. 0, or an errno. */
int jail_wire_send (int socket_fd, const void *header, size_t size, const int *fds, int n_fds);

/* Receives one message of exactly size bytes, with at most max_fds
 * descriptors (close-on-exec). 0; ECONNRESET if the peer closed the
 * socket; EPROTO for a message of another size, or with too many
 * descriptors (none of them kept); or an errno. */
int jail_wire_receive (int socket_fd, void *header, size_t size, int *fds, int max_fds, int *n_fds);

/* Maps a payload of size bytes, private and writable, for as long as the
 * process lives (or until the caller unmaps it). 0, or an errno. */
int jail_wire_map_payload (int memfd, guint32 size, char **payload);

/* Points strings at the n NUL-terminated strings that start at offset of
 * the payload; FALSE unless the last one ends it exactly. */
gboolean jail_wire_split_strings (char *payload, guint32 size, guint32 offset, char **strings,
                                  guint32 n);
