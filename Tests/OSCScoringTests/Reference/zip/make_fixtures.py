#!/usr/bin/env python3
"""ZIP archives for ZipArchiveTests, written by CPython's zipfile.

Writes the archives below and expected.tsv (archive, member, length and
SHA-256 of the member's contents). Run from this folder:

    python3 make_fixtures.py

- stored.zip     ZIP_STORED members
- deflated.zip   ZIP_DEFLATED (level 9) with an archive comment, a UTF-8 name
                 and a member over 64 KiB
- zip64.zip      ZIP64 extra fields in the local and central headers
                 (force_zip64=True)
- streamed.zip   written to a non-seekable stream: data descriptors with
                 their signature (general purpose flag bit 3)
- nosig.zip      hand-written like streamed.zip, but the data descriptor has
                 no signature (allowed by APPNOTE 4.3.9.3)
- encrypted.zip  stored.zip with the "encrypted" flag set on the first
                 member (local and central headers)
- zip64-central.zip  hand-written: ZIP64 extra fields in the central
                 directory (sizes and offsets 0xFFFFFFFF in the fixed fields),
                 8-byte data descriptor sizes, and the ZIP64 end of central
                 directory record and locator
- empty.zip      no members
"""
import hashlib
import io
import random
import struct
import zipfile
import zlib

rng = random.Random(7)
members = {
    "a.txt": b"hello, world\n",
    "dir/b.csv": ("respondent,school,Q001\n" + "".join("R%d,S%d,%d\n" % (i, i % 5, rng.randint(1, 5)) for i in range(400))).encode(),
    "empty.bin": b"",
    "caf\u00e9/na\u00efve.txt": "Ecole Ste-Th\u00e9r\u00e8se \u00a35\n".encode(),
    "big.txt": (" ".join(rng.choice(["school", "staff", "climate", "the", "of", "and"]) for _ in range(20000))).encode(),
}
expected = []


def record(archive, names):
    for name in names:
        data = members[name]
        expected.append((archive, name, len(data), hashlib.sha256(data).hexdigest()))


with zipfile.ZipFile("stored.zip", "w", zipfile.ZIP_STORED) as z:
    for name in ["a.txt", "dir/b.csv", "empty.bin"]:
        z.writestr(name, members[name])
record("stored.zip", ["a.txt", "dir/b.csv", "empty.bin"])

with zipfile.ZipFile("deflated.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for name in members:
        z.writestr(name, members[name])
    z.comment = b"made by make_fixtures.py"
record("deflated.zip", list(members))

with zipfile.ZipFile("zip64.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for name in ["a.txt", "dir/b.csv"]:
        with z.open(name, "w", force_zip64=True) as f:
            f.write(members[name])
record("zip64.zip", ["a.txt", "dir/b.csv"])


class NonSeekable(io.RawIOBase):
    def __init__(self):
        self.buffer = bytearray()

    def writable(self):
        return True

    def seekable(self):
        return False

    def write(self, b):
        self.buffer += b
        return len(b)


stream = NonSeekable()
with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as z:
    for name in ["a.txt", "dir/b.csv", "big.txt"]:
        with z.open(name, "w") as f:
            f.write(members[name])
open("streamed.zip", "wb").write(bytes(stream.buffer))
record("streamed.zip", ["a.txt", "dir/b.csv", "big.txt"])


def handmade(entries, descriptor_signature, zip64=False):
    """A deflated archive with data descriptors, optionally unsigned; with
    zip64, the central directory gives every size and offset in a ZIP64
    extra field (0xFFFFFFFF in the fixed fields) and the archive ends with a
    ZIP64 end of central directory record and locator."""
    out = bytearray()
    central = bytearray()
    for name, data in entries:
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        comp = c.compress(data) + c.flush()
        crc = zlib.crc32(data)
        offset = len(out)
        n = name.encode()
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x0008, 8, 0, 0x21, 0, 0, 0, len(n), 0) + n + comp
        if descriptor_signature:
            out += struct.pack("<I", 0x08074B50)
        if zip64:
            out += struct.pack("<IQQ", crc, len(comp), len(data))
            extra = struct.pack("<HHQQQ", 1, 24, len(data), len(comp), offset)
            central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0x0008, 8, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                                   len(n), len(extra), 0, 0, 0, 0, 0xFFFFFFFF) + n + extra
        else:
            out += struct.pack("<III", crc, len(comp), len(data))
            central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x0008, 8, 0, 0x21, crc, len(comp), len(data),
                                   len(n), 0, 0, 0, 0, 0, offset) + n
    cd_offset = len(out)
    out += central
    if zip64:
        eocd64 = len(out)
        out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(entries), len(entries), len(central), cd_offset)
        out += struct.pack("<IIQI", 0x07064B50, 0, eocd64, 1)
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    else:
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), cd_offset, 0)
    return bytes(out)


open("nosig.zip", "wb").write(handmade([("a.txt", members["a.txt"]), ("dir/b.csv", members["dir/b.csv"])], False))
record("nosig.zip", ["a.txt", "dir/b.csv"])
assert zipfile.ZipFile("nosig.zip").read("dir/b.csv") == members["dir/b.csv"]
open("zip64-central.zip", "wb").write(handmade([("a.txt", members["a.txt"]), ("dir/b.csv", members["dir/b.csv"])], True, zip64=True))
record("zip64-central.zip", ["a.txt", "dir/b.csv"])
assert zipfile.ZipFile("zip64-central.zip").read("dir/b.csv") == members["dir/b.csv"]

data = bytearray(open("stored.zip", "rb").read())
eocd = data.rfind(b"PK\x05\x06")
cd_offset = struct.unpack_from("<I", data, eocd + 16)[0]
data[6] |= 1                  # local header flags of the first member
data[cd_offset + 8] |= 1      # its central directory flags
open("encrypted.zip", "wb").write(bytes(data))

with zipfile.ZipFile("empty.zip", "w") as z:
    pass

with open("expected.tsv", "w") as f:
    f.write("# archive\tmember\tlength\tsha256 (made by make_fixtures.py)\n")
    for row in expected:
        f.write("\t".join(str(x) for x in row) + "\n")
