#!/usr/bin/env Rscript
# The R peer of the osc-score benchmark: what a researcher does today in R
# with data.table, psych and multilevel, for every OSC scale.
#
#   Rscript r-pipeline.R SCALES.csv RESPONSES.csv OUT.csv [--verify-aov ROWS]
#
# SCALES.csv (written by Benchmarks/scales.py): scale,level,item,reverse, one
# row per item of each of the 25 OSC scales (domains, dimensions, facets).
# RESPONSES.csv: respondent,authority,school,Q001..Q105; empty cell = missing.
# OUT.csv: level,authority,school,scale,statistic,value (long format), with
#   level "scale"     statistic alpha (psych::alpha, raw_alpha, pairwise)
#   level "school"    statistics n, mean, rwgj (one row per school and scale)
#   level "authority" the same per authority
#   level "icc-school" / "icc-authority"  statistics icc1, icc2
#
# For every scale:
#   - psych::alpha() on the scale's items with the reverse-keyed items given as
#     `keys` (psych flips their covariances: the same as scoring 6 - x), its
#     default use = "pairwise";
#   - respondent scores: the mean of the answered (reverse-scored) items when
#     at least ceil(0.5 * J) are answered, as osc-score's default;
#   - multilevel::rwg.j() per school and per authority with the uniform null
#     variance 2. multilevel 2.7 (Debian's) drops every row with a missing
#     item first (listwise), which is why osc-score runs with --listwise in
#     the cross-check and the timing;
#   - ICC(1) and ICC(2) as multilevel::ICC1/ICC2 compute them from
#     aov(score ~ as.factor(group)): MSB, MSW and k = N/G. aov builds a dense
#     N x G model matrix (minutes and gigabytes at 200,000 rows and 2,000
#     schools), so the mean squares come from group sums instead; with
#     --verify-aov ROWS the script first checks on the first ROWS rows that
#     this equals ICC1(aov(...)) and ICC2(aov(...)) to 1e-12.
# A school is the pair authority + school, as in osc-score.

suppressPackageStartupMessages({
  library(data.table)
  library(psych)
  library(multilevel)
})

args <- commandArgs(trailingOnly = TRUE)
verify_rows <- 0
if (length(args) == 5 && args[4] == "--verify-aov") {
  verify_rows <- as.integer(args[5])
  args <- args[1:3]
}
if (length(args) != 3) {
  stop("usage: Rscript r-pipeline.R SCALES.csv RESPONSES.csv OUT.csv [--verify-aov ROWS]")
}
scales_file <- args[1]
responses_file <- args[2]
out_file <- args[3]

NULL_VARIANCE <- 2      # uniform null of a 5-option scale: (5^2 - 1) / 12
MIN_ANSWERED <- 0.5     # osc-score's default --min-answered
LOW <- 1; HIGH <- 5     # response scale, for reverse scoring (LOW + HIGH) - x

scales <- fread(scales_file, colClasses = "character")
scale_ids <- unique(scales$scale)   # in the structure's order

# All item columns as integers; ids as character (fread reads "" as NA).
items_all <- unique(scales$item)
dt <- fread(responses_file,
            colClasses = c(list(character = c("respondent", "authority", "school")),
                           list(integer = items_all)),
            na.strings = c("", "NA"))
bad <- items_all[!vapply(dt[, items_all, with = FALSE], is.integer, logical(1))]
if (length(bad)) stop("item columns that are not whole numbers (this peer reads clean files only): ",
                      paste(head(bad), collapse = ", "))
school_id <- paste(dt$authority, dt$school, sep = "\t")
authority_id <- dt$authority

# ICC(1) and ICC(2) of the one-way ANOVA of y on group g, from group sums
# (two passes: group means, then squared deviations from them), with the
# formulas of multilevel::ICC1 / ICC2. Rows with no score are dropped, as aov
# drops NA rows.
icc_from_group_sums <- function(y, g) {
  ok <- !is.na(y)
  d <- data.table(y = y[ok], g = g[ok])
  d[, m := mean(y), by = g]
  groups <- d[, .(n = .N, m = m[1]), by = g]
  N <- nrow(d); G <- nrow(groups)
  grand <- mean(d$y)
  msb <- sum(groups$n * (groups$m - grand)^2) / (G - 1)
  msw <- sum((d$y - d$m)^2) / (N - G)
  k <- N / G          # multilevel's GSIZE: (df_w + G) / G
  c(icc1 = (msb - msw) / (msb + (k - 1) * msw), icc2 = (msb - msw) / msb)
}

