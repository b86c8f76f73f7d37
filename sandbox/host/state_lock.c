#include "state_lock.h"

#include "state_layout.h"
#include "sandbox/sandbox_error.h"
#include "utils/autofd.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define GROUP "daemon"

struct _StateLock
{
  int fd;
  char *mountpoint;
};

/* Who holds the lock, as its holder wrote it: "pid 1234, serving /isolate". */
static char *
describe_holder (int fd)
{
  char text[4096];
  gssize length = pread (fd, text, sizeof text - 1, 0);
  g_autoptr (GKeyFile) file = g_key_file_new ();
  if (length <= 0 || !g_key_file_load_from_data (file, text, length, G_KEY_FILE_NONE, NULL))
    return g_strdup ("a daemon that has not written its pid yet");
  gint64 pid = g_key_file_get_int64 (file, GROUP, "pid", NULL);
  g_autofree char *mountpoint = g_key_file_get_string (file, GROUP, "mountpoint", NULL);
  return g_strdup_printf ("isolatefs pid %" G_GINT64_FORMAT ", serving %s", pid,
                          mountpoint ? mountpoint : "?");
}

static gboolean
write_holder (int fd, const char *mountpoint, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_key_file_set_int64 (file, GROUP, "pid", getpid ());
  g_key_file_set_string (file, GROUP, "mountpoint", mountpoint);
  gsize length;
  g_autofree char *text = g_key_file_to_data (file, &length, NULL);
  if (ftruncate (fd, 0) < 0 || pwrite (fd, text, length, 0) != (gssize) length)
    return sandbox_set_errno_error (error, errno, "write", STATE_LOCK_FILE);
  return TRUE;
}

StateLock *
state_lock_take (const char *state_dir, const char *mountpoint, GError **error)
{
  if (g_mkdir_with_parents (state_dir, STATE_DIR_MODE) < 0)
    return sandbox_set_errno_error (error, errno, "create", state_dir), NULL;
  g_autofree char *path = g_build_filename (state_dir, STATE_LOCK_FILE, NULL);
  /* Close-on-exec: no helper the daemon starts may keep it locked. */
  autofd fd = open (path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    return sandbox_set_errno_error (error, errno, "open", path), NULL;
  if (flock (fd, LOCK_EX | LOCK_NB) < 0)
    {
      int saved_errno = errno;
      g_autofree char *holder = saved_errno == EWOULDBLOCK ? describe_holder (fd) : NULL;
      if (holder == NULL)
        return sandbox_set_errno_error (error, saved_errno, "lock", path), NULL;
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_BUSY,
                   "state directory %s is in use by %s; stop that daemon first, or give this one "
                   "a state_dir of its own",
                   state_dir, holder);
      return NULL;
    }
  if (!write_holder (fd, mountpoint, error))
    return NULL;
  StateLock *lock = g_new (StateLock, 1);
  lock->fd = autofd_steal (&fd);
  lock->mountpoint = g_strdup (mountpoint);
  return lock;
}

/* Does /proc/locks list a lock on this file? Its lines read
 * "1: FLOCK  ADVISORY  WRITE 4242 fe:01:1234567 0 EOF": major and minor in
 * hexadecimal, then the inode. */
static gboolean
is_locked (const struct stat *st)
{
  g_autofree char *locks = NULL;
  if (!g_file_get_contents ("/proc/locks", &locks, NULL, NULL))
    return FALSE;
  g_autofree char *needle = g_strdup_printf (" %02x:%02x:%lu ", major (st->st_dev),
                                             minor (st->st_dev), (unsigned long) st->st_ino);
  return strstr (locks, needle) != NULL;
}

char *
state_lock_holder (const char *state_dir)
{
  g_autofree char *path = g_build_filename (state_dir, STATE_LOCK_FILE, NULL);
  autofd fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat (fd, &st) < 0 || !is_locked (&st))
    return NULL;
  return describe_holder (fd);
}

void
state_lock_claim (StateLock *lock)
{
  g_autoptr (GError) error = NULL;
  if (!write_holder (lock->fd, lock->mountpoint, &error))
    g_warning ("%s", error->message);
}

void
state_lock_release (StateLock *lock)
{
  if (lock == NULL)
    return;
  /* An empty file reads as no holder: nobody is named who is gone. */
  if (ftruncate (lock->fd, 0) < 0)
    g_warning ("cannot empty the state directory's lock file: %s", g_strerror (errno));
  close (lock->fd);
  g_free (lock->mountpoint);
  g_free (lock);
}
