#!/bin/sh
# sweep.sh: sweeps (issue #5; docs/experiments.md, Sweeps; docs/cluster.md) on tests/e2e/sweep_small.cfg
# (2 scenarios x 4 Latin-hypercube points x 2 replications = 16 units):
#   - --dry-run lists (unit, scenario, point, replication, shard) in the
#     order u = (r P + p) S + s, and counts units on stderr;
#   - a serial run and 3 shards merged (any order, any -j) hold bit-identical
#     data (/design and /sweep included), as do 4 shards of which some hold
#     no unit of a scenario; merge refuses shards of another seed (--seed
#     moves the hypercube);
#   - the file as a user reads it: /design (one column per parameter over
#     point, the threshold only at its levels, every agents stratum once),
#     xarray opens the per-replication and summary groups with `point` as a
#     dimension, no monthly series are kept, /scenarios is empty;
#   - the summaries are the statistics of the replications; a point equals
#     a plain run of the scenario with the point's values given by --set
#     (common random numbers: the unit is a pure function of its params);
#   - a sweep killed (SIGKILL) or stopped (SIGTERM, exit 143) finishes with
#     --resume to the uninterrupted data, every unit journaled once;
#   - sobol and halton designs are GSL's sequences; validate prints a sweep
#     block that validates to itself; info describes the sweep.
# Prints PASS/FAIL lines.
: "${ES_BIN:?}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
cfg=tests/e2e/sweep_small.cfg
ok() { if [ "$1" = 0 ]; then echo "PASS $2"; else echo "FAIL $2 ${3:-}"; fi; }
refused() { rc=$1; shift; grep -q "$2" "$tmp/err"; g=$?
    [ "$rc" = 2 ] && [ "$g" = 0 ]; ok $? "$1" "(exit $rc: $(tail -n 1 "$tmp/err"))"; }

# ---- units -----------------------------------------------------------------
"$ES_BIN" run $cfg -r 2 --dry-run >"$tmp/units" 2>"$tmp/err"; rc=$?
[ "$rc" = 0 ] && [ "$(wc -l <"$tmp/units")" = 17 ] &&
    grep -q '^enforcesim: 16 units (2 scenarios x 4 points x 2 replications)' "$tmp/err" &&
    [ "$(sed -n 2p "$tmp/units")" = "$(printf '0\tbase\t0\t0\t0')" ] &&
    [ "$(sed -n 4p "$tmp/units")" = "$(printf '2\tbase\t1\t0\t0')" ] &&
    [ "$(sed -n 12p "$tmp/units")" = "$(printf '10\tbase\t1\t1\t0')" ]
ok $? dry_run_lists_scenario_point_replication "(exit $rc: $(cat "$tmp/err"))"
"$ES_BIN" run $cfg -r 2 --dry-run --shard 2/3 >"$tmp/units" 2>"$tmp/err"
[ "$(tail -n +2 "$tmp/units" | cut -f 1 | tr '\n' ' ')" = "2 5 8 11 14 " ] && grep -q '5 units in shard 2/3' "$tmp/err"
ok $? dry_run_of_a_sweep_shard "$(cat "$tmp/err")"

# ---- serial vs merged shards -------------------------------------------------
"$ES_BIN" run $cfg -r 2 -q -j 2 -o "$tmp/serial.h5"; ok $? sweep_serial_run
for i in 0 1 2; do
    "$ES_BIN" run $cfg -r 2 -j $((i % 2 + 1)) -q --shard $i/3 -o "$tmp/s$i.h5" || echo "FAIL sweep_shard_run_$i"
done
"$ES_BIN" merge -q "$tmp/merged.h5" "$tmp/s1.h5" "$tmp/s2.h5" "$tmp/s0.h5" 2>"$tmp/err"; ok $? sweep_merge "$(cat "$tmp/err")"
out=$("$py" tests/e2e/compare_data.py "$tmp/serial.h5" "$tmp/merged.h5"); ok $? "sweep_merged_equals_serial_bit_for_bit ($out)"
# 4 shards of 8 units: each shard holds one scenario only (the other has no rows).
"$ES_BIN" run $cfg -r 1 -q -o "$tmp/serial1.h5"
for i in 0 1 2 3; do "$ES_BIN" run $cfg -r 1 -q -j 1 --shard $i/4 -o "$tmp/f$i.h5" || echo "FAIL sweep_shard4_run_$i"; done
"$ES_BIN" merge -q "$tmp/m4.h5" "$tmp/f0.h5" "$tmp/f1.h5" "$tmp/f2.h5" "$tmp/f3.h5" &&
    "$py" tests/e2e/compare_data.py "$tmp/serial1.h5" "$tmp/m4.h5" >/dev/null
