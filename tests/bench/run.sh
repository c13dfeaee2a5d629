#!/bin/sh
# Benchmarks (`make bench`; never part of `make test`, and no timing is ever
# asserted). usage: sh tests/bench/run.sh BUILD_DIR   (e.g. build/rel)
#
# Engine micro-benchmarks: tests/bench/bench_engine.c runs M/M/1 (1e7 events)
# and hold with 1e3 and 1e6 pending events (1e7 timed events) through the
# engine API, hold both with the heap alone and with the engine's buckets
# (hold1e3b, hold1e6b: the same events, against the same reference). If ../shared/bench exists beside the repository, its bare
# reference loops (same generator, same draws, a plain binary heap, no engine)
# are built and run in the same session, interleaved with ours, and the
# engine/reference ratio of events/s is printed per workload, together with a
# check that both executed the same events (same checksum as the reference
# prints it).
#
# ES_BENCH_REF overrides the reference directory (default ../shared/bench).
# Each workload runs ES_BENCH_REPS times (default 3); the best run of each
# side is kept, since on a shared machine noise only ever slows a run down.
# The engine's best lines go to stdout and are appended to results/bench.jsonl:
#   {"bench":"mm1"|"hold"|"hold_buckets","pending":N (hold only),"events":..,"seconds":..,
#    "events_per_s":..,"peak_rss_kb":..}
# peak_rss_kb is getrusage's ru_maxrss of the benchmark process (one process
# per run). The reference's peak RSS is shown when GNU time is installed.
build=${1:?usage: sh tests/bench/run.sh BUILD_DIR}
cd "$(dirname "$0")/../.." || exit 1
reps=${ES_BENCH_REPS:-3}
case $build in
*san*) echo "bench: $build is a sanitizer build; run 'make bench' without SAN=1" >&2; exit 2 ;;
esac
lib=$build/libenforcesim.a
[ -f "$lib" ] || { echo "bench: $lib not found; run make first" >&2; exit 1; }
mkdir -p "$build/bench" results || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# Same compiler flags as the release build of the library. pkg-config's
# output is a list of words, hence unquoted.
bin=$build/bench/bench_engine
# shellcheck disable=SC2046
${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -O3 -g -Wall -Wextra -Wshadow -Wstrict-prototypes \
    -Wmissing-prototypes -Wundef -Wwrite-strings -fno-common -Isim \
    $(pkg-config --cflags gsl) -o "$bin" tests/bench/bench_engine.c "$lib" $(pkg-config --libs gsl) -lm ||
    { echo "bench: cannot build $bin" >&2; exit 1; }

refdir=${ES_BENCH_REF:-../shared/bench}
refout=$PWD/build/bench-ref
have_ref=0
if [ -f "$refdir/Makefile" ]; then
    # MAKEFLAGS cleared so that variables given to the outer make (CFLAGS,
    # SAN, ...) do not leak into the reference's build.
    if MAKEFLAGS='' MFLAGS='' make -s -C "$refdir" OUT="$refout" CFLAGS="-O2 -std=gnu11 -Wall" >"$tmp/refbuild" 2>&1; then
        have_ref=1
    else
        echo "bench: reference failed to build; skipping comparison"; sed 's/^/    /' "$tmp/refbuild"
    fi
else
    echo "reference not found; skipping comparison"
fi
gnutime=
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then gnutime=/usr/bin/time; fi

# field NAME FILE: a number from the engine's JSON line.
field() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" "$2" | head -n 1; }
# better A B: succeeds if A > B (B may be empty).
better() { [ -z "$2" ] || awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 > b + 0) }'; }

