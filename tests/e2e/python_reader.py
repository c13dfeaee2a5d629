#!/usr/bin/python3
"""python_reader.py FILE: open an enforcesim results file as a Python user would.

Checks the promises of docs/output.md (Conventions the layout keeps) with h5py, with xarray
(engine="h5netcdf", and "netcdf4" when netCDF4 is installed) and pandas:
named dimension scales on every axis, str (not bytes) attributes and labels,
month_start decoding to datetime64, label-based selection, tidy data frames.
Generic: scenarios, comparisons and metrics are discovered from the file, so
it serves both the synthetic file of tests/e2e/h5_python.sh and real runs.

Prints one "PASS name" or "FAIL name: why" line per check; exits 1 if any
check failed. Run with /usr/bin/python3 (Debian's h5py, xarray, h5netcdf).
"""
import sys
import traceback

import h5py
import numpy as np
import xarray as xr

ROOT_STR_ATTRS = ["title", "program", "version", "git_commit", "rng", "config",
                  "command_line", "started", "finished", "host", "history"]
# leaf group -> its (axis 0, axis 1) dimension names
LEAVES = {
    "monthly": ("replication", "month"),
    "fiscal_year": ("replication", "fiscal_year"),
    "calendar_year": ("replication", "calendar_year"),
    "summary_fiscal_year": ("statistic", "fiscal_year"),
    "summary_calendar_year": ("statistic", "calendar_year"),
}
STATISTICS = ["mean", "sd", "ci_low", "ci_high"]
COORDS = {"replication", "month", "month_start", "fiscal_year", "calendar_year", "statistic"}
# /comparisons/<base>__vs__<alt>/<leaf>: (statistic, year), statistics in this order
CMP_LEAVES = {"fiscal_year": ("statistic", "fiscal_year"), "calendar_year": ("statistic", "calendar_year")}
CMP_STATISTICS = ["n", "mean_base", "mean_alt", "diff_mean", "diff_sd", "ci_low", "ci_high", "half_width",
                  "rel_change", "rel_ci_low", "rel_ci_high", "corr", "variance_reduction", "significant",
                  "replications_needed"]

failures = 0


def check(name, fn):
    """Run fn(); it returns None (pass) or a string saying what is wrong."""
    global failures
    try:
        why = fn()
    except Exception as e:  # a reader exception is a failed promise, not a crash
        why = "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
        traceback.print_exc(file=sys.stderr)
    if why:
        failures += 1
        print("FAIL %s: %s" % (name, why))
    else:
        print("PASS %s" % name)


def is_str_vlen_utf8(ds):
    info = h5py.check_string_dtype(ds.dtype)
    return info is not None and info.encoding == "utf-8" and info.length is None


