#!/usr/bin/env Rscript
# Reference values for the intervals of means, the ICC(2) interval, the
# group-mean reliability and the design effect (issue 14), from R's own
# functions where R has one: qt, t.test, psychometric::ICC2.CI,
# psychometric::ICC1.CI, multilevel::ICC1/ICC2, multilevel::gmeanrel.
#
# Run from the repository root:
#   Rscript Tests/OSCScoringTests/Reference/intervals/make-reference.R
# Needs: R >= 4.0, psychometric 2.3, multilevel 2.7, nlme
# (Debian: r-base-core r-cran-psychometric r-cran-multilevel).
#
# Inputs: the example's respondent scores as R computed them
# (Reference/example/respondent-scores.csv, by file line), the school and
# authority of each line from Examples/synthetic-responses.csv, the example's
# verdicts (Reference/example/verdicts.csv) for which schools an authority
# includes, and the hand-made edge cases in edge-scores.csv.

suppressMessages({ library(psychometric); library(multilevel); library(nlme) })
out <- "Tests/OSCScoringTests/Reference/intervals"
fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
write_table <- function(d, name) {
  for (col in names(d)) if (is.numeric(d[[col]])) d[[col]] <- fmt(d[[col]])
  write.csv(d, file.path(out, name), row.names = FALSE, quote = FALSE, na = "")
}

# ---------------------------------------------------------------------------
# 1. t quantiles: qt over a grid of p and df.
# ---------------------------------------------------------------------------
grid <- expand.grid(p = c(1e-12, 1e-6, 0.001, 0.025, 0.05, 0.1, 0.3, 0.5, 0.6, 0.9, 0.95, 0.975, 0.995, 0.999999, 1 - 1e-12),
                    df = c(1, 2, 3, 4.5, 10, 29, 100, 1000, 1e6))
grid$qt <- qt(grid$p, grid$df)
# Two-sided critical values for a confidence level c: qt((1 + c)/2, df).
crit <- expand.grid(confidence = c(0.5, 0.8, 0.9, 0.95, 0.99, 0.999), df = c(1, 2, 5, 18, 100, 1e5))
crit$t <- qt((1 + crit$confidence) / 2, crit$df)
write_table(grid, "t-quantile.csv")
write_table(crit, "t-critical.csv")

# ---------------------------------------------------------------------------
# 2. Mean intervals on the shipped example: t.test(x, conf.level)$conf.int
#    for every school (its respondents' scores) and authority (its included
#    school means), at 0.95 and 0.90; NA where fewer than 3 values.
# ---------------------------------------------------------------------------
scores <- read.csv("Tests/OSCScoringTests/Reference/example/respondent-scores.csv", check.names = FALSE)
data <- read.csv("Examples/synthetic-responses.csv", colClasses = "character", na.strings = character(0), check.names = FALSE)
verdicts <- read.csv("Tests/OSCScoringTests/Reference/example/verdicts.csv", colClasses = "character")
stopifnot(nrow(scores) == nrow(data))
scores$school <- trimws(data$school)
scores$authority <- trimws(data$authority)
scores <- scores[scores$school != "", ]
ids <- setdiff(names(scores), c("line", "school", "authority"))

interval <- function(x, level) {
  x <- x[!is.na(x)]
  if (length(x) < 3) return(c(NA, NA))
  if (sd(x) == 0) return(c(mean(x), mean(x)))  # t.test stops on constant data
  as.numeric(t.test(x, conf.level = level)$conf.int)
}
school_rows <- list(); authority_rows <- list()
keys <- unique(scores[, c("authority", "school")])
for (level in c(0.95, 0.90)) {
  for (id in ids) {
    means <- data.frame()
    for (i in seq_len(nrow(keys))) {
      x <- scores[[id]][scores$authority == keys$authority[i] & scores$school == keys$school[i]]
      ci <- interval(x, level)
      n <- sum(!is.na(x))
      school_rows[[length(school_rows) + 1]] <- data.frame(
        confidence = level, authority = keys$authority[i], school = keys$school[i], scale = id,
        n = n, mean = if (n > 0) mean(x, na.rm = TRUE) else NA, ciLower = ci[1], ciUpper = ci[2])
      means <- rbind(means, data.frame(authority = keys$authority[i], school = keys$school[i],
                                       mean = if (n > 0) mean(x, na.rm = TRUE) else NA))
    }
    for (a in unique(keys$authority[keys$authority != ""])) {
      pass <- verdicts$school[verdicts$authority == a & verdicts$scale == id & verdicts$aggregate == "1"]
      for (included in c("passing", "all")) {
        m <- means$mean[means$authority == a & (included == "all" | means$school %in% pass)]
        m <- m[!is.na(m)]
        ci <- interval(m, level)
        authority_rows[[length(authority_rows) + 1]] <- data.frame(
          confidence = level, included = included, authority = a, scale = id, schools = length(m),
          mean = if (length(m) > 0) mean(m) else NA, ciLower = ci[1], ciUpper = ci[2])
      }
    }
  }
}
write_table(do.call(rbind, school_rows), "school-intervals.csv")
write_table(do.call(rbind, authority_rows), "authority-intervals.csv")

