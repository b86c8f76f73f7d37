/* Crash consistency: two clients drive boxes with random operations while
 * the daemon is stopped at random moments, mostly by SIGKILL (also
 * SIGTERM, SIGTERM then SIGKILL during the stop, SIGKILL during the start,
 * and with another mount namespace holding copies of its mounts). After
 * each restart, every operation the daemon acknowledged must have left its
 * effect, one it did not must have left its effect or none, and nothing may
 * be left over: no set-aside box, no half-made one, no process of a box
 * uid, no cgroup, mount or loop device of no box, no file of box/ owned by
 * a box uid.
 *
 * CRASH_CYCLES (default 40) and CRASH_SEED (default: random, printed) set
 * its length and its random choices: the operations and the moments. How
 * the clients and the daemon interleave is the machine's. */

#include "crash_model.h"
#include "mount_fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CLIENTS 2
#define BOXES_PER_CLIENT 3
#define FIRST_UID 66000
#define BOX_UIDS 100
#define OPTIONS "first_uid=66000,first_gid=66000,box_uids=100"

typedef enum
{
  OP_MKDIR,
  OP_RMDIR,
  OP_SET,
  OP_QUOTA,
  OP_FILE,
  OP_RUN,
  OP_RESET,
  OP_STATUS,
  N_OPS
} Op;

static const char *const op_names[N_OPS]
    = { "mkdir", "rmdir", "setting", "quota", "owner's file", "run", "reset", "status" };

typedef struct
{
  int index;
  const Mount *mount;
  GRand *rand;
  BoxModel *boxes[BOXES_PER_CLIENT];
  /* The operation the daemon's death cut short, and what it would have left. */
  int cut_box;
  BoxModel *cut_after;
  volatile gint *stopping;
  volatile gint *started; /* operations begun by either client this cycle */
  guint acknowledged[N_OPS];
  GString *errors; /* answers no documented rule allows */
  guint serial;
} Client;

static char *
box_name (const Client *client, int box)
{
  return g_strdup_printf ("c%d-%d", client->index, box);
}

static int
put_in (const Client *client, int box, const char *file, const char *value)
{
  g_autofree char *name = box_name (client, box);
  g_autofree char *path = g_build_filename (name, file, NULL);
  return put (client->mount, path, value);
}

static char *
get_in (const Client *client, int box, const char *file)
{
  g_autofree char *name = box_name (client, box);
  g_autofree char *path = g_build_filename (name, file, NULL);
  return get (client->mount, path);
}

/* A value the file reads back as written. */
static char *
random_value (Client *client, BoxKey key)
{
  switch (key)
    {
    case KEY_MEM:
      return g_strdup_printf ("%d\n", 1024 * g_rand_int_range (client->rand, 32, 256));
    case KEY_TIME:
      return g_strdup_printf ("%d.%03d\n", g_rand_int_range (client->rand, 1, 3),
                              g_rand_int_range (client->rand, 0, 1000));
    case KEY_ENV:
      return g_strdup_printf ("A=%u\n", client->serial);
    case KEY_QUOTA:
      return g_strdup (g_rand_boolean (client->rand) ? "unlimited\n" : "2048\n");
    default:
      /* One length, written over the old without O_TRUNC: a truncate is
       * an operation of its own (the open), which a kill could come after. */
      return g_strdup_printf ("input %08u\n", client->serial);
    }
}

/* One operation on box (after: the model once it is done). Returns the
 * errno of its answer; *expected_error what the model expects. */
