#!/usr/bin/python3
"""Real legacy-encoded files that ship beside UTF-8 twins in Debian packages, for bench/detect.

  real_files.py X_DIR OUT_DIR >> manifest.tsv

X_DIR holds the unpacked packages (dpkg -x): vim-runtime (Vim tutor in EUC-JP, Shift_JIS,
EUC-KR, Big5, GB2312, KOI8-R, cp1251, ISO-8859-2/7/9, cp1250, latin-1, each with a .utf-8
twin), emacs-common (tutorials; TUTORIAL.ja in ISO-2022-JP by its coding cookie, the rest
UTF-8) and texlive-lang-chinese (zhlipsum in UTF-8, GBK and Big5). The true encoding of a
legacy file is the one whose decoding equals its UTF-8 twin exactly (Python's codecs; files
where none does are left out and listed on stderr). Files are copied to OUT_DIR; manifest
lines are path, encoding (WHATWG name), "file", language, source.
"""
import glob
import os
import re
import shutil
import sys

X, OUT = sys.argv[1], sys.argv[2]
os.makedirs(OUT, exist_ok=True)

# Python codec → the WHATWG (or ungarble legacy) name, tried in this order.
TRY = [("cp1252", "windows-1252"), ("latin_1", "windows-1252"), ("iso8859_2", "iso-8859-2"),
       ("cp1250", "windows-1250"), ("iso8859_9", "windows-1254"), ("iso8859_3", "iso-8859-3"),
       ("iso8859_7", "iso-8859-7"), ("koi8_r", "koi8-r"), ("cp1251", "windows-1251"),
       ("euc_jp", "euc-jp"), ("shift_jis", "shift_jis"), ("cp932", "shift_jis"),
       ("euc_kr", "euc-kr"), ("cp949", "euc-kr"), ("big5", "big5"), ("cp950", "big5"),
       ("gb2312", "gbk"), ("gbk", "gbk"), ("gb18030", "gb18030")]


def emit(path, enc, lang, src):
    name = src + "-" + os.path.basename(path)
    dst = os.path.join(OUT, name)
    shutil.copyfile(path, dst)
    print(f"{dst}\t{enc}\tfile\t{lang}\t{src}")


def non_ascii(b):
    return any(x >= 0x80 for x in b)


def twin_encoding(legacy, twin):
    """The codec whose decoding matches the twin line for line (≥ 95 % of lines equal: a few
    translations differ in the line that names the file's encoding)."""
    data = open(legacy, "rb").read()
    want = open(twin, encoding="utf-8").read().splitlines()
    best, best_eq = None, 0
    for py, name in TRY:
        try:
            got = data.decode(py).splitlines()
        except (UnicodeDecodeError, LookupError):
            continue
        eq = sum(a == b for a, b in zip(got, want))
        if len(got) == len(want) and eq > best_eq:
            best, best_eq = name, eq
    return best if want and best_eq >= 0.95 * len(want) else None


# Vim tutor: tutor.LANG[.SUFFIX] beside tutor.LANG.utf-8.
twins_done = set()
for legacy in sorted(glob.glob(os.path.join(X, "vim-runtime/usr/share/vim/vim*/tutor/tutor.*"))):
    base = os.path.basename(legacy)
    if base.endswith(".utf-8") or base.endswith(".vim"):
        continue
    lang = base.split(".")[1]
    twin = os.path.join(os.path.dirname(legacy), "tutor." + lang + ".utf-8")
    if not os.path.exists(twin) or not non_ascii(open(legacy, "rb").read()):
        continue
    enc = twin_encoding(legacy, twin)
    if enc is None:
        print(f"real_files: {base}: no codec reproduces its UTF-8 twin, left out", file=sys.stderr)
        continue
    emit(legacy, enc, lang, "vim")
    if twin not in twins_done:
        twins_done.add(twin)
        emit(twin, "utf-8", lang, "vim")

# Emacs tutorials: encoding from the coding cookie.
for f in sorted(glob.glob(os.path.join(X, "emacs-common/usr/share/emacs/*/etc/tutorials/TUTORIAL.*"))):
    raw = open(f, "rb").read()
    head = (raw[:300] + raw[-3000:]).decode("ascii", "replace")  # first line or Local Variables
    m = re.search(r"coding:\s*([\w-]+)", head)
    if not m or f.endswith("translators"):
        continue
    enc = {"iso-2022-jp": "iso-2022-jp", "utf-8": "utf-8"}.get(m.group(1).lower())
    if enc and (enc == "iso-2022-jp" or non_ascii(open(f, "rb").read())):
        emit(f, enc, os.path.basename(f).split(".")[1], "emacs")

# zhlipsum: the same text in UTF-8, GBK and Big5.
for f in sorted(glob.glob(os.path.join(X, "texlive-lang-chinese/usr/share/texlive/texmf-dist/tex/latex/zhlipsum/zhlipsum-*.def"))):
    enc = {"utf8": "utf-8", "gbk": "gbk", "big5": "big5"}[f.rsplit("-", 1)[1][:-4]]
    emit(f, enc, "zh", "zhlipsum")
