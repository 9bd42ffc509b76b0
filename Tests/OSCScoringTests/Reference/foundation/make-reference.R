#!/usr/bin/env Rscript
# Regenerates the reference values for respondent, school and authority scores
# of the shipped example (Examples/synthetic-responses.csv scored with
# Examples/demo-key.csv and Scales/osc.json), computed independently in base R.
#
# Run from the repository root:
#   Rscript Tests/OSCScoringTests/Reference/foundation/make-reference.R
# Needs: R >= 4.0, jsonlite (Debian: r-base-core, r-cran-jsonlite).
#
# Rules mirrored (README, "Scoring"): a cell is an answer when it is a whole
# number from 1 to 5 (written "3" or "3.0"); anything else is missing.
# Reverse-keyed answers are 6 - x. A respondent's scale score is the mean of
# the answered items of the scale when at least ceiling(0.5 * J) are
# answered. School: n, mean, sd (n - 1) of the scores of its rows; rows with
# an empty school are left out. Authority: mean and sd of its school means,
# and the mean over its respondents.

suppressMessages(library(jsonlite))
out <- "Tests/OSCScoringTests/Reference/foundation"
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

writeLines(c(
  "# Provenance of the foundation reference values",
  "",
  paste0("- Generated: ", format(Sys.Date()), " by `Rscript Tests/OSCScoringTests/Reference/foundation/make-reference.R` (run from the repository root)."),
  paste0("- ", R.version.string, "; jsonlite ", packageVersion("jsonlite"), "."),
  "- Input: Examples/synthetic-responses.csv (synthetic), Examples/demo-key.csv (synthetic demo key, not the OSC key), Scales/osc.json.",
  "- Calls: base R `read.csv`, `rowMeans(na.rm = TRUE)`, `mean`, `sd`; no package computes the scores, so the rules are written out in the script.",
  "- Files: respondent-scores.csv (by file line), school-scores.csv, authority-scores.csv; numbers printed with `sprintf(\"%.17g\")`, empty = NA."
), file.path(out, "PROVENANCE.md"))
cat("reference files written to", out, "\n")