# Respondent scores of one scale: mean of the answered items, or NA when
# fewer than ceil(MIN_ANSWERED * J) are answered.
scale_scores <- function(x) {
  answered <- rowSums(!is.na(x))
  s <- rowMeans(x, na.rm = TRUE)
  s[answered < ceiling(MIN_ANSWERED * ncol(x)) | answered == 0] <- NA
  s
}

if (verify_rows > 0) {
  # The group-sum ANOVA must give multilevel's own numbers from aov().
  n <- min(verify_rows, nrow(dt))
  s1 <- scales[scale == scale_ids[1]]
  x <- as.matrix(dt[1:n, s1$item, with = FALSE])
  rev <- s1$reverse == "true"
  x[, rev] <- (LOW + HIGH) - x[, rev]
  y <- scale_scores(x)
  for (g in list(school_id[1:n], authority_id[1:n])) {
    fit <- aov(y ~ as.factor(g))
    ours <- icc_from_group_sums(y, g)
    theirs <- c(ICC1(fit), ICC2(fit))
    if (max(abs(ours - theirs)) > 1e-12) {
      stop(sprintf("group-sum ICC differs from multilevel's aov ICC: %s vs %s",
                   paste(ours, collapse = " "), paste(theirs, collapse = " ")))
    }
  }
  message(sprintf("r-pipeline: ICC from group sums equals ICC1/ICC2(aov) on %d rows", n))
}

results <- vector("list", length(scale_ids) * 6)
r <- 0
add <- function(level, authority, school, scale, statistic, value) {
  r <<- r + 1
  results[[r]] <<- data.table(level = level, authority = authority, school = school,
                              scale = scale, statistic = statistic, value = value)
}

for (id in scale_ids) {
  s <- scales[scale == id]
  reversed <- s$item[s$reverse == "true"]

  # Cronbach's alpha, pairwise covariances, keyed items. At this n, alpha's
  # internal principal() fit prints "pnchisq ... not converged" warnings (its
  # RMSEA interval); they do not touch alpha and are part of what it costs.
  a <- psych::alpha(dt[, s$item, with = FALSE],
                    keys = if (length(reversed)) reversed else NULL,
                    check.keys = FALSE, warnings = FALSE)
  add("scale", "", "", id, "alpha", a$total$raw_alpha)

  # Reverse-scored item matrix for scores and agreement.
  x <- as.matrix(dt[, s$item, with = FALSE])
  rev <- s$reverse == "true"
  if (any(rev)) x[, rev] <- (LOW + HIGH) - x[, rev]
  y <- scale_scores(x)

  for (level in c("school", "authority")) {
    g <- if (level == "school") school_id else authority_id
    # Within-group agreement: multilevel::rwg.j (listwise in 2.7).
    rw <- rwg.j(x, g, ranvar = NULL_VARIANCE)
    # Group n and mean of the respondents' scale scores.
    gm <- data.table(y = y, g = g)[!is.na(y), .(n = .N, mean = mean(y)), by = g]
    parts <- if (level == "school") tstrsplit(gm$g, "\t", fixed = TRUE) else list(gm$g, "")
    add(level, parts[[1]], parts[[2]], id, "n", gm$n)
    add(level, parts[[1]], parts[[2]], id, "mean", gm$mean)
    parts <- if (level == "school") tstrsplit(as.character(rw$grpid), "\t", fixed = TRUE)
             else list(as.character(rw$grpid), "")
    add(level, parts[[1]], parts[[2]], id, "rwgj", rw$rwg.j)
    icc <- icc_from_group_sums(y, g)
    add(paste0("icc-", level), "", "", id, "icc1", icc[["icc1"]])
    add(paste0("icc-", level), "", "", id, "icc2", icc[["icc2"]])
  }
}

out <- rbindlist(results[seq_len(r)])
out[, value := sprintf("%.17g", value)]   # every digit, so the check can use 1e-9
fwrite(out, out_file)
