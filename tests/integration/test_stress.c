/* Hostile input through the mount (issue 4): random bytes, sizes and offsets
 * written to every control file of a box, and concurrent mkdir/rmdir/cmd/status
 * from several client threads. The daemon stays up, every answer is a
 * documented errno (docs/interface.md, "Errors"), the state file stays
 * loadable, nothing is left behind. Bounded in count and in time. */

#include "mount_fixture.h"

#include "sandbox/settings/box_record.h"
#include "sandbox/settings/box_settings.h"
#include "sandbox/settings/daemon_config.h"
#include "sandbox/sandbox_error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RANDOM_WRITES 3000
#define RANDOM_SECONDS 90
#define MAX_WRITE 70000
#define THREADS 4
#define CONCURRENT_SECONDS 5

static const char *const control_files[] = {
  "mem",        "time", "wall-time", "extra-time", "processes", "fsize", "stack",
  "open-files", "env",  "dirs",      "share-net",  "stdin",     "cmd",   "ctl",
};

static const char *const limit_files[] = {
  "mem", "time", "wall-time", "extra-time", "processes", "fsize", "stack", "open-files",
};

/* Text that the parsers care about, so random writes are not all refused at
 * the first byte. */
static const char *const pieces[] = {
  "0",
  "1",
  "2",
  "0.5",
  "64M",
  "unlimited",
  "\n",
  " ",
  "=",
  ":",
  "/",
  "/bin/true",
  "/bin/sleep",
  "A=1",
  "/tmp:tmp",
  "/usr=/usr:rw",
  "kill",
  "reset",
  "'",
  "\"",
  "\\",
  "-1",
  "9999999999999",
};

static gboolean
is_box_file (const char *name)
{
  return strchr (name, '/') != NULL;
}

static void
assert_daemon_up (const Mount *mount, const char *box)
{
  g_autofree char *path = mount_path (mount, box);
  struct stat st;
  if (stat (path, &st) != 0)
    g_error ("the mount no longer answers for %s: %s", path, g_strerror (errno));
  g_assert_true (S_ISDIR (st.st_mode));
}

/* Random bytes, now and then with pieces of valid text spliced in. */
static GByteArray *
random_data (void)
{
  GByteArray *data = g_byte_array_new ();
  guint size;
  switch (g_test_rand_int_range (0, 8))
    {
    case 0:
      size = 0;
      break;
    case 1:
      size = (guint) g_test_rand_int_range (60000, MAX_WRITE + 1);
      break;
    case 2:
      size = (guint) g_test_rand_int_range (0, 4097);
      break;
    default:
      size = (guint) g_test_rand_int_range (1, 33);
      break;
    }
  gboolean printable = g_test_rand_bit ();
  while (data->len < size)
    {
      if (g_test_rand_int_range (0, 4) == 0)
        {
          const char *piece = pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))];
          g_byte_array_append (data, (const guint8 *) piece, (guint) strlen (piece));
        }
      else
        {
          guint8 byte = printable ? (guint8) g_test_rand_int_range (0x20, 0x7f)
                                  : (guint8) g_test_rand_int_range (0, 256);
          g_byte_array_append (data, &byte, 1);
        }
    }
  g_byte_array_set_size (data, size);
  return data;
}

/* One write of data at offset through a fresh descriptor: the errno, 0 for
 * success, -1 for a short write. */
static int
write_at (const Mount *mount, const char *name, const GByteArray *data, off_t offset, int flags)
{
  g_autofree char *path = mount_path (mount, name);
  int fd = open (path, O_WRONLY | flags);
  if (fd < 0)
    return errno;
  int err = 0;
  gssize n = offset >= 0 ? pwrite (fd, data->data, data->len, offset)
                         : write (fd, data->data, data->len);
  if (n < 0)
    err = errno;
  else if ((gsize) n != data->len)
    err = -1;
  close (fd);
  return err;
}

