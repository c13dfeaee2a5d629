#!/bin/sh
# experiments.sh: scenarios, threads, common random numbers, comparisons and
# replicate-until-precise through the CLI (issue 4; docs/experiments.md and
# docs/cli.md), on tests/e2e/two_scenarios.cfg (units of a fraction of a second).
#   - -j 1 and -j 2 write bit-identical data (scenarios and comparisons);
#   - the stored paired statistics equal an independent numpy computation
#     (tests/e2e/check_compare.py) to 1e-9, and so does `compare --csv`;
#   - --precision stops at the same count for -j 1 and -j 2 and meets the
#     target, or records that the cap was hit;
#   - --no-crn widens the paired interval (the factor is printed);
#   - config errors in scenarios and bad compare requests exit 2;
#   - SIGINT/SIGTERM/SIGUSR1 stop a threaded run with 130/143, write no
#     result, keep the journal and say how to resume.
# Prints PASS/FAIL lines.
: "${ES_BIN:?}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
cfg=tests/e2e/two_scenarios.cfg
ok() { if [ "$1" = 0 ]; then echo "PASS $2"; else echo "FAIL $2 ${3:-}"; fi; }
# attr FILE NAME: a root attribute (or PATH:NAME for a group's).
attr() { "$py" -c 'import sys, h5py
f = h5py.File(sys.argv[1], "r"); p, _, n = sys.argv[2].rpartition(":")
print(f[p or "/"].attrs[n])' "$1" "$2"; }
# halfwidth FILE METRIC PERIOD: the stored paired half-width base vs intense.
csv_value() { "$ES_BIN" compare "$1" --base base --alt intense --metric "$2" --period "$3" --csv |
    awk -F, -v s="$4" '$4 == s { print $5 }'; }

# ---- threads: identical data ------------------------------------------------
"$ES_BIN" run $cfg -r 4 -j 1 -q -o "$tmp/j1.h5"; ok $? run_two_scenarios_j1
"$ES_BIN" run $cfg -r 4 -j 2 -o "$tmp/j2.h5" 2>"$tmp/err"; ok $? run_two_scenarios_j2
grep -q '8/8 units' "$tmp/err"; ok $? progress_counts_units_of_every_scenario "($(tail -n 1 "$tmp/err"))"
out=$("$py" tests/e2e/compare_data.py "$tmp/j1.h5" "$tmp/j2.h5"); ok $? "j1_and_j2_give_bit_identical_data ($out)"
"$py" -c 'import sys, h5py
f = h5py.File(sys.argv[1], "r")
assert list(f["scenarios"]) == ["base", "intense"], list(f["scenarios"])
assert list(f["comparisons"]) == ["base__vs__intense"], list(f["comparisons"])
assert f["scenarios/intense"].attrs["config"].count("intensity = ((\"2016-09-01\", 1.1))") == 1
assert f.attrs["common_random_numbers"] == 1' "$tmp/j1.h5" 2>"$tmp/err"
ok $? file_has_both_scenarios_their_configs_and_the_comparison "$(tail -n 1 "$tmp/err")"
"$ES_BIN" run $cfg -r 2 -q -o "$tmp/default_j.h5"; ok $? run_with_default_thread_count

# ---- the paired statistics, independently -------------------------------------
"$ES_BIN" compare "$tmp/j1.h5" --base base --alt intense --csv >"$tmp/cmp.csv"; ok $? compare_csv_exit_0
head -n 1 "$tmp/cmp.csv" | grep -qx 'comparison,metric,period,statistic,value'; ok $? compare_csv_is_tidy
"$py" tests/e2e/check_compare.py "$tmp/j1.h5" "$tmp/cmp.csv"

"$ES_BIN" compare "$tmp/j1.h5" --base base --alt intense --metric apprehensions --period FY2017 >"$tmp/table"
ok $? compare_table_exit_0
[ "$(grep -c '^FY2017 *apprehensions ' "$tmp/table")" = 1 ] && grep -q 'paired replications' "$tmp/table"
ok $? compare_table_one_row_for_one_metric_and_period
"$ES_BIN" compare "$tmp/j1.h5" --base base --alt intense --metric apprehensions --period CY2017 | grep -q '^CY2017 '
ok $? compare_calendar_year
"$ES_BIN" compare "$tmp/j1.h5" --base base --alt intense --metric deaths --half-width 5 | grep -q 'half-width of 5$'
ok $? compare_absolute_half_width
for bad in "--base base --alt nope" "--base nope --alt base" "--base base --alt base" \
    "--base base --alt intense --metric nope" "--base base --alt intense --period FY1999" \
    "--base base --alt intense --period 2017" "--base base --alt intense --half-width -1" "--base base"; do
    # shellcheck disable=SC2086
    "$ES_BIN" compare "$tmp/j1.h5" $bad >"$tmp/out" 2>"$tmp/err"; rc=$?
    [ $rc = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && [ ! -s "$tmp/out" ]
    ok $? "compare_$(echo "$bad" | tr -d '-' | tr ' ' '_')_is_exit_2" "(rc=$rc: $(cat "$tmp/err"))"
done
"$ES_BIN" compare "$tmp/j1.h5" --base base --alt nope 2>&1 | grep -q 'it has: base, intense'; ok $? compare_lists_the_scenarios
"$ES_BIN" compare "$tmp/none.h5" --base base --alt intense 2>/dev/null; [ $? = 2 ]; ok $? compare_missing_file_is_exit_2

# ---- replicate until precise --------------------------------------------------
for j in 1 2; do
    "$ES_BIN" run $cfg -r 2 -j $j -q --precision apprehensions=0.005 --max-replications 12 -o "$tmp/p$j.h5"
    ok $? "precision_run_j$j"
done
n1=$(attr "$tmp/p1.h5" scenarios/base:n_replications); n2=$(attr "$tmp/p2.h5" scenarios/base:n_replications)
[ -n "$n1" ] && [ "$n1" = "$n2" ] && [ "$n1" -gt 2 ] && [ "$n1" -le 12 ]
ok $? "precision_stops_at_the_same_count_for_j1_and_j2 ($n1 and $n2 replications)"
"$py" tests/e2e/compare_data.py "$tmp/p1.h5" "$tmp/p2.h5" >/dev/null; ok $? precision_runs_identical_for_j1_and_j2
[ "$(attr "$tmp/p1.h5" precision_met)" = 1 ] && attr "$tmp/p1.h5" precision | grep -q '^apprehensions=0.005'
ok $? precision_recorded_as_met
"$py" -c 'import sys, h5py, numpy as np
sys.path.insert(0, "tests/e2e")
from check_compare import t_quantile_975
f = h5py.File(sys.argv[1], "r")
for sc in f["scenarios"]:
    x = f["scenarios"][sc]["fiscal_year"]["apprehensions"][:]
    n = x.shape[0]
    hw = t_quantile_975(n - 1) * x.std(axis=0, ddof=1) / np.sqrt(n)
    assert (hw <= 0.005 * np.abs(x.mean(axis=0))).all(), (sc, hw / x.mean(axis=0))' "$tmp/p1.h5" 2>"$tmp/err"
ok $? precision_half_width_meets_the_target "$(tail -n 1 "$tmp/err")"
"$ES_BIN" run $cfg -r 2 -j 2 -q --precision apprehensions=0.00001 --max-replications 3 -o "$tmp/cap.h5" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] && grep -q 'not met' "$tmp/err" && [ "$(attr "$tmp/cap.h5" precision_met)" = 0 ] &&
    [ "$(attr "$tmp/cap.h5" scenarios/base:n_replications)" = 3 ]
ok $? precision_cap_is_reported_and_recorded "(rc=$rc: $(cat "$tmp/err"))"
"$ES_BIN" run $cfg -q --precision nope=0.1 -o "$tmp/x.h5" 2>/dev/null; [ $? = 2 ]; ok $? precision_unknown_metric_is_exit_2
"$ES_BIN" run $cfg -q --precision apprehensions=2 -o "$tmp/x.h5" 2>/dev/null; [ $? = 2 ]; ok $? precision_bad_rel_is_exit_2
"$ES_BIN" run $cfg -q -r 8 --precision apprehensions=0.1 --max-replications 4 -o "$tmp/x.h5" 2>/dev/null
[ $? = 2 ]; ok $? precision_cap_below_first_batch_is_exit_2

# ---- common random numbers ----------------------------------------------------
"$ES_BIN" run $cfg -r 8 -j 2 -q -o "$tmp/crn.h5"; ok $? run_crn
"$ES_BIN" run $cfg -r 8 -j 2 -q --no-crn -o "$tmp/nocrn.h5"; ok $? run_no_crn
[ "$(attr "$tmp/nocrn.h5" common_random_numbers)" = 0 ]; ok $? no_crn_recorded
h_crn=$(csv_value "$tmp/crn.h5" apprehensions FY2017 half_width)
h_ind=$(csv_value "$tmp/nocrn.h5" apprehensions FY2017 half_width)
factor=$(awk -v a="$h_ind" -v b="$h_crn" 'BEGIN { if (b > 0) printf "%.2f", a / b }')
echo "# paired 95% half-width of FY2017 apprehensions, 8 replications: CRN $h_crn, --no-crn $h_ind, factor $factor"
awk -v f="$factor" 'BEGIN { exit !(f >= 2) }'
ok $? "no_crn_widens_the_paired_half_width_at_least_2x (factor $factor)"

# ---- bad scenario configs through run ------------------------------------------
printf 'scenarios = ( { name = "a"; },\n  { name = "a"; } );\n' >"$tmp/dup.cfg"
printf 'scenarios = ( { name = "a"; }, { name = "b"; } );\ncomparisons = ( ("a", "c") );\n' >"$tmp/unknown.cfg"
printf 'scenarios = ( { name = "a"; },\n  { name = "b";\n    border = { intensity = -1.0; }; } );\n' >"$tmp/range.cfg"
for c in dup:2:twice unknown:2:c range:3:out_of_range; do
    name=${c%%:*}; rest=${c#*:}; line=${rest%%:*}; word=$(echo "${rest#*:}" | tr _ ' ')
    "$ES_BIN" run "$tmp/$name.cfg" -q -o "$tmp/$name.h5" 2>"$tmp/err"; rc=$?
    [ $rc = 2 ] && [ ! -e "$tmp/$name.h5" ] && [ "$(wc -l <"$tmp/err")" = 1 ] &&
        grep -q "$name.cfg:$line: " "$tmp/err" && grep -q "$word" "$tmp/err"
    ok $? "run_refuses_scenario_config_${name}_with_file_and_line" "(rc=$rc: $(cat "$tmp/err"))"
done
"$ES_BIN" validate $cfg >"$tmp/eff.cfg" && "$ES_BIN" validate "$tmp/eff.cfg" >"$tmp/eff2.cfg" &&
    cmp -s "$tmp/eff.cfg" "$tmp/eff2.cfg" && grep -q '^scenarios = ($' "$tmp/eff.cfg"
ok $? validate_prints_scenarios_and_reproduces_itself

# ---- signals stop a threaded run ----------------------------------------------------
# (resume.sh checks that such a run then finishes with --resume.)
for sig in INT:130 TERM:143 USR1:143; do
    name=sig_${sig%%:*}
    "$ES_BIN" run $cfg -r 400 -j 2 -q -o "$tmp/$name.h5" 2>"$tmp/err" &
    pid=$!
    sleep 1
    kill -"${sig%%:*}" $pid
    wait $pid; rc=$?
    [ $rc = "${sig#*:}" ] && [ ! -e "$tmp/$name.h5" ] && [ -s "$tmp/$name.h5.journal" ] &&
        grep -q "interrupted by SIG${sig%%:*}" "$tmp/err" && grep -q -- '--resume' "$tmp/err"
    ok $? "SIG${sig%%:*}_stops_a_threaded_run_with_${sig#*:}_keeps_the_journal_and_says_resume" "(rc=$rc: $(cat "$tmp/err"))"
done
ls "$tmp" | grep -q 'tmp-'; [ $? != 0 ]; ok $? no_temporary_files_left_behind
exit 0
