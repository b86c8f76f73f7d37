#include "jail.h"

#include "jail_handover.h"
#include "jail_mounts.h"
#include "jail_payload.h"
#include "jail_spawner.h"
#include "sandbox/jail/shared/jail_wire.h"
#include "sandbox/sandbox_error.h"
#include "utils/autofd.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

struct _Jail
{
  GPid pid;      /* the proxy; -1 once reaped by someone else */
  int launch_fd; /* the daemon's end of the handover socket; -1 once launched */
  int go_fd;     /* eventfd the program-to-be waits on; -1 once launched */
  gboolean warm; /* JAIL_SIGNAL_WARM sent */
  int report_fd; /* read ends */
  int status_fd;
};

static gboolean
check_setup (JailSpawner *spawner, const JailSetup *setup, GError **error)
{
  const char *problem = NULL;
  if (setup->uid == 0 || setup->gid == 0)
    problem = "a sandbox never runs as root";
  else if (setup->root_dir == NULL || setup->work_dir == NULL)
    problem = "the root and working directories are required";
  else if (setup->cgroup_procs != NULL
           && g_strv_length ((char **) setup->cgroup_procs) > JAIL_SPAWN_MAX_CGROUPS)
    problem = "too many cgroups to join";
  else if (setup->cgroup_dir != NULL && !jail_spawner_places_births (spawner))
    problem = "this spawner cannot have a program born into a cgroup";
  if (problem != NULL)
    g_set_error_literal (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, problem);
  return problem == NULL;
}

/* ---- What the zygote is given (jail_protocol.h) ---- */

/* The descriptors of a request, in their slots (JailSpawnFd and after); the
 * proxy's ends, closed once the zygote has them. */
typedef struct
{
  int fds[JAIL_SPAWN_MAX_FDS];
  int n_fds;
} SpawnFds;

static void
spawn_fds_init (SpawnFds *spawn_fds, const JailSpawnRequest *request)
{
  spawn_fds->n_fds = jail_spawn_n_fds (request);
  for (int i = 0; i < spawn_fds->n_fds; i++)
    spawn_fds->fds[i] = -1;
}

static void
spawn_fds_clear (SpawnFds *spawn_fds)
{
  for (int i = 0; i < spawn_fds->n_fds; i++)
    autofd_close (&spawn_fds->fds[i]);
  spawn_fds->n_fds = 0;
}

/* The mounts' table, then the strings, in the order jail_protocol.h gives. */
static GString *
build_payload (const JailSetup *setup, GPtrArray *plan, JailSpawnRequest *request)
{
  GString *payload = g_string_new (NULL);
  for (guint i = 0; i < plan->len; i++)
    {
      const JailMount *mount = g_ptr_array_index (plan, i);
      JailSpawnMount entry = { .kind = mount->kind, .flags = mount->flags };
      g_string_append_len (payload, (const char *) &entry, sizeof entry);
    }
  jail_payload_append (payload, setup->root_dir);
  for (guint i = 0; i < plan->len; i++)
    {
      const JailMount *mount = g_ptr_array_index (plan, i);
      jail_payload_append (payload, mount->inside);
      jail_payload_append (payload, mount->source);
    }
  for (guint i = 0; setup->cgroup_procs != NULL && setup->cgroup_procs[i] != NULL; i++)
    jail_payload_append (payload, setup->cgroup_procs[i]);
  if (setup->cgroup_dir != NULL)
    jail_payload_append (payload, setup->cgroup_dir);
  request->n_mounts = plan->len;
  return payload;
}

static JailRootMode
choose_root_mode (const JailSetup *setup, GPtrArray *plan)
{
  if (!jail_mounts_can_last (plan))
    return JAIL_ROOT_BUILD;
  if (setup->root_template_fd >= 0)
    return JAIL_ROOT_FROM_TEMPLATE;
  return setup->make_root_template ? JAIL_ROOT_BUILD_TEMPLATE : JAIL_ROOT_BUILD;
}