# Workloads by key; run_eng and run_ref run one on either side.
workloads="mm1 hold1e3 hold1e6 hold1e3b hold1e6b"
run_eng() {
    case $1 in
    mm1) "$bin" mm1 ;;
    hold1e3) "$bin" hold 1000 ;;
    hold1e6) "$bin" hold 1000000 ;;
    hold1e3b) "$bin" hold-buckets 1000 ;;
    hold1e6b) "$bin" hold-buckets 1000000 ;;
    esac
}
run_ref() { # also records the reference's peak RSS in $tmp/r.time if it can
    case $1 in
    mm1) set -- "$refout/ref-mm1" 1 1 5000000 ;;
    hold1e3 | hold1e3b) set -- "$refout/ref-hold" 1000 1e7 ;;
    hold1e6 | hold1e6b) set -- "$refout/ref-hold" 1000000 1e7 ;;
    esac
    if [ -n "$gnutime" ]; then "$gnutime" -f 'peak_rss_kb=%M' -o "$tmp/r.time" "$@"; else "$@"; fi
}
# The reference's events/s and checksum, from its own report.
ref_eps() { sed -n 's/.* \([0-9.e+]*\) heap pops\/s.*/\1/p; s/.*-> \([0-9.e+]*\) pops\/s.*/\1/p' "$1" | head -n 1; }
checksum() { sed -n 's/.*\(pops=[0-9]*\).*\(avg_tsys=[0-9.]*\).*/\1 \2/p; s/.*\(chk [0-9.]*\).*/\1/p' "$1" | head -n 1; }

failed=0
r=1
while [ "$r" -le "$reps" ]; do
    for w in $workloads; do
        if ! run_eng "$w" >"$tmp/e.out" 2>"$tmp/e.err"; then
            echo "bench: engine workload $w failed:" >&2; cat "$tmp/e.err" >&2
            failed=1; continue
        fi
        eps=$(field events_per_s "$tmp/e.out")
        if better "$eps" "$(cat "$tmp/$w.eps" 2>/dev/null)"; then
            echo "$eps" >"$tmp/$w.eps"; cp "$tmp/e.out" "$tmp/$w.json"
        fi
        checksum "$tmp/e.err" >"$tmp/$w.echk"
        [ "$have_ref" = 1 ] || continue
        if ! run_ref "$w" >"$tmp/r.out" 2>"$tmp/r.err"; then
            echo "bench: reference workload $w failed:" >&2; cat "$tmp/r.err" >&2
            continue
        fi
        refeps=$(ref_eps "$tmp/r.out")
        if better "$refeps" "$(cat "$tmp/$w.reps" 2>/dev/null)"; then
            echo "$refeps" >"$tmp/$w.reps"
            sed -n 's/peak_rss_kb=//p' "$tmp/r.time" 2>/dev/null >"$tmp/$w.rrss"
        fi
        checksum "$tmp/r.out" >"$tmp/$w.rchk"
    done
    r=$((r + 1))
done

echo "# engine benchmarks, best of $reps runs"
for w in $workloads; do
    [ -f "$tmp/$w.json" ] || continue
    cat "$tmp/$w.json"
    cat "$tmp/$w.json" >>results/bench.jsonl
done
if [ "$have_ref" = 1 ]; then
    printf '%-9s %14s %14s %7s %12s %12s  %s\n' workload engine_ev/s reference_ev/s ratio engine_rss_kb ref_rss_kb same_events
    for w in $workloads; do
        if [ ! -f "$tmp/$w.json" ] || [ ! -f "$tmp/$w.reps" ]; then continue; fi
        e=$(cat "$tmp/$w.eps"); f=$(cat "$tmp/$w.reps")
        same=no; cmp -s "$tmp/$w.echk" "$tmp/$w.rchk" && [ -s "$tmp/$w.echk" ] && same="yes ($(cat "$tmp/$w.echk"))"
        awk -v w="$w" -v e="$e" -v f="$f" -v rss="$(field peak_rss_kb "$tmp/$w.json")" \
            -v rrss="$(cat "$tmp/$w.rrss" 2>/dev/null)" -v same="$same" \
            'BEGIN { printf "%-9s %14.4g %14.4g %7.3f %12s %12s  %s\n", w, e, f, e / f, rss, (rrss == "" ? "n/a" : rrss), same }'
    done
fi

