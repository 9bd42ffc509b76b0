#!/usr/bin/env python3
"""Writes big-endian SPSS system files of the PSPP fixtures' data
(make_fixtures.sh), since PSPP, ReadStat and pyreadstat write only their
machine's byte order. A plain struct writer following the PSPP developers'
"System File Format": header, variable records (a string with continuation
records), missing values (discrete, LO THRU, THRU HI, a range plus a value),
value labels (records 3 and 4), records 7.3, 7.4, 7.13 and 7.20, then the
cases uncompressed and bytecode-compressed (cases cross command blocks).

    python3 make_bigendian.py      # writes bigendian-plain.sav, bigendian-bytecode.sav
"""
import math
import struct
import sys

E = ">"  # big-endian
SYSMIS = -sys.float_info.max
HIGHEST = sys.float_info.max
LOWEST = math.nextafter(-sys.float_info.max, 0.0)
BIAS = 100.0

ROWS = [
    ("T01", 17, "Nord", 4, 2, 5, 4), ("T02", 17, "Nord", 3, 9, 5, -99),
    ("T03", 17, "Nord", 0, 1, 4, 5), ("T04", 17, "Nord", 5, 2, 8, 4),
    ("T05", 18, "Île-de-France", 2, 99, 3, -95), ("T06", 18, "Île-de-France", 3, 4, 3, 3),
    ("T07", 18, "Île-de-France", 4, 4, None, 9), ("T08", 18, "Île-de-France", 1, 5, 2, 2),
    ("T09", 19, "Île-de-France", 2, 3, 12, 2), ("T10", 19, "Île-de-France", -3, 3, 3, 7),
    ("T11", 19, "Île-de-France", 3, 3, 3, 3), ("T12", 19, "Île-de-France", 4, 2, 4, 1),
]
# (short name, long name, width (0: number), missing values: (n, values))
VARIABLES = [
    ("RESPONDE", "respondent", 8, (0, [])),
    ("SCHOOL", "school", 0, (0, [])),
    ("AUTHORIT", "authority", 24, (0, [])),
    ("LEAD01", "LEAD01", 0, (-2, [LOWEST, 0.0])),
    ("LEAD02", "LEAD02", 0, (2, [9.0, 99.0])),
    ("LEAD03", "LEAD03", 0, (-2, [8.0, HIGHEST])),
    ("L04", "L04", 0, (-3, [-99.0, -90.0, 9.0])),
]
LABELS = [(17.0, "St Mary's Primary"), (18.0, "Sainte-Thérèse"), (19.0, "Ysgol Gymraeg")]


def i32(*v):
    return struct.pack(E + "%di" % len(v), *v)


def f64(*v):
    return struct.pack(E + "%dd" % len(v), *v)


def slots(width):
    return 1 if width == 0 else (width + 7) // 8


def dictionary(compression):
    total = sum(slots(w) for _, _, w, _ in VARIABLES)
    out = b"$FL2" + b"@(#) SPSS DATA FILE osc-score make_bigendian.py".ljust(60)
    out += i32(2, total, compression, 0, len(ROWS)) + f64(BIAS)
    out += b"02 Dec 26" + b"03:00:00" + b" " * 64 + b"\0" * 3
    index = {}
    k = 1
    for short, _, width, (n, values) in VARIABLES:
        index[short] = k
        fmt = (5 << 16 | 8 << 8) if width == 0 else (1 << 16 | width << 8)
        out += i32(2, width, 0, n, fmt, fmt) + short.encode().ljust(8) + f64(*values)
        for _ in range(slots(width) - 1):
            out += i32(2, -1, 0, 0, 0, 0) + b" " * 8
        k += slots(width)
    out += i32(3, len(LABELS))
    for value, label in LABELS:
        text = label.encode()
        out += f64(value) + bytes([len(text)]) + text
        out += b" " * ((len(text) + 8) // 8 * 8 - len(text) - 1)
    out += i32(4, 1, index["SCHOOL"])
    out += i32(7, 3, 4, 8, 1, 0, 0, -1, 1, compression, 1, 65001)  # 7.3: endianness 1 = big
    out += i32(7, 4, 8, 3) + f64(SYSMIS, HIGHEST, LOWEST)
    names = "\t".join("%s=%s" % (s, l) for s, l, _, _ in VARIABLES).encode()
    out += i32(7, 13, 1, len(names)) + names
    out += i32(7, 20, 1, 5) + b"UTF-8"
    out += i32(999, 0)
    return out


def case_words(row):
    """Per slot: ('n', number or None) or ('s', 8 bytes)."""
    words = []
    for (short, _, width, _), value in zip(VARIABLES, row):
        if width == 0:
            words.append(("n", value))
        else:
            text = value.encode().ljust(slots(width) * 8)
            words += [("s", text[j:j + 8]) for j in range(0, len(text), 8)]
    return words


def plain():
    out = b""
    for row in ROWS:
        for kind, v in case_words(row):
            out += (f64(SYSMIS if v is None else float(v))) if kind == "n" else v
    return out


def bytecode():
    out, codes, data = b"", [], b""
    def emit(code, raw=b""):
        nonlocal out, codes, data
        codes.append(code)
        data += raw
        if len(codes) == 8:
            out += bytes(codes) + data
            codes, data = [], b""
    for row in ROWS:
        for kind, v in case_words(row):
            if kind == "s":
                emit(254) if v == b" " * 8 else emit(253, v)
            elif v is None:
                emit(255)
            elif float(v).is_integer() and 1 <= v + BIAS <= 251:
                emit(int(v + BIAS))
            else:
                emit(253, f64(float(v)))
    if codes:
        emit(252)
        while codes:
            emit(0)
    return out


with open("bigendian-plain.sav", "wb") as f:
    f.write(dictionary(0) + plain())
with open("bigendian-bytecode.sav", "wb") as f:
    f.write(dictionary(1) + bytecode())
