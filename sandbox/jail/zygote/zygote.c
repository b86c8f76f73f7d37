/* The zygote: a small static program the daemon starts once
 * (jail_spawner.h) and asks for each jail. It forks the jail's proxy
 * into new namespaces, as a child of the daemon (CLONE_PARENT), and says
 * its pid.
 *
 * Why a program of its own: a proxy forked from the daemon was a copy of
 * the daemon's address space. Copying it, the copy-on-write faults it
 * left in the daemon (each with a TLB shootdown across its threads) and
 * tearing it down were the largest CPU cost of a run (perf). This
 * process's memory is a few pages, and its only thread is this one.
 *
 * Usage: isolatefs-zygote SOCKET FILTER, two descriptor numbers: the
 * SOCK_SEQPACKET socket to the daemon, and a memfd holding the system call
 * filter as BPF (syscall_filter.h), which the zygote installs on itself.
 * Exits when the daemon closes the socket, or dies. */
#include "proxy.h"

#include "sandbox/jail/shared/jail_wire.h"

#include <errno.h>
#include <grp.h>
#include <linux/seccomp.h>
#include <linux/filter.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The proxy needs little stack: it makes system calls and formats messages
 * into buffers of PATH_MAX or so. */
#define PROXY_STACK_SIZE (256 * 1024)

/* Each proxy runs on its own copy of this (no CLONE_VM); the zygote never
 * touches it, so it costs nothing until a proxy does. */
static char proxy_stack[PROXY_STACK_SIZE] __attribute__ ((aligned (16)));

/* Only namespaces may be asked for. */
#define NAMESPACE_FLAGS (CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET)

/* On the daemon's standard error, its log: the daemon only sees the
 * zygote's socket close. */
static bool
complain (const char *what, const char *object)
{
  fprintf (stderr, "isolatefs-zygote: cannot %s %s: %s\n", what, object, strerror (errno));
  return false;
}

static int
parse_fd (const char *text)
{
  char *end;
  long fd = strtol (text, &end, 10);
  return *text != '\0' && *end == '\0' && fd >= 0 && fd < 1 << 20 ? (int) fd : -1;
}

/* The filter (syscall_filter.h), read from its memfd. Root may install it
 * without no_new_privs; nothing the zygote or a proxy does is refused. */
static bool
install_filter (int filter_fd)
{
  struct stat st;
  if (fstat (filter_fd, &st) < 0)
    return complain ("read", "the system call filter");
  if (st.st_size == 0 || st.st_size % sizeof (struct sock_filter) != 0
      || st.st_size > 0xffff * (off_t) sizeof (struct sock_filter))
    return errno = EPROTO, complain ("read", "the system call filter");
  struct sock_fprog filter = {
    .len = st.st_size / sizeof (struct sock_filter),
    .filter = malloc (st.st_size),
  };
  bool ok = filter.filter != NULL
                && pread (filter_fd, filter.filter, st.st_size, 0) == st.st_size
                && prctl (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter, 0, 0) == 0;
  free (filter.filter);
  close (filter_fd);
  return ok || complain ("install", "the system call filter");
}

/* What no jail may have, taken from the zygote once, so that every
 * proxy and program inherits it: the capability bounding set (it limits
 * what an exec can grant; the effective set, still full, is what the
 * proxy and the program-to-be work with until the program drops it), the
 * supplementary groups and the system call filter. Per jail these took
 * a system call per capability, and a filter attached (77 us, traced). */
