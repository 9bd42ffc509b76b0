#!/usr/bin/env python3
"""Reference DEFLATE and zlib streams for InflateTests, made by CPython's zlib.

Writes streams.bin (every stream, one after another) and manifest.tsv (one
line per stream: name, format (zlib or raw), offset and length in
streams.bin, the original's length and its SHA-256). The originals are
deterministic (seeded) data sets: empty, one byte, random bytes, repetitive
text, CSV-like rows, long runs and short periods, and more than 64 KiB with
long matches. Each is compressed at every level 0-9 with every strategy (the
large one at levels 1, 4, 6 and 9 without Huffman-only and RLE), and
with memLevel and wbits variations (raw DEFLATE with negative wbits).
Identical streams are stored once. Run from this folder:

    python3 make_fixtures.py
"""
import hashlib
import random
import zlib

rng = random.Random(20261201)

words = ("school staff climate culture proficiency rigidity resistance engagement "
         "functionality stress the of and to in a is that for it as with was on "
         "teacher pupils head authority questionnaire answer scale item").split()


def text(n):
    out = []
    size = 0
    while size < n:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(4, 14))).capitalize() + ". "
        if rng.random() < 0.1:
            sentence += "\n"
        out.append(sentence)
        size += len(sentence)
    return "".join(out).encode()[:n]


def csv(n):
    rows = ["respondent,authority,school," + ",".join("Q%03d" % i for i in range(1, 31))]
    size = len(rows[0])
    r = 0
    while size < n:
        r += 1
        row = "R%05d,LA%d,LA%d-S%02d," % (r, r % 7, r % 7, r % 13) + ",".join(
            "" if rng.random() < 0.02 else str(rng.randint(1, 5)) for _ in range(30))
        rows.append(row)
        size += len(row) + 2
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")[:n]


def runs(n):
    out = bytearray()
    while len(out) < n:
        kind = rng.randrange(4)
        if kind == 0:
            out += bytes([rng.randrange(256)]) * rng.randint(1, 600)
        elif kind == 1:
            period = bytes(rng.randrange(256) for _ in range(rng.randint(2, 7)))
            out += period * rng.randint(1, 100)
        elif kind == 2:
            out += bytes(rng.randrange(256) for _ in range(rng.randint(1, 40)))
        else:
            out += b"\x00" * rng.randint(200, 3000)
    return bytes(out[:n])


def big(n):
    # A random 12 KiB block of text-like bytes, then copies of it with a few
    # changes: matches of up to 258 bytes at distances near 32 KiB.
    base = bytearray(text(12 * 1024))
    out = bytearray(base)
    while len(out) < n:
        chunk = bytearray(out[-rng.choice([12 * 1024, 24 * 1024, 32 * 1024 - 300]):][:8000])
        for _ in range(5):
            chunk[rng.randrange(len(chunk))] = rng.randrange(32, 127)
        out += chunk
    return bytes(out[:n])


datasets = [
    ("empty", b""),
    ("one", b"A"),
    ("random", bytes(rng.randrange(256) for _ in range(1500))),
    ("text", text(5000)),
    ("csv", csv(5000)),
    ("runs", runs(12000)),
    ("big", big(80 * 1024)),
]

strategies = [
    ("default", zlib.Z_DEFAULT_STRATEGY),
    ("filtered", zlib.Z_FILTERED),
    ("huffman", zlib.Z_HUFFMAN_ONLY),
    ("rle", zlib.Z_RLE),
    ("fixed", zlib.Z_FIXED),
]


def compress(data, level, strategy, wbits=15, memlevel=8):
    c = zlib.compressobj(level, zlib.DEFLATED, wbits, memlevel, strategy)
    return c.compress(data) + c.flush()


streams = bytearray()
seen = {}
manifest = []
for name, data in datasets:
    digest = hashlib.sha256(data).hexdigest()
    variants = []
    for level in range(10):
        for sname, strategy in strategies:
            # Huffman-only ignores the level; level 0 ignores the strategy.
            if strategy == zlib.Z_HUFFMAN_ONLY and level not in (1, 9):
                continue
            if level == 0 and sname != "default":
                continue
            # The large data set (for its long matches at long distances):
            # fewer levels, and no level 0 or Huffman-only (no matches, and
            # 80 KB each) or RLE (43 KB), to keep the fixtures small.
            if name == "big" and (level not in (1, 4, 6, 9) or strategy in (zlib.Z_HUFFMAN_ONLY, zlib.Z_RLE)):
                continue
            variants.append(("%s-l%d-%s" % (name, level, sname), "zlib", compress(data, level, strategy)))
    variants.append((name + "-l9-mem1", "zlib", compress(data, 9, zlib.Z_DEFAULT_STRATEGY, memlevel=1)))
    variants.append((name + "-l6-mem9", "zlib", compress(data, 6, zlib.Z_DEFAULT_STRATEGY, memlevel=9)))
    if name != "big":
        variants.append((name + "-l6-wbits9", "zlib", compress(data, 6, zlib.Z_DEFAULT_STRATEGY, wbits=9)))
    variants.append((name + "-l6-wbits12", "zlib", compress(data, 6, zlib.Z_DEFAULT_STRATEGY, wbits=12)))
    variants.append((name + "-l6-raw15", "raw", compress(data, 6, zlib.Z_DEFAULT_STRATEGY, wbits=-15)))
    if name != "big":
        variants.append((name + "-l1-raw9", "raw", compress(data, 1, zlib.Z_DEFAULT_STRATEGY, wbits=-9)))
    variants.append((name + "-l9-raw-fixed", "raw", compress(data, 9, zlib.Z_FIXED, wbits=-15)))
    if name == "big":
        # Small sync-flushed pieces: many blocks, empty stored blocks between.
        c = zlib.compressobj(6, zlib.DEFLATED, 15, 8, zlib.Z_DEFAULT_STRATEGY)
        pieces = bytearray()
        for i in range(0, len(data), 9000):
            pieces += c.compress(data[i:i + 9000]) + c.flush(zlib.Z_FULL_FLUSH if i == 36000 else zlib.Z_SYNC_FLUSH)
        pieces += c.flush()
        variants.append((name + "-l6-flushes", "zlib", bytes(pieces)))
    for vname, form, stream in variants:
        assert (zlib.decompress(stream, 15 if form == "zlib" else -15)) == data
        if stream not in seen:
            seen[stream] = len(streams)
            streams += stream
        manifest.append((vname, form, seen[stream], len(stream), len(data), digest))

with open("streams.bin", "wb") as f:
    f.write(streams)
with open("manifest.tsv", "w") as f:
    f.write("# name\tformat\toffset\tlength\toriginal_length\toriginal_sha256 (made by make_fixtures.py, zlib %s)\n" % zlib.ZLIB_VERSION)
    for row in manifest:
        f.write("\t".join(str(x) for x in row) + "\n")
print(len(manifest), "streams,", len(streams), "bytes")
