/* h5in.c: reading and validating a results file (contract in h5in.h).
 *
 * The reader builds into a private es_run_result and hands it over only
 * when the whole file has been read and checked. Every HDF5 call is
 * checked; each function closes what it opened at its one `out:` label. */
#include "h5in.h"
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include "../core/mem.h"
#include "h5out.h"
#include "seal.h"
#include "../core/check.h"

/* Axis lengths beyond these are damage, not results: they would overflow
 * the int counts of es_scenario_result long before memory runs out. */
#define ES_H5_MAX_AXIS (1 << 26)

typedef struct {
    const char *path; /* what messages name */
    char where[512];  /* HDF5 path of the group being read */
    char *err;
    size_t errlen;
    es_status st;   /* first failure */
    int64_t layout; /* the file's layout_version, once read_root has it */
} h5r;

static void r_msg(h5r *rd, es_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void r_msg(h5r *rd, es_status st, const char *fmt, ...)
{
    if (rd->st != ES_OK) return;
    rd->st = st;
    if (!rd->err || rd->errlen == 0) return;
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(rd->err, rd->errlen, "%s: %s", rd->path, what);
}

/* The file is not what es_h5_write makes: "<file>: <group>/<name>: <why>". */
static void r_bad(h5r *rd, const char *name, const char *why)
{
    if (*name)
        r_msg(rd, ES_ERR_INPUT, "%s/%s: %s", rd->where, name, why);
    else
        r_msg(rd, ES_ERR_INPUT, "%s: %s", *rd->where ? rd->where : "/", why);
}

/* An HDF5 call failed on a structurally plausible file: damage. */
static void r_h5(h5r *rd, const char *name, const char *action)
{
    char detail[256];
    if (rd->st != ES_OK) return;
    es_h5_error_detail(detail, sizeof detail, NULL);
    if (*name)
        r_msg(rd, ES_ERR_INPUT, "%s/%s: cannot %s (damaged file? %s)", rd->where, name, action,
              detail);
    else
        r_msg(rd, ES_ERR_INPUT, "%s: cannot %s (damaged file? %s)", *rd->where ? rd->where : "/",
              action, detail);
}

static void r_nomem(h5r *rd)
{
    r_msg(rd, ES_ERR_NOMEM, "%s: out of memory reading the results", rd->where);
}

#define TRY(call, name, action)         \
    do {                                \
        if ((call) < 0) {               \
            r_h5(rd, (name), (action)); \
            goto out;                   \
        }                               \
    } while (0)

/* ---- objects ----------------------------------------------------------- */

static hid_t group_open(h5r *rd, hid_t parent, const char *name)
{
    htri_t ex = H5Lexists(parent, name, H5P_DEFAULT);
    if (ex <= 0) {
        if (ex < 0)
            r_h5(rd, name, "look up group");
        else
            r_bad(rd, name, "group missing");
        return H5I_INVALID_HID;
    }
    hid_t g = H5Gopen2(parent, name, H5P_DEFAULT);
    if (g < 0) r_bad(rd, name, "not a group");
    return g;
}

/* Open dataset `name` and check its rank; dims (rank entries) receive its
 * shape. want_class: H5T_STRING, H5T_INTEGER, or H5T_NO_CLASS for any number. */
static hid_t dataset_open(h5r *rd, hid_t g, const char *name, int rank, int *dims,
                          H5T_class_t want_class)
{
    hid_t d = H5I_INVALID_HID, s = H5I_INVALID_HID, t = H5I_INVALID_HID;
    hsize_t hd[3];
    ES_ASSERT(rank >= 1 && rank <= 3);
    htri_t ex = H5Lexists(g, name, H5P_DEFAULT);
    if (ex <= 0) {
        if (ex < 0)
            r_h5(rd, name, "look up dataset");
        else
            r_bad(rd, name, "dataset missing");
        goto out;
    }
    if ((d = H5Dopen2(g, name, H5P_DEFAULT)) < 0) {
        r_bad(rd, name, "not a dataset");
        goto out;
    }
    TRY(s = H5Dget_space(d), name, "read the shape");
    TRY(t = H5Dget_type(d), name, "read the type");
    H5T_class_t cls = H5Tget_class(t);
    if (want_class == H5T_NO_CLASS ? cls != H5T_FLOAT && cls != H5T_INTEGER : cls != want_class) {
        r_bad(rd, name,
              want_class == H5T_STRING    ? "not a string dataset"
              : want_class == H5T_INTEGER ? "not an integer dataset"
                                          : "not a numeric dataset");
        goto out;
    }
    if (H5Sget_simple_extent_ndims(s) != rank) {
        char why[64];
        snprintf(why, sizeof why, "has %d dimensions, expected %d", H5Sget_simple_extent_ndims(s),
                 rank);
        r_bad(rd, name, why);
        goto out;
    }
    TRY(H5Sget_simple_extent_dims(s, hd, NULL), name, "read the shape");
    for (int i = 0; i < rank; i++) {
        if (hd[i] > ES_H5_MAX_AXIS) {
            r_bad(rd, name, "implausibly large");
            goto out;
        }
        dims[i] = (int)hd[i];
    }
    H5Tclose(t);
    H5Sclose(s);
    return d;
out:
    if (t >= 0) H5Tclose(t);
    if (s >= 0) H5Sclose(s);
    if (d >= 0) H5Dclose(d);
    return H5I_INVALID_HID;
}

/* Does axis `idx` of d have a dimension scale? netCDF readers need one on
 * every axis. (H5DSis_attached would also say which scale, but it follows
 * every back-reference of the scale and fails once any dataset attached to
 * it has been deleted, as `del f[...]` in h5py does; the axis lengths are
 * checked against the scales anyway.) */
static int check_scaled(h5r *rd, hid_t d, const char *name, unsigned idx, const char *scale_name)
{
    if (H5DSget_num_scales(d, idx) > 0) return 0;
    char why[128];
    snprintf(why, sizeof why, "axis %u has no dimension scale (should be '%s')", idx, scale_name);
    r_bad(rd, name, why);
    return -1;
}

/* A 1-D integer dimension scale, read into a new array of `mtype` elements. */
static hid_t scale_read(h5r *rd, hid_t g, const char *name, hid_t mtype, size_t esize, int *n,
                        void **vals)
{
    hid_t d = dataset_open(rd, g, name, 1, n, H5T_INTEGER);
    if (d < 0) return d;
    if (H5DSis_scale(d) <= 0) {
        r_bad(rd, name, "not a dimension scale");
        goto fail;
    }
    void *v = es_calloc((size_t)*n, esize);
    if (!v) {
        r_nomem(rd);
        goto fail;
    }
    if (*n > 0 && H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
        r_h5(rd, name, "read");
        free(v);
        goto fail;
    }
    *vals = v;
    return d;
fail:
    H5Dclose(d);
    return H5I_INVALID_HID;
}

/* ---- attributes ---------------------------------------------------------- */

static hid_t attr_open(h5r *rd, hid_t loc, const char *obj, const char *name, H5T_class_t cls)
{
    hid_t a = H5I_INVALID_HID, t = H5I_INVALID_HID, s = H5I_INVALID_HID;
    char why[128];
    htri_t ex = H5Aexists(loc, name);
    if (ex <= 0) {
        snprintf(why, sizeof why, "attribute '%s' missing", name);
        if (ex < 0)
            r_h5(rd, obj, why);
        else
            r_bad(rd, obj, why);
        return H5I_INVALID_HID;
    }
    TRY(a = H5Aopen(loc, name, H5P_DEFAULT), obj, "open an attribute");
    TRY(t = H5Aget_type(a), obj, "read an attribute type");
    TRY(s = H5Aget_space(a), obj, "read an attribute shape");
    if (H5Tget_class(t) != cls || H5Sget_simple_extent_npoints(s) != 1) {
        snprintf(why, sizeof why, "attribute '%s' is not a single %s", name,
                 cls == H5T_STRING  ? "string"
                 : cls == H5T_FLOAT ? "number"
                                    : "integer");
        r_bad(rd, obj, why);
        goto out;
    }
    H5Sclose(s);
    H5Tclose(t);
    return a;
out:
    if (s >= 0) H5Sclose(s);
    if (t >= 0) H5Tclose(t);
    if (a >= 0) H5Aclose(a);
    return H5I_INVALID_HID;
}

/* A string attribute (variable or fixed length) as a new C string. */
static int attr_str(h5r *rd, hid_t loc, const char *obj, const char *name, char **out)
{
    int rc = -1;
    hid_t a, t = H5I_INVALID_HID, mt = H5I_INVALID_HID;
    char *v = NULL, *copy = NULL;
    if ((a = attr_open(rd, loc, obj, name, H5T_STRING)) < 0) return -1;
    TRY(t = H5Aget_type(a), obj, "read an attribute type");
    TRY(mt = H5Tcopy(H5T_C_S1), obj, "make a string type");
    TRY(H5Tset_cset(mt, H5Tget_cset(t)), obj, "make a string type");
    htri_t var = H5Tis_variable_str(t);
    TRY(var, obj, "read an attribute type");
    if (var) {
        TRY(H5Tset_size(mt, H5T_VARIABLE), obj, "make a string type");
        TRY(H5Aread(a, mt, &v), obj, "read an attribute");
        copy = es_strdup(v ? v : "");
    } else {
        size_t size = H5Tget_size(t);
        TRY(H5Tset_size(mt, size + 1), obj, "make a string type");
        TRY(H5Tset_strpad(mt, H5T_STR_NULLTERM), obj, "make a string type");
        if ((copy = es_calloc(size + 1, 1))) TRY(H5Aread(a, mt, copy), obj, "read an attribute");
    }
    if (!copy) {
        r_nomem(rd);
        goto out;
    }
    *out = copy;
    copy = NULL;
    rc = 0;
out:
    if (v) H5free_memory(v);
    free(copy);
    if (mt >= 0) H5Tclose(mt);
    if (t >= 0) H5Tclose(t);
    H5Aclose(a);
    return rc;
}

static int attr_i64(h5r *rd, hid_t loc, const char *obj, const char *name, int64_t *out)
{
    int rc = -1;
    hid_t a = attr_open(rd, loc, obj, name, H5T_INTEGER);
    if (a < 0) return -1;
    TRY(H5Aread(a, H5T_NATIVE_INT64, out), obj, "read an attribute");
    rc = 0;
out:
    H5Aclose(a);
    return rc;
}

static int attr_f64(h5r *rd, hid_t loc, const char *obj, const char *name, double *out)
{
    int rc = -1;
    hid_t a = attr_open(rd, loc, obj, name, H5T_FLOAT);
    if (a < 0) return -1;
    TRY(H5Aread(a, H5T_NATIVE_DOUBLE, out), obj, "read an attribute");
    rc = 0;
out:
    H5Aclose(a);
    return rc;
}

/* An optional integer attribute: *out keeps its value when it is absent. */
static int attr_i64_opt(h5r *rd, hid_t loc, const char *obj, const char *name, int64_t *out)
{
    htri_t ex = H5Aexists(loc, name);
    if (ex < 0) {
        r_h5(rd, obj, "look up an attribute");
        return -1;
    }
    return ex ? attr_i64(rd, loc, obj, name, out) : 0;
}

/* ---- the groups of one scenario ----------------------------------------- */

typedef enum { PER_MONTH, PER_FISCAL, PER_CALENDAR } es_period;

/* Read the metric datasets of group g (shape n0 x n1 over the axes name0,
 * name1, each with a dimension scale) into data, laid out [n0][metric][n1]. */
static int read_metrics(h5r *rd, hid_t g, int n0, const char *name0, int n1, const char *name1,
                        double *data)
{
    int rc = -1;
    hid_t mspace = H5I_INVALID_HID, d = H5I_INVALID_HID;
    hsize_t mdims[3] = {(hsize_t)n0, ES_N_METRICS, (hsize_t)n1};
    TRY(mspace = H5Screate_simple(3, mdims, NULL), "", "make a memory dataspace");
    for (int m = 0; m < ES_N_METRICS; m++) {
        const char *mn = es_metric_table[m].name;
        int dims[2];
        /* Metrics are added without a layout change, so a missing one most
         * likely means an older writer: say how to get a readable file. */
        if (H5Lexists(g, mn, H5P_DEFAULT) == 0) {
            r_bad(rd, mn,
                  "metric missing (written by an enforcesim without it? run the config again with "
                  "this version)");
            goto out;
        }
        if ((d = dataset_open(rd, g, mn, 2, dims, H5T_NO_CLASS)) < 0) goto out;
        if (dims[0] != n0 || dims[1] != n1) {
            char why[160];
            snprintf(why, sizeof why, "shape %d x %d, expected %d x %d (%s x %s)", dims[0], dims[1],
                     n0, n1, name0, name1);
            r_bad(rd, mn, why);
            goto out;
        }
        if (check_scaled(rd, d, mn, 0, name0) < 0 || check_scaled(rd, d, mn, 1, name1) < 0)
            goto out;
        if (n0 > 0 && n1 > 0) {
            hsize_t start[3] = {0, (hsize_t)m, 0}, count[3] = {(hsize_t)n0, 1, (hsize_t)n1};
            TRY(H5Sselect_hyperslab(mspace, H5S_SELECT_SET, start, NULL, count, NULL), mn,
                "select");
            TRY(H5Dread(d, H5T_NATIVE_DOUBLE, mspace, H5S_ALL, H5P_DEFAULT, data), mn, "read");
        }
        H5Dclose(d);
        d = H5I_INVALID_HID;
    }
    rc = 0;
out:
    if (d >= 0) H5Dclose(d);
    if (mspace >= 0) H5Sclose(mspace);
    return rc;
}

/* Do two int64 or int arrays of equal type hold the same values? */
static int same_axis(h5r *rd, const char *name, int n, const void *a, int n_ref, const void *ref,
                     size_t esize, const char *ref_group)
{
    if (n == n_ref && (n == 0 || memcmp(a, ref, (size_t)n * esize) == 0)) return 0;
    char why[160];
    snprintf(why, sizeof why, "differs from the one in %s", ref_group);
    r_bad(rd, name, why);
    return -1;
}

static int read_per_rep(h5r *rd, hid_t sg, es_scenario_result *s, es_period k)
{
    int rc = -1, n_reps = 0, n = 0;
    size_t where_len = strlen(rd->where);
    const char *gname = k == PER_MONTH    ? ES_H5_MONTHLY
                        : k == PER_FISCAL ? ES_H5_FISCAL
                                          : ES_H5_CALENDAR;
    const char *dim = k == PER_MONTH ? ES_H5_DIM_MONTH : gname;
    hid_t g = H5I_INVALID_HID, rep = H5I_INVALID_HID, per = H5I_INVALID_HID;
    hid_t ms = H5I_INVALID_HID;
    int64_t *reps = NULL;
    int *years = NULL;
    double *data = NULL;

    if ((g = group_open(rd, sg, gname)) < 0) goto out;
    snprintf(rd->where + where_len, sizeof rd->where - where_len, "/%s", gname);
    if ((rep = scale_read(rd, g, ES_H5_DIM_REPLICATION, H5T_NATIVE_INT64, sizeof *reps, &n_reps,
                          (void **)&reps)) < 0)
        goto out;
    if (k == PER_MONTH) {
        int n_ms;
        if ((per = dataset_open(rd, g, ES_H5_DIM_MONTH, 1, &n, H5T_STRING)) < 0) goto out;
        if (H5DSis_scale(per) <= 0) {
            r_bad(rd, ES_H5_DIM_MONTH, "not a dimension scale");
            goto out;
        }
        if ((ms = dataset_open(rd, g, ES_H5_MONTH_START, 1, &n_ms, H5T_INTEGER)) < 0) goto out;
        if (n_ms != n) {
            r_bad(rd, ES_H5_MONTH_START, "length differs from month");
            goto out;
        }
        if (check_scaled(rd, ms, ES_H5_MONTH_START, 0, ES_H5_DIM_MONTH) < 0) goto out;
        if (!(s->month_start = es_calloc((size_t)n, sizeof *s->month_start))) {
            r_nomem(rd);
            goto out;
        }
        if (n > 0)
            TRY(H5Dread(ms, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, s->month_start),
                ES_H5_MONTH_START, "read");
        s->n_reps = n_reps;
        s->replication = reps;
        reps = NULL;
        s->n_months = n;
    } else {
        if ((per = scale_read(rd, g, dim, H5T_NATIVE_INT, sizeof *years, &n, (void **)&years)) < 0)
            goto out;
        if (same_axis(rd, ES_H5_DIM_REPLICATION, n_reps, reps, s->n_reps, s->replication,
                      sizeof *reps, ES_H5_MONTHLY) < 0)
            goto out;
        if (k == PER_FISCAL)
            s->n_fy = n, s->fy = years;
        else
            s->n_cy = n, s->cy = years;
        years = NULL;
    }
    if (!(data = es_calloc((size_t)n_reps * ES_N_METRICS, (size_t)n * sizeof *data))) {
        r_nomem(rd);
        goto out;
    }
    if (read_metrics(rd, g, n_reps, ES_H5_DIM_REPLICATION, n, dim, data) < 0) goto out;
    if (k == PER_MONTH)
        s->monthly = data;
    else if (k == PER_FISCAL)
        s->fiscal = data;
    else
        s->calendar = data;
    data = NULL;
    rc = 0;
out:
    rd->where[where_len] = '\0';
    free(data);
    free(years);
    free(reps);
    if (ms >= 0) H5Dclose(ms);
    if (per >= 0) H5Dclose(per);
    if (rep >= 0) H5Dclose(rep);
    if (g >= 0) H5Gclose(g);
    return rc;
}

/* A statistic scale must hold exactly `want` in order: the arrays are
 * split by position. */
static int check_names(h5r *rd, hid_t d, const char *const *want, int n_want, const char *expect)
{
    int rc = -1, read_ok = 0, n = 0;
    hid_t mt = H5I_INVALID_HID, s = H5I_INVALID_HID, t = H5I_INVALID_HID, dcpl = H5I_INVALID_HID;
    char **names = NULL;
    char why[160];
    TRY(t = H5Dget_type(d), ES_H5_DIM_STATISTIC, "read the type");
    htri_t var = H5Tis_variable_str(t);
    TRY(var, ES_H5_DIM_STATISTIC, "read the type");
    if (!var) {
        r_bad(rd, ES_H5_DIM_STATISTIC, "not variable-length strings");
        goto out;
    }
    /* Only a compact dataset's string references are under a checksum
     * (h5out.c, scale_new): libhdf5 trusts a damaged one in raw data and
     * overflows a buffer reading it. */
    TRY(dcpl = H5Dget_create_plist(d), ES_H5_DIM_STATISTIC, "read the storage layout");
    H5D_layout_t lay = H5Pget_layout(dcpl);
    TRY(lay, ES_H5_DIM_STATISTIC, "read the storage layout");
    if (lay != H5D_COMPACT) {
        r_bad(rd, ES_H5_DIM_STATISTIC, "not stored compactly (written by another program?)");
        goto out;
    }
    TRY(mt = H5Tcopy(H5T_C_S1), ES_H5_DIM_STATISTIC, "make a string type");
    TRY(H5Tset_size(mt, H5T_VARIABLE), ES_H5_DIM_STATISTIC, "make a string type");
    TRY(H5Tset_cset(mt, H5Tget_cset(t)), ES_H5_DIM_STATISTIC, "make a string type");
    TRY(s = H5Dget_space(d), ES_H5_DIM_STATISTIC, "read the shape");
    hssize_t np = H5Sget_simple_extent_npoints(s);
    TRY(np, ES_H5_DIM_STATISTIC, "read the shape");
    n = (int)np;
    snprintf(why, sizeof why, "must be %s in this order", expect);
    if (n != n_want) {
        r_bad(rd, ES_H5_DIM_STATISTIC, why);
        goto out;
    }
    if (!(names = es_calloc((size_t)n, sizeof *names))) {
        r_nomem(rd);
        goto out;
    }
    TRY(H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, names), ES_H5_DIM_STATISTIC, "read");
    read_ok = 1;
    for (int i = 0; i < n; i++)
        if (!names[i] || strcmp(names[i], want[i]) != 0) {
            r_bad(rd, ES_H5_DIM_STATISTIC, why);
            goto out;
        }
    rc = 0;
out:
    if (read_ok) H5Dvlen_reclaim(mt, s, H5P_DEFAULT, names);
    free(names);
    if (s >= 0) H5Sclose(s);
    if (mt >= 0) H5Tclose(mt);
    if (t >= 0) H5Tclose(t);
    if (dcpl >= 0) H5Pclose(dcpl);
    return rc;
}

