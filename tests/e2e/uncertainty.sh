#!/bin/sh
# uncertainty.sh: parameter uncertainty (docs/experiments.md, Parameter uncertainty,
# issue #15) on tests/e2e/uncertainty_small.cfg (two scenarios, three
# uncertain parameters, units of a fraction of a second):
#   - the draws are in /parameters/<name>(replication), the same values
#     under -j 1 and -j 2, in merged shards and after a SIGKILL and
#     --resume; the data are then bit-identical too;
#   - the draws follow the seed, not the thread count: another seed, other draws;
#   - pairing survives: the comparison's paired variance is far below the
#     unpaired one (VRF > 1 for arrivals), and with uncertainty on, the
#     interval of the difference is wider than with --no-uncertainty;
#   - --no-uncertainty writes no /parameters and parameter_uncertainty = 0;
#   - validate refuses a block whose draws break a rule, before any run.
# Prints PASS/FAIL lines.
: "${ES_BIN:?}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
cfg=tests/e2e/uncertainty_small.cfg
same="$py tests/e2e/compare_data.py"
ok() { if [ "$1" = 0 ]; then echo "PASS $2"; else echo "FAIL $2 ${3:-}"; fi; }
# Under SAN=1 (ten times slower) 4 replications and no statistical check.
R=8
[ "${ES_SAN:-0}" = 1 ] && R=4

"$ES_BIN" run $cfg -r $R -j 1 -q -o "$tmp/j1.h5" 2>"$tmp/err"; ok $? uncertainty_run "$(cat "$tmp/err")"
"$ES_BIN" run $cfg -r $R -j 2 -q -o "$tmp/j2.h5"
$same "$tmp/j1.h5" "$tmp/j2.h5" >"$tmp/err"; ok $? draws_and_data_do_not_depend_on_threads "$(cat "$tmp/err")"

"$py" - "$tmp/j1.h5" $R <<'PY' 2>"$tmp/err"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
assert f.attrs["parameter_uncertainty"] == 3, f.attrs["parameter_uncertainty"]
p = f["parameters"]
names = sorted(k for k in p if k != "replication")
assert names == ["border.apprehension_prob.on_foot", "migration.arrivals", "migration.staging_days"], names
for k in names:
    v = p[k][()]
    assert v.shape == (int(sys.argv[2]),) and len(set(v)) == v.shape[0], (k, v)
    assert "distribution" in p[k].attrs
assert np.all((p["migration.staging_days"][()] >= 2) & (p["migration.staging_days"][()] <= 12))
PY
ok $? draws_are_written_per_replication "$(tail -n 1 "$tmp/err")"

for i in 0 1 2; do "$ES_BIN" run $cfg -r $R -q --shard $i/3 -o "$tmp/s$i.h5" || echo "FAIL uncertainty_shard_$i"; done
"$ES_BIN" merge -q "$tmp/m.h5" "$tmp/s0.h5" "$tmp/s1.h5" "$tmp/s2.h5" && $same "$tmp/j1.h5" "$tmp/m.h5" >"$tmp/err"
ok $? merged_shards_hold_the_same_draws_and_data "$(cat "$tmp/err")"

ES_FAULT=unit_journaled:3 "$ES_BIN" run $cfg -r $R -q -j 1 -o "$tmp/k.h5" 2>/dev/null
rc=$?
"$ES_BIN" run $cfg -r $R -q -j 2 -o "$tmp/k.h5" --resume 2>"$tmp/err" && [ $rc = 137 ] &&
    $same "$tmp/j1.h5" "$tmp/k.h5" >>"$tmp/err"
ok $? resume_after_sigkill_keeps_the_draws "(kill rc=$rc: $(tail -n 1 "$tmp/err"))"

"$ES_BIN" run $cfg -r $R -q --seed 11 -o "$tmp/seed.h5"
"$py" -c 'import sys, h5py, numpy as np
a, b = (h5py.File(p, "r")["parameters/migration.staging_days"][()] for p in sys.argv[1:3])
assert not np.any(a == b), (a, b)' "$tmp/j1.h5" "$tmp/seed.h5" 2>"$tmp/err"
ok $? another_seed_draws_other_values "$(tail -n 1 "$tmp/err")"

"$ES_BIN" run $cfg -r $R -q --no-uncertainty -o "$tmp/off.h5"
if [ "${ES_SAN:-0}" = 1 ]; then
    echo "SKIP pairs_stay_paired_and_uncertainty_widens_the_spread: a statistical property, release build only"
else
"$py" - "$tmp/j1.h5" "$tmp/off.h5" <<'PY' 2>"$tmp/err"
import sys, h5py, numpy as np
on, off = (h5py.File(p, "r") for p in sys.argv[1:3])
assert off.attrs["parameter_uncertainty"] == 0 and "parameters" not in off
m = "arrival_parties"
def stats(f):
    b = f["scenarios/base/fiscal_year/" + m][()][:, 0]
    a = f["scenarios/intense/fiscal_year/" + m][()][:, 0]
    return np.var(a - b, ddof=1), np.var(a, ddof=1) + np.var(b, ddof=1), np.var(b, ddof=1)
d_on, u_on, v_on = stats(on)
d_off, u_off, v_off = stats(off)
# Paired: the difference varies far less than two independent scenarios would.
assert u_on / d_on > 10, ("VRF under uncertainty", u_on / d_on)
# The assumptions add spread: the scenarios and their difference vary more.
assert v_on > 4 * v_off and d_on > d_off, (v_on, v_off, d_on, d_off)
print("# VRF %.0f; var base on/off %.3g/%.3g; var diff on/off %.3g/%.3g" % (u_on / d_on, v_on, v_off, d_on, d_off))
PY
ok $? pairs_stay_paired_and_uncertainty_widens_the_spread "$(tail -n 1 "$tmp/err")"
fi
"$ES_BIN" compare "$tmp/j1.h5" --base base --alt intense | grep -q "parameter uncertainty (3 parameters"
ok $? compare_says_intervals_hold_parameter_uncertainty
"$ES_BIN" compare "$tmp/off.h5" --base base --alt intense | grep -q "Monte Carlo noise only"
ok $? compare_says_intervals_hold_monte_carlo_noise_only

# MPI workers receive the draws in the plan (experiment/run.h es_plan_pack).
if [ "${ES_SAN:-0}" != 1 ] && [ -x "${ES_MPI_BIN:-}" ] && command -v mpirun >/dev/null; then
    mpirun --allow-run-as-root --oversubscribe --bind-to none -np 3 "$ES_MPI_BIN" run $cfg -r $R -q \
        -o "$tmp/mpi.h5" >"$tmp/err" 2>&1 && $same "$tmp/j1.h5" "$tmp/mpi.h5" >>"$tmp/err"
    ok $? mpi_workers_run_with_the_same_draws "$(tail -n 1 "$tmp/err")"
fi
"$ES_BIN" info "$tmp/j1.h5" | grep -q "^uncertainty   3 parameters drawn per replication" &&
    "$ES_BIN" info "$tmp/off.h5" | grep -q "^uncertainty   none"
ok $? info_says_whether_uncertainty_was_on
"$ES_BIN" compare "$tmp/j1.h5" --base base --alt intense --metric apprehensions | grep -q "^spread over the parameter draws" &&
    "$ES_BIN" compare "$tmp/j1.h5" --base base --alt intense --metric apprehensions --csv | grep -q ",draws_p975," &&
    ! "$ES_BIN" compare "$tmp/off.h5" --base base --alt intense --metric apprehensions --csv | grep -q ",draws_"
ok $? compare_prints_the_spread_over_the_draws_only_under_uncertainty
