#!/usr/bin/python3
"""make_h5_seeds.py REAL.h5 OUTDIR: small hand-made seeds for the reader's
fuzz target (tests/fuzz/corpus/h5/), derived from a real result so that the
root attributes are the writer's own. A real result is over 500 KB (123
metrics x 5 groups), too big to commit and slow to mutate; these files are a
few KB and reach the attribute readers, the group walk and the dataset and
dimension-scale checks quickly. `make fuzz` adds a fresh real result.
Written with libver "latest", as enforcesim's own files are (version 2
object headers with checksums): libhdf5 then refuses a damaged header
cleanly instead of following a damaged variable-length reference in it.

  root_only.h5     root attributes, empty /scenarios and /comparisons: valid
                   (a run with no scenarios), so the vlen-string readers run
  root_fixed.h5    the same with fixed-length string attributes
  other_program.h5 program = "other": the first refusal
  partial.h5       one scenario whose monthly group has the scales and two
                   metrics: the dataset, type, shape and scale checks
  linked.h5        a complete, valid result of the real one's scenarios and
                   comparisons in which each group holds one metric dataset
                   and every other metric name is a hard link to it: the
                   reader walks the whole layout (every group, scale, metric
                   and comparison) in a file of tens of KB instead of 1.4 MB
"""
import sys
import h5py
import numpy as np

real, out = sys.argv[1], sys.argv[2]
src = h5py.File(real, "r")
attrs = {k: src.attrs[k] for k in src.attrs}
metrics = [k for k in src["scenarios"][list(src["scenarios"])[0]]["monthly"]
           if k not in ("replication", "month", "month_start")]


def str_scale(group, name, values):
    """A string dataset stored compactly, as enforcesim writes its string
    scales (layout 2): the references sit in the checksummed header."""
    arr = np.array(values, dtype=h5py.string_dtype())
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.COMPACT)
    tid = h5py.h5t.py_create(arr.dtype, logical=True)
    dsid = h5py.h5d.create(group.id, name.encode(), tid, h5py.h5s.create_simple(arr.shape), dcpl=dcpl)
    ds = h5py.Dataset(dsid)
    ds[...] = arr
    return ds


def root(path, fixed=False, program=None):
    f = h5py.File(path, "w", track_order=True, libver="latest")
    for k, v in attrs.items():
        if k == "config":
            v = "run = { seed = 7; };\n"   # the real text is 20 KB
        if k == "program" and program:
            v = program
        if isinstance(v, (str, bytes)) and fixed:
            b = v.encode() if isinstance(v, str) else v
            f.attrs.create(k, np.bytes_(b), dtype=h5py.string_dtype("ascii", len(b) or 1))
        else:
            f.attrs[k] = v
    f.create_group("scenarios", track_order=True)
    f.create_group("comparisons", track_order=True)
    return f


root(out + "/root_only.h5").close()
root(out + "/root_fixed.h5", fixed=True).close()
root(out + "/other_program.h5", program="other").close()

f = root(out + "/partial.h5")
s = f["scenarios"].create_group("a", track_order=True)
s.attrs["n_replications"] = np.int64(1)
g = s.create_group("monthly", track_order=True)
rep = g.create_dataset("replication", data=np.array([0], dtype="i8"))
rep.make_scale("replication")
month = str_scale(g, "month", ["2016-11"])
month.make_scale("month")
ms = g.create_dataset("month_start", data=np.array([17106], dtype="i4"))
ms.dims[0].attach_scale(month)
for m in metrics[:2]:
    d = g.create_dataset(m, data=np.zeros((1, 1)))
    d.dims[0].attach_scale(rep)
    d.dims[1].attach_scale(month)
f.close()


# linked.h5: the real layout, one dataset object per group.
SCALES = ("replication", "month", "month_start", "fiscal_year", "calendar_year", "statistic")
f = root(out + "/linked.h5")
for top in ("scenarios", "comparisons"):
    for name, sg in src[top].items():
        dg = f[top].create_group(name, track_order=True)
        for k, v in sg.attrs.items():
            dg.attrs[k] = "run = { seed = 7; };\n" if k == "config" else v
        for gname, g in sg.items():
            d = dg.create_group(gname, track_order=True)
            for k, v in g.attrs.items():
                d.attrs[k] = v
            scales = {}
            for k in SCALES:
                if k in g:
                    data = g[k][()]
                    if g[k].dtype.kind == "O":
                        scales[k] = str_scale(d, k, [x.decode() if isinstance(x, bytes) else x for x in data])
                    else:
                        scales[k] = d.create_dataset(k, data=data)
            for k, ds in scales.items():
                if k != "month_start":
                    ds.make_scale(k)
            if "month_start" in scales:
                scales["month_start"].dims[0].attach_scale(scales["month"])
            names = [k for k in g if k not in SCALES]
            first = g[names[0]]
            m = d.create_dataset(names[0], data=first[()])
            for axis in range(2):
                m.dims[axis].attach_scale(scales[first.dims[axis][0].name.rsplit("/", 1)[1]])
            for k in names[1:]:
                d[k] = m
f.close()
