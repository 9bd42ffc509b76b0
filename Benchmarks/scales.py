#!/usr/bin/env python3
"""Expands the OSC structure and a scoring key into one row per (scale, item).

Scales/osc.json gives the published structure: domains made of dimensions,
dimensions made of facets (two dimensions, job satisfaction and
organisational commitment, have no facets). The key CSV (`item,column,scale,
reverse`, '#' comment lines allowed) assigns every item to one leaf scale.
A parent scale is scored on all the items below it, as osc-score does.

The benchmark's peer pipelines read the table this writes, so that R and
pandas need no JSON parser and all three tools see the same item membership:

    scale,level,item,reverse
    culture,domain,Q001,false
    ...

Usage: scales.py STRUCTURE.json KEY.csv OUT.csv
Also imported by generate.py and check.py (function `expand`).
"""
import csv
import json
import sys


def read_key(path):
    """Returns [(item, column, leaf scale, reverse)] in the key's order."""
    with open(path, newline="") as f:
        lines = [line for line in f if line.strip() and not line.lstrip().startswith("#")]
    rows = list(csv.DictReader(lines))
    return [(r["item"].strip(), r["column"].strip(), r["scale"].strip(),
             r["reverse"].strip().lower() in ("true", "1", "yes")) for r in rows]


def expand(structure_path, key_path):
    """Returns [{'id', 'level', 'items': [column...], 'reverse': set(column)}]
    for every scale of the structure, in the structure's order."""
    with open(structure_path) as f:
        structure = json.load(f)
    children = {s["id"]: s.get("scales", []) for s in structure["scales"]}
    key = read_key(key_path)
    leaf_items = {}
    for _, column, scale, _ in key:
        leaf_items.setdefault(scale, []).append(column)
    reverse = {column for _, column, _, rev in key if rev}
    order = {column: i for i, (_, column, _, _) in enumerate(key)}

    def items_below(scale_id):
        # A leaf's items come from the key; a parent's are its children's.
        found = list(leaf_items.get(scale_id, []))
        for child in children[scale_id]:
            found += items_below(child)
        return found

    scales = []
    for s in structure["scales"]:
        items = sorted(set(items_below(s["id"])), key=order.__getitem__)
        if not items:
            sys.exit(f"scale {s['id']} has no items in the key {key_path}")
        scales.append({"id": s["id"], "level": s["level"], "items": items,
                       "reverse": {c for c in items if c in reverse}})
    return scales


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("Usage: ")[1].splitlines()[0])
    scales = expand(sys.argv[1], sys.argv[2])
    with open(sys.argv[3], "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["scale", "level", "item", "reverse"])
        for s in scales:
            for item in s["items"]:
                w.writerow([s["id"], s["level"], item, "true" if item in s["reverse"] else "false"])


if __name__ == "__main__":
    main()
