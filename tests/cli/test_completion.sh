#!/bin/bash
# bash completion of mini-isolate (cli/mini-isolate.bash), as bash calls it
# on TAB. Needs no mount: the boxes it offers are the directories of the
# mount point named, here a scratch directory.
# Usage: test_completion.sh COMPLETION_SCRIPT MINI_ISOLATE
set -u
script=$1
program=$2
scratch=$(mktemp -d "${TMPDIR:-/tmp}/isolatefs-completion-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/box1" "$scratch/box2" "$scratch/other"
touch "$scratch/input.txt" "$scratch/not-a-box"
. "$script"
echo "1..7"
n=0

# complete WORD... : the words up to the one being completed (the last,
# possibly empty), as COMP_WORDS; prints COMPREPLY sorted, one a line.
complete_words() {
  COMP_WORDS=("$program" "$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _mini_isolate
  [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort
}

check() {
  n=$((n + 1))
  if [ "$2" = "$3" ]; then
    echo "ok $n - $1"
  else
    echo "not ok $n - $1"
    echo "# expected:"; printf '%s\n' "$3" | sed 's/^/#   /'
    echo "# got:"; printf '%s\n' "$2" | sed 's/^/#   /'
    status=1
  fi
}
status=0

check "the commands" "$(complete_words "")" \
  "$(printf '%s\n' --help --version cleanup execute init list run status | sort)"
check "a command by its prefix" "$(complete_words "ex")" "execute"
# Every option init's --help lists, and only those.
check "init's options" "$(complete_words init --)" \
  "$(printf '%s\n' --box-id --extra-time --fsize --help --mem --open-files --processes --root \
    --share-net --stack --time --wall-time | sort)"
check "box names for --box-id, from --root" \
  "$(complete_words status --root "$scratch" --box-id "")" "$(printf 'box1\nbox2\nother')"
check "box names from MINI_ISOLATE_ROOT, by prefix" \
  "$(MINI_ISOLATE_ROOT=$scratch complete_words cleanup -b bo)" "$(printf 'box1\nbox2')"
check "files for --stdin" "$(complete_words run --stdin "$scratch/in")" "$scratch/input.txt"
check "nothing for a value to type, directories for --root=" \
  "$(complete_words init --mem ""; complete_words list --root = "$scratch/ot")" "$scratch/other"
exit $status
