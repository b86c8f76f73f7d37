/* Language runtimes under the system call filter (docs/security.md#system-calls):
 * the ways they start threads and processes (glibc's clone3 falling back to
 * clone, vfork, posix_spawn, Go's raw clone) must all still work in a box.
 * A runtime the box cannot find is named as not run, with what checks its
 * calls instead. */

#include "mount_fixture.h"

#include <string.h>

/* Where the box finds program in its own PATH (the host's may hold what
 * the box cannot see, as a pyenv shim under /root), with the limits a
 * runtime with a compiler in it needs. If it finds none, the test is
 * skipped, saying what checks the runtime's calls instead. */
static char *
find_runtime (const Mount *mount, const char *program, const char *checked_instead)
{
  g_assert_cmpint (put (mount, "b/processes", "64"), ==, 0);
  g_assert_cmpint (put (mount, "b/mem", "1G"), ==, 0);
  g_assert_cmpint (put (mount, "b/time", "30"), ==, 0);
  g_assert_cmpint (put (mount, "b/wall-time", "90"), ==, 0);
  g_autofree char *cmd = g_strdup_printf ("sh -c 'command -v %s'", program);
  g_autofree char *out = run_for_output (mount, "b", cmd);
  g_strstrip (out);
  if (*out != '\0')
    return g_steal_pointer (&out);
  g_autofree char *why
      = g_strdup_printf ("the box finds no %s in its PATH: not run (%s)", program, checked_instead);
  g_test_skip (why);
  return NULL;
}

