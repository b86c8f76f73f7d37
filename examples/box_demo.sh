#!/bin/sh
# Drives an isolatefs mount with nothing but file operations: creates a box,
# sets and reads back limits, shows a refused value, runs a program that
# writes to stdout and stderr and exits with 3, checks its verdict and output,
# and removes the box (also when something fails).
#
# usage: examples/box_demo.sh [MOUNTPOINT]     (default /isolate)
# Exits 0 if every step behaved as documented in docs/interface.md.
set -u
LC_ALL=C    # untranslated error messages
export LC_ALL

mount=${1:-/isolate}
box="$mount/demo-$$-$(date +%s)"
created=0

fail() {
  echo "box_demo.sh: $*" >&2
  exit 1
}

cleanup() {
  if [ "$created" = 1 ]; then
    rmdir "$box" || echo "box_demo.sh: could not remove $box" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# One value per write(2). tee reports the real errno if the value is refused
# (the shell's own printf may not).
write_value() {
  printf '%s\n' "$2" | tee "$1" > /dev/null
}

# Sets FILE to VALUE and checks that it reads back as EXPECTED.
set_and_check() {
  write_value "$box/$1" "$2" || fail "writing '$2' to $1 was refused"
  got=$(cat "$box/$1") || fail "cannot read $1"
  [ "$got" = "$3" ] || fail "$1: wrote '$2', read back '$got', expected '$3'"
  printf '%-10s %-6s -> %s\n' "$1" "$2" "$got"
}

[ -d "$mount" ] || fail "$mount is not a directory (is isolatefs mounted?)"
mkdir "$box" || fail "cannot create $box"
created=1
echo "created $box"

set_and_check mem 128M 131072
set_and_check time 2 2.000
set_and_check processes 10 10

# A bad value is refused with EINVAL and the old value stays.
if error=$(write_value "$box/mem" lots 2>&1); then
  fail "the bad value 'lots' was accepted by mem"
fi
case "$error" in
  *"Invalid argument"*) ;;
  *) fail "mem refused 'lots' with an unexpected error: $error" ;;
esac
echo "mem        lots   -> refused: $error"
got=$(cat "$box/mem") || fail "cannot read mem"
[ "$got" = 131072 ] || fail "mem changed to '$got' after a refused write"

# A program: `sh -c` with several commands may fork, so processes is 10
# (set above). Writing cmd starts the run and returns at once.
program="sh -c 'echo hello; echo oops >&2; exit 3'"
write_value "$box/cmd" "$program" || fail "writing cmd was refused"
echo "cmd        $program"

# Reading status waits until the run has ended.
status=$(cat "$box/status") || fail "cannot read status"
echo "status:"
printf '%s\n' "$status" | sed 's/^/  /'
stdout=$(cat "$box/stdout") || fail "cannot read stdout"
stderr=$(cat "$box/stderr") || fail "cannot read stderr"
echo "stdout:    $stdout"
echo "stderr:    $stderr"

# The value of KEY in status, empty if the key is absent.
meta() {
  printf '%s\n' "$status" | sed -n "s/^$1://p"
}
[ "$(meta state)" = done ] || fail "state is '$(meta state)', expected 'done'"
[ "$(meta status)" = RE ] || fail "verdict is '$(meta status)', expected 'RE'"
[ "$(meta exitcode)" = 3 ] || fail "exitcode is '$(meta exitcode)', expected '3'"
[ "$(meta message)" = "Exited with error status 3" ] || fail "unexpected message '$(meta message)'"
[ "$stdout" = hello ] || fail "stdout is '$stdout', expected 'hello'"
[ "$stderr" = oops ] || fail "stderr is '$stderr', expected 'oops'"
echo "verdict RE, exit code 3, output as expected"

rmdir "$box" || fail "cannot remove $box"
created=0
[ ! -e "$box" ] || fail "$box still exists after rmdir"
echo "removed $box"
