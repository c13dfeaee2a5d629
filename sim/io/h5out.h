/* h5out.h: a run's results (experiment/results.h) as one HDF5 file that
 * h5py, xarray (engine="h5netcdf"), netCDF tools and R read as-is.
 *
 * Safety. es_h5_write never leaves a partial file at the output path. It
 * builds the whole file in memory (HDF5 core driver), then writes it to
 * "<path>.tmp-<pid>" beside the path (created with O_EXCL), fsyncs it,
 * renames it over the path and fsyncs the folder. On any failure the
 * temporary file is removed and the path is untouched. An existing path is
 * replaced only with force; without force the refusal is atomic (the file
 * appears with link(2), which fails if the name exists). Building in memory
 * keeps HDF5 away from the disk: no file locks (they fail on NFS/Lustre),
 * and a full disk is a clean write(2) error, where HDF5 1.10.8 crashes at
 * exit after a failed H5Fclose. Peak memory is the result plus the file.
 * Objects carry no timestamps: equal results give byte-identical files.
 *
 * Layout (version ES_H5_LAYOUT_VERSION). C order; R shows axes reversed.
 *   /                       attributes: title, program, version, git_commit,
 *                           seed (int64), rng, config (the whole run's
 *                           effective config: base, scenarios, comparisons),
 *                           command_line, started, finished, host, history,
 *                           layout_version, common_random_numbers (0 after
 *                           --no-crn); after --precision also precision
 *                           ("metric=rel,..."), precision_met (0: the cap
 *                           was hit) and max_replications
 *   /scenarios/<name>/      attributes n_replications, config (the
 *                           scenario's full effective config, seed included)
 *     monthly/              replication(replication) int64, month(month) "YYYY-MM",
 *                           month_start(month) int32 "days since 1970-01-01",
 *                           <metric>(replication, month) float64
 *     fiscal_year/          replication, fiscal_year(fiscal_year) int32,
 *                           <metric>(replication, fiscal_year) float64
 *     calendar_year/        replication, calendar_year int32, <metric>(replication, calendar_year)
 *     summary_fiscal_year/  statistic(statistic) "mean" "sd" "ci_low" "ci_high",
 *                           fiscal_year, <metric>(statistic, fiscal_year) float64;
 *                           attributes n_replications, confidence = 0.95
 *     summary_calendar_year/ likewise over calendar_year
 *   /comparisons/<base>__vs__<alt>/   one per configured pair (the group
 *                           exists, empty, when there are none); attributes
 *                           base, alt, n_replications, confidence = 0.95,
 *                           common_random_numbers, target_relative_half_width
 *     fiscal_year/          statistic(statistic) the ES_CMP_STAT_LIST names
 *                           (experiment/results.h; defined in compare.h),
 *                           fiscal_year, <metric>(statistic, fiscal_year) float64
 *     calendar_year/        likewise over calendar_year
 * A shard (run --shard I/N) adds root attributes shard_index, shard_count
 * (int32), config_hash (uint64), shard_scenarios (1-D strings: every
 * scenario of the run), shard_comparisons ((pair, 2) int32: base and alt
 * as indices into shard_scenarios; absent without comparisons),
 * n_units (int64), the dataset /shard_units (int64, the run's units it
 * holds) and, last, complete = 1; its scenarios hold only its replications
 * and /comparisons is empty (`enforcesim merge` rebuilds them).
 * A sweep run (a `sweep` block, io/sweep.h) has an empty /scenarios and
 * /comparisons, and instead
 *   /design/                attributes design ("grid", "lhs", "sobol",
 *                           "halton"), points, n_points; point(point) int64,
 *                           <parameter>(point) float64 per swept parameter,
 *                           named as in the config (e.g. "prosecution.threshold")
 *   /sweep/<name>/          attributes n_points, n_replications, config
 *     fiscal_year/          point, replication, fiscal_year scales, the design
 *                           columns <parameter>(point), and
 *                           <metric>(point, replication, fiscal_year) float64
 *     calendar_year/        likewise over calendar_year
 *     summary_fiscal_year/  point, statistic, fiscal_year, design columns,
 *                           <metric>(point, statistic, fiscal_year)
 *     summary_calendar_year/ likewise
 * No monthly series are kept for sweeps (memory: docs/experiments.md, Sweeps). A sweep
 * shard stores fiscal_year/ and calendar_year/ over (unit, year), with a
 * `unit` scale of the run's unit numbers, and no summaries.
 * Adding /comparisons and the optional attributes kept layout version 1:
 * older readers ignore them, and this reader accepts files without them.
 * Version 2 stores string scales compactly (their references inside the
 * checksummed object header, see scale_new in h5out.c); the reader refuses
 * version 1, whose string references libhdf5 could not check.
 * Each leaf group is a self-contained netCDF-4 group: every axis is an HDF5
 * dimension scale that lives in the same group, so
 * xarray.open_dataset(file, engine="h5netcdf", group="scenarios/<name>/monthly")
 * works. Every dataset has vlen UTF-8 `units` and `description` attributes;
 * metric datasets also carry `aggregation`; monthly metrics name month_start
 * in `coordinates` so xarray makes it a datetime coordinate. Large
 * per-replication datasets are chunked along replication and deflated.
 *
 * Errors: a status and one line in err naming the file. ES_ERR_EXISTS
 * (exists, no force), ES_ERR_USAGE (the path is a folder), ES_ERR_IO (folder
 * missing or unwritable, disk full), ES_ERR_INPUT (a result that cannot be
 * stored, e.g. a scenario name with '/'), ES_ERR_HDF5 (the library refused). */
