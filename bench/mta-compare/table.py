#!/usr/bin/env python3
"""table.py RESULTS.tsv: rows "mta scenario round rate cpu_s_per_1000 peak_bytes p99_ms writes_per_msg flushes_per_msg"
(n/a where a scenario has no such measure) -> a markdown table
with median (min-max) per MTA and the FastQmail/Postfix ratio of the medians."""
import collections, statistics, sys

rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) >= 6:
        rows[(f[1], f[0])].append(f)

def med(xs):
    xs = [float(x) for x in xs if x.replace(".", "", 1).replace("-", "", 1).isdigit()]
    return (statistics.median(xs), min(xs), max(xs)) if xs else None

def fmt(m, unit=""):
    return "n/a" if m is None else f"{m[0]:.1f}{unit} ({m[1]:.1f}-{m[2]:.1f})"

print("| scenario | measure | FastQmail | Postfix | FastQmail/Postfix |")
print("|---|---|---:|---:|---:|")
scenarios = []
for (sc, _) in rows:
    if sc not in scenarios:
        scenarios.append(sc)
for sc in scenarios:
    fq, pf = rows.get((sc, "fastqmail"), []), rows.get((sc, "postfix"), [])
    labels = {"e2e": "msg/s", "accept": "msg/s", "relay": "msg/s", "latency": "p50 ms", "idle": "bytes/conn"}
    for col, label in ((3, labels.get(sc, "rate")), (4, "CPU s / 1000 msg"), (5, "peak MiB"), (6, "p99 ms"),
                       (7, "device writes / msg"), (8, "device flushes / msg")):
        a = med([r[col] for r in fq if len(r) > col])
        b = med([r[col] for r in pf if len(r) > col])
        if a is None and b is None:
            continue
        if col == 5:
            a = a and tuple(x / 1048576 for x in a)
            b = b and tuple(x / 1048576 for x in b)
        ratio = f"{a[0] / b[0]:.2f}" if a and b and b[0] else "n/a"
        print(f"| {sc} | {label} | {fmt(a)} | {fmt(b)} | {ratio} |")