static int read_summary(h5r *rd, hid_t sg, es_scenario_result *s, int fiscal)
{
    int rc = -1, n_stat = 0, n = 0;
    size_t where_len = strlen(rd->where);
    const char *gname = fiscal ? ES_H5_SUMMARY_FISCAL : ES_H5_SUMMARY_CALENDAR;
    const char *dim = fiscal ? ES_H5_FISCAL : ES_H5_CALENDAR;
    es_summary *sum = fiscal ? &s->fy_sum : &s->cy_sum;
    hid_t g = H5I_INVALID_HID, stat = H5I_INVALID_HID, per = H5I_INVALID_HID;
    int *years = NULL;
    int64_t n_reps = -1;
    double *data = NULL;

    if ((g = group_open(rd, sg, gname)) < 0) goto out;
    snprintf(rd->where + where_len, sizeof rd->where - where_len, "/%s", gname);
    if (attr_i64(rd, g, "", "n_replications", &n_reps) < 0) goto out;
    if (n_reps != s->n_reps) {
        r_bad(rd, "", "attribute n_replications differs from the replication axis");
        goto out;
    }
    if ((stat = dataset_open(rd, g, ES_H5_DIM_STATISTIC, 1, &n_stat, H5T_STRING)) < 0) goto out;
    if (n_stat != ES_H5_N_STATS || H5DSis_scale(stat) <= 0) {
        r_bad(rd, ES_H5_DIM_STATISTIC, "must be a dimension scale of 4 statistics");
        goto out;
    }
    static const char *const want[ES_H5_N_STATS] = ES_H5_STAT_NAMES;
    if (check_names(rd, stat, want, ES_H5_N_STATS, "mean, sd, ci_low, ci_high") < 0) goto out;
    if ((per = scale_read(rd, g, dim, H5T_NATIVE_INT, sizeof *years, &n, (void **)&years)) < 0)
        goto out;
    if (same_axis(rd, dim, n, years, fiscal ? s->n_fy : s->n_cy, fiscal ? s->fy : s->cy,
                  sizeof *years, dim) < 0)
        goto out;
    /* Read as [statistic][metric][year], then split into the four arrays. */
    size_t per_stat = (size_t)ES_N_METRICS * (size_t)n;
    if (!(data = es_calloc(ES_H5_N_STATS * per_stat, sizeof *data))) {
        r_nomem(rd);
        goto out;
    }
    if (read_metrics(rd, g, ES_H5_N_STATS, ES_H5_DIM_STATISTIC, n, dim, data) < 0) goto out;
    double **dst[ES_H5_N_STATS] = {&sum->mean, &sum->sd, &sum->lo, &sum->hi};
    for (int i = 0; i < ES_H5_N_STATS; i++) {
        if (!(*dst[i] = es_calloc(per_stat, sizeof *data))) {
            r_nomem(rd);
            goto out;
        }
        if (per_stat) memcpy(*dst[i], data + i * per_stat, per_stat * sizeof *data);
    }
    rc = 0;
out:
    rd->where[where_len] = '\0';
    free(data);
    free(years);
    if (per >= 0) H5Dclose(per);
    if (stat >= 0) H5Dclose(stat);
    if (g >= 0) H5Gclose(g);
    return rc;
}

