# make-reference.R: regenerates the reference data for the statistics tests.
#
#   Rscript make-reference.R          (run from any directory)
#
# Writes, next to this script, the input data (answers, scores) and the
# values R computes from them, all numbers as sprintf("%.17g") so they read
# back bit for bit, "NA" for a missing value or a result R leaves undefined.
# PROVENANCE.md (also written here) records the R and package versions and
# the exact calls. The Swift tests read the same input files, so Swift never
# re-generates R's random numbers.
#
# Needs: r-base-core, r-cran-multilevel, r-cran-psych, r-cran-gparotation
# (psych::omega loads GPArotation).

suppressPackageStartupMessages({
  library(multilevel)
  library(psych)
})

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
out_dir <- if (length(script) == 1) dirname(normalizePath(script)) else getwd()
started <- Sys.time()

fmt <- function(x) {
  x <- as.numeric(x)
  ifelse(is.na(x), "NA", sprintf("%.17g", x))
}
write_table <- function(df, name) {
  for (j in seq_along(df)) if (is.numeric(df[[j]])) df[[j]] <- fmt(df[[j]])
  write.csv(df, file.path(out_dir, name), row.names = FALSE, quote = FALSE)
}

# ---------------------------------------------------------------------------
# 1. Input data
# ---------------------------------------------------------------------------
set.seed(20240611)
scaleA <- paste0("a", 1:6)   # a six-item scale
scaleB <- paste0("b", 1:3)   # a three-item scale
items <- c(scaleA, scaleB)

clip5 <- function(v) pmin(5, pmax(1, round(v)))

# Synthetic sample: 5 authorities x 8 schools x 5-25 staff, school and
# authority effects, answers 1-5, about 5% of answers missing at random.
make_synthetic <- function() {
  rows <- list()
  authority_effect <- rnorm(5, 0, 0.35)
  for (a in 1:5) for (s in 1:8) {
    n <- sample(5:25, 1)
    school_effect <- rnorm(1, 0, 0.45)
    latentA <- 3.1 + authority_effect[a] + school_effect + rnorm(n, 0, 0.6)
    latentB <- 2.8 - 0.5 * authority_effect[a] + 0.7 * school_effect + rnorm(n, 0, 0.7)
    offsetsA <- c(0, 0.2, -0.3, 0.4, -0.1, 0.1)
    offsetsB <- c(0, 0.3, -0.2)
    block <- cbind(
      sapply(offsetsA, function(o) clip5(latentA + o + rnorm(n, 0, 0.8))),
      sapply(offsetsB, function(o) clip5(latentB + o + rnorm(n, 0, 0.9))))
    colnames(block) <- items
    rows[[length(rows) + 1]] <- data.frame(authority = a, school = a * 100 + s, block)
  }
  d <- do.call(rbind, rows)
  m <- as.matrix(d[, items])
  m[matrix(runif(length(m)) < 0.05, nrow(m))] <- NA
  d[, items] <- m
  d
}
synthetic <- make_synthetic()