def h5py_checks(path):
    f = h5py.File(path, "r")
    scenarios = []

    def root():
        missing = [a for a in ROOT_STR_ATTRS if a not in f.attrs]
        if missing:
            return "missing root attributes %s" % missing
        bad = [a for a in ROOT_STR_ATTRS if not isinstance(f.attrs[a], str)]
        if bad:
            return "root attributes not str: %s" % bad
        if f.attrs["program"] != "enforcesim":
            return "program is %r" % f.attrs["program"]
        if not isinstance(f.attrs["seed"], (int, np.integer)):
            return "seed is %s" % type(f.attrs["seed"]).__name__
        return None
    check("h5py: root attributes are str, seed an integer", root)

    def discover():
        scenarios.extend(f["scenarios"].keys())
        return None if scenarios else "no scenario groups under /scenarios"
    check("h5py: scenarios discovered", discover)

    metrics = None
    for sc in scenarios:
        sg = f["scenarios"][sc]
        check("h5py: %s has n_replications" % sc,
              lambda: None if isinstance(sg.attrs.get("n_replications"), (int, np.integer))
              else "n_replications missing or not an integer")
        for leaf, dims in LEAVES.items():
            name = "h5py: scenarios/%s/%s" % (sc, leaf)
            g = sg[leaf]
            found = sorted(k for k in g.keys() if k not in COORDS)
            if metrics is None:
                metrics = found

            def attrs(g=g):
                for k, ds in g.items():
                    for a in ("units", "description"):
                        if not isinstance(ds.attrs.get(a), str):
                            return "%s: attribute %s missing or not str" % (k, a)
                return None
            check(name + ": every dataset has str units and description", attrs)

            def scales(g=g, dims=dims):
                for k, ds in g.items():
                    if k in COORDS:
                        continue
                    if ds.ndim != 2 or ds.dtype != np.float64:
                        return "%s: shape %s dtype %s" % (k, ds.shape, ds.dtype)
                    for i, want in enumerate(dims):
                        keys = ds.dims[i].keys()
                        if keys != [want]:
                            return "%s: axis %d scales %s, expected [%r]" % (k, i, keys, want)
                        # Labels are not set (netCDF tools would show them as
                        # attributes); h5py users use keys() or [0].
                        if ds.dims[i].label not in ("", want):
                            return "%s: axis %d label %r" % (k, i, ds.dims[i].label)
                        if ds.dims[i][0].shape != (ds.shape[i],):
                            return "%s: axis %d scale length differs" % (k, i)
                for d in dims:
                    if not h5py.h5ds.is_scale(g[d].id):
                        return "%s is not a dimension scale" % d
                return None
            check(name + ": every axis has its named dimension scale", scales)

            def metric_set(g=g, found=found):
                return None if found == metrics else "metrics differ from the first group"
            check(name + ": same metrics as every group", metric_set)

            if leaf == "monthly":
                def labels(g=g):
                    m = g["month"]
                    if not is_str_vlen_utf8(m):
                        return "month is not vlen UTF-8"
                    lab = m.asstr()[:]
                    if len(lab) and not (isinstance(lab[0], str) and len(lab[0]) == 7):
                        return "month label %r" % (lab[0],)
                    if g["month_start"].attrs.get("units") != "days since 1970-01-01":
                        return "month_start units %r" % g["month_start"].attrs.get("units")
                    return None
                check(name + ": month labels are UTF-8 'YYYY-MM', month_start in days", labels)
            if leaf.startswith("summary"):
                def stats(g=g):
                    if not is_str_vlen_utf8(g["statistic"]):
                        return "statistic is not vlen UTF-8"
                    got = list(g["statistic"].asstr()[:])
                    if got != STATISTICS:
                        return "statistics %s" % got
                    if g.attrs.get("confidence") != 0.95:
                        return "confidence %r" % g.attrs.get("confidence")
                    return None
                check(name + ": statistics mean, sd, ci_low, ci_high at 95%", stats)
    check("h5py: metrics found", lambda: None if metrics else "no metric datasets")

    # Comparisons: optional group (files before it existed have none).
    comparisons = []
    if "comparisons" in f:
        comparisons.extend(f["comparisons"].keys())
    for cmp in comparisons:
        cg = f["comparisons"][cmp]

        def cmp_attrs(cg=cg, cmp=cmp):
            for a in ("base", "alt"):
                if not isinstance(cg.attrs.get(a), str):
                    return "attribute %s missing or not str" % a
                if cg.attrs[a] not in scenarios:
                    return "%s %r is not a scenario" % (a, cg.attrs[a])
            if cmp != "%s__vs__%s" % (cg.attrs["base"], cg.attrs["alt"]):
                return "group name does not match base and alt"
            if not isinstance(cg.attrs.get("n_replications"), (int, np.integer)):
                return "n_replications missing or not an integer"
            return None
        check("h5py: comparisons/%s: base, alt and n_replications" % cmp, cmp_attrs)
        for leaf, dims in CMP_LEAVES.items():
            g = cg[leaf]

            def cmp_leaf(g=g, dims=dims):
                if list(g["statistic"].asstr()[:]) != CMP_STATISTICS:
                    return "statistics %s" % list(g["statistic"].asstr()[:])
                found = sorted(k for k in g.keys() if k not in COORDS)
                if found != metrics:
                    return "metrics differ from the scenarios'"
                for k in found:
                    ds = g[k]
                    if ds.ndim != 2 or ds.dtype != np.float64 or ds.shape[0] != len(CMP_STATISTICS):
                        return "%s: shape %s dtype %s" % (k, ds.shape, ds.dtype)
                    for i, want in enumerate(dims):
                        if ds.dims[i].keys() != [want]:
                            return "%s: axis %d scales %s" % (k, i, ds.dims[i].keys())
                    for a in ("units", "description"):
                        if not isinstance(ds.attrs.get(a), str):
                            return "%s: attribute %s missing or not str" % (k, a)
                return None
            check("h5py: comparisons/%s/%s: statistics, metrics, scales, attributes" % (cmp, leaf), cmp_leaf)
    f.close()
    return scenarios, metrics or [], comparisons


def xarray_comparison_checks(path, engine, comparisons, metrics):
    for cmp in comparisons:
        for leaf, dims in CMP_LEAVES.items():
            group = "comparisons/%s/%s" % (cmp, leaf)

            def opens(group=group, dims=dims):
                with xr.open_dataset(path, engine=engine, group=group) as ds:
                    if set(ds.dims) != set(dims):
                        return "dims %s" % sorted(ds.dims)
                    if sorted(ds.data_vars) != sorted(metrics):
                        return "data variables differ from the metrics"
                    if [str(x) for x in ds["statistic"].values] != CMP_STATISTICS:
                        return "statistic coordinate %s" % list(ds["statistic"].values)
                    ds.sel(statistic="diff_mean")
                    return None
            check("xarray[%s]: %s opens, sel(statistic=...) works" % (engine, group), opens)


