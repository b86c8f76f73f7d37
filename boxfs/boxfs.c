#include "boxfs.h"

#include "utils/autofd.h"
#include "utils/errno_error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define FUSE_SUPER_MAGIC 0x65735546

G_DEFINE_QUARK (mini_isolate_boxfs_error_quark, boxfs_error)

volatile sig_atomic_t boxfs_interrupted;

const char *
boxfs_root (const char *option)
{
  if (option != NULL && *option != '\0')
    return option;
  const char *env = g_getenv ("MINI_ISOLATE_ROOT");
  if (env != NULL && *env != '\0')
    return env;
  return "/isolate";
}

gboolean
boxfs_check_mounted (const char *root, const char *root_option, GError **error)
{
  g_autofree char *other = root_option != NULL
                               ? g_strdup_printf ("with %s or MINI_ISOLATE_ROOT", root_option)
                               : g_strdup ("in MINI_ISOLATE_ROOT");
  struct statfs fs;
  if (statfs (root, &fs) != 0)
    {
      int err = errno;
      if (err == ENOENT)
        g_set_error (error, BOXFS_ERROR, err,
                     "%s does not exist: isolatefs is not mounted there (start it with "
                     "`isolatefs %s`, or give the mount point %s)",
                     root, root, other);
      else if (err == ENOTCONN)
        g_set_error (error, BOXFS_ERROR, err,
                     "isolatefs at %s is not answering (%s): its daemon has stopped; unmount it "
                     "with `fusermount3 -u %s` and start it again",
                     root, g_strerror (err), root);
      else
        g_set_error (error, BOXFS_ERROR, err, "cannot reach %s (%s)", root, g_strerror (err));
      return FALSE;
    }
  if ((unsigned long) fs.f_type != FUSE_SUPER_MAGIC)
    {
      g_set_error (error, BOXFS_ERROR, ENOTCONN,
                   "%s is not mounted: no isolatefs there (start it with `isolatefs %s`, or "
                   "give the mount point %s)",
                   root, root, other);
      return FALSE;
    }
  return TRUE;
}

gboolean
boxfs_check_box (const char *root, const char *box, GError **error)
{
  g_autofree char *path = g_build_filename (root, box, NULL);
  struct stat st;
  if (strchr (box, '/') != NULL || *box == '.' || *box == '\0')
    {
      g_set_error (error, BOXFS_ERROR, EINVAL, "invalid box id '%s'", box);
      return FALSE;
    }
  if (stat (path, &st) != 0)
    {
      int err = errno;
      if (err == ENOENT)
        g_set_error (error, BOXFS_ERROR, err,
                     "box %s does not exist (create it with `mini-isolate init --box-id %s`)", box,
                     box);
      else
        errno_error_set (error, BOXFS_ERROR, err, err, "cannot reach box %s", box);
      return FALSE;
    }
  if (!S_ISDIR (st.st_mode))
    {
      g_set_error (error, BOXFS_ERROR, ENOTDIR, "%s is not a box", path);
      return FALSE;
    }
  return TRUE;
}

