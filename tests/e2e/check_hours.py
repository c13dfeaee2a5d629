#!/usr/bin/python3
"""The FY2018 scenario reproduces the FY2018 hours table (October 2017 to
May 2018 case hours used per program, calibration/targets.csv) within 5%.
usage: check_hours.py FY2018.h5 TARGETS.csv"""
import csv, os, sys
import h5py, numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_compare import t_quantile_975 as t975

f = h5py.File(sys.argv[1], 'r')
g = f['scenarios/fy2018/monthly']
labels = [x.decode() if isinstance(x, bytes) else x for x in g['month'][:]]
cols = [labels.index(k) for k in ['2017-10', '2017-11', '2017-12', '2018-01', '2018-02', '2018-03', '2018-04', '2018-05']]
failed = checked = 0
for r in csv.DictReader(l for l in open(sys.argv[2]) if not l.startswith('#')):
    if not r['name'].startswith('hsi_case_hours_'):
        continue
    prog = r['name'][len('hsi_case_hours_'):]
    checked += 1
    used = g['hsi_hours_used_' + prog][:, cols].sum(axis=1)
    m, target = used.mean(), float(r['value'])
    n = len(used)
    h = t975(n - 1) * used.std(ddof=1) / np.sqrt(n) if n > 1 else float('nan')
    ok = abs(m / target - 1) <= 0.05
    failed += not ok
    print('%s fy2018_reproduces_hours_table_%s: table %.0f, simulated mean %.0f, 95%% interval [%.0f, %.0f], %+.2f%% (tolerance +/-5%%, n=%d)'
          % ('PASS' if ok else 'FAIL', prog, target, m, m - h, m + h, 100 * (m / target - 1), n))
if checked == 0:
    print('FAIL fy2018_reproduces_hours_table: no hsi_case_hours_* row in %s' % sys.argv[2])
    failed = 1
sys.exit(1 if failed else 0)
