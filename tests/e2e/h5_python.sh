#!/bin/sh
# h5_python.sh: results files written by the C writer, read from Python as a
# user would (tests/e2e/python_reader.py: h5py, xarray, pandas). The files
# come from the unit test binary: `test_h5 --write` (the synthetic result)
# and `test_h5 --write-edge` (chunked data, one replication, an empty axis).
# Then `enforcesim info` on the synthetic file, if the CLI is built.
# Uses /usr/bin/python3: a bare python3 may not see Debian's packages.
# Prints PASS/FAIL lines; exits 1 if anything failed.
here=$(dirname "$0")
build=${ES_BUILD:-build/rel}
py=/usr/bin/python3
if ! "$py" -c 'import h5py, xarray, h5netcdf' 2>/dev/null; then
    echo "FAIL python modules: $py cannot import h5py, xarray, h5netcdf (make deps-test)"
    exit 1
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
status=0
for mode in write write-edge; do
    if "$build/tests/test_h5" "--$mode" "$tmp/$mode.h5"; then
        echo "PASS test_h5 --$mode"
    else
        echo "FAIL test_h5 --$mode: could not write the file"
        status=1
        continue
    fi
    "$py" "$here/python_reader.py" "$tmp/$mode.h5" >"$tmp/out"
    [ $? -eq 0 ] || status=1
    sed "s/^\(PASS\|FAIL\) /\1 [$mode] /" "$tmp/out"
done

# `enforcesim info` on the same synthetic file (when the CLI is built).
bin=${ES_BIN:-./enforcesim}
check() { # name, condition...
    name=$1; shift
    if "$@"; then echo "PASS info: $name"; else echo "FAIL info: $name"; status=1; fi
}
if [ -x "$bin" ] && [ -f "$tmp/write.h5" ]; then
    "$bin" info "$tmp/write.h5" --metric mean_fee >"$tmp/info" 2>"$tmp/info.err"
    check "exit 0 on a good file" [ $? -eq 0 ]
    check "provenance and scenarios" grep -q "^seed *5000000000123 (rng philox4x64)" "$tmp/info"
    check "both scenarios listed" [ "$(grep -c '^scenario ' "$tmp/info")" -eq 2 ]
    check "months covered" grep -q "months *2015-10 to 2018-09 (36)" "$tmp/info"
    check "headline rows 'mean [lo, hi]'" grep -Eq "^ +2016 +apprehensions +person +[0-9.]+ \[[0-9.]+, [0-9.]+\]$" "$tmp/info"
    check "--metric adds a row" grep -q " mean_fee  *USD " "$tmp/info"
    head -c 5000 "$tmp/write.h5" >"$tmp/cut.h5"
    "$bin" info "$tmp/cut.h5" >/dev/null 2>"$tmp/info.err"
    check "truncated file: exit 2" [ $? -eq 2 ]
    check "truncated file: one line naming it" [ "$(wc -l <"$tmp/info.err")" -eq 1 ]
    check "truncated file: names the file" grep -q "cut.h5" "$tmp/info.err"
    # The seal (io/seal.h) checked as README tells users to, with Python's
    # standard library alone; h5dump reads past the user block.
    "$py" - "$tmp/write.h5" <<'EOF'
import sys, zlib
data = open(sys.argv[1], "rb").read()
head = dict(l.split(": ", 1) for l in data[:512].rstrip(b"\0").decode().splitlines()[1:])
body = data[int(head["userblock"]):]
ok = head["algorithm"] == "crc32" and len(body) == int(head["length"]) and zlib.crc32(body) == int(head["crc32"], 16)
print("%s seal: zlib.crc32 of the bytes after the user block equals the recorded crc32" % ("PASS" if ok else "FAIL"))
EOF
    if command -v h5dump >/dev/null; then
        h5dump -H "$tmp/write.h5" >/dev/null 2>&1
        check "h5dump reads a sealed file" [ $? -eq 0 ]
    fi
    "$bin" info "$tmp/write.h5" --metric no_such_metric >/dev/null 2>&1
    check "unknown --metric: exit 2" [ $? -eq 2 ]
fi
exit $status
