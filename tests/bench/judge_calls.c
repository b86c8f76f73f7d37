/* The calls judges make of `isolate --run` (judge_calls.h). The command
 * lines are those of cms-dev/cms and judge0/judge0 as they stand; only the
 * program is /bin/true, so that the figures are the sandbox's own. */
#include "judge_calls.h"

#include "bench_samples.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct _JudgeBox
{
  char *tool;
  int id;
  char **envp;
  char *work_dir;  /* what --init printed: isolate's box directory, or compat's work directory */
  char *cms_outer; /* CMS's directory for the box: home/ (bound at /tmp), the meta files */
  int cms_exec;    /* CMS numbers its meta files */
  char *plain_err; /* isolate's stderr in a plain call */
  gboolean warned;
};

const char *
judge_name (JudgeStyle judge)
{
  static const char *const names[] = {
    [JUDGE_CMS] = "CMS's",
    [JUDGE_JUDGE0] = "Judge0's",
    [JUDGE_PLAIN] = "no",
  };
  return names[judge];
}

/* ---- Running a tool -------------------------------------------------------- */

/* Where a call's standard streams go: a file (NULL: /dev/null), or with
 * pipes, CMS's way. */
typedef struct
{
  gboolean pipes;
  const char *in, *out, *err;
} Stdio;

/* In the child, before its exec: only async-signal-safe calls. */
static void
redirect (int fd, const char *path, int flags)
{
  int opened = open (path ? path : "/dev/null", flags, 0644);
  if (opened < 0)
    _exit (126);
  if (opened != fd)
    {
      dup2 (opened, fd);
      close (opened);
    }
}

/* Reads both pipes to their end, as CMS's wait_without_std does. */
static void
drain (int out, int err, GString *err_text)
{
  struct pollfd fds[] = { { .fd = out, .events = POLLIN }, { .fd = err, .events = POLLIN } };
  int open_fds = 2;
  char buffer[4096];
  while (open_fds > 0)
    {
      if (poll (fds, 2, -1) < 0 && errno != EINTR)
        break;
      for (int i = 0; i < 2; i++)
        if (fds[i].fd >= 0 && fds[i].revents)
          {
            gssize n = read (fds[i].fd, buffer, sizeof buffer);
            if (n > 0 && i == 1)
              g_string_append_len (err_text, buffer, n);
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
              {
                close (fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
              }
          }
    }
}

/* Runs argv (argv[0] a path) with envp; its wait status. err_text gets
 * what it wrote to a stderr pipe. */
static int
spawn_and_wait (char **argv, char **envp, const Stdio *stdio, GString *err_text)
{
  int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
  /* Close-on-exec: a call on another thread must not inherit them. */
  if (stdio->pipes
      && (pipe2 (in, O_CLOEXEC) < 0 || pipe2 (out, O_CLOEXEC) < 0 || pipe2 (err, O_CLOEXEC) < 0))
    g_error ("pipe: %s", g_strerror (errno));
  pid_t pid = fork ();
  if (pid < 0)
    g_error ("fork: %s", g_strerror (errno));
  if (pid == 0)
    {
      if (stdio->pipes)
        {
          dup2 (in[0], 0);
          dup2 (out[1], 1);
          dup2 (err[1], 2);
        }
      else
        {
          redirect (0, stdio->in, O_RDONLY);
          redirect (1, stdio->out, O_WRONLY | O_CREAT | O_TRUNC);
          redirect (2, stdio->err, O_WRONLY | O_CREAT | O_TRUNC);
        }
      execve (argv[0], argv, envp);
      _exit (127);
    }
  if (stdio->pipes)
    {
      /* CMS closes the program's stdin at once. */
      close (in[0]);
      close (in[1]);
      close (out[1]);
      close (err[1]);
      drain (out[0], err[0], err_text);
    }
  int status;
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  return status;
}

/* argv: the tool, then the NULL-terminated rest. */
static char **
tool_argv (const char *tool, const char *const *rest)
{
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, g_strdup (tool));
  for (; *rest != NULL; rest++)
    g_ptr_array_add (argv, g_strdup (*rest));
  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (argv, FALSE);
}

/* ---- The boxes -------------------------------------------------------------- */

