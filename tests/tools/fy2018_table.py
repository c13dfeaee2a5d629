#!/usr/bin/python3
"""Print docs/model.md's "What fy2018.cfg predicts" table from two runs:
the baseline (FY2017 and its no-change FY2018) and configs/fy2018.cfg.

usage: /usr/bin/python3 tests/tools/fy2018_table.py BASELINE.h5 FY2018.h5
  (./enforcesim run configs/baseline.cfg -o BASELINE.h5;
   ./enforcesim run configs/fy2018.cfg -o FY2018.h5)"""
import sys
import h5py

ROWS = [
    ('new smuggling cases opened', 'hsi_smuggling_cases_opened'),
    ('1324 charges', 'charges_1324'),
    ('  of which HSI cases', 'charges_1324_hsi_case'),
    ('  of which caught in the act', 'charges_1324_caught_in_act'),
    ('cases reaching tier 1', 'smuggling_cases_reaching_tier1'),
    ('cases reaching tier 2', 'smuggling_cases_reaching_tier2'),
    ('migrant-smuggling hours used', 'hsi_hours_used_migrant_smuggling'),
    ('prosecution-support hours used', 'hsi_hours_used_prosecution_support'),
    ('smuggling hours pulled into prosecution support', 'hsi_hours_pulled_from_migrant_smuggling'),
    ('smuggler revenue (USD)', 'smuggler_revenue'),
    ('mean fee (USD per smuggled person)', 'mean_fee'),
    ('people smuggled', 'smuggled_people'),
    ('active coordinators (tier 1)', 'active_actors_tier1'),
    ('worksite investigations', 'worksite_investigations'),
    ('worksite I-9 audits', 'worksite_i9_audits'),
    ('1325 prosecutions', 'prosecutions_1325'),
    ('Border Patrol apprehensions', 'apprehensions'),
    ('border deaths', 'deaths'),
]


def summary(path, year):
    f = h5py.File(path, 'r')
    sc = list(f['scenarios'])[0]
    g = f['scenarios/%s/summary_fiscal_year' % sc]
    col = list(g['fiscal_year'][()]).index(year)
    stats = [s.decode() for s in g['statistic'][()]]
    return {k: {s: g[k][stats.index(s), col] for s in ('mean', 'ci_low', 'ci_high')}
            for k in g if k not in ('statistic', 'fiscal_year')}


def cell(v):
    digits = 2 if abs(v['mean']) < 10 else 0
    fmt = '{:,.%df}' % digits
    return '%s [%s, %s]' % (fmt.format(v['mean']), fmt.format(v['ci_low']), fmt.format(v['ci_high']))


def main(base, fy18):
    b17, b18, f18 = summary(base, 2017), summary(base, 2018), summary(fy18, 2018)
    print('| outcome | FY2017 (baseline) | FY2018 baseline (no policy change) | FY2018 fy2018.cfg | FY2018 vs FY2017 |')
    print('|---|---|---|---|---|')
    for label, m in ROWS:
        a, c = b17[m]['mean'], f18[m]['mean']
        rel = '%+.0f%%' % (100 * (c / a - 1)) if a else 'n/a'
        print('| %s | %s | %s | %s | %s |' % (label, cell(b17[m]), cell(b18[m]), cell(f18[m]), rel))


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
