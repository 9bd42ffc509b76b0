#!/usr/bin/env python3
"""Writes a SYNTHETIC instrument and responses file at the size limits (issue 15).

    limits.py ITEMS SCALE_SIZE ROWS OUT [--noise] [--missing F]

OUT.json: an instrument of ITEMS items (i0, i1, ...) answered 1..5, in scales
of SCALE_SIZE consecutive items (s0, s1, ...; the last may be shorter).
OUT.csv: ROWS respondents in three schools (S0, S1, S2). Each answer is
3 + 1.2 (loading x level + sqrt(1 - loading^2) x noise), rounded and clipped
to 1..5, with one common level per respondent and loadings 0.3..0.8 (one
factor); --noise gives uniform random answers instead (no common factor).
About --missing (default 0.02) of the cells are empty. Deterministic.

Examples (Benchmarks/README.md, "Sizes at the limits"):
  limits.py 1000 1000 40 /tmp/j1000       # one scale at the item limit
  limits.py 1001 1001 5 /tmp/j1001        # one item past it: refused
  limits.py 6000 1 40 /tmp/single6000     # 6,000 single-item scales
"""
import argparse
import json
import random

p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
p.add_argument("items", type=int)
p.add_argument("scale_size", type=int)
p.add_argument("rows", type=int)
p.add_argument("out")
p.add_argument("--noise", action="store_true")
p.add_argument("--missing", type=float, default=0.02)
a = p.parse_args()
rnd = random.Random(7)
ids = ["i%d" % k for k in range(a.items)]
scales = [{"id": "s%d" % s, "items": ids[s * a.scale_size:(s + 1) * a.scale_size]}
          for s in range((a.items + a.scale_size - 1) // a.scale_size)]
with open(a.out + ".json", "w") as f:
    json.dump({"id": "big", "name": "big", "version": "1", "responseScale": {"min": 1, "max": 5},
               "items": [{"id": i} for i in ids], "scales": scales}, f)
load = [0.3 + 0.5 * rnd.random() for _ in range(a.items)]
with open(a.out + ".csv", "w") as f:
    f.write("school," + ",".join(ids) + "\n")
    for r in range(a.rows):
        t = rnd.gauss(0, 1)
        cells = []
        for k in range(a.items):
            if rnd.random() < a.missing:
                cells.append("")
            elif a.noise:
                cells.append(str(rnd.randint(1, 5)))
            else:
                x = 3 + 1.2 * (load[k] * t + (1 - load[k] ** 2) ** 0.5 * rnd.gauss(0, 1))
                cells.append(str(min(5, max(1, round(x)))))
        f.write("S%d," % (r % 3) + ",".join(cells) + "\n")
