#!/usr/bin/env python3
"""Writes a large SYNTHETIC responses file in the OSC layout for the benchmark.

    respondent,authority,school,Q001,...,Q105
    R0000001,LA017,S0412,3,2,,4,...

Nothing here is real data. The items and their facets come from the demo key
(Examples/demo-key.csv, itself made up); the answers follow the same kind of
model as Examples/generate.py: for every OSC dimension a person's level is

    centre[dimension] + authority effect + school effect + person effect,

each item's answer is that level plus item noise, rounded and clipped to 1..5,
and a reverse-keyed item is answered the other way round (6 - x). About 2% of
cells are left empty (missing at random). There are no invalid cells, no
rows without a school and no duplicate ids: the benchmark measures the
normal path.

Schools get unequal sizes (gamma-distributed weights, at least 2 staff each)
and authorities an unequal number of schools (at least one each). Rows are in
random order, as in a survey export, not sorted by school. School ids are
unique across authorities.

Deterministic: the same arguments give the same bytes (numpy's PCG64 seeded
with --seed; rows are generated in fixed chunks in order). The benchmark
records the file's SHA-256 next to its results.

Fast: each chunk of rows is laid out as a fixed-width byte matrix with numpy
and the bytes of missing cells are deleted in one pass; about 1-2 s for
200,000 rows.

Usage:
  generate.py --respondents 200000 --schools 2000 --authorities 150 \
              --key Examples/demo-key.csv --structure Scales/osc.json \
              --seed 20260601 --missing 0.02 -o OUT.csv
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scales import expand, read_key  # noqa: E402

# Typical level of each OSC dimension on the 1..5 scale in this made-up
# population (the values of Examples/generate.py).
CENTRE = {"proficiency": 3.6, "rigidity": 2.8, "resistance": 2.2, "engagement": 3.7,
          "functionality": 3.4, "stress": 2.6, "job_satisfaction": 3.6,
          "organisational_commitment": 3.4}
SD_AUTHORITY, SD_SCHOOL, SD_PERSON, SD_ITEM = 0.15, 0.30, 0.55, 0.70
CHUNK = 50_000  # rows generated at a time (fixed, so the output is deterministic)


def dimension_of_items(structure_path, key_path):
    """For every key column, the index (into CENTRE's order) of its dimension."""
    dims = list(CENTRE)
    scales = expand(structure_path, key_path)
    dim_of = {}
    for s in scales:
        if s["level"] == "dimension":
            for item in s["items"]:
                dim_of[item] = dims.index(s["id"])
    return [dim_of[column] for _, column, _, _ in read_key(key_path)]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--respondents", type=int, default=200_000)
    p.add_argument("--schools", type=int, default=2_000)
    p.add_argument("--authorities", type=int, default=150)
    p.add_argument("--missing", type=float, default=0.02, help="fraction of empty cells")
    p.add_argument("--seed", type=int, default=20260601)
    p.add_argument("--key", required=True)
    p.add_argument("--structure", required=True)
    p.add_argument("-o", "--output", required=True)
    a = p.parse_args()
    if a.respondents < 2 * a.schools or a.schools < a.authorities:
        sys.exit("need at least 2 respondents per school and 1 school per authority")

    key = read_key(a.key)
    columns = [column for _, column, _, _ in key]
    reverse = np.array([rev for _, _, _, rev in key])
    item_dim = np.array(dimension_of_items(a.structure, a.key))
    centre = np.array(list(CENTRE.values()))
    n_items, n_dims = len(columns), len(centre)
    rng = np.random.default_rng(a.seed)

    # Group structure: schools per authority and staff per school, unequal.
    weights = rng.gamma(3.0, size=a.authorities)
    schools_per_authority = 1 + rng.multinomial(a.schools - a.authorities, weights / weights.sum())
    authority_of_school = np.repeat(np.arange(a.authorities), schools_per_authority)
    weights = rng.gamma(4.0, size=a.schools)
    staff = 2 + rng.multinomial(a.respondents - 2 * a.schools, weights / weights.sum())
    school_of_row = rng.permutation(np.repeat(np.arange(a.schools), staff))

    authority_effect = rng.normal(0, SD_AUTHORITY, (a.authorities, n_dims))
    school_effect = rng.normal(0, SD_SCHOOL, (a.schools, n_dims)) + authority_effect[authority_of_school]

    # Fixed-width text of the id columns: "R0000001,LA017,S0412,".
    w_r = max(7, len(str(a.respondents)))
    w_a = max(3, len(str(a.authorities)))
    w_s = max(4, len(str(a.schools)))
    school_text = np.array([f"LA{authority_of_school[s] + 1:0{w_a}d},S{s + 1:0{w_s}d},".encode()
                            for s in range(a.schools)])
    prefix_width = 1 + w_r + 1 + len(school_text[0])
    width = prefix_width + 2 * n_items  # each cell: one digit and a comma (newline at the end)
    digit_cols = prefix_width + 2 * np.arange(n_items)

    with open(a.output, "wb") as out:
        out.write((",".join(["respondent", "authority", "school"] + columns) + "\n").encode())
        for start in range(0, a.respondents, CHUNK):
            m = min(CHUNK, a.respondents - start)
            schools = school_of_row[start:start + m]
            person = centre + school_effect[schools] + rng.normal(0, SD_PERSON, (m, n_dims))
            level = person[:, item_dim] + rng.normal(0, SD_ITEM, (m, n_items))
            x = np.clip(np.rint(level), 1, 5).astype(np.uint8)
            x[:, reverse] = 6 - x[:, reverse]
            empty = rng.random((m, n_items)) < a.missing

            rows = np.empty((m, width), dtype=np.uint8)
            ids = np.array([f"R{i + 1:0{w_r}d},".encode() for i in range(start, start + m)])
            rows[:, :1 + w_r + 1] = ids.view(np.uint8).reshape(m, -1)
            rows[:, 1 + w_r + 1:prefix_width] = school_text[schools].view(np.uint8).reshape(m, -1)
            rows[:, digit_cols] = x + ord("0")
            rows[:, digit_cols + 1] = ord(",")
            rows[:, -1] = ord("\n")
            keep = np.ones((m, width), dtype=bool)
            keep[:, digit_cols] = ~empty  # an empty cell keeps only its comma
            out.write(rows[keep].tobytes())


if __name__ == "__main__":
    main()
