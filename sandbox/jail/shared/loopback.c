#include "loopback.h"

#include "utils/autofd.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int
loopback_up (void)
{
  autofd sock = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0)
    return errno;
  struct ifreq ifr = { 0 };
  snprintf (ifr.ifr_name, sizeof ifr.ifr_name, "lo");
  int status = ioctl (sock, SIOCGIFFLAGS, &ifr) == 0 ? 0 : errno;
  if (status == 0 && !(ifr.ifr_flags & IFF_UP))
    {
      ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
      status = ioctl (sock, SIOCSIFFLAGS, &ifr) == 0 ? 0 : errno;
    }
  return status;
}
