#include "jail_handover.h"

#include "sandbox_error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define HANDOVER_MAGIC 0x6a61696cU /* "jail" */

/* The memfd, then up to three standard descriptors. */
#define MAX_FDS 4

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
} Header;

/* ---- The daemon's half ---- */

static void
append_string (GString *payload, const char *text)
{
  g_string_append_len (payload, text ? text : "", strlen (text ? text : "") + 1);
}

/* argv, envp, cwd and the three paths ("" for none), each NUL-terminated. */
static GString *
build_payload (const JailLaunch *launch, guint32 *argc, guint32 *envc)
{
  GString *payload = g_string_new (NULL);
  *argc = *envc = 0;
  for (char **arg = launch->argv; *arg != NULL; arg++, (*argc)++)
    append_string (payload, *arg);
  for (char **var = launch->envp; var != NULL && *var != NULL; var++, (*envc)++)
    append_string (payload, *var);
  append_string (payload, launch->cwd ? launch->cwd : "/box");
  for (int i = 0; i < 3; i++)
    append_string (payload, launch->stdio_paths[i]);
  return payload;
}

static int
payload_memfd (const GString *payload, GError **error)
{
  int fd = memfd_create ("jail-launch", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0 || write (fd, payload->str, payload->len) != (gssize) payload->len
      || fcntl (fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
    {
      int saved_errno = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "cannot pass the command on: %s",
                   g_strerror (saved_errno));
      return -1;
    }
  return fd;
}

gboolean
jail_handover_send (int socket_fd, const JailLaunch *launch, GError **error)
{
  Header header = {
    .magic = HANDOVER_MAGIC,
    .stderr_to_stdout = launch->stderr_to_stdout,
    .fsize_kib = launch->fsize_kib,
    .stack_kib = launch->stack_kib,
    .open_files = launch->open_files,
  };
  g_autoptr (GString) payload = build_payload (launch, &header.argc, &header.envc);
  header.payload_size = payload->len;
  int memfd = payload_memfd (payload, error);
  if (memfd < 0)
    return FALSE;

  int fds[MAX_FDS] = { memfd };
  int n_fds = 1;
  for (int i = 0; i < 3; i++)
    if (launch->stdio_paths[i] == NULL)
      {
        fds[n_fds++] = launch->stdio_fds[i];
        header.fd_mask |= 1U << i;
      }

  union
  {
    char buffer[CMSG_SPACE (sizeof fds)];
    struct cmsghdr align;
  } control = { { 0 } };
  struct iovec iov = { .iov_base = &header, .iov_len = sizeof header };
  struct msghdr message = {
    .msg_iov = &iov,
    .msg_iovlen = 1,
    .msg_control = control.buffer,
    .msg_controllen = CMSG_SPACE (n_fds * sizeof (int)),
  };
  struct cmsghdr *cmsg = CMSG_FIRSTHDR (&message);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN (n_fds * sizeof (int));
  memcpy (CMSG_DATA (cmsg), fds, n_fds * sizeof (int));

  ssize_t sent;
  do
    sent = sendmsg (socket_fd, &message, MSG_NOSIGNAL);
  while (sent < 0 && errno == EINTR);
  int saved_errno = errno;
  close (memfd);
  if (sent != (ssize_t) sizeof header)
    {
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED,
                   "cannot pass the command to the sandbox: %s",
                   sent < 0 ? g_strerror (saved_errno) : "short message");
      return FALSE;
    }
  return TRUE;
}

/* ---- The program's half: system calls only ---- */

static void
close_fds (const int *fds, int n)
{
  for (int i = 0; i < n; i++)
    close (fds[i]);
}

/* The strings of the payload in order; FALSE unless there are exactly n, the
 * last one ending the mapping. */
static gboolean
point_at_strings (char *payload, guint32 size, char **strings, guint32 n)
{
  guint32 offset = 0;
  for (guint32 i = 0; i < n; i++)
    {
      if (offset >= size)
        return FALSE;
      strings[i] = payload + offset;
      char *end = memchr (payload + offset, '\0', size - offset);
      if (end == NULL)
        return FALSE;
      offset = end - payload + 1;
    }
  return offset == size;
}

