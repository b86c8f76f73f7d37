#!/bin/sh
# Reinstalling keeps the administrator's configuration: `meson install` into
# a scratch DESTDIR, the config files edited, then installed over again.
# Usage: test_install.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
source=$2
dest=$(mktemp -d "${TMPDIR:-/tmp}/isolatefs-install-XXXXXX")
trap 'rm -rf "$dest"' EXIT
echo "1..3"
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

printf '[user:judge]\nmax_boxes=100\n' >> "$conf"
printf '\n[Local]\nextensions=local;\nrun=./{name}\n' >> "$languages"
cp "$conf" "$dest.conf"
cp "$languages" "$dest.languages"
install_into
out=$(cat "$dest.out")
rm -f "$dest.out"
cmp -s "$conf" "$dest.conf" && cmp -s "$languages" "$dest.languages" \
  || fail "2 - reinstalling keeps the edited files"
rm -f "$dest.conf" "$dest.languages"
echo "ok 2 - reinstalling keeps the edited files"

cmp -s "$conf.dist" "$source/systemd/isolatefs.conf" \
  && cmp -s "$languages.dist" "$source/data/languages.conf" \
  || fail "3 - the new defaults are installed beside them as .dist"
case $out in
  *"$conf.dist"*"$languages.dist"* | *"$languages.dist"*"$conf.dist"*) ;;
  *) fail "3 - the install output names the .dist files" ;;
esac
echo "ok 3 - the new defaults are installed beside them as .dist, and the output says so"