static int read_scenario(h5r *rd, hid_t parent, const char *name, es_scenario_result *s)
{
    int rc = -1;
    int64_t n_reps;
    hid_t g = H5I_INVALID_HID;
    if (!(s->name = es_strdup(name))) {
        r_nomem(rd);
        goto out;
    }
    snprintf(rd->where, sizeof rd->where, "/%s", ES_H5_SCENARIOS);
    if ((g = group_open(rd, parent, name)) < 0) goto out;
    snprintf(rd->where, sizeof rd->where, "/%s/%s", ES_H5_SCENARIOS, name);
    if (attr_i64(rd, g, "", "n_replications", &n_reps) < 0) goto out;
    htri_t has_config = H5Aexists(g, "config");
    TRY(has_config, "", "look up an attribute");
    if (has_config && attr_str(rd, g, "", "config", &s->config) < 0) goto out;
    if (read_per_rep(rd, g, s, PER_MONTH) < 0 || read_per_rep(rd, g, s, PER_FISCAL) < 0 ||
        read_per_rep(rd, g, s, PER_CALENDAR) < 0 || read_summary(rd, g, s, 1) < 0 ||
        read_summary(rd, g, s, 0) < 0)
        goto out;
    if (n_reps != s->n_reps) {
        r_bad(rd, "", "attribute n_replications differs from the replication axis");
        goto out;
    }
    rc = 0;
out:
    if (g >= 0) H5Gclose(g);
    return rc;
}

