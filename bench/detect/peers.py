#!/usr/bin/python3
"""Python peers for bench/detect: reads paths on stdin, prints path<TAB>encoding<TAB>confidence.
  peers.py chardet | charset_normalizer      (Debian python3-chardet, python3-charset-normalizer)
"""
import sys

which = sys.argv[1]
if which == "chardet":
    import chardet

    def run(data):
        r = chardet.detect(data)
        return r.get("encoding"), r.get("confidence") or 0.0
else:
    import charset_normalizer

    def run(data):
        best = charset_normalizer.from_bytes(data).best()
        return (best.encoding, 1.0 - best.chaos) if best else (None, 0.0)

for line in sys.stdin:
    path = line.rstrip("\n")
    with open(path, "rb") as f:
        data = f.read()
    try:
        enc, conf = run(data)
    except Exception as e:  # a peer crashing on an input counts as no answer
        enc, conf = None, 0.0
    print(f"{path}\t{enc or 'none'}\t{conf:.3f}", flush=False)
