#!/usr/bin/env bash
# Measures the language models for docs/models.md, in one run:
#   bits/char on UDHR and on the held-out Debian documentation, beside a unigram baseline;
#   language-ID accuracy on UDHR slices of 20/50/100/300 characters, ours beside CLD2
#   (Debian libcld2-dev) on the same slices; load time and scoring speed.
# Needs the corpora prepared by `make models` (tools/models/build.sh) under .cache/models.
#   bash bench/model/run.sh [MODELS_DIR] > bench/model/results.md
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
MODELS="${1:-$ROOT/models}"
CACHE="${UNGARBLE_MODEL_CACHE:-$ROOT/.cache/models}"
BUILD="${UNGARBLE_MODEL_BUILD:-$ROOT/build}"
if ! dpkg-query -W -f='${Status}' libcld2-dev 2>/dev/null | grep -q 'install ok installed'; then
  echo "bench/model: libcld2-dev is not installed; run: apt-get install libcld2-dev" >&2
fi
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" --target ungarble-model-eval >/dev/null
EVAL="$BUILD/src/model/ungarble-model-eval"
[ -d "$CACHE/eval/udhr" ] || { echo "bench/model: run make models first (no $CACHE/eval/udhr)" >&2; exit 1; }
echo "## Cross-entropy (bits per character; lower is better)"
echo
"$EVAL" bpc "$MODELS" "$CACHE" "$CACHE/baseline"
echo
echo "## Language identification on UDHR slices (% correct)"
echo
"$EVAL" lid "$MODELS" "$CACHE" 20 50 100 300
echo
echo "## Speed (one core)"
echo
echo '```'
"$EVAL" speed "$MODELS" "$CACHE/heldout/de.txt" de
"$EVAL" speed "$MODELS" "$CACHE/heldout/zh-Hans.txt" zh-Hans
echo '```'