static int read_scenarios(h5r *rd, hid_t f, es_run_result *res)
{
    int rc = -1;
    hid_t g = H5I_INVALID_HID;
    char *name = NULL;
    H5G_info_t info;
    H5_index_t idx = H5_INDEX_CRT_ORDER;

    snprintf(rd->where, sizeof rd->where, "%s", "");
    if ((g = group_open(rd, f, ES_H5_SCENARIOS)) < 0) goto out;
    TRY(H5Gget_info(g, &info), ES_H5_SCENARIOS, "list the scenarios");
    if (info.nlinks > 100000) {
        r_bad(rd, ES_H5_SCENARIOS, "implausibly many scenarios");
        goto out;
    }
    if (!(res->scenarios = es_calloc(info.nlinks, sizeof *res->scenarios))) {
        r_nomem(rd);
        goto out;
    }
    res->n_scenarios = (int)info.nlinks;
    /* Configuration order is the creation order; a file rewritten by a tool
     * that dropped creation-order tracking still reads, in name order. */
    if (info.nlinks > 0 &&
        H5Lget_name_by_idx(g, ".", idx, H5_ITER_INC, 0, NULL, 0, H5P_DEFAULT) < 0)
        idx = H5_INDEX_NAME;
    for (hsize_t i = 0; i < info.nlinks; i++) {
        ssize_t len;
        TRY(len = H5Lget_name_by_idx(g, ".", idx, H5_ITER_INC, i, NULL, 0, H5P_DEFAULT),
            ES_H5_SCENARIOS, "list the scenarios");
        if (!(name = es_malloc((size_t)len + 1))) {
            r_nomem(rd);
            goto out;
        }
        TRY(H5Lget_name_by_idx(g, ".", idx, H5_ITER_INC, i, name, (size_t)len + 1, H5P_DEFAULT),
            ES_H5_SCENARIOS, "list the scenarios");
        if (read_scenario(rd, g, name, &res->scenarios[i]) < 0) goto out;
        free(name);
        name = NULL;
    }
    rc = 0;
out:
    free(name);
    if (g >= 0) H5Gclose(g);
    return rc;
}

/* One period group of a comparison into c (fiscal or calendar). */
static int read_cmp_period(h5r *rd, hid_t pg, es_comparison_result *c,
                           const es_scenario_result *base, int fiscal)
{
    int rc = -1, n_stat = 0, n = 0;
    size_t where_len = strlen(rd->where);
    const char *gname = fiscal ? ES_H5_FISCAL : ES_H5_CALENDAR;
    hid_t g = H5I_INVALID_HID, stat = H5I_INVALID_HID, per = H5I_INVALID_HID;
    int *years = NULL;
    double *data = NULL, *dst = NULL;

    if ((g = group_open(rd, pg, gname)) < 0) goto out;
    snprintf(rd->where + where_len, sizeof rd->where - where_len, "/%s", gname);
    if ((stat = dataset_open(rd, g, ES_H5_DIM_STATISTIC, 1, &n_stat, H5T_STRING)) < 0) goto out;
    if (H5DSis_scale(stat) <= 0) {
        r_bad(rd, ES_H5_DIM_STATISTIC, "not a dimension scale");
        goto out;
    }
    if (check_names(rd, stat, es_cmp_stat_names, ES_CMP_N_STATS,
                    "the statistics of this enforcesim's compare") < 0)
        goto out;
    if ((per = scale_read(rd, g, gname, H5T_NATIVE_INT, sizeof *years, &n, (void **)&years)) < 0)
        goto out;
    /* Comparisons pair periods of the two scenarios: the same years. */
    if (same_axis(rd, gname, n, years, fiscal ? base->n_fy : base->n_cy,
                  fiscal ? base->fy : base->cy, sizeof *years, "the base scenario") < 0)
        goto out;
    size_t per_metric = (size_t)ES_CMP_N_STATS * (size_t)n;
    data = es_calloc((size_t)ES_N_METRICS * per_metric, sizeof *data);
    dst = es_calloc((size_t)ES_N_METRICS * per_metric, sizeof *dst);
    if (!data || !dst) {
        r_nomem(rd);
        goto out;
    }
    if (read_metrics(rd, g, ES_CMP_N_STATS, ES_H5_DIM_STATISTIC, n, gname, data) < 0) goto out;
    /* Read as [stat][metric][year]; kept as [metric][stat][year]. */
    for (int i = 0; i < ES_CMP_N_STATS; i++)
        for (int m = 0; m < ES_N_METRICS; m++)
            for (int k = 0; k < n; k++)
                dst[((size_t)m * ES_CMP_N_STATS + (size_t)i) * (size_t)n + (size_t)k] =
                    data[((size_t)i * ES_N_METRICS + (size_t)m) * (size_t)n + (size_t)k];
    if (fiscal)
        c->n_fy = n, c->fy = years, c->fiscal = dst;
    else
        c->n_cy = n, c->cy = years, c->calendar = dst;
    years = NULL;
    dst = NULL;
    rc = 0;
out:
    rd->where[where_len] = '\0';
    free(dst);
    free(data);
    free(years);
    if (per >= 0) H5Dclose(per);
    if (stat >= 0) H5Dclose(stat);
    if (g >= 0) H5Gclose(g);
    return rc;
}

static const es_scenario_result *scenario_named(const es_run_result *res, const char *name)
{
    for (int i = 0; i < res->n_scenarios; i++)
        if (!strcmp(res->scenarios[i].name, name)) return &res->scenarios[i];
    return NULL;
}

static int read_comparison(h5r *rd, hid_t parent, const char *name, const es_run_result *res,
                           es_comparison_result *c)
{
    int rc = -1;
    int64_t n_reps = -1;
    hid_t g = H5I_INVALID_HID;
    snprintf(rd->where, sizeof rd->where, "/%s", ES_H5_COMPARISONS);
    if ((g = group_open(rd, parent, name)) < 0) goto out;
    snprintf(rd->where, sizeof rd->where, "/%s/%s", ES_H5_COMPARISONS, name);
    if (attr_str(rd, g, "", "base", &c->base) < 0 || attr_str(rd, g, "", "alt", &c->alt) < 0 ||
        attr_i64(rd, g, "", "n_replications", &n_reps) < 0 ||
        attr_f64(rd, g, "", "target_relative_half_width", &c->target_rel) < 0)
        goto out;
    const es_scenario_result *a = scenario_named(res, c->base), *b = scenario_named(res, c->alt);
    if (!a || !b) {
        r_bad(rd, "", "names a scenario that is not in /scenarios");
        goto out;
    }
    if (n_reps != a->n_reps || n_reps != b->n_reps) {
        r_bad(rd, "", "attribute n_replications differs from the scenarios'");
        goto out;
    }
    c->n_reps = (int)n_reps;
    if (read_cmp_period(rd, g, c, a, 1) < 0 || read_cmp_period(rd, g, c, a, 0) < 0) goto out;
    rc = 0;
out:
    if (g >= 0) H5Gclose(g);
    return rc;
}

