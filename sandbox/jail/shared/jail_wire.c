#include "jail_wire.h"

#include <errno.h>
#include <string.h>
#include <sys/param.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* Room for the most descriptors any message carries. */
#define MAX_FDS MAX (JAIL_SPAWN_MAX_FDS, JAIL_HANDOVER_MAX_FDS)

typedef union
{
  char buffer[CMSG_SPACE (MAX_FDS * sizeof (int))];
  struct cmsghdr align;
} Control;

int
jail_wire_send (int socket_fd, const void *header, size_t size, const int *fds, int n_fds)
{
  if (n_fds < 0 || n_fds > MAX_FDS)
    return EINVAL;
  Control control;
  memset (&control, 0, sizeof control);
  struct iovec iov = { .iov_base = (void *) header, .iov_len = size };
  struct msghdr message = { .msg_iov = &iov, .msg_iovlen = 1 };
  if (n_fds > 0)
    {
      message.msg_control = control.buffer;
      message.msg_controllen = CMSG_SPACE (n_fds * sizeof (int));
      struct cmsghdr *cmsg = CMSG_FIRSTHDR (&message);
      cmsg->cmsg_level = SOL_SOCKET;
      cmsg->cmsg_type = SCM_RIGHTS;
      cmsg->cmsg_len = CMSG_LEN (n_fds * sizeof (int));
      memcpy (CMSG_DATA (cmsg), fds, n_fds * sizeof (int));
    }
  ssize_t sent;
  do
    sent = sendmsg (socket_fd, &message, MSG_NOSIGNAL);
  while (sent < 0 && errno == EINTR);
  if (sent < 0)
    return errno;
  return (size_t) sent == size ? 0 : EPROTO;
}

/* The descriptors a message carried; their number. */
static int
take_fds (struct msghdr *message, int *fds, int max_fds)
{
  int n = 0;
  for (struct cmsghdr *cmsg = CMSG_FIRSTHDR (message); cmsg != NULL;
       cmsg = CMSG_NXTHDR (message, cmsg))
    {
      if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
        continue;
      int count = (cmsg->cmsg_len - CMSG_LEN (0)) / sizeof (int);
      const int *data = (const int *) CMSG_DATA (cmsg);
      for (int i = 0; i < count; i++)
        {
          if (n < max_fds)
            fds[n] = data[i];
          else
            close (data[i]);
          n++;
        }
    }
  return n;
}

void
jail_wire_close_fds (const int *fds, int n)
{
  for (int i = 0; i < n; i++)
    close (fds[i]);
}

int
jail_wire_receive (int socket_fd, void *header, size_t size, int *fds, int max_fds, int *n_fds)
{
  Control control;
  struct iovec iov = { .iov_base = header, .iov_len = size };
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
  int n = take_fds (&message, fds, max_fds);
  if ((size_t) got != size || (message.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || n > max_fds)
    {
      jail_wire_close_fds (fds, MIN (n, max_fds));
      return EPROTO;
    }
  *n_fds = n;
  return 0;
}

int
jail_wire_map_payload (int memfd, uint32_t size, char **payload)
{
  struct stat st;
  if (size == 0 || fstat (memfd, &st) < 0 || st.st_size != (off_t) size)
    return EPROTO; /* reading past its end would be a SIGBUS */
  *payload = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, memfd, 0);
  return *payload == MAP_FAILED ? ENOMEM : 0;
}

bool
jail_wire_split_strings (char *payload, uint32_t size, uint32_t offset, char **strings, uint32_t n)
{
  for (uint32_t i = 0; i < n; i++)
    {
      if (offset >= size)
        return false;
      strings[i] = payload + offset;
      char *end = memchr (payload + offset, '\0', size - offset);
      if (end == NULL)
        return false;
      offset = end - payload + 1;
    }
  return offset == size;
}
