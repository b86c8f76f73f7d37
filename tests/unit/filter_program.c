#include "filter_program.h"

#include "sandbox/jail/syscall_filter.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

FilterProgram
filter_program_export (gboolean leave_clone3)
{
  g_autoptr (GError) error = NULL;
  int fd = syscall_filter_export (leave_clone3, &error);
  g_assert_no_error (error);
  struct stat st;
  g_assert_no_errno (fstat (fd, &st));
  g_assert_cmpint (st.st_size % sizeof (struct sock_filter), ==, 0);
  FilterProgram program = { g_malloc (st.st_size), st.st_size / sizeof (struct sock_filter) };
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

/* Classic BPF as seccomp runs it: loads of seccomp_data, scratch memory,
 * jumps, returns. */
guint32
filter_program_run (const FilterProgram *program, const struct seccomp_data *data)
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

void
filter_program_free (FilterProgram *program)
{
  g_clear_pointer (&program->code, g_free);
}