/* /comparisons is optional: files from before it existed have none. */
static int read_comparisons(h5r *rd, hid_t f, es_run_result *res)
{
    int rc = -1;
    hid_t g = H5I_INVALID_HID;
    char *name = NULL;
    H5G_info_t info;
    H5_index_t idx = H5_INDEX_CRT_ORDER;

    snprintf(rd->where, sizeof rd->where, "%s", "");
    htri_t ex = H5Lexists(f, ES_H5_COMPARISONS, H5P_DEFAULT);
    TRY(ex, ES_H5_COMPARISONS, "look up group");
    if (!ex) return 0;
    if ((g = group_open(rd, f, ES_H5_COMPARISONS)) < 0) goto out;
    TRY(H5Gget_info(g, &info), ES_H5_COMPARISONS, "list the comparisons");
    if (info.nlinks > 100000) {
        r_bad(rd, ES_H5_COMPARISONS, "implausibly many comparisons");
        goto out;
    }
    if (info.nlinks > 0 && !(res->comparisons = es_calloc(info.nlinks, sizeof *res->comparisons))) {
        r_nomem(rd);
        goto out;
    }
    res->n_comparisons = (int)info.nlinks;
    if (info.nlinks > 0 &&
        H5Lget_name_by_idx(g, ".", idx, H5_ITER_INC, 0, NULL, 0, H5P_DEFAULT) < 0)
        idx = H5_INDEX_NAME;
    for (hsize_t i = 0; i < info.nlinks; i++) {
        ssize_t len;
        TRY(len = H5Lget_name_by_idx(g, ".", idx, H5_ITER_INC, i, NULL, 0, H5P_DEFAULT),
            ES_H5_COMPARISONS, "list the comparisons");
        if (!(name = es_malloc((size_t)len + 1))) {
            r_nomem(rd);
            goto out;
        }
        TRY(H5Lget_name_by_idx(g, ".", idx, H5_ITER_INC, i, name, (size_t)len + 1, H5P_DEFAULT),
            ES_H5_COMPARISONS, "list the comparisons");
        if (read_comparison(rd, g, name, res, &res->comparisons[i]) < 0) goto out;
        free(name);
        name = NULL;
    }
    rc = 0;
out:
    free(name);
    if (g >= 0) H5Gclose(g);
    return rc;
}

/* An array attribute of class cls with `rank` dimensions; its dimensions
 * in dims. The caller closes it. */
static hid_t attr_array(h5r *rd, hid_t loc, const char *name, H5T_class_t cls, int rank,
                        hsize_t *dims)
{
    hid_t a = H5I_INVALID_HID, t = H5I_INVALID_HID, s = H5I_INVALID_HID;
    char why[160];
    TRY(a = H5Aopen(loc, name, H5P_DEFAULT), name, "open an attribute");
    TRY(t = H5Aget_type(a), name, "read an attribute type");
    TRY(s = H5Aget_space(a), name, "read an attribute shape");
    if (H5Tget_class(t) != cls || H5Sget_simple_extent_ndims(s) != rank ||
        H5Sget_simple_extent_dims(s, dims, NULL) != rank || dims[0] > INT_MAX ||
        (rank == 2 && dims[1] != 2)) {
        snprintf(why, sizeof why, "attribute '%s' is not a %s array of the shard layout", name,
                 cls == H5T_STRING ? "string" : "(n, 2) integer");
        r_bad(rd, "", why);
        goto out;
    }
    H5Sclose(s);
    H5Tclose(t);
    return a;
out:
    if (s >= 0) H5Sclose(s);
    if (t >= 0) H5Tclose(t);
    if (a >= 0) H5Aclose(a);
    return H5I_INVALID_HID;
}

/* A shard's attributes and unit list (h5out.h), when the file is a shard.
 * `complete` is optional here: merge reports a shard without it. */
static int read_shard(h5r *rd, hid_t f, int64_t layout, es_shard_info *sh)
{
    int rc = -1, n = 0, n_names = 0;
    int64_t idx = 0, count = 0, complete = 0;
    hid_t d = H5I_INVALID_HID, a = H5I_INVALID_HID, mt = H5I_INVALID_HID;
    hsize_t dims[2] = {0, 0};
    char **names = NULL;
    htri_t is_shard = H5Aexists(f, ES_H5_SHARD_COUNT), has_pairs;
    snprintf(rd->where, sizeof rd->where, "%s", "");
    TRY(is_shard, "", "look up an attribute");
    if (!is_shard) return 0;
    if (layout < 3) {
        r_msg(rd, ES_ERR_INPUT,
              "a shard of layout version %lld (comma-joined shard lists); run that shard again "
              "with this version",
              (long long)layout);
        return -1;
    }
    if (attr_i64(rd, f, "", ES_H5_SHARD_INDEX, &idx) < 0 ||
        attr_i64(rd, f, "", ES_H5_SHARD_COUNT, &count) < 0 ||
        attr_i64(rd, f, "", ES_H5_SHARD_N_UNITS, &sh->n_units) < 0 ||
        attr_i64_opt(rd, f, "", ES_H5_SHARD_COMPLETE, &complete) < 0)
        goto out;
    if ((a = attr_open(rd, f, "", ES_H5_SHARD_HASH, H5T_INTEGER)) < 0) goto out;
    TRY(H5Aread(a, H5T_NATIVE_UINT64, &sh->config_hash), ES_H5_SHARD_HASH, "read an attribute");
    H5Aclose(a);
    a = H5I_INVALID_HID;
    if (count < 1 || count > INT_MAX || idx < 0 || idx >= count || sh->n_units < 1) {
        r_bad(rd, "", "shard_index, shard_count or n_units out of range");
        goto out;
    }
    sh->index = (int)idx;
    sh->count = (int)count;
    sh->complete = complete == 1;

    /* The scenario names: variable-length strings, read into HDF5's memory
     * and copied. */
    if ((a = attr_array(rd, f, ES_H5_SHARD_SCENARIOS, H5T_STRING, 1, dims)) < 0) goto out;
    if (dims[0] < 1) {
        r_bad(rd, "", "shard_scenarios is empty");
        goto out;
    }
    TRY(mt = H5Tcopy(H5T_C_S1), ES_H5_SHARD_SCENARIOS, "make a string type");
    TRY(H5Tset_size(mt, H5T_VARIABLE), ES_H5_SHARD_SCENARIOS, "make a string type");
    TRY(H5Tset_cset(mt, H5T_CSET_UTF8), ES_H5_SHARD_SCENARIOS, "make a string type");
    hid_t ft = H5Aget_type(a);
    htri_t isvar = ft >= 0 ? H5Tis_variable_str(ft) : -1;
    if (ft >= 0) H5Tclose(ft);
    if (isvar <= 0) {
        r_bad(rd, "", "shard_scenarios is not an array of variable-length strings");
        goto out;
    }
    if (!(names = es_calloc((size_t)dims[0], sizeof *names)) ||
        !(sh->scenarios = es_calloc((size_t)dims[0], sizeof *sh->scenarios))) {
        r_nomem(rd);
        goto out;
    }
    TRY(H5Aread(a, mt, names), ES_H5_SHARD_SCENARIOS, "read an attribute");
    n_names = (int)dims[0];
    sh->n_scenarios = n_names;
    for (int i = 0; i < sh->n_scenarios; i++)
        if (!(sh->scenarios[i] = es_strdup(names[i] ? names[i] : ""))) {
            r_nomem(rd);
            goto out;
        }
    H5Aclose(a);
    a = H5I_INVALID_HID;

    has_pairs = H5Aexists(f, ES_H5_SHARD_COMPARISONS);
    TRY(has_pairs, "", "look up an attribute");
    if (has_pairs) {
        if ((a = attr_array(rd, f, ES_H5_SHARD_COMPARISONS, H5T_INTEGER, 2, dims)) < 0) goto out;
        if (!(sh->comparisons = es_calloc(2 * (size_t)dims[0] + 1, sizeof *sh->comparisons))) {
            r_nomem(rd);
            goto out;
        }
        TRY(H5Aread(a, H5T_NATIVE_INT, sh->comparisons), ES_H5_SHARD_COMPARISONS,
            "read an attribute");
        sh->n_comparisons = (int)dims[0];
    } else if (!(sh->comparisons = es_calloc(1, sizeof *sh->comparisons))) {
        r_nomem(rd);
        goto out;
    }

    if ((d = dataset_open(rd, f, ES_H5_SHARD_UNITS, 1, &n, H5T_INTEGER)) < 0) goto out;
    if (!(sh->units = es_calloc(n > 0 ? (size_t)n : 1, sizeof *sh->units))) {
        r_nomem(rd);
        goto out;
    }
    sh->n_held = n;
    if (n > 0)
        TRY(H5Dread(d, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, sh->units),
            ES_H5_SHARD_UNITS, "read");
    rc = 0;
out:
    for (int i = 0; i < n_names; i++)
        if (names[i]) H5free_memory(names[i]);
    free(names);
    if (mt >= 0) H5Tclose(mt);
    if (a >= 0) H5Aclose(a);
    if (d >= 0) H5Dclose(d);
    return rc;
}

