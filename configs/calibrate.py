#!/usr/bin/python3
"""Fit the enforcement settings marked '# fitted' in configs/baseline.cfg to
the calibration targets, one setting per target (each mainly drives its
own target, so multiplicative updates converge in a few rounds):

  hsi.proactive.hours_per_lead        -> new HSI smuggling cases, FY2016 (2,110)
    (or, in a config with hsi.opening_model = "hours" such as
    configs/opening_hours.cfg, hsi.case.tier_hours as one scale)
  hsi.special_operations (FY2017)     -> new HSI smuggling cases, FY2017 (3,920)
  prosecution.accept_prob             -> 1324 charges, FY2017 (3,826)
  border.entry_prosecution_share      -> 1325 prosecutions, FY2016 (35,389, a
                                         range fact) and FY2017 (27,073)

Run configs/fit_arrivals.py first (flows), then this. Nothing else is
tuned, and no FY2018 outcome is used.
usage: /usr/bin/python3 configs/calibrate.py [--config CFG] [--reps 8] [--iters 5]"""
import argparse, os, re, subprocess, sys, tempfile
import h5py, numpy as np

CFG = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'baseline.cfg')

def read(text):
    v = {}
    m = re.search(r'entry_prosecution_share = \(\("2014-10-01", ([0-9.eE+-]+)\), \("2016-10-01", ([0-9.eE+-]+)\)\);  # fitted', text)
    v['entry16'], v['entry17'] = float(m.group(1)), float(m.group(2))
    v['surge'] = int(float(re.search(r'special_operations = \(\("2014-10-01", 0.0\), \("2016-10-01", ([0-9.]+)\), \("2017-10-01", 0.0\)\);  # fitted', text).group(1)))
    th = re.search(r'tier_hours = \[([^\]]*)\];  # fitted', text)
    if th: v['tier_hours'] = [float(x) for x in th.group(1).split(',')]
    hpl = re.search(r'hours_per_lead = ([0-9.eE+-]+);  # fitted', text)
    if hpl: v['hpl'] = float(hpl.group(1))
    v['accept'] = float(re.search(r'accept_prob = ([0-9.eE+-]+);  # fitted', text).group(1))
    return v

def write(text, v):
    text = re.sub(r'(entry_prosecution_share = \(\("2014-10-01", )[0-9.eE+-]+(\), \("2016-10-01", )[0-9.eE+-]+(\)\);  # fitted)',
                  lambda m: '%s%.6f%s%.6f%s' % (m.group(1), v['entry16'], m.group(2), v['entry17'], m.group(3)), text)
    text = re.sub(r'(special_operations = \(\("2014-10-01", 0.0\), \("2016-10-01", )[0-9.]+(\), \("2017-10-01", 0.0\)\);  # fitted)',
                  lambda m: '%s%d.0%s' % (m.group(1), v['surge'], m.group(2)), text)
    if 'tier_hours' in v:
        text = re.sub(r'tier_hours = \[[^\]]*\];  # fitted',
                      'tier_hours = [%s];  # fitted' % ', '.join('%.1f' % x for x in v['tier_hours']), text)
    if 'hpl' in v:
        text = re.sub(r'hours_per_lead = [0-9.eE+-]+;  # fitted', 'hours_per_lead = %.1f;  # fitted' % v['hpl'], text)
    text = re.sub(r'accept_prob = [0-9.eE+-]+;  # fitted', 'accept_prob = %.4f;  # fitted' % v['accept'], text)
    return text

def simulate(binary, text, reps):
    with tempfile.TemporaryDirectory(dir=os.path.dirname(CFG)) as d:
        cfg = os.path.join(d, 'baseline.cfg')  # the scenario keeps its name
        open(cfg, 'w').write(text)
        out = os.path.join(d, 'cal.h5')
        subprocess.run([binary, 'run', cfg, '-q', '-r', str(reps), '-o', out], check=True)
        with h5py.File(out, 'r') as f:
            fy = f['scenarios/baseline/fiscal_year']; cy = f['scenarios/baseline/calendar_year']
            fyi = list(fy['fiscal_year'][:]); cyi = list(cy['calendar_year'][:])
            g = lambda grp, idx, m, y: grp[m][:, idx.index(y)].mean()
            return {'cases16': g(fy, fyi, 'hsi_smuggling_cases_opened', 2016),
                    'cases17': g(fy, fyi, 'hsi_smuggling_cases_opened', 2017),
                    'proactive16': g(fy, fyi, 'leads_proactive', 2016),
                    'charges17': g(fy, fyi, 'charges_1324', 2017),
                    'entry16': g(fy, fyi, 'prosecutions_1325', 2016),
                    'entry17': g(fy, fyi, 'prosecutions_1325', 2017)}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--reps', type=int, default=8); ap.add_argument('--iters', type=int, default=5)
    ap.add_argument('--bin', default='./enforcesim')
    ap.add_argument('--config', default=CFG)
    a = ap.parse_args()
    text = open(a.config).read()
    v = read(text)
    T = {'cases16': 2110, 'cases17': 3920, 'charges17': 3826, 'entry16': 35389, 'entry17': 27073}
    for it in range(a.iters):
        s = simulate(a.bin, write(text, v), a.reps)
        print('round %d: ' % it + ', '.join('%s %.0f (%+.1f%%)' % (k, s[k], 100 * (s[k] / T[k] - 1)) for k in T), file=sys.stderr)
        if 'hpl' in v:
            # openings = screened reactive leads + proactive leads, the
            # latter inversely proportional to the hours each costs
            reactive = s['cases16'] - s['proactive16']
            want = max(T['cases16'] - reactive, 1.0)
            v['hpl'] = v['hpl'] * max(s['proactive16'], 1.0) / want
        else:
            # more hours per case, fewer cases opened (capacity-bound program)
            k = s['cases16'] / T['cases16']
            v['tier_hours'] = [h * k for h in v['tier_hours']]
        # the surge's agents: the FY2017 excess of cases over FY2016 is
        # taken as proportional to them (FY2017 otherwise opens about what
        # FY2016 does: fewer crossings after January, a surge before)
        have, need = s['cases17'] - s['cases16'], T['cases17'] - T['cases16']
        if have > 0:
            v['surge'] = max(0, int(round(v['surge'] * need / have)))
        v['accept'] = min(1.0, v['accept'] * T['charges17'] / s['charges17'])
        v['entry16'] = min(1.0, v['entry16'] * T['entry16'] / s['entry16'])
        v['entry17'] = min(1.0, v['entry17'] * T['entry17'] / s['entry17'])
    open(a.config, 'w').write(write(text, v))
    print('written: %s' % v, file=sys.stderr)

if __name__ == '__main__':
    main()
