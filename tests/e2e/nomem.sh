#!/bin/sh
# nomem.sh: out of memory through the command line (docs/cli.md, Exit status and errors and 9).
# `enforcesim run tests/e2e/small.cfg -r 1 -j 1`, then `enforcesim merge` of
# two shards, each with its N-th allocation failing (ES_MEM_FAULT=N,
# core/mem.h; -j 1 keeps every allocation of the run in the thread that
# counts), for N = 1, 2, ... until three runs in a row succeed: every failing
# run must exit 1 with one line on stderr saying "out of memory" and leave no
# result file. Under SAN=1 LeakSanitizer checks each exit, so a leak makes
# the exit status or stderr wrong. A success followed by a failure means an
# allocation failure was dropped. (tests/unit/test_nomem.c does the same
# inside the library, with persistent failures too.) libhdf5's and
# libconfig's own allocations are not counted. Prints PASS/FAIL lines.
: "${ES_BIN:?set ES_BIN to the enforcesim binary (make test does)}"
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
cfg="$root/tests/e2e/small.cfg"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# libhdf5 1.10.8 keeps free-list blocks of its own when a flush fails
# (tests/unit/test_nomem.c); not ours to free.
LSAN_OPTIONS="suppressions=$root/tests/e2e/nomem.lsan:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS

max=5000 # a guard: these commands make a few hundred counted allocations

# fault_loop NAME OUT ARGS...: enforcesim ARGS with its N-th allocation
# failing, N = 1, 2, ... until three runs in a row succeed; OUT is the
# result file a failing run must not leave.
fault_loop() {
    name=$1 out=$2; shift 2
    n=0 bad=0 ok_streak=0 first_ok=0 checked=0
    while [ "$n" -lt "$max" ] && [ "$ok_streak" -lt 3 ]; do
        n=$((n + 1))
        rm -f "$out" "$out.journal"
        ES_MEM_FAULT=$n "$ES_BIN" "$@" >"$tmp/out" 2>"$tmp/err"
        rc=$?
        lines=$(wc -l <"$tmp/err" | tr -d ' ')
        if [ "$rc" -eq 0 ]; then
            [ "$first_ok" -eq 0 ] && first_ok=$n
            ok_streak=$((ok_streak + 1))
            if [ ! -s "$out" ]; then
                bad=$((bad + 1))
                echo "# $name N=$n: exit 0 but no $out"
            fi
            continue
        fi
        checked=$((checked + 1))
        why=
        if [ "$ok_streak" -gt 0 ]; then
            why="fails after N=$first_ok succeeded (an allocation failure was dropped there)"
        elif [ "$rc" -ne 1 ]; then
            why="exit $rc, not 1"
        elif [ "$lines" -ne 1 ]; then
            why="$lines lines on stderr, not 1"
        elif ! grep -q '^enforcesim: .*out of memory' "$tmp/err"; then
            why="the message does not say out of memory"
        elif [ -e "$out" ]; then
            why="$out was left"
        fi
        if [ -n "$why" ]; then
            bad=$((bad + 1))
            [ "$bad" -le 5 ] && echo "# $name N=$n: $why: $(head -n 3 "$tmp/err" | tr '\n' ' ')"
        fi
        ok_streak=0 first_ok=0
    done
    if [ "$bad" -eq 0 ] && [ "$ok_streak" -ge 3 ] && [ "$checked" -gt 0 ]; then
        echo "PASS $name: each of $checked allocations failing exits 1 with one 'out of memory' line and no file"
    else
        echo "FAIL $name: $bad wrong of $checked failing runs (N up to $n; 3 successes in a row: $([ "$ok_streak" -ge 3 ] && echo yes || echo no))"
    fi
}

fault_loop nomem_run "$tmp/o.h5" run "$cfg" -r 1 -j 1 -q -o "$tmp/o.h5"
# merge: two shards of a two-scenario run with a comparison.
two="$root/tests/e2e/two_scenarios.cfg"
if "$ES_BIN" run "$two" -r 2 -q --shard 0/2 -o "$tmp/s0.h5" 2>"$tmp/err" &&
    "$ES_BIN" run "$two" -r 2 -q --shard 1/2 -o "$tmp/s1.h5" 2>>"$tmp/err"; then
    fault_loop nomem_merge "$tmp/m.h5" merge "$tmp/m.h5" "$tmp/s0.h5" "$tmp/s1.h5"
else
    echo "FAIL nomem_merge: cannot make the shards: $(head -n 2 "$tmp/err" | tr '\n' ' ')"
fi
