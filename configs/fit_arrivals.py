#!/usr/bin/python3
"""Fit the monthly arrival path of a config to Border Patrol apprehensions.

The arrival rate (parties per day, one step per month) is an input that
docs/model.md (Calibration) says is "scaled so that Border Patrol apprehensions match the
fiscal-year facts". This script does that scaling and nothing else: it runs
the model, compares mean monthly apprehensions with the monthly flow level,
multiplies each month's rate by target/simulated, and repeats. The fitted
path is written between the '# BEGIN fitted arrivals' and '# END fitted
arrivals' markers of the config.

Flow levels per month (people apprehended), from calibration/targets.csv:
  FY2015 (warm-up) and FY2016: the FY2016 total spread evenly (no monthly
      FY2016 figures are in the targets);
  FY2017: the published monthly figures (the October-January surge);
  FY2018, baseline: the FY2017 post-surge level (February-September mean),
      i.e. no change in flows; fy2018: the FY2018 inputs (monthly October-
      June as first published, July-September sharing the rest of the
      revised 396,579 total).

usage: /usr/bin/python3 configs/fit_arrivals.py CONFIG {baseline|fy2018}
       [--targets configs/calibration/targets.csv] [--reps 6] [--iters 5]
"""
import argparse, csv, os, re, subprocess, sys, tempfile
import h5py, numpy as np

def month_list(y0, m0, y1, m1):
    out, y, m = [], y0, m0
    while (y, m) <= (y1, m1):
        out.append((y, m)); m += 1
        if m == 13: y, m = y + 1, 1
    return out

def flow_levels(targets, which):
    rows = list(csv.DictReader(l for l in open(targets) if not l.startswith('#')))
    def val(name, period):
        for r in rows:
            if r['name'] == name and r['period'] == period:
                return float(r['value'])
        raise KeyError((name, period))
    months = month_list(2014, 10, 2018, 9)
    fy16 = val('bp_apprehensions_sw', 'FY2016') / 12
    level = {}
    for (y, m) in months:
        fy = y + 1 if m >= 10 else y
        key = '%04d-%02d' % (y, m)
        if fy <= 2016:
            level[key] = fy16
        elif fy == 2017:
            level[key] = val('bp_apprehensions_sw_month', key)
    post = np.mean([level['2017-%02d' % m] for m in range(2, 10)])
    fy18_known = ['2017-10', '2017-11', '2017-12'] + ['2018-%02d' % m for m in range(1, 7)]
    rest = (val('bp_apprehensions_sw', 'FY2018') - sum(val('bp_apprehensions_sw_month', k) for k in fy18_known)) / 3
    for (y, m) in months:
        key = '%04d-%02d' % (y, m)
        fy = y + 1 if m >= 10 else y
        if fy == 2018:
            if which == 'baseline':
                level[key] = post
            else:
                level[key] = val('bp_apprehensions_sw_month', key) if key in fy18_known else rest
    return [('%04d-%02d' % ym) for ym in months], level

def level_share(targets, name):
    rows = list(csv.DictReader(l for l in open(targets) if not l.startswith('#')))
    get = lambda n: next(float(r['value']) for r in rows if r['name'] == n and r['period'] == 'FY2017')
    return get(name) / get('bp_apprehensions_sw')

def path_text(keys, rates):
    return '(' + ', '.join('("%s-01", %.4f)' % (k, r) for k, r in zip(keys, rates)) + ')'

def shares_text(v):
    return '[' + ', '.join('%.6f' % x for x in v) + ']'

