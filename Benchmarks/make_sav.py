#!/usr/bin/env python3
"""Writes the benchmark's responses (a CSV from generate.py) as an SPSS
bytecode-compressed system file with pyreadstat, an independent writer:

    python3 Benchmarks/make_sav.py BENCH.csv BENCH.sav

Ids and groups stay strings; the items are numbers, empty cells system-missing.
"""
import sys
import pandas as pd
import pyreadstat

source, target = sys.argv[1], sys.argv[2]
df = pd.read_csv(source, dtype={"respondent": str, "authority": str, "school": str})
pyreadstat.write_sav(df, target, row_compress=True)
