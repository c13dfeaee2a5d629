#!/bin/sh
# run.sh TARGET SECONDS: runs the libFuzzer target build/fuzz/fuzz_TARGET for
# SECONDS seconds (`make fuzz` calls it once per target; README.md here).
#
# Corpus folders, in libFuzzer's order (the first is the one it writes):
#   build/fuzz/corpus/TARGET   what this machine's runs found (not committed)
#   tests/fuzz/corpus/TARGET   the committed, minimized seed corpus
#   tests/fuzz/regress/TARGET  inputs that once crashed (also run by make test)
#   build/fuzz/seeds/TARGET    seeds made by this build (h5: real result files)
# A crash leaves its input in build/fuzz/artifacts/TARGET/ and fails. The
# log is build/fuzz/TARGET.log; the last lines printed are libFuzzer's
# final statistics (executions, exec/s, corpus size).
set -u
target=$1 seconds=$2
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
cd "$root" || exit 1
bin=build/fuzz/fuzz_$target
log=build/fuzz/$target.log
art=build/fuzz/artifacts/$target
mkdir -p "build/fuzz/corpus/$target" "$art" "build/fuzz/seeds/$target" "tests/fuzz/regress/$target" build/fuzz/tmp
# The targets' scratch folders: a crash skips their cleanup, so keep any
# leftovers inside build/ rather than /tmp.
TMPDIR=$root/build/fuzz/tmp
export TMPDIR

# The config dictionary: libconfig's syntax (tests/fuzz/cfg.dict) plus every
# parameter name and name component of this build's registry, so mutations
# reach the settings rather than stopping at "unknown setting".
dict= max_len=
# A real result is about 1.4 MB; libFuzzer would cut inputs to 1 MB.
[ "$target" = h5 ] && max_len=-max_len=4194304
if [ "$target" = cfg ]; then
    dict=build/fuzz/cfg.dict
    cp tests/fuzz/cfg.dict "$dict" || exit 1
    ./enforcesim params 2>/dev/null | awk 'NR > 2 { print $1 }' |
        awk -F. '{ print "\"" $0 "\""; for (i = 1; i <= NF; i++) print "\"" $i "\"" }' | sort -u >>"$dict"
fi

echo "fuzz $target: ${seconds}s (log: $log)"
nice -n 10 "$bin" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$art/" ${dict:+-dict="$dict"} $max_len \
    "build/fuzz/corpus/$target" "tests/fuzz/corpus/$target" "tests/fuzz/regress/$target" \
    "build/fuzz/seeds/$target" >"$log" 2>&1
rc=$?
# The last status line has the corpus ("corp: N/SIZE") and exec/s.
grep -E '^#[0-9]+' "$log" | tail -n 1
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log"
if [ "$rc" -ne 0 ]; then
    echo "fuzz $target: FAILED (status $rc); crash input in $art/; the report:"
    grep -E 'ERROR|BUG|SUMMARY|==[0-9]+==|^    #[0-9]' "$log" | head -n 40
    exit 1
fi
echo "fuzz $target: no crash"
