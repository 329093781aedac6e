#!/usr/bin/env python3
"""Turns ungarble_bench's Google Benchmark JSON into Markdown tables of median throughput and
ratios. Used by bench/run.sh:  report.py RUN1.json [RUN2.json ...] > report.md

Each JSON file is one run made with --benchmark_repetitions (its medians are used). With several
runs, a figure is the median of the runs' medians, and a ratio is the median of the per-run
ratios followed by its range over the runs, e.g. "0.54× (0.50–0.68)": on a shared machine the
load changes between runs, and the range shows how far that moved the comparison.

Throughput is input bytes per second of CPU time (Google Benchmark's default: time the process
spent descheduled is not charged), in MB/s (10^6 bytes).
"""
import json
import statistics
import sys

INPUTS = ["ascii", "latin", "cyrillic", "chinese", "japanese", "mixed-1to4"]
ENCODINGS = ["windows-1252", "windows-1251", "gbk", "big5", "shift_jis", "euc-kr", "utf-8"]
ASCII = ["ungarble", "ungarble-avx2", "ungarble-sse4.2", "ungarble-scalar"]
VALIDATORS = ["ungarble", "ungarble-avx2", "ungarble-sse4.2", "ungarble-scalar", "ungarble-valid-prefix",
              "simple-scalar", "icu-U8_NEXT", "icu-u_strFromUTF8"]


class Run:
    def __init__(self, path):
        doc = json.load(open(path, encoding="utf-8"))
        self.context = doc.get("context", {})
        self.med, self.cv, self.wall = {}, {}, {}
        self.reps = 0
        for b in doc["benchmarks"]:
            if b.get("run_type") != "aggregate" or "bytes_per_second" not in b:
                continue
            name = b["run_name"]
            self.reps = max(self.reps, b.get("repetitions", 0))
            if b["aggregate_name"] == "median":
                self.med[name] = b["bytes_per_second"] / 1e6
                if b.get("real_time") and b.get("cpu_time"):
                    self.wall[name] = b["cpu_time"] / b["real_time"]
            elif b["aggregate_name"] == "cv":
                self.cv[name] = b["bytes_per_second"]


def ordered(names, order):
    return sorted(set(names), key=lambda n: (order.index(n) if n in order else len(order), n))


def fmt(x):
    if x is None:
        return "–"
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def main():
    runs = [Run(p) for p in sys.argv[1:]]
    if not runs:
        sys.exit("usage: report.py RUN.json [RUN.json ...]")
    names = set().union(*(r.med for r in runs))

    def mbs(name):
        v = [r.med[name] for r in runs if name in r.med]
        return statistics.median(v) if v else None

    def ratio(a, b):
        v = [r.med[a] / r.med[b] for r in runs if a in r.med and r.med.get(b)]
        if not v:
            return "–"
        s = f"{statistics.median(v):.2f}×"
        if len(v) > 1:
            s += f" ({min(v):.2f}–{max(v):.2f})"
        return s

    out = []
    p = out.append
    loads = "; ".join(", ".join(f"{x:.1f}" for x in r.context.get("load_avg", [])) for r in runs)
    p(f"{len(runs)} run(s) × {runs[0].reps} repetitions; MB/s of input (10^6 bytes per CPU-second), "
      f"median over repetitions" + (" then over runs" if len(runs) > 1 else "") +
      ("; ratios: median over runs (range)" if len(runs) > 1 else "") +
      f". Load average at the start of each run: {loads}.")
    p("")

    inputs = ordered([n.split("/")[1] for n in names if n.startswith("validate/")], INPUTS)
    if inputs:
        impls = [i for i in VALIDATORS if any(f"validate/{x}/{i}" in names for x in inputs)]
        p("### UTF-8 validation (MB/s)")
        p("")
        kernel = runs[0].context.get("utf8_kernel", "?")
        p(f"`ungarble` is the public `is_valid_utf8` (dispatched: {kernel} on this machine); `-avx2`/`-sse4.2`/`-scalar` "
          "force one kernel; `-valid-prefix` is `utf8_valid_prefix_length` (same kernels, reports where "
          "the first error is). `simple-scalar`: one sequence at a time, one byte at a time. "
          "`icu-U8_NEXT`: ICU's validating iteration macro; `icu-u_strFromUTF8`: conversion to UTF-16 "
          "with its error check.")
        p("")
        p("| input | " + " | ".join(impls) + " |")
        p("|---|" + "---:|" * len(impls))
        for x in inputs:
            p(f"| {x} | " + " | ".join(fmt(mbs(f"validate/{x}/{i}")) for i in impls) + " |")
        p("")
        p("| input | ungarble / ICU U8_NEXT | ungarble / ICU u_strFromUTF8 | ungarble / simple-scalar |")
        p("|---|---:|---:|---:|")
        for x in inputs:
            u = f"validate/{x}/ungarble"
            p(f"| {x} | {ratio(u, f'validate/{x}/icu-U8_NEXT')} | {ratio(u, f'validate/{x}/icu-u_strFromUTF8')} "
              f"| {ratio(u, f'validate/{x}/simple-scalar')} |")
        p("")

    asc = ordered([n[6:] for n in names if n.startswith("ascii/")], ASCII)
    if asc:
        p("### ASCII prefix length on all-ASCII text (MB/s)")
        p("")
        p("| " + " | ".join(asc) + " |")
        p("|" + "---:|" * len(asc))
        p("| " + " | ".join(fmt(mbs("ascii/" + n)) for n in asc) + " |")
        p("")

    encs = ordered([n.split("/")[1] for n in names if n.startswith("decode/")], ENCODINGS)
    if encs:
        p("### Decoding to UTF-8 (MB/s of encoded input)")
        p("")
        p("`ungarble`: `ungarble::decode`, a fresh result string per call; `ungarble-reuse`: "
          "`StreamDecoder::feed` into one reused string, as iconv and ICU write into one reused buffer "
          "here. The ratios use `ungarble-reuse`, the like-for-like figure.")
        p("")
        p("| encoding | ungarble | ungarble-reuse | glibc iconv | ICU ucnv_convertEx | ungarble / iconv "
          "| ungarble / ICU |")
        p("|---|---:|---:|---:|---:|---:|---:|")
        for e in encs:
            g = lambda i: f"decode/{e}/{i}"
            u = g("ungarble-reuse") if g("ungarble-reuse") in names else g("ungarble")
            p(f"| {e} | {fmt(mbs(g('ungarble')))} | {fmt(mbs(g('ungarble-reuse')))} | {fmt(mbs(g('iconv')))} "
              f"| {fmt(mbs(g('icu')))} | {ratio(u, g('iconv'))} | {ratio(u, g('icu'))} |")
        p("")

    cvs = sorted(v for r in runs for v in r.cv.values())
    if cvs:
        p(f"Noise: coefficient of variation across repetitions, median {statistics.median(cvs) * 100:.1f} %, "
          f"90th percentile {cvs[int(len(cvs) * 0.9)] * 100:.1f} %.")
    walls = sorted(v for r in runs for v in r.wall.values())
    if walls:
        p(f"Wall-clock time was {1 / statistics.median(walls):.2f}× the CPU time (median over benchmarks): "
          f"the rest is time the shared machine gave to other jobs.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
