#!/usr/bin/python3
"""Does a run draw its fiscal-year outputs from the same distributions as a
reference run made before a change that was meant to keep them?

    check_distribution.py REFERENCE.csv RESULT.h5 [SCENARIO]
    check_distribution.py --write RESULT.h5 [SCENARIO] > REFERENCE.csv

Speed work (docs/development.md, Benchmarks) may change which random numbers
a run draws (fewer events, a different draw order) but must not change what
the model says. The reference holds every replication's fiscal-year value of
every metric of SCENARIO (default baseline) from a run of the build before;
the result must come from another seed, so that the two samples are
independent. For each metric and fiscal year the two samples are compared
with a two-sample Kolmogorov-Smirnov test at the 1% level; a difference
smaller than 0.1% of the reference mean is not counted (a quantity with
almost no spread, such as hours used by a saturated pool, would otherwise
fail on a rounding-sized change). Across several hundred cells about 1% fail
by chance, so the check passes when no more fail than the 99.9% quantile of
Binomial(cells, 0.01) and none fails at the Bonferroni level 0.001 / cells:
a change that moves a few outputs a lot (10% longer detention stays: 9
cells, KS p down to 1e-12) fails there. At least 5 replications on each
side. Prints one PASS or FAIL line and the cells that failed. Python 3
standard library, numpy and h5py only.
"""
import math
import sys

import h5py
import numpy as np

LEVEL = 0.01
FLOOR = 1e-3


def cells(path, scenario):
    with h5py.File(path, 'r') as f:
        g = f['scenarios/%s/fiscal_year' % scenario]
        years = [int(y) for y in g['fiscal_year'][()]]
        out = {}
        for name in sorted(g):
            v = np.asarray(g[name][()], dtype=float)
            if name == 'fiscal_year' or v.ndim != 2:
                continue
            for j, fy in enumerate(years):
                out[(name, fy)] = v[:, j]
        return out


def ks_p(x, y):
    """Two-sample KS statistic's asymptotic p-value (Kolmogorov's series
    with Stephens' small-sample correction)."""
    x, y = np.sort(x), np.sort(y)
    allv = np.concatenate([x, y])
    d = np.max(np.abs(np.searchsorted(x, allv, side='right') / len(x) -
                      np.searchsorted(y, allv, side='right') / len(y)))
    ne = len(x) * len(y) / (len(x) + len(y))
    lam = (math.sqrt(ne) + 0.12 + 0.11 / math.sqrt(ne)) * d
    if lam < 0.2:
        return 1.0
    p = 2 * sum((-1) ** (k - 1) * math.exp(-2 * k * k * lam * lam) for k in range(1, 101))
    return min(max(p, 0.0), 1.0)


def binom_quantile(n, p, q):
    """Smallest k with P(Binomial(n, p) <= k) >= q."""
    c, term = 0.0, (1 - p) ** n
    for k in range(n + 1):
        c += term
        if c >= q:
            return k
        term *= (n - k) / (k + 1) * p / (1 - p)
    return n


def write(path, scenario):
    print('# Fiscal-year values of every metric, one column per replication, of')
    print('# scenario %s in %s (tests/e2e/check_distribution.py --write).' % (scenario, path))
    print('metric,fiscal_year,values')
    for (name, fy), v in sorted(cells(path, scenario).items()):
        print('%s,%d,%s' % (name, fy, ' '.join('%.10g' % x for x in v)))


def main(argv):
    if len(argv) >= 2 and argv[0] == '--write':
        write(argv[1], argv[2] if len(argv) > 2 else 'baseline')
        return 0
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    scenario = argv[2] if len(argv) > 2 else 'baseline'
    ref = {}
    with open(argv[0]) as f:
        for line in f:
            if line.startswith('#') or line.startswith('metric,'):
                continue
            name, fy, vals = line.rstrip('\n').split(',')
            ref[(name, int(fy))] = np.array([float(x) for x in vals.split()])
    new = cells(argv[1], scenario)
    tested, failed = 0, []
    for key in sorted(ref):
        if key not in new:
            failed.append((key, 'missing from the result', 0.0))
            continue
        x, y = ref[key], new[key]
        x, y = x[np.isfinite(x)], y[np.isfinite(y)]
        if len(x) < 5 or len(y) < 5:
            continue
        tested += 1
        mx, my = float(np.mean(x)), float(np.mean(y))
        if abs(my - mx) <= FLOOR * abs(mx):
            continue
        p = ks_p(x, y)
        if p < LEVEL:
            failed.append((key, 'mean %.6g, reference %.6g' % (my, mx), p))
    allowed = binom_quantile(tested, LEVEL, 0.999)
    strict = 0.001 / max(tested, 1)
    worst = min([p for _, _, p in failed], default=1.0)
    ok = tested > 0 and len(failed) <= allowed and worst >= strict and all(k in new for k in ref)
    print('%s outputs_keep_their_distributions: %d of %d metric-years differ at the 1%% level '
          '(at most %d by chance), smallest p %.2g (at least %.2g)' %
          ('PASS' if ok else 'FAIL', len(failed), tested, allowed, worst, strict))
    for (name, fy), what, p in failed:
        print('    %s FY%d: %s, KS p = %.2g' % (name, fy, what, p))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
