#!/bin/sh
# The calibrated baseline reproduces the calibration targets with the
# replication count of the acceptance (20), read from the result file as a
# user would; the FY2018 scenario reproduces the hours table. Also runs the
# generic Python reader on the real baseline file.
: "${ES_BIN:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if [ "${ES_SAN:-0}" = 1 ]; then
    # Under the sanitizers this checks memory safety of real runs, not the
    # calibration (the release build of the same suite checks that).
    "$ES_BIN" run configs/baseline.cfg -r 2 -q -o "$tmp/baseline.h5" && echo "PASS baseline_runs_under_sanitizers"
    "$ES_BIN" run configs/fy2018.cfg -r 2 -q -o "$tmp/fy2018.h5" && echo "PASS fy2018_runs_under_sanitizers"
    /usr/bin/python3 tests/e2e/python_reader.py "$tmp/baseline.h5" | grep -c '^PASS' >/dev/null && echo "PASS python_reader_on_sanitized_run"
    exit 0
fi
if "$ES_BIN" run configs/baseline.cfg -r 20 -q -o "$tmp/baseline.h5" 2>"$tmp/err"; then
    echo "PASS baseline_runs_20_replications"
else
    echo "FAIL baseline_runs_20_replications: $(cat "$tmp/err")"; exit 1
fi
/usr/bin/python3 tests/e2e/check_targets.py "$tmp/baseline.h5" configs/calibration/targets.csv baseline
/usr/bin/python3 tests/e2e/python_reader.py "$tmp/baseline.h5"
if "$ES_BIN" run configs/fy2018.cfg -r 8 -q -o "$tmp/fy2018.h5" 2>"$tmp/err"; then
    echo "PASS fy2018_runs"
    /usr/bin/python3 tests/e2e/check_hours.py "$tmp/fy2018.h5" configs/calibration/targets.csv
else
    echo "FAIL fy2018_runs: $(cat "$tmp/err")"
fi
exit 0
