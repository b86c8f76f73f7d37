/* The status text of a run: isolate's meta keys, units and formats. */

#include "sandbox/run/run_result.h"

#include <string.h>

static void
test_ok_run (void)
{
  g_autoptr (RunResult) result = run_result_new ();
  result->cpu_ms = 1;
  result->wall_ms = 1234;
  result->max_rss_kib = 1064;
  result->csw_voluntary = 4;
  result->csw_forced = 2;
  result->cg_mem_kib = 584;
  result->exited = TRUE;
  g_autofree char *text = run_result_render (result);
  g_assert_cmpstr (text, ==,
                   "time:0.001\ntime-wall:1.234\nmax-rss:1064\ncsw-voluntary:4\ncsw-forced:2\n"
                   "cg-mem:584\nexitcode:0\n");
}

static void
test_oom_kill (void)
{
  g_autoptr (RunResult) result = run_result_new ();
  result->oom_killed = TRUE;
  result->exitsig = 9;
  run_result_set_verdict (result, RUN_SG, "Caught fatal signal %d", 9);
  g_autofree char *text = run_result_render (result);
  g_assert_nonnull (strstr (text, "cg-oom-killed:1\nexitsig:9\nstatus:SG\n"
                                  "message:Caught fatal signal 9\n"));
  g_assert_null (strstr (text, "exitcode"));
}

static void
test_time_out_and_truncation (void)
{
  g_autoptr (RunResult) result = run_result_new ();
  result->cpu_ms = 300;
  result->killed = TRUE;
  result->exitsig = 9;
  result->output_truncated = TRUE;
  run_result_set_verdict (result, RUN_RE, "first");
  run_result_set_verdict (result, RUN_TO, "Time limit exceeded");
  g_autofree char *text = run_result_render (result);
  g_assert_nonnull (strstr (text, "time:0.300\n"));
  g_assert_nonnull (strstr (text, "killed:1\noutput-truncated:1\nstatus:TO\n"
                                  "message:Time limit exceeded\n"));
}

static void
test_message_cannot_add_keys (void)
{
  /* A message can quote a program name the user chose. */
  g_autoptr (RunResult) result = run_result_new ();
  run_result_set_verdict (result, RUN_XX, "cannot execute ./a\nstatus:OK\r\nx");
  g_autofree char *text = run_result_render (result);
  g_assert_nonnull (strstr (text, "message:cannot execute ./a status:OK  x\n"));
  g_assert_null (strstr (text, "\nstatus:OK"));
}

static void
test_stage_comes_first (void)
{
  /* A step of a source file's chain says which; a plain run has no stage key. */
  g_autoptr (RunResult) result = run_result_new ();
  result->stage = "compile";
  result->exited = TRUE;
  result->exitcode = 1;
  run_result_set_verdict (result, RUN_RE, "Exited with error status 1");
  g_autofree char *text = run_result_render (result);
  g_assert_true (g_str_has_prefix (text, "stage:compile\ntime:0.000\n"));
  g_assert_true (
      g_str_has_suffix (text, "exitcode:1\nstatus:RE\nmessage:Exited with error status 1\n"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/run-result/ok-run", test_ok_run);
  g_test_add_func ("/run-result/oom-kill", test_oom_kill);
  g_test_add_func ("/run-result/time-out-and-truncation", test_time_out_and_truncation);
  g_test_add_func ("/run-result/message-cannot-add-keys", test_message_cannot_add_keys);
  g_test_add_func ("/run-result/stage-comes-first", test_stage_comes_first);
  return g_test_run ();
}