static JailSpawnRequest
describe_request (const JailSetup *setup, GPtrArray *plan)
{
  /* The namespaces are made by clone() itself, in the zygote. unshare()
   * in the proxy would wait for an RCU grace period: 5-10 ms more for a
   * box's first run, measured. A template is joined instead. */
  JailRootMode root_mode = choose_root_mode (setup, plan);
  guint32 flags = CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS;
  if (root_mode != JAIL_ROOT_FROM_TEMPLATE)
    flags |= CLONE_NEWNS;
  if (!setup->share_net && setup->netns_fd < 0)
    flags |= CLONE_NEWNET;
  JailSpawnRequest request = {
    .magic = JAIL_SPAWN_MAGIC,
    .clone_flags = flags,
    .root_mode = root_mode,
    .uid = setup->uid,
    .gid = setup->gid,
    .share_net = setup->share_net,
    .join_at_launch = setup->join_at_launch,
    .has_netns = !setup->share_net && setup->netns_fd >= 0,
    .n_cgroups = setup->cgroup_procs ? g_strv_length ((char **) setup->cgroup_procs) : 0,
    .tmpfs_kib = (guint64) setup->tmpfs_kib,
    .birth_cgroup = setup->cgroup_dir != NULL,
  };
  return request;
}

/* Opened here, where the host's /sys is in view: the jail cannot see it. */
static gboolean
open_cgroup_files (const JailSetup *setup, const JailSpawnRequest *request, int *fds,
                   GError **error)
{
  const char *const *files = setup->cgroup_procs;
  int *procs_fds = &fds[jail_spawn_cgroups_slot (request)];
  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    {
      procs_fds[i] = open (files[i], O_WRONLY | O_CLOEXEC);
      if (procs_fds[i] < 0)
        return sandbox_set_errno_error (error, errno, "open", files[i]);
    }
  int birth_slot = jail_spawn_birth_cgroup_slot (request);
  if (birth_slot < 0)
    return TRUE;
  fds[birth_slot] = open (setup->cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  return fds[birth_slot] >= 0
         || sandbox_set_errno_error (error, errno, "open cgroup", setup->cgroup_dir);
}

/* A close-on-exec pipe; the read end is the daemon's, the write end the proxy's. */
static gboolean
make_pipe (int *read_fd, int *write_fd, GError **error)
{
  int fds[2];
  if (pipe2 (fds, O_CLOEXEC) < 0)
    return sandbox_set_errno_error (error, errno, "create", "a pipe");
  *read_fd = fds[0];
  *write_fd = fds[1];
  return TRUE;
}

/* The program-to-be waits on an eventfd, not on the socket: a message on a
 * socket (or a pipe) wakes its reader as a "sync" wakeup, which the
 * scheduler takes as a hint to run it on the waker's CPU, pre-empting the
 * daemon until the program has run; an eventfd's wakeup lets it start on
 * an idle CPU while the daemon answers the cmd write. */
static gboolean
make_eventfd (int *daemon_fd, int *proxy_fd, GError **error)
{
  *daemon_fd = eventfd (0, EFD_CLOEXEC);
  if (*daemon_fd < 0)
    return sandbox_set_errno_error (error, errno, "create", "an eventfd");
  *proxy_fd = fcntl (*daemon_fd, F_DUPFD_CLOEXEC, 3);
  if (*proxy_fd < 0)
    return sandbox_set_errno_error (error, errno, "duplicate", "an eventfd");
  return TRUE;
}

static gboolean
make_socket (int *daemon_fd, int *proxy_fd, GError **error)
{
  int fds[2];
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
    return sandbox_set_errno_error (error, errno, "create", "a socket pair");
  *daemon_fd = fds[0];
  *proxy_fd = fds[1];
  return TRUE;
}

/* The zygote's copy of a namespace, in slot: the setup's own stays the
 * caller's. */
static gboolean
pass_namespace (int fd, const char *what, SpawnFds *spawn_fds, int slot, GError **error)
{
  if (slot < 0)
    return TRUE;
  spawn_fds->fds[slot] = fcntl (fd, F_DUPFD_CLOEXEC, 3);
  return spawn_fds->fds[slot] >= 0 || sandbox_set_errno_error (error, errno, "duplicate", what);
}

/* The daemon's ends go in jail; the proxy's in their slots of spawn_fds. */
static gboolean
make_channels (const JailSetup *setup, const JailSpawnRequest *request, Jail *jail,
               SpawnFds *spawn_fds, GError **error)
{
  int *fds = spawn_fds->fds;
  return make_pipe (&jail->report_fd, &fds[JAIL_SPAWN_FD_REPORT], error)
         && make_pipe (&jail->status_fd, &fds[JAIL_SPAWN_FD_STATUS], error)
         && make_socket (&jail->launch_fd, &fds[JAIL_SPAWN_FD_LAUNCH], error)
         && make_eventfd (&jail->go_fd, &fds[JAIL_SPAWN_FD_GO], error)
         && pass_namespace (setup->netns_fd, "a network namespace", spawn_fds,
                            jail_spawn_netns_slot (request), error)
         && pass_namespace (setup->root_template_fd, "the box's root template", spawn_fds,
                            jail_spawn_template_slot (request), error)
         && open_cgroup_files (setup, request, fds, error);
}

/* ---- The daemon's side ---- */

Jail *
jail_prepare (JailSpawner *spawner, const JailSetup *setup, GError **error)
{
  g_return_val_if_fail (setup != NULL, NULL);
  if (!check_setup (spawner, setup, error))
    return NULL;

  g_autoptr (Jail) jail = g_new (Jail, 1);
  jail->pid = -1;
  jail->launch_fd = jail->go_fd = jail->report_fd = jail->status_fd = -1;
  jail->warm = FALSE;
  g_autoptr (GPtrArray) plan = jail_mounts_plan (setup->work_dir, setup->tmp_dir, setup->dir_rules);
  if (!jail_mounts_make_tmp_dirs (plan, setup->tmp_dir, error))
    return NULL;
  JailSpawnRequest request = describe_request (setup, plan);
  g_autoptr (GString) payload = build_payload (setup, plan, &request);
  request.payload_size = payload->len;
  SpawnFds spawn_fds;
  spawn_fds_init (&spawn_fds, &request);
  int *payload_fd = &spawn_fds.fds[JAIL_SPAWN_FD_PAYLOAD];
  *payload_fd = jail_payload_seal (payload->str, payload->len, "jail-setup", FALSE, error);
  gboolean ok = *payload_fd >= 0 && make_channels (setup, &request, jail, &spawn_fds, error);
  if (ok)
    {
      jail->pid = jail_spawner_spawn (spawner, &request, spawn_fds.fds, spawn_fds.n_fds, error);
      ok = jail->pid > 0;
    }
  /* The proxy's ends too: each pipe then ends when the proxy's side is done. */
  spawn_fds_clear (&spawn_fds);
  return ok ? g_steal_pointer (&jail) : NULL;
}

/* Closes the daemon's end of the launch socket once the launch is sent.
 * A proxy building the box's root template sends it on this socket when
 * the tree is complete, which under load is after jail_take_root_template()
 * looked. Closed with that message unread, the socket reset the proxy's end
 * (the kernel sets ECONNRESET on the peer of a socket closed with data
 * queued), and a program-to-be that had already seen its launch waiting
 * then failed to receive it: it ended as a jail thrown away (exit 127, no
 * report). So the proxy is stopped from sending more (its send then fails,
 * which it takes as "no template wanted"), what it sent is dropped (the
 * next jail builds a template again), and only then is the end closed. */
static void
close_launch_socket (Jail *jail)
{
  shutdown (jail->launch_fd, SHUT_RD);
  /* Shut down for reading, the socket answers end of file once empty. */
  int status;
  do
    {
      JailTemplateMessage message;
      int fd = -1, n_fds = 0;
      status = jail_wire_receive (jail->launch_fd, &message, sizeof message, &fd, 1, &n_fds);
      autofd_close (&fd);
    }
  while (status == 0 || status == EPROTO);
  autofd_close (&jail->launch_fd);
}

gboolean
jail_hand_over (Jail *jail, const JailLaunch *launch, GError **error)
{
  g_return_val_if_fail (jail->launch_fd >= 0, FALSE);
  gboolean sent = FALSE;
  if (launch->argv == NULL || launch->argv[0] == NULL || launch->argv[0][0] == '\0')
    g_set_error_literal (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "no program to run");
  else
    sent = jail_handover_send (jail->launch_fd, launch, error);
  /* A proxy still building the jail does so now as the run it is. */
  struct sched_param normal = { 0 };
  if (jail->pid > 0)
    sched_setscheduler (jail->pid, SCHED_OTHER, &normal);
  close_launch_socket (jail);
  /* Never told to go, the program-to-be is killed with its proxy when the
   * jail is freed. */
  if (!sent)
    autofd_close (&jail->go_fd);
  return sent;
}

gboolean
jail_go (Jail *jail, GError **error)
{
  g_return_val_if_fail (jail->go_fd >= 0, FALSE);
  static const guint64 go = JAIL_SIGNAL_GO;
  gboolean gone = write (jail->go_fd, &go, sizeof go) == sizeof go
                  || sandbox_set_errno_error (error, errno, "start", "the program");
  autofd_close (&jail->go_fd);
  return gone;
}

gboolean
jail_launch (Jail *jail, const JailLaunch *launch, GError **error)
{
  return jail_hand_over (jail, launch, error) && jail_go (jail, error);
}

gboolean
jail_warm (Jail *jail)
{
  static const guint64 warm = JAIL_SIGNAL_WARM;
  if (!jail->warm && jail->go_fd >= 0)
    jail->warm = write (jail->go_fd, &warm, sizeof warm) == sizeof warm;
  return jail->warm;
}

GPid
jail_get_pid (const Jail *jail)
{
  return jail->pid;
}

int
jail_open_netns (const Jail *jail, GError **error)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/ns/net", (int) jail->pid);
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    sandbox_set_errno_error (error, errno, "open", path);
  return fd;
}

