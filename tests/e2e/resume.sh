#!/bin/sh
# resume.sh: docs/cluster.md (Crash safety) and issue #6. A run killed at any moment finishes
# with --resume, its final data equal an uninterrupted run's, and no
# completed unit is computed twice.
#   - SIGKILL at 5 moments (named crash points, sim/core/fault.h): before
#     any unit, with a unit computed but not journaled, between units,
#     half-way through writing the final file, and after the rename but
#     before the journal is removed. Each time --resume finishes the run;
#     the data equal the reference byte for byte, and the journal (kept
#     with --keep-journal and read by journal_units.py, independently of
#     the C code) holds every unit exactly once.
#   - SIGTERM on a running two-scenario run: exit 143, then --resume.
#   - A torn tail and a damaged record are recomputed, never trusted.
#   - --resume refuses a journal of another run (seed, config) with exit 2
#     naming the difference; a run without --resume refuses a journal.
: "${ES_BIN:?}"
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
cfg="$root/tests/e2e/two_scenarios.cfg"
units="/usr/bin/python3 $root/tests/e2e/journal_units.py"
same="/usr/bin/python3 $root/tests/e2e/compare_data.py"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
reps=5
n_units=$((2 * reps))

ok() {   # ok STATUS NAME [DETAIL]
    if [ "$1" = 0 ]; then echo "PASS $2"; else echo "FAIL $2 ${3:-}"; fi
}

"$ES_BIN" run "$cfg" -q -r $reps -j 1 -o "$tmp/ref.h5" 2>"$tmp/err" || { echo "FAIL resume_reference_run: $(cat "$tmp/err")"; exit 1; }
[ ! -e "$tmp/ref.h5.journal" ]
ok $? journal_is_removed_after_a_successful_run

# ---- SIGKILL at five moments -----------------------------------------------------
for point in journal_created unit_computed:3 unit_journaled:4 output_partial output_renamed; do
    name=$(echo "$point" | tr ':' '_')
    out="$tmp/$name.h5"
    ES_FAULT=$point "$ES_BIN" run "$cfg" -q -r $reps -j 1 -o "$out" 2>"$tmp/err"
    rc=$?
    case $point in
        output_renamed) state_ok() { [ -e "$out" ] && [ -e "$out.journal" ]; } ;;
        output_partial) state_ok() { [ ! -e "$out" ] && ls "$tmp" | grep -q "^$name.h5.tmp-"; } ;;
        *) state_ok() { [ ! -e "$out" ] && [ -e "$out.journal" ]; } ;;
    esac
    [ $rc = 137 ] && state_ok
    ok $? "sigkill_at_${name}_leaves_the_journal" "(rc=$rc; $(ls "$tmp" | tr '\n' ' '))"
    before=$($units "$out.journal")
    # Resume on 2 threads: the data must not depend on it.
    "$ES_BIN" run "$cfg" -q -r $reps -j 2 -o "$out" --resume --keep-journal 2>"$tmp/err"
    rc=$?
    after=$($units "$out.journal")
    [ $rc = 0 ] && $same "$tmp/ref.h5" "$out" >/dev/null
    ok $? "resume_after_sigkill_at_${name}_gives_the_uninterrupted_data" "(rc=$rc: $(cat "$tmp/err"))"
    [ "$after" = "valid=$n_units distinct=$n_units duplicates=0 invalid=0 tail=0" ]
    ok $? "no_unit_computed_twice_after_sigkill_at_${name}" "(before: $before; after: $after)"
    [ -z "$(ls "$tmp" | grep "^$name.h5.tmp-")" ]
    ok $? "resume_removes_the_temporary_file_of_the_killed_writer_${name}"
done

# ---- SIGTERM on a running run, then --resume ---------------------------------------
out="$tmp/term.h5"
"$ES_BIN" run "$cfg" -q -r 16 -j 2 -o "$out" 2>"$tmp/err" &
pid=$!
i=0
# Wait until at least two units are on record (or the run ends).
while [ $i -lt 300 ] && kill -0 $pid 2>/dev/null; do
    [ -e "$out.journal" ] && [ "$(wc -c <"$out.journal")" -gt 60000 ] && break
    sleep 0.1; i=$((i + 1))
