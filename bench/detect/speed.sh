#!/usr/bin/env bash
# bench/detect/speed.sh EVAL ICU — speed of charset detection on 20 MB files, ungarble beside the
# peers in one run. Inputs are held-out Debian documentation (.cache/models/heldout) repeated to
# 20 MB and encoded with `ungarble encode`. ungarble is timed in-process (ungarble-detect-eval
# speed: best of repeated calls, file already in memory); peers as one process over the file
# (wall clock, includes start-up and reading). The Python and JavaScript peers get a 2 MB cut of
# the same file (they would take minutes on 20 MB) and are reported in MB/s.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
EVAL=$1; ICU=$2
HERE="$ROOT/bench/detect"; CACHE="$ROOT/.cache/detect/speed"; PY=/usr/bin/python3
UNG=$(dirname "$(dirname "$(dirname "$EVAL")")")/ungarble; [ -x "$UNG" ] || UNG=$(find "$(dirname "$EVAL")/../.." -maxdepth 2 -name ungarble -type f | head -1)
mkdir -p "$CACHE"
mk() {  # name lang encoding
  local f="$CACHE/$1"
  [ -s "$f" ] && return
  local src="$ROOT/.cache/models/heldout/$2.txt" tmp="$CACHE/$1.utf8"
  : > "$tmp"; while [ "$(stat -c %s "$tmp")" -lt 21000000 ]; do cat "$src" >> "$tmp"; done
  head -c 20971520 "$tmp" > "$tmp.cut" && mv "$tmp.cut" "$tmp"
  if [ "$3" = utf-8 ]; then mv "$tmp" "$f"; else "$UNG" encode --to "$3" --errors replace "$tmp" > "$f"; rm -f "$tmp"; fi
  head -c 2097152 "$f" > "$f.2mb"
}
mk ru-utf8 ru utf-8
mk ru-1251 ru windows-1251
mk zh-gbk zh-Hans gbk
mk fr-1252 fr windows-1252
mk ja-sjis ja shift_jis
secs() { local s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; echo "$(date +%s.%N) - $s" | bc; }
echo "### Speed (20 MB files; one core)"
echo
echo "| file | ungarble default: ms (answer) | ungarble --full: MB/s | uchardet MB/s | ICU MB/s | jschardet MB/s* | chardet MB/s* | charset-normalizer MB/s* | --full ÷ fastest peer | default ÷ fastest peer |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for f in ru-utf8 ru-1251 zh-gbk fr-1252 ja-sjis; do
  p="$CACHE/$f"
  d=$("$EVAL" speed "$p"); full=$("$EVAL" speed "$p" --full)
  ms=$(echo "$d" | cut -f4 | cut -d' ' -f1); ans=$(echo "$d" | cut -f1); fmb=$(echo "$full" | cut -f5 | cut -d' ' -f1)
  mb() { echo "scale=1; $1 / 1000000 / $2" | bc; }
  u=$(secs uchardet "$p"); i=$(secs sh -c "echo '$p' | '$ICU'")
  j=$(secs sh -c "echo '$p.2mb' | node '$HERE/jschardet_run.js'")
  c=$(secs sh -c "echo '$p.2mb' | $PY '$HERE/peers.py' chardet")
  n=$(secs sh -c "echo '$p.2mb' | $PY '$HERE/peers.py' charset_normalizer")
  # Ratios against the fastest peer on this file (by MB/s; the 2 MB peers scaled as if linear).
  best=$(printf '%s\n' "$(mb 20971520 $u)" "$(mb 20971520 $i)" "$(mb 2097152 $j)" "$(mb 2097152 $c)" "$(mb 2097152 $n)" | sort -g | tail -1)
  rf=$(echo "scale=1; $fmb / $best" | bc); rd=$(echo "scale=0; (20971520 / $best / 1000) / $ms" | bc)
  echo "| $f | $ms ($ans) | $fmb | $(mb 20971520 $u) | $(mb 20971520 $i) | $(mb 2097152 $j) | $(mb 2097152 $c) | $(mb 2097152 $n) | ${rf}× | ${rd}× |"
done
echo
echo "\* on the first 2 MB of the same file. Ratios: ungarble's MB/s with --full, and the fastest"
echo "peer's time on the whole 20 MB divided by ungarble's default time (both from this run)."
echo "Targets: ≥ 300 MB/s with --full, ≤ 5 ms per 20 MB file by default."