# Edge cases, one school per case (authority 9). Each school is documented
# in PROVENANCE.md.
edge_school <- function(id, rows) {
  m <- matrix(unlist(rows), ncol = 9, byrow = TRUE)
  colnames(m) <- items
  data.frame(authority = 9, school = id, m)
}
N <- NA
edge <- rbind(
  # 901 a single respondent
  edge_school(901, list(c(3, 4, 2, 3, 4, 3, 2, 3, 4))),
  # 902 two respondents
  edge_school(902, list(c(3, 4, 2, 3, 4, 3, 2, 3, 4),
                        c(4, 4, 3, 2, 5, 3, 1, 3, 3))),
  # 903 item a1 and b1 constant (all 3), the others vary
  edge_school(903, list(c(3, 4, 2, 3, 4, 3, 3, 2, 4),
                        c(3, 5, 3, 2, 4, 4, 3, 3, 4),
                        c(3, 4, 4, 3, 3, 3, 3, 2, 5),
                        c(3, 3, 3, 4, 4, 2, 3, 4, 4),
                        c(3, 4, 2, 3, 5, 3, 3, 3, 3),
                        c(3, 5, 3, 3, 4, 4, 3, 2, 4))),
  # 904 everyone answers 3 to everything
  edge_school(904, rep(list(rep(3, 9)), 5)),
  # 905 everyone answers 5 (group mean equal to the top of the scale)
  edge_school(905, rep(list(rep(5, 9)), 4)),
  # 906 everyone answers 1 (group mean equal to the bottom of the scale)
  edge_school(906, rep(list(rep(1, 9)), 4)),
  # 907 polarised: half 1, half 5 (variance above the uniform null)
  edge_school(907, list(rep(1, 9), rep(5, 9), rep(1, 9), rep(5, 9), rep(1, 9), rep(5, 9))),
  # 908 item means beyond the awg NA bounds (a1: 4.8 > 4.2; a2: 1.2 < 1.8),
  #     a3 exactly at the lower bound (1.8), b1 mean 4.8, b2 mean 1.2
  edge_school(908, list(c(5, 1, 1, 3, 4, 2, 5, 1, 3),
                        c(5, 1, 1, 4, 4, 3, 5, 1, 3),
                        c(5, 2, 1, 3, 3, 2, 5, 2, 4),
                        c(5, 1, 1, 2, 4, 3, 5, 1, 2),
                        c(4, 1, 5, 3, 5, 2, 4, 1, 3))),
  # 909 items a3 and b2 unanswered by everyone in the school
  edge_school(909, list(c(3, 4, N, 3, 4, 3, 2, N, 4),
                        c(4, 4, N, 2, 5, 3, 1, N, 3),
                        c(2, 3, N, 3, 3, 4, 2, N, 4),
                        c(3, 3, N, 4, 4, 2, 3, N, 3),
                        c(4, 5, N, 3, 4, 3, 2, N, 5))),
  # 910 item a2 and b3 answered by one respondent only
  edge_school(910, list(c(3, 4, 2, 3, 4, 3, 2, 3, 4),
                        c(4, N, 3, 2, 5, 3, 1, 3, N),
                        c(2, N, 3, 3, 3, 4, 2, 2, N),
                        c(3, N, 4, 4, 4, 2, 3, 4, N),
                        c(4, N, 2, 3, 4, 3, 2, 3, N))),
  # 911 one complete respondent; the others each skip a different item
  edge_school(911, list(c(3, 4, 2, 3, 4, 3, 2, 3, 4),
                        c(N, 4, 3, 2, 5, 3, N, 3, 3),
                        c(2, N, 3, 3, 3, 4, 2, N, 4),
                        c(3, 3, N, 4, 4, 2, 3, 4, N))),
  # 912 a respondent who answered nothing, and a pair who did
  edge_school(912, list(rep(N, 9),
                        c(2, 3, 3, 2, 4, 3, 2, 2, 3),
                        c(4, 4, 3, 3, 5, 4, 3, 4, 4))),
  # 913 awg exactly at the upper bound (b3: 5,5,5,5,1 -> M = 4.2) and
  #     variance above the skewed nulls only
  edge_school(913, list(c(3, 4, 3, 3, 4, 3, 3, 3, 5),
                        c(4, 3, 4, 3, 3, 4, 3, 4, 5),
                        c(3, 3, 3, 4, 3, 3, 4, 3, 5),
                        c(4, 4, 3, 3, 4, 3, 3, 3, 5),
                        c(2, 3, 4, 3, 3, 4, 4, 3, 1))),
  # 914 two respondents who answered disjoint items
  edge_school(914, list(c(3, 4, 2, N, N, N, 2, N, N),
                        c(N, N, N, 3, 4, 2, N, 3, 4)))
)
edge$authority <- 9

write_table(synthetic, "synthetic-responses.csv")
write_table(edge, "edge-responses.csv")

# ---------------------------------------------------------------------------
# 2. Within-group agreement
# ---------------------------------------------------------------------------
nulls <- c(uniform = 2, slight = 1.34, moderate = 0.90, heavy = 0.44,
           triangular = 1.32, normal = 1.04)
scales <- list(A6 = scaleA, B3 = scaleB, A2 = c("a1", "a2"), A1 = "a1")

