#!/usr/bin/python3
"""Prints where the baseline lands on each kind=range row of the calibration
facts that the model has an output for (issue 13: ranges are not fitted, and
a user wants to see where each lands). A row given as an interval [low,
high] is INSIDE or OUTSIDE it; a row given as one value shows the relative
difference. One check: every row named in ROWS was found in the facts and
computed from the file (a renamed metric or a dropped row fails). Rows with
no model output (fees, price and migration effects, case examples, ...) are
listed as not modelled, so the gap stays visible.

usage: check_ranges.py RESULT.h5 TARGETS.csv [SCENARIO]"""
import csv, sys
import h5py, numpy as np

path, targets = sys.argv[1], sys.argv[2]
scenario = sys.argv[3] if len(sys.argv) > 3 else 'baseline'
rows = [r for r in csv.DictReader(l for l in open(targets) if not l.startswith('#')) if r['kind'] == 'range']
g = h5py.File(path, 'r')['scenarios'][scenario]['fiscal_year']
years = list(g['fiscal_year'][:])

def fy(metric, y):
    return float(g[metric][:, years.index(y)].mean())

def ratio(num, den, y):
    return float((g[num][:, years.index(y)] / g[den][:, years.index(y)]).mean())

# (name, period) -> (what, value): the model's counterpart of a range row.
ROWS = {
    ('bp_apprehensions_sw_decade', '2009-2018'): ('mean of FY2016-FY2018 apprehensions', lambda: np.mean([fy('apprehensions', y) for y in (2016, 2017, 2018)])),
    ('prosecutions_1325_illegal_entry', 'FY2016'): ('FY2016 1325 prosecutions', lambda: fy('prosecutions_1325', 2016)),
    ('ero_initial_book_ins', 'FY2016'): ('FY2016 ERO book-ins', lambda: fy('ero_book_ins', 2016)),
    ('ero_initial_book_ins', 'FY2017'): ('FY2017 ERO book-ins', lambda: fy('ero_book_ins', 2017)),
    ('smuggler_use_share', '2018'): ('FY2018 smuggled share of arriving people', lambda: ratio('smuggled_people', 'arrival_people', 2018)),
    ('fee_mean_all_crossers', '2017'): ('FY2017 mean fee', lambda: fy('fees_paid', 2017) / fy('smuggled_people', 2017)),
    ('fee_range_2017', '2017'): ('FY2017 mean fee', lambda: fy('fees_paid', 2017) / fy('smuggled_people', 2017)),
}

found = 0
for r in rows:
    key = (r['name'], r['period'])
    if key not in ROWS:
        print('# range %s %s: not modelled' % key)
        continue
    what, get = ROWS[key]
    v = get()
    lo, hi, val = r['low'], r['high'], r['value']
    if lo and hi:
        where = 'INSIDE' if float(lo) <= v <= float(hi) else 'OUTSIDE'
        print('# range %s %s: %s %.4g, %s [%s, %s]' % (key[0], key[1], what, v, where, lo, hi))
    else:
        print('# range %s %s: %s %.4g against %s (%+.1f%%)' % (key[0], key[1], what, v, val, 100 * (v / float(val) - 1)))
    found += np.isfinite(v)
ok = found == len(ROWS)
print('%s range_rows_are_computed_for_every_modelled_row: %d of %d' % ('PASS' if ok else 'FAIL', found, len(ROWS)))
