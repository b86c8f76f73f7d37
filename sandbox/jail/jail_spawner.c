#include "jail_spawner.h"

#include "jail_payload.h"
#include "sandbox/sandbox_error.h"
#include "syscall_filter.h"
#include "sandbox/jail/shared/jail_wire.h"
#include "utils/autofd.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The zygote's executable (zygote/image.S). */
extern const char jail_zygote_image[];
extern const char jail_zygote_image_end[];

/* Enough for exec_zygote: a few system calls. */
#define EXEC_STACK_SIZE (16 * 1024)

struct _JailSpawner
{
  GMutex lock; /* for what follows */
  GPid pid;    /* the zygote, or -1; read atomically without the lock */
  int socket_fd;
  gboolean births; /* fixed at creation */
};

JailSpawner *
jail_spawner_new (gboolean births)
{
  JailSpawner *spawner = g_new0 (JailSpawner, 1);
  g_mutex_init (&spawner->lock);
  spawner->pid = -1;
  spawner->socket_fd = -1;
  spawner->births = births;
  return spawner;
}

gboolean
jail_spawner_places_births (JailSpawner *spawner)
{
  return spawner->births;
}

static void
stop_zygote (JailSpawner *spawner)
{
  autofd_close (&spawner->socket_fd);
  GPid pid = spawner->pid;
  g_atomic_int_set (&spawner->pid, -1);
  /* The socket's end would end it; a kill also ends one that is stuck. */
  if (pid > 0)
    {
      kill (pid, SIGKILL);
      while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
        ;
    }
}

void
jail_spawner_free (JailSpawner *spawner)
{
  if (spawner == NULL)
    return;
  stop_zygote (spawner);
  g_mutex_clear (&spawner->lock);
  g_free (spawner);
}

/* ---- Starting the zygote ---- */

typedef struct
{
  int image_fd;
  int keep[2]; /* its socket and its filter */
  char *argv[5];
  int exec_errno; /* set by the child if its exec failed */
} ZygoteExec;

/* In a child that shares this process's memory until the exec, the
 * calling thread waiting (CLONE_VM | CLONE_VFORK): system calls only. */
static int
exec_zygote (void *data)
{
  ZygoteExec *exec = data;
  static char *const no_env[] = { NULL };
  syscall (SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
  for (int i = 0; i < 2; i++)
    fcntl (exec->keep[i], F_SETFD, 0);
  syscall (SYS_execveat, exec->image_fd, "", exec->argv, no_env, AT_EMPTY_PATH);
  exec->exec_errno = errno; /* the parent's memory: it reads it once we are gone */
  _exit (127);
}

/* Copies nothing of the daemon's memory: the child borrows it until it
 * execs the zygote. No signal handler of the daemon may run in it
 * meanwhile, so all are blocked around the clone; the zygote unblocks. */
static GPid
clone_zygote (ZygoteExec *exec, GError **error)
{
  g_autofree char *stack = g_malloc (EXEC_STACK_SIZE);
  sigset_t all, saved;
  sigfillset (&all);
  pthread_sigmask (SIG_SETMASK, &all, &saved);
  GPid pid = clone (exec_zygote, stack + EXEC_STACK_SIZE, CLONE_VM | CLONE_VFORK | SIGCHLD, exec);
  int saved_errno = errno;
  pthread_sigmask (SIG_SETMASK, &saved, NULL);
  if (pid < 0)
    {
      sandbox_set_errno_error (error, saved_errno, "start", "the sandboxes' zygote");
      return -1;
    }
  /* Returned once the child exec'ed, or exited because it could not. */
  if (exec->exec_errno != 0)
    {
      while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
        ;
      sandbox_set_errno_error (error, exec->exec_errno, "start", "the sandboxes' zygote");
      return -1;
    }
  return pid;
}

static gboolean
start_zygote (JailSpawner *spawner, GError **error)
{
  int sockets[2] = { -1, -1 };
  ZygoteExec exec = { .image_fd = -1, .keep = { -1, -1 } };
  exec.image_fd = jail_payload_seal (jail_zygote_image, jail_zygote_image_end - jail_zygote_image,
                                     "isolatefs-zygote", TRUE, error);
  gboolean ok
      = exec.image_fd >= 0 && (exec.keep[1] = syscall_filter_export (spawner->births, error)) >= 0;
  if (ok && socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) < 0)
    ok = sandbox_set_errno_error (error, errno, "create", "a socket pair");
  if (ok)
    {
      exec.keep[0] = sockets[1];
      exec.argv[0] = g_strdup ("isolatefs-zygote");
      exec.argv[1] = g_strdup_printf ("%d", sockets[1]);
      exec.argv[2] = g_strdup_printf ("%d", exec.keep[1]);
      exec.argv[3] = spawner->births ? g_strdup (JAIL_ZYGOTE_BIRTHS) : NULL;
      GPid pid = clone_zygote (&exec, error);
      g_atomic_int_set (&spawner->pid, pid);
      ok = pid > 0;
    }
  for (int i = 0; i < 4; i++)
    g_free (exec.argv[i]);
  for (int i = 0; i < 2; i++)
    autofd_close (&exec.keep[i]);
  autofd_close (&exec.image_fd);
  if (ok)
    spawner->socket_fd = sockets[0];
  else
    autofd_close (&sockets[0]);
  return ok;
}