static gboolean
documented_write_errno (int err)
{
  switch (err)
    {
    case 0:
    case EINVAL:
    case EPERM:
    case E2BIG:
    case EFBIG:
    case EBUSY:
    case EACCES:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Waits for any run to end (a blocking status read). */
static void
wait_idle (const Mount *mount, const char *box)
{
  g_autofree char *status_file = g_build_filename (box, "status", NULL);
  g_autofree char *status = get (mount, status_file);
  g_assert_nonnull (status);
  g_assert_null (strstr (status, "state:running"));
}

static void
put_sane_limits (const Mount *mount, const char *box)
{
  static const char *const sane[][2] = {
    { "time", "0.5" },
    { "wall-time", "1" },
    { "extra-time", "0" },
    { "processes", "4" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (sane); i++)
    {
      g_autofree char *file = g_build_filename (box, sane[i][0], NULL);
      int err = put (mount, file, sane[i][1]);
      g_assert_true (err == 0 || err == EBUSY);
    }
}

/* Every setting file's text, and cmd, as read through the mount. */
static GHashTable *
read_settings (const Mount *mount, const char *box)
{
  GHashTable *texts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  const char *const *names = box_settings_names ();
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *file = g_build_filename (box, names[i], NULL);
      char *text = get (mount, file);
      g_assert_nonnull (text);
      g_hash_table_insert (texts, (gpointer) names[i], text);
    }
  g_autofree char *cmd_file = g_build_filename (box, "cmd", NULL);
  char *cmd = get (mount, cmd_file);
  g_assert_nonnull (cmd);
  g_hash_table_insert (texts, (gpointer) "cmd", cmd);
  return texts;
}

/* The saved state loads with box_record_from_json, and each setting in it is
 * one box_settings_set accepts. */
static void
assert_state_file_loadable (const Mount *mount, const char *box)
{
  g_autofree char *path = g_build_filename (mount->state_dir, "boxes", box, "settings.json", NULL);
  g_autofree char *json = NULL;
  gsize length;
  g_assert_true (g_file_get_contents (path, &json, &length, NULL));
  g_autoptr (GError) error = NULL;
  g_autoptr (BoxRecord) record = box_record_from_json (json, length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->name, ==, box);

  g_autoptr (DaemonConfig) config = daemon_config_new ();
  config->limit_maximum[LIMIT_SHARE_NET] = 1;
  BoxSettings settings;
  box_settings_init (&settings, config);
  GHashTableIter iter;
  gpointer name, text;
  g_hash_table_iter_init (&iter, record->settings);
  while (g_hash_table_iter_next (&iter, &name, &text))
    {
      g_autoptr (GError) set_error = NULL;
      if (!box_settings_set (&settings, config, name, text, &set_error)
          && !g_error_matches (set_error, SANDBOX_ERROR, SANDBOX_ERROR_OVER_MAXIMUM))
        g_error ("saved %s '%s' does not parse: %s", (const char *) name, (const char *) text,
                 set_error->message);
    }
  box_settings_clear (&settings);
}

static void
test_random_writes (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new ("first_uid=62000,first_gid=62000");
  const char *box = "s";
  g_assert_cmpint (make_box (mount, box), ==, 0);
  put_sane_limits (mount, box);

  gint64 deadline = g_get_monotonic_time () + RANDOM_SECONDS * G_USEC_PER_SEC;
  guint counts[G_N_ELEMENTS (control_files)][2] = { { 0 } }; /* accepted, refused */
  guint done = 0;
  for (; done < RANDOM_WRITES && g_get_monotonic_time () < deadline; done++)
    {
      guint which = (guint) g_test_rand_int_range (0, G_N_ELEMENTS (control_files));
      g_autofree char *file = g_build_filename (box, control_files[which], NULL);
      g_autoptr (GByteArray) data = random_data ();
      off_t offset;
      switch (g_test_rand_int_range (0, 4))
        {
        case 0:
          offset = -1; /* plain write at the descriptor's position */
          break;
        case 1:
          offset = 0;
          break;
        case 2:
          offset = g_test_rand_int_range (0, 100);
          break;
        default:
          offset = g_test_rand_int_range (0, 200000);
          break;
        }
      int flags = 0;
      if (g_test_rand_bit ())
        flags |= O_TRUNC;
      if (g_test_rand_int_range (0, 4) == 0)
        flags |= O_APPEND;

      int err = write_at (mount, file, data, offset, flags);
      if (!documented_write_errno (err))
        g_error ("write %u: %u bytes at offset %lld (flags %#x) to %s: %s", done, data->len,
                 (long long) offset, flags, control_files[which],
                 err < 0 ? "short write" : g_strerror (err));
      counts[which][err == 0 ? 0 : 1]++;
      assert_daemon_up (mount, box);

      for (guint i = 0; i < G_N_ELEMENTS (limit_files); i++)
        if (strcmp (control_files[which], limit_files[i]) == 0)
          put_sane_limits (mount, box);

      /* Now and then, read everything back: every read answers. */
      if (done % 200 == 199)
        {
          wait_idle (mount, box);
          g_autoptr (GHashTable) texts = read_settings (mount, box);
          static const char *const outputs[] = { "stdout", "stderr", "stdin" };
          for (guint i = 0; i < G_N_ELEMENTS (outputs); i++)
            {
              g_autofree char *out_file = g_build_filename (box, outputs[i], NULL);
              g_free (get (mount, out_file));
            }
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (control_files); i++)
    g_test_message ("%-10s accepted %u, refused %u", control_files[i], counts[i][0], counts[i][1]);
  g_test_message ("%u random writes", done);

  wait_idle (mount, box);
  assert_state_file_loadable (mount, box);
  g_autoptr (GHashTable) before = read_settings (mount, box);
  mount_restart (mount);
  assert_daemon_up (mount, box);
  g_autoptr (GHashTable) after = read_settings (mount, box);
  GHashTableIter iter;
  gpointer name, text;
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &name, &text))
    g_assert_cmpstr (g_hash_table_lookup (after, name), ==, text);
}

typedef struct
{
  const Mount *mount;
  guint index;
  gint64 deadline;
  guint32 seed;
  GMutex *lock;
  GPtrArray *failures; /* of char*, under lock */
  guint operations;
} Client;

static void
client_fail (Client *client, const char *op, const char *box, int err)
{
  g_mutex_lock (client->lock);
  g_ptr_array_add (client->failures,
                   g_strdup_printf ("client %u: %s %s: %s", client->index, op, box,
                                    err < 0 ? "short write" : g_strerror (err)));
  g_mutex_unlock (client->lock);
}

static gpointer
client_main (gpointer data)
{
  Client *client = data;
  const Mount *mount = client->mount;
  g_autoptr (GRand) rand = g_rand_new_with_seed (client->seed);
  g_autofree char *own = g_strdup_printf ("own%u", client->index);
  while (g_get_monotonic_time () < client->deadline)
    {
      const char *box = g_rand_boolean (rand) ? own : "shared";
      int err;
      client->operations++;
      switch (g_rand_int_range (rand, 0, 6))
        {
        case 0:
          err = make_box (mount, box);
          if (err != 0 && err != EEXIST)
            client_fail (client, "mkdir", box, err);
          break;
        case 1:
          err = remove_box (mount, box);
          if (err != 0 && err != ENOENT)
            client_fail (client, "rmdir", box, err);
          break;
        case 2:
        case 3:
          {
            g_autofree char *cmd = g_build_filename (box, "cmd", NULL);
            err = put (mount, cmd, g_rand_boolean (rand) ? "/bin/true" : "/bin/sleep 0.05");
            if (err != 0 && err != ENOENT && err != EBUSY)
              client_fail (client, "write cmd", box, err);
            break;
          }
        case 4:
          {
            g_autofree char *status = g_build_filename (box, "status", NULL);
            g_autofree char *path = mount_path (mount, status);
            int fd = open (path, O_RDONLY | (g_rand_boolean (rand) ? O_NONBLOCK : 0));
            if (fd < 0)
              err = errno;
            else
              {
                char buffer[4096];
                err = read (fd, buffer, sizeof buffer) < 0 ? errno : 0;
                close (fd);
              }
            if (err != 0 && err != ENOENT)
              client_fail (client, "read status", box, err);
            break;
          }
        default:
          {
            g_autofree char *wall = g_build_filename (box, "wall-time", NULL);
            err = put (mount, wall, "1");
            if (err != 0 && err != ENOENT && err != EBUSY)
              client_fail (client, "write wall-time", box, err);
            break;
          }
        }
    }
  return NULL;
}

static void
test_concurrent_clients (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new ("first_uid=62100,first_gid=62100");
  GMutex lock;
  g_mutex_init (&lock);
  g_autoptr (GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
  Client clients[THREADS];
  GThread *threads[THREADS];
  gint64 deadline = g_get_monotonic_time () + CONCURRENT_SECONDS * G_USEC_PER_SEC;
  for (guint i = 0; i < THREADS; i++)
    {
      clients[i] = (Client){ .mount = mount,
                             .index = i,
                             .deadline = deadline,
                             .seed = g_test_rand_int (),
                             .lock = &lock,
                             .failures = failures };
      threads[i] = g_thread_new ("client", client_main, &clients[i]);
    }
  guint operations = 0;
  for (guint i = 0; i < THREADS; i++)
    {
      g_thread_join (threads[i]);
      operations += clients[i].operations;
    }
  g_mutex_clear (&lock);
  g_test_message ("%u operations from %u clients", operations, THREADS);
  for (guint i = 0; i < failures->len; i++)
    g_test_message ("%s", (const char *) failures->pdata[i]);
  g_assert_cmpuint (failures->len, ==, 0);

  /* Still up: the root lists, every box left can be removed. */
  g_autoptr (GDir) root = g_dir_open (mount->mount_dir, 0, NULL);
  g_assert_nonnull (root);
  g_autoptr (GPtrArray) left = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (root)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (left, g_strdup (name));
  for (guint i = 0; i < left->len; i++)
    {
      g_assert_true (!is_box_file (left->pdata[i]));
      g_assert_cmpint (remove_box (mount, left->pdata[i]), ==, 0);
    }
  g_assert_cmpuint (count_entries (mount->mount_dir), ==, 0);
  g_autofree char *boxes_dir = g_build_filename (mount->state_dir, "boxes", NULL);
  if (g_file_test (boxes_dir, G_FILE_TEST_IS_DIR))
    g_assert_cmpuint (count_entries (boxes_dir), ==, 0);
  /* mount_free checks that no cgroup is left. */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stress/random-writes", test_random_writes);
  g_test_add_func ("/stress/concurrent-clients", test_concurrent_clients);
  return g_test_run ();
}
