#!/usr/bin/env Rscript
# Regenerates the reference values for the shipped example
# (Examples/synthetic-responses.csv scored with Examples/demo-key.csv and
# Scales/osc.json): respondent, school and authority scores computed in base
# R, and the reliability, ICC and agreement statistics from psych and
# multilevel, so that the whole osc-score pipeline is checked end to end.
#
# Run from the repository root:
#   Rscript Tests/OSCScoringTests/Reference/example/make-reference.R
# Needs: R >= 4.0, jsonlite, psych, multilevel, GPArotation, lme4
# (Debian: r-base-core r-cran-jsonlite r-cran-psych r-cran-multilevel r-cran-gparotation).
#
# Rules mirrored (README, "Scoring"): a cell is an answer when it is a whole
# number from 1 to 5 (written "3" or "3.0"); anything else is missing.
# Reverse-keyed answers are 6 - x. A respondent's scale score is the mean of
# the answered items of the scale when at least ceiling(0.5 * J) are
# answered. School: n, mean, sd (n - 1) of the scores of its rows; rows with
# an empty school are left out. Authority: mean and sd of its school means,
# and the mean over its respondents.

suppressMessages({ library(jsonlite); library(psych); library(multilevel); library(lme4) })
out <- "Tests/OSCScoringTests/Reference/example"
min_answered <- 0.5

instrument <- fromJSON("Scales/osc.json", simplifyVector = FALSE)
key <- read.csv("Examples/demo-key.csv", comment.char = "#", colClasses = "character")
data <- read.csv("Examples/synthetic-responses.csv", colClasses = "character",
                 na.strings = character(0), check.names = FALSE)

# Answers: whole numbers on 1..5, otherwise NA.
answers <- sapply(key$column, function(col) {
  v <- trimws(data[[col]])
  ok <- grepl("^[+-]?[0-9]+(\\.0*)?$", v)
  x <- suppressWarnings(as.numeric(ifelse(ok, v, NA)))
  x[!is.na(x) & (x < 1 | x > 5)] <- NA
  x
})
reverse <- tolower(key$reverse) %in% c("true", "yes", "1", "y", "t")
answers[, reverse] <- 6 - answers[, reverse]
colnames(answers) <- key$item

# Items of each scale: a leaf's from the key, a parent's from its children.
scales <- instrument$scales
ids <- vapply(scales, function(s) s$id, "")
items_of <- function(id) {
  s <- scales[[match(id, ids)]]
  if (length(s$scales) == 0) return(key$item[key$scale == id])
  unique(unlist(lapply(unlist(s$scales), items_of)))
}
scores <- sapply(ids, function(id) {
  block <- answers[, items_of(id), drop = FALSE]
  answered <- rowSums(!is.na(block))
  required <- max(1, ceiling(min_answered * ncol(block) - 1e-9))
  ifelse(answered >= required, rowMeans(block, na.rm = TRUE), NA)
})

fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
respondents <- data.frame(line = seq_len(nrow(data)) + 1, check.names = FALSE)
for (id in ids) respondents[[id]] <- fmt(scores[, id])
write.csv(respondents, file.path(out, "respondent-scores.csv"), row.names = FALSE, quote = FALSE)

school <- trimws(data$school)
authority <- trimws(data$authority)
in_school <- school != ""
keys <- unique(data.frame(authority = authority[in_school], school = school[in_school]))
school_rows <- list()
for (j in seq_len(nrow(keys))) {
  rows <- which(authority == keys$authority[j] & school == keys$school[j])
  row <- list(authority = keys$authority[j], school = keys$school[j])
  for (id in ids) {
    v <- scores[rows, id]
    v <- v[!is.na(v)]
    row[[paste0(id, "_n")]] <- length(v)
    row[[paste0(id, "_mean")]] <- fmt(if (length(v)) mean(v) else NA)
    row[[paste0(id, "_sd")]] <- fmt(if (length(v) > 1) sd(v) else NA)
  }
  school_rows[[j]] <- as.data.frame(row, check.names = FALSE)
}
schools <- do.call(rbind, school_rows)
write.csv(schools, file.path(out, "school-scores.csv"), row.names = FALSE, quote = FALSE)

