#!/usr/bin/env python3
"""Writes the Stata .dta fixtures of StataFileTests with writers that are
not this package, and beside them the values they hold (expected.json) and
a CSV of the same data (for the end-to-end comparison).

    pip install pyreadstat pandas     # pyreadstat 1.3.8 and pandas 3.1.1 made the committed files
    python3 make_fixtures.py          # from this folder

Writers and the releases they give:
  - pyreadstat.write_dta (ReadStat's writer): version=13 -> release 117,
    14 -> 118, 15 (the default) -> 119. It writes `.a` to `.z` from
    missing_user_values (a cell holding the letter 'a' in a column that
    declares ['a', 'b']); text goes into the file as UTF-8 even in 117.
  - pandas.DataFrame.to_stata(version=117/118/119): convert_strl=[...] makes
    strL columns (GSOs); value_labels={...} writes value-label tables; 117
    text is latin-1 (the same bytes as windows-1252 for every character
    used here), 118/119 UTF-8. NaN is written as `.`.
  - ReadStat's command-line tool (Debian package readstat, ReadStat 1.1.8,
    an older ReadStat than pyreadstat's): `readstat pyreadstat-118.dta
    readstat-118.dta` converts that file, writing release 118; skipped when
    the tool is not installed.
  - write_msf below: a small writer of this script, from the dta help pages
    with Python's struct, for big-endian (MSF) files, which neither of the
    others writes; it also writes every numeric type, `.a`/`.z` in each, a
    shared (cross-linked) strL and a binary (type 129) strL.
Each file is read back with pandas.read_stata (an independent reader) and
compared with the data that were written, so that expected.json holds what
the writers wrote, not what osc-score reads.
"""

import json
import math
import os
import shutil
import struct
import subprocess

import pandas as pd
import pyreadstat

HERE = os.path.dirname(os.path.abspath(__file__))

# Twelve respondents, two authorities, three schools (a number with value
# labels), the four leadership items (Fixtures/lq-demo.json, scale 1 to 5).
IDS = ["T01", "T02", "T03", "Zoë-04", "T05", "T06", "T07", "T08", "T09", "T10", "Renée-11", "T12"]
AUTH = ["LA1", "LA1", "LA1", "LA1", "LA1", "LA1", "LA2", "LA2", "LA2", "LA2", "LA2", "LA2"]
SCHOOL = [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 2, 1]
SCHOOL_LABELS = {1: "St Mary's Primary", 2: "École Sainte-Thérèse", 3: "Oakfield Academy"}
# None: system missing (.); "a"/"b": declared missing (.a/.b) where the writer can.
ITEMS = {
    "LEAD01": [4, 3, 5, 2, 1, 3, 3, 5, None, 4, 2, 5],
    "LEAD02": [2, 3, 1, 4, 5, 3, 4, 5, 2, "a", 4, 1],
    "LEAD03": [5, 4, None, 2, 1, 3, 2, 5, 3, 4, "b", 4],
    "L04": [4, 4, 5, 2, 1, 3, 1, 5, 4, 3, 2, "a"],
}


def items_as(missing_letters):
    """The item columns with declared missing as letters (pyreadstat) or NaN (the others)."""
    out = {}
    for name, values in ITEMS.items():
        col = []
        for v in values:
            if v is None:
                col.append(math.nan)
            elif isinstance(v, str):
                col.append(v if missing_letters else math.nan)
            else:
                col.append(float(v))
        out[name] = col
    return out


def expected_cells(declared_kept):
    rows = []
    for r in range(12):
        row = [IDS[r], AUTH[r], SCHOOL[r]]
        for name, values in ITEMS.items():
            v = values[r]
            if v is None:
                row.append({"missing": "system"})
            elif isinstance(v, str):
                row.append({"missing": "declared"} if declared_kept else {"missing": "system"})
            else:
                row.append(v)
        rows.append(row)
    return rows


def variables(string_columns=("respondent", "authority")):
    out = []
    for name in ["respondent", "authority", "school"] + list(ITEMS):
        v = {"name": name, "isString": name in string_columns}
        if name == "school":
            v["valueLabels"] = {str(k): t for k, t in SCHOOL_LABELS.items()}
        out.append(v)
    return out


