#!/bin/sh
# h5_python.sh: results files written by the C writer, read from Python as a
# user would (tests/e2e/python_reader.py: h5py, xarray, pandas). The files
# come from the unit test binary: `test_h5 --write` (the synthetic result)
# and `test_h5 --write-edge` (chunked data, one replication, an empty axis).
# Uses /usr/bin/python3: a bare python3 may not see Debian's packages.
# Prints PASS/FAIL lines; exits 1 if anything failed.
here=$(dirname "$0")
build=${ES_BUILD:-build/rel}
py=/usr/bin/python3
if ! "$py" -c 'import h5py, xarray, h5netcdf' 2>/dev/null; then
    echo "FAIL python modules: $py cannot import h5py, xarray, h5netcdf (make deps)"
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
exit $status
