#!/bin/sh
# sensitivity.sh: global sensitivity on the real model (issue #15 item 2):
#   - a saltelli sweep (tests/e2e/sensitivity_small.cfg: N = 8 base points,
#     2 parameters, 32 points, 1 replication) stores its design in the order
#     A, B, AB_1, AB_2 (AB_i is A with column i from B);
#   - `sensitivity` gives the ERO parameter, which the HSI case pipeline
#     never reads, a total index under 0.05 for hsi_smuggling_cases_opened,
#     and the migrant-smuggling agents one over 0.5; the same command gives
#     the same bytes again (the bootstrap's stream is the file's seed);
#   - a morris sweep (2 trajectories) gives the inert parameter mu* = 0 and
#     the agents mu* > 0;
#   - bad input (not a result file, an unknown metric or period, a sweep of
#     another design) exits 2 with a message.
# Prints PASS/FAIL lines.
: "${ES_BIN:?}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
cfg=tests/e2e/sensitivity_small.cfg
metric=hsi_smuggling_cases_opened
ok() { if [ "$1" = 0 ]; then echo "PASS $2"; else echo "FAIL $2 ${3:-}"; fi; }
refused() { rc=$1; shift; grep -q "$2" "$tmp/err"; g=$?
    [ "$rc" = 2 ] && [ "$g" = 0 ]; ok $? "$1" "(exit $rc: $(tail -n 1 "$tmp/err"))"; }

"$ES_BIN" run $cfg -r 1 -q -o "$tmp/s.h5" 2>"$tmp/err"; rc=$?
ok $rc saltelli_sweep_runs "(exit $rc: $(tail -n 1 "$tmp/err"))"

$py - "$tmp/s.h5" <<'EOF'
import sys, h5py, numpy as np
d = h5py.File(sys.argv[1], "r")["design"]
assert d.attrs["design"] == "saltelli" and d.attrs["n_points"] == 32, dict(d.attrs)
x = np.stack([d["hsi.agents.migrant_smuggling"][:], d["ero.detention_days"][:]], axis=1)
n = 8
a, b = x[:n], x[n:2 * n]
for i in range(2):
    ab = x[(2 + i) * n:(3 + i) * n]
    for j in range(2):
        assert (ab[:, j] == (b[:, j] if j == i else a[:, j])).all(), (i, j)
EOF
ok $? saltelli_file_design_is_a_b_then_ab_i

"$ES_BIN" sensitivity "$tmp/s.h5" --metric $metric --period FY2016 --csv >"$tmp/csv" 2>"$tmp/err"
rc=$?
st() { grep "^sensitivity_small,$metric,FY2016,$1,st," "$tmp/csv" | cut -d, -f 6; }
ero=$(st ero.detention_days)
agents=$(st hsi.agents.migrant_smuggling)
[ "$rc" = 0 ] && [ -n "$ero" ] && [ -n "$agents" ] &&
    awk -v e="$ero" -v a="$agents" 'BEGIN { exit !(e < 0.05 && a > 0.5) }'
ok $? inert_ero_parameter_total_index_below_0.05_agents_above_0.5 \
    "(exit $rc: ST ero $ero, ST agents $agents; $(tail -n 1 "$tmp/err"))"
"$ES_BIN" sensitivity "$tmp/s.h5" --metric $metric --period FY2016 --csv >"$tmp/csv2" 2>&1
cmp -s "$tmp/csv" "$tmp/csv2"
ok $? same_file_same_indices_and_intervals
"$ES_BIN" sensitivity "$tmp/s.h5" --metric $metric >"$tmp/table" 2>&1 &&
    grep -q 'design saltelli, N = 8 base points' "$tmp/table" &&
    grep -q '^  ero.detention_days .*0.000 \[ 0.000,  0.000\]' "$tmp/table"
ok $? table_names_the_design_and_the_parameters "($(head -n 3 "$tmp/table"))"

sed 's/design = "saltelli";/design = "morris";/; s/points = 8;/points = 2;/' $cfg >"$tmp/morris.cfg"
# small.cfg is included from the config's folder.
cp tests/e2e/small.cfg "$tmp/"
"$ES_BIN" run "$tmp/morris.cfg" -r 1 -q -o "$tmp/m.h5" 2>"$tmp/err" &&
    "$ES_BIN" sensitivity "$tmp/m.h5" --metric $metric --period FY2016 --csv >"$tmp/mcsv" 2>"$tmp/err"
