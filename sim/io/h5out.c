/* h5out.c: writing results as HDF5 (layout and guarantees in h5out.h).
 *
 * Every HDF5 call is checked. Each function owns the handles it opens and
 * closes them at its one `out:` label; the first failure is kept in the
 * writer state (later failures while unwinding would only hide its cause). */
#include "h5out.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include "../core/check.h"
#include "../core/date.h"
#include "../core/fault.h"
#include "fsdir.h"
#include "reserve.h"
#include "seal.h"
#include "../core/mem.h"

/* Per-replication datasets below this many elements stay contiguous: a
 * chunk index and filter pipeline would cost more than they save. */
#define ES_H5_CHUNK_MIN_ELEMS 4096
/* Chunks span whole time series of up to 64 replications: a reader of one
 * replication's series touches one chunk, and 64 rows compress well
 * (docs/output.md, Compression). */
#define ES_H5_CHUNK_REPS      64
/* Deflate 9 saved under 1% over 4 and is slower (docs/output.md, Compression). Shuffle
 * is left off: it makes random-looking float64 compress worse. */
#define ES_H5_DEFLATE_LEVEL   4
/* Growth step of the in-memory file image. */
#define ES_H5_CORE_INCREMENT  (1 << 20)

typedef struct {
    const char *path; /* final output path: what messages name */
    char where[512];  /* HDF5 path of the group being written */
    char *err;
    size_t errlen;
    es_status st;       /* first failure; ES_OK while all is well */
    hid_t str_t;        /* vlen UTF-8 string, as file and memory type */
    hid_t dcpl_compact; /* dcpl with the raw data in the object header */
    hid_t gcpl;         /* groups: creation order tracked and indexed */
    hid_t dcpl;         /* small datasets: contiguous, attribute order tracked */
} h5w;

/* ---- error messages ---------------------------------------------------- */

typedef struct {
    char desc[256];
    int is_io;
} err_walk;

static herr_t walk_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    err_walk *ew = data;
    (void)n;
    if (e->maj_num == H5E_IO || e->maj_num == H5E_FILE || e->maj_num == H5E_VFL) ew->is_io = 1;
    /* Walking downward from the API call, the last entry is the most
     * specific one, e.g. the sec2 driver's errno text. */
    if (e->desc) snprintf(ew->desc, sizeof ew->desc, "%s", e->desc);
    return 0;
}

void es_h5_prepare(void)
{
    /* Returns a failure, silently, once the library is initialised; it
     * must come before any call that initialises it (H5E_BEGIN_TRY does). */
    (void)H5dont_atexit();
}

void es_h5_error_detail(char *buf, size_t len, int *is_io)
{
    err_walk ew = {"", 0};
    if (len == 0) return;
    if (H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, walk_cb, &ew) < 0 || ew.desc[0] == '\0')
        snprintf(ew.desc, sizeof ew.desc, "unknown HDF5 error");
    /* The driver's message reads "unable to open file: name = ..., errno = 13,
     * error message = 'Permission denied', ...": the OS text is the news. */
    const char *os = strstr(ew.desc, "error message = '");
    if (os) {
        os += strlen("error message = '");
        const char *end = strchr(os, '\'');
        int n = end ? (int)(end - os) : (int)strlen(os);
        snprintf(buf, len, "%.*s", n, os);
    } else {
        snprintf(buf, len, "%s", ew.desc);
    }
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    if (is_io) *is_io = ew.is_io;
}

static void w_msg(h5w *w, es_status st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void w_msg(h5w *w, es_status st, const char *fmt, ...)
{
    if (w->st != ES_OK) return;
    w->st = st;
    if (!w->err || w->errlen == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err, w->errlen, fmt, ap);
    va_end(ap);
}

/* An HDF5 call failed while writing object `name` of the current group. */
static void w_fail(h5w *w, const char *name, const char *action)
{
    char detail[256];
    int is_io = 0;
    if (w->st != ES_OK) return;
    es_h5_error_detail(detail, sizeof detail, &is_io);
    if (*name)
        w_msg(w, is_io ? ES_ERR_IO : ES_ERR_HDF5, "cannot write %s: %s/%s: %s: %s", w->path,
              w->where, name, action, detail);
    else
        w_msg(w, is_io ? ES_ERR_IO : ES_ERR_HDF5, "cannot write %s: %s: %s", w->path, action,
              detail);
}

/* Run an HDF5 call that returns a negative value on failure. */
#define TRY(call, name, action)          \
    do {                                 \
        if ((call) < 0) {                \
            w_fail(w, (name), (action)); \
            goto out;                    \
        }                                \
    } while (0)

/* ---- attributes and datasets ------------------------------------------- */

static int attr_str(h5w *w, hid_t loc, const char *obj, const char *name, const char *value)
{
    int rc = -1;
    hid_t s = H5I_INVALID_HID, a = H5I_INVALID_HID;
    const char *v = value ? value : "";
    TRY(s = H5Screate(H5S_SCALAR), obj, name);
    TRY(a = H5Acreate2(loc, name, w->str_t, s, H5P_DEFAULT, H5P_DEFAULT), obj, name);
    TRY(H5Awrite(a, w->str_t, &v), obj, name);
    rc = 0;
out:
    if (a >= 0) H5Aclose(a);
    if (s >= 0) H5Sclose(s);
    return rc;
}

static int attr_num(h5w *w, hid_t loc, const char *obj, const char *name, hid_t ftype, hid_t mtype,
                    const void *value)
{
    int rc = -1;
    hid_t s = H5I_INVALID_HID, a = H5I_INVALID_HID;
    TRY(s = H5Screate(H5S_SCALAR), obj, name);
    TRY(a = H5Acreate2(loc, name, ftype, s, H5P_DEFAULT, H5P_DEFAULT), obj, name);
    TRY(H5Awrite(a, mtype, value), obj, name);
    rc = 0;
out:
    if (a >= 0) H5Aclose(a);
    if (s >= 0) H5Sclose(s);
    return rc;
}

static int attr_int(h5w *w, hid_t loc, const char *obj, const char *name, int value)
{
    return attr_num(w, loc, obj, name, H5T_STD_I32LE, H5T_NATIVE_INT, &value);
}

static hid_t group_new(h5w *w, hid_t parent, const char *name, const char *desc)
{
    hid_t g = H5Gcreate2(parent, name, H5P_DEFAULT, w->gcpl, H5P_DEFAULT);
    if (g < 0) {
        w_fail(w, name, "create group");
        return H5I_INVALID_HID;
    }
    if (desc && attr_str(w, g, name, "description", desc) < 0) {
        H5Gclose(g);
        return H5I_INVALID_HID;
    }
    return g;
}

/* Create dataset `name` (rank 1 or 2) with its units and description,
 * and write it from buf when it has elements (mspace: H5S_ALL or a
 * selection of a larger memory array). Returns the open dataset. */
static hid_t dataset_new(h5w *w, hid_t g, const char *name, hid_t ftype, int rank,
                         const hsize_t *dims, hid_t dcpl, hid_t mtype, hid_t mspace,
                         const void *buf, const char *units, const char *desc)
{
    hid_t s = H5I_INVALID_HID, d = H5I_INVALID_HID;
    hsize_t n = 1;
    for (int i = 0; i < rank; i++) n *= dims[i];
    TRY(s = H5Screate_simple(rank, dims, NULL), name, "create dataspace");
    TRY(d = H5Dcreate2(g, name, ftype, s, H5P_DEFAULT, dcpl, H5P_DEFAULT), name, "create dataset");
    /* HDF5 rejects a NULL buffer even for nothing to write. */
    if (n > 0) TRY(H5Dwrite(d, mtype, mspace, H5S_ALL, H5P_DEFAULT, buf), name, "write data");
    if (attr_str(w, d, name, "units", units) < 0) goto out;
    if (attr_str(w, d, name, "description", desc) < 0) goto out;
    H5Sclose(s);
    return d;
out:
    if (d >= 0) H5Dclose(d);
    if (s >= 0) H5Sclose(s);
    return H5I_INVALID_HID;
}

/* A string scale's elements are references into a global heap. Kept
 * compact, they sit in the object header, whose checksum libhdf5 verifies;
 * in ordinary raw data a damaged reference makes libhdf5 1.10.8 overflow a
 * buffer in H5HG_read (tests/fuzz/regress/h5/vlen_reference_in_raw_data_*),
 * and the reader refuses statistic scales stored any other way. A reference
 * is 16 bytes and a header message at most 64 KiB, so a longer scale (month
 * labels of a horizon over 170 years, which the reader never reads) stays
 * contiguous. */
#define ES_H5_COMPACT_MAX_STRINGS 2048

/* A 1-D coordinate dataset made into the dimension scale `name`. */

static hid_t scale_new(h5w *w, hid_t g, const char *name, hid_t ftype, hid_t mtype, int n,
                       const void *buf, const char *units, const char *desc)
{
    hsize_t dim = (hsize_t)n;
    hid_t dcpl =
        ftype == w->str_t && n > 0 && n <= ES_H5_COMPACT_MAX_STRINGS ? w->dcpl_compact : w->dcpl;
    hid_t d = dataset_new(w, g, name, ftype, 1, &dim, dcpl, mtype, H5S_ALL, buf, units, desc);
    if (d < 0) return H5I_INVALID_HID;
    if (H5DSset_scale(d, name) < 0) {
        w_fail(w, name, "make dimension scale");
        H5Dclose(d);
        return H5I_INVALID_HID;
    }
    return d;
}

static int attach(h5w *w, hid_t d, const char *name, hid_t scale0, hid_t scale1)
{
    int rc = -1;
    TRY(H5DSattach_scale(d, scale0, 0), name, "attach dimension scale 0");
    if (scale1 >= 0) TRY(H5DSattach_scale(d, scale1, 1), name, "attach dimension scale 1");
    rc = 0;
out:
    return rc;
}

static int metric_attrs(h5w *w, hid_t d, int m)
{
    const es_metric_def *md = &es_metric_table[m];
    return attr_str(w, d, md->name, "aggregation",
                    md->agg == ES_AGG_FLOW ? "flow: summed over months"
                    : md->agg == ES_AGG_STOCK
                        ? "stock: mean of months"
                        : "ratio: numerator and denominator summed over months");
}

/* ---- the groups of one scenario ----------------------------------------- */

typedef enum { PER_MONTH, PER_FISCAL, PER_CALENDAR } es_period;

static const char *const rep_desc =
    "replication index; equal indices draw equal random numbers in every scenario "
    "(common random numbers)";
static const char *const fy_desc =
    "U.S. federal fiscal year (FY N runs from 1 October N-1 to 30 September N)";
static const char *const cy_desc = "calendar year";

/* Chunk large per-replication datasets along replication; see the top. */
static hid_t rep_dcpl_new(h5w *w, const char *gname, int n_reps, int n_periods)
{
    hid_t p = H5I_INVALID_HID;
    TRY(p = H5Pcopy(w->dcpl), gname, "dataset creation properties");
    if ((long long)n_reps * n_periods >= ES_H5_CHUNK_MIN_ELEMS) {
        hsize_t chunk[2] = {(hsize_t)(n_reps < ES_H5_CHUNK_REPS ? n_reps : ES_H5_CHUNK_REPS),
                            (hsize_t)n_periods};
        TRY(H5Pset_chunk(p, 2, chunk), gname, "set chunking");
        /* An HDF5 built without zlib still writes a valid, larger file. */
        if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0)
            TRY(H5Pset_deflate(p, ES_H5_DEFLATE_LEVEL), gname, "set deflate");
    }
    return p;
out:
    if (p >= 0) H5Pclose(p);
    return H5I_INVALID_HID;
}