def check_read_back(path, utf8_in_117=False):
    """pandas' reader must see the data that were written (pandas reads 117
    text as latin-1: UTF-8 written into a 117 file is undone first; the
    value labels are compared as pandas reads them)."""
    df = pd.read_stata(path, convert_categoricals=False, convert_missing=False)
    if utf8_in_117:
        for name in ["respondent", "authority"]:
            df[name] = [x.encode("latin-1").decode("utf-8") for x in df[name]]
    with pd.io.stata.StataReader(path) as reader:
        labels = reader.value_labels()
    got = {int(k): v for table in labels.values() for k, v in table.items() if v in SCHOOL_LABELS.values() or
           v.encode("latin-1", "replace").decode("utf-8", "replace") in SCHOOL_LABELS.values()}
    assert len(got) == 3, (path, labels)
    assert list(df["respondent"]) == IDS, (path, list(df["respondent"]))
    assert list(df["authority"]) == AUTH, path
    assert [int(x) for x in df["school"]] == SCHOOL, path
    for name, values in ITEMS.items():
        for r, v in enumerate(values):
            got = df[name].iloc[r]
            if v is None or isinstance(v, str):
                assert pd.isna(got), (path, name, r, got)
            else:
                assert float(got) == v, (path, name, r, got)


def write_pyreadstat(version, release):
    df = pd.DataFrame({"respondent": IDS, "authority": AUTH, "school": [float(s) for s in SCHOOL], **items_as(True)})
    for name in ITEMS:
        df[name] = df[name].astype(object)
    path = os.path.join(HERE, f"pyreadstat-{release}.dta")
    pyreadstat.write_dta(df, path, version=version,
                         variable_value_labels={"school": {float(k): t for k, t in SCHOOL_LABELS.items()}},
                         missing_user_values={name: ["a", "b"] for name in ITEMS})
    return path


def write_pandas(release, strl):
    df = pd.DataFrame({"respondent": IDS, "authority": AUTH, "school": pd.Series(SCHOOL, dtype="int8"), **items_as(False)})
    path = os.path.join(HERE, f"pandas-{release}{'-strl' if strl else ''}.dta")
    df.to_stata(path, write_index=False, version=release, convert_strl=["respondent", "authority"] if strl else [],
                value_labels={"school": SCHOOL_LABELS})
    return path


# --- The big-endian writer (dta help pages, sections 5.1 to 5.12) ---------

BYTE, INT, LONG, FLOAT, DOUBLE, STRL = 65530, 65529, 65528, 65527, 65526, 32768
MISSING_BASE = {BYTE: 101, INT: 32741, LONG: 2147483621}
FMT = {BYTE: ">b", INT: ">h", LONG: ">i", FLOAT: ">f", DOUBLE: ">d"}


def encode_number(t, v):
    """A cell: a number, None (.) or a letter (.a to .z)."""
    if v is None or isinstance(v, str):
        k = 0 if v is None else ord(v) - ord("a") + 1
        if t in MISSING_BASE:
            return struct.pack(FMT[t], MISSING_BASE[t] + k)
        if t == FLOAT:
            return struct.pack(">I", 0x7F000000 + (k << 11))
        return struct.pack(">Q", 0x7FE0000000000000 + (k << 40))
    return struct.pack(FMT[t], v)


