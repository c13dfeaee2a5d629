#!/bin/sh
# Zero tolerance costs HSI agents (issue 13): configs/zero_tolerance.cfg
# compares fy2018.cfg with the same year at the FY2017 1325 referral share.
# Without zero tolerance, paired over 6 replications (common random
# numbers), FY2018 prosecution-support hours fall, fewer migrant-smuggling
# hours are pulled into it, and smuggling hours and new cases rise; each
# difference must be significant (95% paired interval excluding 0). Measured
# at 10 replications: cases opened +106 [95, 118] (1,619 to 1,726).
# Statistical property: release build only.
: "${ES_BIN:?}"
if [ "${ES_SAN:-0}" = 1 ]; then
    echo "SKIP zero_tolerance_costs_smuggling_cases: not under SAN=1: a statistical property of the data; the release build of the suite measures it"
    exit 0
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$ES_BIN" run configs/zero_tolerance.cfg -q -r 6 -o "$tmp/zt.h5" 2>"$tmp/err" ||
    { echo "FAIL zero_tolerance_runs: exit $?: $(head -n 3 "$tmp/err" | tr '\n' ' ')"; exit 0; }
# check NAME METRIC SIGN: the FY2018 paired difference (no_zero_tolerance -
# fy2018) has SIGN (+ or -) and its 95% interval excludes 0.
check() {
    "$ES_BIN" compare "$tmp/zt.h5" --base fy2018 --alt no_zero_tolerance --period FY2018 --metric "$2" --csv 2>"$tmp/cerr" |
        awk -F, -v name="$1" -v sign="$3" -v why="$(head -n 1 "$tmp/cerr")" '
            $4 == "diff_mean" { d = $5 } $4 == "ci_low" { lo = $5 } $4 == "ci_high" { hi = $5 }
            END {
                if (d == "") { printf "FAIL %s: no comparison: %s\n", name, why; exit }
                ok = sign == "+" ? lo > 0 : hi < 0
                printf "%s %s: no zero tolerance minus fy2018 %.0f [%.0f, %.0f]\n", ok ? "PASS" : "FAIL", name, d, lo, hi
            }'
}
check without_zero_tolerance_prosecution_support_uses_fewer_hours hsi_hours_used_prosecution_support -
check without_zero_tolerance_fewer_smuggling_hours_are_pulled hsi_hours_pulled_from_migrant_smuggling -
check without_zero_tolerance_smuggling_uses_more_hours hsi_hours_used_migrant_smuggling +
check without_zero_tolerance_more_smuggling_cases_open hsi_smuggling_cases_opened +