static int
perform (Client *client, int box, Op op, BoxModel *after, int *expected_error)
{
  g_autofree char *name = box_name (client, box);
  g_autofree char *path = mount_path (client->mount, name);
  char file[32];
  g_snprintf (file, sizeof file, "f%u", ++client->serial);
  *expected_error = 0;
  switch (op)
    {
    case OP_MKDIR:
      box_model_make (after);
      return mkdir (path, 0755) == 0 ? 0 : errno;
    case OP_RMDIR:
      after->exists = FALSE;
      return rmdir (path) == 0 ? 0 : errno;
    case OP_SET:
    case OP_QUOTA:
      {
        BoxKey key = op == OP_QUOTA ? KEY_QUOTA : g_rand_int_range (client->rand, 0, KEY_QUOTA);
        if (g_rand_int_range (client->rand, 0, 4) == 0)
          key = KEY_STDIN;
        g_autofree char *value = random_value (client, key);
        if (key == KEY_QUOTA && g_hash_table_size (after->allowed) > 0
            && strcmp (value, after->values[KEY_QUOTA]) != 0)
          *expected_error = EBUSY; /* box/ must be empty */
        else
          box_model_set (after, key, value);
        /* stdin is a file: no trailing newline is dropped. */
        if (key == KEY_STDIN)
          {
            g_autofree char *stdin_file = g_build_filename (name, "stdin", NULL);
            return put_bytes (client->mount, stdin_file, value, strlen (value), 0);
          }
        return put_in (client, box, box_key_files[key], value);
      }
    case OP_FILE:
      {
        g_autofree char *host
            = g_build_filename (client->mount->state_dir, "boxes", name, "box", file, NULL);
        box_model_add_file (after, file);
        return g_file_set_contents (host, file, -1, NULL) ? 0 : EIO;
      }
    case OP_RUN:
      {
        /* Builtins only (processes is 1), or a program that takes a while. */
        g_autofree char *cmd = g_rand_int_range (client->rand, 0, 4) == 0
                                   ? g_strdup ("sleep 0.2")
                                   : g_strdup_printf ("sh -c 'echo %s > %s'", file, file);
        gboolean writes = cmd[0] == 's' && cmd[1] == 'h';
        if (writes)
          box_model_allow_file (after, file);
        after->must_be_interrupted = FALSE;
        after->may_be_interrupted = TRUE;
        int err = put_in (client, box, "cmd", cmd);
        if (err != 0)
          return err;
        g_autofree char *status = get_in (client, box, "status");
        if (status == NULL)
          return errno;
        if (strstr (status, "exitcode:0\n") == NULL)
          g_string_append_printf (client->errors, "%s: %s ended so: %s\n", name, cmd, status);
        if (writes)
          box_model_add_file (after, file);
        return 0;
      }
    case OP_RESET:
      box_model_clear_files (after, TRUE);
      after->must_be_interrupted = FALSE;
      return put_in (client, box, "ctl", "reset");
    default:
      {
        g_autofree char *status = get_in (client, box, "status");
        if (status == NULL)
          return errno;
        gboolean interrupted = strstr (status, "message:The run was interrupted") != NULL;
        if (after->must_be_interrupted && !interrupted)
          g_string_append_printf (client->errors, "%s: status lost the interrupted run: %s\n", name,
                                  status);
        return 0;
      }
    }
}

/* Picks an operation the box allows, now. */
static Op
pick (Client *client, const BoxModel *model)
{
  if (!model->exists)
    return OP_MKDIR;
  static const Op weighted[] = { OP_SET,  OP_SET,   OP_SET,    OP_RUN,   OP_RUN,  OP_RUN,
                                 OP_FILE, OP_RESET, OP_STATUS, OP_QUOTA, OP_RMDIR };
  return weighted[g_rand_int_range (client->rand, 0, G_N_ELEMENTS (weighted))];
}

static gpointer
client_main (gpointer data)
{
  Client *client = data;
  while (!g_atomic_int_get (client->stopping))
    {
      int box = g_rand_int_range (client->rand, 0, BOXES_PER_CLIENT);
      BoxModel *model = client->boxes[box];
      Op op = pick (client, model);
      g_autoptr (BoxModel) after = box_model_copy (model);
      g_atomic_int_inc (client->started);
      int expected = 0;
      int err = perform (client, box, op, after, &expected);
      if (err == expected)
        {
          if (err == 0)
            {
              client->boxes[box] = g_steal_pointer (&after);
              box_model_free (model);
              client->acknowledged[op]++;
            }
          continue;
        }
      if (g_atomic_int_get (client->stopping))
        {
          /* Cut short: its effect may be there or not; a reset, partly. */
          client->cut_box = box;
          client->cut_after = g_steal_pointer (&after);
          if (op == OP_RESET)
            {
              box_model_free (client->cut_after);
              client->cut_after = box_model_copy (model);
              box_model_clear_files (client->cut_after, FALSE);
              client->cut_after->may_be_interrupted |= model->must_be_interrupted;
              client->cut_after->must_be_interrupted = FALSE;
            }
          break;
        }
      g_string_append_printf (client->errors, "c%d-%d: %s answered %s (expected %s)\n",
                              client->index, box, op_names[op], g_strerror (err),
                              expected ? g_strerror (expected) : "success");
      break;
    }
  return NULL;
}