/* ---- Asking it ---- */

void
jail_spawner_hurry (JailSpawner *spawner)
{
  struct sched_param normal = { 0 };
  /* Not under the lock: a request holds it until answered. */
  GPid pid = g_atomic_int_get (&spawner->pid);
  if (pid > 0)
    sched_setscheduler (pid, SCHED_OTHER, &normal);
}

typedef enum
{
  ASK_ANSWERED, /* with a pid, or why not */
  ASK_NOT_SENT, /* the zygote never got the request */
  ASK_NO_ANSWER,
} AskOutcome;

static AskOutcome
ask (JailSpawner *spawner, const JailSpawnRequest *request, const int *fds, int n_fds,
     JailSpawnReply *reply)
{
  reply->pid = -1;
  reply->error = jail_wire_send (spawner->socket_fd, request, sizeof *request, fds, n_fds);
  if (reply->error != 0)
    return ASK_NOT_SENT;
  int n_received = 0;
  int status = jail_wire_receive (spawner->socket_fd, reply, sizeof *reply, NULL, 0, &n_received);
  if (status != 0)
    {
      reply->pid = -1;
      reply->error = status;
      return ASK_NO_ANSWER;
    }
  return ASK_ANSWERED;
}

GPid
jail_spawner_spawn (JailSpawner *spawner, const JailSpawnRequest *request, const int *fds,
                    int n_fds, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&spawner->lock);
  JailSpawnReply reply;
  AskOutcome outcome = ASK_NOT_SENT;
  /* A zygote that is gone (killed?) cannot have acted on a request it never
   * got: another is started and asked again, once. */
  for (int attempt = 0; attempt < 2 && outcome == ASK_NOT_SENT; attempt++)
    {
      if (spawner->socket_fd >= 0 && attempt > 0)
        {
          g_warning ("the sandboxes' zygote is gone (%s); starting another",
                     g_strerror (reply.error));
          stop_zygote (spawner);
        }
      if (spawner->socket_fd < 0 && !start_zygote (spawner, error))
        return -1;
      outcome = ask (spawner, request, fds, n_fds, &reply);
    }
  if (outcome == ASK_ANSWERED && reply.pid > 0)
    return reply.pid;
  if (outcome != ASK_ANSWERED)
    {
      /* Broken: the next spawn starts another. */
      stop_zygote (spawner);
      sandbox_set_errno_error (error, reply.error, "reach", "the sandboxes' zygote");
    }
  else
    sandbox_set_errno_error (error, reply.error, "start", "the sandbox's proxy");
  return -1;
}
