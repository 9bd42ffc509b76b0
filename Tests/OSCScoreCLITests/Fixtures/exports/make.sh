#!/bin/sh
# Makes the survey-export fixtures: make_exports.py writes the CSVs, iconv
# re-encodes the clean file as Excel's "Unicode Text" (UTF-16LE with a byte
# order mark, tab-delimited), as UTF-16BE with a byte order mark, and as
# Windows-1252 (Excel's "CSV (Comma delimited)"), and the semicolon file as
# Windows-1252.
set -e
cd "$(dirname "$0")"
python3 make_exports.py
python3 make_xlsx.py
tr ',' '\t' < clean.csv > clean.tsv
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE clean.tsv; } > utf-16le.txt
{ printf '\376\377'; iconv -f UTF-8 -t UTF-16BE clean.csv; } > utf-16be.csv
iconv -f UTF-8 -t WINDOWS-1252 clean.csv > windows-1252.csv
iconv -f UTF-8 -t WINDOWS-1252 excel-semicolon-utf8.csv > excel-semicolon.csv
rm clean.tsv excel-semicolon-utf8.csv