# Pairwise rule, written out item by item (multilevel 2.7 has no pairwise
# option): each item's answers in the group, items with fewer than two
# answers left out, J = the scale's item count.
usable_items <- function(block) {
  cols <- lapply(block, function(v) v[!is.na(v)])
  cols[sapply(cols, length) >= 2]
}
rwgj_pairwise <- function(block, null, lindell = FALSE) {
  cols <- usable_items(block)
  if (length(cols) == 0) return(NA)
  s2 <- mean(sapply(cols, var))
  if (lindell) return(1 - s2 / null)
  J <- ncol(block)
  if (s2 > null) s2 <- null
  J * (1 - s2 / null) / (J * (1 - s2 / null) + s2 / null)
}
awg_item <- function(AW, L = 1, H = 5) {   # multilevel 2.7's per-item awg
  M <- mean(AW); k <- length(AW)
  A.WG <- 1 - ((2 * var(AW)) / (((H + L) * M - (M^2) - (H * L)) * (k / (k - 1))))
  if (M < ((L * (k - 1) + H) / k)) A.WG <- NA
  if (M > ((H * (k - 1) + L) / k)) A.WG <- NA
  if (M == H | M == L) A.WG <- 1
  A.WG
}
awg_pairwise <- function(block) {
  cols <- usable_items(block)
  if (length(cols) == 0) return(NA)
  mean(sapply(cols, awg_item), na.rm = TRUE)
}
ad_pairwise <- function(block, type) {
  cols <- usable_items(block)
  if (length(cols) == 0) return(NA)
  centre <- if (type == "mean") mean else median
  mean(sapply(cols, function(v) sum(abs(v - centre(v))) / length(v)))
}

agreement_rows <- list()
add_rows <- function(dataset, scale, statistic, rule, parameter, school, value) {
  agreement_rows[[length(agreement_rows) + 1]] <<- data.frame(
    dataset = dataset, scale = scale, statistic = statistic, rule = rule,
    parameter = parameter, school = school, value = as.numeric(value))
}
# multilevel output (one row per surviving group) onto every school, NA where
# the group disappeared (no complete rows) or R returned NA/NaN.
by_school <- function(out, column, schools) {
  v <- out[[column]][match(as.character(schools), as.character(out$grpid))]
  as.numeric(v)
}

for (dataset in c("synthetic", "edge")) {
  d <- if (dataset == "synthetic") synthetic else edge
  schools <- sort(unique(d$school))
  for (sname in names(scales)) {
    x <- d[, scales[[sname]], drop = FALSE]
    g <- d$school
    single <- ncol(x) == 1
    for (nname in names(nulls)) {
      v <- nulls[[nname]]
      if (single) {
        # rwg.j stops for a one-column block; rwg is the same formula with J = 1.
        out <- rwg(x[, 1], g, ranvar = v)
        add_rows(dataset, sname, "rwg.j", "listwise", v, schools, by_school(out, "rwg", schools))
      } else {
        out <- rwg.j(x, g, ranvar = v)
        add_rows(dataset, sname, "rwg.j", "listwise", v, schools, by_school(out, "rwg.j", schools))
        out <- rwg.j.lindell(x, g, ranvar = v)
        add_rows(dataset, sname, "rwg.j.lindell", "listwise", v, schools,
                 by_school(out, "rwg.lindell", schools))
      }
      pw <- sapply(schools, function(s) rwgj_pairwise(x[g == s, , drop = FALSE], v))
      add_rows(dataset, sname, "rwg.j", "pairwise", v, schools, pw)
      pw <- sapply(schools, function(s) rwgj_pairwise(x[g == s, , drop = FALSE], v, lindell = TRUE))
      add_rows(dataset, sname, "rwg.j.lindell", "pairwise", v, schools, pw)
    }
    out <- awg(x, g, range = c(1, 5))
    add_rows(dataset, sname, "awg", "listwise", NA, schools, by_school(out, "a.wg", schools))
    pw <- sapply(schools, function(s) awg_pairwise(x[g == s, , drop = FALSE]))
    add_rows(dataset, sname, "awg", "pairwise", NA, schools, pw)
    for (type in c("mean", "median")) {
      out <- ad.m(x, g, type = type)
      add_rows(dataset, sname, paste0("ad.", type), "listwise", NA, schools,
               by_school(out, "AD.M", schools))
      pw <- sapply(schools, function(s) ad_pairwise(x[g == s, , drop = FALSE], type))
      add_rows(dataset, sname, paste0("ad.", type), "pairwise", NA, schools, pw)
    }
  }
  # Single-variable rwg on every item (NA answers dropped per item).
  for (item in items) for (nname in names(nulls)) {
    out <- rwg(d[[item]], d$school, ranvar = nulls[[nname]])
    add_rows(dataset, item, "rwg", "single", nulls[[nname]], schools, by_school(out, "rwg", schools))
  }
}
agreement <- do.call(rbind, agreement_rows)
write_table(agreement, "agreement.csv")