static int write_per_rep(h5w *w, hid_t sg, const es_scenario_result *s, es_period k)
{
    int rc = -1, n;
    size_t where_len = strlen(w->where);
    const char *gname, *gdesc;
    const double *data;
    hid_t g = H5I_INVALID_HID, rep = H5I_INVALID_HID, per = H5I_INVALID_HID;
    hid_t ms = H5I_INVALID_HID, dcpl = H5I_INVALID_HID, mspace = H5I_INVALID_HID;
    hid_t d = H5I_INVALID_HID;
    char(*labels)[11] = NULL;
    const char **label_ptrs = NULL;

    switch (k) {
    case PER_MONTH:
        gname = ES_H5_MONTHLY, n = s->n_months, data = s->monthly;
        gdesc = "every month of the horizon, warm-up included, per replication";
        break;
    case PER_FISCAL:
        gname = ES_H5_FISCAL, n = s->n_fy, data = s->fiscal;
        gdesc = "fiscal years after the warm-up, per replication "
                "(flows summed over months, stocks averaged)";
        break;
    default:
        gname = ES_H5_CALENDAR, n = s->n_cy, data = s->calendar;
        gdesc = "calendar years fully after the warm-up, per replication "
                "(flows summed over months, stocks averaged)";
        break;
    }
    if ((g = group_new(w, sg, gname, gdesc)) < 0) goto out;
    snprintf(w->where + where_len, sizeof w->where - where_len, "/%s", gname);

    if ((rep = scale_new(w, g, ES_H5_DIM_REPLICATION, H5T_STD_I64LE, H5T_NATIVE_INT64, s->n_reps,
                         s->replication, "1", rep_desc)) < 0)
        goto out;
    if (k == PER_MONTH) {
        hsize_t dim = (hsize_t)n;
        labels = es_calloc((size_t)n, sizeof *labels);
        label_ptrs = es_calloc((size_t)n, sizeof *label_ptrs);
        if (!labels || !label_ptrs) {
            w_msg(w, ES_ERR_NOMEM, "cannot write %s: out of memory", w->path);
            goto out;
        }
        for (int i = 0; i < n; i++) {
            es_date_format(s->month_start[i], labels[i]);
            labels[i][7] = '\0'; /* "YYYY-MM-DD" -> "YYYY-MM" */
            label_ptrs[i] = labels[i];
        }
        if ((per = scale_new(w, g, ES_H5_DIM_MONTH, w->str_t, w->str_t, n, label_ptrs, "1",
                             "month of the horizon, as YYYY-MM")) < 0)
            goto out;
        /* A CF time coordinate beside the labels: xarray decodes it to
         * datetime64, which plotting and resampling want. */
        if ((ms = dataset_new(w, g, ES_H5_MONTH_START, H5T_STD_I32LE, 1, &dim, w->dcpl,
                              H5T_NATIVE_INT32, H5S_ALL, s->month_start, "days since 1970-01-01",
                              "first day of the month")) < 0)
            goto out;
        if (attr_str(w, ms, ES_H5_MONTH_START, "calendar", "proleptic_gregorian") < 0) goto out;
        if (attach(w, ms, ES_H5_MONTH_START, per, H5I_INVALID_HID) < 0) goto out;
    } else {
        if ((per = scale_new(w, g, gname, H5T_STD_I32LE, H5T_NATIVE_INT, n,
                             k == PER_FISCAL ? s->fy : s->cy, "1",
                             k == PER_FISCAL ? fy_desc : cy_desc)) < 0)
            goto out;
    }

    if ((dcpl = rep_dcpl_new(w, gname, s->n_reps, n)) < 0) goto out;
    /* The memory array is [rep][metric][period]; each metric's dataset is
     * the hyperslab [*][m][*] of it, so nothing is copied. */
    hsize_t mdims[3] = {(hsize_t)s->n_reps, ES_N_METRICS, (hsize_t)n};
    hsize_t fdims[2] = {(hsize_t)s->n_reps, (hsize_t)n};
    TRY(mspace = H5Screate_simple(3, mdims, NULL), gname, "create memory dataspace");
    for (int m = 0; m < ES_N_METRICS; m++) {
        const es_metric_def *md = &es_metric_table[m];
        hsize_t start[3] = {0, (hsize_t)m, 0}, count[3] = {(hsize_t)s->n_reps, 1, (hsize_t)n};
        if (s->n_reps > 0 && n > 0)
            TRY(H5Sselect_hyperslab(mspace, H5S_SELECT_SET, start, NULL, count, NULL), md->name,
                "select metric");
        if ((d = dataset_new(w, g, md->name, H5T_IEEE_F64LE, 2, fdims, dcpl, H5T_NATIVE_DOUBLE,
                             mspace, data, md->unit, md->desc)) < 0)
            goto out;
        if (metric_attrs(w, d, m) < 0) goto out;
        if (k == PER_MONTH && attr_str(w, d, md->name, "coordinates", ES_H5_MONTH_START) < 0)
            goto out;
        if (attach(w, d, md->name, rep, per) < 0) goto out;
        H5Dclose(d);
        d = H5I_INVALID_HID;
    }
    rc = 0;
out:
    w->where[where_len] = '\0';
    if (d >= 0) H5Dclose(d);
    if (mspace >= 0) H5Sclose(mspace);
    if (dcpl >= 0) H5Pclose(dcpl);
    if (ms >= 0) H5Dclose(ms);
    if (per >= 0) H5Dclose(per);
    if (rep >= 0) H5Dclose(rep);
    if (g >= 0) H5Gclose(g);
    free(label_ptrs);
    free(labels);
    return rc;
}

