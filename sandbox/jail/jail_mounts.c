#include "jail_mounts.h"

#include "sandbox/sandbox_error.h"
#include "sandbox/settings/dir_rules.h"
#include "utils/autofd.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

/* A rule's options travel to the proxy as they are. */
G_STATIC_ASSERT ((int) JAIL_MOUNT_FLAG_RW == (int) DIR_RULE_RW);
G_STATIC_ASSERT ((int) JAIL_MOUNT_FLAG_NOEXEC == (int) DIR_RULE_NOEXEC);
G_STATIC_ASSERT ((int) JAIL_MOUNT_FLAG_FS == (int) DIR_RULE_FS);
G_STATIC_ASSERT ((int) JAIL_MOUNT_FLAG_MAYBE == (int) DIR_RULE_MAYBE);
G_STATIC_ASSERT ((int) JAIL_MOUNT_FLAG_DEV == (int) DIR_RULE_DEV);
G_STATIC_ASSERT ((int) JAIL_MOUNT_FLAG_TMP == (int) DIR_RULE_TMP);
G_STATIC_ASSERT ((int) JAIL_MOUNT_FLAG_NOREC == (int) DIR_RULE_NOREC);

static void
jail_mount_free (JailMount *mount)
{
  g_free (mount->inside);
  g_free (mount->source);
  g_free (mount);
}

static JailMount *
jail_mount_new (const char *inside, const char *source, guint32 flags, JailMountKind kind)
{
  JailMount *mount = g_new0 (JailMount, 1);
  mount->inside = g_strdup (inside + 1); /* paths in the plan are relative to the root */
  mount->source = g_strdup (source);
  mount->flags = flags;
  mount->kind = kind;
  return mount;
}

/* A fresh directory at inside: one of tmp_dir's, or a tmpfs without it. */
static JailMount *
tmp_mount_new (const char *inside, const char *tmp_dir, guint32 flags)
{
  g_autofree char *name = g_strdelimit (g_strdup (inside + 1), "/", ':');
  g_autofree char *source = tmp_dir ? g_build_filename (tmp_dir, name, NULL) : NULL;
  return jail_mount_new (inside, source, flags | JAIL_MOUNT_FLAG_RW, JAIL_MOUNT_TMP);
}

/* NULL for a rule that binds nothing ("/in="): it only drops a default. */
static JailMount *
mount_from_rule (const DirRule *rule, const char *tmp_dir)
{
  if (rule->flags & DIR_RULE_TMP)
    return tmp_mount_new (rule->inside, tmp_dir, rule->flags);
  if (rule->outside == NULL)
    return NULL;
  JailMountKind kind = (rule->flags & DIR_RULE_FS) ? JAIL_MOUNT_FS : JAIL_MOUNT_BIND;
  return jail_mount_new (rule->inside, rule->outside, rule->flags, kind);
}

static void
put_mount (GPtrArray *plan, JailMount *mount, const char *inside)
{
  for (guint i = 0; i < plan->len; i++)
    {
      const JailMount *other = g_ptr_array_index (plan, i);
      if (strcmp (other->inside, inside + 1) == 0)
        {
          g_ptr_array_remove_index (plan, i);
          break;
        }
    }
  if (mount != NULL)
    g_ptr_array_add (plan, mount);
}

static int
compare_inside (gconstpointer a, gconstpointer b)
{
  const JailMount *const *ma = a;
  const JailMount *const *mb = b;
  /* A parent is a prefix of its children, so it sorts before them. */
  return strcmp ((*ma)->inside, (*mb)->inside);
}

/* The mounts add_defaults makes (jail_mounts_plan checks it); each rule
 * adds at most one more: every plan fits what the protocol carries. */
#define DEFAULT_MOUNTS 10
G_STATIC_ASSERT (DIR_RULES_MAX + DEFAULT_MOUNTS <= JAIL_MAX_MOUNTS);

