#pragma once

#include "sandbox/jail/shared/jail_protocol.h"

#include <sys/types.h>

/* The two processes of a jail (jail.h): the proxy, PID 1 of its
 * namespaces, forked by the zygote, and the program-to-be it forks. Their
 * memory is the zygote's, a small single-threaded program: nothing of the
 * daemon's is copied into them. */

/* A jail's setup as the zygote received it (jail_protocol.h). */
typedef struct
{
  uid_t uid; /* the box's ids; no supplementary groups */
  gid_t gid;
  const char *root_dir;
  bool share_net;
  bool join_at_launch;    /* jail.h */
  int netns_fd;           /* to join, or -1 */
  JailRootMode root_mode; /* jail_protocol.h */
  int template_fd;        /* the root template to join, or -1 */
  const JailMount *mounts;
  unsigned int n_mounts;
  uint64_t tmpfs_kib;                               /* of a JAIL_MOUNT_TMP without a source */
  const char *cgroup_procs[JAIL_SPAWN_MAX_CGROUPS]; /* the paths, for messages */
  int cgroup_fds[JAIL_SPAWN_MAX_CGROUPS];           /* opened by the daemon */
  int n_cgroups;
  const char *birth_cgroup; /* the group the program-to-be is born into, for messages */
  int birth_cgroup_fd;      /* its directory, opened by the daemon; or -1 */
  bool refuse_clone3;       /* the zygote's filter left clone3 open (JAIL_ZYGOTE_BIRTHS) */
  /* The request's fixed descriptors (JailSpawnFd). */
  int report_fd; /* write end: text before exec, then EOF */
  int status_fd; /* write end: the program's JailOutcome */
  int launch_fd; /* the program-to-be's end of the handover socket */
  int go_fd;     /* eventfd: JAIL_SIGNAL_WARM, JAIL_SIGNAL_GO */
  int daemon_fd; /* a pidfd of the daemon, readable once it has died; or -1 */
} JailProxyArgs;

/* The proxy's entry point, for clone(); never returns. */
int jail_proxy_main (void *args);