/* ---- sweeps: /design and /sweep ------------------------------------------ */

/* The names of a group's links in creation order (name order for a file
 * rewritten without it); *names malloc'd, each entry malloc'd. */
static int link_names(h5r *rd, hid_t g, const char *gname, char ***names, int *n)
{
    H5G_info_t info;
    H5_index_t idx = H5_INDEX_CRT_ORDER;
    TRY(H5Gget_info(g, &info), gname, "list the group");
    if (info.nlinks > 100000) {
        r_bad(rd, gname, "implausibly many members");
        goto out;
    }
    if (!(*names = es_calloc(info.nlinks + 1, sizeof **names))) {
        r_nomem(rd);
        goto out;
    }
    *n = (int)info.nlinks;
    if (info.nlinks > 0 &&
        H5Lget_name_by_idx(g, ".", idx, H5_ITER_INC, 0, NULL, 0, H5P_DEFAULT) < 0)
        idx = H5_INDEX_NAME;
    for (hsize_t i = 0; i < info.nlinks; i++) {
        ssize_t len;
        TRY(len = H5Lget_name_by_idx(g, ".", idx, H5_ITER_INC, i, NULL, 0, H5P_DEFAULT), gname,
            "list the group");
        if (!((*names)[i] = es_malloc((size_t)len + 1))) {
            r_nomem(rd);
            goto out;
        }
        TRY(H5Lget_name_by_idx(g, ".", idx, H5_ITER_INC, i, (*names)[i], (size_t)len + 1,
                               H5P_DEFAULT),
            gname, "list the group");
    }
    return 0;
out:
    return -1;
}

static void free_names(char **names, int n)
{
    for (int i = 0; names && i < n; i++) free(names[i]);
    free(names);
}

/* A 1-D float column over `point` into col[n]. */
static int read_column(h5r *rd, hid_t g, const char *name, int n, double *col)
{
    int dims[1];
    hid_t d = dataset_open(rd, g, name, 1, dims, H5T_NO_CLASS);
    int rc = -1;
    if (d < 0) return -1;
    if (dims[0] != n) {
        r_bad(rd, name, "length differs from the point axis");
        goto out;
    }
    if (check_scaled(rd, d, name, 0, ES_H5_DIM_POINT) < 0) goto out;
    if (n > 0) TRY(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, col), name, "read");
    rc = 0;
out:
    H5Dclose(d);
    return rc;
}

static int read_design(h5r *rd, hid_t f, es_design_result *ds)
{
    int rc = -1, n = 0, n_links = 0;
    int64_t points = 0;
    hid_t g = H5I_INVALID_HID, pt = H5I_INVALID_HID;
    int64_t *idx = NULL;
    char **links = NULL;
    snprintf(rd->where, sizeof rd->where, "/%s", ES_H5_DESIGN);
    if ((g = group_open(rd, f, ES_H5_DESIGN)) < 0) goto out;
    if (attr_str(rd, g, "", "design", &ds->kind) < 0 || attr_i64(rd, g, "", "points", &points) < 0)
        goto out;
    if ((pt = scale_read(rd, g, ES_H5_DIM_POINT, H5T_NATIVE_INT64, sizeof *idx, &n,
                         (void **)&idx)) < 0)
        goto out;
    if (n < 1) {
        r_bad(rd, ES_H5_DIM_POINT, "no design points");
        goto out;
    }
    ds->points_setting = points < 0 || points > INT_MAX ? 0 : (int)points;
    ds->n_points = n;
    if (link_names(rd, g, ES_H5_DESIGN, &links, &n_links) < 0) goto out;
    if (!(ds->names = es_calloc((size_t)n_links + 1, sizeof *ds->names)) ||
        !(ds->x = es_calloc((size_t)n * (size_t)(n_links + 1), sizeof *ds->x))) {
        r_nomem(rd);
        goto out;
    }
    double *col = es_calloc((size_t)n, sizeof *col);
    if (!col) {
        r_nomem(rd);
        goto out;
    }
    for (int i = 0; i < n_links; i++) {
        if (!strcmp(links[i], ES_H5_DIM_POINT)) continue;
        int j = ds->n_params;
        if (read_column(rd, g, links[i], n, col) < 0) {
            free(col);
            goto out;
        }
        ds->names[j] = links[i];
        links[i] = NULL;
        ds->n_params++;
        for (int k = 0; k < n; k++) ds->x[(size_t)k * (size_t)(n_links) + (size_t)j] = col[k];
    }
    free(col);
    /* Rows were laid out with n_links columns; close the gaps. */
    for (int k = 0; k < n; k++)
        memmove(ds->x + (size_t)k * (size_t)ds->n_params, ds->x + (size_t)k * (size_t)n_links,
                (size_t)ds->n_params * sizeof *ds->x);
    rc = 0;
out:
    free_names(links, n_links);
    free(idx);
    if (pt >= 0) H5Dclose(pt);
    if (g >= 0) H5Gclose(g);
    return rc;
}

/* /parameters (parameter uncertainty), when the file has it: each
 * variable over replication, with its distribution. */
static int read_draws(h5r *rd, hid_t f, es_design_result *ds)
{
    int rc = -1, n = 0, n_links = 0;
    hid_t g = H5I_INVALID_HID, rp = H5I_INVALID_HID, d = H5I_INVALID_HID;
    int64_t *idx = NULL;
    char **links = NULL, *dist = NULL;
    double *col = NULL;
    htri_t ex = H5Lexists(f, ES_H5_PARAMETERS, H5P_DEFAULT);
    snprintf(rd->where, sizeof rd->where, "%s", "");
    TRY(ex, ES_H5_PARAMETERS, "look up");
    if (!ex) return 0;
    snprintf(rd->where, sizeof rd->where, "/%s", ES_H5_PARAMETERS);
    if ((g = group_open(rd, f, ES_H5_PARAMETERS)) < 0) goto out;
    if ((rp = scale_read(rd, g, ES_H5_DIM_REPLICATION, H5T_NATIVE_INT64, sizeof *idx, &n,
                         (void **)&idx)) < 0)
        goto out;
    if (link_names(rd, g, ES_H5_PARAMETERS, &links, &n_links) < 0) goto out;
    if (!(ds->names = es_calloc((size_t)n_links + 1, sizeof *ds->names)) ||
        !(ds->dists = es_calloc((size_t)n_links + 1, sizeof *ds->dists)) ||
        !(ds->x = es_calloc((size_t)(n ? n : 1) * (size_t)(n_links + 1), sizeof *ds->x))) {
        r_nomem(rd);
        goto out;
    }
    ds->n_points = n;
    int k = 0;
    for (int i = 0; i < n_links; i++)
        if (strcmp(links[i], ES_H5_DIM_REPLICATION)) k++;
    const int np = k;
    k = 0;
    for (int i = 0; i < n_links; i++) {
        if (!strcmp(links[i], ES_H5_DIM_REPLICATION)) continue;
        int dims[1];
        if ((d = dataset_open(rd, g, links[i], 1, dims, H5T_NO_CLASS)) < 0) goto out;
        if (dims[0] != n) {
            r_bad(rd, links[i], "length differs from the replication axis");
            goto out;
        }
        if (check_scaled(rd, d, links[i], 0, ES_H5_DIM_REPLICATION) < 0 ||
            attr_str(rd, d, links[i], "distribution", &dist) < 0)
            goto out;
        /* Read as a column, then spread into row-major [replication][param]. */
        if (!(col = es_calloc((size_t)(n ? n : 1), sizeof *col))) {
            r_nomem(rd);
            goto out;
        }
        if (n > 0 && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, col) < 0) {
            r_h5(rd, links[i], "read");
            goto out;
        }
        for (int r = 0; r < n; r++) ds->x[(size_t)r * (size_t)np + (size_t)k] = col[r];
        free(col);
        col = NULL;
        H5Dclose(d);
        d = H5I_INVALID_HID;
        ds->names[k] = links[i];
        ds->dists[k] = dist;
        links[i] = NULL;
        dist = NULL;
        ds->n_params = ++k;
    }
    rc = 0;
