#include "box_source.h"

#include "box_private.h"
#include "sandbox/sandbox_error.h"
#include "utils/autofd.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

/* Both steps of a source file's chain run here, where the source is. */
#define SOURCE_CWD "/box"

/* A source file's compile-then-run (box_start_source): what the run step
 * needs while the compile step runs. */
struct _SourceChain
{
  gboolean compiling; /* the current run is the compile step */
  gboolean stopped;   /* ctl kill: no run step after the compile */
  char *run_cmd;      /* the run step's command, and split */
  GStrv run_argv;
  gint64 run_processes; /* the least processes the run step gets (run_processes) */
};

static void
source_chain_free (SourceChain *chain)
{
  if (chain == NULL)
    return;
  g_free (chain->run_cmd);
  g_strfreev (chain->run_argv);
  g_free (chain);
}

void
box_source_stop (Box *box)
{
  if (box->chain != NULL)
    box->chain->stopped = TRUE;
}

void
box_source_drop (Box *box)
{
  g_clear_pointer (&box->chain, source_chain_free);
}

char *
box_read_source (Box *box)
{
  return box->source[0] ? g_strconcat (box->source, "\n", NULL) : g_strdup ("");
}

/* Starts one step of the chain: the compile step reads /dev/null and
 * writes to the box's stdout and stderr whatever the box's stdio settings
 * say; the run step takes stdin and those settings as any run. */
static gboolean
start_step (Box *box, const char *cmd, char **argv, const gint64 *limits, gboolean compile,
            GError **error)
{
  BoxRunPlan plan = {
    .cmd = cmd,
    .argv = argv,
    .limits = limits,
    .cwd = SOURCE_CWD,
    .compile = compile,
  };
  return box_run_start (box, &plan, error);
}

/* The box's own limits, with processes raised to the language's
 * run_processes for the run step. */
static void
run_step_limits (Box *box, const SourceChain *chain, gint64 *limits)
{
  memcpy (limits, box->settings.limits, sizeof box->settings.limits);
  limits[LIMIT_PROCESSES] = MAX (limits[LIMIT_PROCESSES], chain->run_processes);
}

const char *
box_source_stage (const Box *box)
{
  if (box->chain == NULL)
    return NULL;
  return box->chain->compiling ? "compile" : "run";
}

gboolean
box_source_step_done (Box *box, RunResult **result)
{
  SourceChain *chain = box->chain;
  (*result)->stage = box_source_stage (box);
  if (!chain->compiling || (*result)->verdict != RUN_OK || chain->stopped)
    {
      box_source_drop (box);
      return FALSE;
    }

  /* Compiled: what the compiler wrote is dropped, the program runs at once. */
  box->run = NULL;
  box_run_tidy_up (box);
  chain->compiling = FALSE;
  gint64 limits[N_LIMITS];
  run_step_limits (box, chain, limits);
  g_autoptr (GError) error = NULL;
  if (start_step (box, chain->run_cmd, chain->run_argv, limits, FALSE, &error))
    {
      g_clear_pointer (result, run_result_free);
      box_save_or_warn (box);
      return TRUE;
    }
  g_warning ("box %s: cannot start the run of %s after its compile: %s", box->name, box->source,
             error->message);
  run_result_free (*result);
  *result = run_result_new ();
  (*result)->stage = "run";
  run_result_set_verdict (*result, RUN_XX, "cannot start the run: %s", error->message);
  box_source_drop (box);
  return FALSE;
}

/* A file of box/, named by one path component. */
static gboolean
check_source_name (const char *name, GError **error)
{
  const char *problem = NULL;
  if (name[0] == '\0')
    problem = "the name of a file in box/";
  else if (strchr (name, '/') != NULL || strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    problem = "a file directly in box/: one name, no '/'";
  else if (strchr (name, '\n') != NULL)
    problem = "one name, on one line";
  else if (name[0] == '-')
    problem = "a name that does not start with '-' (compilers would take it for an option)";
  else if (strlen (name) > NAME_MAX)
    problem = "a name of at most NAME_MAX bytes";
  if (problem == NULL)
    return TRUE;
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "source: expected %s", problem);
  return FALSE;
}

/* The source, opened as the daemon reads it (its #! line) as root: one
 * component under box/, never through a link (O_NOFOLLOW), never blocking
 * on a FIFO (O_NONBLOCK). */
static int
open_source (Box *box, const char *name, GError **error)
{
  autofd dir_fd = box_store_open_work_dir (box->store, error);
  if (dir_fd < 0)
    return -1;
  int fd = openat (dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd >= 0)
    return fd;
  if (errno == ENOENT)
    g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_NOT_FOUND, "source: no file %s in box/", name);
  else if (errno == ELOOP)
    g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
                 "source: %s is a symbolic link; links are not followed", name);
  else if (errno == ENXIO)
    g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "source: %s is not a regular file",
                 name);
  else
    sandbox_set_errno_error (error, errno, "open source", name);
  return -1;
}

/* The source's language. The daemon opens only what the box's owner put
 * there: a regular file of the owner's or the box's. */