int
jail_take_root_template (Jail *jail)
{
  struct pollfd ready = { .fd = jail->launch_fd, .events = POLLIN };
  if (jail->launch_fd < 0 || poll (&ready, 1, 0) != 1 || !(ready.revents & POLLIN))
    return -1;
  JailTemplateMessage message;
  int fd = -1, n_fds = 0;
  if (jail_wire_receive (jail->launch_fd, &message, sizeof message, &fd, 1, &n_fds) != 0)
    return -1;
  if (n_fds == 1 && message.magic == JAIL_TEMPLATE_MAGIC)
    return fd;
  autofd_close (&fd);
  return -1;
}

int
jail_get_report_fd (const Jail *jail)
{
  return jail->report_fd;
}

int
jail_get_status_fd (const Jail *jail)
{
  return jail->status_fd;
}

void
jail_proxy_reaped (Jail *jail)
{
  jail->pid = -1;
}

static void
kill_and_reap (GPid pid)
{
  kill (pid, SIGKILL);
  while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
    ;
}

void
jail_free (Jail *jail)
{
  if (jail == NULL)
    return;
  /* Killing PID 1 of the jail takes everything in it. */
  if (jail->pid > 0)
    kill_and_reap (jail->pid);
  autofd_close (&jail->launch_fd);
  autofd_close (&jail->go_fd);
  autofd_close (&jail->report_fd);
  autofd_close (&jail->status_fd);
  g_free (jail);
}