# model benchmark: one replication of the baseline (4 years), and the same
# model over a 20-year horizon to show memory follows live entities, not time.
if [ "${ES_BENCH_MODEL:-1}" = 1 ]; then
    mkdir -p "$build/bench"
    # shellcheck disable=SC2086
    if ${CC:-cc} -std=c11 -O3 -D_POSIX_C_SOURCE=200809L -Isim $(pkg-config --cflags gsl libconfig hdf5-serial) \
        -o "$build/bench/bench_model" tests/bench/bench_model.c "$build/libenforcesim.a" \
        $(pkg-config --libs gsl libconfig hdf5-serial) -lhdf5_hl -lpthread -lm; then
        echo "# model benchmark: baseline, one replication, one core"
        best=""
        for _ in 1 2 3; do
            line=$("$build/bench/bench_model" configs/baseline.cfg) || { failed=1; break; }
            printf '%s\n' "$line" >"$tmp/m.json"
            s=$(field seconds_per_year "$tmp/m.json")
            if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$s; bestline=$line; fi
        done
        echo "$bestline"; echo "$bestline" >>results/bench.jsonl
        long=$("$build/bench/bench_model" configs/baseline.cfg --set horizon.end=2034-09-30) || failed=1
        echo "$long"; echo "$long" >>results/bench.jsonl
        printf '%s\n%s\n' "$bestline" "$long" >"$tmp/mm"
        awk -F'"peak_rss_kb":' 'NF > 1 { sub(/}.*/, "", $2); r[NR] = $2 }
            END { printf "model peak memory: 20-year / 4-year horizon = %.2f\n", r[2] / r[1] }' "$tmp/mm"
        printf '%s\n' "$bestline" >"$tmp/best.json"
        printf '%s\n' "$long" >"$tmp/long.json"
        printf 'model: %s s per simulated year on one core (20-year horizon: %s s), %s events/s\n' \
            "$best" "$(field seconds_per_year "$tmp/long.json")" "$(field events_per_s "$tmp/best.json")"
    else
        echo "model benchmark: build failed" >&2; failed=1
    fi
fi

# ---- experiment benchmark (issue 4) ----------------------------------------
# Units per second of `enforcesim run` on ES_BENCH_UNITS (40) replications of
# the baseline with -j 1 and -j 2, and the speed-up. Wall time of the whole
# command (config, units, comparisons, HDF5 file), one run each. Both files
# must hold the same data (tests/e2e/compare_data.py); no timing is asserted.
# ES_BENCH_EXPERIMENT=0 skips it.
if [ "${ES_BENCH_EXPERIMENT:-1}" = 1 ]; then
    es=./enforcesim
    units=${ES_BENCH_UNITS:-40}
    echo "# experiment benchmark: configs/baseline.cfg, $units replications, -j 1 and -j 2 ($(nproc) cores)"
    for j in 1 2; do
        t0=$(date +%s.%N)
        if [ -n "$gnutime" ]; then
            "$gnutime" -f '%M' -o "$tmp/exp$j.rss" "$es" run configs/baseline.cfg -r "$units" -j "$j" -q --force \
                -o "$tmp/exp$j.h5" || failed=1
        else
            "$es" run configs/baseline.cfg -r "$units" -j "$j" -q --force -o "$tmp/exp$j.h5" || failed=1
        fi
        t1=$(date +%s.%N)
        secs=$(awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.3f", a - b }')
        awk -v j="$j" -v n="$units" -v s="$secs" \
            -v rss="$(cat "$tmp/exp$j.rss" 2>/dev/null)" \
            'BEGIN { printf "{\"bench\":\"experiment\",\"config\":\"baseline\",\"units\":%d,\"threads\":%d,\"seconds\":%.3f,\"units_per_s\":%.4f,\"peak_rss_kb\":%s}\n", n, j, s, n / s, (rss == "" ? "null" : rss) }' \
            >"$tmp/exp$j.json"
        cat "$tmp/exp$j.json"; cat "$tmp/exp$j.json" >>results/bench.jsonl
    done
    same=no
    /usr/bin/python3 tests/e2e/compare_data.py "$tmp/exp1.h5" "$tmp/exp2.h5" >/dev/null 2>&1 && same=yes
    u1=$(field units_per_s "$tmp/exp1.json"); u2=$(field units_per_s "$tmp/exp2.json")
    awk -v a="$u1" -v b="$u2" -v same="$same" \
        'BEGIN { printf "experiment: %.3f units/s with -j 1, %.3f with -j 2: speed-up %.2f; identical data: %s\n", a, b, b / a, same }'
    [ "$same" = yes ] || failed=1
fi

exit "$failed"