out:
    free(dist);
    free(col);
    free_names(links, n_links);
    free(idx);
    if (d >= 0) H5Dclose(d);
    if (rp >= 0) H5Dclose(rp);
    if (g >= 0) H5Gclose(g);
    return rc;
}

/* Every metric of g, each of shape dims (rank 2 or 3), into
 * data[metric][elements]. */
static int read_blocks(h5r *rd, hid_t g, int rank, const int *dims, const char *const *axes,
                       double *data)
{
    size_t per = 1;
    for (int i = 0; i < rank; i++) per *= (size_t)dims[i];
    for (int m = 0; m < ES_N_METRICS; m++) {
        const char *mn = es_metric_table[m].name;
        int got[3];
        hid_t d = dataset_open(rd, g, mn, rank, got, H5T_NO_CLASS);
        if (d < 0) return -1;
        for (int i = 0; i < rank; i++)
            if (got[i] != dims[i] || check_scaled(rd, d, mn, (unsigned)i, axes[i]) < 0) {
                if (got[i] != dims[i]) r_bad(rd, mn, "shape differs from the group's axes");
                H5Dclose(d);
                return -1;
            }
        if (per > 0 && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                               data + (size_t)m * per) < 0) {
            r_h5(rd, mn, "read");
            H5Dclose(d);
            return -1;
        }
        H5Dclose(d);
    }
    return 0;
}

/* fiscal_year/ or calendar_year/ of a sweep scenario, either layout. */
static int read_sweep_years(h5r *rd, hid_t sg, es_sweep_result *s, int fiscal, int P, int R)
{
    int rc = -1, n = 0, n_rows = 0;
    size_t where_len = strlen(rd->where);
    const char *gname = fiscal ? ES_H5_FISCAL : ES_H5_CALENDAR;
    hid_t g = H5I_INVALID_HID, per = H5I_INVALID_HID, un = H5I_INVALID_HID;
    int *years = NULL;
    int64_t *units = NULL;
    if ((g = group_open(rd, sg, gname)) < 0) goto out;
    snprintf(rd->where + where_len, sizeof rd->where - where_len, "/%s", gname);
    if ((per = scale_read(rd, g, gname, H5T_NATIVE_INT, sizeof(int), &n, (void **)&years)) < 0)
        goto out;
    htri_t shard = H5Lexists(g, ES_H5_DIM_UNIT, H5P_DEFAULT);
    TRY(shard, ES_H5_DIM_UNIT, "look up");
    if (shard) {
        if ((un = scale_read(rd, g, ES_H5_DIM_UNIT, H5T_NATIVE_INT64, sizeof *units, &n_rows,
                             (void **)&units)) < 0)
            goto out;
    } else {
        if ((int64_t)P * R > ES_H5_MAX_AXIS) {
            r_bad(rd, gname, "implausibly many points x replications");
            goto out;
        }
        n_rows = P * R;
    }
    if (fiscal) {
        s->n_fy = n, s->fy = years, years = NULL;
        s->n_rows = n_rows;
        if (shard) s->unit = units, units = NULL;
    } else {
        if (n_rows != s->n_rows ||
            (shard && memcmp(units, s->unit, (size_t)n_rows * sizeof *units))) {
            r_bad(rd, gname, "its rows differ from fiscal_year's");
            goto out;
        }
        s->n_cy = n, s->cy = years, years = NULL;
    }
    double *data = es_calloc((size_t)ES_N_METRICS * (size_t)n_rows * (size_t)n + 1, sizeof *data);
    if (!data) {
        r_nomem(rd);
        goto out;
    }
    if (fiscal)
        s->fiscal = data;
    else
        s->calendar = data;
    const char *axes3[3] = {ES_H5_DIM_POINT, ES_H5_DIM_REPLICATION, gname},
               *axes2[2] = {ES_H5_DIM_UNIT, gname};
    int d3[3] = {P, R, n}, d2[2] = {n_rows, n};
    if (read_blocks(rd, g, shard ? 2 : 3, shard ? d2 : d3, shard ? axes2 : axes3, data) < 0)
        goto out;
    rc = 0;
out:
    rd->where[where_len] = '\0';
    free(years);
    free(units);
    if (un >= 0) H5Dclose(un);
    if (per >= 0) H5Dclose(per);
    if (g >= 0) H5Gclose(g);
    return rc;
}

static int read_sweep_summary(h5r *rd, hid_t sg, es_sweep_result *s, int fiscal)
{
    const char *gname = fiscal ? ES_H5_SUMMARY_FISCAL : ES_H5_SUMMARY_CALENDAR;
    const char *yname = fiscal ? ES_H5_FISCAL : ES_H5_CALENDAR;
    const int n = fiscal ? s->n_fy : s->n_cy;
    hid_t g = group_open(rd, sg, gname);
    if (g < 0) return -1;
    double *data =
        es_calloc((size_t)ES_N_METRICS * (size_t)s->n_points * ES_SWEEP_N_STATS * (size_t)n + 1,
                  sizeof *data);
    if (!data) {
        r_nomem(rd);
        H5Gclose(g);
        return -1;
    }
    if (fiscal)
        s->fy_sum = data;
    else
        s->cy_sum = data;
    const char *axes[3] = {ES_H5_DIM_POINT, ES_H5_DIM_STATISTIC, yname};
    int dims[3] = {s->n_points, ES_SWEEP_N_STATS, n};
    int rc = read_blocks(rd, g, 3, dims, axes, data);
    H5Gclose(g);
    return rc;
}

