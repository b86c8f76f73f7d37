#include "compat_options.h"

#include "compat_dirs.h"

#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <string.h>

G_DEFINE_QUARK (mini_isolate_compat_options_error_quark, compat_options_error)

/* Long options without a short form, numbered past every char as isolate
 * numbers them. */
enum
{
  OPT_INIT = 256,
  OPT_RUN,
  OPT_CLEANUP,
  OPT_VERSION,
  OPT_CG,
  OPT_CG_MEM,
  OPT_CG_TIMING,
  OPT_NO_CG_TIMING,
  OPT_SHARE_NET,
  OPT_INHERIT_FDS,
  OPT_STDERR_TO_STDOUT,
  OPT_TTY_HACK,
  OPT_CORE,
  OPT_SPECIAL_FILES,
  OPT_HELP,
};

/* isolate 1.10.1's table. The leading ':' makes getopt report a missing
 * argument apart from an unknown option, and print nothing itself. */
static const char short_options[] = ":b:c:d:DeE:f:i:k:m:M:n:o:p::q:r:st:vw:x:";

static const struct option long_options[] = {
  { "box-id", required_argument, NULL, 'b' },
  { "chdir", required_argument, NULL, 'c' },
  { "cg", no_argument, NULL, OPT_CG },
  { "cg-mem", required_argument, NULL, OPT_CG_MEM },
  { "cg-timing", no_argument, NULL, OPT_CG_TIMING },
  { "cleanup", no_argument, NULL, OPT_CLEANUP },
  { "core", required_argument, NULL, OPT_CORE },
  { "dir", required_argument, NULL, 'd' },
  { "no-cg-timing", no_argument, NULL, OPT_NO_CG_TIMING },
  { "no-default-dirs", no_argument, NULL, 'D' },
  { "fsize", required_argument, NULL, 'f' },
  { "env", required_argument, NULL, 'E' },
  { "extra-time", required_argument, NULL, 'x' },
  { "full-env", no_argument, NULL, 'e' },
  { "help", no_argument, NULL, OPT_HELP },
  { "inherit-fds", no_argument, NULL, OPT_INHERIT_FDS },
  { "init", no_argument, NULL, OPT_INIT },
  { "mem", required_argument, NULL, 'm' },
  { "meta", required_argument, NULL, 'M' },
  { "open-files", required_argument, NULL, 'n' },
  { "special-files", no_argument, NULL, OPT_SPECIAL_FILES },
  { "processes", optional_argument, NULL, 'p' },
  { "quota", required_argument, NULL, 'q' },
  { "run", no_argument, NULL, OPT_RUN },
  { "share-net", no_argument, NULL, OPT_SHARE_NET },
  { "silent", no_argument, NULL, 's' },
  { "stack", required_argument, NULL, 'k' },
  { "stderr", required_argument, NULL, 'r' },
  { "stderr-to-stdout", no_argument, NULL, OPT_STDERR_TO_STDOUT },
  { "stdin", required_argument, NULL, 'i' },
  { "stdout", required_argument, NULL, 'o' },
  { "time", required_argument, NULL, 't' },
  { "tty-hack", no_argument, NULL, OPT_TTY_HACK },
  { "verbose", no_argument, NULL, 'v' },
  { "version", no_argument, NULL, OPT_VERSION },
  { "wall-time", required_argument, NULL, 'w' },
  { NULL, 0, NULL, 0 },
};