rc=$?
ms() { grep "^morris,$metric,FY2016,$1,$2," "$tmp/mcsv" | cut -d, -f 6; }
ero=$(ms ero.detention_days mu_star)
agents=$(ms hsi.agents.migrant_smuggling mu_star)
[ "$rc" = 0 ] && [ "$ero" = 0 ] && [ -n "$agents" ] &&
    awk -v a="$agents" 'BEGIN { exit !(a > 0) }'
ok $? morris_inert_parameter_mu_star_0_agents_positive \
    "(exit $rc: mu* ero $ero, agents $agents; $(tail -n 1 "$tmp/err"))"

echo "not a result" >"$tmp/bad.h5"
"$ES_BIN" sensitivity "$tmp/bad.h5" 2>"$tmp/err" >/dev/null
refused $? not_a_result_file_refused "$tmp/bad.h5"
"$ES_BIN" sensitivity "$tmp/s.h5" --metric no_such_metric 2>"$tmp/err" >/dev/null
refused $? unknown_metric_refused "unknown metric 'no_such_metric'"
"$ES_BIN" sensitivity "$tmp/s.h5" --period FY1999 2>"$tmp/err" >/dev/null
refused $? absent_period_refused "not in"
sed 's/design = "saltelli";/design = "sobol";/; s/points = 8;/points = 2;/' $cfg >"$tmp/sobol.cfg"
cp tests/e2e/small.cfg "$tmp/" && "$ES_BIN" run "$tmp/sobol.cfg" -r 1 -q -o "$tmp/o.h5" 2>"$tmp/err"
"$ES_BIN" sensitivity "$tmp/o.h5" 2>"$tmp/err" >/dev/null
refused $? other_design_refused 'holds a "sobol" sweep'

# --diff BASE ALT: indices of a policy's effect, paired by replication. The
# effect of moving 40 smuggling agents out depends on the agents there are
# (ST > 0.5), not on ERO's detention length (ST < 0.05).
"$ES_BIN" run tests/e2e/sensitivity_diff.cfg -r 1 -q -o "$tmp/d.h5" 2>"$tmp/err" &&
    "$ES_BIN" sensitivity "$tmp/d.h5" --metric hsi_smuggling_cases_opened --period FY2016 \
        --diff base cut --csv >"$tmp/d.csv" 2>>"$tmp/err"
rc=$?
ero=$(awk -F, '$1 == "cut-base" && $4 == "ero.detention_days" && $5 == "st" { print $6 }' "$tmp/d.csv")
agents=$(awk -F, '$1 == "cut-base" && $4 == "hsi.agents.migrant_smuggling" && $5 == "st" { print $6 }' "$tmp/d.csv")
[ $rc = 0 ] && awk -v e="$ero" -v a="$agents" 'BEGIN { exit !(e != "" && e < 0.05 && a > 0.5) }'
ok $? diff_indices_of_an_effect_inert_parameter_below_0_05_agents_above_0_5 \
    "(exit $rc: ST ero $ero, agents $agents; $(tail -n 1 "$tmp/err"))"
"$ES_BIN" sensitivity "$tmp/d.h5" --diff base nosuch 2>"$tmp/err" >/dev/null
refused $? diff_unknown_scenario_refused "give two different scenarios"
# -o: the indices in a sealed HDF5 file, the same numbers as the CSV.
"$ES_BIN" sensitivity "$tmp/d.h5" --metric hsi_smuggling_cases_opened --period FY2016 \
    --diff base cut -o "$tmp/ind.h5" >/dev/null 2>"$tmp/err" &&
    /usr/bin/python3 - "$tmp/ind.h5" "$agents" <<'PY' 2>>"$tmp/err"
import sys, h5py
f = h5py.File(sys.argv[1], "r")
g = f["sensitivity/cut-base/FY2016/hsi_smuggling_cases_opened"]
names = [x.decode() if isinstance(x, bytes) else x for x in g["parameter"][()]]
i = names.index("hsi.agents.migrant_smuggling")
assert abs(g["st"][i] - float(sys.argv[2])) <= 1e-12 * abs(float(sys.argv[2])), (g["st"][i], sys.argv[2])
assert open(sys.argv[1], "rb").read(15) == b"enforcesim seal"  # the checksum block (io/seal.h)
PY
ok $? indices_written_to_hdf5_equal_the_printed_ones "$(tail -n 1 "$tmp/err")"
"$ES_BIN" sensitivity "$tmp/d.h5" -o "$tmp/d.h5" --force 2>"$tmp/err" >/dev/null
refused $? sensitivity_output_is_never_its_input "never overwritten"
