#!/bin/sh
# journal_paths.sh: issue #12 item 5. The journal is indexed by the run's
# unit count: a record with a valid checksum naming a unit outside it is a
# damaged journal (exit 2 naming the record), not "out of memory". A
# journal path that is a folder, a symbolic link or a FIFO is refused with
# exit 2 and a message saying what it is, never followed, never blocking.
# Resuming a run whose units are all on record prints no ETA.
: "${ES_BIN:?}"
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
cfg="$root/tests/fuzz/tiny.cfg"
status=0
ok() { echo "PASS $1"; }
no() { echo "FAIL $1"; status=1; }

"$ES_BIN" run "$cfg" -q -o full.h5 --keep-journal 2>err || no "journal: cannot make a journal: $(cat err)"

# Resume with every unit on record: nothing to compute, so no ETA.
"$ES_BIN" run "$cfg" -o full.h5 --resume --keep-journal 2>err
rc=$?
[ $rc -eq 0 ] && ok "resume of a fully journaled run succeeds" || no "resume of a fully journaled run: exit $rc $(cat err)"
grep -q "units" err && ! grep -q "ETA" err && ok "resume of a fully journaled run prints progress without an ETA" ||
    no "resume of a fully journaled run: $(cat err)"

# Forged records with valid checksums, of units the 2-unit run does not have.
for unit in 2 1099511627776; do
    cp full.h5.journal forged.h5.journal
    /usr/bin/python3 - forged.h5.journal "$unit" <<'EOF'
import struct, sys
path, unit = sys.argv[1], int(sys.argv[2])
raw = open(path, "rb").read()
payload, idlen = struct.unpack_from("<QQ", raw, 16)
FNV_OFFSET, FNV_PRIME, MASK = 0xcbf29ce484222325, 0x100000001b3, (1 << 64) - 1
body = struct.pack("<qQ", unit, 7) + bytes(8 * payload)
h = FNV_OFFSET
for b in body:
    h = ((h ^ b) * FNV_PRIME) & MASK
with open(path, "ab") as f:
    f.write(b"UNITREC1" + body + struct.pack("<Q", h))
EOF
    "$ES_BIN" run "$cfg" -q -o forged.h5 --resume 2>err
    rc=$?
    if [ $rc -eq 2 ] && [ "$(wc -l <err)" -eq 1 ] && grep -q "damaged: record 2 .*unit $unit" err; then
        ok "journal record of unit $unit in a 2-unit run: exit 2 naming the record"
    else
        no "journal record of unit $unit: exit $rc, $(cat err)"
    fi
    rm -f forged.h5.journal forged.h5
done

# Journal paths that are no journal file, with --resume (opened) and without (created).
mkdir dir.h5.journal
ln -s full.h5.journal link.h5.journal
mkfifo fifo.h5.journal
for kind in dir link fifo; do
    for resume in --resume --force; do
        timeout 20 "$ES_BIN" run "$cfg" -q -o $kind.h5 $resume 2>err
        rc=$?
        if [ $rc -eq 2 ] && [ "$(wc -l <err)" -eq 1 ] && grep -Eq "journal.*(folder|symbolic link|FIFO)" err; then
            ok "journal path a $kind ($resume): exit 2 saying what it is"
        else
            no "journal path a $kind ($resume): exit $rc, $(cat err)"
        fi
    done
done
[ -d dir.h5.journal ] && [ -L link.h5.journal ] && [ -p fifo.h5.journal ] &&
    ok "the odd journal paths are left as they were" || no "an odd journal path was replaced"
exit $status
