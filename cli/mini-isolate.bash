# bash completion for mini-isolate: its commands, each command's options,
# box names for --box-id, files and directories where an option takes one.
# The commands and options are read from the program's own --help, so that
# they never drift from it.

# The commands, from the "Commands:" list of `mini-isolate --help`.
_mini_isolate_commands()
{
  "$1" --help 2>/dev/null | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'
}

# One line per option of `mini-isolate COMMAND --help`: SHORT LONG ARGUMENT,
# "-" where there is none ("-r --root DIR", "- --share-net -").
_mini_isolate_options()
{
  "$1" "$2" --help 2>/dev/null | awk '
    /^  -/ {
      short = "-"; long = ""; argument = "-"
      for (i = 1; i <= NF && long == ""; i++) {
        word = $i
        sub(/,$/, "", word)
        if (word ~ /^--/) {
          long = word
          if (split(word, parts, "=") == 2) { long = parts[1]; argument = parts[2] }
        } else if (word ~ /^-.$/)
          short = word
      }
      if (long != "")
        print short, long, argument
    }'
}

# The boxes of the mount the command line names (--root), else of
# $MINI_ISOLATE_ROOT, else of /isolate.
_mini_isolate_boxes()
{
  local root=${MINI_ISOLATE_ROOT:-/isolate} i dir
  for ((i = 2; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      --root | -r)
        root=${COMP_WORDS[i + 1]}
        [ "$root" = "=" ] && root=${COMP_WORDS[i + 2]}
        ;;
    esac
  done
  for dir in "$root"/*/; do
    [ -d "$dir" ] || continue
    dir=${dir%/}
    echo "${dir##*/}"
  done
}

_mini_isolate()
{
  local program=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev=
  COMPREPLY=()
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "$(_mini_isolate_commands "$program") --help --version" -- "$cur"))
    return
  fi
  [ "$COMP_CWORD" -ge 2 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
  # "--root=DIR": bash splits the word at '='.
  if [ "$cur" = "=" ]; then
    cur=
  elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 3 ]; then
    prev=${COMP_WORDS[COMP_CWORD - 2]}
  fi

  local short long argument longs=
  while read -r short long argument; do
    longs="$longs $long"
    [ "$prev" = "$long" ] || [ "$prev" = "$short" ] || continue
    [ "$argument" = "-" ] && break
    case $argument in
      FILE)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "$cur"))
        ;;
      DIR)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -d -- "$cur"))
        ;;
      ID) COMPREPLY=($(compgen -W "$(_mini_isolate_boxes)" -- "$cur")) ;;
    esac
    # Any other argument (MB, S, N...) is a value to type.
    return
  done < <(_mini_isolate_options "$program" "${COMP_WORDS[1]}")
  case $cur in
    -* | "") COMPREPLY=($(compgen -W "$longs" -- "$cur")) ;;
  esac
}
complete -F _mini_isolate mini-isolate
