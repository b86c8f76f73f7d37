/* mini-isolate-compat: IOI isolate 1.10.1's command line, carried out
 * through an isolatefs mount. Judges that call `isolate` (CMS, Judge0) can
 * call this instead, unchanged; see docs/compat.md. */

#include "boxfs/boxfs.h"
#include "compat_box.h"
#include "compat_meta.h"
#include "compat_options.h"
#include "compat_run.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef MINI_ISOLATE_VERSION
#define MINI_ISOLATE_VERSION "0.1.0"
#endif

extern char **environ;

/* Descriptors 0-2 must be open, or a file we open would take their place. */
static void
open_standard_descriptors (void)
{
  for (int fd = 0; fd <= 2; fd++)
    if (fcntl (fd, F_GETFD) < 0 && errno == EBADF)
      {
        int null = open ("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (null >= 0 && null != fd)
          {
            dup2 (null, fd);
            close (null);
          }
      }
}

static void
on_signal (int signal_number)
{
  boxfs_interrupted = signal_number;
}

static void
set_up_signals (void)
{
  signal (SIGPIPE, SIG_IGN);
  /* No SA_RESTART: a read waiting for the run ends with EINTR, and the run
   * is stopped, as isolate stops it. */
  struct sigaction action = { .sa_handler = on_signal };
  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, NULL);
  sigaction (SIGTERM, &action, NULL);
  sigaction (SIGHUP, &action, NULL);
  sigaction (SIGQUIT, &action, NULL);
}

static void
show_version (void)
{
  const char *work_dirs = compat_work_dirs (g_getenv ("MINI_ISOLATE_COMPAT_DIR"));
  g_print ("The process isolator 1.10.1 (command-line compatible)\n"
           "mini-isolate-compat %s, running boxes through an isolatefs mount\n"
           "Sandbox root: %s\n"
           "Work directories: %s\n",
           MINI_ISOLATE_VERSION, boxfs_root (NULL),
           work_dirs ? work_dirs : "(none: --init prints the box's directory in the mount)");
}

/* One line on stderr for each option given that is deliberately carried
 * out otherwise than isolate would; not with -s, which keeps back all but
 * fatal errors (Judge0 sends our stderr into the program's). */
static void
warn_of_differences (const CompatOptions *options)
{
  if (options->silent)
    return;
  g_auto (GStrv) differences = compat_options_differences (options);
  for (guint i = 0; differences[i] != NULL; i++)
    g_printerr ("isolate: %s\n", differences[i]);
}

/* isolate opens its meta file while it reads the options, before anything
 * runs: a program cannot swap the file for a link in between. -1 without a
 * meta file; -2 (after a message) when it cannot be opened. */
static int
open_meta (const char *path)
{
  if (path == NULL)
    return -1;
  if (strcmp (path, "-") == 0)
    return dup (STDOUT_FILENO);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      g_printerr ("Failed to open meta file %s: %s\n", path, g_strerror (errno));
      return -2;
    }
  return fd;
}

static gboolean
write_all (int fd, const char *text)
{
  gsize size = strlen (text);
  for (gsize done = 0; done < size;)
    {
      gssize n = write (fd, text + done, size - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      done += n;
    }
  return TRUE;
}

static CompatVerdict *
run_or_say_why (const char *root, const CompatOptions *options, GError **error)
{
  CompatVerdict *verdict = compat_run (root, options, (const char *const *) environ, error);
  g_autoptr (GError) unmounted = NULL;
  if (verdict == NULL && !boxfs_check_mounted (root, NULL, &unmounted))
    {
      g_clear_error (error);
      g_propagate_error (error, g_steal_pointer (&unmounted));
    }
  return verdict;
}

/* Carries out the command; NULL with an error when the sandbox failed. */
static CompatVerdict *
carry_out (const CompatOptions *options, GError **error)
{
  const char *root = boxfs_root (NULL);
  const char *work_dirs = compat_work_dirs (g_getenv ("MINI_ISOLATE_COMPAT_DIR"));
  /* isolate has no option for it: the environment names another mount. A
   * run, a judge's every call, does not ask the daemon first: whether the
   * mount is there is asked only when the run failed, to say why. */
  if (options->command == COMPAT_COMMAND_RUN)
    return run_or_say_why (root, options, error);
  if (!boxfs_check_mounted (root, NULL, error))
    return NULL;
  switch (options->command)
    {
    case COMPAT_COMMAND_INIT:
      {
        g_autofree char *dir = compat_box_init (root, work_dirs, options, error);
        if (dir == NULL)
          return NULL;
        g_print ("%s\n", dir);
        return g_new0 (CompatVerdict, 1);
      }
    case COMPAT_COMMAND_CLEANUP:
      if (!compat_box_cleanup (root, work_dirs, options, error))
        return NULL;
      return g_new0 (CompatVerdict, 1);
    default:
      g_set_error (error, BOXFS_ERROR, EINVAL, "Internal error: mode mismatch");
      return NULL;
    }
}

/* Writes the meta file and the status line, and answers the exit status. */
static int
report (const CompatOptions *options, int meta_fd, const CompatVerdict *verdict)
{
  fflush (stdout);
  int status = verdict->exit_status;
  if (meta_fd >= 0 && verdict->meta != NULL)
    {
      if (!write_all (meta_fd, verdict->meta))
        {
          g_printerr ("Cannot write the meta file: %s\n", g_strerror (errno));
          status = COMPAT_EXIT_SANDBOX_ERROR;
        }
    }
  if (meta_fd >= 0 && close (meta_fd) != 0 && status != COMPAT_EXIT_SANDBOX_ERROR)
    {
      g_printerr ("Cannot write the meta file: %s\n", g_strerror (errno));
      status = COMPAT_EXIT_SANDBOX_ERROR;
    }
  if (verdict->line != NULL && (!options->silent || verdict->fatal))
    g_printerr ("%s\n", verdict->line);
  return status;
}

int
main (int argc, char **argv)
{
  /* The charset, for what GLib prints, and not the rest of the locale: its
   * dozen files would cost more than a run does (messages are in English,
   * as isolate's). */
  setlocale (LC_CTYPE, "");
  open_standard_descriptors ();
  g_set_prgname ("isolate");

  g_autoptr (GError) error = NULL;
  g_autoptr (CompatOptions) options
      = compat_options_parse (argc, (const char *const *) argv, &error);
  if (options == NULL)
    {
      /* As isolate's usage(): the complaint on stderr, the usage on stdout. */
      g_printerr ("%s\n", error->message);
      g_print ("%s", compat_options_usage ());
      return COMPAT_EXIT_SANDBOX_ERROR;
    }
  if (options->command == COMPAT_COMMAND_HELP)
    {
      g_print ("%s", compat_options_usage ());
      return COMPAT_EXIT_OK;
    }
  if (options->command == COMPAT_COMMAND_VERSION)
    {
      show_version ();
      return COMPAT_EXIT_OK;
    }

  warn_of_differences (options);
  int meta_fd = open_meta (options->meta_path);
  if (meta_fd == -2)
    return COMPAT_EXIT_SANDBOX_ERROR;
  set_up_signals ();
  g_autoptr (CompatVerdict) verdict = carry_out (options, &error);
  if (verdict == NULL)
    verdict = compat_verdict_for_error (error->message);
  return report (options, meta_fd, verdict);
}