gboolean
boxfs_put (const char *root, const char *box, const char *file, const char *value, GError **error)
{
  g_autofree char *path = g_build_filename (root, box, file, NULL);
  autofd fd = open (path, O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0)
    return errno_error_set (error, BOXFS_ERROR, errno, errno, "cannot open %s", path);
  gsize size = strlen (value);
  gssize n = write (fd, value, size);
  int err = errno;
  if (n < 0)
    {
      const char *why = boxfs_explain_refusal (err);
      g_set_error (error, BOXFS_ERROR, err, "%s: value refused (%s)%s%s", file, g_strerror (err),
                   why ? ": " : "", why ? why : "");
      return FALSE;
    }
  if ((gsize) n != size)
    {
      g_set_error (error, BOXFS_ERROR, EIO, "%s: short write", file);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_all (int out, const char *data, gsize size, const char *what, GError **error)
{
  for (gsize done = 0; done < size;)
    {
      gssize w = write (out, data + done, size - done);
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        return errno_error_set (error, BOXFS_ERROR, errno, errno, "cannot copy %s", what);
      done += w;
    }
  return TRUE;
}

/* read(2), again after EINTR unless the caller's signal handler ran. */
static gssize
read_some (int in, char *buffer, gsize size)
{
  for (;;)
    {
      gssize n = read (in, buffer, size);
      if (n >= 0 || errno != EINTR || boxfs_interrupted)
        return n;
    }
}

static gboolean
copy_fd (int in, int out, const char *what, GError **error)
{
  char buffer[65536];
  for (;;)
    {
      gssize n = read_some (in, buffer, sizeof buffer);
      if (n < 0)
        return errno_error_set (error, BOXFS_ERROR, errno, errno, "cannot read %s", what);
      if (n == 0)
        return TRUE;
      if (!write_all (out, buffer, n, what, error))
        return FALSE;
    }
}

/* The whole content of path; with short_ends, a read that gives less than
 * it asked for ends it (for status: one read fewer). */
static char *
read_whole (const char *path, gboolean nonblock, gboolean short_ends, GError **error)
{
  autofd fd = open (path, O_RDONLY | O_CLOEXEC | (nonblock ? O_NONBLOCK : 0));
  if (fd < 0)
    return errno_error_set (error, BOXFS_ERROR, errno, errno, "cannot open %s", path), NULL;
  GString *text = g_string_new (NULL);
  char buffer[4096];
  for (;;)
    {
      gssize n = read_some (fd, buffer, sizeof buffer);
      if (n < 0)
        {
          errno_error_set (error, BOXFS_ERROR, errno, errno, "cannot read %s", path);
          g_string_free (text, TRUE);
          return NULL;
        }
      g_string_append_len (text, buffer, n);
      if (n == 0 || (short_ends && (gsize) n < sizeof buffer))
        break;
    }
  return g_string_free (text, FALSE);
}

char *
boxfs_get (const char *root, const char *box, const char *file, gboolean nonblock, GError **error)
{
  g_autofree char *path = g_build_filename (root, box, file, NULL);
  return read_whole (path, nonblock, FALSE, error);
}

char *
boxfs_get_status (const char *root, const char *box, gboolean nonblock, GError **error)
{
  g_autofree char *path = g_build_filename (root, box, "status", NULL);
  return read_whole (path, nonblock, TRUE, error);
}

gboolean
boxfs_output_is_empty (const char *root, const char *box, const char *file)
{
  g_autofree char *path = g_build_filename (root, box, file, NULL);
  struct stat st;
  return stat (path, &st) == 0 && st.st_size == 0;
}

gboolean
boxfs_copy_out (const char *root, const char *box, const char *file, int out, GError **error)
{
  g_autofree char *path = g_build_filename (root, box, file, NULL);
  autofd fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno_error_set (error, BOXFS_ERROR, errno, errno, "cannot open %s", path);
  return copy_fd (fd, out, path, error);
}

/* An empty input asks nothing of the daemon but a stat when the box's stdin
 * is empty already: a judge without input pays no open, truncate and close
 * of it on every run. */
static gboolean
fill_stdin (const char *target, int in, const char *what, GError **error)
{
  char first[65536];
  gssize n = in < 0 ? 0 : read_some (in, first, sizeof first);
  if (n < 0)
    return errno_error_set (error, BOXFS_ERROR, errno, errno, "cannot read %s", what);
  struct stat st;
  if (n == 0 && stat (target, &st) == 0 && st.st_size == 0)
    return TRUE;
  autofd out = open (target, O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (out < 0)
    return errno_error_set (error, BOXFS_ERROR, errno, errno, "cannot open %s", target);
  if (n > 0 && (!write_all (out, first, n, what, error) || !copy_fd (in, out, what, error)))
    return FALSE;
  if (close (autofd_steal (&out)) != 0)
    return errno_error_set (error, BOXFS_ERROR, errno, errno, "cannot write %s", target);
  return TRUE;
}

gboolean
boxfs_set_stdin (const char *root, const char *box, const char *path, GError **error)
{
  g_autofree char *target = g_build_filename (root, box, "stdin", NULL);
  if (path == NULL)
    return fill_stdin (target, -1, NULL, error);
  if (strcmp (path, "-") == 0)
    return fill_stdin (target, STDIN_FILENO, "standard input", error);
  autofd in = open (path, O_RDONLY | O_CLOEXEC);
  if (in < 0)
    return errno_error_set (error, BOXFS_ERROR, errno, errno, "cannot open %s", path);
  return fill_stdin (target, in, path, error);
}

gboolean
boxfs_install (const char *root, const char *box, const char *path, const char *name,
               GError **error)
{
  g_autofree char *dir_path = g_build_filename (root, box, "box", NULL);
  autofd in = open (path, O_RDONLY | O_CLOEXEC);
  if (in < 0)
    return errno_error_set (error, BOXFS_ERROR, errno, errno, "cannot open %s", path);
  autofd dir = open (dir_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0)
    return errno_error_set (error, BOXFS_ERROR, errno, errno, "cannot open %s", dir_path);
  gboolean ok = FALSE;
  struct stat dir_st;
  int out = -1;
  /* Whatever a program left under that name (a link too) goes first. */
  if (unlinkat (dir, name, 0) != 0 && errno != ENOENT)
    errno_error_set (error, BOXFS_ERROR, errno, errno, "cannot replace %s/%s", dir_path, name);
  else if (fstat (dir, &dir_st) != 0)
    errno_error_set (error, BOXFS_ERROR, errno, errno, "cannot stat %s", dir_path);
  else if ((out = openat (dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644))
           < 0)
    errno_error_set (error, BOXFS_ERROR, errno, errno, "cannot create %s/%s", dir_path, name);
  else if (fchown (out, dir_st.st_uid, dir_st.st_gid) != 0 && errno != EPERM)
    errno_error_set (error, BOXFS_ERROR, errno, errno, "cannot give %s/%s to the box", dir_path,
                     name);
  else
    ok = copy_fd (in, out, path, error);
  if (out >= 0 && close (out) != 0 && ok)
    {
      errno_error_set (error, BOXFS_ERROR, errno, errno, "cannot write %s/%s", dir_path, name);
      ok = FALSE;
    }
  return ok;
}

GHashTable *
boxfs_parse_status (const char *text)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (char **line = lines; *line != NULL; line++)
    {
      const char *colon = strchr (*line, ':');
      if (colon == NULL)
        continue;
      g_hash_table_insert (table, g_strndup (*line, colon - *line), g_strdup (colon + 1));
    }
  return table;
}

const char *
boxfs_explain_refusal (int err)
{
  switch (err)
    {
    case EINVAL:
      return "malformed or out of range";
    case EPERM:
      return "above the maximum the administrator allows";
    case EBUSY:
      return "a run is in progress in this box";
    case E2BIG:
      return "too long";
    case ENOENT:
      return "the box was removed";
    default:
      return NULL;
    }
}