/* ---- Killing the daemon, and what must hold after ---- */

typedef enum
{
  KILL_SIGKILL,
  KILL_SIGTERM,
  KILL_DURING_STOP, /* SIGTERM, then SIGKILL a moment later */
  N_KILLS
} Kill;

static const char *const kill_names[N_KILLS] = { "SIGKILL", "SIGTERM", "SIGKILL during the stop" };

typedef struct
{
  guint cycles;
  guint kills[N_KILLS];
  guint start_kills;    /* SIGKILL during the start, then a start */
  guint holders;        /* cycles with another mount namespace holding copies */
  guint cut_short;      /* operations cut short */
  guint cut_short_done; /* ... whose effect was there after the restart */
  guint acknowledged[N_OPS];
} Figures;

/* Mounts below the state directory but the favordynmods hierarchy: the
 * boxes' /tmp volume, and two filesystems per box with a quota (box/ and
 * the directory its /tmp is made in). */
static GPtrArray *
mounts_below (const Mount *mount)
{
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents ("/proc/self/mounts", &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *prefix = g_strconcat (mount->state_dir, "/", NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) fields = g_strsplit (lines[i], " ", 4);
      if (g_strv_length (fields) >= 3 && g_str_has_prefix (fields[1], prefix)
          && strcmp (fields[2], "cgroup") != 0)
        g_ptr_array_add (found, g_strdup (fields[1]));
    }
  return found;
}

static guint
processes_of_box_uids (void)
{
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  guint count = 0;
  for (const char *pid; (pid = g_dir_read_name (proc)) != NULL;)
    {
      /* A zombie is dead, and its reaper perhaps slow: not a leak. */
      if (!g_ascii_isdigit (pid[0]) || process_has_ended (atoi (pid)))
        continue;
      gint64 uid = process_uid (pid);
      count += uid >= FIRST_UID && uid < FIRST_UID + BOX_UIDS;
    }
  return count;
}

static void
fail (const char *what, const char *detail)
{
  g_test_message ("%s: %s", what, detail);
  g_test_fail ();
}

/* Nothing of the daemon's is left but the boxes the model holds. */
static void
check_nothing_left (const Mount *mount, GHashTable *boxes, guint quotas)
{
  g_autofree char *set_aside = g_build_filename (mount->state_dir, "set-aside", NULL);
  if (g_file_test (set_aside, G_FILE_TEST_EXISTS) && count_entries (set_aside) > 0)
    fail ("set aside", "a box was set aside");
  g_autofree char *state_boxes = g_build_filename (mount->state_dir, "boxes", NULL);
  g_autoptr (GDir) dir = g_dir_open (state_boxes, 0, NULL);
  for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
    if (!g_hash_table_contains (boxes, name))
      fail ("a state directory of no box", name);
  static const char *const controllers[] = { "memory", "cpuacct", "pids" };
  for (guint c = 0; c < G_N_ELEMENTS (controllers); c++)
    {
      g_autofree char *parent = mount_cgroup_path (mount, controllers[c], "");
      g_autoptr (GDir) groups = g_dir_open (parent, 0, NULL);
      for (const char *name; groups != NULL && (name = g_dir_read_name (groups)) != NULL;)
        {
          g_autofree char *path = g_build_filename (parent, name, NULL);
          if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_hash_table_contains (boxes, name))
            fail ("a cgroup of no box", path);
        }
    }
  if (processes_of_box_uids () > 0)
    fail ("processes", "a process of a box uid runs");
  g_autoptr (GPtrArray) mounts = mounts_below (mount);
  guint expected = 2 * quotas + mount_tmp_volume_loops (mount);
  if (mounts->len != expected)
    fail ("mounts", "not the /tmp volume and two filesystems per box with a quota");
  /* A loop device of a removed quota detaches a moment after its unmount. */
  WAIT_UNTIL (loop_devices_under (mount->tmp_dir) == expected);
  if (loop_devices_under (mount->tmp_dir) != expected)
    fail ("loop devices", "not one per filesystem");
}

