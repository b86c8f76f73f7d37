/* The exported system call filter, read instruction by instruction: a call
 * of any other ABI than the native one kills the program. The integration
 * test (run/other-abi-is-killed) tries it for real where the host lets it;
 * some hosts give no 32-bit system calls at all, so this reads what the
 * filter would answer instead. */

#include "filter_program.h"

#include <linux/audit.h>
#include <seccomp.h>
#include <sys/syscall.h>

#define X32_SYSCALL_BIT 0x40000000

static guint32
answer (const FilterProgram *program, guint32 arch, gint32 nr)
{
  struct seccomp_data data = { .nr = nr, .arch = arch };
  return filter_program_run (program, &data) & SECCOMP_RET_ACTION_FULL;
}

static void
assert_kills (const FilterProgram *program, guint32 arch, gint32 nr)
{
  guint32 action = answer (program, arch, nr);
  g_test_message ("arch 0x%x, system call 0x%x: %s", arch, (guint32) nr,
                  action == SECCOMP_RET_KILL_PROCESS  ? "kill the process"
                  : action == SECCOMP_RET_KILL_THREAD ? "kill the thread"
                                                      : "not killed");
  g_assert_cmphex (action, ==, SECCOMP_RET_KILL_PROCESS); /* the whole program, not a thread */
}

static void
test_native_calls_pass (void)
{
  FilterProgram program = filter_program_export (FALSE);
  g_assert_cmpuint (answer (&program, seccomp_arch_native (), SYS_getpid), ==, SECCOMP_RET_ALLOW);
  filter_program_free (&program);
}

static void
test_other_architectures_killed (void)
{
  /* Whatever the system call: getpid's number here, and the 32-bit one. */
  static const guint32 arches[]
      = { AUDIT_ARCH_I386, AUDIT_ARCH_X86_64, AUDIT_ARCH_ARM, AUDIT_ARCH_AARCH64 };
  FilterProgram program = filter_program_export (FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (arches); i++)
    if (arches[i] != seccomp_arch_native ())
      {
        assert_kills (&program, arches[i], SYS_getpid);
        assert_kills (&program, arches[i], 20);
      }
  filter_program_free (&program);
}

static void
test_x32_calls_killed (void)
{
  if (seccomp_arch_native () != AUDIT_ARCH_X86_64)
    {
      g_test_skip ("x32 exists on x86_64 only");
      return;
    }
  /* x32 calls arrive as x86_64 ones with bit 30 set. */
  FilterProgram program = filter_program_export (FALSE);
  assert_kills (&program, AUDIT_ARCH_X86_64, X32_SYSCALL_BIT | SYS_getpid);
  assert_kills (&program, AUDIT_ARCH_X86_64, X32_SYSCALL_BIT | SYS_keyctl);
  filter_program_free (&program);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/filter-abis/native-calls-pass", test_native_calls_pass);
  g_test_add_func ("/filter-abis/other-architectures-killed", test_other_architectures_killed);
  g_test_add_func ("/filter-abis/x32-calls-killed", test_x32_calls_killed);
  return g_test_run ();
}