#ifndef ES_H5OUT_H
#define ES_H5OUT_H
#include <stddef.h>
#include "../core/status.h"
#include "../experiment/results.h"

/* Bumped whenever the layout changes in a way old readers would misread. */
#define ES_H5_LAYOUT_VERSION 3 /* 3: typed shard attributes */

/* Names shared by writer and reader: the layout lives in one place. */
#define ES_H5_SCENARIOS        "scenarios"
#define ES_H5_MONTHLY          "monthly"
#define ES_H5_FISCAL           "fiscal_year"
#define ES_H5_CALENDAR         "calendar_year"
#define ES_H5_SUMMARY_FISCAL   "summary_fiscal_year"
#define ES_H5_SUMMARY_CALENDAR "summary_calendar_year"
#define ES_H5_DIM_REPLICATION  "replication"
#define ES_H5_DIM_MONTH        "month"
#define ES_H5_MONTH_START      "month_start"
#define ES_H5_DIM_STATISTIC    "statistic"
#define ES_H5_N_STATS          4
#define ES_H5_STAT_NAMES                  \
    {                                     \
        "mean", "sd", "ci_low", "ci_high" \
    }
#define ES_H5_CONFIDENCE        0.95
#define ES_H5_COMPARISONS       "comparisons"
#define ES_H5_VS                "__vs__" /* comparison group: <base>__vs__<alt> */
#define ES_H5_NAME_MAX          64       /* scenario names are shorter (io/cfg.h) */
/* A shard file (run --shard; results.h es_shard_info): root attributes and
 * the 1-D int64 dataset of the units it holds. */
#define ES_H5_SHARD_INDEX       "shard_index"
#define ES_H5_SHARD_COUNT       "shard_count"
#define ES_H5_SHARD_HASH        "config_hash"
#define ES_H5_SHARD_SCENARIOS   "shard_scenarios"
#define ES_H5_SHARD_COMPARISONS "shard_comparisons"
#define ES_H5_SHARD_N_UNITS     "n_units"
#define ES_H5_SHARD_UNITS       "shard_units"
#define ES_H5_SHARD_COMPLETE    "complete" /* written last */
/* A sweep: the design matrix and the per-scenario sweep groups. */
#define ES_H5_DESIGN            "design"
#define ES_H5_SWEEP             "sweep"
#define ES_H5_DIM_POINT         "point"
#define ES_H5_DIM_UNIT          "unit" /* a shard's sweep rows */
/* Parameter uncertainty: one variable per uncertain parameter over
 * replication, and the root attribute counting them (0: off). */
#define ES_H5_PARAMETERS        "parameters"
#define ES_H5_UNCERTAINTY       "parameter_uncertainty"

/* Can `path` be written? Fails (without touching anything) if it exists and
 * !force, if it is a folder, or if its folder is missing or unwritable. The
 * CLI calls this before running so a long run cannot end in a refusal. */
es_status es_h5_check_output(const char *path, int force, char *err, size_t errlen);

/* Write r to path as described above. Calls es_h5_check_output first. */
es_status es_h5_write(const char *path, const es_run_result *r, int force, char *err,
                      size_t errlen);

/* Tables for results that are not runs (sensitivity indices, calibration
 * points): columns of doubles over one row axis, in a group of their own
 * (a path, parents made as needed), each column with units and a
 * description, the row axis a dimension scale: the labels (strings) when
 * given, else the row index. The file is built, sealed and published as
 * es_h5_write's (the seal, the temporary name, --force rules); root
 * attributes are the caller's name/value strings. */
typedef struct {
    const char *name, *units, *desc;
    const double *v; /* [n_rows] */
} es_h5_column;
typedef struct {
    const char *group, *desc;
    const char *dim;           /* the row axis, e.g. "parameter" */
    const char *const *labels; /* [n_rows] or NULL */
    int n_rows, n_cols;
    const es_h5_column *cols;
} es_h5_table;
typedef struct {
    const char *name, *value;
} es_h5_attr;
es_status es_h5_write_tables(const char *path, int force, const es_h5_attr *attrs, int n_attrs,
                             const es_h5_table *tables, int n_tables, char *err, size_t errlen);

/* For io/ only: call before the first HDF5 call of the process (es_h5_read
 * and es_h5_write do). It opts out of HDF5's shutdown at exit, which in
 * 1.10.8 prints "infinite loop closing library" or crashes after a damaged
 * file failed to close; every file io/ opens is closed explicitly, so the
 * shutdown has nothing left to save. Later calls do nothing. */
void es_h5_prepare(void);

/* For io/ only: the most specific message on HDF5's current error stack
 * (an OS error text when there is one), and whether it is an I/O failure
 * rather than a refusal by the library. Call right after the failing call:
 * the next HDF5 call clears the stack. */
void es_h5_error_detail(char *buf, size_t len, int *is_io);

#endif