static int write_summary(h5w *w, hid_t sg, const es_scenario_result *s, int fiscal)
{
    static const char *const stat_names[ES_H5_N_STATS] = ES_H5_STAT_NAMES;
    int rc = -1;
    size_t where_len = strlen(w->where);
    const char *gname = fiscal ? ES_H5_SUMMARY_FISCAL : ES_H5_SUMMARY_CALENDAR;
    const char *dim = fiscal ? ES_H5_FISCAL : ES_H5_CALENDAR;
    const es_summary *sum = fiscal ? &s->fy_sum : &s->cy_sum;
    const int n = fiscal ? s->n_fy : s->n_cy;
    const double confidence = ES_H5_CONFIDENCE;
    hid_t g = H5I_INVALID_HID, stat = H5I_INVALID_HID, per = H5I_INVALID_HID;
    hid_t d = H5I_INVALID_HID;
    double *buf = NULL;

    if ((g = group_new(w, sg, gname,
                       fiscal ? "across-replication statistics per fiscal year"
                              : "across-replication statistics per calendar year")) < 0)
        goto out;
    snprintf(w->where + where_len, sizeof w->where - where_len, "/%s", gname);
    if (attr_int(w, g, gname, "n_replications", s->n_reps) < 0) goto out;
    if (attr_num(w, g, gname, "confidence", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &confidence) < 0)
        goto out;
    if ((stat = scale_new(w, g, ES_H5_DIM_STATISTIC, w->str_t, w->str_t, ES_H5_N_STATS, stat_names,
                          "1",
                          "mean and standard deviation across replications, and the Student-t "
                          "95% confidence interval of the mean (NaN when fewer than 2 "
                          "replications)")) < 0)
        goto out;
    if ((per = scale_new(w, g, dim, H5T_STD_I32LE, H5T_NATIVE_INT, n, fiscal ? s->fy : s->cy, "1",
                         fiscal ? fy_desc : cy_desc)) < 0)
        goto out;
    if (!(buf = es_calloc((size_t)ES_H5_N_STATS * (size_t)n, sizeof *buf))) {
        w_msg(w, ES_ERR_NOMEM, "cannot write %s: out of memory", w->path);
        goto out;
    }
    hsize_t dims[2] = {ES_H5_N_STATS, (hsize_t)n};
    for (int m = 0; m < ES_N_METRICS; m++) {
        const es_metric_def *md = &es_metric_table[m];
        const double *rows[ES_H5_N_STATS] = {sum->mean, sum->sd, sum->lo, sum->hi};
        for (int st = 0; st < ES_H5_N_STATS; st++)
            if (n > 0)
                memcpy(buf + (size_t)st * n, rows[st] + (size_t)m * n, (size_t)n * sizeof *buf);
        if ((d = dataset_new(w, g, md->name, H5T_IEEE_F64LE, 2, dims, w->dcpl, H5T_NATIVE_DOUBLE,
                             H5S_ALL, buf, md->unit, md->desc)) < 0)
            goto out;
        if (metric_attrs(w, d, m) < 0) goto out;
        if (attach(w, d, md->name, stat, per) < 0) goto out;
        H5Dclose(d);
        d = H5I_INVALID_HID;
    }
    rc = 0;
out:
    w->where[where_len] = '\0';
    if (d >= 0) H5Dclose(d);
    if (per >= 0) H5Dclose(per);
    if (stat >= 0) H5Dclose(stat);
    if (g >= 0) H5Gclose(g);
    free(buf);
    return rc;
}

static int write_scenario(h5w *w, hid_t parent, const es_scenario_result *s)
{
    int rc = -1;
    hid_t g = H5I_INVALID_HID;
    snprintf(w->where, sizeof w->where, "/%s", ES_H5_SCENARIOS);
    if ((g = group_new(w, parent, s->name, NULL)) < 0) goto out;
    snprintf(w->where, sizeof w->where, "/%s/%s", ES_H5_SCENARIOS, s->name);
    if (attr_int(w, g, s->name, "n_replications", s->n_reps) < 0) goto out;
    if (s->config && attr_str(w, g, s->name, "config", s->config) < 0) goto out;
    if (write_per_rep(w, g, s, PER_MONTH) < 0 || write_per_rep(w, g, s, PER_FISCAL) < 0 ||
        write_per_rep(w, g, s, PER_CALENDAR) < 0 || write_summary(w, g, s, 1) < 0 ||
        write_summary(w, g, s, 0) < 0)
        goto out;
    rc = 0;
out:
    if (g >= 0) H5Gclose(g);
    return rc;
}

/* /comparisons/<base>__vs__<alt>/{fiscal_year,calendar_year}: one dataset
 * per metric over (statistic, year), each axis a scale of the leaf group. */
static int write_cmp_period(h5w *w, hid_t pg, const es_comparison_result *c, int fiscal)
{
    int rc = -1;
    size_t where_len = strlen(w->where);
    const char *gname = fiscal ? ES_H5_FISCAL : ES_H5_CALENDAR;
    const int n = fiscal ? c->n_fy : c->n_cy;
    hid_t g = H5I_INVALID_HID, stat = H5I_INVALID_HID, per = H5I_INVALID_HID, d = H5I_INVALID_HID;
    char desc[1024];
    size_t used = 0;

    if ((g = group_new(w, pg, gname,
                       fiscal ? "paired comparison per fiscal year"
                              : "paired comparison per calendar year")) < 0)
        goto out;
    snprintf(w->where + where_len, sizeof w->where - where_len, "/%s", gname);
    /* The statistic scale's description defines each statistic, in order. */
    used = (size_t)snprintf(desc, sizeof desc,
                            "statistics of the paired comparison (alt - base by replication):");
    for (int i = 0; i < ES_CMP_N_STATS && used < sizeof desc; i++)
        used += (size_t)snprintf(desc + used, sizeof desc - used, " %s: %s;", es_cmp_stat_names[i],
                                 es_cmp_stat_descs[i]);
    if ((stat = scale_new(w, g, ES_H5_DIM_STATISTIC, w->str_t, w->str_t, ES_CMP_N_STATS,
                          es_cmp_stat_names, "1", desc)) < 0)
        goto out;
    if ((per = scale_new(w, g, gname, H5T_STD_I32LE, H5T_NATIVE_INT, n, fiscal ? c->fy : c->cy, "1",
                         fiscal ? fy_desc : cy_desc)) < 0)
        goto out;
    hsize_t dims[2] = {ES_CMP_N_STATS, (hsize_t)n};
    for (int m = 0; m < ES_N_METRICS; m++) {
        const es_metric_def *md = &es_metric_table[m];
        char mdesc[512];
        snprintf(
            mdesc, sizeof mdesc,
            "%s; paired comparison: means, differences and interval bounds in %s, rel_* and corr "
            "and "
            "variance_reduction as ratios, n and replications_needed as counts, significant 0 or 1",
            md->desc, md->unit);
        if ((d = dataset_new(w, g, md->name, H5T_IEEE_F64LE, 2, dims, w->dcpl, H5T_NATIVE_DOUBLE,
                             H5S_ALL, fiscal ? es_cmp_fiscal(c, m) : es_cmp_calendar(c, m),
                             md->unit, mdesc)) < 0)
            goto out;
        if (metric_attrs(w, d, m) < 0 || attach(w, d, md->name, stat, per) < 0) goto out;
        H5Dclose(d);
        d = H5I_INVALID_HID;
    }
    rc = 0;
out:
    w->where[where_len] = '\0';
    if (d >= 0) H5Dclose(d);
    if (per >= 0) H5Dclose(per);
    if (stat >= 0) H5Dclose(stat);
    if (g >= 0) H5Gclose(g);
    return rc;
}

static int write_comparison(h5w *w, hid_t parent, const es_comparison_result *c, int crn)
{
    int rc = -1;
    hid_t g = H5I_INVALID_HID;
    char name[2 * ES_H5_NAME_MAX + 8];
    const double confidence = ES_H5_CONFIDENCE;
    snprintf(name, sizeof name, "%s%s%s", c->base, ES_H5_VS, c->alt);
    snprintf(w->where, sizeof w->where, "/%s", ES_H5_COMPARISONS);
    if ((g = group_new(w, parent, name,
                       "paired comparison of scenario alt against scenario base, by replication")) <
        0)
        goto out;
    snprintf(w->where, sizeof w->where, "/%s/%s", ES_H5_COMPARISONS, name);
    if (attr_str(w, g, name, "base", c->base) < 0 || attr_str(w, g, name, "alt", c->alt) < 0 ||
        attr_int(w, g, name, "n_replications", c->n_reps) < 0 ||
        attr_num(w, g, name, "confidence", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &confidence) < 0 ||
        attr_int(w, g, name, "common_random_numbers", crn) < 0 ||
        attr_num(w, g, name, "target_relative_half_width", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                 &c->target_rel) < 0)
        goto out;
    if (write_cmp_period(w, g, c, 1) < 0 || write_cmp_period(w, g, c, 0) < 0) goto out;
    rc = 0;
out:
    if (g >= 0) H5Gclose(g);
    return rc;
}

/* ---- sweeps: /design and /sweep/<scenario>/ ------------------------------ */

static const char *const point_desc = "design point index (row of /design)";

/* Chunk a sweep dataset along its first axis, whole rows of the rest, in
 * pieces of about ES_H5_SWEEP_CHUNK_ELEMS elements; small ones stay contiguous. */
