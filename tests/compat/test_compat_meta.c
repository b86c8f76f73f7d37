/* The daemon's status translated into isolate 1.10.1's meta file, status
 * line and exit status. No mount needed. */

#include "compat_meta.h"

#include <glib.h>

/* Real status texts of isolatefs (docs/interface.md), and what isolate
 * 1.10.1 writes for the same outcome (keys in its order). */
static const struct
{
  const char *name;
  const char *status;
  int interrupted;
  const char *meta;
  const char *line;
  CompatExit exit_status;
} cases[] = {
  { "ok",
    "state:done\ntime:0.002\ntime-wall:0.024\nmax-rss:2300\ncsw-voluntary:2\ncsw-forced:0\n"
    "cg-mem:256\nexitcode:0\n",
    0,
    "time:0.002\ntime-wall:0.024\nmax-rss:2300\ncsw-voluntary:2\ncsw-forced:0\ncg-mem:256\n"
    "exitcode:0\n",
    "OK (0.002 sec real, 0.024 sec wall)", COMPAT_EXIT_OK },
  { "runtime-error",
    "state:done\ntime:0.001\ntime-wall:0.005\nmax-rss:2632\ncsw-voluntary:1\ncsw-forced:1\n"
    "cg-mem:404\nexitcode:3\nstatus:RE\nmessage:Exited with error status 3\n",
    0,
    "time:0.001\ntime-wall:0.005\nmax-rss:2632\ncsw-voluntary:1\ncsw-forced:1\ncg-mem:404\n"
    "exitcode:3\nstatus:RE\nmessage:Exited with error status 3\n",
    "Exited with error status 3", COMPAT_EXIT_PROGRAM_FAILED },
  { "signal",
    "state:done\ntime:0.001\ntime-wall:0.004\nmax-rss:2624\ncsw-voluntary:1\ncsw-forced:0\n"
    "cg-mem:520\nexitsig:11\nstatus:SG\nmessage:Caught fatal signal 11\n",
    0,
    "time:0.001\ntime-wall:0.004\nmax-rss:2624\ncsw-voluntary:1\ncsw-forced:0\ncg-mem:520\n"
    "exitsig:11\nstatus:SG\nmessage:Caught fatal signal 11\n",
    "Caught fatal signal 11", COMPAT_EXIT_PROGRAM_FAILED },
  { "time-out",
    "state:done\ntime:0.504\ntime-wall:0.524\nmax-rss:0\ncsw-voluntary:0\ncsw-forced:0\n"
    "cg-mem:260\nexitsig:9\nkilled:1\nstatus:TO\nmessage:Time limit exceeded\n",
    0,
    "status:TO\nmessage:Time limit exceeded\nkilled:1\ntime:0.504\ntime-wall:0.524\n"
    "max-rss:0\ncsw-voluntary:0\ncsw-forced:0\ncg-mem:260\n",
    "Time limit exceeded", COMPAT_EXIT_PROGRAM_FAILED },
  { "wall-time-out",
    "state:done\ntime:0.001\ntime-wall:1.003\nmax-rss:0\ncsw-voluntary:0\ncsw-forced:0\n"
    "cg-mem:392\nexitsig:9\nkilled:1\nstatus:TO\nmessage:Time limit exceeded (wall clock)\n",
    0,
    "status:TO\nmessage:Time limit exceeded (wall clock)\nkilled:1\ntime:0.001\n"
    "time-wall:1.003\nmax-rss:0\ncsw-voluntary:0\ncsw-forced:0\ncg-mem:392\n",
    "Time limit exceeded (wall clock)", COMPAT_EXIT_PROGRAM_FAILED },
  /* Above the limit but within the extra time: no exit code, as isolate. */
  { "time-out-not-killed",
    "state:done\ntime:0.620\ntime-wall:0.700\nmax-rss:1000\ncsw-voluntary:1\ncsw-forced:2\n"
    "cg-mem:300\nexitcode:0\nstatus:TO\nmessage:Time limit exceeded\n",
    0,
    "time:0.620\ntime-wall:0.700\nmax-rss:1000\ncsw-voluntary:1\ncsw-forced:2\ncg-mem:300\n"
    "status:TO\nmessage:Time limit exceeded\n",
    "Time limit exceeded", COMPAT_EXIT_PROGRAM_FAILED },
  { "memory",
    "state:done\ntime:0.054\ntime-wall:0.078\nmax-rss:70636\ncsw-voluntary:6\ncsw-forced:19\n"
    "cg-mem:65536\ncg-oom-killed:1\nexitsig:9\nstatus:SG\nmessage:Caught fatal signal 9\n",
    0,
    "time:0.054\ntime-wall:0.078\nmax-rss:70636\ncsw-voluntary:6\ncsw-forced:19\n"
    "cg-mem:65536\ncg-oom-killed:1\nexitsig:9\nstatus:SG\nmessage:Caught fatal signal 9\n",
    "Caught fatal signal 9", COMPAT_EXIT_PROGRAM_FAILED },
  { "cannot-start",
    "state:done\ntime:0.001\ntime-wall:0.003\nmax-rss:0\ncsw-voluntary:0\ncsw-forced:0\n"
    "cg-mem:396\nstatus:XX\nmessage:cannot enter /nowhere: No such file or directory\n",
    0, "status:XX\nmessage:cannot enter /nowhere: No such file or directory\n",
    "cannot enter /nowhere: No such file or directory", COMPAT_EXIT_SANDBOX_ERROR },
  /* Keys isolate does not have are dropped. */
  { "truncated-output",
    "state:done\ntime:0.100\ntime-wall:0.200\nmax-rss:1\ncsw-voluntary:1\ncsw-forced:1\n"
    "cg-mem:1\nexitcode:0\noutput-truncated:1\nnew-key:x\n",
    0,
    "time:0.100\ntime-wall:0.200\nmax-rss:1\ncsw-voluntary:1\ncsw-forced:1\ncg-mem:1\n"
    "exitcode:0\n",
    "OK (0.100 sec real, 0.200 sec wall)", COMPAT_EXIT_OK },
  /* Stopped by the front end on SIGINT: isolate's "Interrupted". */
  { "interrupted",
    "state:done\ntime:0.001\ntime-wall:0.445\nmax-rss:0\ncsw-voluntary:0\ncsw-forced:0\n"
    "cg-mem:612\nexitsig:9\nkilled:1\nstatus:SG\nmessage:Killed by ctl\n",
    2,
    "exitsig:2\nstatus:SG\nmessage:Interrupted\nkilled:1\ntime:0.001\ntime-wall:0.445\n"
    "max-rss:0\ncsw-voluntary:0\ncsw-forced:0\ncg-mem:612\n",
    "Interrupted", COMPAT_EXIT_PROGRAM_FAILED },
};

