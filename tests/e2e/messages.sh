#!/bin/sh
# messages.sh: issue #12 item 6 and the command line around it.
# - Every stored effective config validates and re-runs to identical data,
#   also for a run made with --seed at the top of run.seed's range, with
#   --set and -r overrides, with scenarios and comparisons, and a sweep: a
#   run can always be repeated from its own file.
# - --seed accepts exactly what run.seed accepts.
# - SIGHUP is handled like SIGTERM: a message, exit 143, the journal kept,
#   and --resume finishes to the data of an uninterrupted run.
# - compare on a sweep file says that it is a sweep.
# - --help on every command: exit 0, the usage on stdout, nothing on stderr.
: "${ES_BIN:?}"
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
py=/usr/bin/python3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
ok() { echo "PASS $1"; }
no() { echo "FAIL $1"; }

# ---- the stored effective config repeats the run ----
# stored_config FILE.h5 OUT.cfg: the root attribute 'config' into OUT.cfg.
stored_config() {
    "$py" -c "import h5py, sys
c = h5py.File(sys.argv[1], 'r').attrs['config']
open(sys.argv[2], 'w').write(c.decode() if isinstance(c, bytes) else c)" "$1" "$2"
}
# round_trip NAME CONFIG OPTIONS...: runs CONFIG with OPTIONS, then its
# stored config (saved under the same file name, so a config without a
# scenarios list names its scenario alike) with no options at all.
round_trip() {
    name=$1 cfg=$2
    shift 2
    mkdir -p "$tmp/$name/again"
    stem=$(basename "$cfg")
    if ! "$ES_BIN" run "$cfg" -q -o "$tmp/$name/first.h5" "$@" 2>"$tmp/err"; then
        no "effective_config_$name: the first run failed: $(head -n 1 "$tmp/err")"
        return
    fi
    stored_config "$tmp/$name/first.h5" "$tmp/$name/again/$stem"
    if ! "$ES_BIN" validate "$tmp/$name/again/$stem" >/dev/null 2>"$tmp/err"; then
        no "effective_config_${name}_validates: $(head -n 1 "$tmp/err")"
        return
    fi
    ok "effective_config_${name}_validates"
    if "$ES_BIN" run "$tmp/$name/again/$stem" -q -o "$tmp/$name/again.h5" 2>"$tmp/err" &&
        "$py" "$root/tests/e2e/compare_data.py" "$tmp/$name/first.h5" "$tmp/$name/again.h5" >"$tmp/cmp" 2>&1; then
        ok "effective_config_${name}_reruns_to_identical_data"
    else
        no "effective_config_${name}_reruns_to_identical_data: $(head -n 1 "$tmp/err") $(head -n 3 "$tmp/cmp")"
    fi
}
round_trip largest_seed "$root/tests/e2e/small.cfg" -r 2 --seed 9200000000000000000
round_trip scenarios_set "$root/tests/fuzz/tiny.cfg" -r 2 --seed 4294967295 --set border.intensity=1.05
round_trip sweep "$root/tests/e2e/sweep_small.cfg" -r 1 --seed 12345

# ---- --seed takes what run.seed takes ----
for s in 9200000000000000001 9223372036854775807 -1 1e9 0x10 " 5"; do
    "$ES_BIN" run "$root/tests/e2e/small.cfg" --seed "$s" --dry-run -q -o "$tmp/s.h5" >/dev/null 2>"$tmp/err"
    rc=$?
    if [ $rc -eq 2 ] && grep -q "the range of run.seed" "$tmp/err"; then
        ok "seed_${s}_refused_naming_run_seed_range"
    else
        no "seed_${s}_refused_naming_run_seed_range: exit $rc, $(cat "$tmp/err")"
    fi
done
"$ES_BIN" run "$root/tests/e2e/small.cfg" --seed 0 --dry-run -q -o "$tmp/s.h5" >/dev/null 2>&1 &&
    ok "seed_0_accepted" || no "seed_0_accepted"

# ---- SIGHUP: like SIGTERM ----
cfg=$root/tests/e2e/small.cfg
"$ES_BIN" run "$cfg" -r 6 -j 1 -q -o "$tmp/whole.h5" 2>"$tmp/err" || no "sighup: the uninterrupted run failed: $(cat "$tmp/err")"
"$ES_BIN" run "$cfg" -r 6 -j 1 -q -o "$tmp/hup.h5" 2>"$tmp/hup.err" &
pid=$!
# Wait for the first journaled unit, so the signal lands mid-run.
i=0
while [ $i -lt 300 ] && [ ! -s "$tmp/hup.h5.journal" ] && kill -0 $pid 2>/dev/null; do
    sleep 0.05
    i=$((i + 1))
done
kill -HUP $pid 2>/dev/null
wait $pid
rc=$?
if [ -e "$tmp/hup.h5" ]; then
    echo "SKIP sighup: the run finished before the signal arrived"
elif [ $rc -eq 143 ] && grep -q "interrupted by SIGHUP" "$tmp/hup.err" && grep -q -- "--resume" "$tmp/hup.err" &&
    [ -s "$tmp/hup.h5.journal" ]; then
    ok "sighup_exits_143_with_a_message_and_keeps_the_journal"
    if "$ES_BIN" run "$cfg" -r 6 -j 1 -q -o "$tmp/hup.h5" --resume 2>"$tmp/err" &&
        "$py" "$root/tests/e2e/compare_data.py" "$tmp/whole.h5" "$tmp/hup.h5" >/dev/null 2>&1; then
        ok "sighup_resume_gives_the_uninterrupted_data"
    else
        no "sighup_resume_gives_the_uninterrupted_data: $(cat "$tmp/err")"
    fi
else
    no "sighup_exits_143_with_a_message_and_keeps_the_journal: exit $rc, $(cat "$tmp/hup.err")"
fi

# ---- compare on a sweep ----
"$ES_BIN" compare "$tmp/sweep/first.h5" --base base --alt intense >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "is a sweep (lhs design, 4 points; scenarios base, intense)" "$tmp/err" &&
    [ ! -s "$tmp/out" ]; then
    ok "compare_on_a_sweep_says_it_is_a_sweep"
else
    no "compare_on_a_sweep_says_it_is_a_sweep: exit $rc, $(cat "$tmp/err")"
fi

# ---- --help on every command ----
for c in run validate params info compare merge report sensitivity; do
    for h in --help -h; do
        "$ES_BIN" $c $h >"$tmp/out" 2>"$tmp/err"
        rc=$?
        if [ $rc -eq 0 ] && [ ! -s "$tmp/err" ] && grep -q "enforcesim $c" "$tmp/out"; then
            ok "help_${c}_$h"
        else
            no "help_${c}_$h: exit $rc, stdout $(head -c 100 "$tmp/out"), stderr $(head -c 200 "$tmp/err")"
        fi
    done
done
# run --help lists every option of the table, the ones this issue touched too.
"$ES_BIN" run --help >"$tmp/out" 2>&1
for o in --seed --set --force --resume --shard --keep-journal; do
    grep -q -- "$o" "$tmp/out" && ok "run_help_lists_$o" || no "run_help_lists_$o"
done
exit 0
