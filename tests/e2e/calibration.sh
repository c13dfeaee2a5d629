#!/bin/sh
# The calibrated baseline reproduces the calibration targets with the
# replication count of the acceptance (20), read from the result file as a
# user would; the FY2018 scenario reproduces the hours table. Also runs the
# generic Python reader on the real baseline file. Each FAIL line names the
# target, the simulated mean, its 95% interval and the tolerance
# (check_targets.py, check_hours.py); check_ranges.py prints where the
# baseline lands on each kind=range row the model has an output for; a run or a checker that fails any
# other way gets a FAIL line with its exit status and stderr.
# Under SAN=1 the calibration is not checked (the release build of the same
# suite does): short runs check memory safety of the real configs.
: "${ES_BIN:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# run NAME ARGS...: enforcesim ARGS; PASS, or FAIL with the exit status and stderr.
run() {
    name=$1; shift
    "$ES_BIN" "$@" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -eq 0 ]; then echo "PASS $name"; else echo "FAIL $name: exit $rc: $(head -n 5 "$tmp/err" | tr '\n' ' ')"; fi
    return "$rc"
}
# py NAME SCRIPT ARGS...: a checker's PASS/FAIL lines, and a FAIL line when it
# exits non-zero without one (a crash, a missing dataset).
py() {
    name=$1; shift
    /usr/bin/python3 "$@" >"$tmp/py.out" 2>"$tmp/py.err"
    rc=$?
    cat "$tmp/py.out"
    if [ "$rc" -ne 0 ] && ! grep -q '^FAIL' "$tmp/py.out"; then
        echo "FAIL $name: exit $rc: $(tail -n 3 "$tmp/py.err" | tr '\n' ' ')"
    elif ! grep -q '^PASS\|^FAIL' "$tmp/py.out"; then
        echo "FAIL $name: printed no check"
    fi
}

if [ "${ES_SAN:-0}" = 1 ]; then
    run baseline_runs_under_sanitizers run configs/baseline.cfg -r 2 -q -o "$tmp/baseline.h5" &&
        py python_reader_on_sanitized_run tests/e2e/python_reader.py "$tmp/baseline.h5"
    run fy2018_runs_under_sanitizers run configs/fy2018.cfg -r 2 -q -o "$tmp/fy2018.h5"
    exit 0
fi
run baseline_runs_20_replications run configs/baseline.cfg -r 20 -q -o "$tmp/baseline.h5" || exit 0
py baseline_reproduces_targets tests/e2e/check_targets.py "$tmp/baseline.h5" configs/calibration/targets.csv baseline
py baseline_range_rows tests/e2e/check_ranges.py "$tmp/baseline.h5" configs/calibration/targets.csv baseline
py python_reader_on_baseline tests/e2e/python_reader.py "$tmp/baseline.h5"
# Speed work changes no distribution: these 20 replications against 40 made
# with another seed by the build before it (tests/e2e/reference/README.md).
py baseline_keeps_the_reference_distributions tests/e2e/check_distribution.py \
    tests/e2e/reference/baseline_fy_distribution.csv "$tmp/baseline.h5"
run fy2018_runs run configs/fy2018.cfg -r 8 -q -o "$tmp/fy2018.h5" &&
    py fy2018_reproduces_hours_table tests/e2e/check_hours.py "$tmp/fy2018.h5" configs/calibration/targets.csv
exit 0