static void
test_verdicts (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %s", cases[i].name);
      g_autoptr (GError) error = NULL;
      g_autoptr (CompatVerdict) verdict
          = compat_verdict_from_status (cases[i].status, TRUE, cases[i].interrupted, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (verdict->meta, ==, cases[i].meta);
      g_assert_cmpstr (verdict->line, ==, cases[i].line);
      g_assert_cmpint (verdict->exit_status, ==, cases[i].exit_status);
      g_assert_cmpint (verdict->fatal, ==, cases[i].exit_status == COMPAT_EXIT_SANDBOX_ERROR);
    }
}

/* Without --cg, isolate 1.10.1 gives no cg-mem and no cg-oom-killed (as for
 * `isolate -m 65536 --run -- ./a.out` on a program whose malloc failed). */
static void
test_without_cg (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CompatVerdict) verdict = compat_verdict_from_status (
      "state:done\ntime:0.002\ntime-wall:0.004\nmax-rss:1232\ncsw-voluntary:1\ncsw-forced:0\n"
      "cg-mem:300\ncg-oom-killed:1\nexitcode:3\nstatus:RE\nmessage:Exited with error status 3\n",
      FALSE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (verdict->meta, ==,
                   "time:0.002\ntime-wall:0.004\nmax-rss:1232\ncsw-voluntary:1\ncsw-forced:0\n"
                   "exitcode:3\nstatus:RE\nmessage:Exited with error status 3\n");
}

static void
test_not_done (void)
{
  const char *const texts[] = { "state:idle\n", "state:running\n", "", "garbage" };
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CompatVerdict) verdict = compat_verdict_from_status (texts[i], TRUE, 0, &error);
      g_assert_null (verdict);
      g_assert_nonnull (error);
    }
}

static void
test_error (void)
{
  g_autoptr (CompatVerdict) verdict = compat_verdict_for_error ("Box directory not found,\nok");
  g_assert_cmpstr (verdict->meta, ==, "status:XX\nmessage:Box directory not found, ok\n");
  g_assert_cmpstr (verdict->line, ==, "Box directory not found, ok");
  g_assert_cmpint (verdict->exit_status, ==, COMPAT_EXIT_SANDBOX_ERROR);
  g_assert_true (verdict->fatal);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compat/meta/verdicts", test_verdicts);
  g_test_add_func ("/compat/meta/without-cg", test_without_cg);
  g_test_add_func ("/compat/meta/not-done", test_not_done);
  g_test_add_func ("/compat/meta/error", test_error);
  return g_test_run ();
}