ok $? sweep_four_shards_some_without_a_scenario_merge_to_serial
"$ES_BIN" run $cfg -r 2 -q --seed 11 --shard 1/3 -o "$tmp/seed.h5"
"$ES_BIN" merge "$tmp/x.h5" "$tmp/s0.h5" "$tmp/seed.h5" "$tmp/s2.h5" 2>"$tmp/err"
refused $? merge_rejects_a_sweep_shard_of_another_seed "seed.h5 is from another run"
"$py" -c 'import sys, h5py, numpy as np
a, b = (h5py.File(p, "r") for p in sys.argv[1:3])
x, y = (np.column_stack([f["design"][k][()] for k in f["design"] if k != "point"]) for f in (a, b))
assert x.shape == y.shape == (4, 3) and (x != y).any()' "$tmp/serial.h5" "$tmp/seed.h5" 2>"$tmp/err"
ok $? seed_moves_the_latin_hypercube "$(tail -n 1 "$tmp/err")"

# ---- the file as a user reads it -----------------------------------------------
"$py" - "$tmp/serial.h5" <<'EOF' 2>"$tmp/err"
import sys, h5py, numpy as np, xarray as xr
p = sys.argv[1]
f = h5py.File(p, "r")
assert list(f["scenarios"]) == [] and list(f["comparisons"]) == []
d = f["design"]
assert d.attrs["design"] == "lhs" and d.attrs["n_points"] == 4
names = [k for k in d if k != "point"]
assert names == ["hsi.reassignments[0].agents", "hsi.smuggling_cell_staff", "prosecution.threshold"], names
agents, staff, thr = (d[k][()] for k in names)
# LHS: one u in each of the 4 strata [i/4, (i+1)/4), agents = floor(1501 u):
# the i-th smallest lies in [floor(1501 i/4), 1501 (i+1)/4)
a = sorted(agents)
assert all(np.floor(1501 * i / 4) <= a[i] < 1501 * (i + 1) / 4 for i in range(4)), agents
assert (agents == np.floor(agents)).all() and (staff == np.floor(staff)).all()
assert ((10 <= staff) & (staff <= 60)).all() and set(thr) <= {3.0, 5.0, 10.0}
assert "monthly" not in f["sweep/base"] and list(f["sweep"]) == ["base", "intense"]
ds = xr.open_dataset(p, engine="h5netcdf", group="sweep/intense/fiscal_year")
a = ds["apprehensions"]
assert a.dims == ("point", "replication", "fiscal_year") and a.shape == (4, 2, 1), a
assert list(ds["prosecution.threshold"].values) == list(thr)
sm = xr.open_dataset(p, engine="h5netcdf", group="sweep/intense/summary_fiscal_year")
assert sm["apprehensions"].dims == ("point", "statistic", "fiscal_year")
# summaries: mean and sd of each point's replications
for v in ("apprehensions", "hsi_hours_used_worksite_enforcement"):
    x = ds[v].values
    m = sm[v].sel(statistic="mean").values
    sd = sm[v].sel(statistic="sd").values
    assert np.allclose(m, x.mean(axis=1), rtol=1e-12), v
    assert np.allclose(sd, x.std(axis=1, ddof=1), rtol=1e-9), v
xr.open_dataset(p, engine="h5netcdf", group="design")
xr.open_dataset(p, engine="h5netcdf", group="sweep/base/calendar_year")
xr.open_dataset(p, engine="h5netcdf", group="sweep/base/summary_calendar_year")
# the hours moved to worksite enforcement follow the agents moved
w = xr.open_dataset(p, engine="h5netcdf", group="sweep/base/fiscal_year")["hsi_hours_available_worksite_enforcement"]
order = np.argsort(agents)
assert (np.diff(w.values[order, 0, 0]) > 0).all(), w.values[:, 0, 0]
EOF
ok $? sweep_file_reads_with_h5py_and_xarray "$(tail -n 1 "$tmp/err")"

