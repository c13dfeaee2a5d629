#!/bin/sh
# resource_failures.sh: docs/development.md (Fuzzing and bad inputs), "out of disk space or an
# unwritable directory: a clear error, exit 1, earlier results intact".
# `enforcesim run --force` over an earlier result, into
#   1. a folder it may not write to, and
#   2. a disk that fills up half way through the file,
# must exit 1 with one line on stderr that says what failed, leave the
# earlier result byte for byte, and leave no temporary file behind.
# A disk that fills up while units are journaled keeps the journal, and
# --resume finishes the run once there is space (case 4).
#
# How each case is made (a "# how:" line says which one ran):
# - Unwritable folder: for a normal user, chmod 0555. Permissions do not
#   stop root, so as root a small tmpfs is mounted there and remounted
#   read-only (EROFS); when mount is not allowed, the case is skipped.
# - Full disk: as root, a tmpfs just larger than the earlier result, so the
#   new file (written beside it before the rename) runs out of space
#   (ENOSPC, what a full disk gives). Otherwise RLIMIT_FSIZE (`ulimit -f`)
#   with SIGXFSZ ignored, so the write fails with EFBIG instead.
# Prints PASS/FAIL lines.
: "${ES_BIN:?set ES_BIN to the enforcesim binary (make test does)}"
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
cfg="$root/tests/fuzz/tiny.cfg"
tmp=$(mktemp -d) || exit 1
mounted=
cleanup() {
    for m in $mounted; do umount "$m" 2>/dev/null; done
    chmod -R u+w "$tmp" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

# The earlier result: one replication. The new one asks for three (a
# different file, so "intact" is a real check).
if ! "$ES_BIN" run "$cfg" -q -o "$tmp/earlier.h5" 2>"$tmp/err"; then
    echo "FAIL resource_fixture: cannot make the earlier result: $(head -n 1 "$tmp/err")"
    exit 1
fi
size=$(wc -c <"$tmp/earlier.h5" | tr -d ' ')

# expect_failure NAME DIR NEEDLE: the last run's status, stderr and files.
expect_failure() {
    name=$1 d=$2 needle=$3
    why=
    if [ "$rc" -ge 128 ]; then why="crashed (status $rc)"
    elif [ "$rc" -ne 1 ]; then why="exit status $rc, not 1"
    elif [ "$(wc -l <"$tmp/err" | tr -d ' ')" -ne 1 ]; then why="stderr is not one line"
    elif ! grep -q '^enforcesim: cannot write ' "$tmp/err"; then why="message does not say 'cannot write'"
    elif ! grep -qF -- "$needle" "$tmp/err"; then why="message does not say '$needle'"
    elif ! cmp -s "$d/out.h5" "$tmp/earlier.h5"; then why="the earlier result was changed"
    elif ls "$d"/out.h5.tmp-* >/dev/null 2>&1; then why="a temporary file was left behind"
    fi
    if [ -z "$why" ]; then
        echo "PASS resource_$name"
    else
        echo "FAIL resource_$name: $why"
        sed 's/^/    stderr: /' "$tmp/err" | head -n 3
    fi
}

can_mount() { [ "$(id -u)" = 0 ] && mount -t tmpfs -o size="$2" tmpfs "$1" 2>/dev/null && mounted="$1 $mounted"; }

# 1. Unwritable folder.
d=$tmp/readonly
mkdir "$d"
if [ "$(id -u)" != 0 ]; then
    cp "$tmp/earlier.h5" "$d/out.h5"
    chmod 0555 "$d"
    echo "# how: unwritable folder by chmod 0555"
    "$ES_BIN" run "$cfg" -q -r 3 --force -o "$d/out.h5" 2>"$tmp/err"; rc=$?
    expect_failure unwritable_folder_is_exit_1 "$d" "Permission denied"
    chmod 0755 "$d"
elif can_mount "$d" 8m && cp "$tmp/earlier.h5" "$d/out.h5" && mount -o remount,ro "$d"; then
    echo "# how: unwritable folder by a read-only tmpfs (running as root)"
    "$ES_BIN" run "$cfg" -q -r 3 --force -o "$d/out.h5" 2>"$tmp/err"; rc=$?
    expect_failure unwritable_folder_is_exit_1 "$d" "Read-only file system"
else
    echo "SKIP resource_unwritable_folder_is_exit_1: running as root (permissions do not stop root) and mount is not allowed here"
fi

# 2. Full disk.
d=$tmp/full
mkdir "$d"
# Room for the earlier result and half of the new one (tmpfs rounds to pages).
room=$((size + size / 2))
if can_mount "$d" "$room"; then
    cp "$tmp/earlier.h5" "$d/out.h5"
    echo "# how: full disk by a tmpfs of $room bytes"
    "$ES_BIN" run "$cfg" -q -r 3 --force -o "$d/out.h5" 2>"$tmp/err"; rc=$?
    expect_failure full_disk_is_exit_1 "$d" "No space left on device"
else
    cp "$tmp/earlier.h5" "$d/out.h5"
    echo "# how: full disk by RLIMIT_FSIZE (ulimit -f), SIGXFSZ ignored"
    # ulimit -f counts 512-byte blocks in sh: half the file.
    (trap '' XFSZ; ulimit -f $((size / 1024)); exec "$ES_BIN" run "$cfg" -q -r 3 --force -o "$d/out.h5") 2>"$tmp/err"
    rc=$?
    expect_failure full_disk_is_exit_1 "$d" "File too large"
fi

# 3. A full disk and no earlier result: no file at all, not a partial one.
d=$tmp/full2
mkdir "$d"
if can_mount "$d" $((size / 2)); then
    "$ES_BIN" run "$cfg" -q -o "$d/new.h5" 2>"$tmp/err"; rc=$?
else
    (trap '' XFSZ; ulimit -f $((size / 1024)); exec "$ES_BIN" run "$cfg" -q -o "$d/new.h5") 2>"$tmp/err"; rc=$?
fi
if [ "$rc" = 1 ] && [ "$(wc -l <"$tmp/err" | tr -d ' ')" = 1 ] && [ ! -e "$d/new.h5" ] &&
    ! ls "$d"/new.h5.tmp-* >/dev/null 2>&1; then
    echo "PASS resource_full_disk_leaves_no_partial_new_file"
else
    echo "FAIL resource_full_disk_leaves_no_partial_new_file: status $rc: $(head -n 1 "$tmp/err")"
fi

# 4. The disk fills up while units are being journaled: exit 1, the journal
# keeps the units completed so far, and once there is space again --resume
# finishes with the data of an uninterrupted run.
"$ES_BIN" run "$cfg" -q -r 6 -o "$tmp/ref6.h5" --keep-journal 2>/dev/null
jsize=$(wc -c <"$tmp/ref6.h5.journal" | tr -d ' ')
d=$tmp/full3
mkdir "$d"
if can_mount "$d" $((jsize / 2)); then
    how="a tmpfs of $((jsize / 2)) bytes, then remounted larger"
    "$ES_BIN" run "$cfg" -q -r 6 -o "$d/out.h5" 2>"$tmp/err"; rc=$?
    mount -o remount,size=64m "$d"
else
    how="RLIMIT_FSIZE, then no limit"
    (trap '' XFSZ; ulimit -f $((jsize / 1024)); exec "$ES_BIN" run "$cfg" -q -r 6 -o "$d/out.h5") 2>"$tmp/err"; rc=$?
fi
echo "# how: journal on a full disk by $how"
held=$(/usr/bin/python3 "$root/tests/e2e/journal_units.py" "$d/out.h5.journal" 2>/dev/null)
if [ "$rc" = 1 ] && [ "$(wc -l <"$tmp/err" | tr -d ' ')" = 1 ] && grep -q 'cannot append to journal' "$tmp/err" &&
    grep -q -- '--resume' "$tmp/err" && [ ! -e "$d/out.h5" ] && echo "$held" | grep -q 'valid=[1-5] .*invalid=0 tail=0'; then
    echo "PASS resource_full_disk_during_units_is_exit_1_and_keeps_the_journal"
else
    echo "FAIL resource_full_disk_during_units_is_exit_1_and_keeps_the_journal: status $rc, journal: $held: $(head -n 2 "$tmp/err")"
fi
"$ES_BIN" run "$cfg" -q -r 6 -o "$d/out.h5" --resume 2>"$tmp/err"; rc=$?
if [ "$rc" = 0 ] && [ ! -e "$d/out.h5.journal" ] &&
    /usr/bin/python3 "$root/tests/e2e/compare_data.py" "$tmp/ref6.h5" "$d/out.h5" >/dev/null; then
    echo "PASS resource_resume_completes_once_space_is_back"
else
    echo "FAIL resource_resume_completes_once_space_is_back: status $rc: $(head -n 2 "$tmp/err")"
fi
exit 0
