/* A crash at a chosen point, for the tests of what a daemon killed midway
 * leaves (test_crash_points.c). Preloaded into isolatefs (LD_PRELOAD) by
 * mount_new_crashable(), it kills the daemon with SIGKILL right after the
 * Nth successful call of one function on a path that contains a string, as
 * the file named by ISOLATEFS_CRASH_FILE says, when it exists:
 *
 *   FUNCTION:SUBSTRING:N        e.g.  mount:/boxes/b/box:1
 *
 * Calls are counted from the moment the file's text changes, so a test
 * arms it just before the operation it cuts short. The path of a call is
 * the one it names, made absolute through its directory descriptor (the
 * *at calls), or the path of its file descriptor (pwrite, fchown); for
 * rename and renameat, the new name. Programs the daemon starts inherit the
 * environment (mkfs.ext4, fusermount3): only isolatefs is ever killed. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char armed_text[512]; /* the file's text when counting started */
static unsigned long counted;

static int
is_daemon (void)
{
  return strcmp (program_invocation_short_name, "isolatefs") == 0;
}

/* The file's text, or "" if there is none. */
static void
read_spec (char *text, size_t size)
{
  text[0] = '\0';
  const char *file = getenv ("ISOLATEFS_CRASH_FILE");
  int fd = file ? open (file, O_RDONLY | O_CLOEXEC) : -1;
  if (fd < 0)
    return;
  ssize_t n = read (fd, text, size - 1);
  close (fd);
  text[n > 0 ? n : 0] = '\0';
}

/* After a successful call of function on path: dies if this is the call. */
static void
after_call (const char *function, const char *path)
{
  if (!is_daemon () || path == NULL)
    return;
  char spec[sizeof armed_text];
  read_spec (spec, sizeof spec);
  if (spec[0] == '\0')
    return;
  pthread_mutex_lock (&lock);
  if (strcmp (spec, armed_text) != 0)
    {
      strcpy (armed_text, spec);
      counted = 0;
    }
  char wanted_function[64], substring[PATH_MAX];
  unsigned long n = 0;
  int hit = sscanf (spec, "%63[^:]:%4095[^:]:%lu", wanted_function, substring, &n) == 3
            && strcmp (function, wanted_function) == 0 && strstr (path, substring) != NULL
            && ++counted == n;
  pthread_mutex_unlock (&lock);
  if (hit)
    {
      fprintf (stderr, "crash_shim: SIGKILL after %s(%s)\n", function, path);
      raise (SIGKILL);
    }
}

static void
fd_path (int fd, char *path, size_t size)
{
  char link[64];
  snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink (link, path, size - 1);
  path[n > 0 ? n : 0] = '\0';
}

static void
at_path (int dir_fd, const char *name, char *path, size_t size)
{
  if (dir_fd == AT_FDCWD || name[0] == '/')
    {
      snprintf (path, size, "%s", name);
      return;
    }
  char dir[PATH_MAX];
  fd_path (dir_fd, dir, sizeof dir);
  snprintf (path, size, "%s/%s", dir, name);
}

#define REAL(function) ((__typeof__ (&function)) dlsym (RTLD_NEXT, #function))

int
mkdir (const char *path, mode_t mode)
{
  int ret = REAL (mkdir) (path, mode);
  if (ret == 0)
    after_call ("mkdir", path);
  return ret;
}

int
mkdirat (int dir_fd, const char *name, mode_t mode)
{
  int ret = REAL (mkdirat) (dir_fd, name, mode);
  char path[2 * PATH_MAX];
  if (ret == 0)
    {
      at_path (dir_fd, name, path, sizeof path);
      after_call ("mkdirat", path);
    }
  return ret;
}

int
rename (const char *from, const char *to)
{
  int ret = REAL (rename) (from, to);
  if (ret == 0)
    after_call ("rename", to);
  return ret;
}

int
renameat (int from_fd, const char *from, int to_fd, const char *to)
{
  int ret = REAL (renameat) (from_fd, from, to_fd, to);
  char path[2 * PATH_MAX];
  if (ret == 0)
    {
      at_path (to_fd, to, path, sizeof path);
      after_call ("renameat", path);
    }
  return ret;
}

ssize_t
pwrite64 (int fd, const void *data, size_t size, off_t offset)
{
  ssize_t ret = REAL (pwrite64) (fd, data, size, offset);
  char path[2 * PATH_MAX];
  if (ret >= 0)
    {
      int saved_errno = errno;
      fd_path (fd, path, sizeof path);
      after_call ("pwrite", path);
      errno = saved_errno;
    }
  return ret;
}

int
mount (const char *source, const char *target, const char *type, unsigned long flags,
       const void *data)
{
  int ret = REAL (mount) (source, target, type, flags, data);
  if (ret == 0)
    after_call ("mount", target);
  return ret;
}

int
umount2 (const char *target, int flags)
{
  int ret = REAL (umount2) (target, flags);
  if (ret == 0)
    after_call ("umount2", target);
  return ret;
}

int
unlink (const char *path)
{
  int ret = REAL (unlink) (path);
  if (ret == 0)
    after_call ("unlink", path);
  return ret;
}

int
fchown (int fd, uid_t uid, gid_t gid)
{
  int ret = REAL (fchown) (fd, uid, gid);
  char path[2 * PATH_MAX];
  if (ret == 0)
    {
      fd_path (fd, path, sizeof path);
      after_call ("fchown", path);
    }
  return ret;
}

int
fchownat (int dir_fd, const char *name, uid_t uid, gid_t gid, int flags)
{
  int ret = REAL (fchownat) (dir_fd, name, uid, gid, flags);
  char path[2 * PATH_MAX];
  if (ret == 0)
    {
      if ((flags & AT_EMPTY_PATH) && name[0] == '\0')
        fd_path (dir_fd, path, sizeof path);
      else
        at_path (dir_fd, name, path, sizeof path);
      after_call ("fchownat", path);
    }
  return ret;
}