# ---------------------------------------------------------------------------
# 3. ICC(1), ICC(2) from the one-way ANOVA
# ---------------------------------------------------------------------------
score <- function(d, cols) {
  s <- rowMeans(d[, cols, drop = FALSE], na.rm = TRUE)
  s[is.nan(s)] <- NA
  s
}
# A larger unbalanced sample with arbitrary (sparse) group ids.
make_large <- function() {
  G <- 300
  ids <- sample(0:1e6, G)
  sizes <- sample(2:40, G, replace = TRUE)
  effect <- rnorm(G, 0, 0.5)
  grp <- rep(ids, sizes)
  y <- rep(effect, sizes) + rnorm(sum(sizes), 3, 1)
  y[sample(length(y), 40)] <- NA
  data.frame(group = grp, score = y)
}
large <- make_large()
icc_inputs <- rbind(
  data.frame(set = "synthetic-A6-school", group = synthetic$school, score = score(synthetic, scaleA)),
  data.frame(set = "synthetic-A6-authority", group = synthetic$authority, score = score(synthetic, scaleA)),
  data.frame(set = "synthetic-B3-school", group = synthetic$school, score = score(synthetic, scaleB)),
  data.frame(set = "synthetic-B3-authority", group = synthetic$authority, score = score(synthetic, scaleB)),
  data.frame(set = "edge-A6-school", group = edge$school, score = score(edge, scaleA)),
  data.frame(set = "large", group = large$group, score = large$score))
write_table(icc_inputs, "icc-input.csv")

icc_rows <- list()
for (set in unique(icc_inputs$set)) {
  d <- icc_inputs[icc_inputs$set == set, ]
  model <- aov(score ~ as.factor(group), data = d)
  tab <- summary(model)[[1]]
  df1 <- tab[1, 1]; df2 <- tab[2, 1]
  msb <- tab[1, 3]; msw <- tab[2, 3]
  f <- tab[1, 4]; p <- tab[1, 5]
  G <- df1 + 1; n <- df1 + df2 + 1; k <- n / G
  fl <- f / qf(0.975, df1, df2)
  fu <- f * qf(0.975, df2, df1)
  icc_rows[[length(icc_rows) + 1]] <- data.frame(
    set = set, icc1 = ICC1(model), icc2 = ICC2(model), f = f, df1 = df1, df2 = df2,
    p = p, p_pf = pf(f, df1, df2, lower.tail = FALSE), msb = msb, msw = msw, k = k,
    groups = G, n = n,
    icc1_lower = (fl - 1) / (fl + k - 1), icc1_upper = (fu - 1) / (fu + k - 1))
}
write_table(do.call(rbind, icc_rows), "icc.csv")

# ---------------------------------------------------------------------------
# 4. Internal consistency: alpha and omega
# ---------------------------------------------------------------------------
reliability_sets <- list(
  "synthetic-A6" = synthetic[, scaleA],
  "synthetic-B3" = synthetic[, scaleB],
  "synthetic-A2" = synthetic[, c("a1", "a2")],
  "synthetic-A6-complete" = na.omit(synthetic[, scaleA]),
  "authority-3-A6" = synthetic[synthetic$authority == 3, scaleA],
  "school-203-A6" = synthetic[synthetic$school == 203, scaleA],
  "edge-903-A6" = edge[edge$school == 903, scaleA],          # constant item a1
  "edge-910-A6" = edge[edge$school == 910, scaleA])          # a2 answered once
# A continuous one-factor sample (loadings .3 to .8, no missing values).
make_factor <- function() {
  n <- 400
  loadings <- c(0.8, 0.7, 0.6, 0.55, 0.45, 0.3, 0.75, 0.5)
  f <- rnorm(n)
  x <- sapply(loadings, function(l) l * f + sqrt(1 - l^2) * rnorm(n))
  colnames(x) <- paste0("x", seq_along(loadings))
  as.data.frame(x)
}
factor_data <- make_factor()
reliability_sets[["factor-8"]] <- factor_data
reliability_sets[["factor-3"]] <- factor_data[, c(1, 3, 6)]

