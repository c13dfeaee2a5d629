#!/bin/sh
# memory_limit.sh: issue #12 item 3. Under an address-space limit
# (ulimit -v) from 32 to 48 MB, `run` of a small config (tests/fuzz/tiny.cfg)
# ends in success or a clean exit 1 every time: never an abort or a signal
# (before io/reserve.h, libhdf5 crashed in H5DSattach_scale or corrupted
# the heap near 36-37 MB), never a partial or temporary file at the output.
# `make test` runs every 4th step of 250 KB (17 limits, about 25 s);
# ES_MEMLIMIT_FULL=1 runs all 65 (about 90 s). Release build only: ASan
# reserves terabytes of address space, which no such limit allows.
: "${ES_BIN:?}"
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
if [ "${ES_SAN:-0}" = 1 ]; then
    echo "SKIP memory_limit: release build only (ASan needs unlimited address space)"
    exit 0
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
step=1000
[ "${ES_MEMLIMIT_FULL:-0}" = 1 ] && step=250
kb=32000 n=0 ok=0 clean=0 bad=0
while [ $kb -le 48000 ]; do
    rm -f "$tmp"/out.h5*
    (ulimit -v $kb && exec "$ES_BIN" run "$root/tests/fuzz/tiny.cfg" -q -o "$tmp/out.h5") 2>"$tmp/err"
    rc=$?
    n=$((n + 1))
    left=$(ls "$tmp" | grep -c '\.tmp-')
    if [ $rc -eq 0 ] && [ -f "$tmp/out.h5" ] && [ "$left" -eq 0 ]; then
        ok=$((ok + 1))
    elif [ $rc -eq 1 ] && [ ! -e "$tmp/out.h5" ] && [ "$left" -eq 0 ] &&
        [ "$(grep -cv '^enforcesim: ' "$tmp/err")" -eq 0 ]; then
        clean=$((clean + 1))
    else
        bad=$((bad + 1))
        [ $bad -le 5 ] && echo "# ulimit -v $kb: exit $rc, $(head -c 200 "$tmp/err" | tr '\n' ' ')"
    fi
    kb=$((kb + step))
done
echo "$([ $bad -eq 0 ] && echo PASS || echo FAIL) memory_limit: run under ulimit -v 32-48 MB ($n limits, every $step KB): $ok succeeded, $clean clean exit 1, $bad otherwise"
