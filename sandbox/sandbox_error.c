#include "sandbox_error.h"

G_DEFINE_QUARK (sandbox - error - quark, sandbox_error)

