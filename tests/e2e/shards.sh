#!/bin/sh
# shards.sh: `run --dry-run`, `run --shard I/N` and `merge` (docs/cluster.md, Slurm job arrays),
# on tests/e2e/two_scenarios.cfg (units of a fraction of a second):
#   - 3 shards merged (given in any order, run with any -j) hold data
#     bit-identical to a serial run, comparisons included; so do 4 shards
#     (some hold no replication of a scenario) and a single 0/1 shard;
#   - merge refuses, with exit 2 and the shard named: a missing shard, a
#     shard given twice, a shard of another seed or --set, an incomplete
#     shard (complete = 0), a truncated one, a whole-run file, an existing
#     OUT without --force;
#   - --shard 3/3, x, 1/0 exit 2 naming --array; --dry-run lists the units
#     (of one shard with --shard) and writes nothing.
# Prints PASS/FAIL lines.
: "${ES_BIN:?}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
cfg=tests/e2e/two_scenarios.cfg
ok() { if [ "$1" = 0 ]; then echo "PASS $2"; else echo "FAIL $2 ${3:-}"; fi; }
# refused NAME PATTERN: the last command exited 2 and said PATTERN.
refused() { rc=$1; shift; grep -q "$2" "$tmp/err"; g=$?
    [ "$rc" = 2 ] && [ "$g" = 0 ]; ok $? "$1" "(exit $rc: $(tail -n 1 "$tmp/err"))"; }

# ---- serial vs merged shards ------------------------------------------------
"$ES_BIN" run $cfg -r 6 -q -o "$tmp/serial.h5"; ok $? serial_run
for i in 0 1 2; do
    "$ES_BIN" run $cfg -r 6 -j $((i + 1)) -q --shard $i/3 -o "$tmp/s$i.h5" || echo "FAIL shard_run_$i"
done
"$py" -c 'import sys, h5py
f = h5py.File(sys.argv[1], "r")
a = f.attrs
assert (a["shard_index"], a["shard_count"], a["n_units"]) == (1, 3, 12), dict(a)
assert list(a.keys())[-1] == "complete" and a["complete"] == 1, list(a.keys())
assert list(f["shard_units"][()]) == [1, 4, 7, 10], f["shard_units"][()]
# unit u = 2 r + s: base (s = 0) replications 2 and 5, intense 0 and 3
assert list(f["scenarios/base/monthly/replication"][()]) == [2, 5]
assert list(f["scenarios/intense/fiscal_year/replication"][()]) == [0, 3]
assert list(f["comparisons"]) == []' "$tmp/s1.h5" 2>"$tmp/err"
ok $? shard_file_has_its_units_and_complete_last "$(tail -n 1 "$tmp/err")"
"$ES_BIN" merge "$tmp/merged.h5" "$tmp/s2.h5" "$tmp/s0.h5" "$tmp/s1.h5" 2>"$tmp/err"; ok $? merge_three_shards "$(tail -n 1 "$tmp/err")"
out=$("$py" tests/e2e/compare_data.py "$tmp/serial.h5" "$tmp/merged.h5"); ok $? "merged_equals_serial_bit_for_bit ($out)"
"$py" -c 'import sys, h5py
f = h5py.File(sys.argv[1], "r")
assert "shard_count" not in f.attrs and "shard_units" not in f
assert list(f["comparisons"]) == ["base__vs__intense"]
assert f["scenarios/base"].attrs["n_replications"] == 6' "$tmp/merged.h5" 2>"$tmp/err"
ok $? merged_file_is_a_whole_run "$(tail -n 1 "$tmp/err")"
"$ES_BIN" info "$tmp/merged.h5" >/dev/null; ok $? info_reads_the_merged_file

"$ES_BIN" run $cfg -r 3 -q -o "$tmp/serial3.h5"
for i in 0 1 2 3; do "$ES_BIN" run $cfg -r 3 -q --shard $i/4 -o "$tmp/f$i.h5" || echo "FAIL shard4_run_$i"; done
"$ES_BIN" merge -q "$tmp/m4.h5" "$tmp/f0.h5" "$tmp/f1.h5" "$tmp/f2.h5" "$tmp/f3.h5" &&
    "$py" tests/e2e/compare_data.py "$tmp/serial3.h5" "$tmp/m4.h5" >/dev/null
ok $? four_shards_some_without_a_scenario_merge_to_serial
"$ES_BIN" run $cfg -r 3 -q --shard 0/1 -o "$tmp/one.h5" && "$ES_BIN" merge -q "$tmp/m1.h5" "$tmp/one.h5" &&
    "$py" tests/e2e/compare_data.py "$tmp/serial3.h5" "$tmp/m1.h5" >/dev/null
ok $? single_shard_merges_to_serial

