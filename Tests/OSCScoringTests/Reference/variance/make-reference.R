# make-reference.R: regenerates the reference data for the REML variance partition.
#
#   Rscript make-reference.R          (run from any directory)
#
# Writes, next to this script, the input scores (variance-input.csv) and
# lme4's REML fits of them (variance.csv), all numbers as sprintf("%.17g") so
# they read back bit for bit, "NA" for a missing value. PROVENANCE.md (also
# written here) records the R and package versions and the exact calls. The
# Swift tests read the same input file, so Swift never re-generates R's
# random numbers.
#
# Needs: r-base-core, r-cran-lme4 (with Matrix, minqa, nloptr), r-cran-numderiv.

suppressPackageStartupMessages({
  library(lme4)
  library(numDeriv)
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
seed <- 20240612
set.seed(seed)
clip5 <- function(v) pmin(5, pmax(1, round(v)))

# A respondent's score: the mean of six answers 1-5 around a latent value
# (authority effect + school effect + person effect), as an OSC scale score.
item_mean <- function(latent) {
  offsets <- c(0, 0.2, -0.3, 0.4, -0.1, 0.1)
  answers <- sapply(offsets, function(o) clip5(latent + o + rnorm(length(latent), 0, 0.8)))
  rowMeans(matrix(answers, nrow = length(latent)))
}

# schools_per_authority: a vector (one entry per authority); size(): staff
# per school; school_id(a, s): the id of school s of authority a.
make_set <- function(schools_per_authority, size, sd_authority, sd_school, sd_person = 0.55,
                     school_id = function(a, s) a * 100 + s) {
  rows <- list()
  ea <- rnorm(length(schools_per_authority), 0, sd_authority)
  for (a in seq_along(schools_per_authority)) for (s in seq_len(schools_per_authority[a])) {
    n <- size()
    es <- rnorm(1, 0, sd_school)
    latent <- 3.1 + ea[a] + es + rnorm(n, 0, sd_person)
    rows[[length(rows) + 1]] <- data.frame(authority = a, school = school_id(a, s),
                                           score = item_mean(latent))
  }
  do.call(rbind, rows)
}

# Moves every school's mean to its authority's mean (no school variance left
# in the sample), or every authority's mean to the grand mean.
equalise_schools <- function(d) {
  school_mean <- ave(d$score, d$authority, d$school)
  authority_mean <- ave(d$score, d$authority)
  d$score <- d$score - school_mean + authority_mean
  d
}
equalise_authorities <- function(d) {
  d$score <- d$score - ave(d$score, d$authority) + mean(d$score)
  d
}

tight <- lmerControl(optimizer = "bobyqa", optCtrl = list(rhobeg = 0.2, rhoend = 1e-12, maxfun = 1e5))

sets <- list()
notes <- list()

# (1) balanced-ish: 5 authorities x 10 schools x 5-30 staff.
sets$balanced <- make_set(rep(10, 5), function() sample(5:30, 1), 0.30, 0.35)
notes$balanced <- "5 authorities x 10 schools x 5-30 staff; latent authority SD 0.30, school SD 0.35, person SD 0.55."

# (2) strongly unbalanced: 12 authorities with 1-15 schools, schools of 1-60
# staff (mostly small); school ids 1..k repeat across authorities.
sets$unbalanced <- make_set(c(1, 15, 2, 9, 1, 4, 12, 3, 7, 1, 5, 14),
                            function() sample(1:60, 1, prob = 1 / (1:60)), 0.45, 0.30,
                            school_id = function(a, s) s)
notes$unbalanced <- paste("12 authorities with 1-15 schools (three with one school), schools of 1-60 staff",
                          "(P(n) proportional to 1/n), latent authority SD 0.45, school SD 0.30; school ids 1..k repeat in every authority, so",
                          "schools are told apart by (authority, school), as lme4's authority/school does.")

# (3) authority variance at the boundary: no authority effect and the
# authority means moved to the grand mean.
sets$`authority-boundary` <- equalise_authorities(make_set(rep(8, 6), function() sample(4:25, 1), 0, 0.35))
notes$`authority-boundary` <- "6 authorities x 8 schools x 4-25 staff; no authority effect and authority means equalised."

# (3b) the same without the equalising: the first data set generated with no
# authority effect whose tight REML fit puts the authority variance at 0.
repeat {
  d <- make_set(rep(6, 5), function() sample(4:20, 1), 0, 0.35)
  fit <- suppressMessages(suppressWarnings(lmer(score ~ 1 + (1 | authority/school), d, REML = TRUE, control = tight)))
  vc <- as.data.frame(VarCorr(fit))
  if (vc$vcov[vc$grp == "authority"] == 0) break
}
sets$`authority-boundary-natural` <- d
notes$`authority-boundary-natural` <- paste("5 authorities x 6 schools x 4-20 staff, no authority effect: the first",
                                           "draw whose tight fit gives authority variance exactly 0.")

# (4) school variance at the boundary: no school effect, school means moved
# to their authority's mean.
sets$`school-boundary` <- equalise_schools(make_set(rep(7, 6), function() sample(4:25, 1), 0.35, 0))
notes$`school-boundary` <- "6 authorities x 7 schools x 4-25 staff; no school effect and school means equalised within authority."

# Both at the boundary.
sets$null <- equalise_schools(equalise_authorities(make_set(rep(5, 4), function() sample(4:15, 1), 0, 0)))
notes$null <- "4 authorities x 5 schools x 4-15 staff; no effects, school and authority means all equal."

# (5) two-level data: 40 schools of 3-40 staff (authority column 0).
two <- make_set(40, function() sample(3:40, 1), 0, 0.4, school_id = function(a, s) 500 + s)
two$authority <- 0
sets$`two-level` <- two
notes$`two-level` <- "40 schools x 3-40 staff, no authorities (authority column 0)."
two <- equalise_schools(make_set(25, function() sample(3:20, 1), 0, 0, school_id = function(a, s) 700 + s))
two$authority <- 0
sets$`two-level-boundary` <- two
notes$`two-level-boundary` <- "25 schools x 3-20 staff, school means equalised (school variance at 0)."

# (6) missing scores, schools of one respondent, negative ids.
d <- make_set(c(6, 5, 7, 4), function() sample(c(1, 1, 2:20), 1), 0.3, 0.3)
d$score[sample(nrow(d), round(0.08 * nrow(d)))] <- NA
single <- which(!is.na(d$score))[1]
d <- rbind(d, data.frame(authority = c(2, 3, 3, -1, 4), school = c(290, 390, 391, 104, -1),
                         score = c(NA, 2.5, NA, 4.5, 1.5)))
sets$`missing-and-singletons` <- d
notes$`missing-and-singletons` <- paste("4 authorities with 4-7 schools of 1-20 staff (many of 1), 8% of scores NA;",
                                        "plus school 290 (only an NA score: disappears), 390 (one respondent), 391",
                                        "(NA), a row with authority -1 and one with school -1 (both dropped).")

# A larger set for precision at scale.
sets$large <- make_set(sample(5:20, 30, replace = TRUE), function() sample(2:50, 1), 0.2, 0.3)
notes$large <- "30 authorities x 5-20 schools x 2-50 staff."

# ---------------------------------------------------------------------------
# 2. Fits
# ---------------------------------------------------------------------------
fits <- list()
describe <- function(fit, set, model, fitname, warnings) {
  vc <- as.data.frame(VarCorr(fit))
  get <- function(g) if (any(vc$grp == g)) vc$vcov[vc$grp == g] else NA
  th <- getME(fit, "theta")
  data.frame(set = set, model = model, fit = fitname,
             authority = get("authority"),
             school = if (model == "three-level") get("school:authority") else get("school"),
             residual = get("Residual"),
             intercept = unname(fixef(fit)[1]),
             reml_crit = REMLcrit(fit),
             singular = isSingular(fit),
             theta_school = unname(th[1]),
             theta_authority = if (length(th) > 1) unname(th[2]) else NA,
             respondents = nobs(fit),
             schools = unname(ngrps(fit)[if (model == "three-level") "school:authority" else "school"]),
             authorities = if (model == "three-level") unname(ngrps(fit)["authority"]) else NA,
             evaluations = fit@optinfo$feval,
             warnings = length(warnings))
}
lmer_quietly <- function(formula, d, control) {
  warnings <- character(0)
  fit <- withCallingHandlers(
    suppressMessages(lmer(formula, d, REML = TRUE, control = control)),
    warning = function(w) { warnings <<- c(warnings, conditionMessage(w)); invokeRestart("muffleWarning") })
  list(fit = fit, warnings = warnings)
}
# lme4's own REML deviance function, minimised further from the tight fit by
# Newton steps on the components of theta above 1e-6 (the others held at 0),
# with Richardson-extrapolated numDeriv derivatives. BOBYQA works from
# function values alone, so it stops where the criterion's rounding noise
# (~1e-13 relative) hides the slope: about 1e-7 in theta. Central differences
# over a wide step see through that noise to about 1e-10.
polish <- function(tight_fit, formula, d) {
  lmod <- lFormula(formula, d, REML = TRUE)
  devfun <- do.call(mkLmerDevfun, lmod)
  th <- getME(tight_fit, "theta")
  free <- th > 1e-6
  th[!free] <- 0
  f <- function(x) { t <- th; t[free] <- x; devfun(t) }
  steps <- 0
  if (any(free)) for (i in 1:8) {
    g <- grad(f, th[free], method.args = list(d = 1e-2, r = 6))
    h <- hessian(f, th[free])
    th[free] <- th[free] - solve(h, g)
    steps <- i
  }
  opt <- list(par = th, fval = devfun(th), conv = 0, feval = steps, message = "polished")
  mkMerMod(environment(devfun), opt, lmod$reTrms, fr = lmod$fr)
}
record <- function(set, model, d, formula) {
  default <- lmer_quietly(formula, d, default_control)
  tight_fit <- lmer_quietly(formula, d, tight)
  rbind(describe(default$fit, set, model, "default", default$warnings),
        describe(tight_fit$fit, set, model, "tight", tight_fit$warnings),
        describe(polish(tight_fit$fit, formula, d), set, model, "polished", character(0)))
}
default_control <- lmerControl()
for (name in names(sets)) {
  raw <- sets[[name]]
  # osc-score drops rows with a negative id: both ids for the three-level
  # model, the school id for the two-level one (which has no authorities).
  d <- raw[raw$authority >= 0 & raw$school >= 0, ]
  d$authority <- factor(d$authority)
  d$school <- factor(d$school)
  if (nlevels(d$authority) > 1) {
    f3 <- score ~ 1 + (1 | authority/school)
    fits[[length(fits) + 1]] <- record(name, "three-level", d, f3)
  }
  if (name != "unbalanced") {   # its school ids repeat across authorities
    d <- raw[raw$school >= 0, ]
    d$school <- factor(d$school)
    f2 <- score ~ 1 + (1 | school)
    fits[[length(fits) + 1]] <- record(name, "two-level", d, f2)
  }
}
fits <- do.call(rbind, fits)

# ---------------------------------------------------------------------------
# 3. Output
# ---------------------------------------------------------------------------
input <- do.call(rbind, lapply(names(sets), function(n) data.frame(set = n, sets[[n]])))
write_table(input, "variance-input.csv")
fits$singular <- ifelse(fits$singular, "TRUE", "FALSE")
write_table(fits, "variance.csv")

elapsed <- as.numeric(difftime(Sys.time(), started, units = "secs"))
set_lines <- vapply(names(notes), function(n) sprintf("  - `%s`: %s", n, notes[[n]]), "")
provenance <- c(
  "# Provenance of the variance-partition reference data",
  "",
  "Regenerate with `Rscript make-reference.R` (this folder). Every file here except",
  "this one and the script is written by the script; do not edit them by hand.",
  "",
  "## Software",
  paste0("- ", R.version.string, " (", R.version$platform, ")"),
  paste0("- lme4 ", packageVersion("lme4"), ", Matrix ", packageVersion("Matrix"),
         ", minqa ", packageVersion("minqa"), ", nloptr ", packageVersion("nloptr"),
         ", numDeriv ", packageVersion("numDeriv")),
  paste0("- RNG: ", paste(RNGkind(), collapse = ", "), "; `set.seed(", seed, ")`"),
  paste0("- Generated ", format(Sys.time(), "%Y-%m-%d %H:%M:%S", tz = "UTC"), " UTC in ",
         sprintf("%.1f", elapsed), " s"),
  "",
  "Numbers are written with `sprintf(\"%.17g\")`; `NA` marks a missing score or a",
  "component the model does not have.",
  "",
  "## Files",
  "- `variance-input.csv`: set, authority, school, score (NA = missing). Scores are",
  "  means of six simulated answers 1-5 (multiples of 1/6) except where means were",
  "  equalised. Sets:",
  set_lines,
  "- `variance.csv`: one row per set x model x fit. Before fitting, rows with a",
  "  negative authority or school id (three-level) or a negative school id",
  "  (two-level) are removed, as osc-score does, and the ids become factors; lmer",
  "  drops NA scores (na.action = na.omit).",
  "  - model `three-level`: `lmer(score ~ 1 + (1 | authority/school), data, REML = TRUE, control = ...)`",
  "    (sets with more than one authority); model `two-level`: `lmer(score ~ 1 + (1 | school), ...)`",
  "    (every set except `unbalanced`, whose school ids repeat across authorities).",
  "  - fit `default`: `control = lmerControl()`: optimizer nloptwrap (NLOPT_LN_BOBYQA,",
  "    xtol_abs = 1e-8, ftol_abs = 1e-8, maxeval = 1e5).",
  "  - fit `tight`: `control = lmerControl(optimizer = \"bobyqa\", optCtrl = list(rhobeg = 0.2, rhoend = 1e-12, maxfun = 1e5))`",
  "    (minqa's BOBYQA). rhobeg is given because lme4's restart at the boundary",
  "    (restart_edge) calls bobyqa again from the boundary theta, (3.9e-16, 0) for",
  "    `null`, and minqa's default rhobeg = 0.2 max|theta| is then below rhoend:",
  "    \"ctrl$rhoend <= ctrl$rhobeg is not TRUE\".",
  "  - fit `polished`: not an lmer call. lme4's own REML deviance function",
  "    (`lmod <- lFormula(formula, data, REML = TRUE)`; `devfun <- do.call(mkLmerDevfun, lmod)`)",
  "    minimised further from the tight fit's theta by eight Newton steps on the",
  "    components above 1e-6 (the others held at 0), gradient",
  "    `numDeriv::grad(f, theta, method.args = list(d = 1e-2, r = 6))`, Hessian",
  "    `numDeriv::hessian(f, theta)`; then `mkMerMod(environment(devfun), opt,",
  "    lmod$reTrms, fr = lmod$fr)` gives VarCorr, fixef and REMLcrit as for a fit.",
  "    BOBYQA uses function values only, so it stops where the criterion's rounding",
  "    noise (~1e-13 relative) hides the slope, about 1e-7 in theta; the",
  "    differences see through it to about 1e-10 (the theta of successive steps).",
  "  - columns: `authority`, `school`, `residual` = `as.data.frame(VarCorr(fit))$vcov`",
  "    for grp `authority`, `school:authority` (or `school`) and `Residual`;",
  "    `intercept` = `fixef(fit)[1]`; `reml_crit` = `REMLcrit(fit)`; `singular` =",
  "    `isSingular(fit)` (tol 1e-4 on theta); `theta_school`, `theta_authority` =",
  "    `getME(fit, \"theta\")` (relative standard deviations sigma_k/sigma); `respondents`",
  "    = `nobs(fit)`; `schools`, `authorities` = `ngrps(fit)`; `evaluations` =",
  "    `fit@optinfo$feval` (for `polished`: Newton steps); `warnings` = the number of",
  "    warnings lmer gave (convergence checks; \"boundary (singular) fit\" is a message",
  "    and is not counted).",
  "  - `authority-boundary-natural` was found by drawing data with no authority effect",
  "    until the tight fit's authority variance was exactly 0 (the draws before it",
  "    advance the RNG).",
  "",
  "## Peer quirks seen while making these files",
  "- lme4 1.1.31's default optimiser (nloptwrap, ftol_abs = 1e-8 on the deviance) stops",
  "  up to 1e-5 of the total variance from the optimum (`balanced`, three-level).",
  "- BOBYQA with rhoend = 1e-12 still stops about 1e-7 short (2.5e-7 of the total",
  "  variance for `balanced`): it sees only function values, whose rounding hides the",
  "  slope that close to the optimum; hence the `polished` rows.",
  "- At a boundary lme4 reports 0, or a tiny positive number: 6e-32 (`null` default),",
  "  5.5e-23 (`school-boundary` tight), 8.3e-11 (`missing-and-singletons` default,",
  "  where the tight fit gives exactly 0). `isSingular` calls theta < 1e-4 singular.",
  "- With `control = lmerControl(optimizer = \"bobyqa\", optCtrl = list(rhoend = 1e-12))`",
  "  and no rhobeg, lmer stops with an error on data whose fit is at the boundary",
  "  (the restart from theta near 0 makes minqa's default rhobeg smaller than rhoend).",
  "- `(1 | authority/school)` groups by `school:authority`: a school id reused under",
  "  two authorities is two schools (`unbalanced`)."
)
writeLines(provenance, file.path(out_dir, "PROVENANCE.md"))
print(fits[, c("set", "model", "fit", "authority", "school", "residual", "reml_crit", "singular", "warnings")], digits = 10)