authority_rows <- list()
for (a in unique(keys$authority)) {
  row <- list(authority = a)
  for (id in ids) {
    means <- as.numeric(schools[schools$authority == a, paste0(id, "_mean")])
    means <- means[!is.na(means)]
    v <- scores[in_school & authority == a, id]
    v <- v[!is.na(v)]
    row[[paste0(id, "_mean")]] <- fmt(mean(means))
    row[[paste0(id, "_sd")]] <- fmt(if (length(means) > 1) sd(means) else NA)
    row[[paste0(id, "_respondentMean")]] <- fmt(mean(v))
  }
  authority_rows[[length(authority_rows) + 1]] <- as.data.frame(row, check.names = FALSE)
}
write.csv(do.call(rbind, authority_rows), file.path(out, "authority-scores.csv"), row.names = FALSE, quote = FALSE)


# ---------------------------------------------------------------------------
# Reliability over every data row (psych alpha and omega, pairwise).
fmt_row <- function(df) { for (k in names(df)) if (is.numeric(df[[k]])) df[[k]] <- fmt(df[[k]]); df }
scale_rows <- list(); item_rows <- list()
for (id in ids) {
  block <- answers[, items_of(id), drop = FALSE]
  J <- ncol(block)
  if (J < 2) {
    scale_rows[[id]] <- data.frame(scale = id, alpha = NA, alpha_lower = NA, alpha_upper = NA,
                                   std_alpha = NA, average_r = NA, omega = NA)
    next
  }
  a <- suppressWarnings(alpha(block, check.keys = FALSE, warnings = FALSE))
  R <- cor(block, use = "pairwise")   # psych >= 2.4 standardizes with the pairwise cor
  om <- suppressWarnings(suppressMessages(omega(block, nfactors = 1, plot = FALSE)))$omega.tot
  scale_rows[[id]] <- data.frame(scale = id, alpha = a$total$raw_alpha,
    alpha_lower = as.numeric(a$feldt$lower.ci), alpha_upper = as.numeric(a$feldt$upper.ci),
    std_alpha = (1 - J / sum(R)) * J / (J - 1), average_r = (sum(R) - J) / (J * (J - 1)), omega = om)
  item_rows[[id]] <- data.frame(scale = id, item = colnames(block), r_drop = a$item.stats$r.drop,
    alpha_if_deleted = if (J > 2) a$alpha.drop$raw_alpha else NA,
    mean = a$item.stats$mean, sd = a$item.stats$sd, n = colSums(!is.na(block)))
}
write.csv(fmt_row(do.call(rbind, scale_rows)), file.path(out, "reliability.csv"), row.names = FALSE, quote = FALSE, na = "")
write.csv(fmt_row(do.call(rbind, item_rows)), file.path(out, "reliability-items.csv"), row.names = FALSE, quote = FALSE, na = "")

# ICC(1), ICC(2), F and its interval from the one-way ANOVA of scale scores.
school_group <- ifelse(in_school, paste(authority, school, sep = "|"), NA)
authority_group <- ifelse(in_school & authority != "", authority, NA)
icc_rows <- list()
for (id in ids) for (level in c("school", "authority")) {
  g <- if (level == "school") school_group else authority_group
  keep <- !is.na(g) & !is.na(scores[, id])
  y <- scores[keep, id]; grp <- as.factor(g[keep])
  model <- aov(y ~ grp)
  tab <- summary(model)[[1]]
  f <- tab[1, "F value"]; df1 <- tab[1, "Df"]; df2 <- tab[2, "Df"]
  k <- length(y) / nlevels(grp)
  fl <- f / qf(0.975, df1, df2); fu <- f * qf(0.975, df2, df1)
  icc_rows[[length(icc_rows) + 1]] <- data.frame(scale = id, level = level, icc1 = ICC1(model), icc2 = ICC2(model),
    f = f, df1 = df1, df2 = df2, p = tab[1, "Pr(>F)"],
    icc1_lower = (fl - 1) / (fl + k - 1), icc1_upper = (fu - 1) / (fu + k - 1))
}
write.csv(fmt_row(do.call(rbind, icc_rows)), file.path(out, "icc.csv"), row.names = FALSE, quote = FALSE, na = "")

