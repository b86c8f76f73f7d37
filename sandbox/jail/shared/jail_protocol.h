#pragma once

/* The protocol between the daemon and the processes that build a jail: the
 * zygote (sandbox/jail/zygote/), which forks each jail's proxy, the proxy,
 * and the program-to-be. Both sides include this header: the daemon with
 * GLib, the static zygote without (so nothing here may need GLib). See
 * docs/hacking.md for one run's messages in order.
 *
 * Each message is one SOCK_SEQPACKET record: a fixed header, and
 * descriptors attached to it in the order of its slots below. Variable data
 * travels in a sealed memfd, always the first descriptor: NUL-terminated
 * strings, after a table of fixed-size records if the message has one. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>

/* The PATH a program gets unless its box's env says otherwise, and the one
 * a command without '/' is looked up in when its environment has none. */
#define JAIL_DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"

/* A limit of the launch message that is not set (the settings'
 * LIMIT_UNLIMITED, which equals it). */
#define JAIL_UNLIMITED INT64_MAX

/* ---- The jail's file system: the mounts' plan ---- */

/* What a mount of the plan is. The daemon computes the plan
 * (jail_mounts.h), the proxy builds the root from it (zygote/build_root.h). */
typedef enum
{
  JAIL_MOUNT_BIND, /* bind source (a host path) */
  JAIL_MOUNT_FS,   /* mount a fresh file system of type source (proc) */
  /* A fresh, writable directory (/tmp, a tmp rule): source, a directory of
   * the box's on disk that the daemon empties after every run, bound; or,
   * without one, a tmpfs of tmpfs_kib (JailSpawnRequest), mode 1777. */
  JAIL_MOUNT_TMP,
  JAIL_MOUNT_DEV, /* a minimal /dev: null, zero, full, random, urandom */
  JAIL_MOUNT_SHM, /* /dev/shm: a tmpfs, mode 1777, memory bounded by the memory cgroup */
} JailMountKind;

/* A mount's options: the bits of the dirs rule it comes from (dir_rules.h's
 * DirRuleFlags, which jail_mounts.c checks are the same). */
typedef enum
{
  JAIL_MOUNT_FLAG_RW = 1 << 0,
  JAIL_MOUNT_FLAG_NOEXEC = 1 << 1,
  JAIL_MOUNT_FLAG_FS = 1 << 2,
  JAIL_MOUNT_FLAG_MAYBE = 1 << 3, /* skipped if the source is missing */
  JAIL_MOUNT_FLAG_DEV = 1 << 4,
  JAIL_MOUNT_FLAG_TMP = 1 << 5,
  JAIL_MOUNT_FLAG_NOREC = 1 << 6,
} JailMountFlags;

/* The most mounts a plan may have: what the zygote takes (it checks each
 * request against it), which bounds the dirs rules a box may have
 * (dir_rules.h, checked in jail_mounts.c). */
#define JAIL_MAX_MOUNTS 4096

/* One mount of the plan. */
typedef struct
{
  char *inside;   /* path under the new root, without the leading '/' */
  char *source;   /* host path for binds, file system type for JAIL_MOUNT_FS; or NULL */
  uint32_t flags; /* JailMountFlags */
  JailMountKind kind;
} JailMount;

/* A mount every run needs afresh: a tmpfs (its files are the run's) or a
 * file system like proc (bound to the run's PID namespace). The others, the
 * binds, /dev and the box's tmp directories (emptied between runs), are the
 * same for every run of a box. */
static inline bool
jail_mount_is_per_run (const JailMount *mount)
{
  return mount->kind == JAIL_MOUNT_FS || mount->kind == JAIL_MOUNT_SHM
         || (mount->kind == JAIL_MOUNT_TMP && mount->source == NULL);
}

/* The zygote's command line: SOCKET FILTER [JAIL_ZYGOTE_BIRTHS], two
 * descriptor numbers, and the word that says the filter leaves clone3 to
 * each program-to-be to refuse (jail_spawner_new). */
#define JAIL_ZYGOTE_BIRTHS "births"

/* ---- The daemon asks the zygote for a jail ---- */

#define JAIL_SPAWN_MAGIC 0x7a79676fU /* "zygo" */

/* How the proxy comes by the jail's root. A box's binds and /dev are the
 * same at every run: built once, in a mount namespace the daemon keeps (the
 * box's root template), each run then only copies it and mounts its own
 * /tmp, /proc and the like (jail_mount_is_per_run). */
typedef enum
{
  JAIL_ROOT_BUILD,          /* the whole root, in a new mount namespace */
  JAIL_ROOT_BUILD_TEMPLATE, /* the lasting part, then send the namespace (JailTemplateMessage) */
  JAIL_ROOT_FROM_TEMPLATE,  /* join the template attached; no new mount namespace */
} JailRootMode;

typedef struct
{
  uint32_t magic;
  uint32_t clone_flags; /* the namespaces to make */
  uint32_t root_mode;   /* JailRootMode */
  uint32_t uid;
  uint32_t gid;
  uint32_t share_net;
  uint32_t join_at_launch; /* jail.h, JailSetup */
  uint32_t has_netns;
  uint32_t n_mounts;
  uint32_t n_cgroups;
  uint32_t birth_cgroup; /* a cgroup v2 group the program-to-be is born into */
  uint32_t payload_size;
  uint64_t tmpfs_kib; /* the size of a JAIL_MOUNT_TMP without a source */
} JailSpawnRequest;

/* The descriptors attached to a JailSpawnRequest, by slot. The first five
 * are always there; the proxy's ends of its channels with the daemon: */
