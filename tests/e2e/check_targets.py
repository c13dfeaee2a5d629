#!/usr/bin/python3
"""Checks a baseline result file against the kind=target rows of the
calibration facts that the model implements so far. Prints PASS/FAIL per
target with the simulated mean and its 95% interval.

usage: check_targets.py RESULT.h5 TARGETS.csv [SCENARIO]
Tolerance: apprehension counts within 5% of the target, other targets 10%
(issue acceptance). Every kind=target row must be matched; an unknown one fails."""
import csv, os, sys
import h5py, numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_compare import t_quantile_975 as t975

path, targets = sys.argv[1], sys.argv[2]
scenario = sys.argv[3] if len(sys.argv) > 3 else 'baseline'
rows = [r for r in csv.DictReader(l for l in open(targets) if not l.startswith('#')) if r['kind'] == 'target']
f = h5py.File(path, 'r')
g = f['scenarios'][scenario]

def fy_vals(metric, year):
    d = g['fiscal_year']
    i = list(d['fiscal_year'][:]).index(year)
    return d[metric][:, i]

def cy_vals(metric, year):
    d = g['calendar_year']
    i = list(d['calendar_year'][:]).index(year)
    return d[metric][:, i]

def month_vals(metric, key):
    d = g['monthly']
    labels = [m.decode() if isinstance(m, bytes) else m for m in d['month'][:]]
    return d[metric][:, labels.index(key)]

def sim_for(r):
    name, period = r['name'], r['period']
    if name == 'bp_apprehensions_sw' and period.startswith('FY'):
        return fy_vals('apprehensions', int(period[2:])), 0.05
    if name == 'bp_apprehensions_sw_month':
        return month_vals('apprehensions', period), 0.05
    if name == 'bp_apprehensions_sw_family_units':
        return fy_vals('apprehensions_family_units', int(period[2:])), 0.05
    if name == 'bp_apprehensions_sw_unaccompanied_children':
        return fy_vals('apprehensions_unaccompanied_children', int(period[2:])), 0.05
    if name == 'hsi_smuggling_cases_opened':
        return fy_vals('hsi_smuggling_cases_opened', int(period[2:])), 0.10
    if name == 'charges_1324_bringing_in_harboring':
        get = fy_vals if period.startswith('FY') else cy_vals
        return get('charges_1324', int(period[2:])), 0.10
    # HSI worksite enforcement (ICE): investigations, I-9 audits, arrests
    worksite = {'worksite_investigations_opened': 'worksite_investigations',
                'worksite_i9_audits_initiated': 'worksite_i9_audits',
                'worksite_arrests_criminal': 'worksite_arrests_criminal',
                'worksite_arrests_administrative': 'worksite_arrests_administrative'}
    if name in worksite:
        return fy_vals(worksite[name], int(period[2:])), 0.10
    if name == 'border_deaths_southwest':
        return fy_vals('deaths', int(period[2:])), 0.10
    if name == 'prosecutions_1325_illegal_entry':
        return fy_vals('prosecutions_1325', int(period[2:])), 0.10
    if name == 'share_mexican_or_central_american':
        y = int(period[2:])
        return cy_vals('apprehensions_mexico_central_america', y) / cy_vals('apprehensions', y), 0.10
    # ERO (ICE): removals, interior administrative arrests, detention
    # average daily population (the mean of month-end occupancy).
    if name == 'ero_removals':
        return fy_vals('removals', int(period[2:])), 0.10
    if name == 'ero_administrative_arrests':
        return fy_vals('ero_administrative_arrests', int(period[2:])), 0.10
    if name == 'ero_detention_average_daily_population':
        return fy_vals('detention_occupancy', int(period[2:])), 0.10
    return None, None

failed = 0
for r in rows:
    vals, tol = sim_for(r)
    label = '%s %s' % (r['name'], r['period'])
    if vals is None:
        print('FAIL baseline_reproduces_%s: target %s, no simulated counterpart in this checker'
              % (label.replace(' ', '_'), r['value']))
        failed += 1
        continue
    n = len(vals); m = vals.mean(); h = t975(n - 1) * vals.std(ddof=1) / np.sqrt(n) if n > 1 else float('nan')
    target = float(r['value'])
    ok = abs(m / target - 1) <= tol
    failed += not ok
    print('%s baseline_reproduces_%s_%s: target %.6g, simulated mean %.6g, 95%% interval [%.6g, %.6g], %+.1f%% (tolerance +/-%d%%, n=%d)'
          % ('PASS' if ok else 'FAIL', r['name'], r['period'], target, m, m - h, m + h, 100 * (m / target - 1), 100 * tol, n))
if not rows:
    print('FAIL baseline_reproduces_targets: no kind=target row in %s' % targets)
    failed = 1
sys.exit(1 if failed else 0)
