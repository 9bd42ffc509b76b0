#!/bin/sh
# Makes the SPSS fixtures with independent writers: PSPP (Debian package
# pspp), ReadStat (Debian package readstat) and pyreadstat (PyPI). Each .sav
# has a CSV of the same data beside it, written by the same tool (PSPP's
# SAVE TRANSLATE with user-missing recoded to empty cells) or from the same
# source data (pyreadstat, pandas). Run from this folder:
#   apt-get install -y pspp readstat && pip install pyreadstat && sh make_fixtures.sh
set -eu
cd "$(dirname "$0")"

# PSPP: the leadership instrument (Tests/OSCScoringTests/Fixtures/lq-demo.json),
# a very long string id (A300), a numeric school with value labels,
# missing values with ranges (LO THRU, THRU HI, range plus a value).
pspp_data() {
cat <<'SPS'
DATA LIST LIST /respondent (A300) school (F3.0) authority (A24) LEAD01 (F2.0) LEAD02 (F2.0) LEAD03 (F2.0) L04 (F3.0).
BEGIN DATA
"T01" 17 "Nord" 4 2 5 4
"T02" 17 "Nord" 3 9 5 -99
"T03" 17 "Nord" 0 1 4 5
"T04" 17 "Nord" 5 2 8 4
"T05" 18 "Île-de-France" 2 99 3 -95
"T06" 18 "Île-de-France" 3 4 3 3
"T07" 18 "Île-de-France" 4 4 . 9
"T08" 18 "Île-de-France" 1 5 2 2
"T09" 19 "Île-de-France" 2 3 12 2
"T10" 19 "Île-de-France" -3 3 3 7
"T11" 19 "Île-de-France" 3 3 3 3
"T12" 19 "Île-de-France" 4 2 4 1
END DATA.
MISSING VALUES LEAD01 (LO THRU 0) /LEAD02 (9, 99) /LEAD03 (8 THRU HI) /L04 (-99 THRU -90, 9).
VALUE LABELS school 17 "St Mary's Primary" 18 "Sainte-Thérèse" 19 "Ysgol Gymraeg".
SPS
}

{
  echo "SET LOCALE='UTF-8'."
  pspp_data
  echo "SAVE OUTFILE='pspp-plain.sav' /UNCOMPRESSED."
  echo "SAVE OUTFILE='pspp-bytecode.sav' /COMPRESSED."
  echo "SAVE OUTFILE='pspp.zsav' /ZCOMPRESSED."
  echo "SAVE TRANSLATE /OUTFILE='pspp.csv' /TYPE=CSV /FIELDNAMES /MISSING=RECODE /REPLACE."
} > pspp-utf8.sps
pspp pspp-utf8.sps

{
  echo "SET LOCALE='windows-1252'."
  pspp_data
  echo "SAVE OUTFILE='pspp-1252.sav' /COMPRESSED."
} > pspp-1252.sps
# The syntax is UTF-8; PSPP converts the strings to windows-1252 in the file.
pspp pspp-1252.sps
rm -f pspp-utf8.sps pspp-1252.sps

# ReadStat: a copy of PSPP's file rewritten by ReadStat's own writer (no
# encoding record 7.20), uncompressed and as .zsav.
readstat pspp-plain.sav readstat.sav
readstat pspp-plain.sav readstat.zsav

# pyreadstat: the shipped example (Examples/synthetic-responses.csv, the
# demo key's OSC items) with its text cells made empty, some answers set to
# 9 and -9 and declared missing, and value labels on the school variable.
python3 - <<'PY'
import pandas as pd, pyreadstat
df = pd.read_csv('../../../../Examples/synthetic-responses.csv', dtype=str, keep_default_na=False)
df = df.head(300)  # small enough to commit; several schools and authorities
items = [c for c in df.columns if c.startswith('Q')]
for c in items:
    df[c] = pd.to_numeric(df[c].str.strip(), errors='coerce')
# Declared missing: the answer of every 7th row of Q001 becomes 9, of every 11th row of Q002 -9.
df.loc[df.index % 7 == 3, 'Q001'] = 9
df.loc[df.index % 11 == 5, 'Q002'] = -9
df.loc[df.index % 13 == 2, 'Q003'] = 8
labels = {'LA1-S01': "St Mary's Primary", 'LA1-S02': 'Sainte-Thérèse'}
pyreadstat.write_sav(df, 'example-pyreadstat.sav', row_compress=True,
                     missing_ranges={'Q001': [9], 'Q002': [-9], 'Q003': [{'lo': 6, 'hi': 10}]},
                     variable_value_labels={'school': labels})
# The same data as a CSV: declared missing values are empty cells there.
csv = df.copy()
csv.loc[csv['Q001'] == 9, 'Q001'] = float('nan')
csv.loc[csv['Q002'] == -9, 'Q002'] = float('nan')
csv.loc[(csv['Q003'] >= 6) & (csv['Q003'] <= 10), 'Q003'] = float('nan')
for c in items:
    csv[c] = csv[c].map(lambda x: '' if pd.isna(x) else ('%d' % x if x == int(x) else repr(x)))
csv.to_csv('example-pyreadstat.csv', index=False)
PY

# A truncated copy, for the error of a file cut short.
head -c 1000 pspp-plain.sav > truncated.sav