#define ES_H5_SWEEP_CHUNK_ELEMS 65536
static hid_t sweep_dcpl_new(h5w *w, const char *gname, int rank, const hsize_t *dims)
{
    hid_t p = H5I_INVALID_HID;
    hsize_t n = 1, row = 1, chunk[3];
    for (int i = 0; i < rank; i++) n *= dims[i];
    for (int i = 1; i < rank; i++) row *= dims[i];
    TRY(p = H5Pcopy(w->dcpl), gname, "dataset creation properties");
    if (n >= ES_H5_CHUNK_MIN_ELEMS && row > 0) {
        hsize_t c0 = ES_H5_SWEEP_CHUNK_ELEMS / row;
        chunk[0] = c0 < 1 ? 1 : c0 > dims[0] ? dims[0] : c0;
        for (int i = 1; i < rank; i++) chunk[i] = dims[i];
        TRY(H5Pset_chunk(p, rank, chunk), gname, "set chunking");
        if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0)
            TRY(H5Pset_deflate(p, ES_H5_DEFLATE_LEVEL), gname, "set deflate");
    }
    return p;
out:
    if (p >= 0) H5Pclose(p);
    return H5I_INVALID_HID;
}

static int attach3(h5w *w, hid_t d, const char *name, const hid_t *scales, int rank)
{
    int rc = -1;
    for (int i = 0; i < rank; i++)
        TRY(H5DSattach_scale(d, scales[i], (unsigned)i), name, "attach dimension scale");
    rc = 0;
out:
    return rc;
}

/* One dataset per metric in g, metric m's block at data + m * per, each
 * with its metric attributes and the group's `rank` scales attached. */
static int write_sweep_metrics(h5w *w, hid_t g, int rank, const hsize_t *dims, hid_t dcpl,
                               const double *data, size_t per, const hid_t *sc)
{
    for (int m = 0; m < ES_N_METRICS; m++) {
        const es_metric_def *md = &es_metric_table[m];
        hid_t d = dataset_new(w, g, md->name, H5T_IEEE_F64LE, rank, dims, dcpl, H5T_NATIVE_DOUBLE,
                              H5S_ALL, data + (size_t)m * per, md->unit, md->desc);
        if (d < 0) return -1;
        int bad = metric_attrs(w, d, m) < 0 || attach3(w, d, md->name, sc, rank) < 0;
        H5Dclose(d);
        if (bad) return -1;
    }
    return 0;
}

/* The design columns again as 1-D variables over `point` in a per-point
 * group, so xarray shows each point's parameter values beside its data. */
static int write_design_vars(h5w *w, hid_t g, const es_design_result *ds, hid_t point)
{
    hsize_t n = (hsize_t)ds->n_points;
    double *col = es_calloc((size_t)(ds->n_points ? ds->n_points : 1), sizeof *col);
    int rc = -1;
    hid_t d = H5I_INVALID_HID;
    if (!col) {
        w_msg(w, ES_ERR_NOMEM, "cannot write %s: out of memory", w->path);
        return -1;
    }
    for (int j = 0; j < ds->n_params; j++) {
        for (int k = 0; k < ds->n_points; k++)
            col[k] = ds->x[(size_t)k * (size_t)ds->n_params + (size_t)j];
        if ((d = dataset_new(w, g, ds->names[j], H5T_IEEE_F64LE, 1, &n, w->dcpl, H5T_NATIVE_DOUBLE,
                             H5S_ALL, col, "1",
                             "value of this swept parameter at each design point (config units)")) <
            0)
            goto out;
        if (attach(w, d, ds->names[j], point, H5I_INVALID_HID) < 0) goto out;
        H5Dclose(d);
        d = H5I_INVALID_HID;
    }
    rc = 0;
out:
    if (d >= 0) H5Dclose(d);
    free(col);
    return rc;
}

static int write_design(h5w *w, hid_t f, const es_design_result *ds)
{
    int rc = -1;
    hid_t g = H5I_INVALID_HID, point = H5I_INVALID_HID;
    int64_t *idx = es_calloc((size_t)ds->n_points, sizeof *idx);
    if (!idx) {
        w_msg(w, ES_ERR_NOMEM, "cannot write %s: out of memory", w->path);
        return -1;
    }
    for (int k = 0; k < ds->n_points; k++) idx[k] = k;
    snprintf(w->where, sizeof w->where, "%s", "");
    if ((g = group_new(w, f, ES_H5_DESIGN,
                       "the sweep's design matrix: one variable per swept parameter over point")) <
        0)
        goto out;
    snprintf(w->where, sizeof w->where, "/%s", ES_H5_DESIGN);
    if (attr_str(w, g, ES_H5_DESIGN, "design", ds->kind) < 0 ||
        attr_int(w, g, ES_H5_DESIGN, "points", ds->points_setting) < 0 ||
        attr_int(w, g, ES_H5_DESIGN, "n_points", ds->n_points) < 0)
        goto out;
    if ((point = scale_new(w, g, ES_H5_DIM_POINT, H5T_STD_I64LE, H5T_NATIVE_INT64, ds->n_points,
                           idx, "1", point_desc)) < 0)
        goto out;
    if (write_design_vars(w, g, ds, point) < 0) goto out;
    rc = 0;
out:
    if (point >= 0) H5Dclose(point);
    if (g >= 0) H5Gclose(g);
    free(idx);
    return rc;
}

/* /parameters: each uncertain parameter's draw per replication. */
static int write_draws(h5w *w, hid_t f, const es_design_result *ds)
{
    int rc = -1;
    hid_t g = H5I_INVALID_HID, rep = H5I_INVALID_HID, d = H5I_INVALID_HID;
    hsize_t n = (hsize_t)ds->n_points;
    int64_t *idx = es_calloc((size_t)(ds->n_points ? ds->n_points : 1), sizeof *idx);
    double *col = es_calloc((size_t)(ds->n_points ? ds->n_points : 1), sizeof *col);
    if (!idx || !col) {
        w_msg(w, ES_ERR_NOMEM, "cannot write %s: out of memory", w->path);
        goto out;
    }
    for (int k = 0; k < ds->n_points; k++) idx[k] = k;
    snprintf(w->where, sizeof w->where, "%s", "");
    if ((g = group_new(w, f, ES_H5_PARAMETERS,
                       "parameter uncertainty: the value each replication drew for each uncertain "
                       "parameter (every scenario of a replication used the same)")) < 0)
        goto out;
    snprintf(w->where, sizeof w->where, "/%s", ES_H5_PARAMETERS);
    if ((rep = scale_new(w, g, ES_H5_DIM_REPLICATION, H5T_STD_I64LE, H5T_NATIVE_INT64, ds->n_points,
                         idx, "1", "replication index")) < 0)
        goto out;
    for (int j = 0; j < ds->n_params; j++) {
        for (int k = 0; k < ds->n_points; k++)
            col[k] = ds->x[(size_t)k * (size_t)ds->n_params + (size_t)j];
        if ((d = dataset_new(w, g, ds->names[j], H5T_IEEE_F64LE, 1, &n, w->dcpl, H5T_NATIVE_DOUBLE,
                             H5S_ALL, col, "1",
                             "value drawn for this parameter in each replication (config units; "
                             "a factor when the distribution says scale)")) < 0)
            goto out;
        if (attach(w, d, ds->names[j], rep, H5I_INVALID_HID) < 0 ||
            attr_str(w, d, ds->names[j], "distribution", ds->dists[j]) < 0)
            goto out;
        H5Dclose(d);
        d = H5I_INVALID_HID;
    }
    rc = 0;
out:
    if (d >= 0) H5Dclose(d);
    if (rep >= 0) H5Dclose(rep);
    if (g >= 0) H5Gclose(g);
    free(idx);
    free(col);
    return rc;
}

/* fiscal_year/ or calendar_year/ of a sweep scenario: (point, replication,
 * year) in a whole run, (unit, year) in a shard. */
