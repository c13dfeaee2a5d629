#!/bin/sh
# Common random numbers on the headline comparison (baseline vs moving 250
# migrant-smuggling agents to worksite audits for FY2018): the paired 95%
# half-width of FY2018 smuggling cases opened is narrower with CRN than with
# --no-crn at the same replication count. This build (issue 14's market and
# refit), on the test's seed: 4.31 (headline) and 18.3 (50 agents) at 20
# replications, 4.68 and 23.2 at the 10 the test runs (the seed is fixed, so
# the figures change only with the model); the FY2018 baseline is now short
# of leads worth opening, so both scenarios open mostly the same keyed cases
# (docs/experiments.md). Both checks assert the factor of 2 of issue #4.
# What follows was measured on the hours-limited build before. Factors, 20 replications
# (run.seed 20190201, the test's seed / 11 / 22 / 33): 2.10 / 2.05 / 2.03 /
# 1.36; 40 replications on the test's seed: 1.68 (CRN-side VRF 1.5-3.2).
# Both scenarios are hours-limited in FY2018, so cases opened is a renewal
# count of agent-hours over case sizes (squared coefficient of variation
# about 1.2 per case, mostly from escalation to tier 1 and 2). With CRN the
# same lead draws the same case in both scenarios, and the paired
# difference is the count of the cases the baseline's extra 250 agents
# open, whose sizes only the baseline draws: variance about
# (N_base - N_alt) c^2 against (N_base + N_alt) c^2 without CRN, a factor
# near sqrt(2756 / 1390) = 1.4 plus what shared noise adds. With
# deterministic case hours and no escalation (diagnostic only) VRF is 19;
# keying by opening order (VRF 1.3), pre-empting exigent leads (VRF 0.8) and
# screening leads by score (1.65 vs 1.67) did not help. So the factor of 2
# of issue #4 is not reached robustly; the test asserts 1.3 on the default
# seed so that it cannot pass without CRN (factor ~1). Moving 50 agents
# instead, the two scenarios open mostly the same cases and the second
# check asserts 2 there. Statistical property: release build only.
: "${ES_BIN:?}"
if [ "${ES_SAN:-0}" = 1 ]; then
    echo "SKIP crn_narrows_half_widths: not under SAN=1: a statistical property of the data, which the sanitizers do not change; the release build of the suite measures it (4 runs of 10 replications, about ten times slower here)"
    exit 0
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
reps=10
# hw FILE ALT: the paired half-width of FY2018 cases opened, baseline -> ALT
# (empty when compare fails; its stderr is in FILE.err).
hw() {
    "$ES_BIN" compare "$1" --base baseline --alt "$2" --period FY2018 --metric hsi_smuggling_cases_opened --csv 2>"$1.err" |
        awk -F, '$4 == "half_width" { print $5 }'
}
# check NAME CONFIG ALT MIN
check() {
    "$ES_BIN" run "$2" -q -r $reps -o "$tmp/$3.crn.h5" 2>"$tmp/err" ||
        { echo "FAIL $1: run $2: exit $?: $(head -n 3 "$tmp/err" | tr '\n' ' ')"; return; }
    "$ES_BIN" run "$2" -q -r $reps --no-crn -o "$tmp/$3.ind.h5" 2>"$tmp/err" ||
        { echo "FAIL $1: run $2 --no-crn: exit $?: $(head -n 3 "$tmp/err" | tr '\n' ' ')"; return; }
    a=$(hw "$tmp/$3.crn.h5" "$3"); b=$(hw "$tmp/$3.ind.h5" "$3")
    awk -v name="$1" -v a="$a" -v b="$b" -v n="$reps" -v min="$4" -v why="$(cat "$tmp/$3.crn.h5.err" "$tmp/$3.ind.h5.err" | head -n 1)" 'BEGIN {
        if (a + 0 <= 0 || b + 0 <= 0) {
            printf "FAIL %s: half-widths not measured (with CRN \"%s\", without \"%s\"): %s\n", name, a, b, why
            exit
        }
        f = b / a
        printf "%s %s: %.1f with CRN, %.1f without, factor %.2f (n=%d, needs >= %s)\n",
               (f >= min ? "PASS" : "FAIL"), name, a, b, f, n, min }'
}
check crn_narrows_fy2018_cases_opened_half_width_twofold tests/e2e/headline_crn.cfg move250 2
# Measured 4.63 at 40 replications.
check crn_narrows_small_move_half_width_more_than_twofold tests/e2e/move50_crn.cfg move50 2
