#!/bin/sh
# memory.sh: issue #5, "memory of run and merge does not grow with the
# number of units beyond the output itself". A sweep of a small model
# (memory_sweep.cfg, 1000 points) with 1 and 3 replications per point
# (1000 and 3000 units): the peak resident memory of `run` and of `merge`
# (of 2 shards) grows by less than twice a unit's kept output per unit
# between the two (the kept output is metrics x 2 years x 8 bytes, 2.6 KB
# with 162 metrics; the rest is its share of the compressed file image), and
# stays under 200 MB. docs/experiments.md
# (Sweeps) quotes the 10^4-unit figures. Release build only: the sanitizers change
# memory use.
: "${ES_BIN:?}"
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
if [ "${ES_SAN:-0}" = 1 ]; then echo "SKIP run_and_merge_memory: release build only (ASan changes memory use)"; exit 0; fi
cfg="$root/tests/e2e/memory_sweep.cfg"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# peak_kb CMD...: runs CMD, prints its peak resident set size in KB (exit 1 if CMD failed).
peak_kb() {
    /usr/bin/python3 -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[1:], stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(1 if rc else 0)' "$@"
}

for r in 1 3; do
    run_kb=$(peak_kb "$ES_BIN" run "$cfg" -q -r $r -j 2 -o "$tmp/run$r.h5") || { echo "FAIL memory_run_$r"; exit 1; }
    for i in 0 1; do
        "$ES_BIN" run "$cfg" -q -r $r -j 2 --shard $i/2 -o "$tmp/s$r-$i.h5" || { echo "FAIL memory_shard_$r"; exit 1; }
    done
    merge_kb=$(peak_kb "$ES_BIN" merge "$tmp/m$r.h5" "$tmp/s$r-0.h5" "$tmp/s$r-1.h5") || { echo "FAIL memory_merge_$r"; exit 1; }
    eval "run_$r=$run_kb merge_$r=$merge_kb"
    echo "# $((r * 1000)) units: run peak $run_kb KB, merge peak $merge_kb KB"
done
metrics=$("$ES_BIN" params --metrics | grep -c '^[a-z0-9_]* ')
awk -v a="$run_1" -v b="$run_3" -v c="$merge_1" -v d="$merge_3" -v m="$metrics" 'BEGIN {
    gr = (b - a) * 1024 / 2000; gm = (d - c) * 1024 / 2000; lim = 2 * m * 2 * 8
    printf "%s run_memory_grows_only_with_the_output: %.0f bytes per unit, limit %d (run peak %d KB at 3000 units)\n",
           (gr < lim && b < 200 * 1024 ? "PASS" : "FAIL"), gr, lim, b
    printf "%s merge_memory_grows_only_with_the_output: %.0f bytes per unit, limit %d (merge peak %d KB at 3000 units)\n",
           (gm < lim && d < 200 * 1024 ? "PASS" : "FAIL"), gm, lim, d }'
