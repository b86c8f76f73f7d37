#!/bin/sh
# Compiles and runs a C program with nothing but file operations: lists the
# languages the mount knows (.languages), copies hello.c into a new box,
# writes its name to source, reads status, stdout; then shows what a
# compile error gives (stage:compile, the compiler's message in stderr);
# and removes the box (also when something fails).
#
# usage: examples/compile_demo.sh [MOUNTPOINT]     (default /isolate)
# Exits 0 if every step behaved as documented in docs/interface.md.
set -u
LC_ALL=C
export LC_ALL

mount=${1:-/isolate}
box="$mount/compile-demo-$$-$(date +%s)"
work=$(mktemp -d) || exit 1
created=0

fail() {
  echo "compile_demo.sh: $*" >&2
  exit 1
}

cleanup() {
  rm -rf "$work"
  if [ "$created" = 1 ]; then
    rmdir "$box" || echo "compile_demo.sh: could not remove $box" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# The value of KEY in the status text $status, empty if the key is absent.
meta() {
  printf '%s\n' "$status" | sed -n "s/^$1://p"
}

[ -r "$mount/.languages" ] || fail "$mount/.languages is not readable (is isolatefs mounted?)"
echo "languages: $(sed -n 's/^language://p' "$mount/.languages" | paste -sd, -)"
grep -qx 'language:C' "$mount/.languages" || fail "the mount knows no C"

mkdir "$box" || fail "cannot create $box"
created=1
echo "created $box"

cat > "$work/hello.c" <<'SOURCE'
#include <stdio.h>
int main (void) { puts ("Hello World"); return 0; }
SOURCE
cp "$work/hello.c" "$box/box/" || fail "cannot copy hello.c into the box"

# Writing source compiles (in the box) and runs; status waits for both.
echo hello.c > "$box/source" || fail "writing source was refused"
status=$(cat "$box/status") || fail "cannot read status"
printf '%s\n' "$status" | sed 's/^/  /'
[ "$(meta stage)" = run ] || fail "stage is '$(meta stage)', expected 'run'"
[ -z "$(meta status)" ] || fail "verdict is '$(meta status)', expected none (OK)"
stdout=$(cat "$box/stdout") || fail "cannot read stdout"
[ "$stdout" = "Hello World" ] || fail "stdout is '$stdout', expected 'Hello World'"
echo "stdout: $stdout"

# A compile error: the chain stops at the compile step.
printf 'int main (void) { return missing; }\n' > "$box/box/broken.c"
echo broken.c > "$box/source" || fail "writing source was refused"
status=$(cat "$box/status") || fail "cannot read status"
[ "$(meta stage)" = compile ] || fail "stage is '$(meta stage)', expected 'compile'"
[ "$(meta status)" = RE ] || fail "verdict is '$(meta status)', expected 'RE'"
grep -q "missing" "$box/stderr" || fail "the compiler's message is not in stderr"
echo "broken.c: stage compile, verdict RE; the compiler said:"
sed 's/^/  /' "$box/stderr"

rmdir "$box" || fail "cannot remove $box"
created=0
echo "removed $box"