def run(binary, config, keys, rates, types, reps, scenario):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, 'fit.h5')
        cmd = [binary, 'run', config, '-q', '-r', str(reps), '-o', out,
               '--set', 'migration.arrivals=' + path_text(keys, rates)]
        for origin, v in types.items():
            cmd += ['--set', 'migration.type_share.%s=%s' % (origin, shares_text(v))]
        subprocess.run(cmd, check=True)
        with h5py.File(out, 'r') as f:
            g = f['scenarios'][scenario]['monthly']
            fy = f['scenarios'][scenario]['fiscal_year']
            i17 = list(fy['fiscal_year'][:]).index(2017)
            mix = {k: fy[k][:, i17].mean() / fy['apprehensions'][:, i17].mean()
                   for k in ('apprehensions_family_units', 'apprehensions_unaccompanied_children')}
            return g['apprehensions'][:].mean(axis=0), mix

TYPE_ORIGINS = ('mexico', 'northern_triangle')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('config'); ap.add_argument('which', choices=['baseline', 'fy2018'])
    ap.add_argument('--targets', default=os.path.join(os.path.dirname(__file__), 'calibration', 'targets.csv'))
    ap.add_argument('--reps', type=int, default=6); ap.add_argument('--iters', type=int, default=5)
    ap.add_argument('--bin', default='./enforcesim')
    a = ap.parse_args()
    keys, level = flow_levels(a.targets, a.which)
    scenario = os.path.splitext(os.path.basename(a.config))[0]
    text = open(a.config).read()
    m = re.search(r'# BEGIN fitted arrivals\n(.*?)# END fitted arrivals', text, re.S)
    if not m:
        sys.exit('fit_arrivals: no fitted-arrivals markers in ' + a.config)
    cur = re.findall(r'\("(\d{4}-\d{2})-01",\s*([0-9.eE+-]+)\)', m.group(1))
    rates = dict(cur)
    r = np.array([float(rates.get(k, 600.0)) for k in keys])
    target = np.array([level[k] for k in keys])
    # The party-type mix of Mexican and Northern Triangle parties is fitted
    # (baseline only) to the FY2017 family-unit and unaccompanied-child
    # shares of apprehensions: both scale by the same factor per type.
    types = {}
    if a.which == 'baseline':
        tm = re.search(r'type_share\s*:\s*\{(.*?)\};', m.group(1), re.S)
        for o in TYPE_ORIGINS:
            mm = re.search(r'%s\s*=\s*\[([^\]]*)\]' % o, tm.group(1)) if tm else None
            types[o] = np.array([float(x) for x in mm.group(1).split(',')]) if mm else np.array([0.8, 0.12, 0.08])
        fam_t = level_share(a.targets, 'bp_apprehensions_sw_family_units')
        uac_t = level_share(a.targets, 'bp_apprehensions_sw_unaccompanied_children')
    for it in range(a.iters):
        sim, mix = run(a.bin, a.config, keys, r, types, a.reps, scenario)
        err = sim / target - 1
        print('iteration %d: max |sim/target - 1| = %.4f, FY2017 total %.0f, family %.4f, uac %.4f'
              % (it, np.abs(err).max(), sim[24:36].sum(), mix['apprehensions_family_units'],
                 mix['apprehensions_unaccompanied_children']), file=sys.stderr)
        r = r * target / np.maximum(sim, 1.0)
        if types:
            kf = fam_t / mix['apprehensions_family_units']
            ku = uac_t / mix['apprehensions_unaccompanied_children']
            for o in TYPE_ORIGINS:
                v = types[o].copy()
                v[1] = round(v[1] * kf, 6); v[2] = round(v[2] * ku, 6); v[0] = round(1.0 - v[1] - v[2], 6)
                types[o] = v
    block = '  arrivals = (\n' + ',\n'.join('    ("%s-01", %.4f)' % (k, v) for k, v in zip(keys, r)) + '\n  );\n'
    if types:
        block += '  type_share:\n  {\n' + ''.join('    %s = %s;\n' % (o, shares_text(v)) for o, v in types.items()) + '  };\n'
    text = text[:m.start(1)] + block + text[m.end(1):]
    open(a.config, 'w').write(text)

if __name__ == '__main__':
    main()
