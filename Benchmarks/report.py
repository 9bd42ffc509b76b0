#!/usr/bin/env python3
"""Turns the benchmark's raw measurements into results/latest.{json,md}.

    report.py WORK_DIR OUT_DIR

WORK_DIR (Benchmarks/data/work, written by Benchmarks/run) holds:
  compare.json            hyperfine --export-json of the same-run comparison
                          at the main size (cat, osc-score, peers)
  scaling.json            hyperfine of cat and osc-score at every size, one run
  big.json                hyperfine of cat and osc-score at the big sizes (1M, 5M)
  threads.json            hyperfine of osc-score --threads 1 on one core
                          (taskset -c 0) and --threads NPROC
  trace.txt               standard error of one OSC_SCORE_TRACE=1 run
  rss-NAME.txt            peak resident set size in KiB (/usr/bin/time %M)
  check.json, check-pairwise.json   check.py's largest differences
  meta.json               sizes, file bytes, SHA-256, settings, versions
  machine.txt             lscpu, free -g, uname -a
Times are the median of hyperfine's runs (after its warm-up runs); MB is
10^6 bytes; the ratio is osc-score's time (or memory) over the peer's.
"""
import json
import os
import statistics
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def times(hyperfine_json):
    """{command name: list of wall times in seconds}."""
    return {r["command"]: r["times"] for r in load(hyperfine_json)["results"]}


def rss_mib(work, name):
    path = os.path.join(work, f"rss-{name}.txt")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return int(f.read().split()[0]) / 1024


def fmt(x, digits=3):
    if x is None:
        return "–"
    if x >= 100:
        return f"{x:.0f}"
    return f"{x:.{digits}g}"