static int write_sweep_per_rep(h5w *w, hid_t sg, const es_sweep_result *s,
                               const es_design_result *ds, int fiscal, int shard)
{
    int rc = -1, rank;
    size_t where_len = strlen(w->where);
    const char *gname = fiscal ? ES_H5_FISCAL : ES_H5_CALENDAR;
    const int n = fiscal ? s->n_fy : s->n_cy;
    const double *data = fiscal ? s->fiscal : s->calendar;
    hid_t g = H5I_INVALID_HID, sc[3] = {H5I_INVALID_HID, H5I_INVALID_HID, H5I_INVALID_HID};
    hid_t dcpl = H5I_INVALID_HID;
    int64_t *idx = NULL;
    hsize_t dims[3];

    if ((g = group_new(
             w, sg, gname,
             fiscal ? "fiscal years after the warm-up, per design point and replication"
                    : "calendar years fully after the warm-up, per design point and replication")) <
        0)
        goto out;
    snprintf(w->where + where_len, sizeof w->where - where_len, "/%s", gname);
    if (shard) {
        rank = 2;
        dims[0] = (hsize_t)s->n_rows, dims[1] = (hsize_t)n;
        if ((sc[0] = scale_new(w, g, ES_H5_DIM_UNIT, H5T_STD_I64LE, H5T_NATIVE_INT64,
                               (int)s->n_rows, s->unit, "1",
                               "the run's unit of each row: scenario u % S, point (u / S) % P, "
                               "replication u / (S P)")) < 0)
            goto out;
    } else {
        int m = s->n_points > s->n_reps ? s->n_points : s->n_reps;
        rank = 3;
        dims[0] = (hsize_t)s->n_points, dims[1] = (hsize_t)s->n_reps, dims[2] = (hsize_t)n;
        if (!(idx = es_calloc((size_t)(m ? m : 1), sizeof *idx))) {
            w_msg(w, ES_ERR_NOMEM, "cannot write %s: out of memory", w->path);
            goto out;
        }
        for (int k = 0; k < m; k++) idx[k] = k;
        if ((sc[0] = scale_new(w, g, ES_H5_DIM_POINT, H5T_STD_I64LE, H5T_NATIVE_INT64, s->n_points,
                               idx, "1", point_desc)) < 0 ||
            (sc[1] = scale_new(w, g, ES_H5_DIM_REPLICATION, H5T_STD_I64LE, H5T_NATIVE_INT64,
                               s->n_reps, idx, "1", rep_desc)) < 0)
            goto out;
    }
    if ((sc[rank - 1] = scale_new(w, g, gname, H5T_STD_I32LE, H5T_NATIVE_INT, n,
                                  fiscal ? s->fy : s->cy, "1", fiscal ? fy_desc : cy_desc)) < 0)
        goto out;
    if (!shard && write_design_vars(w, g, ds, sc[0]) < 0) goto out;
    if ((dcpl = sweep_dcpl_new(w, gname, rank, dims)) < 0) goto out;
    size_t per = (size_t)s->n_rows * (size_t)n;
    if (write_sweep_metrics(w, g, rank, dims, dcpl, data, per, sc) < 0) goto out;
    rc = 0;
out:
    w->where[where_len] = '\0';
    if (dcpl >= 0) H5Pclose(dcpl);
    for (int i = 0; i < 3; i++)
        if (sc[i] >= 0) H5Dclose(sc[i]);
    if (g >= 0) H5Gclose(g);
    free(idx);
    return rc;
}

/* summary_*_year/ of a sweep scenario: (point, statistic, year). */
static int write_sweep_summary(h5w *w, hid_t sg, const es_sweep_result *s,
                               const es_design_result *ds, int fiscal)
{
    static const char *const stat_names[ES_H5_N_STATS] = ES_H5_STAT_NAMES;
    int rc = -1;
    size_t where_len = strlen(w->where);
    const char *gname = fiscal ? ES_H5_SUMMARY_FISCAL : ES_H5_SUMMARY_CALENDAR;
    const char *dim = fiscal ? ES_H5_FISCAL : ES_H5_CALENDAR;
    const int n = fiscal ? s->n_fy : s->n_cy;
    const double *sum = fiscal ? s->fy_sum : s->cy_sum;
    const double confidence = ES_H5_CONFIDENCE;
    hid_t g = H5I_INVALID_HID, sc[3] = {H5I_INVALID_HID, H5I_INVALID_HID, H5I_INVALID_HID};
    hid_t dcpl = H5I_INVALID_HID;
    int64_t *idx = es_calloc((size_t)(s->n_points ? s->n_points : 1), sizeof *idx);
    hsize_t dims[3] = {(hsize_t)s->n_points, ES_H5_N_STATS, (hsize_t)n};

    if (!idx) {
        w_msg(w, ES_ERR_NOMEM, "cannot write %s: out of memory", w->path);
        goto out;
    }
    for (int k = 0; k < s->n_points; k++) idx[k] = k;
    if ((g = group_new(
             w, sg, gname,
             fiscal ? "across-replication statistics per design point and fiscal year"
                    : "across-replication statistics per design point and calendar year")) < 0)
        goto out;
    snprintf(w->where + where_len, sizeof w->where - where_len, "/%s", gname);
    if (attr_int(w, g, gname, "n_replications", s->n_reps) < 0 ||
        attr_num(w, g, gname, "confidence", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &confidence) < 0)
        goto out;
    if ((sc[0] = scale_new(w, g, ES_H5_DIM_POINT, H5T_STD_I64LE, H5T_NATIVE_INT64, s->n_points, idx,
                           "1", point_desc)) < 0 ||
        (sc[1] = scale_new(
             w, g, ES_H5_DIM_STATISTIC, w->str_t, w->str_t, ES_H5_N_STATS, stat_names, "1",
             "mean and standard deviation across the point's replications, and the Student-t 95% "
             "confidence interval of the mean (NaN when fewer than 2 replications)")) < 0 ||
        (sc[2] = scale_new(w, g, dim, H5T_STD_I32LE, H5T_NATIVE_INT, n, fiscal ? s->fy : s->cy, "1",
                           fiscal ? fy_desc : cy_desc)) < 0)
        goto out;
    if (write_design_vars(w, g, ds, sc[0]) < 0) goto out;
    if ((dcpl = sweep_dcpl_new(w, gname, 3, dims)) < 0) goto out;
    size_t per = (size_t)s->n_points * ES_H5_N_STATS * (size_t)n;
    if (write_sweep_metrics(w, g, 3, dims, dcpl, sum, per, sc) < 0) goto out;
    rc = 0;
out:
    w->where[where_len] = '\0';
    if (dcpl >= 0) H5Pclose(dcpl);
    for (int i = 0; i < 3; i++)
        if (sc[i] >= 0) H5Dclose(sc[i]);
    if (g >= 0) H5Gclose(g);
    free(idx);
    return rc;
}

static int write_sweep(h5w *w, hid_t f, const es_run_result *r)
{
    int rc = -1;
    hid_t g = H5I_INVALID_HID, sg = H5I_INVALID_HID;
    const int shard = r->shard.count > 0;
    if (write_design(w, f, &r->design) < 0) goto out;
    snprintf(w->where, sizeof w->where, "%s", "");
    if ((g = group_new(w, f, ES_H5_SWEEP,
                       "one group per scenario of the sweep, in configuration order")) < 0)
        goto out;
    for (int i = 0; i < r->n_sweep; i++) {
        const es_sweep_result *s = &r->sweep[i];
        snprintf(w->where, sizeof w->where, "/%s", ES_H5_SWEEP);
        if ((sg = group_new(w, g, s->name, NULL)) < 0) goto out;
        snprintf(w->where, sizeof w->where, "/%s/%s", ES_H5_SWEEP, s->name);
        if (attr_int(w, sg, s->name, "n_points", s->n_points) < 0 ||
            attr_int(w, sg, s->name, "n_replications", s->n_reps) < 0 ||
            (s->config && attr_str(w, sg, s->name, "config", s->config) < 0))
            goto out;
        if (write_sweep_per_rep(w, sg, s, &r->design, 1, shard) < 0 ||
            write_sweep_per_rep(w, sg, s, &r->design, 0, shard) < 0)
            goto out;
        if (!shard && (write_sweep_summary(w, sg, s, &r->design, 1) < 0 ||
                       write_sweep_summary(w, sg, s, &r->design, 0) < 0))
            goto out;
        H5Gclose(sg);
        sg = H5I_INVALID_HID;
    }
    rc = 0;
out:
    if (sg >= 0) H5Gclose(sg);
    if (g >= 0) H5Gclose(g);
    return rc;
}

/* A shard's identity (results.h, es_shard_info), after everything else:
 * `complete` is the file's last attribute, so a copy that stopped short
 * lacks it. */
static int write_shard(h5w *w, hid_t f, const es_shard_info *sh)
{
    int rc = -1;
    hsize_t n = (hsize_t)sh->n_held, ns = (hsize_t)sh->n_scenarios,
            nc[2] = {(hsize_t)sh->n_comparisons, 2};
    hid_t d = H5I_INVALID_HID, s = H5I_INVALID_HID, a = H5I_INVALID_HID;
    snprintf(w->where, sizeof w->where, "%s", "");
    if (attr_int(w, f, "/", ES_H5_SHARD_INDEX, sh->index) < 0 ||
        attr_int(w, f, "/", ES_H5_SHARD_COUNT, sh->count) < 0 ||
        attr_num(w, f, "/", ES_H5_SHARD_HASH, H5T_STD_U64LE, H5T_NATIVE_UINT64, &sh->config_hash) <
            0 ||
        attr_num(w, f, "/", ES_H5_SHARD_N_UNITS, H5T_STD_I64LE, H5T_NATIVE_INT64, &sh->n_units) < 0)
        goto out;
    /* The run's scenarios, a 1-D string array; its comparisons, (pair, 2)
     * int32 indices into it (base, alt), left out when there are none. */
    TRY(s = H5Screate_simple(1, &ns, NULL), "/", ES_H5_SHARD_SCENARIOS);
    TRY(a = H5Acreate2(f, ES_H5_SHARD_SCENARIOS, w->str_t, s, H5P_DEFAULT, H5P_DEFAULT), "/",
        ES_H5_SHARD_SCENARIOS);
    TRY(H5Awrite(a, w->str_t, sh->scenarios), "/", ES_H5_SHARD_SCENARIOS);
    H5Aclose(a);
    H5Sclose(s);
    a = s = H5I_INVALID_HID;
    if (sh->n_comparisons > 0) {
        TRY(s = H5Screate_simple(2, nc, NULL), "/", ES_H5_SHARD_COMPARISONS);
        TRY(a = H5Acreate2(f, ES_H5_SHARD_COMPARISONS, H5T_STD_I32LE, s, H5P_DEFAULT, H5P_DEFAULT),
            "/", ES_H5_SHARD_COMPARISONS);
        TRY(H5Awrite(a, H5T_NATIVE_INT, sh->comparisons), "/", ES_H5_SHARD_COMPARISONS);
    }
    if ((d = dataset_new(w, f, ES_H5_SHARD_UNITS, H5T_STD_I64LE, 1, &n, w->dcpl, H5T_NATIVE_INT64,
                         H5S_ALL, sh->units, "1",
                         "the run's units this shard holds: unit u is scenario u % S, "
                         "replication u / S")) < 0)
        goto out;
    if (attr_int(w, f, "/", ES_H5_SHARD_COMPLETE, 1) < 0) goto out;
    rc = 0;
out:
    if (a >= 0) H5Aclose(a);
    if (s >= 0) H5Sclose(s);
    if (d >= 0) H5Dclose(d);
    return rc;
}

