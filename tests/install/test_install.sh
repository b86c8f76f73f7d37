#!/bin/sh
# Reinstalling keeps the administrator's configuration: `meson install` into
# a scratch DESTDIR, the config files edited, then installed over again.
# Usage: test_install.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
source=$2
dest=$(mktemp -d "${TMPDIR:-/tmp}/isolatefs-install-XXXXXX")
trap 'rm -rf "$dest"' EXIT
echo "1..5"
fail() { echo "not ok $1"; exit 1; }

# Through a pipe, as a terminal or CI reads it.
install_into() {
  meson install -C "$build" --no-rebuild --destdir "$dest" 2>&1 | cat > "$dest.out"
  sed 's/^/# /' "$dest.out"
  grep -q "^Installing" "$dest.out" || fail "meson install failed"
}
install_into
conf=$(find "$dest" -name isolatefs.conf)
languages=$(find "$dest" -path '*/mini-isolate/languages.conf')
[ -n "$conf" ] && [ -n "$languages" ] || fail "1 - a first install puts both config files in place"
cmp -s "$conf" "$source/systemd/isolatefs.conf" && cmp -s "$languages" "$source/data/languages.conf" \
  || fail "1 - a first install puts both config files in place"
[ -z "$(find "$dest" -name '*.dist')" ] || fail "1 - a first install makes no .dist file"
echo "ok 1 - a first install puts both config files in place"

# Where a package puts things: the daemon in sbin, the pages, the units, the
# completion and the documentation they point to.
prefix=$(dirname "$(dirname "$conf")")
for file in sbin/isolatefs bin/mini-isolate bin/mini-isolate-compat \
    share/man/man8/isolatefs.8 share/man/man5/isolatefs.5 share/man/man1/mini-isolate.1 \
    share/man/man1/mini-isolate-compat.1 lib/systemd/system/isolatefs.service \
    lib/systemd/system/isolatefs@.service share/bash-completion/completions/mini-isolate \
    share/doc/mini-isolate/interface.md; do
  [ -e "$prefix/$file" ] || fail "2 - everything installed where it belongs: $file is missing"
done
[ ! -e "$prefix/bin/isolatefs" ] || fail "2 - everything installed where it belongs: isolatefs in bin"
echo "ok 2 - the daemon in sbin, man pages, units, completion and docs in place"

printf '[user:judge]\nmax_boxes=100\n' >> "$conf"
printf '\n[Local]\nextensions=local;\nrun=./{name}\n' >> "$languages"
cp "$conf" "$dest.conf"
cp "$languages" "$dest.languages"
install_into
out=$(cat "$dest.out")
rm -f "$dest.out"
cmp -s "$conf" "$dest.conf" && cmp -s "$languages" "$dest.languages" \
  || fail "3 - reinstalling keeps the edited files"
rm -f "$dest.conf" "$dest.languages"
echo "ok 3 - reinstalling keeps the edited files"

cmp -s "$conf.dist" "$source/systemd/isolatefs.conf" \
  && cmp -s "$languages.dist" "$source/data/languages.conf" \
  || fail "4 - the new defaults are installed beside them as .dist"
case $out in
  *"$conf.dist"*"$languages.dist"* | *"$languages.dist"*"$conf.dist"*) ;;
  *) fail "4 - the install output names the .dist files" ;;
esac
echo "ok 4 - the new defaults are installed beside them as .dist, and the output says so"

# A packager's build: -Dtests=false configures no test, benchmark or fuzzer.
notests=$dest.notests
meson setup "$notests" "$source" -Dtests=false > "$notests.out" 2>&1 \
  || { sed 's/^/# /' "$notests.out"; fail "5 - -Dtests=false configures"; }
targets=$(meson introspect "$notests" --targets)
tests=$(meson introspect "$notests" --tests)
rm -rf "$notests" "$notests.out"
[ "$tests" = "[]" ] || fail "5 - -Dtests=false configures no test"
case $targets in
  *'"isolatefs"'*) ;;
  *) fail "5 - -Dtests=false still builds isolatefs" ;;
esac
case $targets in
  *fuzz* | *bench* | *test_*) fail "5 - -Dtests=false builds no fuzzer, benchmark or test" ;;
esac
echo "ok 5 - -Dtests=false configures the programs and no test, benchmark or fuzzer"