static gboolean
make_file (const char *dir, const char *name, int mode)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  return g_file_set_contents (path, "", 0, NULL) && g_chmod (path, mode) == 0;
}

JudgeBox *
judge_box_init (const char *tool, int id, const char *scratch, char **envp)
{
  g_autofree char *box_arg = g_strdup_printf ("--box-id=%d", id);
  const char *const rest[] = { "--cg", box_arg, "--init", NULL };
  g_auto (GStrv) argv = tool_argv (tool, rest);
  g_autofree char *out = g_build_filename (scratch, "init.out", NULL);
  g_autofree char *err = g_build_filename (scratch, "init.err", NULL);
  Stdio stdio = { .out = out, .err = err };
  g_autoptr (GString) ignored = g_string_new (NULL);
  int status = spawn_and_wait (argv, envp, &stdio, ignored);
  g_autofree char *printed = NULL, *complaint = NULL;
  g_file_get_contents (out, &printed, NULL, NULL);
  g_file_get_contents (err, &complaint, NULL, NULL);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0 || printed == NULL)
    {
      fprintf (stderr, "bench: %s --init failed: %s\n", tool, complaint ? complaint : "");
      return NULL;
    }

  JudgeBox *box = g_new0 (JudgeBox, 1);
  box->tool = g_strdup (tool);
  box->id = id;
  box->envp = envp;
  box->work_dir = g_strdup (g_strstrip (printed));
  box->plain_err = g_build_filename (scratch, "plain.err", NULL);
  /* CMS: an outer directory of its own, home/ in it writable by the
   * sandbox's user and bound at /tmp, the input there. */
  box->cms_outer = g_build_filename (scratch, "cms", NULL);
  g_autofree char *home = g_build_filename (box->cms_outer, "home", NULL);
  /* Judge0: its files beside box/, where the program's user may not write. */
  const char *const judge0_files[] = { "stdin.txt", "stdout.txt", "stderr.txt", "metadata.txt" };
  gboolean made = g_mkdir_with_parents (home, 0755) == 0 && g_chmod (home, 0777) == 0
                  && make_file (home, "input.txt", 0666);
  for (guint i = 0; i < G_N_ELEMENTS (judge0_files); i++)
    made = made && make_file (box->work_dir, judge0_files[i], 0644);
  if (!made)
    {
      fprintf (stderr, "bench: cannot make the judges' files for %s box %d\n", tool, id);
      judge_box_free (box);
      return NULL;
    }
  return box;
}

void
judge_box_free (JudgeBox *box)
{
  if (box == NULL)
    return;
  g_autofree char *box_arg = g_strdup_printf ("--box-id=%d", box->id);
  const char *const rest[] = { "--cg", box_arg, "--cleanup", NULL };
  g_auto (GStrv) argv = tool_argv (box->tool, rest);
  Stdio stdio = { 0 };
  g_autoptr (GString) ignored = g_string_new (NULL);
  int status = spawn_and_wait (argv, box->envp, &stdio, ignored);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    fprintf (stderr, "bench: %s --cleanup of box %d failed\n", box->tool, box->id);
  g_free (box->tool);
  g_free (box->work_dir);
  g_free (box->cms_outer);
  g_free (box->plain_err);
  g_free (box);
}

double
judge_time_version (const char *tool, char **envp)
{
  const char *const rest[] = { "--version", NULL };
  g_auto (GStrv) argv = tool_argv (tool, rest);
  Stdio stdio = { 0 };
  g_autoptr (GString) ignored = g_string_new (NULL);
  double t0 = now_ms ();
  spawn_and_wait (argv, envp, &stdio, ignored);
  return now_ms () - t0;
}

/* ---- The judges' command lines ------------------------------------------------ */

/* Sandbox.py's build_box_options for evaluation_step_before_run: time 1 s
 * (wall 2 × 1 + 1), 256 MiB, max_file_size 1 GiB, input.txt and
 * output.txt, one process; the home directory at /tmp, a private
 * /dev/shm, /etc/alternatives (present on Debian). */