/* After a restart: each box as its model says, or, for the one whose
 * operation was cut short, as it would have been after it; the model then
 * follows what is there. Adds the boxes there are to existing, and
 * returns how many have a quota. */
static guint
check_boxes (const Mount *mount, Client *clients, Figures *figures, GHashTable *existing)
{
  guint quotas = 0;
  for (int c = 0; c < CLIENTS; c++)
    for (int b = 0; b < BOXES_PER_CLIENT; b++)
      {
        Client *client = &clients[c];
        g_autofree char *name = box_name (client, b);
        BoxModel *model = client->boxes[b];
        g_autofree char *why = NULL, *why_after = NULL;
        gboolean cut = client->cut_after != NULL && client->cut_box == b;
        if (box_model_check (model, mount, name, &why))
          figures->cut_short += cut;
        else if (cut && box_model_check (client->cut_after, mount, name, &why_after))
          {
            figures->cut_short++;
            figures->cut_short_done++;
          }
        else
          {
            g_autofree char *detail = g_strdup_printf (
                "%s%s%s", why, why_after ? "; or, after the operation cut short: " : "",
                why_after ? why_after : "");
            fail (name, detail);
          }
        box_model_adopt (model, mount, name);
        if (model->exists)
          g_hash_table_add (existing, g_strdup (name));
        quotas += model->exists && g_strcmp0 (model->values[KEY_QUOTA], "unlimited\n") != 0;
        if (cut)
          g_clear_pointer (&client->cut_after, box_model_free);
      }
  return quotas;
}

static void
stop_daemon (Mount *mount, GRand *rand, Figures *figures)
{
  Kill kill
      = g_rand_int_range (rand, 0, 10) < 7 ? KILL_SIGKILL : g_rand_int_range (rand, 1, N_KILLS);
  figures->kills[kill]++;
  if (kill == KILL_SIGKILL)
    mount_signal (mount, SIGKILL);
  else
    {
      mount_signal (mount, SIGTERM);
      if (kill == KILL_DURING_STOP)
        {
          g_usleep (g_rand_int_range (rand, 0, 30000));
          mount_signal (mount, SIGKILL);
        }
    }
}

static void
run_cycle (Mount *mount, Client *clients, GRand *rand, Figures *figures)
{
  volatile gint stopping = 0, started = 0;
  GThread *threads[CLIENTS];
  for (int c = 0; c < CLIENTS; c++)
    {
      clients[c].stopping = &stopping;
      clients[c].started = &started;
      g_rand_set_seed (clients[c].rand, g_rand_int (rand));
      threads[c] = g_thread_new ("client", client_main, &clients[c]);
    }
  /* Sometimes another mount namespace takes copies of the mounts. */
  g_autoptr (GSubprocess) holder = NULL;
  if (g_rand_int_range (rand, 0, 8) == 0)
    {
      g_usleep (g_rand_int_range (rand, 0, 100000));
      holder = namespace_holder_new ();
      figures->holders++;
    }
  /* Most operations take a millisecond or less: 6 stops in 10 come a
   * moment after one begins, to land inside it; the others at any time. */
  if (g_rand_int_range (rand, 0, 10) < 6)
    {
      gint target = g_rand_int_range (rand, 1, 60);
      for (int i = 0; i < 20000 && g_atomic_int_get (&started) < target; i++)
        g_usleep (100);
      g_usleep (g_rand_int_range (rand, 0, 2000));
    }
  else
    g_usleep (g_rand_int_range (rand, 10000, 400000));
  g_atomic_int_set (&stopping, 1);
  stop_daemon (mount, rand, figures);
  for (int c = 0; c < CLIENTS; c++)
    g_thread_join (threads[c]);
  mount_wait_daemon (mount);
  if (g_rand_int_range (rand, 0, 8) == 0)
    {
      mount_start_and_kill (mount, g_rand_int_range (rand, 0, 60000));
      figures->start_kills++;
    }
  mount_start (mount);
  g_autoptr (GHashTable) existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint quotas = check_boxes (mount, clients, figures, existing);
  /* It holds the loop devices of the quotas it saw, removed boxes' too. */
  if (holder != NULL)
    {
      g_subprocess_force_exit (holder);
      g_subprocess_wait (holder, NULL, NULL);
    }
  check_nothing_left (mount, existing, quotas);
  figures->cycles++;
}