rel_inputs <- do.call(rbind, lapply(names(reliability_sets), function(nm) {
  x <- as.matrix(reliability_sets[[nm]])
  data.frame(set = nm, row = rep(seq_len(nrow(x)), ncol(x)),
             item = rep(seq_len(ncol(x)), each = nrow(x)), value = as.vector(x))
}))
write_table(rel_inputs, "reliability-input.csv")

alpha_rows <- list(); alpha_item_rows <- list(); omega_rows <- list()
# ULS one-factor fit polished by Newton's method on
# f(l) = sum_{i<j} (r_ij - l_i l_j)^2, started from psych's minres loadings.
uls_polish <- function(R, l) {
  J <- ncol(R)
  for (it in 1:100) {
    E <- R - outer(l, l); diag(E) <- 0
    g <- -2 * as.vector(E %*% l)
    H <- 2 * outer(l, l) - 2 * E
    diag(H) <- 2 * (sum(l^2) - l^2)
    step <- solve(H, g)
    l <- l - step
    if (max(abs(step)) < 1e-15) break
  }
  l
}
for (nm in names(reliability_sets)) {
  x <- reliability_sets[[nm]]
  # psych prints (cat) a note about negatively correlated items; silence it.
  invisible(capture.output(a <- suppressWarnings(suppressMessages(psych::alpha(x)))))
  kept <- rownames(a$alpha.drop)   # psych drops items without variance
  xk <- x[, kept, drop = FALSE]
  C <- cov(xk, use = "pairwise")
  Rp <- cor(xk, use = "pairwise")
  J <- ncol(xk)
  alpha_rows[[length(alpha_rows) + 1]] <- data.frame(
    set = nm, raw_alpha = a$total$raw_alpha,
    std_alpha_psych229 = a$total$std.alpha, average_r_psych229 = a$total$average_r,
    std_alpha_pairwise = (1 - J / sum(Rp)) * J / (J - 1),
    average_r_pairwise = (sum(Rp) - J) / (J * (J - 1)),
    feldt_lower = as.numeric(a$feldt$lower.ci), feldt_upper = as.numeric(a$feldt$upper.ci),
    items_used = J, n = nrow(x))
  st <- a$item.stats
  alpha_item_rows[[length(alpha_item_rows) + 1]] <- data.frame(
    set = nm, item = match(kept, colnames(x)), n = st$n, mean = st$mean, sd = st$sd,
    r_drop = st$r.drop, alpha_drop = a$alpha.drop$raw_alpha)
  om <- NA
  invisible(capture.output(om <- tryCatch(suppressWarnings(suppressMessages(
    omega(x, nfactors = 1, plot = FALSE)$omega.tot)), error = function(e) NA)))
  tight <- NA
  if (!is.na(om) && ncol(x) >= 3) {
    R <- cor(x, use = "pairwise")
    fit <- suppressWarnings(suppressMessages(fa(R, nfactors = 1, fm = "minres")))
    l <- uls_polish(R, as.vector(fit$loadings))
    tight <- (sum(R) - sum(1 - l^2)) / sum(R)
  }
  omega_rows[[length(omega_rows) + 1]] <- data.frame(set = nm, omega_tot = om, omega_uls_polished = tight)
}
write_table(do.call(rbind, alpha_rows), "alpha.csv")
write_table(do.call(rbind, alpha_item_rows), "alpha-items.csv")
write_table(do.call(rbind, omega_rows), "omega.csv")

# ---------------------------------------------------------------------------
# 5. Random group resampling (rgr.agree): only AvGrpVar is reproducible;
#    R's AvRGRVar/SD use R's RNG and are kept for a loose comparison.
# ---------------------------------------------------------------------------
rgr_in <- icc_inputs[icc_inputs$set == "synthetic-A6-school" & !is.na(icc_inputs$score), ]
rgr <- rgr.agree(rgr_in$score, rgr_in$group, nrangrps = 1000 * length(unique(rgr_in$group)))
write_table(data.frame(set = "synthetic-A6-school", replications = 1000,
                       NRanGrp = rgr$NRanGrp, AvRGRVar = rgr$AvRGRVar, SDRGRVar = rgr$SDRGRVar,
                       AvGrpVar = rgr$AvGrpVar, zvalue = rgr$zvalue,
                       total_var = var(rgr_in$score)), "rgr.csv")

