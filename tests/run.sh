#!/bin/sh
# Runs every unit test binary and every end-to-end script, then prints the
# totals as the last line: "N passed, N failed, N skipped". Each test prints
# one line per check, "PASS name" or "FAIL name ...", or "SKIP name: reason"
# for a check that could not run on this machine (e.g. tests/e2e/slurm.sh
# when the Slurm daemons cannot start): counted and shown as skipped, never
# as passed or failed. A test program that crashes, exits non-zero without
# a FAIL line, or prints no PASS, FAIL or SKIP line counts as one failure.
# The exit status is 0 when nothing failed.
#
# Tests run ES_TEST_JOBS at a time (default 2, the cores of the CI machine);
# each writes its own output files, and the report is printed in a fixed
# order, so parallelism never changes what is printed.
: "${ES_BIN:?}" "${ES_BUILD:?}"
export ES_BIN ES_BUILD ES_SAN
cd "$(dirname "$0")/.." || exit 1

if [ "${1:-}" = --one ]; then   # internal: run one test into $2/<name>.*
    dir=$2; name=$3; shift 3
    start=$(date +%s)
    "$@" >"$dir/$name.out" 2>"$dir/$name.err"
    echo $? >"$dir/$name.rc"
    echo $(( $(date +%s) - start )) >"$dir/$name.secs"
    exit 0
fi

log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
: >"$log/all"
for t in "$ES_BUILD"/tests/test_*; do
    [ -x "$t" ] && printf '%s %s\n' "$(basename "$t")" "$t" >>"$log/all"
done
for t in tests/e2e/*.sh; do
    [ -f "$t" ] && printf '%s sh %s\n' "$(basename "$t" .sh)" "$t" >>"$log/all"
done
# The longest tests start first (longest processing time first): started
# last, one of them would run alone at the end while the other core idles.
# Seconds each took on an idle 2-core machine, longest first; the rest
# follow in name order.
slow="crn calibration test_enforcement mpi test_market test_investigations memory resume sweep calibrate slurm experiments h5_python zero_tolerance shards"
: >"$log/list"
for n in $slow; do grep "^$n " "$log/all" >>"$log/list"; done
while read -r n rest; do
    case " $slow " in *" $n "*) ;; *) printf '%s %s\n' "$n" "$rest" >>"$log/list" ;; esac
done <"$log/all"
# shellcheck disable=SC2016
xargs -P "${ES_TEST_JOBS:-2}" -L 1 sh -c 'sh tests/run.sh --one "$0" "$@"' "$log" <"$log/list"

pass=0; fail=0; skip=0
while read -r name _; do
    p=$(grep -c '^PASS' "$log/$name.out" 2>/dev/null); f=$(grep -c '^FAIL' "$log/$name.out" 2>/dev/null)
    s=$(grep -c '^SKIP' "$log/$name.out" 2>/dev/null)
    rc=$(cat "$log/$name.rc" 2>/dev/null || echo 127)
    p=${p:-0}; f=${f:-0}; s=${s:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "FAIL $name exited with status $rc"; fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then f=1; echo "FAIL $name ran no checks"; fi
    grep '^FAIL' "$log/$name.out" 2>/dev/null
    grep '^SKIP' "$log/$name.out" 2>/dev/null
    [ "$f" -ne 0 ] && sed 's/^/    stderr: /' "$log/$name.err" 2>/dev/null | tail -20
    echo "$name: $p passed, $f failed, $s skipped ($(cat "$log/$name.secs" 2>/dev/null || echo ?) s)"
    pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
done <"$log/list"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