# ---- merge refuses what is not one whole run --------------------------------
"$ES_BIN" merge "$tmp/x.h5" "$tmp/s0.h5" "$tmp/s2.h5" 2>"$tmp/err"
refused $? merge_rejects_a_missing_shard 'shard 1/3 is missing'
"$ES_BIN" merge "$tmp/x.h5" "$tmp/s0.h5" "$tmp/s1.h5" "$tmp/s1.h5" "$tmp/s2.h5" 2>"$tmp/err"
refused $? merge_rejects_a_duplicate_shard 'both shard 1/3'
"$ES_BIN" run $cfg -r 6 -q --seed 7 --shard 1/3 -o "$tmp/seed.h5"
"$ES_BIN" merge "$tmp/x.h5" "$tmp/s0.h5" "$tmp/seed.h5" "$tmp/s2.h5" 2>"$tmp/err"
refused $? merge_rejects_a_shard_of_another_seed "seed.h5 is from another run"
"$ES_BIN" run $cfg -r 6 -q --set migration.arrivals=150.0 --shard 1/3 -o "$tmp/set.h5"
"$ES_BIN" merge "$tmp/x.h5" "$tmp/s0.h5" "$tmp/set.h5" "$tmp/s2.h5" 2>"$tmp/err"
refused $? merge_rejects_a_shard_of_another_config "set.h5 is from another run.*config hash"
"$ES_BIN" run $cfg -r 6 -q --shard 1/2 -o "$tmp/half.h5"
"$ES_BIN" merge "$tmp/x.h5" "$tmp/s0.h5" "$tmp/half.h5" 2>"$tmp/err"
refused $? merge_rejects_a_shard_of_another_count "half.h5 is from another run"
cp "$tmp/s1.h5" "$tmp/inc.h5"
"$py" -c 'import sys, h5py; h5py.File(sys.argv[1], "r+").attrs["complete"] = 0' "$tmp/inc.h5"
"$py" tests/e2e/reseal.py "$tmp/inc.h5" # so the change reaches merge's checks (io/seal.h)
"$ES_BIN" merge "$tmp/x.h5" "$tmp/s0.h5" "$tmp/inc.h5" "$tmp/s2.h5" 2>"$tmp/err"
refused $? merge_rejects_an_incomplete_shard 'inc.h5: shard 1/3 is incomplete'
head -c 20000 "$tmp/s1.h5" >"$tmp/trunc.h5"
"$ES_BIN" merge "$tmp/x.h5" "$tmp/s0.h5" "$tmp/trunc.h5" "$tmp/s2.h5" 2>"$tmp/err"
refused $? merge_rejects_a_truncated_shard 'trunc.h5: damaged: checksum mismatch (.* truncated'
"$ES_BIN" merge "$tmp/x.h5" "$tmp/s0.h5" "$tmp/serial.h5" 2>"$tmp/err"
refused $? merge_rejects_a_whole_run_file 'serial.h5 is not a shard'
[ ! -e "$tmp/x.h5" ]; ok $? refused_merges_write_nothing
"$ES_BIN" merge "$tmp/merged.h5" "$tmp/s0.h5" "$tmp/s1.h5" "$tmp/s2.h5" 2>"$tmp/err"
refused $? merge_refuses_an_existing_output 'use --force'
"$ES_BIN" merge -q --force "$tmp/merged.h5" "$tmp/s0.h5" "$tmp/s1.h5" "$tmp/s2.h5"; ok $? merge_force_overwrites

# ---- --shard and --dry-run on the command line ------------------------------
"$ES_BIN" run $cfg -r 6 --shard 3/3 -o "$tmp/y.h5" 2>"$tmp/err"
refused $? shard_index_out_of_range_exit_2 'array=0-2'
"$ES_BIN" run $cfg -r 6 --shard x -o "$tmp/y.h5" 2>"$tmp/err"
refused $? malformed_shard_exit_2 'array=0-(N-1)'
"$ES_BIN" run $cfg -r 6 --shard 1/0 -o "$tmp/y.h5" 2>"$tmp/err"
refused $? zero_shards_exit_2 'give I/N'
"$ES_BIN" run $cfg -r 6 --shard 0/13 -o "$tmp/y.h5" 2>"$tmp/err"
refused $? more_shards_than_units_exit_2 'only 12 units'
"$ES_BIN" run $cfg -r 6 --shard 0/3 --precision apprehensions=0.1 -o "$tmp/y.h5" 2>"$tmp/err"
refused $? shard_with_precision_exit_2 'precision cannot be combined'
[ ! -e "$tmp/y.h5" ]; ok $? refused_shards_write_nothing

"$ES_BIN" run $cfg -r 6 --dry-run -o "$tmp/dry.h5" >"$tmp/units" 2>"$tmp/err"; rc=$?
[ "$rc" = 0 ] && [ "$(wc -l <"$tmp/units")" = 13 ] && grep -q '^enforcesim: 12 units' "$tmp/err" &&
    [ "$(head -n 1 "$tmp/units")" = "$(printf 'unit\tscenario\tpoint\treplication\tshard')" ] &&
    [ "$(sed -n 4p "$tmp/units")" = "$(printf '2\tbase\t0\t1\t0')" ]
ok $? dry_run_lists_every_unit "(exit $rc: $(cat "$tmp/err"))"
"$ES_BIN" run $cfg -r 6 --dry-run --shard 1/3 -o "$tmp/dry.h5" >"$tmp/units" 2>"$tmp/err"; rc=$?
[ "$rc" = 0 ] && [ "$(wc -l <"$tmp/units")" = 5 ] && grep -q '4 units in shard 1/3' "$tmp/err" &&
    [ "$(tail -n +2 "$tmp/units" | cut -f 1 | tr '\n' ' ')" = "1 4 7 10 " ] &&
    [ "$(tail -n +2 "$tmp/units" | cut -f 5 | sort -u)" = 1 ]
ok $? dry_run_with_shard_lists_that_shards_units "(exit $rc: $(cat "$tmp/err"))"
[ ! -e "$tmp/dry.h5" ]; ok $? dry_run_writes_nothing
