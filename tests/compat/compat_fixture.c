/* What the tests of mini-isolate-compat against a real mount share: the
 * mount, an `isolate` link to the front end, running it as CMS and Judge0
 * do, files, and the meta file read as those clients read it. */

#include "compat_fixture.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

Mount *mount;
char *bin_dir;   /* holds `isolate`, a link to the front end */
char *work_dirs; /* $MINI_ISOLATE_COMPAT_DIR */
char *host_prog; /* data/prog.c compiled on the host */

const char *
env_path (const char *name)
{
  const char *value = g_getenv (name);
  g_assert_nonnull (value);
  return value;
}

char *
data (const char *name)
{
  return g_build_filename (env_path ("COMPAT_TEST_DATA"), name, NULL);
}

static void
compile_on_host (void)
{
  g_autofree char *source = data ("prog.c");
  host_prog = g_build_filename (mount->tmp_dir, "prog", NULL);
  const char *argv[] = { "gcc", "-O2", "-o", host_prog, source, NULL };
  int wait_status;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
}

/* FALSE (the test skipped) without root, /dev/fuse or gcc. */
gboolean
require_mount (void)
{
  if (!mount_require_root ())
    return FALSE;
  g_autofree char *gcc = g_find_program_in_path ("gcc");
  if (gcc == NULL)
    {
      g_test_skip ("needs gcc to build the test program");
      return FALSE;
    }
  if (mount != NULL)
    return TRUE;
  mount = mount_new (NULL);
  bin_dir = g_build_filename (mount->tmp_dir, "bin", NULL);
  work_dirs = g_build_filename (mount->tmp_dir, "work", NULL);
  g_assert_cmpint (g_mkdir (bin_dir, 0755), ==, 0);
  g_autofree char *link = g_build_filename (bin_dir, "isolate", NULL);
  g_assert_cmpint (symlink (env_path ("MINI_ISOLATE_COMPAT"), link), ==, 0);
  compile_on_host ();
  return TRUE;
}

/* The box's newer control files that some options need; tests of those
 * options skip, naming the file, against a daemon without them. */
gboolean
require_daemon_file (const char *box, const char *file)
{
  g_autofree char *name = g_build_filename (box, file, NULL);
  g_autofree char *path = mount_path (mount, name);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  g_autofree char *reason = g_strdup_printf ("this isolatefs has no `%s' control file yet", file);
  g_test_skip (reason);
  return FALSE;
}

/* ---- running isolate ---- */

static GSubprocessLauncher *
launcher_new (void)
{
  GSubprocessLauncher *launcher
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                   | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *path = g_strdup_printf ("%s:%s", bin_dir ? bin_dir : "/nonexistent",
                                           g_getenv ("PATH") ? g_getenv ("PATH") : "/usr/bin:/bin");
  g_subprocess_launcher_setenv (launcher, "PATH", path, TRUE);
  g_subprocess_launcher_setenv (launcher, "MINI_ISOLATE_ROOT",
                                mount ? mount->mount_dir : "/nonexistent", TRUE);
  g_subprocess_launcher_setenv (launcher, "MINI_ISOLATE_COMPAT_DIR",
                                work_dirs ? work_dirs : "/nonexistent", TRUE);
  g_subprocess_launcher_setenv (launcher, "LANG", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_subprocess_launcher_unsetenv (launcher, "LC_ALL");
  return launcher;
}

CommandResult *
spawn (const char *const *argv, const char *input)
{
  g_autoptr (GSubprocessLauncher) launcher = launcher_new ();
  return command_run (launcher, argv, input);
}

/* Runs a shell command line, as Judge0 runs its backquoted commands. */
CommandResult *
shell (const char *line)
{
  const char *argv[] = { "/bin/sh", "-c", line, NULL };
  return spawn (argv, NULL);
}

/* Runs isolate with an argument vector, as CMS's subprocess calls do. */
CommandResult *
isolate_argv (GPtrArray *args, const char *input)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (argv, g_build_filename (bin_dir, "isolate", NULL));
  for (guint i = 0; i < args->len; i++)
    g_ptr_array_add (argv, g_strdup (g_ptr_array_index (args, i)));
  g_ptr_array_add (argv, NULL);
  return spawn ((const char *const *) argv->pdata, input);
}

void
add (GPtrArray *args, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_ptr_array_add (args, g_strdup_vprintf (format, ap));
  va_end (ap);
}

/* isolate_job.rb's initialize_workdir: the files beside box/. */
char *
judge0_init (const char *box_id)
{
  g_autofree char *line = g_strdup_printf ("isolate --cg -b %s --init", box_id);
  g_autoptr (CommandResult) init = shell (line);
  g_assert_cmpint (init->status, ==, 0);
  char *workdir = g_strchomp (g_strdup (init->out));
  const char *files[] = { "stdin.txt", "stdout.txt", "stderr.txt", "metadata.txt" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (workdir, files[i], NULL);
      write_file (path, "");
    }
  g_autofree char *stdin_path = g_build_filename (workdir, "stdin.txt", NULL);
  write_file (stdin_path, stdin_text);
  return workdir;
}

/* ---- files ---- */

char *
read_file (const char *path)
{
  char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

void
write_file (const char *path, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

void
copy_file (const char *from, const char *to, int mode)
{
  g_autofree char *contents = NULL;
  gsize size;
  g_assert_true (g_file_get_contents (from, &contents, &size, NULL));
  g_assert_true (g_file_set_contents (to, contents, size, NULL));
  g_assert_cmpint (g_chmod (to, mode), ==, 0);
}

void
assert_contains (const char *text, const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("'%s' does not contain '%s'", text, part);
}

/* ---- the meta file, read as the clients read it ---- */

static const char *const isolate_keys[]
    = { "cg-mem",  "cg-oom-killed", "csw-forced", "csw-voluntary", "exitcode",  "exitsig", "killed",
        "max-rss", "message",       "status",     "time",          "time-wall", NULL };

/* key -> value; every line must be one of isolate's keys, once. */
GHashTable *
read_meta (const char *path)
{
  g_autofree char *text = read_file (path);
  g_test_message ("meta %s:\n%s", path, text);
  GHashTable *meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (char **line = lines; *line != NULL; line++)
    {
      if (**line == '\0')
        continue;
      const char *colon = strchr (*line, ':');
      g_assert_nonnull (colon);
      char *key = g_strndup (*line, colon - *line);
      g_assert_true (g_strv_contains (isolate_keys, key));
      g_assert_false (g_hash_table_contains (meta, key));
      g_hash_table_insert (meta, key, g_strdup (colon + 1));
    }
  g_assert_true (g_str_has_suffix (text, "\n"));
  return meta;
}

const char stdin_text[] = "3 4\n";
const char stdout_expected[] = "7\n";

void
compat_fixture_tear_down (void)
{
  g_clear_pointer (&mount, mount_free);
  g_clear_pointer (&bin_dir, g_free);
  g_clear_pointer (&work_dirs, g_free);
  g_clear_pointer (&host_prog, g_free);
}