static const char usage_text[]
    = "Usage: isolate [<options>] <command>\n"
      "\n"
      "Options:\n"
      "-b, --box-id=<id>\tWhen multiple sandboxes are used in parallel, each must get a unique ID\n"
      "    --cg\t\tEnable use of control groups (always on here)\n"
      "    --cg-mem=<size>\tLimit memory usage of the control group to <size> KB\n"
      "    --cg-timing\t\tTime limits affects total run time of the control group (always on "
      "here)\n"
      "    --no-cg-timing\tAccepted; timing always uses the control group here\n"
      "-c, --chdir=<dir>\tChange directory to <dir> before executing the program\n"
      "    --core=<size>\tLimit core files to <size> KB (default: 0)\n"
      "-d, --dir=<dir>\t\tMake a directory <dir> visible inside the sandbox\n"
      "    --dir=<in>=<out>\tMake a directory <out> outside visible as <in> inside\n"
      "    --dir=<in>=\t\tDelete a previously defined directory rule (even a default one)\n"
      "    --dir=...:<opt>\tSpecify options for a rule:\n"
      "\t\t\t\tdev\tAllow access to special files\n"
      "\t\t\t\tfs\tMount a filesystem (e.g., --dir=/proc:proc:fs)\n"
      "\t\t\t\tmaybe\tSkip the rule if <out> does not exist\n"
      "\t\t\t\tnoexec\tDo not allow execution of binaries\n"
      "\t\t\t\tnorec\tDo not bind recursively\n"
      "\t\t\t\trw\tAllow read-write access\n"
      "\t\t\t\ttmp\tCreate as a temporary directory (implies rw)\n"
      "-D, --no-default-dirs\tDo not add default directory rules\n"
      "-f, --fsize=<size>\tMax size (in KB) of files that can be created\n"
      "-E, --env=<var>\t\tInherit the environment variable <var> from the parent process\n"
      "-E, --env=<var>=<val>\tSet the environment variable <var> to <val>; unset it if <val> is "
      "empty\n"
      "-x, --extra-time=<time>\tSet extra timeout, before which a timing-out program is not yet "
      "killed,\n"
      "\t\t\tso that its real execution time is reported (seconds, fractions allowed)\n"
      "-e, --full-env\t\tInherit full environment of the parent process\n"
      "    --inherit-fds\tAccepted; no descriptor is ever passed to the program here\n"
      "-m, --mem=<size>\tLimit address space to <size> KB\n"
      "-M, --meta=<file>\tOutput process information to <file> (name:value)\n"
      "-n, --open-files=<max>\tLimit number of open files to <max> (default: 64, 0=unlimited)\n"
      "-q, --quota=<blk>,<ino>\tSet disk quota to <blk> blocks and <ino> inodes (if the daemon "
      "can)\n"
      "    --share-net\t\tShare network namespace with the parent process\n"
      "-s, --silent\t\tDo not print status messages except for fatal errors\n"
      "    --special-files\tAccepted; special files are always removed from box/ here\n"
      "-k, --stack=<size>\tLimit stack size to <size> KB (default: 0=unlimited)\n"
      "-r, --stderr=<file>\tRedirect stderr to <file>\n"
      "    --stderr-to-stdout\tRedirect stderr to stdout\n"
      "-i, --stdin=<file>\tRedirect stdin from <file>\n"
      "-o, --stdout=<file>\tRedirect stdout to <file>\n"
      "-p, --processes[=<max>]\tEnable multiple processes (at most <max> of them)\n"
      "-t, --time=<time>\tSet run time limit (seconds, fractions allowed)\n"
      "    --tty-hack\t\tAccepted; the program's output never goes to a terminal here\n"
      "-v, --verbose\t\tBe verbose (use multiple times for even more verbosity)\n"
      "-w, --wall-time=<time>\tSet wall clock time limit (seconds, fractions allowed)\n"
      "\n"
      "Commands:\n"
      "    --init\t\tInitialize sandbox (and its control group when --cg is used)\n"
      "    --run -- <cmd> ...\tRun given command within sandbox\n"
      "    --cleanup\t\tClean up sandbox\n"
      "    --version\t\tDisplay program version and configuration\n"
      "\n"
      "This is mini-isolate-compat: every command works through the isolatefs mount\n"
      "named by $MINI_ISOLATE_ROOT (default /isolate); box <id> is its directory <id>.\n";

const char *
compat_options_usage (void)
{
  return usage_text;
}

static gboolean usage_error (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
usage_error (GError **error, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, COMPAT_OPTIONS_ERROR, COMPAT_OPTIONS_ERROR_USAGE, message);
  return FALSE;
}

