#!/usr/bin/env bash
# Regenerates man/ and completions/ from the commands themselves (swift-argument-parser's
# generate-manual plugin and --generate-completion-script). CI runs this and fails on any
# difference, so the committed files can never drift from the code.
set -euo pipefail
cd "$(dirname "$0")/.."
# Pinned so that the pages are reproducible; change it when cutting a release.
manual_date=2026-11-26

swift build
ln -sfn ctagent .build/debug/ctagentcmd   # the multi-call binary's second name
swift package --allow-writing-to-package-directory generate-manual --configuration debug \
  --date "$manual_date" --authors "ctagent developers" >/dev/null
mkdir -p man completions
for tool in ctagent; do
  # The generator copies each discussion verbatim; mdoc wants a paragraph macro instead of a
  # blank line and each sentence on its own line (mandoc -T lint -W warning).
  # A blank line right before a list item or list end is dropped (mdoc ignores it there).
  # .nh: no hyphenation, so that options and variables can be copied from the rendered page
  # (they were split as --prox-yUser, Y29sb3JzMz-IxMQ==). groff's mdoc turns hyphenation
  # back on at each section and paragraph, hence .nh after each.
  # Examples (indented lines, and the lines a trailing backslash continues) go in literal
  # displays: filled text would join them and break lines at their hyphens, and a command
  # pasted from the page would no longer be the command.
  awk '
    function close_example() { if (example) { print ".Ed"; example = 0 } }
    NR == 2 { print ".nh" }
    /^$/ || /^\.Pp$/ { close_example(); pending = 1; next }
    pending && !/^\.(It|El)/ { print ".Pp"; print ".nh"; pending = 0 }
    /^\.(Sh|It|Nd) / { close_example(); print; print ".nh"; next }
    { pending = 0 }
    /^\./ { close_example(); print; next }
    /^  / || (example && continued) {
      if (!example) { print ".Bd -literal -offset indent"; example = 1 }
      line = $0
      sub(/^  /, "", line)
      if (line ~ /^[.\047]/) line = "\\&" line
      print line
      continued = (line ~ /\\e$/)
      next
    }
    { close_example() }
    /^ /  { print; next }
    {
      line = $0
      if (line ~ /^\047/) line = "\\&" line
      while (match(line, /[.?!] +[^ ]/)) {
        print substr(line, 1, RSTART)
        line = substr(line, RSTART + 1)
        sub(/^ +/, "", line)
        if (line ~ /^[.\047]/) line = "\\&" line
      }
      print line
    }
    END { close_example() }
  ' ".build/plugins/GenerateManual/outputs/$tool/$tool.1" > "man/$tool.1"
done
# ctagentcmd is the same binary: its page is ctagent's.
printf '.so man1/ctagent.1\n' > man/ctagentcmd.1
for tool in ctagent ctagentcmd; do
  # bash-completion sources the file; a #! line would make it look like a script that is not
  # executable (rpmlint's non-executable-script).
  ".build/debug/$tool" --generate-completion-script bash | sed '1{/^#!/d}' > "completions/$tool.bash"
  ".build/debug/$tool" --generate-completion-script zsh > "completions/_$tool"
  ".build/debug/$tool" --generate-completion-script fish > "completions/$tool.fish"
done
