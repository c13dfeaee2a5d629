#!/usr/bin/python3
"""check_compare.py FILE [CSV]: the paired comparisons stored in a results file
(/comparisons/<base>__vs__<alt>), recomputed independently with numpy from the
per-replication values under /scenarios, must agree to 1e-9 relative.

The definitions are those of sim/experiment/compare.h. The Student-t
quantile comes from the closed form of the t distribution for integer
degrees of freedom (Abramowitz and Stegun 26.7.3 and 26.7.4), inverted by
bisection: no GSL and no scipy, so a shared mistake cannot hide. With CSV
(the output of `enforcesim compare --csv` for one configured pair), its
values must equal the stored ones too.

Prints one PASS/FAIL line per comparison and period kind; exit 1 on failure.
"""
import csv
import functools
import math
import statistics
import sys

import h5py
import numpy as np

REL = 1e-9
STATS = ["n", "mean_base", "mean_alt", "diff_mean", "diff_sd", "ci_low", "ci_high", "half_width",
         "rel_change", "rel_ci_low", "rel_ci_high", "corr", "variance_reduction", "significant",
         "replications_needed"]


def t_two_sided(t, nu):
    """P(|T| <= t) for Student t with integer nu >= 1 (A&S 26.7.3-4)."""
    th = math.atan(t / math.sqrt(nu))
    c, s = math.cos(th), math.sin(th)
    if nu % 2 == 1:
        total, term = 0.0, c
        if nu > 1:
            total = term
            for k in range(3, nu - 1, 2):
                term *= (k - 1) / k * c * c
                total += term
        return 2 / math.pi * (th + s * total)
    total, term = 1.0, 1.0
    for k in range(2, nu - 1, 2):
        term *= (k - 1) / k * c * c
        total += term
    return s * total


@functools.lru_cache(maxsize=None)
def t_quantile_975(nu):
    lo, hi = 0.0, 1e3
    for _ in range(64):   # 1e3 / 2^64: below double resolution
        mid = (lo + hi) / 2
        if t_two_sided(mid, nu) < 0.95:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def reps_needed(sd, target):
    if not (sd >= 0) or not (target > 0) or not math.isfinite(target):
        return math.nan
    if sd == 0:
        return 2.0
    # t > z, so the normal quantile's count is a lower bound to count up from.
    z = statistics.NormalDist().inv_cdf(0.975) * sd / target
    m = max(2, math.ceil(z * z))
    while t_quantile_975(m - 1) * sd / math.sqrt(m) > target:
        m += 1
    return float(m)


def expected(a, b, target_rel):
    ok = np.isfinite(a) & np.isfinite(b)
    a, b = a[ok], b[ok]
    n = len(a)
    out = dict.fromkeys(STATS, math.nan)
    out["n"] = n
    if n == 0:
        return out
    d = b - a
    ma, mb, md = a.mean(), b.mean(), d.mean()
    out.update(mean_base=ma, mean_alt=mb, diff_mean=md)
    if ma != 0:
        out["rel_change"] = md / ma
    if n < 2:
        return out
    # compare.h: "constant" is decided exactly, and a constant series has sd 0.
    ca, cb, cd = (bool(x.min() == x.max()) for x in (a, b, d))
    sd = 0.0 if cd else d.std(ddof=1)
    t = t_quantile_975(n - 1)
    hw = t * sd / math.sqrt(n)
    va, vb = a.var(ddof=1), b.var(ddof=1)
    out.update(diff_sd=sd, half_width=hw, ci_low=md - hw, ci_high=md + hw,
               significant=1.0 if (md - hw > 0 or md + hw < 0) else 0.0,
               corr=math.nan if ca or cb else np.corrcoef(a, b)[0, 1],
               variance_reduction=(va + vb) / sd**2 if not cd else (math.nan if ca and cb else math.inf),
               replications_needed=reps_needed(sd, target_rel * abs(ma)))
    if ma != 0:
        r = mb / ma
        rhw = t * (b - r * a).std(ddof=1) / (abs(ma) * math.sqrt(n))
        out.update(rel_ci_low=out["rel_change"] - rhw, rel_ci_high=out["rel_change"] + rhw)
    return out


def close(x, y, stat):
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    if math.isinf(x) or math.isinf(y):
        return x == y
    scale = max(abs(x), abs(y))
    # A difference of means computed two ways rounds at the size of the means.
    if stat in ("diff_mean", "ci_low", "ci_high", "rel_change", "rel_ci_low", "rel_ci_high"):
        scale = max(scale, 1e-6)
    # A correlation is a ratio of sums of products: it rounds at the size of
    # 1, so one near 0 (1e-17 against numpy's 0.0) is judged on that scale.
    if stat == "corr":
        scale = max(scale, 1.0)
    return abs(x - y) <= REL * scale or (scale < 1e-300)


def main():
    path = sys.argv[1]
    failures = 0
    stored = {}
    with h5py.File(path, "r") as f:
        pairs = list(f["comparisons"].keys())
        if not pairs:
            print("FAIL %s holds no comparison" % path)
            return 1
        for name in pairs:
            g = f["comparisons"][name]
            base, alt = g.attrs["base"], g.attrs["alt"]
            target = float(g.attrs["target_relative_half_width"])
            stats = list(g["fiscal_year"]["statistic"].asstr()[:])
            for leaf in ("fiscal_year", "calendar_year"):
                years = g[leaf][leaf][:]
                bad = []
                checked = 0
                for metric in sorted(k for k in g[leaf].keys() if k not in ("statistic", leaf)):
                    got = g[leaf][metric][:]
                    a = f["scenarios"][base][leaf][metric][:]
                    b = f["scenarios"][alt][leaf][metric][:]
                    for k, year in enumerate(years):
                        want = expected(a[:, k].astype(float), b[:, k].astype(float), target)
                        for i, s in enumerate(stats):
                            stored[(name, metric, "%s%d" % ("FY" if leaf == "fiscal_year" else "CY", year), s)] = got[i, k]
                            checked += 1
                            if not close(float(got[i, k]), float(want[s]), s):
                                bad.append("%s %d %s: stored %r, numpy %r" % (metric, year, s, got[i, k], want[s]))
                if bad:
                    failures += 1
                    print("FAIL %s %s: %d of %d values differ, e.g. %s" % (name, leaf, len(bad), checked, bad[0]))
                else:
                    print("PASS %s %s: %d statistics equal numpy's to %g" % (name, leaf, checked, REL))
    if len(sys.argv) > 2:
        with open(sys.argv[2]) as fh:
            rows = list(csv.DictReader(fh))
        diff = [r for r in rows if not close(float(r["value"]), float(stored[(r["comparison"], r["metric"], r["period"],
                                                                             r["statistic"])]), r["statistic"])]
        if rows and not diff:
            print("PASS compare --csv: %d values equal the file's" % len(rows))
        else:
            failures += 1
            print("FAIL compare --csv: %d rows, %d differ from the file%s" % (len(rows), len(diff),
                                                                            (": %s" % diff[0]) if diff else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