gboolean
compat_parse_uint (const char *text, guint *value, GError **error)
{
  guint64 number;
  g_autoptr (GError) local = NULL;
  if (!g_ascii_string_to_unsigned (text, 10, 0, INT_MAX, &number, &local))
    {
      if (g_error_matches (local, G_NUMBER_PARSER_ERROR, G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS))
        return usage_error (error, "Numeric parameter out of range: %s", text);
      return usage_error (error, "Invalid numeric parameter: %s", text);
    }
  *value = (guint) number;
  return TRUE;
}

/* isolate reads times with atof(), so "abc" is 0 there; here a time must be
 * a plain non-negative decimal number. Rounded to the millisecond, as the
 * daemon rounds what it is given. */
gboolean
compat_parse_time (const char *text, guint *ms, GError **error)
{
  char *end = NULL;
  double seconds = g_ascii_strtod (text, &end);
  if (*text == '\0' || end == text || *end != '\0' || !isfinite (seconds) || seconds < 0
      || strspn (text, "0123456789.") != strlen (text))
    return usage_error (error, "Invalid time parameter: %s", text);
  double rounded = floor (seconds * 1000.0 + 0.5);
  if (rounded > (double) INT_MAX)
    return usage_error (error, "Time parameter out of range: %s", text);
  *ms = (guint) rounded;
  return TRUE;
}

void
compat_options_free (CompatOptions *options)
{
  if (options == NULL)
    return;
  g_free (options->meta_path);
  g_ptr_array_unref (options->env_rules);
  g_ptr_array_unref (options->dir_rules);
  g_free (options->stdin_path);
  g_free (options->stdout_path);
  g_free (options->stderr_path);
  g_free (options->chdir);
  g_strfreev (options->argv);
  g_free (options);
}

static CompatOptions *
options_new (void)
{
  CompatOptions *options = g_new0 (CompatOptions, 1);
  options->processes = 1;
  options->open_files = 64;
  options->cg_timing = TRUE;
  options->env_rules = g_ptr_array_new_with_free_func (g_free);
  options->dir_rules = g_ptr_array_new_with_free_func ((GDestroyNotify) compat_dir_rule_free);
  return options;
}

/* isolate's set_env_action refuses only an empty name; the daemon's env
 * file takes only names of letters, digits and '_' not starting with a
 * digit, and no newline in a value. */
static gboolean
check_env_rule (const char *rule, GError **error)
{
  const char *eq = strchr (rule, '=');
  gsize name_length = eq ? (gsize) (eq - rule) : strlen (rule);
  gboolean ok = name_length > 0 && (g_ascii_isalpha (rule[0]) || rule[0] == '_')
                && strchr (rule, '\n') == NULL;
  for (gsize i = 1; ok && i < name_length; i++)
    ok = g_ascii_isalnum (rule[i]) || rule[i] == '_';
  if (!ok)
    return usage_error (error, "Invalid environment specified: %s", rule);
  return TRUE;
}

static gboolean
parse_quota (CompatOptions *options, const char *text, GError **error)
{
  const char *comma = strchr (text, ',');
  if (comma == NULL)
    return usage_error (error, "Invalid quota specified: %s", text);
  g_autofree char *blocks = g_strndup (text, comma - text);
  options->quota = TRUE;
  return compat_parse_uint (blocks, &options->quota_blocks, error)
         && compat_parse_uint (comma + 1, &options->quota_inodes, error);
}

static gboolean
set_command (CompatOptions *options, CompatCommand command, GError **error)
{
  if (options->command != COMPAT_COMMAND_NONE && options->command != command)
    return usage_error (error, "Only one command is allowed.");
  options->command = command;
  return TRUE;
}