static int write_root(h5w *w, hid_t f, const es_run_result *r)
{
    int rc = -1;
    char *history = NULL;
    hid_t g = H5I_INVALID_HID;
    const char *finished = r->finished ? r->finished : "";
    const char *cmd = r->command_line ? r->command_line : "";
    const int layout = ES_H5_LAYOUT_VERSION;

    snprintf(w->where, sizeof w->where, "%s", "");
    /* CF "history": a timestamped command line, as netCDF tools keep it. */
    if (!(history = es_malloc(strlen(finished) + strlen(cmd) + 2))) {
        w_msg(w, ES_ERR_NOMEM, "cannot write %s: out of memory", w->path);
        goto out;
    }
    sprintf(history, "%s%s%s", finished, *finished && *cmd ? " " : "", cmd);
    if (attr_str(w, f, "/", "title", "enforcesim results") < 0 ||
        attr_str(w, f, "/", "program", "enforcesim") < 0 ||
        attr_str(w, f, "/", "version", r->program_version) < 0 ||
        attr_str(w, f, "/", "git_commit", r->git_commit) < 0 ||
        attr_num(w, f, "/", "seed", H5T_STD_I64LE, H5T_NATIVE_INT64, &r->seed) < 0 ||
        attr_str(w, f, "/", "rng", r->rng) < 0 ||
        attr_str(w, f, "/", "config", r->config_text) < 0 ||
        attr_str(w, f, "/", "command_line", r->command_line) < 0 ||
        attr_str(w, f, "/", "started", r->started) < 0 ||
        attr_str(w, f, "/", "finished", r->finished) < 0 ||
        attr_str(w, f, "/", "host", r->host) < 0 || attr_str(w, f, "/", "history", history) < 0 ||
        attr_num(w, f, "/", "layout_version", H5T_STD_I32LE, H5T_NATIVE_INT, &layout) < 0 ||
        attr_int(w, f, "/", "common_random_numbers", r->crn) < 0 ||
        attr_int(w, f, "/", ES_H5_UNCERTAINTY, r->draws.n_params) < 0)
        goto out;
    if (r->draws.n_params > 0 && write_draws(w, f, &r->draws) < 0) goto out;
    if (r->precision && (attr_str(w, f, "/", "precision", r->precision) < 0 ||
                         attr_int(w, f, "/", "precision_met", r->precision_met) < 0 ||
                         attr_int(w, f, "/", "max_replications", r->max_replications) < 0))
        goto out;
    if ((g = group_new(w, f, ES_H5_SCENARIOS, "one group per scenario, in configuration order")) <
        0)
        goto out;
    for (int i = 0; i < r->n_scenarios; i++)
        if (write_scenario(w, g, &r->scenarios[i]) < 0) goto out;
    H5Gclose(g);
    snprintf(w->where, sizeof w->where, "%s", "");
    if ((g = group_new(w, f, ES_H5_COMPARISONS,
                       "one group per configured comparison, in configuration order")) < 0)
        goto out;
    for (int i = 0; i < r->n_comparisons; i++)
        if (write_comparison(w, g, &r->comparisons[i], r->crn) < 0) goto out;
    if (r->n_sweep > 0 && write_sweep(w, f, r) < 0) goto out;
    if (r->shard.count > 0 && write_shard(w, f, &r->shard) < 0) goto out;
    rc = 0;
out:
    if (g >= 0) H5Gclose(g);
    free(history);
    return rc;
}

/* ---- checks, and the temporary file's life ------------------------------ */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