# Within-group agreement per school and authority, uniform null (A = 5: 2).
# listwise: multilevel's own functions on the complete respondents.
# pairwise: each item's own answers; rwg(j) written out (multilevel 2.7 has
# no pairwise rule), awg and AD from multilevel's single-item functions.
null_variance <- 2
by_group <- function(res, column, groups) { v <- setNames(res[[column]], as.character(res$grpid)); unname(v[groups]) }
agreement_rows <- list()
for (level in c("school", "authority")) {
  g <- if (level == "school") school_group else authority_group
  groups <- sort(unique(g[!is.na(g)]))
  for (id in ids) {
    block <- answers[, items_of(id), drop = FALSE]
    J <- ncol(block)
    # Listwise.
    complete <- !is.na(g) & rowSums(is.na(block)) == 0
    cb <- block[complete, , drop = FALSE]; cg <- g[complete]
    lw <- data.frame(rwgj = rep(NA_real_, length(groups)), rwgj_star = NA_real_, rwg = NA_real_, awg = NA_real_, ad_mean = NA_real_, ad_median = NA_real_)
    sizes <- table(cg)
    multi <- names(sizes)[sizes >= 2]
    if (length(multi) > 0) {
      sel <- cg %in% multi
      b2 <- cb[sel, , drop = FALSE]; g2 <- cg[sel]
      if (J > 1) {
        lw$rwgj <- by_group(rwg.j(b2, g2, null_variance), "rwg.j", groups)
        lw$rwgj_star <- by_group(rwg.j.lindell(b2, g2, null_variance), "rwg.lindell", groups)
        lw$awg <- by_group(awg(b2, g2, range = c(1, 5)), "a.wg", groups)
      } else {
        lw$rwgj <- by_group(rwg(b2[, 1], g2, null_variance), "rwg", groups)
        lw$rwgj_star <- 1 - tapply(b2[, 1], g2, var)[groups] / null_variance
        lw$awg <- by_group(awg(b2[, 1], g2, range = c(1, 5)), "a.wg", groups)
      }
      lw$rwg <- by_group(rwg(rowMeans(b2), g2, null_variance), "rwg", groups)
      lw$ad_mean <- by_group(ad.m(b2, g2, type = "mean"), "AD.M", groups)
      lw$ad_median <- by_group(ad.m(b2, g2, type = "median"), "AD.M", groups)
    }
    # Pairwise.
    pw <- data.frame(rwgj = rep(NA_real_, length(groups)), rwgj_star = NA_real_, rwg = NA_real_, awg = NA_real_, ad_mean = NA_real_, ad_median = NA_real_)
    for (i in seq_along(groups)) {
      rows <- which(g == groups[i])
      items <- lapply(seq_len(J), function(k) { v <- block[rows, k]; v[!is.na(v)] })
      usable <- items[vapply(items, length, 0L) >= 2]
      if (length(usable) > 0) {
        s2 <- mean(vapply(usable, var, 0))
        pw$rwgj_star[i] <- 1 - s2 / null_variance
        s2t <- min(s2, null_variance)
        pw$rwgj[i] <- J * (1 - s2t / null_variance) / (J * (1 - s2t / null_variance) + s2t / null_variance)
        pw$awg[i] <- mean(vapply(usable, function(v) awg(v, rep(1, length(v)), range = c(1, 5))$a.wg, 0), na.rm = TRUE)
        pw$ad_mean[i] <- mean(vapply(usable, function(v) ad.m(v, rep(1, length(v)), type = "mean")$AD.M, 0))
        pw$ad_median[i] <- mean(vapply(usable, function(v) ad.m(v, rep(1, length(v)), type = "median")$AD.M, 0))
      }
      sc <- scores[rows, id]; sc <- sc[!is.na(sc)]
      if (length(sc) >= 2) pw$rwg[i] <- rwg(sc, rep(1, length(sc)), null_variance)$rwg
    }
    pw$awg[is.nan(pw$awg)] <- NA
    for (rule in c("listwise", "pairwise")) {
      v <- if (rule == "listwise") lw else pw
      agreement_rows[[length(agreement_rows) + 1]] <- data.frame(level = level, group = groups, scale = id, rule = rule, v)
    }
  }
}
write.csv(fmt_row(do.call(rbind, agreement_rows)), file.path(out, "agreement.csv"), row.names = FALSE, quote = FALSE, na = "")