static int read_sweep(h5r *rd, hid_t f, es_run_result *res)
{
    int rc = -1, n = 0;
    hid_t g = H5I_INVALID_HID, sg = H5I_INVALID_HID;
    char **names = NULL;
    htri_t ex = H5Lexists(f, ES_H5_SWEEP, H5P_DEFAULT);
    snprintf(rd->where, sizeof rd->where, "%s", "");
    TRY(ex, ES_H5_SWEEP, "look up");
    if (!ex) return 0;
    if (read_design(rd, f, &res->design) < 0) goto out;
    snprintf(rd->where, sizeof rd->where, "%s", "");
    if ((g = group_open(rd, f, ES_H5_SWEEP)) < 0 || link_names(rd, g, ES_H5_SWEEP, &names, &n) < 0)
        goto out;
    if (!(res->sweep = es_calloc((size_t)n + 1, sizeof *res->sweep))) {
        r_nomem(rd);
        goto out;
    }
    res->n_sweep = n;
    for (int i = 0; i < n; i++) {
        es_sweep_result *s = &res->sweep[i];
        int64_t np = 0, nr = 0;
        snprintf(rd->where, sizeof rd->where, "/%s/%s", ES_H5_SWEEP, names[i]);
        if ((sg = group_open(rd, g, names[i])) < 0) goto out;
        s->name = names[i];
        names[i] = NULL;
        if (attr_i64(rd, sg, "", "n_points", &np) < 0 ||
            attr_i64(rd, sg, "", "n_replications", &nr) < 0)
            goto out;
        if (np != res->design.n_points || nr < 0 || nr > ES_H5_MAX_AXIS) {
            r_bad(rd, "", "n_points differs from /design, or n_replications out of range");
            goto out;
        }
        s->n_points = (int)np;
        s->n_reps = (int)nr;
        htri_t has_cfg = H5Aexists(sg, "config");
        TRY(has_cfg, "", "look up an attribute");
        if (has_cfg && attr_str(rd, sg, "", "config", &s->config) < 0) goto out;
        if (read_sweep_years(rd, sg, s, 1, s->n_points, s->n_reps) < 0 ||
            read_sweep_years(rd, sg, s, 0, s->n_points, s->n_reps) < 0)
            goto out;
        if (!s->unit) {
            /* A whole run: rows are (point, replication) of scenario i. */
            if (!(s->unit = es_calloc((size_t)s->n_rows + 1, sizeof *s->unit))) {
                r_nomem(rd);
                goto out;
            }
            for (int p = 0; p < s->n_points; p++)
                for (int r = 0; r < s->n_reps; r++)
                    s->unit[(size_t)p * (size_t)s->n_reps + (size_t)r] =
                        es_sweep_unit(n, s->n_points, i, p, r);
            if (read_sweep_summary(rd, sg, s, 1) < 0 || read_sweep_summary(rd, sg, s, 0) < 0)
                goto out;
        }
        H5Gclose(sg);
        sg = H5I_INVALID_HID;
    }
    rc = 0;
out:
    free_names(names, n);
    if (sg >= 0) H5Gclose(sg);
    if (g >= 0) H5Gclose(g);
    return rc;
}

static int read_root(h5r *rd, hid_t f, es_run_result *res)
{
    char *program = NULL;
    int64_t layout = 0;
    int rc = -1;
    snprintf(rd->where, sizeof rd->where, "%s", "");
    /* Ask for "program" first: its absence is the clearest sign of a file
     * that some other program wrote. */
    if (H5Aexists(f, "program") <= 0) {
        r_msg(rd, ES_ERR_INPUT, "not an enforcesim results file (no 'program' attribute)");
        goto out;
    }
    if (attr_str(rd, f, "", "program", &program) < 0) goto out;
    if (strcmp(program, "enforcesim") != 0) {
        r_msg(rd, ES_ERR_INPUT, "not an enforcesim results file (written by '%.100s')", program);
        goto out;
    }
    if (attr_i64(rd, f, "", "layout_version", &layout) < 0) goto out;
    rd->layout = layout;
    if (layout == 1) {
        r_msg(rd, ES_ERR_INPUT,
              "layout version 1 (enforcesim before 2026-11-28), which stores strings where libhdf5 "
              "cannot check them; run the config again with this version");
        goto out;
    }
    if (layout < 2 || layout > ES_H5_LAYOUT_VERSION) {
        r_msg(rd, ES_ERR_INPUT, "layout version %lld; this enforcesim reads 2 to %d (upgrade it)",
              (long long)layout, ES_H5_LAYOUT_VERSION);
        goto out;
    }
    if (attr_str(rd, f, "", "version", &res->program_version) < 0 ||
        attr_str(rd, f, "", "git_commit", &res->git_commit) < 0 ||
        attr_i64(rd, f, "", "seed", &res->seed) < 0 || attr_str(rd, f, "", "rng", &res->rng) < 0 ||
        attr_str(rd, f, "", "config", &res->config_text) < 0 ||
        attr_str(rd, f, "", "command_line", &res->command_line) < 0 ||
        attr_str(rd, f, "", "started", &res->started) < 0 ||
        attr_str(rd, f, "", "finished", &res->finished) < 0 ||
        attr_str(rd, f, "", "host", &res->host) < 0)
        goto out;
    /* Optional: files written before these attributes existed. */
    int64_t crn = 1, met = 0, cap = 0;
    htri_t has_precision = H5Aexists(f, "precision");
    TRY(has_precision, "", "look up an attribute");
    if (attr_i64_opt(rd, f, "", "common_random_numbers", &crn) < 0) goto out;
    if (has_precision && (attr_str(rd, f, "", "precision", &res->precision) < 0 ||
                          attr_i64(rd, f, "", "precision_met", &met) < 0 ||
                          attr_i64(rd, f, "", "max_replications", &cap) < 0))
        goto out;
    res->crn = crn != 0;
    res->precision_met = met != 0;
    res->max_replications = cap < 0 || cap > INT_MAX ? 0 : (int)cap;
    rc = 0;
out:
    free(program);
    return rc;
}

es_status es_h5_read(const char *path, es_run_result *out, char *err, size_t errlen)
{
    h5r rd = {.path = path ? path : "(null)", .err = err, .errlen = errlen, .st = ES_OK};
    es_run_result res;
    hid_t fapl = H5I_INVALID_HID, f = H5I_INVALID_HID;
    H5E_auto2_t old_func = NULL;
    void *old_data = NULL;
    struct stat sb;

    memset(&res, 0, sizeof res);
    if (!path || stat(path, &sb) != 0) {
        r_msg(&rd, ES_ERR_INPUT, "cannot open: %s", path ? strerror(errno) : "no file named");
        return rd.st;
    }
    if (S_ISDIR(sb.st_mode)) {
        r_msg(&rd, ES_ERR_INPUT, "is a folder, not a results file");
        return rd.st;
    }
    if (sb.st_size == 0) {
        r_msg(&rd, ES_ERR_INPUT, "empty file, not a results file");
        return rd.st;
    }
    /* The whole-file checksum first: libhdf5 crashes on some damage. */
    es_status sealed = es_seal_verify(path, err, errlen);
    if (sealed != ES_OK) return sealed == ES_ERR_IO ? ES_ERR_INPUT : sealed;
    es_h5_prepare();
    H5Eget_auto2(H5E_DEFAULT, &old_func, &old_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if ((fapl = H5Pcreate(H5P_FILE_ACCESS)) < 0 || H5Pset_file_locking(fapl, 0, 1) < 0) {
        r_h5(&rd, "", "set file access properties");
        goto out;
    }
    if ((f = H5Fopen(path, H5F_ACC_RDONLY, fapl)) < 0) {
        char detail[256];
        es_h5_error_detail(detail, sizeof detail, NULL);
        /* Tell "some other format" from "HDF5 but damaged" (e.g. truncated
         * by a full disk or an interrupted copy). */
        htri_t is = H5Fis_hdf5(path);
        if (is > 0)
            r_msg(&rd, ES_ERR_INPUT, "damaged or truncated HDF5 file (%s)", detail);
        else if (is == 0)
            r_msg(&rd, ES_ERR_INPUT, "not an HDF5 file");
        else
            r_msg(&rd, ES_ERR_INPUT, "cannot open: %s", detail);
        goto out;
    }
    if (read_root(&rd, f, &res) < 0 || read_scenarios(&rd, f, &res) < 0 ||
        read_comparisons(&rd, f, &res) < 0 || read_sweep(&rd, f, &res) < 0 ||
        read_draws(&rd, f, &res.draws) < 0 || read_shard(&rd, f, rd.layout, &res.shard) < 0)
        goto out;
    herr_t cr = H5Fclose(f);
    f = H5I_INVALID_HID;
    if (cr < 0) {
        r_h5(&rd, "", "close the file");
        goto out;
    }
    *out = res;
    memset(&res, 0, sizeof res);
out:
    if (f >= 0) H5Fclose(f);
    if (fapl >= 0) H5Pclose(fapl);
    H5Eset_auto2(H5E_DEFAULT, old_func, old_data);
    es_run_result_free(&res);
    return rd.st;
}