static void
replace (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

/* One option from getopt_long; require_cg is set by the options isolate
 * allows only with --cg. */
static gboolean
apply_option (CompatOptions *options, int c, const char *arg, gboolean *require_cg, GError **error)
{
  switch (c)
    {
    case 'b':
      return compat_parse_uint (arg, &options->box_id, error);
    case 'c':
      replace (&options->chdir, arg);
      return TRUE;
    case OPT_CG:
      options->cg = TRUE;
      return TRUE;
    case 'd':
      {
        CompatDirRule *rule = compat_dir_rule_parse (arg, error);
        if (rule == NULL)
          return FALSE;
        g_ptr_array_add (options->dir_rules, rule);
        return TRUE;
      }
    case 'D':
      options->no_default_dirs = TRUE;
      return TRUE;
    case 'e':
      options->full_env = TRUE;
      return TRUE;
    case 'E':
      if (!check_env_rule (arg, error))
        return FALSE;
      g_ptr_array_add (options->env_rules, g_strdup (arg));
      return TRUE;
    case 'f':
      return compat_parse_uint (arg, &options->fsize_kib, error);
    case 'k':
      return compat_parse_uint (arg, &options->stack_kib, error);
    case 'i':
      replace (&options->stdin_path, arg);
      return TRUE;
    case 'm':
      return compat_parse_uint (arg, &options->mem_kib, error);
    case 'M':
      replace (&options->meta_path, arg);
      return TRUE;
    case 'n':
      return compat_parse_uint (arg, &options->open_files, error);
    case 'o':
      replace (&options->stdout_path, arg);
      return TRUE;
    case 'p':
      if (arg == NULL)
        {
          options->processes = 0;
          return TRUE;
        }
      return compat_parse_uint (arg, &options->processes, error);
    case 'q':
      return parse_quota (options, arg, error);
    case 'r':
      replace (&options->stderr_path, arg);
      options->stderr_to_stdout = FALSE;
      return TRUE;
    case 's':
      options->silent++;
      return TRUE;
    case 't':
      return compat_parse_time (arg, &options->time_ms, error);
    case 'v':
      options->verbose++;
      return TRUE;
    case 'w':
      return compat_parse_time (arg, &options->wall_ms, error);
    case 'x':
      return compat_parse_time (arg, &options->extra_ms, error);
    case OPT_INIT:
      return set_command (options, COMPAT_COMMAND_INIT, error);
    case OPT_RUN:
      return set_command (options, COMPAT_COMMAND_RUN, error);
    case OPT_CLEANUP:
      return set_command (options, COMPAT_COMMAND_CLEANUP, error);
    case OPT_VERSION:
      return set_command (options, COMPAT_COMMAND_VERSION, error);
    case OPT_HELP:
      return set_command (options, COMPAT_COMMAND_HELP, error);
    case OPT_CG_MEM:
      *require_cg = TRUE;
      return compat_parse_uint (arg, &options->cg_mem_kib, error);
    case OPT_CG_TIMING:
    case OPT_NO_CG_TIMING:
      *require_cg = TRUE;
      options->cg_timing = c == OPT_CG_TIMING;
      options->no_cg_timing = c == OPT_NO_CG_TIMING;
      return TRUE;
    case OPT_CORE:
      return compat_parse_uint (arg, &options->core_kib, error);
    case OPT_SPECIAL_FILES:
      options->special_files = TRUE;
      return TRUE;
    case OPT_TTY_HACK:
      options->tty_hack = TRUE;
      return TRUE;
    case OPT_SHARE_NET:
      options->share_net = TRUE;
      return TRUE;
    case OPT_INHERIT_FDS:
      options->inherit_fds = TRUE;
      return TRUE;
    case OPT_STDERR_TO_STDOUT:
      g_clear_pointer (&options->stderr_path, g_free);
      options->stderr_to_stdout = TRUE;
      return TRUE;
    default:
      return usage_error (error, "Internal error: option %d has no handler", c);
    }
}

static gboolean
is_flag_option (int value)
{
  for (const struct option *o = long_options; o->name != NULL; o++)
    if (o->val == value)
      return o->has_arg == no_argument;
  return FALSE;
}

/* getopt_long's own complaints, worded as glibc words them for isolate,
 * which leaves them to it: after the program's name, as judges call it.
 * last_arg is the element getopt_long finished with: the option itself for
 * a long one. */
static gboolean
getopt_error (int c, int last_optopt, const char *last_arg, GError **error)
{
  g_autofree char *name = g_strndup (last_arg, strcspn (last_arg, "="));
  if (c == ':' && g_str_has_prefix (last_arg, "--"))
    return usage_error (error, "isolate: option '%s' requires an argument", name);
  if (c == ':')
    return usage_error (error, "isolate: option requires an argument -- '%c'", last_optopt);
  if (last_optopt == 0)
    return usage_error (error, "isolate: unrecognized option '%s'", name);
  if (last_optopt >= 256 || is_flag_option (last_optopt))
    return usage_error (error, "isolate: option '%s' doesn't allow an argument", name);
  return usage_error (error, "isolate: invalid option -- '%c'", last_optopt);
}

/* The checks isolate makes once every option is read. */
static gboolean
check_command (CompatOptions *options, gboolean require_cg, int n_args, GError **error)
{
  switch (options->command)
    {
    case COMPAT_COMMAND_NONE:
      return usage_error (error, "Please specify an isolate command (e.g. --init, --run).");
    case COMPAT_COMMAND_VERSION:
    case COMPAT_COMMAND_HELP:
      return TRUE;
    default:
      break;
    }
  if (require_cg && !options->cg)
    return usage_error (error, "Options related to control groups require --cg to be set.");
  if (options->command == COMPAT_COMMAND_INIT && n_args > 0)
    return usage_error (error, "--init mode takes no parameters");
  if (options->command == COMPAT_COMMAND_CLEANUP && n_args > 0)
    return usage_error (error, "--cleanup mode takes no parameters");
  if (options->command == COMPAT_COMMAND_RUN && n_args == 0)
    return usage_error (error, "--run mode requires a command to run");
  return TRUE;
}

CompatOptions *
compat_options_parse (int argc, const char *const *argv, GError **error)
{
  g_autoptr (CompatOptions) options = options_new ();
  /* getopt_long permutes its argv: give it a copy of the pointers. */
  g_autofree char **args = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    args[i] = (char *) argv[i];

  gboolean require_cg = FALSE;
  optind = 0; /* glibc: start afresh, as for a new program */
  opterr = 0;
  int c;
  while ((c = getopt_long (argc, args, short_options, long_options, NULL)) != -1)
    {
      if (c == '?' || c == ':')
        {
          getopt_error (c, optopt, args[optind - 1], error);
          return NULL;
        }
      if (!apply_option (options, c, optarg, &require_cg, error))
        return NULL;
    }
  int n_args = argc - optind;
  if (!check_command (options, require_cg, n_args, error))
    return NULL;
  if (options->command == COMPAT_COMMAND_RUN)
    {
      options->argv = g_new0 (char *, n_args + 1);
      for (int i = 0; i < n_args; i++)
        options->argv[i] = g_strdup (args[optind + i]);
    }
  return g_steal_pointer (&options);
}

GStrv
compat_options_differences (const CompatOptions *options)
{
  g_autoptr (GStrvBuilder) lines = g_strv_builder_new ();
  if (options->no_cg_timing)
    g_strv_builder_add (lines, "--no-cg-timing: the time limit counts the CPU time of every "
                               "process of the run here, as with --cg-timing");
  if (options->inherit_fds)
    g_strv_builder_add (lines, "--inherit-fds: the program gets descriptors 0, 1 and 2 only here");
  if (options->special_files)
    g_strv_builder_add (lines, "--special-files: special files (links, FIFOs, sockets, devices) "
                               "are removed from box/ after every run here, so that none can "
                               "redirect whoever reads box/ next");
  if (options->tty_hack)
    g_strv_builder_add (lines, "--tty-hack: the program's output goes to files here, never to a "
                               "terminal");
  if (options->no_default_dirs)
    g_strv_builder_add (lines, "--no-default-dirs: /box and the minimal /dev are kept here");
  if (options->quota && options->quota_inodes != 0)
    g_strv_builder_add (lines, "--quota: the inode count is not applied here; box/ holds as many "
                               "files as its blocks allow");
  return g_strv_builder_end (lines);
}