static guint
env_number (const char *name, guint fallback)
{
  const char *text = g_getenv (name);
  return text != NULL ? (guint) g_ascii_strtoull (text, NULL, 10) : fallback;
}

static void
report (const Figures *figures, const Client *clients, guint32 seed)
{
  GString *text = g_string_new (NULL);
  guint total = 0;
  g_string_append_printf (text, "seed %u: %u cycles; acknowledged:", seed, figures->cycles);
  for (int op = 0; op < N_OPS; op++)
    {
      guint count = clients[0].acknowledged[op] + clients[1].acknowledged[op];
      total += count;
      g_string_append_printf (text, " %s %u,", op_names[op], count);
    }
  g_string_append_printf (text, " %u in all; stops:", total);
  for (int k = 0; k < N_KILLS; k++)
    g_string_append_printf (text, " %s %u,", kill_names[k], figures->kills[k]);
  g_string_append_printf (text,
                          " SIGKILL during the start %u; with a namespace holder %u; "
                          "operations cut short %u (%u of them done)",
                          figures->start_kills, figures->holders, figures->cut_short,
                          figures->cut_short_done);
  g_print ("# %s\n", text->str);
  g_string_free (text, TRUE);
}

static void
test_random_kills (void)
{
  if (!mount_require_root ())
    return;
  guint32 seed = g_getenv ("CRASH_SEED") ? env_number ("CRASH_SEED", 0) : g_random_int ();
  guint cycles = env_number ("CRASH_CYCLES", 40);
  g_print ("# crash seed %u (CRASH_SEED=%u CRASH_CYCLES=%u to repeat)\n", seed, seed, cycles);
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr (Mount) mount = mount_new (OPTIONS);
  Client clients[CLIENTS];
  Figures figures = { 0 };
  for (int c = 0; c < CLIENTS; c++)
    {
      clients[c] = (Client){ .index = c, .mount = mount, .rand = g_rand_new () };
      clients[c].errors = g_string_new (NULL);
      for (int b = 0; b < BOXES_PER_CLIENT; b++)
        clients[c].boxes[b] = box_model_new ();
    }
  for (guint i = 0; i < cycles; i++)
    {
      run_cycle (mount, clients, rand, &figures);
      for (int c = 0; c < CLIENTS; c++)
        if (clients[c].errors->len > 0)
          fail ("answers", clients[c].errors->str);
      if (g_test_failed ())
        {
          g_test_message ("cycle %u of seed %u failed", i, seed);
          break;
        }
    }
  report (&figures, clients, seed);
  for (int c = 0; c < CLIENTS; c++)
    {
      for (int b = 0; b < BOXES_PER_CLIENT; b++)
        box_model_free (clients[c].boxes[b]);
      g_rand_free (clients[c].rand);
      g_string_free (clients[c].errors, TRUE);
    }
  /* mount_free removes the boxes and checks their cgroups are gone. */
  g_autofree char *tmp_dir = g_strdup (mount->tmp_dir);
  g_clear_pointer (&mount, mount_free);
  WAIT_UNTIL (loop_devices_under (tmp_dir) == 0);
  if (loop_devices_under (tmp_dir) > 0)
    fail ("loop devices", "left after every box was removed");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/crash/random-kills", test_random_kills);
  return g_test_run ();
}