/* compat/compat_dirs.c mirrors these (a test checks it). */
static void
add_defaults (GPtrArray *plan, const char *work_dir, const char *tmp_dir)
{
  /* /etc is there for the languages that read it (ld.so.cache, passwd for
   * getpwuid, alternatives). It does not give away /etc/shadow: that file is
   * 0640 root:shadow, and the program runs as the box's uid and gid with no
   * supplementary groups. */
  static const char *const read_only[] = { "/bin", "/etc", "/lib", "/usr" };
  for (guint i = 0; i < G_N_ELEMENTS (read_only); i++)
    g_ptr_array_add (plan, jail_mount_new (read_only[i], read_only[i], 0, JAIL_MOUNT_BIND));
  g_ptr_array_add (plan,
                   jail_mount_new ("/lib64", "/lib64", JAIL_MOUNT_FLAG_MAYBE, JAIL_MOUNT_BIND));
  g_ptr_array_add (plan, jail_mount_new ("/box", work_dir, JAIL_MOUNT_FLAG_RW, JAIL_MOUNT_BIND));
  g_ptr_array_add (plan, jail_mount_new ("/proc", "proc", JAIL_MOUNT_FLAG_NOEXEC, JAIL_MOUNT_FS));
  /* On disk, as isolate's: not memory (docs/interface.md, "/tmp"). */
  g_ptr_array_add (plan, tmp_mount_new ("/tmp", tmp_dir, 0));
  g_ptr_array_add (plan, jail_mount_new ("/dev", NULL, 0, JAIL_MOUNT_DEV));
  /* Memory, as isolate's (the host's tmpfs), but private, where isolate
   * shares the host's /dev/shm between boxes. */
  g_ptr_array_add (plan, jail_mount_new ("/dev/shm", NULL, 0, JAIL_MOUNT_SHM));
}

/* Whether another mount of the plan lies inside outer. */
static gboolean
holds_a_mount (GPtrArray *plan, const JailMount *outer)
{
  gsize length = strlen (outer->inside);
  for (guint j = 0; j < plan->len; j++)
    {
      const JailMount *inner = g_ptr_array_index (plan, j);
      if (inner != outer && strncmp (inner->inside, outer->inside, length) == 0
          && inner->inside[length] == '/')
        return TRUE;
    }
  return FALSE;
}

/* A rule inside a tmp directory needs a mount point made in it: in a box's
 * directory on disk, the jail prepared for the next run would make it
 * while this run uses the directory, and the end of this run would empty
 * it away. Such a one is a tmpfs, made afresh by each jail. */
static void
keep_mount_points_off_disk (GPtrArray *plan)
{
  for (guint i = 0; i < plan->len; i++)
    {
      JailMount *mount = g_ptr_array_index (plan, i);
      if (mount->kind == JAIL_MOUNT_TMP && mount->source != NULL && holds_a_mount (plan, mount))
        g_clear_pointer (&mount->source, g_free);
    }
}

GPtrArray *
jail_mounts_plan (const char *work_dir, const char *tmp_dir, GPtrArray *dir_rules)
{
  GPtrArray *plan = g_ptr_array_new_with_free_func ((GDestroyNotify) jail_mount_free);
  add_defaults (plan, work_dir, tmp_dir);
  g_assert (plan->len == DEFAULT_MOUNTS);
  for (guint i = 0; dir_rules != NULL && i < dir_rules->len; i++)
    {
      const DirRule *rule = g_ptr_array_index (dir_rules, i);
      put_mount (plan, mount_from_rule (rule, tmp_dir), rule->inside);
    }
  g_ptr_array_sort (plan, compare_inside);
  keep_mount_points_off_disk (plan);
  return plan;
}

gboolean
jail_mounts_make_tmp_dirs (GPtrArray *plan, const char *tmp_dir, GError **error)
{
  if (tmp_dir == NULL)
    return TRUE;
  autofd dir_fd = open (tmp_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir_fd < 0)
    return sandbox_set_errno_error (error, errno, "open", tmp_dir);
  for (guint i = 0; i < plan->len; i++)
    {
      const JailMount *mount = g_ptr_array_index (plan, i);
      if (mount->kind != JAIL_MOUNT_TMP || mount->source == NULL)
        continue;
      g_autofree char *name = g_path_get_basename (mount->source);
      /* Made once for a box (or after a restart); mkdir's mode passes
       * through the umask, and a /tmp's sticky bit must stay. Only root
       * makes entries in tmp_dir. */
      if (mkdirat (dir_fd, name, 0700) == 0 ? fchmodat (dir_fd, name, 01777, 0) < 0
                                            : errno != EEXIST)
        return sandbox_set_errno_error (error, errno, "make", mount->source);
    }
  return TRUE;
}

gboolean
jail_mounts_can_last (GPtrArray *plan)
{
  for (guint i = 0; i < plan->len; i++)
    {
      const JailMount *outer = g_ptr_array_index (plan, i);
      if (jail_mount_is_per_run (outer) && holds_a_mount (plan, outer))
        return FALSE;
    }
  return TRUE;
}