static bool
give_up_for_every_sandbox (int filter_fd)
{
  for (int cap = 0;; cap++)
    if (prctl (PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
      {
        if (errno == EINVAL)
          break; /* past the last capability the kernel knows */
        return complain ("drop", "the capability bounding set");
      }
  if (setgroups (0, NULL) < 0)
    return complain ("drop", "supplementary groups");
  return install_filter (filter_fd);
}

/* Points args at the payload: the mounts, then the strings. */
static int
decode_payload (const JailSpawnRequest *request, char *payload, JailProxyArgs *args,
                JailMount *mounts)
{
  size_t table_size = request->n_mounts * sizeof (JailSpawnMount);
  uint32_t n_strings = 1 + 2 * request->n_mounts + request->n_cgroups + request->birth_cgroup;
  char **strings = calloc (n_strings, sizeof (char *));
  if (strings == NULL)
    return ENOMEM;
  bool ok
      = table_size < request->payload_size
        && jail_wire_split_strings (payload, request->payload_size, table_size, strings, n_strings);
  if (ok)
    {
      const JailSpawnMount *table = (const JailSpawnMount *) payload;
      args->root_dir = strings[0];
      for (uint32_t i = 0; i < request->n_mounts; i++)
        mounts[i] = (JailMount){
          .inside = strings[1 + 2 * i],
          .source = strings[2 + 2 * i][0] != '\0' ? strings[2 + 2 * i] : NULL,
          .flags = table[i].flags,
          .kind = table[i].kind,
        };
      for (uint32_t i = 0; i < request->n_cgroups; i++)
        args->cgroup_procs[i] = strings[1 + 2 * request->n_mounts + i];
      if (request->birth_cgroup)
        args->birth_cgroup = strings[1 + 2 * request->n_mounts + request->n_cgroups];
    }
  free (strings);
  return ok ? 0 : EPROTO;
}

/* The request's descriptors, by their slots (jail_protocol.h). */
static int
take_fds (const JailSpawnRequest *request, const int *fds, int n_fds, JailProxyArgs *args)
{
  if (n_fds != jail_spawn_n_fds (request))
    return EPROTO;
  args->report_fd = fds[JAIL_SPAWN_FD_REPORT];
  args->status_fd = fds[JAIL_SPAWN_FD_STATUS];
  args->launch_fd = fds[JAIL_SPAWN_FD_LAUNCH];
  args->go_fd = fds[JAIL_SPAWN_FD_GO];
  int netns_slot = jail_spawn_netns_slot (request);
  int template_slot = jail_spawn_template_slot (request);
  args->netns_fd = netns_slot >= 0 ? fds[netns_slot] : -1;
  args->template_fd = template_slot >= 0 ? fds[template_slot] : -1;
  args->root_mode = request->root_mode;
  args->n_cgroups = request->n_cgroups;
  for (uint32_t i = 0; i < request->n_cgroups; i++)
    args->cgroup_fds[i] = fds[jail_spawn_cgroups_slot (request) + i];
  int birth_slot = jail_spawn_birth_cgroup_slot (request);
  args->birth_cgroup_fd = birth_slot >= 0 ? fds[birth_slot] : -1;
  return 0;
}

/* Forks the proxy of one request; its pid, or -1 with errno set. births:
 * the zygote's filter leaves clone3 open (JAIL_ZYGOTE_BIRTHS). */
static pid_t
spawn (const JailSpawnRequest *request, const int *fds, int n_fds, int daemon_fd, bool births)
{
  JailProxyArgs args = {
    .uid = request->uid,
    .gid = request->gid,
    .share_net = request->share_net != 0,
    .join_at_launch = request->join_at_launch != 0,
    .daemon_fd = daemon_fd,
    .refuse_clone3 = births,
  };
  int status = 0;
  if (request->magic != JAIL_SPAWN_MAGIC || request->n_cgroups > JAIL_SPAWN_MAX_CGROUPS
      || (request->birth_cgroup && !births) || request->n_mounts > JAIL_MAX_MOUNTS
      || (request->clone_flags & ~NAMESPACE_FLAGS) != 0 || request->uid == 0 || request->gid == 0
      || request->root_mode > JAIL_ROOT_FROM_TEMPLATE
      /* A template is joined, never copied from the zygote's own tree. */
      || !(request->clone_flags & CLONE_NEWNS) != (request->root_mode == JAIL_ROOT_FROM_TEMPLATE))
    status = EPROTO;
  if (status == 0)
    status = take_fds (request, fds, n_fds, &args);
  char *payload = MAP_FAILED;
  if (status == 0)
    status = jail_wire_map_payload (fds[JAIL_SPAWN_FD_PAYLOAD], request->payload_size, &payload);
  JailMount *mounts = status == 0 ? calloc (request->n_mounts + 1, sizeof (JailMount)) : NULL;
  if (status == 0 && mounts == NULL)
    status = ENOMEM;
  if (status == 0)
    status = decode_payload (request, payload, &args, mounts);
  args.mounts = mounts;
  args.n_mounts = request->n_mounts;
  args.tmpfs_kib = request->tmpfs_kib;

  pid_t pid = -1;
  /* The proxy is the daemon's child, so the daemon waits for it and kills
   * it as it always did. Its own copy of this memory holds args. */
  if (status == 0)
    pid = clone (jail_proxy_main, proxy_stack + PROXY_STACK_SIZE,
                 request->clone_flags | CLONE_PARENT | SIGCHLD, &args);
  if (status == 0 && pid < 0)
    status = errno;
  free (mounts);
  if (payload != MAP_FAILED)
    munmap (payload, request->payload_size);
  errno = status;
  return pid;
}

/* The lowest priority (jail_spawner_hurry says why), which the proxies
 * inherit until they are launched (zygote/proxy.c). */
static void
be_idle (void)
{
  struct sched_param param = { 0 };
  sched_setscheduler (0, SCHED_IDLE, &param);
}

static void
serve (int socket_fd, int daemon_fd, bool births)
{
  for (;;)
    {
      JailSpawnRequest request;
      int fds[JAIL_SPAWN_MAX_FDS];
      int n_fds = 0;
      int status = jail_wire_receive (socket_fd, &request, sizeof request, fds, JAIL_SPAWN_MAX_FDS,
                                      &n_fds);
      if (status != 0 && status != EPROTO)
        return; /* the daemon closed the socket, or it broke */
      JailSpawnReply reply = { .pid = -1, .error = status };
      if (status == 0)
        {
          reply.pid = spawn (&request, fds, n_fds, daemon_fd, births);
          reply.error = reply.pid < 0 ? errno : 0;
        }
      jail_wire_close_fds (fds, n_fds);
      if (jail_wire_send (socket_fd, &reply, sizeof reply, NULL, 0) != 0)
        return;
      be_idle (); /* hurried for this request, if at all */
    }
}

int
main (int argc, char **argv)
{
  /* If the daemon dies, so does the zygote (and every jail, for the same
   * reason: zygote/proxy.c). Its socket tells if it died before this. */
  prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  prctl (PR_SET_NAME, "jail-zygote", 0, 0, 0);
  /* The daemon blocked every signal to start us, and a signal it ignores
   * (SIGPIPE) stays ignored across exec: in every program too, unless reset.
   * Done once here, every proxy and program inherits the defaults. */
  sigset_t none;
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  for (int sig = 1; sig < NSIG; sig++)
    signal (sig, SIG_DFL); /* fails harmlessly for SIGKILL, SIGSTOP and libc's own */
  bool births = argc == 4 && strcmp (argv[3], JAIL_ZYGOTE_BIRTHS) == 0;
  int socket_fd = argc == 3 || births ? parse_fd (argv[1]) : -1;
  int filter_fd = argc == 3 || births ? parse_fd (argv[2]) : -1;
  if (socket_fd < 0 || filter_fd < 0)
    {
      fprintf (stderr, "usage: isolatefs-zygote SOCKET-FD FILTER-FD [" JAIL_ZYGOTE_BIRTHS
                       "] (started by isolatefs)\n");
      return 2;
    }
  if (!give_up_for_every_sandbox (filter_fd))
    return 1;
  /* For the proxies to tell whether the daemon is still there: their
   * parent-death signal misses a daemon that died before they set it. (If
   * the daemon is gone already, this is someone else; its socket is closed
   * too, and no proxy is made.) -1 on kernels before 5.3. */
  int daemon_fd = (int) syscall (SYS_pidfd_open, getppid (), 0);
  be_idle ();
  serve (socket_fd, daemon_fd, births);
  return 0;
}