# A point equals a plain run of its scenario with its values set (CRN: all
# points use the master seed, so the unit depends only on its parameters).
vals=$("$py" -c 'import sys, h5py
d = h5py.File(sys.argv[1], "r")["design"]
print(int(d["hsi.reassignments[0].agents"][1]), int(d["hsi.smuggling_cell_staff"][1]), d["prosecution.threshold"][1])' "$tmp/serial.h5")
set -- $vals
sed '/^sweep = {/,$d' $cfg | sed "s/agents = 0;/agents = $1;/" >"$tmp/plain.cfg"
cp tests/e2e/small.cfg "$tmp/small.cfg"
"$ES_BIN" run "$tmp/plain.cfg" -r 2 -q -o "$tmp/plain.h5" --set hsi.smuggling_cell_staff=$2 --set prosecution.threshold=$3
"$py" -c 'import sys, h5py, numpy as np
a, b = (h5py.File(p, "r") for p in sys.argv[1:3])
g = a["sweep/intense/fiscal_year"]; h = b["scenarios/intense/fiscal_year"]
n = 0
for k in h:
    if k in ("replication", "fiscal_year"): continue
    x, y = g[k][1], h[k][()]
    assert x.tobytes() == y.tobytes(), k
    n += 1
assert n > 100' "$tmp/serial.h5" "$tmp/plain.h5" 2>"$tmp/err"
ok $? sweep_point_equals_a_plain_run_with_its_values "$(tail -n 1 "$tmp/err")"

# ---- sobol and halton are GSL's sequences (unit tests check the mapping);
# here: the config path gives them, and validate round-trips the block ----------
for design in sobol halton; do
    sed "s/design = \"lhs\"/design = \"$design\"/" $cfg >"$tmp/$design.cfg"
    "$ES_BIN" validate "$tmp/$design.cfg" >"$tmp/eff.cfg" 2>"$tmp/err" &&
        "$ES_BIN" validate "$tmp/eff.cfg" >"$tmp/eff2.cfg" && cmp -s "$tmp/eff.cfg" "$tmp/eff2.cfg" &&
        grep -q "design = \"$design\"" "$tmp/eff.cfg"
    ok $? "validate_prints_a_${design}_sweep_that_validates_to_itself" "$(cat "$tmp/err")"
done
"$ES_BIN" run "$tmp/sobol.cfg" -r 1 --dry-run 2>"$tmp/err" >/dev/null && grep -q '8 units (2 scenarios x 4 points x 1 replications)' "$tmp/err"
ok $? sobol_sweep_has_its_points "$(cat "$tmp/err")"
"$ES_BIN" info "$tmp/merged.h5" >"$tmp/info" 2>"$tmp/err" && grep -q '^sweep  *lhs design, 4 points x 2 replications' "$tmp/info"
ok $? info_describes_the_sweep "$(cat "$tmp/err")"
"$ES_BIN" run $cfg -r 2 --precision apprehensions=0.1 -o "$tmp/y.h5" 2>"$tmp/err"
refused $? sweep_with_precision_exit_2 'not available for sweeps'
# Crash safety (docs/cluster.md, Crash safety) holds for sweeps too: units are journaled.
# SIGKILL after the 5th journaled unit, then --resume: the serial data, and
# the journal (kept) holds every unit once.
ES_FAULT=unit_journaled:5 "$ES_BIN" run $cfg -r 1 -q -j 1 -o "$tmp/res.h5" 2>/dev/null
rc=$?
"$ES_BIN" run $cfg -r 1 -q -j 2 --resume --keep-journal -o "$tmp/res.h5" 2>"$tmp/err" &&
    "$py" tests/e2e/compare_data.py "$tmp/serial1.h5" "$tmp/res.h5" >/dev/null &&
    [ "$("$py" tests/e2e/journal_units.py "$tmp/res.h5.journal")" = "valid=8 distinct=8 duplicates=0 invalid=0 tail=0" ]
ok $? sweep_killed_then_resumed_gives_the_serial_data_with_each_unit_once "(kill rc=$rc: $(tail -n 1 "$tmp/err"))"
# SIGTERM to a running sweep: exit 143, then --resume completes with identical data.
"$ES_BIN" run $cfg -r 6 -q -j 2 -o "$tmp/term.h5" 2>"$tmp/err" &
pid=$!
i=0
while [ $i -lt 300 ] && kill -0 $pid 2>/dev/null; do
    [ -e "$tmp/term.h5.journal" ] && [ "$(wc -c <"$tmp/term.h5.journal")" -gt 60000 ] && break
    sleep 0.1; i=$((i + 1))
done
kill -TERM $pid
wait $pid; rc=$?
[ $rc = 143 ] && [ ! -e "$tmp/term.h5" ] && grep -q 'interrupted by SIGTERM' "$tmp/err"
ok $? sigterm_stops_a_running_sweep_with_143 "(rc=$rc: $(cat "$tmp/err"))"
"$ES_BIN" run $cfg -r 6 -q -j 2 -o "$tmp/term.h5" --resume 2>"$tmp/err" &&
    "$ES_BIN" run $cfg -r 6 -q -j 2 -o "$tmp/serial6.h5" 2>>"$tmp/err" &&
    "$py" tests/e2e/compare_data.py "$tmp/serial6.h5" "$tmp/term.h5" >/dev/null && [ ! -e "$tmp/term.h5.journal" ]
ok $? sweep_resumed_after_sigterm_gives_the_uninterrupted_data "($(tail -n 2 "$tmp/err"))"