static const Language *
detect_source_language (Box *box, const LanguageTable *table, const char *name, GError **error)
{
  autofd fd = open_source (box, name, error);
  if (fd < 0)
    return NULL;
  const Language *language = NULL;
  struct stat st;
  g_autoptr (GError) detect_error = NULL;
  if (fstat (fd, &st) < 0)
    sandbox_set_errno_error (error, errno, "stat source", name);
  else if (!S_ISREG (st.st_mode))
    g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "source: %s is not a regular file",
                 name);
  else if (st.st_uid != box->owner_uid && st.st_uid != box_get_uid (box) && box->owner_uid != 0)
    g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID,
                 "source: %s belongs to uid %u, neither the box's owner nor its program", name,
                 (guint) st.st_uid);
  else if ((language = languages_detect_fd (table, name, fd, &detect_error)) == NULL)
    g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "source: %s", detect_error->message);
  return language;
}

/* A command of the languages table, split as cmd would be. */
static GStrv
split_language_command (const LanguageTable *table, const Language *language, const char *key,
                        const char *command, GError **error)
{
  GStrv argv = NULL;
  g_autoptr (GError) parse_error = NULL;
  if (g_shell_parse_argv (command, NULL, &argv, &parse_error))
    return argv;
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "languages file %s: [%s] %s: %s",
               table->path, language->name, key, parse_error->message);
  return NULL;
}

/* The compile step's limits: the language's for mem, time, wall-time and
 * processes, each lowered to the writer's maximum (root has none), and
 * the box's for the rest. */
static gboolean
compile_step_limits (Box *box, const LanguageTable *table, const Language *language,
                     const Caller *caller, gint64 *limits, GError **error)
{
  const struct
  {
    LimitId id;
    const char *key, *text;
  } compile_limits[] = {
    { LIMIT_MEM, "compile_mem", language->compile_mem },
    { LIMIT_TIME, "compile_time", language->compile_time },
    { LIMIT_WALL_TIME, "compile_wall_time", language->compile_wall_time },
    { LIMIT_PROCESSES, "compile_processes", language->compile_processes },
  };
  memcpy (limits, box->settings.limits, sizeof box->settings.limits);
  for (guint i = 0; i < G_N_ELEMENTS (compile_limits); i++)
    {
      LimitId id = compile_limits[i].id;
      g_autoptr (GError) parse_error = NULL;
      if (!limit_parse (id, compile_limits[i].text, &limits[id], &parse_error))
        {
          g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_FAILED, "languages file %s: [%s] %s: %s",
                       table->path, language->name, compile_limits[i].key, parse_error->message);
          return FALSE;
        }
      if (caller->uid != 0)
        limits[id] = MIN (limits[id], daemon_config_maximum (box->shared->config, id, caller));
    }
  return TRUE;
}

/* The language of the source name, installed; NULL with why not. */
static const Language *
find_language (Box *box, const char *name, GError **error)
{
  const Language *language = detect_source_language (box, box->shared->languages, name, error);
  if (language == NULL)
    return NULL;
  g_autofree char *found = language_find_requirement (language, JAIL_DEFAULT_PATH);
  if (found != NULL)
    return language;
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_NOT_INSTALLED,
               "source: %s is not installed (%s not found)", language->name, language->requires);
  return NULL;
}

/* The chain of the source name in language, its first step started. */
static SourceChain *
start_chain (Box *box, const Language *language, const char *name, const Caller *caller,
             GError **error)
{
  const LanguageTable *table = box->shared->languages;
  g_autofree char *program = NULL, *binary = NULL;
  language_source_names (name, &program, &binary);
  g_autofree char *compile_cmd
      = language->compile ? language_expand (language->compile, name, binary, program) : NULL;
  g_auto (GStrv) compile_argv = NULL;
  SourceChain *chain = g_new0 (SourceChain, 1);
  chain->run_cmd = language_expand (language->run, name, binary, program);
  chain->run_argv = split_language_command (table, language, "run", chain->run_cmd, error);
  chain->run_processes = language->run_processes;
  if (caller->uid != 0)
    chain->run_processes = MIN (
        chain->run_processes, daemon_config_maximum (box->shared->config, LIMIT_PROCESSES, caller));
  gint64 limits[N_LIMITS];
  gboolean started = FALSE;
  if (chain->run_argv != NULL && compile_cmd != NULL)
    started
        = (compile_argv = split_language_command (table, language, "compile", compile_cmd, error))
              != NULL
          && compile_step_limits (box, table, language, caller, limits, error)
          && start_step (box, compile_cmd, compile_argv, limits, TRUE, error);
  else if (chain->run_argv != NULL)
    {
      run_step_limits (box, chain, limits);
      started = start_step (box, chain->run_cmd, chain->run_argv, limits, FALSE, error);
    }
  if (!started)
    {
      source_chain_free (chain);
      return NULL;
    }
  chain->compiling = compile_cmd != NULL;
  return chain;
}

gboolean
box_start_source (Box *box, const char *text, const Caller *caller, GError **error)
{
  if (!box_check_idle (box, error))
    return FALSE;
  g_autofree char *name = g_strstrip (g_strdup (text));
  if (!check_source_name (name, error))
    return FALSE;
  const Language *language = find_language (box, name, error);
  if (language == NULL)
    return FALSE;
  box->chain = start_chain (box, language, name, caller, error);
  if (box->chain == NULL)
    return FALSE;
  g_free (box->source);
  box->source = g_steal_pointer (&name);
  box_save_or_warn (box);
  return TRUE;
}
