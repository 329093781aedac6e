#!/usr/bin/env bash
# uchardet (Debian uchardet, the CLI of libuchardet) over paths on stdin, in batches:
# prints path<TAB>encoding. A dummy second file keeps uchardet in its "path: encoding" format.
set -euo pipefail
dummy=$(mktemp); echo x > "$dummy"
xargs -d '\n' -n 400 sh -c 'uchardet "$@" "$0"' "$dummy" | grep -v "^$dummy: " |
  sed -E 's/^(.*): ([^:]*)$/\1\t\2/'
rm -f "$dummy"
