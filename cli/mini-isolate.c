/* mini-isolate: the seed's command line (init, run, execute, cleanup, status,
 * list) on top of an isolatefs mount. Everything goes through the mounted
 * filesystem's files, as any other client would use them. */

#include "boxfs/boxfs.h"
#include "compile_progress.h"
#include "sandbox/settings/setting_names.h"

#include <errno.h>
#include <locale.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MINI_ISOLATE_VERSION
#define MINI_ISOLATE_VERSION "0.1.0"
#endif

/* Exit statuses, as isolate's: the program failed, or we did. */
enum
{
  EXIT_OK = 0,
  EXIT_PROGRAM_FAILED = 1,
  EXIT_ERROR = 2,
};

static char *opt_root;
static char *opt_box;

static const GOptionEntry common_entries[] = {
  { "root", 'r', 0, G_OPTION_ARG_FILENAME, &opt_root,
    "The isolatefs mount point (default: $MINI_ISOLATE_ROOT, else /isolate)", "DIR" },
  { NULL },
};

static const GOptionEntry box_entries[] = {
  { "box-id", 'b', 0, G_OPTION_ARG_STRING, &opt_box, "The box (its name in the mount)", "ID" },
  { NULL },
};

static const char *current_command = "mini-isolate";

static void fail (const char *format, ...) G_GNUC_PRINTF (1, 2);

static void
fail (const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);
  fflush (stdout);
  g_printerr ("%s: %s\n", current_command, text);
}

static int
usage_error (const char *message)
{
  fail ("%s", message);
  g_printerr ("Try '%s --help' for more information.\n", current_command);
  return EXIT_ERROR;
}

/* Parses argv with a context holding the common options, box_entries when
 * with_box, and entries. FALSE after printing the reason. */
static gboolean
parse (int *argc, char ***argv, const char *parameters, const char *summary,
       const char *description, gboolean with_box, const GOptionEntry *entries)
{
  g_autoptr (GOptionContext) context = g_option_context_new (parameters);
  g_option_context_set_summary (context, summary);
  if (description != NULL)
    g_option_context_set_description (context, description);
  g_option_context_set_strict_posix (context, FALSE);
  if (with_box)
    g_option_context_add_main_entries (context, box_entries, NULL);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_main_entries (context, common_entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      usage_error (error->message);
      return FALSE;
    }
  if (with_box && (opt_box == NULL || *opt_box == '\0'))
    {
      usage_error ("--box-id is required");
      return FALSE;
    }
  return TRUE;
}

/* The mount point, checked to be an isolatefs mount; NULL after a message. */
static const char *
mounted_root (void)
{
  const char *root = boxfs_root (opt_root);
  g_autoptr (GError) error = NULL;
  if (!boxfs_check_mounted (root, "--root", &error))
    {
      fail ("%s", error->message);
      return NULL;
    }
  return root;
}

/* The mount point, when it is mounted and holds the box. */
static const char *
box_root (void)
{
  const char *root = mounted_root ();
  if (root == NULL)
    return NULL;
  g_autoptr (GError) error = NULL;
  if (!boxfs_check_box (root, opt_box, &error))
    {
      fail ("%s", error->message);
      return NULL;
    }
  return root;
}

/* ---- running ---- */

static const char *
lookup (GHashTable *status, const char *key, const char *fallback)
{
  const char *value = g_hash_table_lookup (status, key);
  return value != NULL ? value : fallback;
}

/* Waits for the result of the run just started (by a write to cmd or
 * source). NULL after a message. */
