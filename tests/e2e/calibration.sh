#!/bin/sh
# The calibrated baseline reproduces the calibration targets with the
# replication count of the acceptance (20), read from the result file as a
# user would. Also runs the generic Python reader on this real file.
: "${ES_BIN:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if "$ES_BIN" run configs/baseline.cfg -r 20 -q -o "$tmp/baseline.h5" 2>"$tmp/err"; then
    echo "PASS baseline_runs_20_replications"
else
    echo "FAIL baseline_runs_20_replications: $(cat "$tmp/err")"; exit 1
fi
/usr/bin/python3 tests/e2e/check_targets.py "$tmp/baseline.h5" configs/calibration/targets.csv baseline
[ -f tests/e2e/python_reader.py ] && /usr/bin/python3 tests/e2e/python_reader.py "$tmp/baseline.h5"
exit 0