# ---------------------------------------------------------------------------
# Aggregation verdicts with the default thresholds (README, "Aggregation
# verdicts"): a school passes a scale when at least 3 respondents have a score
# and its pairwise rwg(j) is at least 0.70; authority means use the schools
# that pass; a level is justified when ICC(1) > 0, p < 0.05 and ICC(2) >= 0.70.
min_respondents <- 3; rwg_threshold <- 0.70; alpha_level <- 0.05; icc2_threshold <- 0.70
agreement <- do.call(rbind, agreement_rows)
pairwise_school <- agreement[agreement$level == "school" & agreement$rule == "pairwise", ]
verdict_rows <- list()
for (k in seq_len(nrow(pairwise_school))) {
  row <- pairwise_school[k, ]
  parts <- strsplit(row$group, "|", fixed = TRUE)[[1]]
  n <- as.numeric(schools[schools$authority == parts[1] & schools$school == parts[2], paste0(row$scale, "_n")])
  ok <- n >= min_respondents && !is.na(row$rwgj) && row$rwgj >= rwg_threshold
  verdict_rows[[k]] <- data.frame(authority = parts[1], school = parts[2], scale = row$scale, aggregate = as.integer(ok))
}
verdicts <- do.call(rbind, verdict_rows)
write.csv(verdicts, file.path(out, "verdicts.csv"), row.names = FALSE, quote = FALSE)

included_rows <- list()
for (a in unique(keys$authority)) for (id in ids) {
  pass <- verdicts$school[verdicts$authority == a & verdicts$scale == id & verdicts$aggregate == 1]
  fail <- verdicts$school[verdicts$authority == a & verdicts$scale == id & verdicts$aggregate == 0]
  means <- as.numeric(schools[schools$authority == a & schools$school %in% pass, paste0(id, "_mean")])
  means <- means[!is.na(means)]
  v <- scores[in_school & authority == a & school %in% pass, id]
  v <- v[!is.na(v)]
  included_rows[[length(included_rows) + 1]] <- data.frame(authority = a, scale = id, schools = length(means),
    excluded = paste(sort(fail), collapse = " "), mean = if (length(means)) mean(means) else NA,
    sd = if (length(means) > 1) sd(means) else NA, respondentMean = if (length(v)) mean(v) else NA)
}
write.csv(fmt_row(do.call(rbind, included_rows)), file.path(out, "authority-verdict-scores.csv"), row.names = FALSE, quote = FALSE, na = "")

iccs <- do.call(rbind, icc_rows)
iccs$justified <- as.integer(iccs$icc1 > 0 & iccs$p < alpha_level & iccs$icc2 >= icc2_threshold)
write.csv(iccs[, c("scale", "level", "justified")], file.path(out, "level-verdicts.csv"), row.names = FALSE, quote = FALSE)


# ---------------------------------------------------------------------------
# Three-level variance partition by REML, lme4 with a tight optimiser (lme4's
# default stops about 1e-5 short of the optimum). Rows: a score, a school and
# an authority.
tight <- lmerControl(optimizer = "bobyqa", optCtrl = list(rhobeg = 0.2, rhoend = 1e-12, maxfun = 1e5))
variance_rows <- list()
for (id in ids) {
  keep <- !is.na(scores[, id]) & in_school & authority != ""
  d <- data.frame(score = scores[keep, id], authority = factor(authority[keep]), school = factor(paste(authority, school)[keep]))
  fit <- suppressMessages(suppressWarnings(lmer(score ~ 1 + (1 | authority/school), d, REML = TRUE, control = tight)))
  vc <- as.data.frame(VarCorr(fit))
  v_school <- vc$vcov[vc$grp == "school:authority"]; v_authority <- vc$vcov[vc$grp == "authority"]; v_residual <- vc$vcov[vc$grp == "Residual"]
  variance_rows[[id]] <- data.frame(scale = id, authority = v_authority, school = v_school, residual = v_residual,
    intercept = unname(fixef(fit)[1]), reml = REMLcrit(fit), singular = as.integer(isSingular(fit)))
}
write.csv(fmt_row(do.call(rbind, variance_rows)), file.path(out, "variance.csv"), row.names = FALSE, quote = FALSE, na = "")

