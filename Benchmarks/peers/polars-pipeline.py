#!/usr/bin/env python3
"""The polars peer of the osc-score benchmark: a lazy scan, the streaming engine, every thread.

    python3 polars-pipeline.py SCALES.csv RESPONSES.csv OUT.csv [--missing listwise|pairwise]

The same statistics as pandas-pipeline.py, in the same long format
(level,authority,school,scale,statistic,value; see that file and
r-pipeline.R), computed the way one would write it in polars for speed:

  - one lazy `scan_csv` of the responses (only the columns used; answers
    read as 8-bit integers; reverse-keyed items scored (1 + 5) - x in the
    projection), and the queries below over it collected together
    (`pl.collect_all(..., engine="streaming")`, the scan a common subplan
    of them all) on polars' streaming engine, on all of its threads
    (POLARS_MAX_THREADS, by default every core):
      1. alpha: the pairwise covariance (`pl.cov`, which skips a pair's
         rows where either item is missing, as pandas' DataFrame.cov that
         pingouin's cronbach_alpha(nan_policy="pairwise") uses) of every pair of
         items within a domain (every scale lies within one domain), and
         each item's variance: 2,251 aggregates in one select;
      2. per school (authority + school): one group_by of each scale's
         score (the mean of the answered items when at least ceil(0.5 * J)
         are answered, osc-score's default) as count, sum and sum of
         squares; for rwg(j), --missing listwise (as multilevel 2.7's rwg.j
         and osc-score --listwise), one group_by per scale of the rows that
         answered every item of it, with each item's sum and sum of
         squares; --missing pairwise (as osc-score's default), each item's
         count, sum and sum of squares over its own answers and each
         scale's count of rows that answered any of its items, in the first
         group_by;
  - authorities from the schools' sums (every sum is of integers, except
    the scores', so nothing is lost), then on the 2,000 + 150 group rows:
    item variances (n - 1 denominator, none below 2 answers) averaged over
    the items that have one, rwg(j) with the uniform null variance 2, the
    groups' n and mean, and ICC(1), ICC(2) of the one-way ANOVA of the scores
    on the group from the group sums (k = N/G, as multilevel::ICC1/ICC2).
"""
import argparse
import math

import polars as pl

NULL_VARIANCE = 2.0   # uniform null of a 5-option scale: (5^2 - 1) / 12
MIN_ANSWERED = 0.5    # osc-score's default --min-answered
LOW, HIGH = 1, 5      # response scale, for reverse scoring (LOW + HIGH) - x
KEYS = ["authority", "school"]


def read_scales(path):
    """[(scale, level, [items], {reverse items})] in the file's order."""
    rows = pl.read_csv(path, infer_schema=False)
    scales = []
    for (scale,), part in rows.group_by("scale", maintain_order=True):
        scales.append((scale, part["level"][0], part["item"].to_list(),
                       set(part.filter(pl.col("reverse") == "true")["item"].to_list())))
    return scales


def safe_div(num, den):
    """num / den, null where den is 0 (polars would give NaN or inf)."""
    return pl.when(den > 0).then(num / den)


def variance(n, s, ss):
    """Sample variance from a count, sum and sum of squares; null below 2."""
    return pl.when(n >= 2).then((ss - s * s / n) / (n - 1))