static GHashTable *
wait_for_result (const char *root)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = boxfs_get_status (root, opt_box, FALSE, &error);
  if (text == NULL && boxfs_interrupted)
    {
      /* Ctrl-C: stop the run too, and wait for its end. */
      int signal_number = boxfs_interrupted;
      fail ("interrupted: stopping the run");
      boxfs_put (root, opt_box, "ctl", "kill", NULL);
      boxfs_interrupted = 0;
      g_free (boxfs_get_status (root, opt_box, FALSE, NULL));
      boxfs_interrupted = signal_number;
      return NULL;
    }
  if (text == NULL)
    {
      fail ("%s", error->message);
      return NULL;
    }
  GHashTable *status = boxfs_parse_status (text);
  if (g_strcmp0 (g_hash_table_lookup (status, "state"), "done") != 0)
    {
      fail ("the run did not complete (state:%s); was the box removed?",
            lookup (status, "state", "?"));
      g_hash_table_unref (status);
      return NULL;
    }
  return status;
}

/* Copies the run's stdout and stderr to ours. */
static gboolean
print_outputs (const char *root)
{
  g_autoptr (GError) error = NULL;
  fflush (stdout);
  if (!boxfs_copy_out (root, opt_box, "stdout", STDOUT_FILENO, &error)
      || !boxfs_copy_out (root, opt_box, "stderr", STDERR_FILENO, &error))
    {
      fail ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* The one-line verdict, isolate's way: "OK (0.001 sec real, 0.002 sec wall)". */
static char *
verdict (GHashTable *status, const char *failure_prefix)
{
  const char *verdict = g_hash_table_lookup (status, "status");
  const char *message = lookup (status, "message", "");
  g_autofree char *times
      = g_strdup_printf ("(%s sec real, %s sec wall)", lookup (status, "time", "0.000"),
                         lookup (status, "time-wall", "0.000"));
  const char *kind;
  if (verdict == NULL)
    return g_strdup_printf ("OK %s", times);
  else if (failure_prefix != NULL)
    kind = failure_prefix;
  else if (strcmp (verdict, "RE") == 0)
    kind = "Runtime error";
  else if (strcmp (verdict, "SG") == 0)
    kind = g_strcmp0 (g_hash_table_lookup (status, "cg-oom-killed"), "1") == 0
               ? "Memory limit exceeded"
               : "Runtime error";
  else if (strcmp (verdict, "TO") == 0)
    kind = NULL; /* the message says it all */
  else if (strcmp (verdict, "XX") == 0)
    kind = "Internal error";
  else
    kind = verdict;
  if (kind == NULL)
    return g_strdup_printf ("%s %s", message, times);
  return g_strdup_printf ("%s: %s %s", kind, *message ? message : verdict, times);
}

static int
exit_status_of (GHashTable *status)
{
  const char *verdict = g_hash_table_lookup (status, "status");
  if (verdict == NULL)
    return EXIT_OK;
  if (strcmp (verdict, "XX") == 0)
    return EXIT_ERROR;
  return EXIT_PROGRAM_FAILED;
}

/* Prints what the run wrote and its verdict (failure_prefix names a
 * failure, else the verdict does), and answers the exit status. */
static int
report (const char *root, GHashTable *status, const char *failure_prefix)
{
  if (!print_outputs (root))
    return EXIT_ERROR;
  g_autofree char *line = verdict (status, failure_prefix);
  g_printerr ("%s\n", line);
  return exit_status_of (status);
}

/* ---- init ---- */

static char *opt_mem, *opt_time, *opt_wall_time, *opt_extra_time, *opt_processes, *opt_fsize,
    *opt_stack, *opt_open_files;
static gboolean opt_share_net;

static const GOptionEntry init_entries[] = {
  { "mem", 'm', 0, G_OPTION_ARG_STRING, &opt_mem,
    "Memory limit of the box, MB (or a value with a K/M/G suffix, or unlimited)", "MB" },
  { "time", 't', 0, G_OPTION_ARG_STRING, &opt_time, "CPU-time limit, seconds", "S" },
  { "wall-time", 'w', 0, G_OPTION_ARG_STRING, &opt_wall_time, "Wall-clock limit, seconds", "S" },
  { "extra-time", 'x', 0, G_OPTION_ARG_STRING, &opt_extra_time,
    "Grace time before a CPU-time kill, seconds", "S" },
  { "processes", 'p', 0, G_OPTION_ARG_STRING, &opt_processes, "Processes and threads at once",
    "N" },
  { "fsize", 'f', 0, G_OPTION_ARG_STRING, &opt_fsize, "Largest file the program may write, KB",
    "KB" },
  { "stack", 'k', 0, G_OPTION_ARG_STRING, &opt_stack, "Stack limit, KB", "KB" },
  { "open-files", 'n', 0, G_OPTION_ARG_STRING, &opt_open_files, "Open file descriptors", "N" },
  { "share-net", 0, 0, G_OPTION_ARG_NONE, &opt_share_net, "Share the host's network", NULL },
  { NULL },
};

static gboolean
is_number (const char *text)
{
  return *text != '\0' && strspn (text, "0123456789") == strlen (text);
}

/* Whose is the box in the way? Only its owner may clean it up. */
static void
box_exists (const char *path)
{
  struct stat st;
  if (stat (path, &st) != 0 || st.st_uid == getuid ())
    {
      fail ("box %s already exists (remove it with `mini-isolate cleanup --box-id %s`)", opt_box,
            opt_box);
      return;
    }
  struct passwd *owner = getpwuid (st.st_uid);
  g_autofree char *who
      = owner ? g_strdup_printf ("user %s (uid %u)", owner->pw_name, (guint) st.st_uid)
              : g_strdup_printf ("uid %u", (guint) st.st_uid);
  fail ("box %s already exists and belongs to %s: choose another --box-id", opt_box, who);
}

static int
command_init (int argc, char **argv)
{
  if (!parse (&argc, &argv, "", "Create box ID and set its limits.",
              "Limits not given keep the daemon's defaults. --mem is in MB (as in the seed's\n"
              "mini-isolate); --fsize and --stack are in KB.",
              TRUE, init_entries))
    return EXIT_ERROR;
  if (argc > 1)
    return usage_error ("init takes no arguments");
  const char *root = mounted_root ();
  if (root == NULL)
    return EXIT_ERROR;

  g_autofree char *mem = NULL;
  if (opt_mem != NULL)
    mem = is_number (opt_mem) ? g_strdup_printf ("%sM", opt_mem) : g_strdup (opt_mem);
  const struct
  {
    const char *file;
    const char *value;
  } limits[] = {
    { SETTING_MEM, mem },
    { SETTING_TIME, opt_time },
    { SETTING_WALL_TIME, opt_wall_time },
    { SETTING_EXTRA_TIME, opt_extra_time },
    { SETTING_PROCESSES, opt_processes },
    { SETTING_FSIZE, opt_fsize },
    { SETTING_STACK, opt_stack },
    { SETTING_OPEN_FILES, opt_open_files },
    { SETTING_SHARE_NET, opt_share_net ? "1" : NULL },
  };

  g_autofree char *path = g_build_filename (root, opt_box, NULL);
  if (mkdir (path, 0755) != 0)
    {
      int err = errno;
      if (err == EEXIST)
        box_exists (path);
      else if (err == EINVAL)
        fail ("invalid box id '%s': 1 to 64 characters of A-Z a-z 0-9 _ . -, not starting with "
              "'.' (%s)",
              opt_box, g_strerror (err));
      else if (err == ENOSPC)
        fail ("cannot create box %s: no room for another box (%s)", opt_box, g_strerror (err));
      else
        fail ("cannot create box %s: %s", opt_box, g_strerror (err));
      return EXIT_ERROR;
    }
  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      if (limits[i].value == NULL)
        continue;
      g_autoptr (GError) error = NULL;
      if (!boxfs_put (root, opt_box, limits[i].file, limits[i].value, &error))
        {
          fail ("%s (value '%s')", error->message, limits[i].value);
          if (rmdir (path) != 0)
            fail ("cannot remove box %s again: %s", opt_box, g_strerror (errno));
          return EXIT_ERROR;
        }
    }
  g_autofree char *box_dir = g_build_filename (path, "box", NULL);
  g_print ("%s\n", box_dir);
  return EXIT_OK;
}

/* ---- run ---- */

static char *opt_stdin;

static const GOptionEntry run_entries[] = {
  { "stdin", 'i', 0, G_OPTION_ARG_FILENAME, &opt_stdin,
    "Give FILE to the program's standard input ('-': ours; default: empty)", "FILE" },
  { NULL },
};

static int
command_run (int argc, char **argv)
{
  if (!parse (&argc, &argv, "\"COMMAND\" | -- PROGRAM [ARG...]",
              "Run a command in box ID and print its output and verdict.",
              "COMMAND is split into words with the shell's quoting rules, but no shell runs:\n"
              "use \"sh -c '...'\" for pipes or redirections. Several arguments are quoted\n"
              "and joined. The program's stdout and stderr go to ours, then one verdict line\n"
              "on stderr. Exit status: 0 the program succeeded, 1 it failed (RE, SG, TO),\n"
              "2 an internal or usage error (XX included).",
              TRUE, run_entries))
    return EXIT_ERROR;
  /* GOption leaves a "--" that ends the options in place. */
  if (argc >= 2 && strcmp (argv[1], "--") == 0)
    {
      argv[1] = argv[0];
      argv++;
      argc--;
    }
  if (argc < 2)
    return usage_error ("run needs a COMMAND");
  g_autofree char *command = NULL;
  if (argc == 2)
    command = g_strdup (argv[1]);
  else
    {
      GString *joined = g_string_new (NULL);
      for (int i = 1; i < argc; i++)
        {
          g_autofree char *quoted = g_shell_quote (argv[i]);
          if (i > 1)
            g_string_append_c (joined, ' ');
          g_string_append (joined, quoted);
        }
      command = g_string_free (joined, FALSE);
    }
  g_autofree char *trimmed = g_strstrip (g_strdup (command));
  if (*trimmed == '\0')
    return usage_error ("the COMMAND is empty");
  const char *root = box_root ();
  if (root == NULL)
    return EXIT_ERROR;
  g_autoptr (GError) error = NULL;
  if (!boxfs_set_stdin (root, opt_box, opt_stdin, &error)
      || !boxfs_put (root, opt_box, "cmd", command, &error))
    {
      fail ("%s", error->message);
      return EXIT_ERROR;
    }
  g_autoptr (GHashTable) status = wait_for_result (root);
  return status != NULL ? report (root, status, NULL) : EXIT_ERROR;
}

/* ---- execute ---- */

static char *opt_source;

static const GOptionEntry execute_entries[] = {
  { "source", 's', 0, G_OPTION_ARG_FILENAME, &opt_source, "The source file to run", "FILE" },
  { "stdin", 'i', 0, G_OPTION_ARG_FILENAME, &opt_stdin,
    "Give FILE to the program's standard input ('-': ours; default: empty)", "FILE" },
  { NULL },
};

/* The block of ROOT/.languages (the daemon's table) whose extensions hold
 * name's, or NULL: to name a language in a message. */
static GHashTable *
language_of (const char *root, const char *name)
{
  const char *dot = strrchr (name, '.');
  g_autofree char *path = g_build_filename (root, ".languages", NULL);
  g_autofree char *text = NULL;
  if (dot == NULL || !g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  g_auto (GStrv) blocks = g_strsplit (text, "\n\n", -1);
  for (guint i = 0; blocks[i] != NULL; i++)
    {
      g_autoptr (GHashTable) block = boxfs_parse_status (blocks[i]);
      g_auto (GStrv) extensions = g_strsplit (lookup (block, "extensions", ""), " ", -1);
      if (g_strv_contains ((const char *const *) extensions, dot + 1))
        return g_steal_pointer (&block);
    }
  return NULL;
}

/* Why the daemon refused to run the source name (its errno), in words. */
static void
explain_source_refusal (const char *root, const char *name, const GError *error)
{
  g_autoptr (GHashTable) language = error->code == ENOPKG ? language_of (root, name) : NULL;
  if (error->code == EINVAL)
    fail ("%s: unknown language, or not a regular file (%s/.languages lists the languages "
          "isolatefs knows)",
          name, root);
  else if (language != NULL)
    fail ("%s is not installed (%s not found)", lookup (language, "language", "?"),
          lookup (language, "requires", "?"));
  else if (error->code == ENOPKG)
    fail ("%s: its language is not installed on this host (see %s/.languages)", name, root);
  else
    fail ("%s", error->message);
}

/* The daemon does it all: the file goes into box/, its name to the box's
 * source file, which detects the language, compiles if need be (under the
 * language's compile limits, the box's own untouched) and runs. */
static int
command_execute (int argc, char **argv)
{
  if (!parse (&argc, &argv, "", "Copy a source file into box ID, compile it if needed, run it.",
              "The language comes from the file's extension, else from its #! line, as the\n"
              "daemon's languages table says (ROOT/.languages lists it). A compiled language\n"
              "is compiled inside the box under the language's compile limits; the box's own\n"
              "limits apply to the run. Exit status: 0 the program succeeded, 1 it or its\n"
              "compilation failed, 2 an internal or usage error (a language whose toolchain\n"
              "is not installed included).",
              TRUE, execute_entries))
    return EXIT_ERROR;
  if (argc > 1)
    return usage_error ("execute takes no arguments (use --source FILE)");
  if (opt_source == NULL)
    return usage_error ("--source is required");
  if (!g_file_test (opt_source, G_FILE_TEST_IS_REGULAR))
    {
      fail ("%s: not a readable file", opt_source);
      return EXIT_ERROR;
    }
  const char *root = box_root ();
  if (root == NULL)
    return EXIT_ERROR;

  g_autofree char *name = g_path_get_basename (opt_source);
  if (*name == '.' || strchr (name, '\n') != NULL)
    {
      fail ("%s: the source file's name must not start with '.' nor hold a newline", opt_source);
      return EXIT_ERROR;
    }
  g_autoptr (GError) error = NULL;
  if (!boxfs_install (root, opt_box, opt_source, name, &error)
      || !boxfs_set_stdin (root, opt_box, opt_stdin, &error))
    {
      fail ("%s", error->message);
      return EXIT_ERROR;
    }
  if (!boxfs_put (root, opt_box, "source", name, &error))
    {
      explain_source_refusal (root, name, error);
      return EXIT_ERROR;
    }
  if (isatty (STDERR_FILENO))
    compile_progress_show (root, opt_box, name);
  g_autoptr (GHashTable) status = wait_for_result (root);
  if (status == NULL)
    return EXIT_ERROR;
  gboolean compile_failed = g_strcmp0 (g_hash_table_lookup (status, "stage"), "compile") == 0;
  return report (root, status, compile_failed ? "Compilation failed" : NULL);
}

/* ---- cleanup, status, list ---- */

static int
command_cleanup (int argc, char **argv)
{
  if (!parse (&argc, &argv, "", "Remove box ID, with everything a run left in it.", NULL, TRUE,
              NULL))
    return EXIT_ERROR;
  if (argc > 1)
    return usage_error ("cleanup takes no arguments");
  const char *root = box_root ();
  if (root == NULL)
    return EXIT_ERROR;
  g_autofree char *path = g_build_filename (root, opt_box, NULL);
  if (rmdir (path) != 0)
    {
      int err = errno;
      if (err == ENOENT)
        fail ("box %s does not exist", opt_box);
      else
        fail ("cannot remove box %s: %s", opt_box, g_strerror (err));
      return EXIT_ERROR;
    }
  return EXIT_OK;
}

static gboolean opt_no_wait;

static const GOptionEntry status_entries[] = {
  { "no-wait", 0, 0, G_OPTION_ARG_NONE, &opt_no_wait,
    "Answer at once (state:running) rather than wait for a run in progress", NULL },
  { NULL },
};

static int
command_status (int argc, char **argv)
{
  if (!parse (&argc, &argv, "",
              "Print the status of box ID: isolate's meta format, after a state: line.",
              "A run in progress is waited for unless --no-wait is given.", TRUE, status_entries))
    return EXIT_ERROR;
  if (argc > 1)
    return usage_error ("status takes no arguments");
  const char *root = box_root ();
  if (root == NULL)
    return EXIT_ERROR;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = boxfs_get_status (root, opt_box, opt_no_wait, &error);
  if (text == NULL)
    {
      fail ("%s", error->message);
      return EXIT_ERROR;
    }
  g_print ("%s", text);
  return EXIT_OK;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static int
command_list (int argc, char **argv)
{
  if (!parse (&argc, &argv, "", "List the boxes, one name a line.", NULL, FALSE, NULL))
    return EXIT_ERROR;
  if (argc > 1)
    return usage_error ("list takes no arguments");
  const char *root = mounted_root ();
  if (root == NULL)
    return EXIT_ERROR;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open (root, 0, &error);
  if (dir == NULL)
    {
      fail ("%s", error->message);
      return EXIT_ERROR;
    }
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    g_print ("%s\n", (const char *) g_ptr_array_index (names, i));
  return EXIT_OK;
}

/* ---- main ---- */

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "init", command_init, "create a box and set its limits" },
  { "run", command_run, "run a command in a box" },
  { "execute", command_execute, "compile if needed and run a source file in a box" },
  { "status", command_status, "print the status of a box's last run" },
  { "list", command_list, "list the boxes" },
  { "cleanup", command_cleanup, "remove a box" },
};

static void
print_help (FILE *out)
{
  fprintf (out, "Usage:\n  mini-isolate COMMAND [OPTION…]\n\n"
                "Run untrusted programs in isolatefs boxes, through the mounted filesystem.\n\n"
                "Commands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nEvery command takes --root DIR (default: $MINI_ISOLATE_ROOT, else /isolate).\n"
                "'mini-isolate COMMAND --help' describes a command.\n");
}

static void
on_signal (int signal_number)
{
  boxfs_interrupted = signal_number;
}

int
main (int argc, char **argv)
{
  /* The charset, for what GLib prints; not the rest of the locale, whose
   * dozen files would cost more than the call does (messages stay in
   * English, as isolate's). */
  setlocale (LC_CTYPE, "");
  signal (SIGPIPE, SIG_IGN);
  /* No SA_RESTART: a read waiting for a run ends with EINTR. */
  struct sigaction action = { .sa_handler = on_signal };
  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, NULL);
  sigaction (SIGTERM, &action, NULL);
  sigaction (SIGHUP, &action, NULL);
  if (argc < 2)
    {
      print_help (stderr);
      return EXIT_ERROR;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "help") == 0)
    {
      print_help (stdout);
      return EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0 || strcmp (argv[1], "-V") == 0)
    {
      g_print ("mini-isolate %s\n", MINI_ISOLATE_VERSION);
      return EXIT_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      {
        g_autofree char *prgname = g_strdup_printf ("mini-isolate %s", commands[i].name);
        g_set_prgname (prgname);
        current_command = prgname;
        /* The command's own argv: its name in place of the program's. */
        argv[1] = argv[0];
        int status = commands[i].run (argc - 1, argv + 1);
        current_command = "mini-isolate";
        return boxfs_interrupted ? 128 + boxfs_interrupted : status;
      }
  g_printerr ("mini-isolate: unknown command '%s'\n", argv[1]);
  print_help (stderr);
  return EXIT_ERROR;
}
