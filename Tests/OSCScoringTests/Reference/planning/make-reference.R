# Reference values for osc-score's planning (StudyPlanning) and chance
# agreement (RwgJChance). Run: Rscript make-reference.R (writes the CSVs here).
suppressMessages({ library(psychometric); library(multilevel) })
cat(R.version.string, "; psychometric ", as.character(packageVersion("psychometric")),
    "; multilevel ", as.character(packageVersion("multilevel")), "\n", sep = "")

# 1. Spearman-Brown: psychometric::SBrel (reliability of n) and SBlength (n for a target).
grid <- expand.grid(icc1 = c(0.01, 0.05, 0.10, 0.15, 0.25, 0.5, 0.9), n = c(1, 2, 5, 10, 21, 50, 200), target = c(0.5, 0.7, 0.8, 0.95))
grid$sbrel <- SBrel(grid$n, grid$icc1)
grid$sblength <- SBlength(grid$target, grid$icc1)
write.csv(grid, "spearman-brown.csv", row.names = FALSE)

# 2. Power of the one-way random ANOVA F test: the formula with pf/qf, and a
#    simulation of the balanced model (tau^2 = icc, sigma^2 = 1 - icc).
set.seed(20001)
reps <- 20000
designs <- data.frame(icc1 = c(0.10, 0.05, 0.10, 0.02, 0.20, 0.10), n = c(21, 10, 5, 30, 4, 21), g = c(10, 20, 8, 40, 6, 5), alpha = 0.05)
designs$power <- NA; designs$simulated <- NA; designs$se <- NA
for (i in seq_len(nrow(designs))) {
  d <- designs[i, ]
  lambda <- 1 + d$n * d$icc1 / (1 - d$icc1)
  crit <- qf(1 - d$alpha, d$g - 1, d$g * (d$n - 1))
  designs$power[i] <- pf(crit / lambda, d$g - 1, d$g * (d$n - 1), lower.tail = FALSE)
  groups <- rep(seq_len(d$g), each = d$n)
  hits <- 0
  for (r in seq_len(reps)) {
    y <- rep(rnorm(d$g, sd = sqrt(d$icc1)), each = d$n) + rnorm(d$g * d$n, sd = sqrt(1 - d$icc1))
    means <- tapply(y, groups, mean)
    msb <- d$n * sum((means - mean(y))^2) / (d$g - 1)
    msw <- sum((y - means[groups])^2) / (d$g * (d$n - 1))
    hits <- hits + (msb / msw > crit)
  }
  p <- hits / reps
  designs$simulated[i] <- p
  designs$se[i] <- sqrt(p * (1 - p) / reps)
}
write.csv(designs, "power.csv", row.names = FALSE)

# 3. rwg(j) under random answering: multilevel::rwg.j.sim (uniform null) and
#    the same simulation from the skewed nulls' probabilities (5 options).
#    Each row: the type-7 95th percentile of nrep draws, and its Monte Carlo
#    standard error by the order-statistic (binomial) interval width / 3.92.
set.seed(2003)
nrep <- 4000
q95 <- function(x) {
  s <- sort(x); m <- length(x)
  lo <- s[max(1, floor(m * 0.95 - 1.96 * sqrt(m * 0.95 * 0.05)))]
  hi <- s[min(m, ceiling(m * 0.95 + 1.96 * sqrt(m * 0.95 * 0.05)))]
  c(quantile(x, 0.95, type = 7), (hi - lo) / 3.92)
}
cases <- expand.grid(n = c(3, 5, 10, 20), j = c(1, 6, 12))
out <- data.frame()
for (i in seq_len(nrow(cases))) {
  n <- cases$n[i]; j <- cases$j[i]
  if (j == 1) {
    # rwg.j needs two columns: rwg with the same truncation for one item.
    x <- replicate(nrep, { v <- var(sample(1:5, n, replace = TRUE)); 1 - min(v, 2) / 2 })
  } else {
    x <- rwg.j.sim(gsize = n, nitems = j, nresp = 5, nrep = nrep)$rwg
  }
  r <- q95(x)
  out <- rbind(out, data.frame(null = "uniform", n = n, j = j, q95 = r[1], se = r[2], draws = nrep))
}
weights <- list(slight = c(.05, .15, .20, .35, .25), heavy = c(0, 0, .10, .40, .50), triangular = c(.11, .22, .34, .22, .11))
for (shape in names(weights)) {
  p <- weights[[shape]]; ev <- sum((1:5)^2 * p) - sum((1:5) * p)^2
  for (i in seq_len(nrow(cases))) {
    n <- cases$n[i]; j <- cases$j[i]
    x <- replicate(nrep, {
      v <- mean(apply(matrix(sample(1:5, n * j, replace = TRUE, prob = p), ncol = j), 2, var))
      r <- min(v, ev) / ev
      j * (1 - r) / (j * (1 - r) + r)
    })
    r <- q95(x)
    out <- rbind(out, data.frame(null = shape, n = n, j = j, q95 = r[1], se = r[2], draws = nrep))
  }
}
write.csv(out, "rwgj-chance.csv", row.names = FALSE)