def xarray_checks(path, engine, scenarios, metrics):
    def root():
        with xr.open_dataset(path, engine=engine) as ds:
            return None if ds.attrs.get("program") == "enforcesim" else "program attribute %r" % ds.attrs.get("program")
    check("xarray[%s]: root group opens" % engine, root)

    for sc in scenarios:
        def scenario_group(sc=sc):
            with xr.open_dataset(path, engine=engine, group="scenarios/" + sc) as ds:
                return None if "n_replications" in ds.attrs else "n_replications missing"
        check("xarray[%s]: scenarios/%s opens" % (engine, sc), scenario_group)

        for leaf, dims in LEAVES.items():
            group = "scenarios/%s/%s" % (sc, leaf)
            name = "xarray[%s]: %s" % (engine, group)

            def structure(group=group, dims=dims):
                with xr.open_dataset(path, engine=engine, group=group) as ds:
                    if set(ds.dims) != set(dims):
                        return "dims %s, expected %s" % (sorted(ds.dims), sorted(dims))
                    if sorted(ds.data_vars) != sorted(metrics):
                        return "data variables differ from h5py's metrics"
                    for v in ds.data_vars.values():
                        if v.dims != dims:
                            return "%s dims %s" % (v.name, v.dims)
                        if v.dtype != np.float64:  # e.g. units decoded as a timedelta
                            return "%s dtype %s" % (v.name, v.dtype)
                        if not isinstance(v.attrs.get("units"), str):
                            return "%s units not str" % v.name
                    for d in dims:
                        if d not in ds.coords:
                            return "no coordinate %s" % d
                    return None
            check(name + ": dims, coordinates, float64 metrics with units", structure)

            def frame(group=group, dims=dims):
                with xr.open_dataset(path, engine=engine, group=group) as ds:
                    df = ds.to_dataframe()
                    rows = ds.sizes[dims[0]] * ds.sizes[dims[1]]
                    if list(df.index.names) != list(dims) or len(df) != rows:
                        return "to_dataframe index %s, %d rows (expected %d)" % (df.index.names, len(df), rows)
                    return None
            check(name + ": to_dataframe() is tidy", frame)

            def values(group=group):
                with xr.open_dataset(path, engine=engine, group=group) as ds, h5py.File(path, "r") as f:
                    m = metrics[0]
                    if not np.array_equal(ds[m].values, f[group][m][:], equal_nan=True):
                        return "%s differs between xarray and h5py" % m
                    return None
            check(name + ": values equal h5py's", values)

            if leaf == "monthly":
                def times(group=group):
                    with xr.open_dataset(path, engine=engine, group=group) as ds:
                        ms = ds["month_start"]
                        if "month_start" not in ds.coords:
                            return "month_start is not a coordinate"
                        if not np.issubdtype(ms.dtype, np.datetime64):
                            return "month_start dtype %s" % ms.dtype
                        lab = [str(x) for x in ds["month"].values]
                        if lab != list(np.datetime_as_string(ms.values, unit="M")):
                            return "month labels differ from month_start"
                        if ds.sizes["month"]:
                            ds.sel(month=lab[0])
                        return None
                check(name + ": month_start decodes to datetime64, sel(month=...) works", times)
            else:
                year = dims[1]

                def select(group=group, year=year, dims=dims):
                    with xr.open_dataset(path, engine=engine, group=group) as ds:
                        if ds.sizes[year]:
                            y = int(ds[year].values[0])
                            sub = ds.sel({year: y})
                            if sub[metrics[0]].dims != (dims[0],):
                                return "sel(%s=%d) dims %s" % (year, y, sub[metrics[0]].dims)
                        if leaf.startswith("summary"):
                            if [str(s) for s in ds["statistic"].values] != STATISTICS:
                                return "statistic coordinate %s" % list(ds["statistic"].values)
                            ds.sel(statistic="mean")
                        return None
                check(name + ": sel(%s=...) works" % year, select)


def main():
    if len(sys.argv) != 2:
        print("usage: python_reader.py FILE", file=sys.stderr)
        return 2
    path = sys.argv[1]
    scenarios, metrics, comparisons = h5py_checks(path)
    xarray_checks(path, "h5netcdf", scenarios, metrics)
    xarray_comparison_checks(path, "h5netcdf", comparisons, metrics)
    try:
        import netCDF4  # noqa: F401  (netCDF-C's view; optional)
        xarray_checks(path, "netcdf4", scenarios, metrics)
        xarray_comparison_checks(path, "netcdf4", comparisons, metrics)
    except ImportError:
        print("# netCDF4 not installed: skipped the netcdf4 engine")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
