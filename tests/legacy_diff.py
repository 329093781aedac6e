#!/usr/bin/python3
"""legacy_diff.py — the legacy code pages against their source of truth, differentially.

The DOS and Microsoft pages (ibm437, ibm850, ibm852, ibm1125, cp932, cp949, cp950) have no
WHATWG algorithm; their tables come from CPython's codecs (Debian's python3). Here every 1- and
2-byte input is decoded strictly by both, and every BMP code point encoded strictly by both:
the same inputs must succeed, with the same text or bytes. (Error resynchronisation is
WHATWG-style in ungarble and not compared.)
Usage: legacy_diff.py path/to/ungarble_oracle   → prints "N passed, N failed"
"""
import struct
import subprocess
import sys

ORACLE = sys.argv[1]
PAGES = [("ibm437", "cp437"), ("ibm850", "cp850"), ("ibm852", "cp852"), ("ibm1125", "cp1125"),
         ("cp932", "cp932"), ("cp949", "cp949"), ("cp950", "cp950"), ("x-cp1252-strict", "cp1252")]


def run(op, enc, records):
    data = (f"{op} {enc}\n").encode() + b"".join(struct.pack("<I", len(r)) + r for r in records)
    out = subprocess.run([ORACLE], input=data, capture_output=True, check=True).stdout
    res, o = [], 0
    while o < len(out):
        ok = out[o] == 1
        n = struct.unpack_from("<I", out, o + 1)[0]
        res.append((ok, out[o + 5:o + 5 + n]))
        o += 5 + n
    assert len(res) == len(records)
    return res


passed = failed = 0
shown = []
for ours, py in PAGES:
    cases = [bytes([a]) for a in range(256)] + [bytes([a, b]) for a in range(0x80, 256) for b in range(256)]
    got = run("decode", ours, cases)
    bad = 0
    for c, (ok, text) in zip(cases, got):
        try:
            want = c.decode(py)
        except UnicodeDecodeError:
            want = None
        # ours reports strict success and the replacement-mode text; compare strict outcomes.
        same = (want is None and not ok) or (want is not None and ok and text.decode() == want)
        if same:
            passed += 1
        else:
            failed += 1
            bad += 1
            if len(shown) < 20:
                shown.append(f"decode {ours} {c.hex()}: ours ok={ok} {text!r}, python {want!r}")
    cps = [cp for cp in range(0x10000) if not 0xD800 <= cp < 0xE000]
    strs = [chr(cp).encode() for cp in cps]
    got = run("encode", ours, strs)
    for cp, (ok, data) in zip(cps, got):
        try:
            want = chr(cp).encode(py)
        except UnicodeEncodeError:
            want = None
        same = (want is None and not ok) or (want is not None and ok and data == want)
        if same:
            passed += 1
        else:
            failed += 1
            bad += 1
            if len(shown) < 20:
                shown.append(f"encode {ours} U+{cp:04X}: ours {data.hex() if ok else 'error'}, python {want.hex() if want else 'error'}")
    print(f"{ours:8} {bad} differ")
for s in shown:
    print("  " + s)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
