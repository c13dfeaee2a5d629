#!/usr/bin/python3
"""Print the objects of enforcesim result files as a Markdown table, for
docs/reference/hdf5-objects.md (tests/tools/update_reference.sh writes it,
tests/e2e/readme.sh checks it). Scenario, comparison and swept-parameter
names are replaced by placeholders and the metric datasets of a group are
one row, so the table describes the layout, not one run.
usage: /usr/bin/python3 tests/tools/h5_objects.py FILE..."""
import re
import sys

import h5py


def general(path, scenarios, params):
    parts = path.split("/")
    out = []
    for i, p in enumerate(parts):
        up = parts[i - 1] if i else ""
        if up in ("scenarios", "sweep") and p in scenarios:
            p = "<scenario>"
        elif up == "comparisons" and "__vs__" in p:
            p = "<base>__vs__<alt>"
        elif p in params:
            p = "<parameter>"
        out.append(p)
    return "/".join(out)


def kind_of(obj):
    if isinstance(obj, h5py.Group):
        return "group"
    if obj.attrs.get("CLASS", b"") == b"DIMENSION_SCALE":
        return "dimension scale"
    if "aggregation" in obj.attrs:
        return "metric"
    return "dataset"


def dims_of(ds):
    if kind_of(ds) == "dimension scale":
        return "(" + ds.name.rsplit("/", 1)[-1] + ")"
    names = []
    for d in ds.dims:
        scales = list(d.values())
        names.append(scales[0].name.rsplit("/", 1)[-1] if scales else "?")
    return "(" + ", ".join(names) + ")"


def type_of(ds):
    if h5py.check_string_dtype(ds.dtype):
        return "UTF-8 string"
    return str(ds.dtype)


def attrs_of(obj):
    hidden = {"CLASS", "NAME", "REFERENCE_LIST", "DIMENSION_LIST", "units",
              "description", "aggregation", "_Netcdf4Dimid", "_Netcdf4Coordinates",
              "_NCProperties"}
    return ", ".join("`%s`" % a for a in sorted(obj.attrs) if a not in hidden)


def main(files):
    rows = {}
    for fn in files:
        with h5py.File(fn, "r") as f:
            scenarios = set()
            for top in ("scenarios", "sweep"):
                if top in f:
                    scenarios |= set(f[top].keys())
            params = set(f["design"].keys()) - {"point"} if "design" in f else set()

            def visit(name, obj):
                path = "/" + general(name, scenarios, params)
                k = kind_of(obj)
                if k == "metric":
                    path = path.rsplit("/", 1)[0] + "/<metric>"
                if path in rows:
                    merge(path, obj)
                    return
                if k == "group":
                    rows[path] = (k, "", "", "", attrs_of(obj))
                else:
                    units = obj.attrs.get("units", "")
                    if isinstance(units, bytes):
                        units = units.decode()
                    if k == "metric":
                        units = "per metric"
                    rows[path] = (k, dims_of(obj), type_of(obj), units, attrs_of(obj))

            def merge(path, obj):
                old = rows[path]
                names = set(filter(None, old[4].split(", "))) | set(
                    filter(None, attrs_of(obj).split(", ")))
                rows[path] = old[:4] + (", ".join(sorted(names)),)

            if "/" in rows:
                merge("/", f)
            else:
                rows["/"] = ("group", "", "", "", attrs_of(f))
            f.visititems(visit)
    print("| path | kind | dims | type | units | attributes |")
    print("|---|---|---|---|---|---|")
    for path in sorted(rows):
        k, dims, typ, units, attrs = rows[path]
        print("| `%s` | %s | %s | %s | %s | %s |" % (path, k, dims, typ,
                                                    re.sub(r"\|", "\\|", units), attrs))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