es_status es_h5_check_output(const char *path, int force, char *err, size_t errlen)
{
    struct stat sb;
    es_status st = ES_OK;
    char *dir = NULL;

    if (!path || !*path) {
        set_err(err, errlen, "no output file named");
        return ES_ERR_USAGE;
    }
    if (stat(path, &sb) == 0) {
        if (!S_ISREG(sb.st_mode)) /* a folder, FIFO, device: never replaced */
            return es_fs_check_output(path, "output", 0, NULL, 0, err, errlen);
        if (!force) {
            set_err(err, errlen, "%s exists; use --force to overwrite it", path);
            return ES_ERR_EXISTS;
        }
    } else if (errno != ENOENT) {
        set_err(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return ES_ERR_IO;
    }
    if (!(dir = es_dir_of(path))) {
        set_err(err, errlen, "out of memory");
        return ES_ERR_NOMEM;
    }
    /* The temporary file is created in this folder, then renamed. */
    if (access(dir, W_OK | X_OK) != 0) {
        set_err(err, errlen, "cannot write %s: folder %s: %s", path, dir, strerror(errno));
        st = ES_ERR_IO;
    }
    free(dir);
    return st;
}

/* Result shapes are the caller's contract (assertions); scenario names come
 * from the user's config, so a name HDF5 cannot hold is an input error. */
static es_status check_result(const char *path, const es_run_result *r, char *err, size_t errlen)
{
    ES_ASSERT(r && r->n_scenarios >= 0 && (r->n_scenarios == 0 || r->scenarios));
    for (int i = 0; i < r->n_scenarios; i++) {
        const es_scenario_result *s = &r->scenarios[i];
        ES_ASSERT(s->n_reps >= 0 && s->n_months >= 0 && s->n_fy >= 0 && s->n_cy >= 0);
        ES_ASSERT(s->n_reps == 0 || s->replication);
        ES_ASSERT(s->n_months == 0 || (s->month_start && (s->n_reps == 0 || s->monthly)));
        ES_ASSERT(s->n_fy == 0 || (s->fy && s->fy_sum.mean && s->fy_sum.sd && s->fy_sum.lo &&
                                   s->fy_sum.hi && (s->n_reps == 0 || s->fiscal)));
        ES_ASSERT(s->n_cy == 0 || (s->cy && s->cy_sum.mean && s->cy_sum.sd && s->cy_sum.lo &&
                                   s->cy_sum.hi && (s->n_reps == 0 || s->calendar)));
        const char *nm = s->name ? s->name : "";
        if (!*nm || strchr(nm, '/') || strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0) {
            set_err(err, errlen, "cannot write %s: scenario name '%s' cannot name an HDF5 group",
                    path, nm);
            return ES_ERR_INPUT;
        }
        for (int j = 0; j < i; j++)
            if (strcmp(nm, r->scenarios[j].name) == 0) {
                set_err(err, errlen, "cannot write %s: two scenarios are named '%s'", path, nm);
                return ES_ERR_INPUT;
            }
        if (strlen(nm) >= ES_H5_NAME_MAX) {
            set_err(err, errlen, "cannot write %s: scenario name '%s' is longer than %d characters",
                    path, nm, ES_H5_NAME_MAX - 1);
            return ES_ERR_INPUT;
        }
    }
    ES_ASSERT(r->n_comparisons >= 0 && (r->n_comparisons == 0 || r->comparisons));
    for (int i = 0; i < r->n_comparisons; i++) {
        const es_comparison_result *c = &r->comparisons[i];
        int found = 0;
        ES_ASSERT(c->base && c->alt && c->n_fy >= 0 && c->n_cy >= 0);
        ES_ASSERT((c->n_fy == 0 || (c->fy && c->fiscal)) &&
                  (c->n_cy == 0 || (c->cy && c->calendar)));
        for (int j = 0; j < r->n_scenarios; j++)
            found += !strcmp(c->base, r->scenarios[j].name) + !strcmp(c->alt, r->scenarios[j].name);
        if (found != 2 || !strcmp(c->base, c->alt)) {
            set_err(err, errlen,
                    "cannot write %s: comparison '%s' vs '%s' does not name two stored scenarios",
                    path, c->base, c->alt);
            return ES_ERR_INPUT;
        }
        for (int j = 0; j < i; j++)
            if (!strcmp(c->base, r->comparisons[j].base) &&
                !strcmp(c->alt, r->comparisons[j].alt)) {
                set_err(err, errlen, "cannot write %s: comparison '%s' vs '%s' given twice", path,
                        c->base, c->alt);
                return ES_ERR_INPUT;
            }
    }
    return ES_OK;
}

/* ---- the in-memory file image ------------------------------------------- */

/* The core driver's buffer, kept when the driver releases it at close.
 * The driver may also read a file that exists under the label name (HDF5
 * opens it tentatively to see whether it is open already) and release that
 * buffer first; the last buffer released is the file we built. */
typedef struct {
    void *buf;        /* the final image, once closed */
    size_t alloc;     /* its allocated length */
    void *last;       /* the buffer most recently (re)allocated ... */
    size_t last_size; /* ... and its length */
    int nomem;        /* 1 once an allocation failed: HDF5 reports it as its own error */
} es_image;

static void *image_malloc(size_t size, H5FD_file_image_op_t op, void *udata)
{
    es_image *im = udata;
    /* Zeroed, as is any growth below: bytes HDF5 leaves unwritten inside
     * the file are then 0, and equal results give equal files. */
    void *p = es_calloc(size ? size : 1, 1);
    (void)op;
    if (p) im->last = p, im->last_size = size;
    im->nomem |= !p;
    return p;
}

static void *image_memcpy(void *dest, const void *src, size_t size, H5FD_file_image_op_t op,
                          void *udata)
{
    (void)op, (void)udata;
    return memcpy(dest, src, size);
}

static void *image_realloc(void *ptr, size_t size, H5FD_file_image_op_t op, void *udata)
{
    es_image *im = udata;
    size_t old = ptr && ptr == im->last ? im->last_size : size;
    unsigned char *p = es_reallocarray(ptr, size ? size : 1, 1);
    (void)op;
    if (p) {
        if (size > old) memset(p + old, 0, size - old);
        im->last = p, im->last_size = size;
    }
    im->nomem |= !p;
    return p;
}

static herr_t image_free(void *ptr, H5FD_file_image_op_t op, void *udata)
{
    es_image *im = udata;
    if (op == H5FD_FILE_IMAGE_OP_FILE_CLOSE && ptr) {
        free(im->buf);
        im->buf = ptr;
        im->alloc = ptr == im->last ? im->last_size : 0; /* 0: unknown, image_eof refuses */
    } else {
        free(ptr);
    }
    return 0;
}

/* Property lists are copied internally; all copies share the one capture. */
static void *image_udata_copy(void *udata)
{
    return udata;
}
static herr_t image_udata_free(void *udata)
{
    (void)udata;
    return 0;
}

/* The file's length, from its superblock (HDF5 File Format Specification,
 * superblock version 2 and 3: signature(8) version(1) offset-size(1)
 * length-size(1) flags(1), then base, extension and end-of-file addresses,
 * little-endian). The buffer itself is longer: it grows in increments. */
static int image_eof(const es_image *im, size_t *eof)
{
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    /* The superblock follows the seal's user block (seal.h). */
    const unsigned char *b = im->buf ? (const unsigned char *)im->buf + ES_SEAL_BLOCK : NULL;
    uint64_t base = 0, end = 0;
    if (!b || im->alloc < ES_SEAL_BLOCK + 48 || memcmp(b, sig, sizeof sig) != 0 ||
        (b[8] != 2 && b[8] != 3) || b[9] != 8)
        return -1;
    for (int i = 7; i >= 0; i--) {
        base = base << 8 | b[12 + i];
        end = end << 8 | b[28 + i];
    }
    /* The base address is the superblock's, after the seal's user block;
     * the end-of-file address counts from the start of the file (as files
     * h5py writes with a user block show). */
    if (base != ES_SEAL_BLOCK || end < ES_SEAL_BLOCK + 48 || end > im->alloc) return -1;
    *eof = (size_t)end;
    return 0;
}

/* ---- the temporary file ------------------------------------------------------ */

/* Write the file image to tmp, created exclusively (never truncate a file
 * someone else is using), and sync it. *created says whether tmp is ours
 * to remove. Write errors, a full disk among them, surface here as errno. */
static es_status write_image(const char *path, const char *tmp, const void *img, size_t n,
                             int *created, char *err, size_t errlen)
{
    const char *p = img;
    int e = 0;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
        set_err(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
        return ES_ERR_IO;
    }
    *created = 1;
    /* The crash tests stop the process with half the file written. */
    const char *half = p + n / 2;
    int faulted = 0;
    while (n > 0) {
        if (!faulted && p >= half) {
            es_fault_point("output_partial", 0);
            faulted = 1;
        }
        size_t chunk = !faulted && p + n > half ? (size_t)(half - p) : n;
        ssize_t k = write(fd, p, chunk ? chunk : n);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            e = errno;
            break;
        }
        p += k;
        n -= (size_t)k;
    }
    if (!e && fsync(fd) != 0) e = errno;
    /* close can report a deferred write error (NFS). */
    if (close(fd) != 0 && !e) e = errno;
    if (e) {
        set_err(err, errlen, "cannot write %s: %s: %s", path, tmp, strerror(e));
        return ES_ERR_IO;
    }
    return ES_OK;
}

/* Move the finished temporary file to path. Without force, link(2) makes
 * "only if absent" atomic; file systems without hard links fall back to a
 * check and rename. Returns ES_OK when tmp no longer needs removing. */
static es_status publish(const char *tmp, const char *path, int force, char *err, size_t errlen)
{
    if (!force) {
        if (link(tmp, path) == 0) {
            unlink(tmp); /* both names hold the same complete file */
            return ES_OK;
        }
        if (errno == EEXIST || access(path, F_OK) == 0) {
            set_err(err, errlen, "%s exists; use --force to overwrite it", path);
            return ES_ERR_EXISTS;
        }
    }
    if (rename(tmp, path) != 0) {
        set_err(err, errlen, "cannot write %s: rename from %s: %s", path, tmp, strerror(errno));
        return ES_ERR_IO;
    }
    return ES_OK;
}

/* What a sealed file holds: root(w, f, ctx) writes every object. */
typedef int (*root_writer)(h5w *w, hid_t f, const void *ctx);

static int run_root(h5w *w, hid_t f, const void *ctx)
{
    return write_root(w, f, (const es_run_result *)ctx);
}

static es_status write_sealed(const char *path, int force, size_t need, root_writer root,
                              const void *ctx, char *err, size_t errlen);

es_status es_h5_write(const char *path, const es_run_result *r, int force, char *err, size_t errlen)
{
    es_status st;
    if ((st = es_h5_check_output(path, force, err, errlen)) != ES_OK) return st;
    if ((st = check_result(path, r, err, errlen)) != ES_OK) return st;
    return write_sealed(path, force, es_reserve_write_need(r), run_root, r, err, errlen);
}

typedef struct {
    const es_h5_attr *attrs;
    int n_attrs;
    const es_h5_table *t;
    int n;
} tables_ctx;

/* The group at path (slash-separated, relative to f), made with its
 * parents where missing; a new group gets desc. */
static hid_t group_path(h5w *w, hid_t f, const char *path, const char *desc)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    hid_t g = H5Gopen2(f, "/", H5P_DEFAULT);
    if (g < 0) {
        w_fail(w, "/", "open the root group");
        return H5I_INVALID_HID;
    }
    char *save = NULL;
    for (char *part = strtok_r(buf, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
        htri_t ex = H5Lexists(g, part, H5P_DEFAULT);
        hid_t next = ex > 0 ? H5Gopen2(g, part, H5P_DEFAULT)
                            : group_new(w, g, part, save && *save ? "a group of tables" : desc);
        H5Gclose(g);
        if (ex < 0 || next < 0) {
            if (next >= 0) H5Gclose(next);
            if (ex < 0) w_fail(w, part, "look up a group");
            return H5I_INVALID_HID;
        }
        g = next;
    }
    return g;
}