# ---------------------------------------------------------------------------
# 6. The F distribution: pf at points reaching tails of 1e-300, and quantiles
# ---------------------------------------------------------------------------
dfs <- c(1, 2, 3, 5, 10, 30, 100, 1000, 1e4, 1e5, 1e6)
# The exact quantile: a root of R's own pf (uniroot on ln x), polished by
# Newton steps with R's df. R's qf is not used: it approximates for df > 4e5.
exact_qf <- function(t, d1, d2, lower) {
  # pf without log.p: with log.p = TRUE, R 4.2.2's pbeta underflows to -Inf
  # (bpser warning) for some large-df tails that are representable (~1e-300).
  lpf <- function(q) log(pf(q, d1, d2, lower.tail = lower))
  h <- function(u) max(-1e4, min(1e4, lpf(exp(u)) - log(t)))
  u <- tryCatch(uniroot(h, c(-705, 705), tol = 1e-12, maxiter = 10000)$root,
                error = function(e) NA)
  if (is.na(u)) return(NA)
  q <- exp(u)
  for (i in 1:6) {
    lt <- lpf(q)
    slope <- exp(df(q, d1, d2, log = TRUE) + log(q) - lt) * (if (lower) 1 else -1)
    if (!is.finite(slope) || slope == 0) break
    q <- q * exp(-(lt - log(t)) / slope)
  }
  q
}
tails <- c(0.5, 0.1, 1e-3, 1e-10, 1e-30, 1e-100, 1e-200, 1e-300)
f_rows <- list(); q_rows <- list()
for (d1 in dfs) for (d2 in dfs) {
  for (t in tails) for (lower in c(TRUE, FALSE)) {
    x <- exact_qf(t, d1, d2, lower)
    if (!is.finite(x) || x <= 0) next
    x <- as.numeric(sprintf("%.17g", x))
    f_rows[[length(f_rows) + 1]] <- data.frame(
      df1 = d1, df2 = d2, x = x, lower = pf(x, d1, d2), upper = pf(x, d1, d2, lower.tail = FALSE))
  }
}
# Non-integer degrees of freedom and arguments around the mean.
for (k in 1:60) {
  d1 <- signif(exp(runif(1, log(1), log(1e6))), 6)
  d2 <- signif(exp(runif(1, log(1), log(1e6))), 6)
  x <- signif(exp(rnorm(1, 0, 1.5)), 8)
  f_rows[[length(f_rows) + 1]] <- data.frame(
    df1 = d1, df2 = d2, x = x, lower = pf(x, d1, d2), upper = pf(x, d1, d2, lower.tail = FALSE))
}
fdist <- do.call(rbind, f_rows)
fdist <- fdist[pmin(fdist$lower, fdist$upper) >= 1e-300, ]
write_table(fdist, "f-distribution.csv")

probabilities <- c(1e-300, 1e-100, 1e-10, 1e-3, 0.025, 0.5, 0.975, 0.999, 1 - 1e-10)
for (d1 in dfs) for (d2 in dfs) for (p in probabilities) {
  lower <- p <= 0.5
  t <- if (lower) p else 1 - p
  q <- exact_qf(t, d1, d2, lower)
  q_rows[[length(q_rows) + 1]] <- data.frame(
    p = p, df1 = d1, df2 = d2, qf = suppressWarnings(qf(p, d1, d2)), exact = q)
}
quant <- do.call(rbind, q_rows)
quant <- quant[is.finite(quant$exact) & quant$exact > 0, ]
write_table(quant, "f-quantile.csv")