# ---------------------------------------------------------------------------
# 3. ICC(1) and ICC(2) intervals (psychometric::ICC1.CI, ICC2.CI at 0.95),
#    design effect and effective N (written out: 1 + (k - 1) max(ICC(1), 0),
#    k = N/G; no R package computes it from the ANOVA ICC), per scale and level.
# ---------------------------------------------------------------------------
icc_rows <- list()
add_icc <- function(set, scale, level, y, g) {
  keep <- !is.na(y)
  d <- data.frame(y = y[keep], g = factor(g[keep]))
  model <- aov(y ~ g, data = d)
  tab <- summary(model)[[1]]
  ci1 <- ICC1.CI(y, g, d)
  ci2 <- ICC2.CI(y, g, d)
  N <- nrow(d); G <- nlevels(droplevels(d$g)); k <- N / G
  icc1 <- ICC1(model)
  deff <- 1 + (k - 1) * max(icc1, 0)
  icc_rows[[length(icc_rows) + 1]] <<- data.frame(
    set = set, scale = scale, level = level, n = N, groups = G, k = k, f = tab[1, 4],
    icc1 = icc1, icc2 = ICC2(model), icc1Lower = ci1$LCL, icc1Upper = ci1$UCL,
    icc2Lower = ci2$LCL, icc2Upper = ci2$UCL, designEffect = deff, effectiveN = N / deff)
}
for (id in ids) {
  add_icc("example", id, "school", scores[[id]], paste(scores$authority, scores$school, sep = "|"))
  with_authority <- scores$authority != ""
  add_icc("example", id, "authority", scores[[id]][with_authority], scores$authority[with_authority])
}

# ---------------------------------------------------------------------------
# 4. Group-mean reliability (Bliese 2000): n_j ICC(1) / (1 + (n_j - 1) ICC(1))
#    for every school and scale with the ANOVA ICC(1) of multilevel::ICC1
#    (what osc-score reports), NA when ICC(1) <= 0; and multilevel::gmeanrel
#    on an lme fit, whose model-based ICC and group sizes are written beside
#    its MeanRel so that the same formula can be checked on gmeanrel's input.
# ---------------------------------------------------------------------------
gmr_rows <- list(); gmeanrel_rows <- list()
for (id in ids) {
  keep <- !is.na(scores[[id]])
  d <- data.frame(y = scores[[id]][keep], g = factor(paste(scores$authority, scores$school, sep = "|")[keep]))
  icc1 <- ICC1(aov(y ~ g, data = d))
  sizes <- table(d$g)
  for (j in names(sizes)) {
    n <- as.numeric(sizes[[j]])
    gmr_rows[[length(gmr_rows) + 1]] <- data.frame(
      set = "example", scale = id, group = j, n = n, icc1 = icc1,
      groupMeanReliability = if (icc1 > 0) n * icc1 / (1 + (n - 1) * icc1) else NA)
  }
  fit <- lme(y ~ 1, random = ~ 1 | g, data = d, method = "REML")
  gm <- gmeanrel(fit)
  gmeanrel_rows[[length(gmeanrel_rows) + 1]] <- data.frame(
    set = "example", scale = id, group = as.character(gm$Group), n = gm$GrpSize, icc = gm$ICC, meanRel = gm$MeanRel)
}

