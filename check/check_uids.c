#include "checks.h"

#include "utils/tree_walk.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What every box sees of the host (sandbox/jail/jail_mounts.c): a file there
 * owned by a box uid or gid is one a program may read (or, its mode
 * allowing, run as its own) whatever the sandbox hides. */
static const char *const box_visible_dirs[] = { "/bin", "/etc", "/lib", "/lib64", "/usr" };

/* Files named in a finding, at most. */
#define SHOWN_FILES 5

typedef struct
{
  guint32 first_uid, first_gid, count;
  dev_t dev;         /* of the tree's root: a walk stays on one filesystem */
  GString *path;     /* of the directory being visited */
  GPtrArray *found;  /* paths of files in the range, up to SHOWN_FILES */
  guint found_count; /* all of them */
} UidScan;

static gboolean
in_range (guint32 id, guint32 first, guint32 count)
{
  return id >= first && id - first < count;
}

static gboolean
visit (int dir_fd, const char *name, int *subdir_fd, gpointer data, GError **error)
{
  UidScan *scan = data;
  struct stat st;
  if (fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return TRUE;
  if (in_range (st.st_uid, scan->first_uid, scan->count)
      || in_range (st.st_gid, scan->first_gid, scan->count))
    {
      if (scan->found->len < SHOWN_FILES)
        g_ptr_array_add (scan->found, g_strdup_printf ("%s/%s (%u:%u)", scan->path->str, name,
                                                       (guint) st.st_uid, (guint) st.st_gid));
      scan->found_count++;
    }
  if (S_ISDIR (st.st_mode) && st.st_dev == scan->dev)
    {
      *subdir_fd = openat (dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (*subdir_fd >= 0)
        g_string_append_printf (scan->path, "/%s", name);
    }
  return TRUE;
}

static gboolean
leave (int parent_fd, const char *name, gpointer data, GError **error)
{
  UidScan *scan = data;
  const char *slash = strrchr (scan->path->str, '/');
  g_string_truncate (scan->path, slash - scan->path->str);
  return TRUE;
}

/* Walks each box-visible directory once (on merged-/usr systems /bin is a
 * link into /usr). */
static void
scan_files (UidScan *scan)
{
  g_autoptr (GHashTable) walked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (box_visible_dirs); i++)
    {
      g_autofree char *real = realpath (box_visible_dirs[i], NULL);
      if (real == NULL || !g_hash_table_add (walked, g_strdup (real)))
        continue;
      int fd = open (real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      struct stat st;
      if (fd < 0)
        continue;
      if (fstat (fd, &st) == 0)
        {
          scan->dev = st.st_dev;
          g_string_assign (scan->path, strcmp (real, "/") == 0 ? "" : real);
          tree_walk (fd, visit, leave, scan, NULL);
        }
      close (fd);
    }
}

/* Names of the users (or groups) whose id falls in the range. */
static char *
accounts_in_range (gboolean users, guint32 first, guint32 count)
{
  g_autoptr (GString) names = g_string_new (NULL);
  if (users)
    {
      setpwent ();
      for (struct passwd *entry; (entry = getpwent ()) != NULL;)
        if (in_range (entry->pw_uid, first, count))
          g_string_append_printf (names, "%s%s (%u)", names->len ? ", " : "", entry->pw_name,
                                  (guint) entry->pw_uid);
      endpwent ();
    }
  else
    {
      setgrent ();
      for (struct group *entry; (entry = getgrent ()) != NULL;)
        if (in_range (entry->gr_gid, first, count))
          g_string_append_printf (names, "%s%s (%u)", names->len ? ", " : "", entry->gr_name,
                                  (guint) entry->gr_gid);
      endgrent ();
    }
  return names->len ? g_string_free (g_steal_pointer (&names), FALSE) : NULL;
}

void
check_uid_range (GPtrArray *results, const CheckSettings *settings)
{
  guint32 last_uid = settings->first_uid + settings->box_uids - 1;
  guint32 last_gid = settings->first_gid + settings->box_uids - 1;
  g_autofree char *range = g_strdup_printf ("uids %u-%u, gids %u-%u", settings->first_uid, last_uid,
                                            settings->first_gid, last_gid);
  g_autofree char *users = accounts_in_range (TRUE, settings->first_uid, settings->box_uids);
  g_autofree char *groups = accounts_in_range (FALSE, settings->first_gid, settings->box_uids);
  if (users != NULL || groups != NULL)
    {
      check_add (results, "uids", CHECK_FAIL,
                 g_strdup_printf ("the box range (%s) holds %s%s%s%s%s: a box program would "
                                  "run as them",
                                  range, users ? "users " : "", users ? users : "",
                                  users && groups ? " and " : "", groups ? "groups " : "",
                                  groups ? groups : ""),
                 "give first_uid, first_gid and box_uids a range no account uses");
      return;
    }

  UidScan scan = {
    .first_uid = settings->first_uid,
    .first_gid = settings->first_gid,
    .count = settings->box_uids,
    .path = g_string_new (NULL),
    .found = g_ptr_array_new_with_free_func (g_free),
  };
  scan_files (&scan);
  g_ptr_array_add (scan.found, NULL);
  g_autofree char *shown = g_strjoinv (", ", (char **) scan.found->pdata);
  if (scan.found_count > 0)
    check_add (results, "uids", CHECK_FAIL,
               g_strdup_printf ("%u file(s) that every box sees belong to the box range (%s): "
                                "%s%s",
                                scan.found_count, range, shown,
                                scan.found_count > SHOWN_FILES ? ", ..." : ""),
               "chown them to their real owner, or move the box range (first_uid, first_gid)");
  else
    check_add (results, "uids", CHECK_OK,
               g_strdup_printf ("no user, group, nor file of /etc, /usr and /lib uses the box "
                                "range (%s)",
                                range),
               NULL);
  g_string_free (scan.path, TRUE);
  g_ptr_array_unref (scan.found);
}
