#!/usr/bin/env python3
"""Checks that a peer pipeline and osc-score give the same numbers.

    check.py OSC.json PEER_NAME=PEER.csv [PEER_NAME=PEER.csv ...]
             [--tolerance 1e-9] [--summary OUT.json]

OSC.json is `osc-score --format json` output; each PEER.csv is the long
format written by peers/r-pipeline.R and peers/pandas-pipeline.py
(level,authority,school,scale,statistic,value). Compared, for every one of
osc-score's scales:

  alpha      scales[].reliability.alpha
  icc1/icc2  scales[].icc.school / scales[].icc.authority
  rwgj       schools[].scores[scale].rwgj, authorities[].scores[scale].rwgj
  n, mean    the same groups' n and mean of the respondents' scale scores
             (for an authority, osc-score's respondentMean; its `mean` is
             the mean of the school means, which the peers do not compute)

Every value osc-score reports must be in the peer's file and the other way
round; a null in osc-score must be NA (or absent: multilevel 2.7's rwg.j
leaves out a group with no complete rows) in the peer. Numbers must agree to
the tolerance (absolute; n exactly). Prints the largest absolute difference
per statistic and exits 1 at the first peer that differs, so that the
benchmark stops before anything is timed.
"""
import argparse
import csv
import json
import math
import os
import sys

STATISTICS = ["alpha", "icc1", "icc2", "rwgj", "n", "mean"]


def osc_values(path):
    """{(level, authority, school, scale, statistic): value or None}."""
    with open(path) as f:
        report = json.load(f)
    values = {}
    for s in report["scales"]:
        values[("scale", "", "", s["id"], "alpha")] = s["reliability"]["alpha"]
        for level in ("school", "authority"):
            icc = s["icc"][level] or {}
            values[("icc-" + level, "", "", s["id"], "icc1")] = icc.get("icc1")
            values[("icc-" + level, "", "", s["id"], "icc2")] = icc.get("icc2")
    for school in report["schools"]:
        for scale, v in school["scores"].items():
            key = ("school", school["authority"] or "", school["id"], scale)
            values[key + ("rwgj",)] = v["rwgj"]
            values[key + ("n",)] = v["n"]
            values[key + ("mean",)] = v["mean"]
    for authority in report["authorities"]:
        for scale, v in authority["scores"].items():
            key = ("authority", authority["id"], "", scale)
            values[key + ("rwgj",)] = v["rwgj"]
            values[key + ("n",)] = v["n"]
            values[key + ("mean",)] = v["respondentMean"]
    return values, [s["id"] for s in report["scales"]]


def peer_values(path):
    values = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            key = (row["level"], row["authority"], row["school"], row["scale"], row["statistic"])
            v = row["value"]
            values[key] = None if v in ("NA", "nan", "NaN", "") else float(v)
    return values


def compare(osc, peer, tolerance):
    """Returns (max abs difference per statistic, count per statistic, problems)."""
    worst = {s: 0.0 for s in STATISTICS}
    count = {s: 0 for s in STATISTICS}
    problems = []
    for key, mine in osc.items():
        stat = key[4]
        if key not in peer and not (stat == "rwgj" and mine is None):
            problems.append(f"{key}: osc-score {mine}, missing in the peer's file")
            continue
        theirs = peer.get(key)
        if mine is None or theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
            if (mine is None) != (theirs is None):
                # n = 0 with a null mean is the same as a group the peer left out.
                problems.append(f"{key}: osc-score {mine}, peer {theirs}")
            continue
        d = abs(mine - theirs)
        count[stat] += 1
        worst[stat] = max(worst[stat], d)
        if d > (0 if stat == "n" else tolerance):
            problems.append(f"{key}: osc-score {mine!r}, peer {theirs!r}, |difference| {d:.3g}")
    for key, theirs in peer.items():
        if key not in osc and not (key[4] == "n" and theirs == 0):
            problems.append(f"{key}: peer {theirs}, not in osc-score's report")
    return worst, count, problems


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("osc")
    p.add_argument("peers", nargs="+", metavar="NAME=PEER.csv")
    p.add_argument("--tolerance", type=float, default=1e-9)
    p.add_argument("--summary", help="write the largest differences as JSON here")
    a = p.parse_args()

    osc, scale_ids = osc_values(a.osc)
    summary = {"osc": os.path.basename(a.osc), "tolerance": a.tolerance, "scales": len(scale_ids), "peers": {}}
    failed = False
    for spec in a.peers:
        name, _, path = spec.partition("=")
        peer = peer_values(path)
        peer_scales = sorted({k[3] for k in peer})
        if peer_scales != sorted(scale_ids):
            print(f"check: {name}: scales differ from osc-score's: {peer_scales} vs {sorted(scale_ids)}")
            sys.exit(1)
        worst, count, problems = compare(osc, peer, a.tolerance)
        summary["peers"][name] = {"file": os.path.basename(path), "maxAbsDifference": worst, "compared": count,
                                  "problems": len(problems)}
        cells = ", ".join(f"{s} {worst[s]:.1e} ({count[s]})" for s in STATISTICS)
        print(f"check: {name} vs osc-score, max |difference| (values compared): {cells}")
        if problems:
            failed = True
            print(f"check: {name} DIFFERS from osc-score in {len(problems)} values, e.g.:")
            for line in problems[:10]:
                print("  " + line)
    if a.summary:
        with open(a.summary, "w") as f:
            json.dump(summary, f, indent=2)
    if failed:
        sys.exit(1)
    print(f"check: all peers agree with osc-score to {a.tolerance:g}")


if __name__ == "__main__":
    main()