static char **
cms_argv (JudgeBox *box)
{
  g_autofree char *box_arg = g_strdup_printf ("--box-id=%d", box->id);
  g_autofree char *home = g_strdup_printf ("--dir=/tmp=%s/home:rw", box->cms_outer);
  g_autofree char *meta
      = g_strdup_printf ("--meta=%s/run.meta.%d", box->cms_outer, box->cms_exec++);
  const char *const rest[] = {
    "--cg",
    box_arg,
    "--chdir=/tmp",
    home,
    "--dir=/dev/shm:tmp",
    "--dir=/etc/alternatives=/etc/alternatives",
    "--env=HOME=/tmp",
    "--fsize=1048576",
    "--stdin=/tmp/input.txt",
    "--cg-mem=262144",
    "--stdout=/tmp/output.txt",
    "--processes=1",
    "--stderr=/tmp/stderr.txt",
    "--time=1",
    "--wall-time=3",
    meta,
    "--run",
    "--",
    "/bin/true",
    NULL,
  };
  return tool_argv (box->tool, rest);
}

/* isolate_job.rb's run with Judge0's defaults (cpu_time_limit 5,
 * cpu_extra_time 1, wall_time_limit 10, stack_limit 64000, 60 processes,
 * memory_limit 128000, max_file_size 1024, per-process limits off). */
static char **
judge0_argv (JudgeBox *box)
{
  g_autofree char *meta = g_build_filename (box->work_dir, "metadata.txt", NULL);
  g_autofree char *quoted_meta = g_shell_quote (meta);
  /* A shell command line there, run in backquotes. */
  g_autofree char *line = g_strdup_printf (
      "--cg -s -b %d -M %s -t 5.0 -x 1.0 -w 10.0 -k 64000 -p60 --cg-timing --cg-mem=128000 "
      "-f 1024 -E HOME=/tmp -E PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "
      "-E LANG -E LANGUAGE -E LC_ALL -E JUDGE0_HOMEPAGE -E JUDGE0_SOURCE_CODE "
      "-E JUDGE0_MAINTAINER -E JUDGE0_VERSION -d /etc:noexec --run -- /bin/true",
      box->id, quoted_meta);
  g_auto (GStrv) rest = NULL;
  if (!g_shell_parse_argv (line, NULL, &rest, NULL))
    g_error ("cannot split Judge0's command line: %s", line);
  return tool_argv (box->tool, (const char *const *) rest);
}

static char **
plain_argv (JudgeBox *box)
{
  g_autofree char *box_arg = g_strdup_printf ("%d", box->id);
  const char *const rest[] = { "--cg", "-b", box_arg, "--run", "--", "/bin/true", NULL };
  return tool_argv (box->tool, rest);
}

double
judge_call (JudgeBox *box, JudgeStyle judge)
{
  g_auto (GStrv) argv = NULL;
  g_autofree char *in = NULL, *out = NULL, *err = NULL;
  Stdio stdio = { 0 };
  switch (judge)
    {
    case JUDGE_CMS:
      argv = cms_argv (box);
      stdio.pipes = TRUE;
      break;
    case JUDGE_JUDGE0:
      argv = judge0_argv (box);
      stdio.in = in = g_build_filename (box->work_dir, "stdin.txt", NULL);
      stdio.out = out = g_build_filename (box->work_dir, "stdout.txt", NULL);
      stdio.err = err = g_build_filename (box->work_dir, "stderr.txt", NULL);
      break;
    case JUDGE_PLAIN:
      argv = plain_argv (box);
      stdio.err = box->plain_err;
      break;
    }
  g_autoptr (GString) err_text = g_string_new (NULL);
  double t0 = now_ms ();
  int status = spawn_and_wait (argv, box->envp, &stdio, err_text);
  double elapsed = now_ms () - t0;
  if ((!WIFEXITED (status) || WEXITSTATUS (status) != 0) && !box->warned)
    {
      g_autofree char *err_file = NULL;
      if (stdio.err != NULL)
        g_file_get_contents (stdio.err, &err_file, NULL, NULL);
      fprintf (stderr, "bench: warning: %s with %s flags on box %d: wait status %d: %s\n",
               box->tool, judge_name (judge), box->id, status, err_file ? err_file : err_text->str);
      box->warned = TRUE;
    }
  return elapsed;
}
