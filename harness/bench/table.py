#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The "lkmdemo vs pipe(2)" section of a benchmark's Markdown, from its CSV.

The guest program (bench/lkmdemo_bench.c) writes only the CSV: one row per
test, the median, min and max of each side, the verdict and every run's
value. This renders that CSV as the Markdown table of harness/bench/results/,
so the table is never formatted twice and never out of step with the data.

usage: table.py <bench.csv> <header line>     section to stdout
       table.py --check <results/ARCH.md>     exit 1 if the section in the
                                              .md differs from its .csv's
"""
import csv
import sys

TITLE = "### lkmdemo vs pipe(2)"
NOTES = [
    "MB/s = 10^6 bytes/s, higher is better; us = microseconds, lower is better. cs/1k ops: context switches (voluntary and involuntary, all processes of a run, median) per 1000 write() (or sendfile()) calls or round trips.",
    'Median, min and max of {reps} runs per side, lkmdemo and pipe alternating, the same budget on both sides; "within spread": the min-max ranges overlap.',
    "sendfile file->fifo: sendfile(2) from a regular file in /tmp into the channel, read(2) out. splice fifo->pipe: write(2) in, splice(2) out into a second pipe and read(2) back from it. Both checked as the stream rows.",
    "Ping-pong: /dev/lkmdemo is one FIFO shared by every opener, so only the forward byte can use it; the echo returns over a pipe on both sides (lkmdemo = lkmdemo + pipe, pipe = pipe + pipe). One-way, per run: rtt(lkmdemo+pipe) - rtt(pipe+pipe)/2 against rtt(pipe+pipe)/2.",
]


def g4(v):
    """C's %.4g of a CSV number."""
    return "%.4g" % float(v)


def size_str(n):
    n = int(n)
    return "%d KiB" % (n // 1024) if n >= 1024 and n % 1024 == 0 else "%d B" % n


def section(rows, header):
    reps = {len(r["lkmdemo_runs"].split()) for r in rows}
    if len(reps) != 1:
        raise ValueError("rows with different numbers of runs: %s" % sorted(reps))
    out = [TITLE, "", "`%s`" % header, "",
           "| test | size | unit | lkmdemo median | lkmdemo min-max | pipe median | pipe min-max"
           " | lkmdemo/pipe | verdict | cs/1k ops lkmdemo | cs/1k ops pipe | budget |",
           "|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|---|"]
    for r in rows:
        out.append("| %s | %s | %s | %s | %s-%s | %s | %s-%s | %.2f | %s | %s | %s | %s %s |" % (
            r["test"], size_str(r["size_bytes"]), r["unit"],
            g4(r["lkmdemo_median"]), g4(r["lkmdemo_min"]), g4(r["lkmdemo_max"]),
            g4(r["pipe_median"]), g4(r["pipe_min"]), g4(r["pipe_max"]),
            float(r["ratio"]), r["verdict"],
            g4(r["lkmdemo_cs_per_1k_ops"]), g4(r["pipe_cs_per_1k_ops"]),
            r["budget"], r["budget_unit"]))
    out.append("")
    nreps = reps.pop()
    out += [n.format(reps=nreps) for n in NOTES]
    return "\n".join(out) + "\n"


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise ValueError("%s: no rows" % path)
    return rows


def check(md_path):
    csv_path = md_path[:-len(".md")] + ".csv"
    lines = open(md_path).read().split("\n")
    try:
        start = lines.index(TITLE)
    except ValueError:
        print("%s: no '%s' section" % (md_path, TITLE), file=sys.stderr)
        return 1
    header = lines[start + 2].strip("`")
    want = section(read_csv(csv_path), header).split("\n")[:-1]
    have = lines[start:start + len(want)]
    if have != want:
        for i, (h, w) in enumerate(zip(have + [""] * len(want), want)):
            if h != w:
                print("%s:%d: differs from %s\n  has:  %s\n  want: %s" %
                      (md_path, start + i + 1, csv_path, h, w), file=sys.stderr)
                break
        return 1
    print("%s: table in step with %s" % (md_path, csv_path))
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "--check":
        return check(argv[2])
    if len(argv) != 3 or argv[1].startswith("-"):
        print(__doc__.split("\n\n")[-1], file=sys.stderr)
        return 2
    sys.stdout.write(section(read_csv(argv[1]), argv[2]))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (OSError, ValueError, KeyError) as e:
        print("table.py: %s" % e, file=sys.stderr)
        sys.exit(2)
