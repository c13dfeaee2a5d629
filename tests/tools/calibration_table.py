#!/usr/bin/python3
"""Prints the markdown calibration table of docs/model.md from a result file:
every kind=target row of configs/calibration/targets.csv, the simulated mean
with its 95% interval (tests/e2e/check_targets.py computes them), the
tolerance and the setting fitted to it.
usage: /usr/bin/python3 tests/tools/calibration_table.py RESULT.h5 [SCENARIO]
(not a test: no PASS lines)"""
import os, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# The setting each target row is fitted by (configs/fit_arrivals.py,
# configs/calibrate.py, configs/calibrate_ero.py); name or name_period.
FIT = {
    'bp_apprehensions_sw': '`migration.arrivals` (monthly path)',
    'bp_apprehensions_sw_month': '`migration.arrivals` (monthly path)',
    'bp_apprehensions_sw_family_units': '`migration.type_share`',
    'bp_apprehensions_sw_unaccompanied_children': '`migration.type_share`',
    'share_mexican_or_central_american': 'none (follows from `migration.origin_share`)',
    'hsi_smuggling_cases_opened_FY2016': '`hsi.proactive.hours_per_lead`',
    'hsi_smuggling_cases_opened_FY2017': '`hsi.special_operations`',
    'charges_1324_bringing_in_harboring': '`prosecution.accept_prob`',
    'prosecutions_1325_illegal_entry': '`border.entry_prosecution_share` (FY2017 on)',
    'ero_removals_FY2016': '`ero.border_detention_share`',
    'ero_removals_FY2017': 'none (the FY2016 fit carried over)',
    'ero_administrative_arrests': '`ero.interior_arrest_rate` (two levels)',
    'ero_detention_average_daily_population': '`ero.detention_days`, `ero.detention_days_interior`',
    'worksite_investigations_opened': '`hsi.item_hours` (worksite element)',
    'worksite_i9_audits_initiated': '`hsi.worksite.i9_audit_share`',
    'worksite_arrests_criminal': '`hsi.worksite.criminal_arrests`',
    'worksite_arrests_administrative': '`ero.worksite_arrests`',
    'border_deaths_southwest': '`border.death_risk` (one level a year)',
}
LINE = re.compile(r'(PASS|FAIL) baseline_reproduces_(\S+)_(FY\d+|CY\d+|\d{4}-\d{2}): target (\S+), '
                  r'simulated mean (\S+), 95% interval \[(\S+), (\S+)\], (\S+) \(tolerance \+/-(\d+)%')

def fmt(x):
    x = float(x)
    return '%.3f' % x if abs(x) < 2 else '{:,.0f}'.format(x)

def main():
    args = [os.path.join(ROOT, 'tests', 'e2e', 'check_targets.py'), sys.argv[1],
            os.path.join(ROOT, 'configs', 'calibration', 'targets.csv')] + sys.argv[2:3]
    out = subprocess.run(['/usr/bin/python3'] + args, capture_output=True, text=True).stdout
    print('| target row | period | fact | simulated mean [95% CI] | difference | tolerance | fitted setting |')
    print('|---|---|---|---|---|---|---|')
    for line in out.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        _, name, per, t, mean, lo, hi, diff, tol = m.groups()
        fit = FIT.get(name + '_' + per, FIT.get(name, '?'))
        print('| `%s` | %s | %s | %s [%s, %s] | %s | %s%% | %s |' % (name, per, fmt(t), fmt(mean), fmt(lo), fmt(hi), diff, tol, fit))

if __name__ == '__main__':
    main()