def write_msf(path, release, names, types, rows, labels, label_names, encoding):
    """rows: lists of cells; a strL cell is (text, (v, o)) with its (v,o) reference."""
    k, n = len(names), len(rows)
    assert len(types) == k and len(label_names) == k and all(len(r) == k for r in rows)
    name_size = 33 if release == 117 else 129
    out = bytearray()
    pos = {}

    def put(b):
        out.extend(b)

    def mark(key):
        pos[key] = len(out)

    def fixed(text, size):
        b = text.encode(encoding)
        assert len(b) < size
        return b + b"\0" * (size - len(b))

    mark("top")
    put(b"<stata_dta><header><release>%d</release><byteorder>MSF</byteorder>" % release)
    put(b"<K>" + (struct.pack(">I", k) if release == 119 else struct.pack(">H", k)) + b"</K>")
    put(b"<N>" + (struct.pack(">I", n) if release == 117 else struct.pack(">Q", n)) + b"</N>")
    label = "Big-endian fixture".encode(encoding)
    put(b"<label>" + (struct.pack(">B", len(label)) if release == 117 else struct.pack(">H", len(label))) + label + b"</label>")
    put(b"<timestamp>\x11 1 Dec 2026 12:00</timestamp></header>")
    mark("map")
    put(b"<map>")
    map_at = len(out)
    put(b"\0" * (14 * 8))
    put(b"</map>")
    mark("types")
    put(b"<variable_types>" + b"".join(struct.pack(">H", t) for t in types) + b"</variable_types>")
    mark("names")
    put(b"<varnames>" + b"".join(fixed(x, name_size) for x in names) + b"</varnames>")
    mark("sort")
    put(b"<sortlist>" + b"\0" * ((k + 1) * (4 if release == 119 else 2)) + b"</sortlist>")
    mark("formats")
    put(b"<formats>" + b"".join(fixed("%9s" if t <= 2045 or t == STRL else "%9.0g", 49 if release == 117 else 57) for t in types) + b"</formats>")
    mark("lblnames")
    put(b"<value_label_names>" + b"".join(fixed(x, name_size) for x in label_names) + b"</value_label_names>")
    mark("varlabels")
    put(b"<variable_labels>" + b"".join(fixed("", 81 if release == 117 else 321) for _ in names) + b"</variable_labels>")
    mark("chars")
    # One characteristic whose contents hold "</characteristics>", which a reader must skip by its length.
    ch = fixed("_dta", name_size) + fixed("note0", name_size) + b"a note with </characteristics> inside\0"
    put(b"<characteristics><ch>" + struct.pack(">I", len(ch)) + ch + b"</ch></characteristics>")
    mark("data")
    put(b"<data>")
    gsos = []
    for j, row in enumerate(rows, start=1):
        for i, (t, cell) in enumerate(zip(types, row), start=1):
            if t == STRL:
                text, (v, o), binary = cell
                if release == 117:
                    put(struct.pack(">II", v, o))
                elif release == 118:
                    put(struct.pack(">H", v) + struct.pack(">Q", o)[2:])
                else:
                    put(struct.pack(">I", v)[1:] + struct.pack(">Q", o)[3:])
                if (v, o) == (i, j):
                    gsos.append((v, o, text, binary))
            elif t <= 2045:
                b = cell.encode(encoding)
                assert len(b) <= t
                put(b + (b"\0" + b"\xff" * (t - len(b) - 1) if len(b) < t else b""))  # junk after the NUL
            else:
                put(encode_number(t, cell))
    put(b"</data>")
    mark("strls")
    put(b"<strls>")
    for v, o, text, binary in gsos:
        body = text.encode(encoding) + (b"" if binary else b"\0")
        put(b"GSO" + struct.pack(">I", v) + (struct.pack(">I", o) if release == 117 else struct.pack(">Q", o))
            + bytes([129 if binary else 130]) + struct.pack(">I", len(body)) + body)
    put(b"</strls>")
    mark("vallabs")
    put(b"<value_labels>")
    for lname, table in labels.items():
        entries = sorted(table.items())
        txt, offs = b"", []
        for _, t in entries:
            offs.append(len(txt))
            txt += t.encode(encoding) + b"\0"
        body = struct.pack(">ii", len(entries), len(txt)) + b"".join(struct.pack(">i", x) for x in offs) \
            + b"".join(struct.pack(">i", v) for v, _ in entries) + txt
        put(b"<lbl>" + struct.pack(">i", len(body)) + fixed(lname, name_size) + b"\0\0\0" + body + b"</lbl>")
    put(b"</value_labels>")
    mark("end")
    put(b"</stata_dta>")
    mark("eof")
    order = ["top", "map", "types", "names", "sort", "formats", "lblnames", "varlabels", "chars", "data", "strls", "vallabs", "end", "eof"]
    out[map_at:map_at + 112] = b"".join(struct.pack(">Q", pos[x]) for x in order)
    with open(path, "wb") as f:
        f.write(out)


# One column per numeric type: its extreme numbers, ., .a, .z and a letter between.
CODES = [
    ("kbyte", BYTE, [-127, 100, None, "a", "z", 0, -1, 1, 2, 3, "m", 7]),
    ("kint", INT, [-32767, 32740, None, "a", "z", 0, -1, 1, 2, 3, "m", 7]),
    ("klong", LONG, [-2147483647, 2147483620, None, "a", "z", 0, -1, 1, 2, 3, "m", 7]),
    ("kfloat", FLOAT, [-1.5, 1.7e38, None, "a", "z", 0.0, -0.25, 1.0, 2.5, 3.0, "m", 7.0]),
    ("kdouble", DOUBLE, [-1.0e300, 8.9e307, None, "a", "z", 0.0, -0.25, 1.0, 2.5, 3.0, "m", 0.1]),
]


def code_cell(t, v):
    if v is None:
        return {"missing": "system"}
    if isinstance(v, str):
        return {"missing": "declared"}
    if t == FLOAT:
        # The float's value as a double, as text (JSON readers may round long exponents).
        return {"number": repr(struct.unpack(">f", struct.pack(">f", v))[0])}
    if t == DOUBLE:
        return {"number": repr(v)}
    return v


