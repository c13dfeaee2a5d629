#!/usr/bin/python3
"""Exit 0 when two result files hold bit-identical data: every dataset under /parameters,
/scenarios, /comparisons, /design and /sweep equal byte for byte (metadata such as timings
may differ). A file without /comparisons (older layout) has none to compare.
usage: compare_data.py [--except-metrics REGEX] A.h5 B.h5
--except-metrics skips datasets whose last path component (the metric name)
matches REGEX: for a reference made before a change known to alter those
metrics (tests/e2e/reference.sh says which and why)."""
import re, sys
import h5py, numpy as np

GROUPS = ('scenarios', 'comparisons', 'design', 'sweep', 'parameters', 'sensitivity', 'waves', 'accept', 'posterior')

def datasets(f):
    out = {}
    for top in GROUPS:
        if top in f:
            f[top].visititems(lambda n, o: out.__setitem__(top + '/' + n, o[()])
                              if isinstance(o, h5py.Dataset) else None)
    return out

args = sys.argv[1:]
skip = None
if args[:1] == ['--except-metrics']:
    skip = re.compile(args[1]); args = args[2:]
a, b = (datasets(h5py.File(p, 'r')) for p in args[:2])
if skip:
    a, b = ({k: v for k, v in d.items() if not skip.fullmatch(k.rsplit('/', 1)[-1])} for d in (a, b))
if a.keys() != b.keys():
    sys.exit('different datasets: %s' % sorted(set(a) ^ set(b)))
for k in a:
    x, y = np.asarray(a[k]), np.asarray(b[k])
    if x.dtype == object:   # variable-length strings: compare the values
        same = x.shape == y.shape and x.tolist() == y.tolist()
    else:
        same = x.dtype == y.dtype and x.shape == y.shape and x.tobytes() == y.tobytes()
    if not same:
        sys.exit('dataset %s differs' % k)
print('%d datasets identical' % len(a))
