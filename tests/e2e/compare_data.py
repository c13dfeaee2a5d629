#!/usr/bin/python3
"""Exit 0 when two result files hold bit-identical data: every dataset under
/scenarios, /comparisons, /design and /sweep equal byte for byte (metadata such as timings
may differ). A file without /comparisons (older layout) has none to compare.
usage: compare_data.py A.h5 B.h5"""
import sys
import h5py, numpy as np

GROUPS = ('scenarios', 'comparisons', 'design', 'sweep')

def datasets(f):
    out = {}
    for top in GROUPS:
        if top in f:
            f[top].visititems(lambda n, o: out.__setitem__(top + '/' + n, o[()])
                              if isinstance(o, h5py.Dataset) else None)
    return out

a, b = (datasets(h5py.File(p, 'r')) for p in sys.argv[1:3])
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