static int tables_root(h5w *w, hid_t f, const void *vctx)
{
    const tables_ctx *c = vctx;
    int layout = ES_H5_LAYOUT_VERSION;
    for (int i = 0; i < c->n_attrs; i++)
        if (attr_str(w, f, "/", c->attrs[i].name, c->attrs[i].value) < 0) return -1;
    if (attr_num(w, f, "/", "layout_version", H5T_STD_I32LE, H5T_NATIVE_INT, &layout) < 0)
        return -1;
    for (int i = 0; i < c->n; i++) {
        const es_h5_table *t = &c->t[i];
        int rc = -1;
        hid_t g = H5I_INVALID_HID, sc = H5I_INVALID_HID, d = H5I_INVALID_HID;
        int64_t *idx = NULL;
        snprintf(w->where, sizeof w->where, "/%s", t->group);
        if ((g = group_path(w, f, t->group, t->desc)) < 0) goto next;
        if (t->labels)
            sc = scale_new(w, g, t->dim, w->str_t, w->str_t, t->n_rows, t->labels, "1",
                           "row labels");
        else {
            if (!(idx = es_calloc((size_t)(t->n_rows ? t->n_rows : 1), sizeof *idx))) {
                w_msg(w, ES_ERR_NOMEM, "cannot write %s: out of memory", w->path);
                goto next;
            }
            for (int r = 0; r < t->n_rows; r++) idx[r] = r;
            sc = scale_new(w, g, t->dim, H5T_STD_I64LE, H5T_NATIVE_INT64, t->n_rows, idx, "1",
                           "row index");
        }
        if (sc < 0) goto next;
        hsize_t n = (hsize_t)t->n_rows;
        for (int j = 0; j < t->n_cols; j++) {
            const es_h5_column *col = &t->cols[j];
            if ((d = dataset_new(w, g, col->name, H5T_IEEE_F64LE, 1, &n, w->dcpl, H5T_NATIVE_DOUBLE,
                                 H5S_ALL, col->v, col->units, col->desc)) < 0)
                goto next;
            if (attach(w, d, col->name, sc, H5I_INVALID_HID) < 0) goto next;
            H5Dclose(d);
            d = H5I_INVALID_HID;
        }
        rc = 0;
    next:
        if (d >= 0) H5Dclose(d);
        if (sc >= 0) H5Dclose(sc);
        if (g >= 0) H5Gclose(g);
        free(idx);
        if (rc < 0) return -1;
    }
    return 0;
}

es_status es_h5_write_tables(const char *path, int force, const es_h5_attr *attrs, int n_attrs,
                             const es_h5_table *tables, int n_tables, char *err, size_t errlen)
{
    es_status st;
    if ((st = es_h5_check_output(path, force, err, errlen)) != ES_OK) return st;
    size_t need = 1 << 20;
    for (int i = 0; i < n_tables; i++)
        need += (size_t)tables[i].n_rows * (size_t)(tables[i].n_cols + 1) * 16 + 4096;
    tables_ctx c = {attrs, n_attrs, tables, n_tables};
    return write_sealed(path, force, need, tables_root, &c, err, errlen);
}

/* The file built in memory, sealed, written under a temporary name and
 * renamed: every result file, whatever it holds. */
static es_status write_sealed(const char *path, int force, size_t need, root_writer root,
                              const void *ctx, char *err, size_t errlen)
{
    h5w w = {.path = path,
             .err = err,
             .errlen = errlen,
             .st = ES_OK,
             .str_t = H5I_INVALID_HID,
             .gcpl = H5I_INVALID_HID,
             .dcpl = H5I_INVALID_HID,
             .dcpl_compact = H5I_INVALID_HID};
    hid_t fcpl = H5I_INVALID_HID, fapl = H5I_INVALID_HID, f = H5I_INVALID_HID;
    char *tmp = NULL, *dir = NULL;
    es_image img = {NULL, 0, NULL, 0, 0};
    size_t img_size = 0;
    int tmp_is_ours = 0;
    H5E_auto2_t old_func = NULL;
    void *old_data = NULL;
    es_status st;

    /* libhdf5 does not survive every failed allocation (io/reserve.h). */
    if (!es_reserve_available(need)) {
        set_err(err, errlen, "cannot write %s: not enough memory to build the file (about %zu MB)",
                path, (need >> 20) + 1);
        return ES_ERR_NOMEM;
    }
    es_h5_prepare();
    /* Failures become one-line messages; HDF5's stack dump would bury them. */
    H5Eget_auto2(H5E_DEFAULT, &old_func, &old_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);

    size_t tlen = strlen(path) + 32;
    if (!(tmp = es_malloc(tlen)) || !(dir = es_dir_of(path))) {
        w_msg(&w, ES_ERR_NOMEM, "cannot write %s: out of memory", path);
        goto out;
    }
    snprintf(tmp, tlen, "%s.tmp-%ld", path, (long)getpid());
    snprintf(w.where, sizeof w.where, "%s", "");

    h5w *wp = &w;
#define TRYW(call, action)            \
    do {                              \
        if ((call) < 0) {             \
            w_fail(wp, "", (action)); \
            goto out;                 \
        }                             \
    } while (0)
    /* netCDF-C's conventions: creation order tracked and indexed keeps the
     * variable order stable; no access times, so equal data give files
     * that differ only in provenance attributes. */
    TRYW(fcpl = H5Pcreate(H5P_FILE_CREATE), "file creation properties");
    TRYW(H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
         "link order");
    TRYW(H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
         "attribute order");
    TRYW(H5Pset_obj_track_times(fcpl, 0), "track times");
    TRYW(H5Pset_userblock(fcpl, ES_SEAL_BLOCK), "user block for the checksum");
    TRYW(w.gcpl = H5Pcreate(H5P_GROUP_CREATE), "group creation properties");
    TRYW(H5Pset_link_creation_order(w.gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
         "link order");
    TRYW(H5Pset_attr_creation_order(w.gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
         "attribute order");
    TRYW(H5Pset_obj_track_times(w.gcpl, 0), "track times");
    TRYW(w.dcpl = H5Pcreate(H5P_DATASET_CREATE), "dataset creation properties");
    TRYW(H5Pset_attr_creation_order(w.dcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
         "attribute order");
    TRYW(H5Pset_obj_track_times(w.dcpl, 0), "track times");
    TRYW(w.dcpl_compact = H5Pcopy(w.dcpl), "dataset creation properties");
    TRYW(H5Pset_layout(w.dcpl_compact, H5D_COMPACT), "compact layout");
    /* Low bound 1.8: dense attribute storage for a config text over 64 KiB,
     * still readable by any HDF5 1.8 (netCDF-C, older R builds). */
    TRYW(fapl = H5Pcreate(H5P_FILE_ACCESS), "file access properties");
    TRYW(H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_LATEST), "library version bounds");
    /* The file is built in memory (core driver, no backing store) and
     * written with write(2) below. HDF5 1.10.8 crashes at exit after an
     * H5Fclose that failed on a full disk, and takes file locks that fail
     * on NFS and Lustre; in memory, neither can happen, and every disk
     * error comes back as an errno we can name. The image is taken when
     * the driver releases it at close: H5Fget_file_image on an open file
     * returns a superblock whose checksum 1.10.8 does not update. */
    TRYW(H5Pset_fapl_core(fapl, ES_H5_CORE_INCREMENT, 0), "in-memory file driver");
    H5FD_file_image_callbacks_t cb = {image_malloc,     image_memcpy,     image_realloc, image_free,
                                      image_udata_copy, image_udata_free, &img};
    TRYW(H5Pset_file_image_callbacks(fapl, &cb), "file image callbacks");
    TRYW(w.str_t = H5Tcopy(H5T_C_S1), "string type");
    TRYW(H5Tset_size(w.str_t, H5T_VARIABLE), "string type");
    TRYW(H5Tset_cset(w.str_t, H5T_CSET_UTF8), "string type");
    /* The name only labels the in-memory file; nothing touches the disk. */
    TRYW(f = H5Fcreate(tmp, H5F_ACC_TRUNC, fcpl, fapl), "create the file in memory");
    if (root(&w, f, ctx) < 0) goto out;
    herr_t cr = H5Fclose(f);
    f = H5I_INVALID_HID;
    TRYW(cr, "close the file");
    /* HDF5 may carry on after an image allocation fails (its metadata
     * accumulator retries later); a file built past a failed allocation is
     * not trusted, so the writer fails as out of memory either way. */
    if (img.nomem) {
        w.st = ES_ERR_NOMEM;
        goto out;
    }
    if (image_eof(&img, &img_size) < 0) {
        w_msg(&w, ES_ERR_HDF5, "cannot write %s: the in-memory file image is not as expected",
              path);
        goto out;
    }
#undef TRYW
    es_seal_image(img.buf, img_size); /* last: the checksum covers the finished file */

    if ((st = write_image(path, tmp, img.buf, img_size, &tmp_is_ours, err, errlen)) != ES_OK ||
        (st = publish(tmp, path, force, err, errlen)) != ES_OK) {
        w.st = st;
        goto out;
    }
    tmp_is_ours = 0;
    if (es_fsync_dir(dir) != 0)
        w_msg(&w, ES_ERR_IO, "cannot write %s: sync folder %s: %s", path, dir, strerror(errno));
out:
    if (f >= 0) H5Fclose(f);
    if (w.str_t >= 0) H5Tclose(w.str_t);
    if (w.dcpl >= 0) H5Pclose(w.dcpl);
    if (w.dcpl_compact >= 0) H5Pclose(w.dcpl_compact);
    if (w.gcpl >= 0) H5Pclose(w.gcpl);
    if (fapl >= 0) H5Pclose(fapl);
    if (fcpl >= 0) H5Pclose(fcpl);
    if (tmp_is_ours) unlink(tmp);
    H5Eset_auto2(H5E_DEFAULT, old_func, old_data);
    if (img.nomem && w.st != ES_OK) {
        w.st = ES_ERR_NOMEM;
        set_err(err, errlen, "cannot write %s: out of memory", path);
    }
    free(img.buf); /* the file image, if the file was closed */
    free(dir);
    free(tmp);
    return w.st;
}
