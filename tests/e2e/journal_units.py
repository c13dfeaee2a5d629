#!/usr/bin/python3
"""journal_units.py JOURNAL: reads an enforcesim journal independently of
the C code (format in sim/io/journal.h) and prints one line:
    valid=N distinct=N duplicates=N invalid=N tail=N
valid records (magic and FNV-1a 64 checksum hold), distinct units among
them, units recorded more than once, full-size records that fail the
checks, and bytes after the last full record. Exit 1 if the header is bad."""
import struct
import sys

FNV_OFFSET, FNV_PRIME, MASK = 0xcbf29ce484222325, 0x100000001b3, (1 << 64) - 1


def fnv1a(data, h=FNV_OFFSET):
    for b in data:
        h = ((h ^ b) * FNV_PRIME) & MASK
    return h


def main(path):
    raw = open(path, "rb").read()
    if raw[:8] != b"ESJRNL01":
        print("not a journal")
        return 1
    mark, payload, idlen = struct.unpack_from("<QQQ", raw, 8)
    if mark != 0x0102030405060708:
        print("byte order")
        return 1
    end = 32 + idlen
    (hsum,) = struct.unpack_from("<Q", raw, end)
    if hsum != fnv1a(raw[:end]):
        print("header checksum")
        return 1
    off, rec = end + 8, 32 + 8 * payload
    seen, valid, invalid, dup = set(), 0, 0, 0
    while off + rec <= len(raw):
        r = raw[off:off + rec]
        unit = struct.unpack_from("<q", r, 8)[0]
        (s,) = struct.unpack_from("<Q", r, rec - 8)
        if r[:8] == b"UNITREC1" and s == fnv1a(r[8:rec - 8]):
            valid += 1
            dup += unit in seen
            seen.add(unit)
        else:
            invalid += 1
        off += rec
    print("valid=%d distinct=%d duplicates=%d invalid=%d tail=%d" % (valid, len(seen), dup, invalid, len(raw) - off))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
