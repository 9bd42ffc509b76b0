// The text of `osc-score --help`.

extension OSCScoreCommand {
    public static let helpText = """
    osc-score \(version): score the Organisational Social Context (OSC)
    questionnaire and aggregate it per school and per local authority.

    USAGE
      osc-score [options] FILE           score FILE, report schools and authorities
      osc-score validate [options] FILE  report only the data-quality findings
      osc-score template [options]       print the header row the instrument wants
      osc-score plan --icc1 X [...]      respondents and schools a study needs
      osc-score plan [options] FILE      the same from a study's own ICC(1)s
      osc-score key install FILE         check the OSC's licensed key, keep a copy
      osc-score key show | key remove    the key in use and its source; remove it
      osc-score --help | --version

    FILE is a CSV (comma, tab or semicolon) with one respondent per row and a
    header; '-' reads standard input.

    INSTRUMENT
      --scale PATH|ID          instrument definition (default: bundled OSC, 'osc')
      --key PATH               scoring key CSV: item,column,scale,reverse. The OSC's
                               key is licensed and not public; supply your own.
                               For the OSC, without --key: the file named by
                               OSC_SCORE_KEY, else the installed key
                               ($XDG_CONFIG_HOME or ~/.config, osc-score/key.csv)

    READING
      --school-column NAME     school column (default: school)
      --authority-column NAME  local authority column (default: authority; optional)
      --id-column NAME         respondent id column (default: respondent; optional)
      --delimiter D            comma, tab or semicolon (default: detected)
      --missing-codes LIST     codes meaning "no answer", comma-separated
                               (default: NA); empty cells are always missing
      --encoding NAME          text encoding of the file, overriding what it
                               declares: utf-8, windows-1252, iso-8859-1, ...
                               (default: a data file's declaration; text:
                               UTF-16 by its byte order mark, else UTF-8,
                               else windows-1252)
      --sheet NAME|NUMBER      the sheet of an Excel workbook (.xlsx) to read
                               (default: the first worksheet)
      --strict                 stop at the first invalid cell (exit 65) instead of
                               scoring it as missing and reporting it
      --fold-case              merge school or authority ids that differ only in
                               letter case or spaces (LA1-S01, la1-s01) into
                               the first spelling; without it they stay apart

    SCORING
      --min-answered F         fraction of a scale's items a respondent must answer
                               for a score, 0 to 1 (default 0.5; 0 = at least one)

    AGREEMENT AND RELIABILITY
      --null SHAPE             null distribution of rwg: uniform (default), slight,
                               moderate, heavy, triangular or normal (LeBreton &
                               Senter 2008; skewed shapes for 5 to 11 options)
      --null-variance X        set the null variance directly (0.000001 to 1e12)
      --listwise               agreement from respondents who answered every item
                               of the scale (as multilevel 2.7); default: each
                               item's own answers (pairwise)
      --rgr N                  random group resampling with N replications
                               (1 to 10000; progress shown on a terminal)
      --seed S                 seed of the resampling (default 20020101)
      --confidence X           level of the t intervals of school and authority
                               means, between 0 and 1 (default 0.95)
      --threads N              threads to use (default: the active processors, or
                               OSC_SCORE_THREADS); results do not depend on it

    NORMS AND PROFILES
      --norms FILE             T-scores and percentiles against a norms file (JSON:
                               each scale's normative mean and SD), and the
                               instrument's profiles (OSC: culture and climate)
      --norms sample           T-scores relative to this study: each school mean
                               against all school means (sample-relative)

    AGGREGATION VERDICTS
      --min-respondents N      a school mean needs N respondents with a score (3)
      --rwg-threshold X        ... and rwg(j) at least X (0.70, LeBreton & Senter)
      --alpha-level X          significance level of the ANOVA F test (0.05)
      --icc2-threshold X       ICC(2) to justify aggregation (0.70, Bliese 2000)
      --include-all-schools    authority aggregates include schools that fail
      --suppress-below N       for published reports: withhold the means, T-scores
                               and profiles of schools and authorities with fewer
                               than N respondents (counts stay)

    PLANNING (osc-score plan)
      --icc1 X                 plan from this ICC(1), 0 < X < 1 (or give FILE)
      --icc2 T                 ICC(2) a school mean should reach (0.70)
      --respondents N          respondents per school (default: those needed)
      --schools G              schools, for the power of the F test
      --alpha A                significance level of the F test (0.05)
      --power P                power wanted, for the schools needed (0.80)

    OUTPUT
      --format FORMAT          table (default), csv, json, markdown or html (one
                               self-contained page with charts; no script, nothing
                               loaded from the network)
      --per-school DIR         with --format html: DIR/index.html and one page per
                               school that shows only that school (DIR is created)
      --level LEVEL            csv rows: respondent, school (default), authority or
                               scale (reliability, ICCs, --rgr);
                               json: respondent adds every respondent's scores
      --long                   csv: one row per level, unit, scale and statistic
                               (level,unit,authority,scale,statistic,value)
      --output PATH, -o PATH   write to PATH instead of standard output: written
                               whole to a temporary file beside it, then renamed
                               over it; never one of the run's input files
      An option that would have no effect (--level with table or markdown,
      --seed without --rgr, --rgr with csv rows other than scale, ...) is a
      usage error that names the combination that works.

    EXIT STATUS
      0 success (also when a reader of the output stops early, as '| head');
      64 usage error (also the OSC without any key); 65 bad data (malformed
      CSV, a missing column, an invalid cell under --strict; under validate,
      any finding that can change a score or an aggregate: invalid cells,
      exclusions, repeated ids, rows without school or authority, a school
      under two authorities, ids that differ only in case or spaces; blank
      lines, unused columns and ids merged by --fold-case are notes, and
      suspected keying errors (an item correlating negatively with the rest
      of its scale) are warnings);
      66 file not found or unreadable; 74 output not written (full disk,
      closed standard output); 1 other failure.

    EXAMPLES
      osc-score --key Examples/demo-key.csv Examples/synthetic-responses.csv
      osc-score key install my-licensed-key.csv; osc-score responses.csv
      osc-score plan --icc1 0.10 --schools 10   (21 per school for ICC(2) .70)
    """
}
