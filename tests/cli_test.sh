#!/usr/bin/env bash
# End-to-end checks of the ungarble command: outputs, exit codes, messages.
set -u
BIN=${1:?usage: cli_test.sh path/to/ungarble}
pass=0 fail=0
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
check() {  # check NAME EXPECTED_STATUS EXPECTED_STDOUT_FILE_OR_- STDERR_SUBSTRING -- CMD...
  local name=$1 want=$2 out=$3 errsub=$4; shift 5
  "$@" >"$T/out" 2>"$T/err"; local got=$?
  local ok=1
  [ "$got" = "$want" ] || { echo "FAIL $name: exit $got, want $want"; ok=0; }
  if [ "$out" != - ] && ! cmp -s "$T/out" "$out"; then echo "FAIL $name: stdout differs"; ok=0; fi
  if [ -n "$errsub" ] && ! grep -qF -- "$errsub" "$T/err"; then echo "FAIL $name: stderr lacks '$errsub':"; cat "$T/err"; ok=0; fi
  if [ $ok = 1 ]; then pass=$((pass+1)); else fail=$((fail+1)); fi
}
printf '\xc4\xe3\xba\xc3' > "$T/gbk"; printf '你好' > "$T/want"
check decode-file 0 "$T/want" "" -- "$BIN" decode --from gbk "$T/gbk"
check decode-stdin 0 "$T/want" "" -- sh -c "\"$BIN\" decode --from GB2312 < \"$T/gbk\""
check encode 0 "$T/gbk" "" -- "$BIN" encode --to gbk "$T/want"
printf 'ab\xff' > "$T/bad"
check strict-offset 1 - "byte offset 2" -- "$BIN" decode --from utf-8 --errors strict "$T/bad"
printf 'ab?' > "$T/q"
check question 0 "$T/q" "" -- "$BIN" decode --from utf-8 --errors question "$T/bad"
printf 'ab\xc3\xbf' > "$T/fb"
check fallback 0 "$T/fb" "" -- "$BIN" decode --from utf-8 --errors fallback:latin1 "$T/bad"
check unknown-enc 2 - "did you mean 'windows-1252'" -- "$BIN" decode --from windows-12522 "$T/gbk"
check unknown-mode 2 - "unknown error mode" -- "$BIN" decode --from gbk --errors loud "$T/gbk"
check missing-file 1 - "nope.txt" -- "$BIN" decode --from gbk "$T/nope.txt"
check missing-from 2 - "--from" -- "$BIN" decode "$T/gbk"
check unknown-cmd 2 - "did you mean 'decode'" -- "$BIN" decod
check help 0 - "" -- "$BIN" --help
check decode-help 0 - "" -- "$BIN" decode --help
check version 0 - "" -- "$BIN" --version
printf '☃' > "$T/snow"
check encode-strict 1 - "cannot be encoded in windows-1252" -- "$BIN" encode --to latin1 "$T/snow"
printf '&#9731;' > "$T/ncr"
check encode-ncr 0 "$T/ncr" "" -- "$BIN" encode --to latin1 --errors ncr "$T/snow"
check encodings 0 - "" -- "$BIN" encodings
"$BIN" encodings --names > "$T/names"
[ "$(wc -l < "$T/names")" -ge 48 ] && pass=$((pass+1)) || { echo "FAIL encodings count"; fail=$((fail+1)); }
# Every encoding round-trips ASCII through encode | decode.
for e in $(cat "$T/names"); do
  [ "$e" = replacement ] && continue
  got=$(printf 'Hello, world 123' | "$BIN" encode --to "$e" | "$BIN" decode --from "$e")
  [ "$got" = 'Hello, world 123' ] && pass=$((pass+1)) || { echo "FAIL ascii round trip $e: $got"; fail=$((fail+1)); }
done
# A partial file then a missing one: the good one is still decoded, status 1.
check mixed-files 1 "$T/want" "nope" -- "$BIN" decode --from gbk "$T/gbk" "$T/nope"
# fix: the shipped garbled samples come back as the clean text, and recipes replay.
S=$(cd "$(dirname "$0")/../samples" && pwd)
check fix-gbk-as-1252 0 "$S/zh-hans.txt" "" -- "$BIN" fix "$S/zh-hans.gbk-as-1252.txt"
check fix-clean-untouched 0 "$S/zh-hans.txt" "" -- "$BIN" fix "$S/zh-hans.txt"
check fix-raw-gbk-from 0 "$S/zh-hans.txt" "" -- "$BIN" fix --from gbk "$S/zh-hans.gbk.txt"
check fix-explain 0 "$S/zh-hans.txt" "encode(gb18030)" -- "$BIN" fix --explain "$S/zh-hans.gbk-as-1252.txt"
"$BIN" fix --json "$S/zh-hans.gbk-as-1252.txt" > "$T/recipe.json"
check replay 0 "$S/zh-hans.gbk-as-1252.txt" "" -- "$BIN" replay "$T/recipe.json"
"$BIN" fix --json "$S/zh-hans.gbk-as-1252-shy-stripped.txt" > "$T/recipe2.json"
check replay-lossy 0 "$S/zh-hans.gbk-as-1252-shy-stripped.txt" "" -- "$BIN" replay "$T/recipe2.json"
printf 'not a recipe' > "$T/bad.json"
check replay-garbage 1 - "not a JSON object" -- "$BIN" replay "$T/bad.json"
head -c 2000 /dev/urandom > "$T/random.bin"; printf '\0\0\0' >> "$T/random.bin"
check fix-binary-refused 1 - "looks like binary" -- "$BIN" fix "$T/random.bin"
check fix-no-models 1 - "no language models" -- "$BIN" fix --models "$T/none" "$S/zh-hans.txt"
check fix-bad-from 2 - "did you mean" -- "$BIN" fix --from gbkk "$S/zh-hans.txt"
printf 'caf\xc3\x83\xc2\xa9 au lait\n' > "$T/moji"; printf 'caf\xc3\xa9 au lait\n' > "$T/moji.want"
check fix-utf8-as-1252 0 "$T/moji.want" "" -- "$BIN" fix "$T/moji"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
