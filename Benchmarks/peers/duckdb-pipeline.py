#!/usr/bin/env python3
"""The DuckDB peer of the osc-score benchmark: one SQL statement over read_csv.

    python3 duckdb-pipeline.py SCALES.csv RESPONSES.csv OUT.csv [--missing listwise|pairwise]

The same statistics as pandas-pipeline.py, in the same long format
(level,authority,school,scale,statistic,value; see that file and
r-pipeline.R). Python only writes the SQL text from SCALES.csv; DuckDB runs
it as one statement (`COPY (...) TO OUT.csv`) on all of its threads (the
`threads` setting, by default every core):

  - `read_csv` of the responses (answers as TINYINT, "" and "NA" missing;
    reverse-keyed items scored (1 + 5) - x), kept as a MATERIALIZED CTE so
    that it is read once for the two aggregates below;
  - alpha: `covar_samp` (which skips a pair's rows where either item is
    NULL, as pandas' DataFrame.cov that pingouin's
    cronbach_alpha(nan_policy="pairwise") uses) of every pair of items
    within a domain (every scale lies within one domain) and `var_samp` of
    every item: 2,251 aggregates in one pass;
  - per school (authority + school) and per authority in one
    `GROUP BY GROUPING SETS`: each scale's score (the mean of the answered
    items when at least ceil(0.5 * J) are answered, osc-score's default) as
    count, avg and var_samp; for rwg(j) each item's var_samp over the rows
    that answered every item of the scale (`var_samp(CASE WHEN complete
    THEN x END)`: twice as fast here as `FILTER (WHERE complete)`, which
    DuckDB evaluates per aggregate; --missing listwise, as
    multilevel 2.7's rwg.j and osc-score --listwise) or over its own answers
    (--missing pairwise, with the count of rows that answered any item of
    the scale, as osc-score's default);
  - rwg(j) with the uniform null variance 2 from the mean of the item
    variances (over the items that have one), and ICC(1), ICC(2) of the
    one-way ANOVA of the scores on the group from the groups' n, mean and
    variance (k = N/G, as multilevel::ICC1/ICC2).
"""
import argparse
import csv
import math

import duckdb

NULL_VARIANCE = 2.0   # uniform null of a 5-option scale: (5^2 - 1) / 12
MIN_ANSWERED = 0.5    # osc-score's default --min-answered
LOW, HIGH = 1, 5      # response scale, for reverse scoring (LOW + HIGH) - x


def q(name):
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def s(text):
    """A quoted SQL string."""
    return "'" + text.replace("'", "''") + "'"