# ---------------------------------------------------------------------------
# 5. Edge cases (edge-scores.csv, made by hand): a school of one and of two
#    respondents (no interval), ICC(1) <= 0 (no group-mean reliability,
#    design effect 1), every group constant (F = Inf), equal group means (F = 0).
# ---------------------------------------------------------------------------
edge <- read.csv(file.path(out, "edge-scores.csv"), colClasses = c("character", "character", "numeric"))
edge_rows <- list()
for (set in unique(edge$set)) {
  d <- edge[edge$set == set, ]
  for (g in unique(d$group)) {
    x <- d$score[d$group == g]
    ci <- interval(x, 0.95)
    edge_rows[[length(edge_rows) + 1]] <- data.frame(set = set, group = g, n = length(x), mean = mean(x),
                                                    ciLower = ci[1], ciUpper = ci[2])
  }
  if (set %in% c("small", "negative-icc")) add_icc(set, "score", "group", d$score, d$group)
  if (set %in% c("small", "negative-icc")) {
    icc1 <- ICC1(aov(score ~ factor(group), data = d))
    for (g in unique(d$group)) {
      n <- sum(d$group == g)
      gmr_rows[[length(gmr_rows) + 1]] <- data.frame(
        set = set, scale = "score", group = g, n = n, icc1 = icc1,
        groupMeanReliability = if (icc1 > 0) n * icc1 / (1 + (n - 1) * icc1) else NA)
    }
  }
}
write_table(do.call(rbind, edge_rows), "edge-intervals.csv")
write_table(do.call(rbind, icc_rows), "icc-intervals.csv")
write_table(do.call(rbind, gmr_rows), "group-mean-reliability.csv")
write_table(do.call(rbind, gmeanrel_rows), "gmeanrel.csv")

writeLines(c(
  "# Provenance of the interval and group-mean reliability reference values",
  "",
  paste0("- Generated: ", format(Sys.Date()), " by `Rscript Tests/OSCScoringTests/Reference/intervals/make-reference.R` (run from the repository root)."),
  paste0("- ", R.version.string, "; psychometric ", packageVersion("psychometric"), "; multilevel ", packageVersion("multilevel"),
         "; nlme ", packageVersion("nlme"), "."),
  "- Inputs: Reference/example/respondent-scores.csv (the example's scores as R computed them), the school and authority columns of Examples/synthetic-responses.csv, Reference/example/verdicts.csv (which schools pass each scale with the default thresholds), and edge-scores.csv (hand-made).",
  "- t-quantile.csv: `qt(p, df)`. t-critical.csv: `qt((1 + confidence)/2, df)`.",
  "- school-intervals.csv: `t.test(x, conf.level = confidence)$conf.int` over each school's respondents with a score (rows with an empty school left out); empty (no interval) with fewer than 3 respondents, osc-score's rule. authority-intervals.csv: the same over the authority's school means, `included = passing` (schools that pass the scale, the default) or `all` (`--include-all-schools`).",
  "- icc-intervals.csv: `psychometric::ICC1.CI` and `ICC2.CI` (level 0.95; ICC2.CI is 1 - 1/F_L and 1 - 1/F_U with F_L = F/qf(.975, df1, df2), F_U = F qf(.975, df2, df1)), `multilevel::ICC1`, `ICC2` of `aov`; designEffect = 1 + (k - 1) max(ICC(1), 0), k = N/G, and effectiveN = N/designEffect written out (no package computes them from the ANOVA ICC).",
  "- group-mean-reliability.csv: n_j ICC(1)/(1 + (n_j - 1) ICC(1)) with ICC(1) = `multilevel::ICC1(aov)`, empty when ICC(1) <= 0 (Bliese 2000; the formula of `multilevel::gmeanrel`).",
  "- gmeanrel.csv: `multilevel::gmeanrel(lme(y ~ 1, random = ~1 | g, method = \"REML\"))`: its model-based ICC, group sizes and MeanRel, to check the same formula on gmeanrel's own input.",
  "- edge-intervals.csv: the intervals of the edge sets (empty with fewer than 3 values; [mean, mean] for constant data, where t.test stops).",
  "- Numbers printed with `sprintf(\"%.17g\")`; empty = NA."
), file.path(out, "PROVENANCE.md"))