def rwg_j(mean_var, J):
    s = mean_var.clip(upper_bound=NULL_VARIANCE) / NULL_VARIANCE
    return (J * (1 - s)) / (J * (1 - s) + s)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("scales")
    p.add_argument("responses")
    p.add_argument("out")
    p.add_argument("--missing", choices=["listwise", "pairwise"], default="listwise")
    a = p.parse_args()
    listwise = a.missing == "listwise"

    scales = read_scales(a.scales)
    items = sorted({i for _, _, cols, _ in scales for i in cols})
    reverse = set().union(*(rev for _, _, _, rev in scales))
    domains = [cols for _, level, cols, _ in scales if level == "domain"]

    lf = pl.scan_csv(a.responses,
                     schema_overrides={"authority": pl.String, "school": pl.String,
                                       **{i: pl.Int8 for i in items}},
                     null_values={i: "NA" for i in items})
    x = {i: (LOW + HIGH - pl.col(i)) if i in reverse else pl.col(i) for i in items}
    base = lf.select(*(pl.col(k).fill_null("") for k in KEYS), *(x[i].alias(i) for i in items))

    # 1. alpha: every pair within a domain, and every item's variance.
    pairs = [(c[m], c[n]) for c in domains for m in range(len(c)) for n in range(m + 1, len(c))]
    # (The answers cast to Float64 once, not by pl.cov once per pair: a sixth less time.)
    alpha_q = (base.with_columns(pl.col(items).cast(pl.Float64))
               .select(*(pl.col(i).var().alias(i) for i in items),
                       *(pl.cov(u, v).alias(f"{u}|{v}") for u, v in pairs)))

    # 2. the schools' sums: the scores' in one group_by; for rwg(j), listwise, one
    # group_by per scale of its complete rows, or, pairwise, every item's in one.
    score_aggs, queries = [], [alpha_q]
    for scale, _, cols, _ in scales:
        J = len(cols)
        answered = pl.sum_horizontal(*(pl.col(i).is_not_null() for i in cols))
        total = pl.sum_horizontal(*(pl.col(i).cast(pl.Int16) for i in cols))
        score = pl.when(answered >= math.ceil(MIN_ANSWERED * J)).then(total / answered)
        score_aggs += [score.count().alias(f"n|{scale}"), score.sum().alias(f"s|{scale}"),
                       (score * score).sum().alias(f"q|{scale}")]
        if listwise:
            queries.append(base.filter(answered == J).group_by(KEYS).agg(
                pl.len().alias(f"c|{scale}"),
                *(pl.col(i).cast(pl.Int32).sum().alias(f"x|{scale}|{i}") for i in cols),
                *(pl.col(i).cast(pl.Int32).pow(2).sum().alias(f"xx|{scale}|{i}") for i in cols)))
        else:
            score_aggs.append((answered > 0).sum().alias(f"c|{scale}"))
    if not listwise:
        score_aggs += [e for i in items for e in (
            pl.col(i).count().alias(f"n|{i}"), pl.col(i).cast(pl.Int32).sum().alias(f"x|{i}"),
            pl.col(i).cast(pl.Int32).pow(2).sum().alias(f"xx|{i}"))]
    queries.append(base.group_by(KEYS).agg(score_aggs))

    # One streaming run for all of them (the scan is shared).
    alpha_row, *per_scale, schools = pl.collect_all(queries, engine="streaming")
    for part in per_scale:
        schools = schools.join(part, on=KEYS, how="left")
    schools = schools.fill_null(0)
    authorities = (schools.group_by("authority").agg(pl.exclude(KEYS).sum())
                   .with_columns(school=pl.lit("")))

    out = []
    a0 = alpha_row.row(0, named=True)
    for scale, _, cols, _ in scales:
        k = len(cols)
        var_sum = sum(a0[i] for i in cols)
        total = var_sum + 2 * sum(a0[f"{u}|{v}"] for u, v in pairs if u in cols and v in cols)
        alpha = (k / (k - 1)) * (1 - var_sum / total)
        out.append(pl.DataFrame({"level": ["scale"], "authority": [""], "school": [""], "scale": [scale],
                                 "statistic": ["alpha"], "value": [alpha]}))

    for level, groups in (("school", schools), ("authority", authorities)):
        stats = []
        for scale, _, cols, _ in scales:
            J = len(cols)
            if listwise:
                c = pl.col(f"c|{scale}")
                var = [variance(c, pl.col(f"x|{scale}|{i}"), pl.col(f"xx|{scale}|{i}")) for i in cols]
            else:
                c = pl.col(f"c|{scale}")
                var = [variance(pl.col(f"n|{i}"), pl.col(f"x|{i}"), pl.col(f"xx|{i}")) for i in cols]
            mean_var = pl.mean_horizontal(*var)   # over the items that have a variance
            n, s = pl.col(f"n|{scale}"), pl.col(f"s|{scale}")
            stats += [pl.when(c >= 2).then(rwg_j(mean_var, J)).alias(f"rwgj|{scale}"),
                      n.cast(pl.Float64).alias(f"n|{scale}"), safe_div(s, n).alias(f"mean|{scale}")]
        wide = groups.select(*KEYS, *stats)
        out.append(wide.unpivot(index=KEYS, variable_name="what")
                   .with_columns(pl.col("what").str.split_exact("|", 1).struct.rename_fields(["statistic", "scale"]))
                   .unnest("what")
                   .select(pl.lit(level).alias("level"), *KEYS, "scale", "statistic", "value"))

        # ICC(1), ICC(2) from the group sums of the scores.
        icc = []
        for scale, _, _, _ in scales:
            n, s, q = pl.col(f"n|{scale}"), pl.col(f"s|{scale}"), pl.col(f"q|{scale}")
            N, G = n.sum(), (n > 0).sum()
            msw = pl.when(n > 0).then(q - s * s / n).sum() / (N - G)
            msb = pl.when(n > 0).then(n * (s / n - s.sum() / N) ** 2).sum() / (G - 1)
            k = N / G
            icc += [((msb - msw) / (msb + (k - 1) * msw)).alias(f"icc1|{scale}"),
                    ((msb - msw) / msb).alias(f"icc2|{scale}")]
        out.append(groups.select(icc).unpivot(variable_name="what")
                   .with_columns(pl.col("what").str.split_exact("|", 1).struct.rename_fields(["statistic", "scale"]))
                   .unnest("what")
                   .select(pl.lit("icc-" + level).alias("level"), pl.lit("").alias("authority"),
                           pl.lit("").alias("school"), "scale", "statistic", "value"))

    pl.concat(out, how="vertical_relaxed").write_csv(a.out, null_value="NA", quote_style="never")


if __name__ == "__main__":
    main()