def main():
    work, out_dir = sys.argv[1], sys.argv[2]
    meta = load(os.path.join(work, "meta.json"))
    with open(os.path.join(work, "machine.txt")) as f:
        machine = f.read().strip()
    main_n = meta["mainSize"]
    size_bytes = {int(n): b for n, b in meta["fileBytes"].items()}

    def row(name, t, n, rss):
        med = statistics.median(t)
        return {"tool": name, "respondents": n, "runs": len(t), "median": med,
                "min": min(t), "max": max(t), "peakRSSMiB": rss,
                "MBps": size_bytes[n] / 1e6 / med, "respondentsPerSecond": n / med}

    compare = [row(name, t, main_n, rss_mib(work, name))
               for name, t in times(os.path.join(work, "compare.json")).items()]
    by_name = {r["tool"]: r for r in compare}
    osc = by_name["osc-score"]
    for r in compare:
        r["oscOverPeerTime"] = osc["median"] / r["median"]
        r["oscOverPeerRSS"] = (osc["peakRSSMiB"] / r["peakRSSMiB"]
                               if osc["peakRSSMiB"] and r["peakRSSMiB"] else None)

    # The scaling rows all come from one hyperfine run (scaling.json); the
    # main size's peak RSS is the comparison's.
    scaling = []
    path = os.path.join(work, "scaling.json")
    t = times(path) if os.path.exists(path) else {}
    for n in meta["sizes"]:
        if f"osc-score-{n}" not in t:
            continue
        rss = osc["peakRSSMiB"] if n == main_n else rss_mib(work, f"osc-score-{n}")
        scaling.append({"respondents": n, "bytes": size_bytes[n],
                        "cat": statistics.median(t[f"cat-{n}"]), "osc": statistics.median(t[f"osc-score-{n}"]),
                        "runs": len(t[f"osc-score-{n}"]), "peakRSSMiB": rss})
    for s in scaling:
        s["MBps"] = s["bytes"] / 1e6 / s["osc"]
        s["respondentsPerSecond"] = s["respondents"] / s["osc"]
        s["cells"] = s["respondents"] * meta["items"]

    # The big sizes (1M, 5M): one hyperfine run of their own.
    big = []
    path = os.path.join(work, "big.json")
    t = times(path) if os.path.exists(path) else {}
    for n in meta.get("bigSizes", []):
        if f"osc-score-{n}" not in t:
            continue
        med = statistics.median(t[f"osc-score-{n}"])
        big.append({"respondents": n, "bytes": size_bytes[n], "cat": statistics.median(t[f"cat-{n}"]),
                    "osc": med, "min": min(t[f"osc-score-{n}"]), "max": max(t[f"osc-score-{n}"]),
                    "runs": len(t[f"osc-score-{n}"]), "peakRSSMiB": rss_mib(work, f"osc-score-{n}"),
                    "MBps": size_bytes[n] / 1e6 / med, "respondentsPerSecond": n / med})
    big_ratio = None
    if len(big) >= 2:
        lo, hi = big[0], big[-1]
        big_ratio = {"from": lo["respondents"], "to": hi["respondents"], "timeRatio": hi["osc"] / lo["osc"],
                     "sizeRatio": hi["respondents"] / lo["respondents"]}

    # Thread scaling: --threads 1 on one core against every core.
    threads = []
    path = os.path.join(work, "threads.json")
    if os.path.exists(path):
        for name, tt in times(path).items():
            threads.append({"command": name, "median": statistics.median(tt), "min": min(tt), "max": max(tt),
                            "runs": len(tt)})
        for r in threads:
            r["speedupOverOneThread"] = threads[0]["median"] / r["median"]

    trace = None
    path = os.path.join(work, "trace.txt")
    if os.path.exists(path):
        with open(path) as f:
            trace = f.read().rstrip()

    checks = {}
    for name in ("check", "check-pairwise"):
        path = os.path.join(work, f"{name}.json")
        if os.path.exists(path):
            checks[name] = load(path)

    # The targets (issue 17), each with the figure it is judged on.
    mb = lambda mib: mib * 1048576 / 1e6 if mib is not None else None  # noqa: E731
    targets = [{"target": f"{main_n:,} respondents at most 0.16 s (median)", "value": osc["median"],
                "met": osc["median"] <= 0.16},
               {"target": f"peak memory at {main_n:,} at most 80 MB", "value": mb(osc["peakRSSMiB"]),
                "met": osc["peakRSSMiB"] is not None and mb(osc["peakRSSMiB"]) <= 80}]
    for name, factor in (("polars (lazy, streaming)", 8), ("pandas + pingouin", 40)):
        if name in by_name:
            x = by_name[name]["median"] / osc["median"]
            targets.append({"target": f"at least {factor} times faster than {name}", "value": x, "met": x >= factor})
    if big:
        hi = big[-1]
        targets.append({"target": f"{hi['respondents']:,} respondents within 1.2 GB", "value": mb(hi["peakRSSMiB"]),
                        "met": hi["peakRSSMiB"] is not None and mb(hi["peakRSSMiB"]) <= 1200})
    if big_ratio:
        targets.append({"target": f"time {big_ratio['to']:,} / {big_ratio['from']:,} at most 5.3",
                        "value": big_ratio["timeRatio"], "met": big_ratio["timeRatio"] <= 5.3})

    result = {"meta": meta, "machine": machine, "compare": compare, "scaling": scaling, "big": big,
              "bigRatio": big_ratio, "threads": threads, "trace": trace, "targets": targets, "checks": checks}
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "latest.json"), "w") as f:
        json.dump(result, f, indent=2)

    # Markdown.
    md = [f"# osc-score benchmark results ({meta['date']})", ""]
    md += [f"Responses file: {main_n:,} respondents × {meta['items']} items, "
           f"{meta['schools']:,} schools in {meta['authorities']} authorities, "
           f"{size_bytes[main_n] / 1e6:.1f} MB, SHA-256 `{meta['sha256'][str(main_n)][:16]}…` "
           f"(seed {meta['seed']}). osc-score: `{meta['oscCommand']}`. "
           f"Median of {osc['runs']} runs after {meta['warmup']} warm-up run(s); peak RSS from one run "
           f"under `/usr/bin/time -v`.", ""]
    md += ["| tool | median s | min–max s | MB/s | respondents/s | peak RSS MiB | osc-score/tool time | tool/osc-score time | osc-score/tool RSS |",
           "|---|---|---|---|---|---|---|---|---|"]
    for r in compare:
        md.append(f"| {r['tool']} | {fmt(r['median'])} | {fmt(r['min'])}–{fmt(r['max'])} | {fmt(r['MBps'])} | "
                  f"{r['respondentsPerSecond']:,.0f} | {fmt(r['peakRSSMiB'])} | {fmt(r['oscOverPeerTime'])} | "
                  f"{fmt(1 / r['oscOverPeerTime'])}× | {fmt(r['oscOverPeerRSS'])} |")
    peers = [r for r in compare if r["tool"] not in ("cat", "osc-score", "osc-score (pairwise)")]
    if peers:
        md += ["", "osc-score `--listwise` against each peer (same hyperfine run): " +
               "; ".join(f"{r['tool']} {r['median'] / osc['median']:.1f}× slower" for r in
                         sorted(peers, key=lambda r: r["median"])) + "."]
    md += ["", "Scaling of osc-score (same settings; "
           f"{meta['schools']:,} schools in {meta['authorities']} authorities at every size):", "",
           f"| respondents | MB | cat s | osc-score s | MB/s | respondents/s | peak RSS MiB | time / time at {main_n:,} |",
           "|---|---|---|---|---|---|---|---|"]
    base = next((s for s in scaling if s["respondents"] == main_n), None)
    for s in scaling:
        md.append(f"| {s['respondents']:,} | {s['bytes'] / 1e6:.1f} | {fmt(s['cat'])} | {fmt(s['osc'])} | "
                  f"{fmt(s['MBps'])} | {s['respondentsPerSecond']:,.0f} | {fmt(s['peakRSSMiB'])} | "
                  f"{fmt(s['osc'] / base['osc']) if base else '–'} |")
    grown = [s for s in scaling if s["peakRSSMiB"]]
    if len(grown) >= 2:
        lo, hi = grown[0], grown[-1]
        slope = (hi["peakRSSMiB"] - lo["peakRSSMiB"]) * 1048576 / (hi["cells"] - lo["cells"])
        md += ["", f"Memory growth {lo['respondents']:,} → {hi['respondents']:,}: "
                   f"{slope:.2f} bytes per extra answer cell."]
    if big:
        md += ["", f"Big files (osc-score, same settings, one hyperfine run, {big[0]['runs']} runs after 1 warm-up):", "",
               "| respondents | MB | cat s | osc-score median s | min–max s | MB/s | respondents/s | peak RSS MiB | peak RSS MB |",
               "|---|---|---|---|---|---|---|---|---|"]
        for s in big:
            md.append(f"| {s['respondents']:,} | {s['bytes'] / 1e6:.1f} | {fmt(s['cat'])} | {fmt(s['osc'])} | "
                      f"{fmt(s['min'])}–{fmt(s['max'])} | {fmt(s['MBps'])} | {s['respondentsPerSecond']:,.0f} | "
                      f"{fmt(s['peakRSSMiB'])} | {fmt(mb(s['peakRSSMiB']))} |")
        if big_ratio:
            md += ["", f"Time {big_ratio['to']:,} / {big_ratio['from']:,}: {big_ratio['timeRatio']:.2f} "
                       f"(respondents × {big_ratio['sizeRatio']:g})."]
    if threads:
        md += ["", f"Threads (osc-score at {main_n:,}, one hyperfine run; {meta.get('nproc', '?')} active processors):", "",
               "| command | median s | min–max s | speed-up over one thread |", "|---|---|---|---|"]
        for r in threads:
            md.append(f"| {r['command']} | {fmt(r['median'])} | {fmt(r['min'])}–{fmt(r['max'])} | "
                      f"{r['speedupOverOneThread']:.2f} |")
    if targets:
        md += ["", "Targets (issue 17):", "", "| target | this run | met |", "|---|---|---|"]
        for g in targets:
            md.append(f"| {g['target']} | {fmt(g['value'])} | {'yes' if g['met'] else '**no**'} |")
    if trace:
        md += ["", f"Phase profile (`OSC_SCORE_TRACE=1`, one run at {main_n:,}, standard error):", "", "```", trace, "```"]
    if checks:
        md += ["", "Cross-check before timing (largest absolute difference from osc-score; values compared):", ""]
        for name, c in checks.items():
            for peer, p in c["peers"].items():
                cells = ", ".join(f"{s} {v:.1e} ({p['compared'][s]})" for s, v in p["maxAbsDifference"].items())
                md.append(f"- {peer} vs `{os.path.basename(c['osc'])}`: {cells}")
    md += ["", "Versions: " + "; ".join(f"{k} {v}" for k, v in meta["versions"].items()), "",
           "Machine:", "", "```", machine, "```", ""]
    with open(os.path.join(out_dir, "latest.md"), "w") as f:
        f.write("\n".join(md))
    print("\n".join(md))


if __name__ == "__main__":
    main()
