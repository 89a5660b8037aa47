#!/usr/bin/env bash
# Asks a bash completion script what it offers, the way bash does on TAB:
#   bash-complete.sh SCRIPT TOOL WORD...   (the last WORD is the one being completed)
# Sets COMP_WORDS/COMP_CWORD/COMP_LINE/COMP_POINT, calls _TOOL with (command, cur, prev) as
# `complete -F` would, and prints COMPREPLY one entry per line.
script=$1; shift
source "$script"
# Completions of file names are relative to the current folder.
[ -n "${COMPLETE_IN:-}" ] && cd "$COMPLETE_IN"
COMP_WORDS=("$@")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE="${COMP_WORDS[*]}"
COMP_POINT=${#COMP_LINE}
"_$1" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
