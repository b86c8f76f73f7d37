/* The exported system call filter, read instruction by instruction: a call
 * of any other ABI than the native one kills the program. The integration
 * test (run/other-abi-is-killed) tries it for real where the host lets it;
 * some hosts give no 32-bit system calls at all, so this reads what the
 * filter would answer instead. */

#include "sandbox/syscall_filter.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define X32_SYSCALL_BIT 0x40000000

typedef struct
{
  struct sock_filter *code;
  guint length;
} Program;

static Program
export_program (void)
{
  g_autoptr (GError) error = NULL;
  int fd = syscall_filter_export (&error);
  g_assert_no_error (error);
  struct stat st;
  g_assert_no_errno (fstat (fd, &st));
  g_assert_cmpint (st.st_size % sizeof (struct sock_filter), ==, 0);
  Program program = { g_malloc (st.st_size), st.st_size / sizeof (struct sock_filter) };
  g_assert_cmpint (pread (fd, program.code, st.st_size, 0), ==, st.st_size);
  close (fd);
  return program;
}

static guint32
load_word (const struct seccomp_data *data, guint32 offset)
{
  g_assert_cmpuint (offset % 4, ==, 0);
  g_assert_cmpuint (offset, <, sizeof *data);
  guint32 word;
  memcpy (&word, (const char *) data + offset, sizeof word);
  return word;
}

static gboolean
jump_taken (guint16 op, guint32 a, guint32 operand)
{
  switch (BPF_OP (op))
    {
    case BPF_JEQ:
      return a == operand;
    case BPF_JGT:
      return a > operand;
    case BPF_JGE:
      return a >= operand;
    case BPF_JSET:
      return (a & operand) != 0;
    }
  g_error ("jump 0x%x not understood", op);
}

static guint32
alu (guint16 op, guint32 a, guint32 operand)
{
  switch (BPF_OP (op))
    {
    case BPF_AND:
      return a & operand;
    case BPF_OR:
      return a | operand;
    case BPF_ADD:
      return a + operand;
    case BPF_SUB:
      return a - operand;
    case BPF_RSH:
      return a >> operand;
    case BPF_LSH:
      return a << operand;
    }
  g_error ("ALU operation 0x%x not understood", op);
}

/* What the kernel's seccomp would answer to one system call: classic BPF as
 * seccomp runs it (loads of seccomp_data, scratch memory, jumps, returns). */
static guint32
evaluate (const Program *program, const struct seccomp_data *data)
{
  guint32 a = 0, x = 0, memory[BPF_MEMWORDS] = { 0 };
  for (guint pc = 0; pc < program->length; pc++)
    {
      const struct sock_filter *insn = &program->code[pc];
      guint32 operand = BPF_SRC (insn->code) == BPF_X ? x : insn->k;
      switch (BPF_CLASS (insn->code))
        {
        case BPF_LD:
          a = BPF_MODE (insn->code) == BPF_ABS   ? load_word (data, insn->k)
              : BPF_MODE (insn->code) == BPF_MEM ? memory[insn->k]
                                                 : insn->k;
          break;
        case BPF_LDX:
          x = BPF_MODE (insn->code) == BPF_MEM ? memory[insn->k] : insn->k;
          break;
        case BPF_ST:
          memory[insn->k] = a;
          break;
        case BPF_STX:
          memory[insn->k] = x;
          break;
        case BPF_ALU:
          a = alu (insn->code, a, operand);
          break;
        case BPF_JMP:
          if (BPF_OP (insn->code) == BPF_JA)
            pc += insn->k;
          else
            pc += jump_taken (insn->code, a, operand) ? insn->jt : insn->jf;
          break;
        case BPF_RET:
          return BPF_RVAL (insn->code) == BPF_A ? a : insn->k;
        case BPF_MISC:
          if (BPF_MISCOP (insn->code) == BPF_TAX)
            x = a;
          else
            a = x;
          break;
        }
    }
  g_error ("the filter ran past its end");
}

static guint32
answer (const Program *program, guint32 arch, gint32 nr)
{
  struct seccomp_data data = { .nr = nr, .arch = arch };
  return evaluate (program, &data) & SECCOMP_RET_ACTION_FULL;
}

static void
assert_kills (const Program *program, guint32 arch, gint32 nr)
{
  guint32 action = answer (program, arch, nr);
  g_test_message ("arch 0x%x, system call 0x%x: %s", arch, (guint32) nr,
                  action == SECCOMP_RET_KILL_PROCESS  ? "kill the process"
                  : action == SECCOMP_RET_KILL_THREAD ? "kill the thread"
                                                      : "not killed");
  g_assert_true (action == SECCOMP_RET_KILL_PROCESS || action == SECCOMP_RET_KILL_THREAD);
}

static void
test_native_calls_pass (void)
{
  Program program = export_program ();
  g_assert_cmpuint (answer (&program, seccomp_arch_native (), SYS_getpid), ==, SECCOMP_RET_ALLOW);
  g_free (program.code);
}

static void
test_other_architectures_killed (void)
{
  /* Whatever the system call: getpid's number here, and the 32-bit one. */
  static const guint32 arches[]
      = { AUDIT_ARCH_I386, AUDIT_ARCH_X86_64, AUDIT_ARCH_ARM, AUDIT_ARCH_AARCH64 };
  Program program = export_program ();
  for (guint i = 0; i < G_N_ELEMENTS (arches); i++)
    if (arches[i] != seccomp_arch_native ())
      {
        assert_kills (&program, arches[i], SYS_getpid);
        assert_kills (&program, arches[i], 20);
      }
  g_free (program.code);
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
  Program program = export_program ();
  assert_kills (&program, AUDIT_ARCH_X86_64, X32_SYSCALL_BIT | SYS_getpid);
  assert_kills (&program, AUDIT_ARCH_X86_64, X32_SYSCALL_BIT | SYS_keyctl);
  g_free (program.code);
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
