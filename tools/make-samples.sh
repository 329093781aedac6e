#!/usr/bin/env bash
# Regenerates the garbled samples in samples/ from the clean texts, with ungarble's codecs.
set -euo pipefail
cd "$(dirname "$0")/.."
U=${UNGARBLE:-build/ungarble}
$U encode --to gbk samples/zh-hans.txt > samples/zh-hans.gbk.txt
$U decode --from windows-1252 samples/zh-hans.gbk.txt > samples/zh-hans.gbk-as-1252.txt
sed 's/\xc2\xad//g' samples/zh-hans.gbk-as-1252.txt > samples/zh-hans.gbk-as-1252-shy-stripped.txt
