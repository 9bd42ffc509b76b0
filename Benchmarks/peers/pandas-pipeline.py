#!/usr/bin/env python3
"""The Python peer of the osc-score benchmark: pandas + pingouin, vectorised.

    python3 pandas-pipeline.py SCALES.csv RESPONSES.csv OUT.csv [--missing listwise|pairwise]

SCALES.csv (written by Benchmarks/scales.py): scale,level,item,reverse, one row
per item of each of the 25 OSC scales (domains, dimensions, facets).
RESPONSES.csv: respondent,authority,school,Q001..Q105; an empty cell is missing.
OUT.csv: level,authority,school,scale,statistic,value, the same long format as
the R peer (see r-pipeline.R):
  level "scale"      alpha (pingouin.cronbach_alpha, pairwise covariances)
  level "school"     n, mean, rwgj per school and scale
  level "authority"  n, mean, rwgj per authority and scale
  level "icc-school" / "icc-authority"   icc1, icc2

For every scale:
  - reverse-keyed items are scored (1 + 5) - x; alpha from
    pingouin.cronbach_alpha(nan_policy="pairwise") (pandas' pairwise cov);
  - respondent scores: mean of the answered items when at least
    ceil(0.5 * J) are answered (osc-score's default);
  - rwg(j) (James, Demaree & Wolf 1984) per group, with the uniform null
    variance 2 and J = the scale's item count, from one groupby().var() per
    scale: --missing listwise (default) keeps only rows that answered every
    item of the scale, as multilevel 2.7's rwg.j and osc-score --listwise;
    --missing pairwise takes each item's variance over its own answers and
    averages the items with at least two answers, as osc-score's default;
  - ICC(1), ICC(2) of the one-way ANOVA of the scores on the group, as
    multilevel::ICC1/ICC2 (k = N/G), from group sums.
A school is the pair authority + school, as in osc-score.
"""
import argparse
import math

import numpy as np
import pandas as pd
import pingouin as pg

NULL_VARIANCE = 2.0   # uniform null of a 5-option scale: (5^2 - 1) / 12
MIN_ANSWERED = 0.5    # osc-score's default --min-answered
LOW, HIGH = 1, 5      # response scale, for reverse scoring (LOW + HIGH) - x


def rwg_j(items, group_codes, n_groups, listwise):
    """rwg(j) per group (NaN where it cannot be computed), vectorised."""
    J = items.shape[1]
    if listwise:
        complete = items.notna().all(axis=1).to_numpy()
        items, group_codes = items[complete], group_codes[complete]
    grouped = items.groupby(group_codes, sort=False)
    variances = grouped.var(ddof=1)             # item variances per group, NaN below 2 answers
    mean_var = variances.mean(axis=1)           # average over the items that have one
    rows = grouped.size()
    if not listwise:
        # A group needs at least two respondents who answered something.
        answered_any = items.notna().any(axis=1).to_numpy()
        rows = pd.Series(answered_any).groupby(group_codes).sum()
    s = mean_var.clip(upper=NULL_VARIANCE) / NULL_VARIANCE
    rwg = (J * (1 - s)) / (J * (1 - s) + s)
    rwg[rows.reindex(rwg.index) < 2] = np.nan
    out = np.full(n_groups, np.nan)
    out[rwg.index.to_numpy()] = rwg.to_numpy()
    return out


def icc(scores, group_codes):
    """ICC(1), ICC(2) of the one-way ANOVA, from group sums (two passes)."""
    ok = scores.notna().to_numpy()
    y = scores.to_numpy()[ok]
    g = group_codes[ok]
    n = np.bincount(g)
    present = n > 0
    means = np.bincount(g, weights=y)[present] / n[present]
    N, G = len(y), int(present.sum())
    group_mean_of_row = np.zeros(len(n))
    group_mean_of_row[present] = means
    msw = np.sum((y - group_mean_of_row[g]) ** 2) / (N - G)
    msb = np.sum(n[present] * (means - y.mean()) ** 2) / (G - 1)
    k = N / G
    return (msb - msw) / (msb + (k - 1) * msw), (msb - msw) / msb


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("scales")
    p.add_argument("responses")
    p.add_argument("out")
    p.add_argument("--missing", choices=["listwise", "pairwise"], default="listwise")
    a = p.parse_args()
    listwise = a.missing == "listwise"

    scales = pd.read_csv(a.scales, dtype=str)
    df = pd.read_csv(a.responses, dtype={"respondent": str, "authority": str, "school": str},
                     keep_default_na=False, na_values={c: ["", "NA"] for c in scales["item"].unique()})

    # Group codes once: schools are authority + school.
    school_codes, schools = pd.factorize(pd.MultiIndex.from_arrays([df["authority"], df["school"]]))
    authority_codes, authorities = pd.factorize(df["authority"])
    levels = {
        "school": (school_codes, [(au, sc) for au, sc in schools]),
        "authority": (authority_codes, [(au, "") for au in authorities]),
    }

    out = []
    for scale_id, rows in scales.groupby("scale", sort=False):
        cols = rows["item"].tolist()
        rev = rows.loc[rows["reverse"] == "true", "item"].tolist()
        x = df[cols].astype("float64")
        x[rev] = (LOW + HIGH) - x[rev]

        alpha, _ = pg.cronbach_alpha(data=x, nan_policy="pairwise")
        out.append(("scale", "", "", scale_id, "alpha", alpha))

        answered = x.notna().sum(axis=1)
        scores = x.mean(axis=1).where(answered >= math.ceil(MIN_ANSWERED * len(cols)))

        for level, (codes, names) in levels.items():
            rwg = rwg_j(x, codes, len(names), listwise)
            stats = scores.groupby(codes).agg(["count", "mean"])
            for code, (au, sc) in enumerate(names):
                out.append((level, au, sc, scale_id, "rwgj", rwg[code]))
            for code, (count, mean) in zip(stats.index, stats.itertuples(index=False)):
                au, sc = names[code]
                out.append((level, au, sc, scale_id, "n", count))
                out.append((level, au, sc, scale_id, "mean", mean))
            icc1, icc2 = icc(scores, codes)
            out.append(("icc-" + level, "", "", scale_id, "icc1", icc1))
            out.append(("icc-" + level, "", "", scale_id, "icc2", icc2))

    result = pd.DataFrame(out, columns=["level", "authority", "school", "scale", "statistic", "value"])
    result["value"] = [repr(float(v)) if v == v else "NA" for v in result["value"]]
    result.to_csv(a.out, index=False)


if __name__ == "__main__":
    main()