gboolean
jail_read_outcome (int status_fd, JailOutcome *outcome, GError **error)
{
  ssize_t got;
  do
    got = read (status_fd, outcome, sizeof *outcome);
  while (got < 0 && errno == EINTR);
  if (got != sizeof *outcome)
    {
      g_set_error_literal (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED,
                           "the sandbox ended without the program's status (killed?)");
      return FALSE;
    }
  return TRUE;
}

/* Whatever failed before the exec, in the proxy's or the program's words;
 * empty once the program runs. */
static char *
read_report (int fd)
{
  g_autoptr (GString) text = g_string_new (NULL);
  char buffer[1024];
  for (;;)
    {
      ssize_t got = read (fd, buffer, sizeof buffer);
      if (got > 0)
        g_string_append_len (text, buffer, got);
      else if (got == 0 || errno != EINTR)
        break;
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

Jail *
jail_start (JailSpawner *spawner, const JailSetup *setup, const JailLaunch *launch, GError **error)
{
  g_autoptr (Jail) jail = jail_prepare (spawner, setup, error);
  if (jail == NULL)
    return NULL;
  g_autoptr (GError) launch_error = NULL;
  gboolean launched = jail_launch (jail, launch, &launch_error);
  /* A program-to-be never told to go would wait, and hold the report open,
   * for ever. */
  if (!launched)
    kill (jail->pid, SIGKILL);
  g_autofree char *report = read_report (jail->report_fd);
  if (report[0] != '\0')
    {
      g_set_error_literal (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, report);
      return NULL;
    }
  if (!launched)
    {
      g_propagate_error (error, g_steal_pointer (&launch_error));
      return NULL;
    }
  return g_steal_pointer (&jail);
}