done
kill -TERM $pid
wait $pid; rc=$?
[ $rc = 143 ] && [ ! -e "$out" ] && grep -q 'interrupted by SIGTERM' "$tmp/err" && grep -q -- '--resume' "$tmp/err"
ok $? sigterm_exits_143_and_says_how_to_resume "(rc=$rc: $(cat "$tmp/err"))"
mid=$($units "$out.journal")
"$ES_BIN" run "$cfg" -q -r 16 -j 1 -o "$tmp/term_ref.h5" 2>/dev/null
"$ES_BIN" run "$cfg" -r 16 -j 2 -o "$out" --resume 2>"$tmp/err"
rc=$?
[ $rc = 0 ] && [ ! -e "$out.journal" ] && $same "$tmp/term_ref.h5" "$out" >/dev/null &&
    grep -q 'resumed: [0-9]* units replayed from the journal' "$tmp/err"
ok $? resume_after_sigterm_gives_the_uninterrupted_data "(rc=$rc; journal before: $mid; $(tail -n 2 "$tmp/err"))"

# ---- damaged journals --------------------------------------------------------------
out="$tmp/torn.h5"
ES_FAULT=unit_journaled:6 "$ES_BIN" run "$cfg" -q -r $reps -j 1 -o "$out" 2>/dev/null
# A torn tail: half a record; a damaged record: one byte changed in the 2nd.
size=$(wc -c <"$out.journal")
/usr/bin/python3 - "$out.journal" <<'EOF'
import struct, sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
idlen = struct.unpack_from("<Q", b, 24)[0]
payload = struct.unpack_from("<Q", b, 16)[0]
start, rec = 32 + idlen + 8, 32 + 8 * payload
b[start + rec + 100] ^= 0x40
b += b[start:start + rec // 2]
open(p, "wb").write(bytes(b))
EOF
"$ES_BIN" run "$cfg" -r $reps -j 1 -o "$out" --resume --keep-journal 2>"$tmp/err"
rc=$?
[ $rc = 0 ] && $same "$tmp/ref.h5" "$out" >/dev/null && grep -q '1 damaged record skipped' "$tmp/err" &&
    grep -q 'torn tail' "$tmp/err" && grep -q 'resumed: 5 units replayed' "$tmp/err"
ok $? torn_tail_and_damaged_record_are_recomputed_not_trusted "(rc=$rc: $(grep -v units/s "$tmp/err"))"
[ "$($units "$out.journal")" = "valid=$n_units distinct=$n_units duplicates=0 invalid=1 tail=0" ]
ok $? damaged_record_is_recomputed_once_and_the_journal_then_holds_every_unit "($($units "$out.journal"))"

# ---- the journal belongs to one run ------------------------------------------------
out="$tmp/other.h5"
ES_FAULT=unit_journaled:2 "$ES_BIN" run "$cfg" -q -r $reps -j 1 -o "$out" 2>/dev/null
"$ES_BIN" run "$cfg" -q -r $reps -o "$out" --resume --seed 7 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && [ ! -e "$out" ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q 'seed: the journal has 20190201, this run has 7' "$tmp/err"
ok $? resume_with_another_seed_is_refused_naming_the_seed "(rc=$rc: $(cat "$tmp/err"))"
"$ES_BIN" run "$cfg" -q -r $reps -o "$out" --resume --set migration.arrivals=210 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && [ ! -e "$out" ] && grep -q 'config line [0-9]*: the journal has .*arrivals' "$tmp/err"
ok $? resume_with_another_config_is_refused_naming_the_line "(rc=$rc: $(cat "$tmp/err"))"
"$ES_BIN" run "$cfg" -q -r $reps -o "$out" 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && [ ! -e "$out" ] && grep -q 'add --resume' "$tmp/err"
ok $? run_without_resume_refuses_an_existing_journal "(rc=$rc: $(cat "$tmp/err"))"
"$ES_BIN" run "$cfg" -q -r $reps -o "$out" --resume 2>"$tmp/err"
rc=$?
[ $rc = 0 ] && [ ! -e "$out.journal" ] && $same "$tmp/ref.h5" "$out" >/dev/null
ok $? the_refused_journal_still_resumes_with_the_right_options "(rc=$rc: $(cat "$tmp/err"))"
# --resume with nothing to resume is a fresh run (Slurm requeues can always pass it).
"$ES_BIN" run "$cfg" -q -r $reps -o "$tmp/fresh.h5" --resume 2>"$tmp/err" && $same "$tmp/ref.h5" "$tmp/fresh.h5" >/dev/null
ok $? resume_without_a_journal_runs_from_the_start "($(cat "$tmp/err"))"
exit 0