static void
put_file (const Mount *mount, const char *name, const char *contents)
{
  g_autofree char *path = mount_path (mount, name);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

/* Runs cmd in box b, and returns its stdout; the run must end well. */
static char *
run_ok (const Mount *mount, const char *cmd)
{
  g_autofree char *out = run_for_output (mount, "b", cmd);
  g_autofree char *status = get (mount, "b/status");
  g_autofree char *err = get (mount, "b/stderr");
  g_test_message ("%s:\n%s%s%s", cmd, status, out, err);
  g_assert_nonnull (strstr (status, "exitcode:0\n"));
  return g_steal_pointer (&out);
}

static void
test_shell_pipeline (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_assert_cmpint (put (fixture->mount, "b/processes", "10"), ==, 0);
  g_autofree char *out
      = run_ok (fixture->mount, "sh -c 'seq 1 20000 | sort -rn | head -n 1 | tr 0 o'");
  g_assert_cmpstr (out, ==, "2oooo\n");
}

static const char python_processes[]
    = "import multiprocessing, os, subprocess, threading\n"
      "def square(x):\n"
      "    return x * x\n"
      "def main():\n"
      "    print(subprocess.run(['echo', 'subprocess'], capture_output=True, text=True).stdout,"
      " end='')\n"
      "    pid = os.posix_spawn('/bin/true', ['true'], {})\n"
      "    print('posix_spawn', os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))\n"
      "    t = threading.Thread(target=print, args=('thread',))\n"
      "    t.start()\n"
      "    t.join()\n"
      "    for method in ['fork', 'spawn', 'forkserver']:\n"
      "        with multiprocessing.get_context(method).Pool(2) as pool:\n"
      "            print(method, sum(pool.map(square, range(10))))\n"
      "if __name__ == '__main__':\n"
      "    main()\n";

static void
test_python_processes_and_threads (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_autofree char *python
      = find_runtime (fixture->mount, "python3",
                      "the filter's answers to glibc's clone3 and clone are in unit/filter_rules");
  if (python == NULL)
    return;
  put_file (fixture->mount, "b/box/processes.py", python_processes);
  g_autofree char *cmd = g_strdup_printf ("%s processes.py", python);
  g_autofree char *out = run_ok (fixture->mount, cmd);
  g_assert_cmpstr (out, ==,
                   "subprocess\nposix_spawn 0\nthread\nfork 285\nspawn 285\nforkserver 285\n");
}

static const char java_threads[]
    = "public class Threads {\n"
      "  public static void main(String[] args) throws Exception {\n"
      "    long[] sums = new long[8];\n"
      "    Thread[] threads = new Thread[8];\n"
      "    for (int i = 0; i < 8; i++) {\n"
      "      int n = i;\n"
      "      threads[i] = new Thread(() -> { for (int k = 0; k <= 100; k++) sums[n] += k; });\n"
      "      threads[i].start();\n"
      "    }\n"
      "    long total = 0;\n"
      "    for (int i = 0; i < 8; i++) { threads[i].join(); total += sums[i]; }\n"
      "    System.out.println(\"threads \" + total);\n"
      "    Process child = new ProcessBuilder(\"echo\", \"child\").start();\n"
      "    String said = new String(child.getInputStream().readAllBytes()).trim();\n"
      "    System.out.println(said + \" \" + child.waitFor());\n"
      "  }\n"
      "}\n";

static void
test_java_threads (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_autofree char *java = find_runtime (
      fixture->mount, "java",
      "its threads are glibc's, as Python's in /runtimes/python-processes-and-threads");
  if (java == NULL)
    return;
  g_autofree char *version_cmd = g_strdup_printf ("%s -version", java);
  g_autofree char *version = run_ok (fixture->mount, version_cmd);
  g_autofree char *banner = get (fixture->mount, "b/stderr");
  g_assert_nonnull (strstr (banner, "version"));
  /* The source launcher compiles in the JVM, then runs. */
  put_file (fixture->mount, "b/box/Threads.java", java_threads);
  g_autofree char *cmd = g_strdup_printf ("%s Threads.java", java);
  g_autofree char *out = run_ok (fixture->mount, cmd);
  g_assert_cmpstr (out, ==, "threads 40400\nchild 0\n");
}

static const char go_program[] = "package main\n"
                                 "\n"
                                 "import (\n"
                                 "\t\"fmt\"\n"
                                 "\t\"os/exec\"\n"
                                 "\t\"sync\"\n"
                                 ")\n"
                                 "\n"
                                 "func main() {\n"
                                 "\tvar wg sync.WaitGroup\n"
                                 "\tsums := make([]int, 8)\n"
                                 "\tfor i := range sums {\n"
                                 "\t\twg.Add(1)\n"
                                 "\t\tgo func(n int) {\n"
                                 "\t\t\tdefer wg.Done()\n"
                                 "\t\t\tfor k := 0; k <= 100; k++ {\n"
                                 "\t\t\t\tsums[n] += k\n"
                                 "\t\t\t}\n"
                                 "\t\t}(i)\n"
                                 "\t}\n"
                                 "\twg.Wait()\n"
                                 "\ttotal := 0\n"
                                 "\tfor _, s := range sums {\n"
                                 "\t\ttotal += s\n"
                                 "\t}\n"
                                 "\tout, err := exec.Command(\"echo\", \"child\").Output()\n"
                                 "\tfmt.Printf(\"goroutines %d\\n%s%v\\n\", total, out, err)\n"
                                 "}\n";

/* Go's runtime makes its threads and children with clone itself, not
 * through glibc: `go version`, then the toolchain (its own children) and
 * a program with goroutines and a child. */
static void
test_go_runtime (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_autofree char *go = find_runtime (
      fixture->mount, "go",
      "the filter's answer to the clone flags of its threads is in unit/filter_rules");
  if (go == NULL)
    return;
  g_autofree char *version_cmd = g_strdup_printf ("%s version", go);
  g_autofree char *version = run_ok (fixture->mount, version_cmd);
  g_assert_true (g_str_has_prefix (version, "go version go"));
  put_file (fixture->mount, "b/box/main.go", go_program);
  /* Its build cache in the run's own /tmp. */
  g_assert_cmpint (put (fixture->mount, "b/env", "GOCACHE=/tmp/go-cache\n"), ==, 0);
  g_autofree char *cmd = g_strdup_printf ("%s run main.go", go);
  g_autofree char *out = run_ok (fixture->mount, cmd);
  g_assert_cmpstr (out, ==, "goroutines 40400\nchild\n<nil>\n");
}

#define ADD(path, function)                                                                        \
  g_test_add (path, BoxFixture, NULL, box_fixture_set_up, function, box_fixture_tear_down)

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/runtimes/shell-pipeline", test_shell_pipeline);
  ADD ("/runtimes/python-processes-and-threads", test_python_processes_and_threads);
  ADD ("/runtimes/java-threads", test_java_threads);
  ADD ("/runtimes/go", test_go_runtime);
  return g_test_run ();
}