/* Lays out argv (NULL-terminated), envp (NULL-terminated), cwd and the three
 * paths, all pointing into the mapped payload. */
static int
decode_payload (int memfd, const Header *header, JailHandover *handover)
{
  guint32 n_strings = header->argc + header->envc + 4;
  if (header->argc == 0 || header->payload_size == 0 || n_strings < header->argc)
    return EINVAL;
  char *payload = mmap (NULL, header->payload_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, memfd, 0);
  gsize table_size = (n_strings + 2) * sizeof (char *);
  char **table
      = mmap (NULL, table_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (payload == MAP_FAILED || table == MAP_FAILED)
    return ENOMEM;

  /* table: argv..., NULL, envp..., NULL, cwd, path0, path1, path2 */
  char **strings = table + 2;
  if (!point_at_strings (payload, header->payload_size, strings, n_strings))
    return EINVAL;
  handover->argv = table;
  memmove (table, strings, header->argc * sizeof (char *));
  table[header->argc] = NULL;
  handover->envp = table + header->argc + 1;
  memmove (handover->envp, strings + header->argc, header->envc * sizeof (char *));
  handover->envp[header->envc] = NULL;
  /* The last four strings were not moved: they sit past both arrays. */
  char **rest = strings + header->argc + header->envc;
  handover->cwd = rest[0];
  for (int i = 0; i < 3; i++)
    handover->stdio_paths[i] = rest[1 + i][0] ? rest[1 + i] : NULL;
  return 0;
}

/* The descriptors of the message, in order; their number, or -1. */
static int
take_fds (struct msghdr *message, int *fds)
{
  struct cmsghdr *cmsg = CMSG_FIRSTHDR (message);
  if (cmsg == NULL || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
    return -1;
  int n = (cmsg->cmsg_len - CMSG_LEN (0)) / sizeof (int);
  if (n < 1 || n > MAX_FDS)
    return -1;
  memcpy (fds, CMSG_DATA (cmsg), n * sizeof (int));
  return n;
}

static int
bits_set (guint32 mask)
{
  return __builtin_popcount (mask & 7);
}

int
jail_handover_receive (int socket_fd, JailHandover *handover)
{
  Header header;
  union
  {
    char buffer[CMSG_SPACE (MAX_FDS * sizeof (int))];
    struct cmsghdr align;
  } control;
  struct iovec iov = { .iov_base = &header, .iov_len = sizeof header };
  struct msghdr message = {
    .msg_iov = &iov,
    .msg_iovlen = 1,
    .msg_control = control.buffer,
    .msg_controllen = sizeof control.buffer,
  };
  ssize_t got;
  do
    got = recvmsg (socket_fd, &message, MSG_CMSG_CLOEXEC);
  while (got < 0 && errno == EINTR);
  if (got == 0)
    return ECONNRESET;
  if (got < 0)
    return errno;

  int fds[MAX_FDS];
  int n_fds = take_fds (&message, fds);
  if (n_fds < 0)
    return EPROTO;
  if (got != sizeof header || header.magic != HANDOVER_MAGIC || (message.msg_flags & MSG_CTRUNC)
      || n_fds != 1 + bits_set (header.fd_mask))
    {
      close_fds (fds, n_fds);
      return EPROTO;
    }

  int status = decode_payload (fds[0], &header, handover);
  close (fds[0]);
  if (status != 0)
    {
      close_fds (fds + 1, n_fds - 1);
      return status;
    }
  for (int i = 0, next = 1; i < 3; i++)
    handover->stdio_fds[i] = (header.fd_mask & (1U << i)) ? fds[next++] : -1;
  handover->stderr_to_stdout = header.stderr_to_stdout != 0;
  handover->fsize_kib = header.fsize_kib;
  handover->stack_kib = header.stack_kib;
  handover->open_files = header.open_files;
  return 0;
}
