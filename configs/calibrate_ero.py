#!/usr/bin/python3
"""Fit the ERO settings between '# BEGIN fitted ero' and '# END fitted ero'
in configs/baseline.cfg to the ICE targets of configs/calibration/targets.csv
(docs/model.md, ERO):

  ero.interior_arrest_rate (before and after 2017-01-25)
                              -> ERO administrative arrests FY2016, FY2017
  ero.border_detention_share  -> ICE removals FY2016
  ero.detention_days, ero.detention_days_interior
                              -> detention average daily population FY2016, FY2017

Each round runs the baseline and updates the settings from the simulated
figures: the arrest rates additively (arrests are the rate times the days,
plus overstay arrests that the rate does not move), the border share
multiplicatively, and the two stays in the ratio that Little's law gives for
both years' occupancy targets, scaled together to the simulated FY2016
occupancy (FY2017 occupancy is held near the funded beds, so it cannot steer
the fit). ICE removals FY2017 are not fitted: they
follow. Run configs/fit_arrivals.py and `enforcesim calibrate
configs/calibration/baseline_fit.cfg` first; no
FY2018 outcome is used.
usage: /usr/bin/python3 configs/calibrate_ero.py [--reps 8] [--iters 4]"""
import argparse, csv, os, re, subprocess, tempfile
import h5py, numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CFG = os.path.join(HERE, 'baseline.cfg')
EO_DAYS = (116, 249)  # FY2017 days before and from 2017-01-25

def targets():
    rows = csv.DictReader(l for l in open(os.path.join(HERE, 'calibration', 'targets.csv')) if not l.startswith('#'))
    return {(r['name'], r['period']): float(r['value']) for r in rows if r['kind'] == 'target'}

NUM = r'([0-9.eE+-]+)'

def read(text):
    m = re.search(r'interior_arrest_rate = \(\("2014-10-01", ' + NUM + r'\), \("2017-01-25", ' + NUM + r'\)\);', text)
    v = {'rate16': float(m.group(1)), 'rate17': float(m.group(2))}
    for k, name in (('share', 'border_detention_share'), ('stay_b', 'detention_days'),
                    ('stay_i', 'detention_days_interior')):
        v[k] = float(re.search(r'\n  ' + name + ' = ' + NUM + ';', text).group(1))
    return v

def write(text, v):
    text = re.sub(r'(interior_arrest_rate = \(\("2014-10-01", )' + NUM + r'(\), \("2017-01-25", )' + NUM + r'(\)\);)',
                  lambda m: '%s%.1f%s%.1f%s' % (m.group(1), v['rate16'], m.group(3), v['rate17'], m.group(5)), text)
    for k, name, fmt in (('share', 'border_detention_share', '%.4f'), ('stay_b', 'detention_days', '%.2f'),
                         ('stay_i', 'detention_days_interior', '%.2f')):
        text = re.sub(r'(\n  ' + name + ' = )' + NUM + ';', lambda m: m.group(1) + fmt % v[k] + ';', text)
    return text

def simulate(binary, text, reps):
    with tempfile.TemporaryDirectory(dir=HERE) as d:
        cfg = os.path.join(d, 'baseline.cfg')
        open(cfg, 'w').write(text)
        out = os.path.join(d, 'cal.h5')
        subprocess.run([binary, 'run', cfg, '-q', '-r', str(reps), '-o', out], check=True)
        with h5py.File(out, 'r') as f:
            fy = f['scenarios/baseline/fiscal_year']
            yi = list(fy['fiscal_year'][:])
            return {(m, y): fy[m][:, yi.index(y)].mean() for y in (2016, 2017)
                    for m in ('ero_administrative_arrests', 'removals', 'detention_occupancy',
                              'ero_border_transfers')}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--reps', type=int, default=8); ap.add_argument('--iters', type=int, default=4)
    ap.add_argument('--bin', default='./enforcesim')
    a = ap.parse_args()
    T = targets()
    text = open(CFG).read()
    v = read(text)
    for it in range(a.iters):
        s = simulate(a.bin, text, a.reps)
        t16, t17 = T[('ero_administrative_arrests', 'FY2016')], T[('ero_administrative_arrests', 'FY2017')]
        d16 = (t16 - s[('ero_administrative_arrests', 2016)]) / 366.0
        v['rate16'] += d16
        v['rate17'] += (t17 - s[('ero_administrative_arrests', 2017)] - d16 * EO_DAYS[0]) / EO_DAYS[1]
        v['share'] = min(1.0, v['share'] * T[('ero_removals', 'FY2016')] / s[('removals', 2016)])
        # The ratio of the stays: Little's law, occupancy = (border transfers
        # x border stay + interior arrests x interior stay) / 365, solved for
        # both years' targets with the simulated flows (the bed limit binds in
        # FY2017, so the simulated FY2017 occupancy cannot steer it); then
        # both stays scale together to the simulated FY2016 occupancy.
        A = np.array([[s[('ero_border_transfers', y)], s[('ero_administrative_arrests', y)]] for y in (2016, 2017)]) / 365.0
        b = np.array([T[('ero_detention_average_daily_population', 'FY%d' % y)] for y in (2016, 2017)])
        little = np.linalg.solve(A, b)
        scale = v['stay_b'] * T[('ero_detention_average_daily_population', 'FY2016')] / s[('detention_occupancy', 2016)] / little[0]
        v['stay_b'], v['stay_i'] = little[0] * scale, little[1] * scale
        text = write(text, v)
        print('round %d: ' % (it + 1) + ', '.join('%s %s %.0f' % (k[0], k[1], x) for k, x in sorted(s.items())))
        print('  -> ' + ', '.join('%s %.4g' % kv for kv in sorted(v.items())))
    open(CFG, 'w').write(text)

if __name__ == '__main__':
    main()