writeLines(c(
  "# Provenance of the example reference values",
  "",
  paste0("- Generated: ", format(Sys.Date()), " by `Rscript Tests/OSCScoringTests/Reference/example/make-reference.R` (run from the repository root)."),
  paste0("- ", R.version.string, "; jsonlite ", packageVersion("jsonlite"), "; psych ", packageVersion("psych"),
         "; multilevel ", packageVersion("multilevel"), "; GPArotation ", packageVersion("GPArotation"), "."),
  "- Input: Examples/synthetic-responses.csv (synthetic), Examples/demo-key.csv (synthetic demo key, not the OSC key), Scales/osc.json.",
  "- Calls: base R `read.csv`, `rowMeans(na.rm = TRUE)`, `mean`, `sd`; no package computes the scores, so the rules are written out in the script.",
  "- Files: respondent-scores.csv (by file line), school-scores.csv, authority-scores.csv; numbers printed with `sprintf(\"%.17g\")`, empty = NA.",
  "- reliability.csv, reliability-items.csv: over all 906 data rows, keyed answers; `psych::alpha(block, check.keys = FALSE)` (`$total$raw_alpha`, `$feldt$lower.ci`/`upper.ci`, `$item.stats$r.drop`, `$alpha.drop$raw_alpha`, `$item.stats$mean`/`sd`); standardized alpha and average r from `cor(block, use = \"pairwise\")` with (1 - J/1'R1) J/(J-1) and (1'R1 - J)/(J(J-1)) (psych >= 2.4 behaviour; Debian's psych 2.2.9 uses cov2cor); omega = `psych::omega(block, nfactors = 1)$omega.tot`.",
  "- icc.csv: `multilevel::ICC1(aov(y ~ as.factor(g)))`, `ICC2(...)`, F, df and p from `summary(aov)`; the ICC(1) interval FL = F/qf(.975, df1, df2), FU = F*qf(.975, df2, df1), (F - 1)/(F + k - 1), k = N/G. Groups: school = authority|school over rows with a school; authority over rows with a school and an authority; rows without a score left out.",
  "- verdicts.csv, authority-verdict-scores.csv, level-verdicts.csv: the aggregation verdicts with the default thresholds (at least 3 respondents with a score and pairwise rwg(j) >= 0.70 per school and scale; authority means, SD of school means and respondent means over the schools that pass; a level justified when ICC(1) > 0, p < 0.05 and ICC(2) >= 0.70), written out in base R from the values above.",
  paste0("- variance.csv: `lme4::lmer(score ~ 1 + (1 | authority/school), REML = TRUE, control = lmerControl(optimizer = \"bobyqa\", optCtrl = list(rhobeg = 0.2, rhoend = 1e-12, maxfun = 1e5)))` per scale over the respondents with a score, a school and an authority; `as.data.frame(VarCorr(fit))$vcov`, `fixef`, `REMLcrit`, `isSingular`. lme4 ", as.character(packageVersion("lme4")), "."),
  "- agreement.csv: uniform null variance 2. listwise = `multilevel::rwg.j`, `rwg.j.lindell`, `rwg` (of the complete respondents' means), `awg(range = c(1, 5))`, `ad.m(type = \"mean\"/\"median\")` on the respondents who answered every item (groups with one complete respondent NA). pairwise = each item's own answers in the group, items with fewer than two left out: rwg(j) written out from the item variances (J = the scale's item count), awg and AD from multilevel's functions on each item's answers, averaged; rwg from `multilevel::rwg` on the respondents' scale scores."
), file.path(out, "PROVENANCE.md"))
cat("reference files written to", out, "\n")