# ---------------------------------------------------------------------------
# 7. Provenance
# ---------------------------------------------------------------------------
elapsed <- as.numeric(difftime(Sys.time(), started, units = "secs"))
prov <- c(
  "# Provenance of the statistics reference data",
  "",
  "Regenerate with `Rscript make-reference.R` (this folder). Every file here except",
  "this one and the script is written by the script; do not edit them by hand.",
  "",
  "## Software",
  paste0("- ", R.version.string, " (", R.version$platform, ")"),
  paste0("- multilevel ", packageVersion("multilevel")),
  paste0("- psych ", packageVersion("psych")),
  paste0("- GPArotation ", packageVersion("GPArotation"), " (loaded by psych::omega)"),
  paste0("- RNG: ", paste(RNGkind(), collapse = ", "), "; `set.seed(20240611)`"),
  paste0("- Generated ", format(Sys.time(), "%Y-%m-%d %H:%M:%S %Z"), " in ",
         sprintf("%.1f", elapsed), " s"),
  "",
  "Numbers are written with `sprintf(\"%.17g\")`; `NA` marks a missing answer or an",
  "undefined result (R's NA or NaN, or a group that multilevel drops from its output).",
  "",
  "## Files",
  "- `synthetic-responses.csv`: 5 authorities x 8 schools x 5-25 staff; items a1-a6",
  "  (six-item scale A6) and b1-b3 (three-item scale B3), answers 1-5 from latent",
  "  scores with authority and school effects, about 5% of answers missing at random.",
  "- `edge-responses.csv`: authority 9, one school per edge case: 901 one respondent;",
  "  902 two; 903 items a1 and b1 constant; 904 all answers 3; 905 all 5 (mean at the",
  "  top); 906 all 1 (mean at the bottom); 907 half 1 and half 5 (variance above the",
  "  null: rwg(j) truncated to 0, r*wg(j) negative); 908 item means beyond awg's NA",
  "  bounds and a3 exactly at the lower bound; 909 items a3 and b2 unanswered by the",
  "  whole school (listwise: the school disappears); 910 a2 and b3 answered once;",
  "  911 one complete respondent; 912 one respondent with no answers; 913 b3 mean",
  "  exactly at awg's upper bound; 914 two respondents who answered disjoint items.",
  "- `agreement.csv`: one row per dataset x scale x statistic x rule x parameter x",
  "  school. Scales: A6, B3, A2 (a1, a2: a two-item scale), A1 (a1: a single-item",
  "  scale); `parameter` is the null variance (uniform 2, slight 1.34, moderate 0.90,",
  "  heavy 0.44, triangular 1.32, normal 1.04: LeBreton & Senter 2008, A = 5).",
  "  - rule `listwise`: multilevel itself: `rwg.j(x, school, ranvar)`,",
  "    `rwg.j.lindell(x, school, ranvar)`, `awg(x, school, range = c(1, 5))`,",
  "    `ad.m(x, school, type = \"mean\")`, `ad.m(x, school, type = \"median\")`.",
  "    For the one-item scale A1, `rwg.j` stops (\"argument is of length zero\"), so",
  "    its `rwg.j` rows come from `rwg(x, school, ranvar)` (the same formula at J = 1).",
  "  - rule `pairwise`: multilevel 2.7 has no pairwise option, so these come from the",
  "    explicit per-item R code in the script (`rwgj_pairwise`, `awg_pairwise`,",
  "    `ad_pairwise`): each item's own answers in the school, `var(v)` on the non-NA",
  "    values; items with fewer than two answers left out; J = the scale's item count;",
  "    NA when no item has two answers; awg per item is multilevel 2.7's own code.",
  "  - rule `single`: `rwg(x, school, ranvar)` on one item (`scale` = the item).",
  "- `icc-input.csv`, `icc.csv`: scores are `rowMeans(items, na.rm = TRUE)` (NA when",
  "  no answer); `model <- aov(score ~ as.factor(group))`; `ICC1(model)`,",
  "  `ICC2(model)`; F, df, p, MSB, MSW from `summary(model)`; `p_pf` =",
  "  `pf(F, df1, df2, lower.tail = FALSE)`; k = N/G; the ICC(1) interval as in",
  "  STATISTICS.md with `qf(0.975, df1, df2)` and `qf(0.975, df2, df1)`. Set `large`:",
  "  300 groups of 2-40 with sparse ids in 0-1e6 and 40 missing scores.",
  "- `reliability-input.csv` (long: set, row, item, value), `alpha.csv`,",
  "  `alpha-items.csv`, `omega.csv`:",
  "  - `a <- psych::alpha(x)` (defaults: `use = \"pairwise\"`, no imputation):",
  "    `raw_alpha` = `a$total$raw_alpha`; `feldt_lower/upper` = `a$feldt`",
  "    (n = nrow(x)); per item `a$item.stats` (n, mean, sd, r.drop) and",
  "    `a$alpha.drop$raw_alpha`. psych deletes items without variance (and with",
  "    fewer than two answers) before computing; `items_used` and the item index in",
  "    `alpha-items.csv` show which items remained.",
  "  - `std_alpha_pairwise`, `average_r_pairwise`: NOT from psych. psych 2.2.9",
  "    computes them from `cov2cor(C)` (kept as `*_psych229`); psych >= 2.4 uses the",
  "    pairwise correlation matrix, which is what osc-score documents. They are",
  "    computed here as `Rp <- cor(x, use = \"pairwise\")`,",
  "    `(1 - J/sum(Rp)) * J/(J - 1)` and `(sum(Rp) - J)/(J (J - 1))` on the kept items.",
  "  - `omega_tot` = `omega(x, nfactors = 1, plot = FALSE)$omega.tot` (NA when psych",
  "    fails); `omega_uls_polished`: `fa(cor(x, use = \"pairwise\"), 1, fm = \"minres\")`",
  "    loadings polished by Newton's method on sum_{i<j} (r_ij - l_i l_j)^2",
  "    (`uls_polish`), then (sum(R) - sum(1 - l^2))/sum(R), for sets with 3+ items.",
  "  - Sets: the synthetic A6, B3 and A2 (two items) scales; A6 listwise-complete;",
  "    authority 3; school 203; edge schools 903 (constant item) and 910 (an item",
  "    answered once); `factor-8`/`factor-3`: continuous one-factor data, n = 400.",
  "- `rgr.csv`: `rgr.agree(score, school, nrangrps = 1000 * G)` on the synthetic A6",
  "  school scores without NA. Only `AvGrpVar` is reproducible outside R's RNG.",
  "- `f-distribution.csv`: `pf(x, df1, df2)` and `pf(x, df1, df2, lower.tail = FALSE)`",
  "  for df1, df2 in {1, 2, 3, 5, 10, 30, 100, 1e3, 1e4, 1e5, 1e6} at the points where",
  "  either tail equals 0.5, 0.1, 1e-3, 1e-10, 1e-30, 1e-100, 1e-200, 1e-300 (found by",
  "  `exact_qf`), plus 60 random non-integer (df1, df2, x) triples; rows whose smaller",
  "  tail is below 1e-300 are dropped.",
  "- `f-quantile.csv`: `qf(p, df1, df2)` and `exact` = `exact_qf`: `uniroot` on",
  "  ln x of `log(pf(x, ...))` (tol 1e-12) polished by six Newton steps with R's",
  "  `df`. The two differ where R's `qf` is not exact: df > 4e5 (it returns a",
  "  `qchisq` approximation) and tiny quantiles (`1/qbeta - 1` cancels; e.g.",
  "  `qf(1e-100, 1, 5)` is 0, the true value 1.7e-200). `pf(..., log.p = TRUE)` is",
  "  avoided because R 4.2.2's pbeta underflows to -Inf there for some large-df",
  "  tails near 1e-300 (warning from `bpser`) and misled the root search.",
  "",
  "## Peer quirks seen while making these files",
  "- multilevel 2.7 `rwg.j` stops for a one-column x (\"argument is of length zero\");",
  "  `awg`'s `avg.grp.var` is the mean of the whole covariance matrix, not of the item",
  "  variances; all multi-item indices are listwise; `rgr.agree` runs",
  "  round(nrangrps / G) replications and has no NA handling.",
  "- psych 2.2.9 `alpha`: `std.alpha` and `average_r` come from `cov2cor(C)`, not the",
  "  pairwise `cor` (psych >= 2.4); for two items `alpha.drop$raw_alpha` is C12/C22 and",
  "  C12/C11 (not an alpha); items without variance are dropped and Feldt's interval",
  "  uses the reduced item count; the note about negatively correlated items is",
  "  printed with `cat`, so it cannot be silenced with `suppressMessages`.",
  "- psych 2.2.9 `omega(nfactors = 1)`: the L-BFGS-B fit stops up to 3.4e-7 (in",
  "  omega) short of the minres optimum (`factor-3`); with two items the factor is not",
  "  identified and the fit lands on equal loadings (omega = standardized alpha);",
  "  in Heywood cases the reported loadings can exceed 1 despite the uniqueness bound.",
  "- R 4.2.2 `qf`: for df > 4e5 it returns a chi-square approximation (relative error",
  "  median 1.6e-5, up to 2e-2 in the far tails here); small quantiles lose precision",
  "  or become 0 (`1/qbeta - 1`).")
writeLines(prov, file.path(out_dir, "PROVENANCE.md"))
cat(sprintf("make-reference.R finished in %.1f s\n", elapsed))
