#!/usr/bin/env bash
# Runs every built fuzz harness for SECONDS each (default 20) from a small seed corpus of
# the project's own making; fails on the first crash or sanitizer report.
set -euo pipefail
BUILD=${1:-build-asan}
SECONDS_EACH=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
found=0
for h in "$BUILD"/fuzz/*_fuzz; do
  [ -x "$h" ] || continue
  found=$((found+1))
  name=$(basename "$h")
  corpus=$(mktemp -d)
  # Seeds: a few byte strings in each family (ASCII, UTF-8, GBK, ISO-2022-JP escapes, UTF-16).
  printf '\x1d\x00hello' > "$corpus/ascii"
  printf '\x00\x00caf\xc3\xa9 \xe4\xbd\xa0\xe5\xa5\xbd' > "$corpus/utf8"
  printf '\x1e\x00\xc4\xe3\xba\xc3\x81\x30\x81\x30' > "$corpus/gbk"
  printf '\x21\x00\x1b$B$"\x1b(B!' > "$corpus/iso2022"
  printf '\x26\x00\xff\xfeh\x00\x3d\xd8\x00\xde' > "$corpus/utf16"
  # A private-use code point the 2024 gb18030 encoder writes as FE 6D (found by encode_fuzz).
  printf '\x1e\x00;\x05\xee\xa0\xb2|' > "$corpus/gb18030-pua"
  printf '\x33\x00\xff\xfe\x00\x00h\x00\x00\x00\x00\xf6\x01\x00' > "$corpus/utf32"
  # Mojibake for fix_fuzz's lossy paths (first byte 02: lossy on): GBK read as cp1252 with a
  # soft hyphen stripped and a replaced byte, and Russian UTF-8 through a strict cp1252.
  printf '\x02\xc3\x95\xc3\xa2\xc3\x90\xc2\xa9\xc3\x8c\xc3\xb5\xc2\xbc\xc3\xbe\xc3\x8d\xc2\xac\xc3\x8a\xc2\xb1\xef\xbf\xbd\x4d\xc3\x97\xc3\xa3\xc2\xb8\xc3\x83' > "$corpus/gbk-lossy"
  printf '\x02\xc3\x90\xc5\xb8\xc3\x91\xe2\x82\xac\xc3\x90\xc2\xbe\xc3\x90\xc2\xb5 Debian \xc3\x91\xef\xbf\xbd\xc3\x90\xc2\xbe' > "$corpus/utf8-lossy"
  # The marks the screen decides from the bytes around a character (orphan leads, lone pairs,
  # native pairs): "lÃnea Ä?len USB ¤ä PCI Γ–nceki ة، อง", lossy on.
  printf '\x02l\xc3\x83nea \xc3\x84?len USB \xc2\xa4\xc3\xa4 PCI \xce\x93\xe2\x80\x93nceki \xd8\xa9\xd8\x8c \xe0\xb8\xad\xe0\xb8\x87' > "$corpus/marks"
  echo "fuzz: $name for ${SECONDS_EACH}s" >&2
  ASAN_OPTIONS=detect_leaks=1 "$h" -max_total_time="$SECONDS_EACH" -max_len=4096 \
    -print_final_stats=0 "$corpus" >"$corpus.log" 2>&1 || {
      tail -40 "$corpus.log"; echo "fuzz: $name FAILED" >&2; exit 1; }
  grep -E "^#[0-9]+.*DONE" "$corpus.log" | tail -1 >&2 || true
  rm -rf "$corpus" "$corpus.log"
done
[ "$found" -gt 0 ] || { echo "fuzz: no harness in $BUILD/fuzz" >&2; exit 1; }
echo "fuzz: $found harnesses ran clean" >&2
