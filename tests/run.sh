#!/bin/sh
# Runs every unit test binary and every end-to-end script, then prints the
# totals as the last line: "N passed, N failed". Each test prints one line
# per check, "PASS name" or "FAIL name ...". A test program that crashes or
# prints nothing counts as one failure.
: "${ES_BIN:?}" "${ES_BUILD:?}"
export ES_BIN ES_BUILD ES_SAN
cd "$(dirname "$0")/.." || exit 1
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
pass=0; fail=0
run_one() { # name, command...
    name=$1; shift
    "$@" >"$log/out" 2>"$log/err"; rc=$?
    p=$(grep -c '^PASS' "$log/out"); f=$(grep -c '^FAIL' "$log/out")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "FAIL $name exited with status $rc"; fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; echo "FAIL $name ran no checks"; fi
    grep '^FAIL' "$log/out"
    [ "$f" -ne 0 ] && sed 's/^/    stderr: /' "$log/err" | tail -20
    echo "$name: $p passed, $f failed"
    pass=$((pass + p)); fail=$((fail + f))
}
for t in "$ES_BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    run_one "$(basename "$t")" "$t"
done
for t in tests/e2e/*.sh; do
    [ -f "$t" ] || continue
    run_one "$(basename "$t" .sh)" sh "$t"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