typedef enum
{
  JAIL_SPAWN_FD_PAYLOAD, /* sealed memfd: the mounts' table, then the strings */
  JAIL_SPAWN_FD_REPORT,  /* write end of the report pipe: text before the exec, then EOF */
  JAIL_SPAWN_FD_STATUS,  /* write end of the status pipe: the program's JailOutcome */
  JAIL_SPAWN_FD_LAUNCH,  /* the proxy's end of the launch socket (JailHandoverHeader) */
  JAIL_SPAWN_FD_GO,      /* an eventfd: JAIL_SIGNAL_WARM, JAIL_SIGNAL_GO */
  JAIL_SPAWN_FIXED_FDS,
} JailSpawnFd;

/* Then, in this order: the network namespace to join, if has_netns; the
 * root template, if root_mode is JAIL_ROOT_FROM_TEMPLATE; the n_cgroups
 * cgroup.procs files, opened for writing; the birth cgroup's directory, if
 * birth_cgroup. Where each is, -1 if absent: */
static inline int
jail_spawn_netns_slot (const JailSpawnRequest *request)
{
  return request->has_netns ? JAIL_SPAWN_FIXED_FDS : -1;
}

static inline int
jail_spawn_template_slot (const JailSpawnRequest *request)
{
  return request->root_mode == JAIL_ROOT_FROM_TEMPLATE
             ? JAIL_SPAWN_FIXED_FDS + (request->has_netns ? 1 : 0)
             : -1;
}

static inline int
jail_spawn_cgroups_slot (const JailSpawnRequest *request)
{
  return JAIL_SPAWN_FIXED_FDS + (request->has_netns ? 1 : 0)
         + (request->root_mode == JAIL_ROOT_FROM_TEMPLATE ? 1 : 0);
}

static inline int
jail_spawn_birth_cgroup_slot (const JailSpawnRequest *request)
{
  return request->birth_cgroup ? jail_spawn_cgroups_slot (request) + (int) request->n_cgroups : -1;
}

/* How many descriptors the request carries in all. */
static inline int
jail_spawn_n_fds (const JailSpawnRequest *request)
{
  return jail_spawn_cgroups_slot (request) + (int) request->n_cgroups
         + (request->birth_cgroup ? 1 : 0);
}

#define JAIL_SPAWN_MAX_CGROUPS 16
#define JAIL_SPAWN_MAX_FDS (JAIL_SPAWN_FIXED_FDS + 3 + JAIL_SPAWN_MAX_CGROUPS)

/* The payload: n_mounts of these, then the strings: the root directory;
 * each mount's inside and source ("" for none); each cgroup.procs path;
 * the birth cgroup's path, if there is one. */
typedef struct
{
  uint32_t kind;  /* JailMountKind */
  uint32_t flags; /* JailMountFlags */
} JailSpawnMount;

/* The zygote's answer: the proxy's pid, a child of the daemon, or -1 and
 * the errno of what failed. No descriptors. */
typedef struct
{
  int32_t pid;
  int32_t error;
} JailSpawnReply;

/* ---- The proxy gives back a box's root template ---- */

#define JAIL_TEMPLATE_MAGIC 0x746d706cU /* "tmpl" */

/* Sent by a JAIL_ROOT_BUILD_TEMPLATE proxy on its end of the launch socket
 * once the root is built and pivoted into, never before; attached, one
 * descriptor: its mount namespace. The daemon takes it up to the launch;
 * once the launch is sent it shuts the socket for reading (a later send
 * fails, EPIPE) and drops what came. */
typedef struct
{
  uint32_t magic;
} JailTemplateMessage;

/* ---- The daemon wakes the program-to-be: the go eventfd ---- */

/* What the eventfd carries: bits, summed by the eventfd. WARM: a launch is
 * coming, join the cgroups now if that was left to the launch; GO: the
 * launch message is on the socket. */
#define JAIL_SIGNAL_WARM 1
#define JAIL_SIGNAL_GO 2

/* ---- The daemon launches a prepared jail's program ---- */

#define JAIL_HANDOVER_MAGIC 0x6a61696cU /* "jail" */

/* On the launch socket, to the program-to-be. */
typedef struct
{
  uint32_t magic;
  uint32_t argc;
  uint32_t envc;
  uint32_t payload_size;
  uint32_t fd_mask; /* bit i: standard descriptor i is attached */
  uint32_t stderr_to_stdout;
  int64_t fsize_kib; /* JAIL_UNLIMITED for no limit */
  int64_t stack_kib;
  int64_t open_files;
  int64_t address_space_kib;
  int64_t core_kib;
  int64_t processes; /* RLIMIT_NPROC of the box uid, as isolate sets it */
} JailHandoverHeader;

/* Attached: the payload (argv, envp, cwd and the three stdio paths, "" for
 * none), then, in order, each standard descriptor whose bit fd_mask has. */
enum
{
  JAIL_HANDOVER_FD_PAYLOAD,
  JAIL_HANDOVER_FD_FIRST_STDIO,
};

#define JAIL_HANDOVER_MAX_FDS (JAIL_HANDOVER_FD_FIRST_STDIO + 3)

/* ---- The proxy reports the program's end: the status pipe ---- */

/* The exit code of a program-to-be that failed before its exec (having
 * said why on the report pipe, if it could), as isolate's 127 for an
 * execve failure. */
#define JAIL_PROGRAM_SETUP_FAILED 127

/* How the program ended, as the proxy reaped it: its wait status, and its
 * resource usage (with that of its reaped descendants) for max-rss and the
 * context switches. Written once, whole, before the proxy exits 0; PID 1 of
 * a PID namespace cannot die of the program's signal, so its exit code
 * could not carry both. Nothing if the proxy was killed. */
typedef struct
{
  int wait_status;
  struct rusage usage;
} JailOutcome;