def msf_fixture(release):
    encoding = "cp1252" if release == 117 else "utf-8"
    names = ["respondent", "authority", "school", "LEAD01", "LEAD02", "LEAD03", "L04", "note"] + [n for n, _, _ in CODES]
    types = [STRL, 8, BYTE, INT, LONG, FLOAT, DOUBLE, STRL] + [t for _, t, _ in CODES]
    rows = []
    note_v = 8
    for r in range(12):
        cells = [(IDS[r], (1, r + 1), False), AUTH[r], SCHOOL[r]]
        cells += [ITEMS[name][r] for name in ITEMS]
        # note: empty (0,0) in odd cases, a shared strL (defined in case 1) in even ones, binary in case 12
        if r == 11:
            cells.append(("bin\u00e9", (note_v, 12), True))
        elif r % 2 == 0:
            cells.append(("shared note", (note_v, 1), False))
        else:
            cells.append(("", (0, 0), False))
        cells += [values[r] for _, _, values in CODES]
        rows.append(cells)
    path = os.path.join(HERE, f"msf-{release}.dta")
    write_msf(path, release, names, types, rows, {"schools": SCHOOL_LABELS, "unused": {1: "x", 2147483622: ".a label"}},
              ["", "", "schools", "", "", "", "", ""] + [""] * len(CODES), encoding)
    return path


def main():
    fixtures = {}
    cases_declared = expected_cells(True)
    cases_nan = expected_cells(False)
    for version, release in [(13, 117), (14, 118), (15, 119)]:
        path = write_pyreadstat(version, release)
        check_read_back(path, utf8_in_117=release == 117)
        fixtures[os.path.basename(path)] = {"writer": f"pyreadstat {pyreadstat.__version__} write_dta(version={version})",
                                            "release": release, "bigEndian": False,
                                            # ReadStat writes UTF-8 into 117 files too: read with --encoding utf-8
                                            "encoding": "utf-8", "readWith": "utf-8" if release == 117 else None,
                                            "variables": variables(), "cases": cases_declared}
    if shutil.which("readstat"):
        path = os.path.join(HERE, "readstat-118.dta")
        if os.path.exists(path):
            os.remove(path)
        subprocess.run(["readstat", os.path.join(HERE, "pyreadstat-118.dta"), path], check=True, capture_output=True)
        check_read_back(path)
        version = subprocess.run(["readstat", "--version"], capture_output=True, text=True).stdout.strip().splitlines()[0]
        fixtures["readstat-118.dta"] = {"writer": f"{version}: readstat pyreadstat-118.dta readstat-118.dta", "release": 118,
                                        "bigEndian": False, "encoding": "utf-8", "variables": variables(), "cases": cases_declared}
    for release in [117, 118, 119]:
        for strl in [False, True]:
            path = write_pandas(release, strl)
            check_read_back(path, utf8_in_117=release == 117 and strl)
            fixtures[os.path.basename(path)] = {"writer": f"pandas {pd.__version__} to_stata(version={release}{', convert_strl' if strl else ''})",
                                                "release": release, "bigEndian": False,
                                                # pandas: 117 str# in latin-1, 117 strLs in UTF-8
                                                "encoding": "windows-1252 (utf-8 where valid)" if release == 117 else "utf-8",
                                                "variables": variables(), "cases": cases_nan}
    for release in [117, 118, 119]:
        path = msf_fixture(release)
        check_read_back(path)
        variables_msf = variables() + [{"name": "note", "isString": True}] + [{"name": n, "isString": False} for n, _, _ in CODES]
        cases = [row + [("bin\u00e9" if r == 11 else "shared note" if r % 2 == 0 else "")] + [code_cell(t, values[r]) for _, t, values in CODES]
                 for r, row in enumerate(cases_declared)]
        fixtures[os.path.basename(path)] = {"writer": "make_fixtures.py write_msf (struct, big-endian)",
                                            "release": release, "bigEndian": True,
                                            "encoding": "windows-1252 (utf-8 where valid)" if release == 117 else "utf-8",
                                            "variables": variables_msf, "cases": cases}
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(fixtures, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")
    # A damaged file for the command-line test: pandas-118.dta cut in the middle of its data.
    with open(os.path.join(HERE, "pandas-118.dta"), "rb") as f:
        whole = f.read()
    with open(os.path.join(HERE, "truncated.dta"), "wb") as f:
        f.write(whole[:len(whole) // 2])
    # The same data as CSV (declared missing as empty cells, like system missing).
    with open(os.path.join(HERE, "same-data.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("respondent,authority,school," + ",".join(ITEMS) + "\n")
        for r in range(12):
            cells = [IDS[r], AUTH[r], str(SCHOOL[r])]
            cells += ["" if (v is None or isinstance(v, str)) else str(v) for v in (ITEMS[n][r] for n in ITEMS)]
            f.write(",".join(cells) + "\n")


if __name__ == "__main__":
    main()