def read_scales(path):
    """[(scale, level, [items], {reverse items})] in the file's order."""
    scales, index = [], {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["scale"] not in index:
                index[row["scale"]] = len(scales)
                scales.append((row["scale"], row["level"], [], set()))
            _, _, items, reverse = scales[index[row["scale"]]]
            items.append(row["item"])
            if row["reverse"] == "true":
                reverse.add(row["item"])
    return scales


def sql(scales, responses, out, listwise):
    items = sorted({i for _, _, cols, _ in scales for i in cols})
    reverse = set().union(*(rev for _, _, _, rev in scales))
    domains = [cols for _, level, cols, _ in scales if level == "domain"]
    pairs = [(c[m], c[n]) for c in domains for m in range(len(c)) for n in range(m + 1, len(c))]

    types = ", ".join(f"{s(i)}: 'TINYINT'" for i in items)
    answers = ", ".join(f"{LOW + HIGH} - {q(i)} AS {q(i)}" if i in reverse else q(i) for i in items)
    read = (f"SELECT coalesce(authority, '') AS authority, coalesce(school, '') AS school, {answers} "
            f"FROM read_csv({s(responses)}, header = true, nullstr = ['', 'NA'], "
            f"types = {{'authority': 'VARCHAR', 'school': 'VARCHAR', {types}}})")

    # Alpha per scale from the covariance matrix of its domain.
    moments = ", ".join([f"var_samp({q(i)}) AS {q('v|' + i)}" for i in items] +
                        [f"covar_samp({q(u)}, {q(v)}) AS {q('c|' + u + '|' + v)}" for u, v in pairs])
    alphas = []
    for scale, _, cols, _ in scales:
        k = len(cols)
        # list_sum: a flat sum of up to 1,275 terms (a + b + ... nests too deep for the parser).
        variances = "list_sum([" + ", ".join(q("v|" + i) for i in cols) + "])"
        covariances = "list_sum([" + ", ".join(q(f"c|{u}|{v}") for u, v in pairs if u in cols and v in cols) + "])"
        alphas.append(f"SELECT 'scale' AS level, '' AS authority, '' AS school, {s(scale)} AS scale, "
                      f"'alpha' AS statistic, {k / (k - 1)!r} * (1 - ({variances}) / "
                      f"(({variances}) + 2 * ({covariances}))) AS value FROM moments")

    # Row level: each scale's score, and which rows count for its rwg(j).
    row_cols, aggregates = [], []
    for n, (scale, _, cols, _) in enumerate(scales):
        J = len(cols)
        answered = " + ".join(f"({q(i)} IS NOT NULL)::INTEGER" for i in cols)
        total = " + ".join(f"coalesce({q(i)}, 0)::INTEGER" for i in cols)
        row_cols += [f"{answered} AS a{n}", f"{total} AS t{n}"]
        score = f"CASE WHEN a{n} >= {math.ceil(MIN_ANSWERED * J)} THEN t{n} / a{n} END"
        aggregates += [f"count({score}) AS n{n}", f"avg({score}) AS m{n}", f"var_samp({score}) AS w{n}"]
        if listwise:
            aggregates.append(f"count(*) FILTER (WHERE a{n} = {J}) AS c{n}")
            item_var = [f"var_samp(CASE WHEN a{n} = {J} THEN {q(i)} END)" for i in cols]
            aggregates.append(f"({' + '.join(item_var)}) / {J} AS v{n}")
        else:
            aggregates.append(f"count(*) FILTER (WHERE a{n} > 0) AS c{n}")
    if not listwise:
        # Each item's variance over its own answers, once per group; averaged per scale below.
        aggregates += [f"var_samp({q(i)}) AS {q('iv|' + i)}" for i in items]

    groups = (f"SELECT CASE WHEN GROUPING(school) = 1 THEN 'authority' ELSE 'school' END AS level, authority, "
              f"CASE WHEN GROUPING(school) = 1 THEN '' ELSE school END AS school, {', '.join(aggregates)} "
              f"FROM (SELECT authority, school, {', '.join(row_cols)}, * EXCLUDE (authority, school) FROM r) "
              f"GROUP BY GROUPING SETS ((authority, school), (authority))")

    # One row per group and scale: n, mean, variance of the scores, rwg(j).
    long_rows = []
    for n, (scale, _, cols, _) in enumerate(scales):
        J = len(cols)
        if listwise:
            mean_var = f"v{n}"
        else:
            present = " + ".join(f"({q('iv|' + i)} IS NOT NULL)::INTEGER" for i in cols)
            added = " + ".join(f"coalesce({q('iv|' + i)}, 0)" for i in cols)
            mean_var = f"({added}) / nullif({present}, 0)"
        sv = f"least({mean_var}, {NULL_VARIANCE}) / {NULL_VARIANCE}"
        rwg = f"CASE WHEN c{n} >= 2 THEN ({J} * (1 - {sv})) / ({J} * (1 - {sv}) + {sv}) END"
        long_rows.append(f"SELECT level, authority, school, {s(scale)} AS scale, n{n}::DOUBLE AS n, m{n} AS mean, "
                         f"w{n} AS w, {rwg} AS rwgj FROM g")

    return f"""
COPY (
WITH r AS MATERIALIZED ({read}),
moments AS (SELECT {moments} FROM r),
g AS ({groups}),
gl AS ({' UNION ALL '.join(long_rows)}),
anova AS (
    SELECT level, scale, sum(n) AS N, count(*) FILTER (WHERE n > 0) AS G,
           sum(coalesce((n - 1) * w, 0)) AS ssw, sum(n * mean) / sum(n) AS grand
    FROM gl GROUP BY level, scale),
icc AS (
    SELECT a.level, a.scale, (sum(gl.n * (gl.mean - a.grand) ^ 2) / (any_value(a.G) - 1)) AS msb,
           any_value(a.ssw / (a.N - a.G)) AS msw, any_value(a.N / a.G) AS k
    FROM anova a JOIN gl USING (level, scale) WHERE gl.n > 0 GROUP BY a.level, a.scale)
{' UNION ALL '.join(alphas)}
UNION ALL
SELECT level, authority, school, scale, statistic, value
FROM gl UNPIVOT INCLUDE NULLS (value FOR statistic IN (rwgj, n, mean))
UNION ALL
SELECT 'icc-' || level, '', '', scale, 'icc1', (msb - msw) / (msb + (k - 1) * msw) FROM icc
UNION ALL
SELECT 'icc-' || level, '', '', scale, 'icc2', (msb - msw) / msb FROM icc
) TO {s(out)} (HEADER, DELIMITER ',', NULLSTR 'NA')
"""


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("scales")
    p.add_argument("responses")
    p.add_argument("out")
    p.add_argument("--missing", choices=["listwise", "pairwise"], default="listwise")
    p.add_argument("--print-sql", action="store_true", help="print the statement instead of running it")
    a = p.parse_args()
    text = sql(read_scales(a.scales), a.responses, a.out, a.missing == "listwise")
    if a.print_sql:
        print(text)
    else:
        duckdb.connect().execute(text)


if __name__ == "__main__":
    main()
