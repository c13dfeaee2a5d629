/* uncertainty.c: see uncertainty.h. */
#include "uncertainty.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include "../core/check.h"
#include "../core/hash.h"
#include "../core/mem.h"
#include "../core/text.h"
#include "../rng/rng.h"

static const char *const dist_names[ES_DIST_N_KINDS] = {"uniform", "loguniform", "triangular",
                                                        "normal",  "beta",       "empirical"};

int es_dist_kind_parse(const char *name, es_dist_kind *kind)
{
    for (int k = 0; k < ES_DIST_N_KINDS; k++)
        if (!strcmp(name, dist_names[k])) {
            *kind = (es_dist_kind)k;
            return 0;
        }
    return -1;
}

const char *es_dist_kind_name(es_dist_kind kind)
{
    return (unsigned)kind < ES_DIST_N_KINDS ? dist_names[kind] : "?";
}

void es_uncertainty_free(es_uncertainty *u)
{
    if (!u) return;
    for (int j = 0; j < u->d; j++) {
        free(u->p[j].name);
        free(u->p[j].values);
        free(u->p[j].joint);
    }
    free(u->p);
    free(u);
}

es_uncertainty *es_uncertainty_copy(const es_uncertainty *u)
{
    es_uncertainty *c = es_calloc(1, sizeof *c);
    if (!c || !(c->p = es_calloc((size_t)(u->d ? u->d : 1), sizeof *c->p))) goto nomem;
    c->d = u->d;
    for (int j = 0; j < u->d; j++) {
        const es_unc_param *a = &u->p[j];
        es_unc_param *b = &c->p[j];
        *b = *a;
        b->name = b->joint = NULL;
        b->values = NULL;
        if (!(b->name = es_strdup(a->name))) goto nomem;
        if (a->joint && !(b->joint = es_strdup(a->joint))) goto nomem;
        if (a->n_values > 0) {
            if (!(b->values = es_malloc((size_t)a->n_values * sizeof *b->values))) goto nomem;
            memcpy(b->values, a->values, (size_t)a->n_values * sizeof *b->values);
        }
    }
    return c;
nomem:
    es_uncertainty_free(c);
    return NULL;
}

static uint64_t name_key(const char *s)
{
    return es_fnv1a(ES_FNV_OFFSET, s, strlen(s));
}

/* The standard normal CDF truncated to [a, b] inverted at u in [0, 1). */
static double normal_inv(const es_unc_param *p, double u)
{
    double pa = gsl_cdf_ugaussian_P((p->low - p->mean) / p->sd);
    double pb = gsl_cdf_ugaussian_P((p->high - p->mean) / p->sd);
    double x = p->mean + p->sd * gsl_cdf_ugaussian_Pinv(pa + u * (pb - pa));
    /* Far in a tail Phi rounds to 0 or 1 and Pinv to +-inf: stay in support. */
    if (!(x >= p->low)) x = p->low;
    if (x > p->high) x = p->high;
    return x;
}

static double draw_one(const es_unc_param *p, gsl_rng *g)
{
    double lo = p->low, hi = p->high;
    switch (p->kind) {
    case ES_DIST_UNIFORM: return gsl_ran_flat(g, lo, hi);
    case ES_DIST_LOGUNIFORM: return exp(gsl_ran_flat(g, log(lo), log(hi)));
    case ES_DIST_TRIANGULAR: {
        /* Inverse CDF: one uniform per draw. */
        double u = gsl_rng_uniform(g), c = p->mode, w = hi - lo;
        if (w <= 0) return lo;
        double fc = (c - lo) / w;
        return u < fc ? lo + sqrt(u * w * (c - lo)) : hi - sqrt((1 - u) * w * (hi - c));
    }
    case ES_DIST_NORMAL: return normal_inv(p, gsl_rng_uniform(g));
    case ES_DIST_BETA: return lo + (hi - lo) * gsl_ran_beta(g, p->alpha, p->beta);
    case ES_DIST_EMPIRICAL: break; /* drawn by row */
    }
    return lo;
}

void es_uncertainty_draw(const es_uncertainty *u, gsl_rng *g, uint64_t seed, uint64_t r, double *x)
{
    es_rng_name(g, seed, ES_UNCERTAINTY_STREAM, r);
    for (int j = 0; j < u->d; j++) {
        const es_unc_param *p = &u->p[j];
        double v;
        if (p->kind == ES_DIST_EMPIRICAL) {
            /* The row of a joint sample: keyed by its tag, so every column
             * of the sample reads the same row. */
            uint64_t key = name_key(p->joint ? p->joint : p->name) | (UINT64_C(1) << 63);
            es_rng_entity(g, key);
            v = p->values[gsl_rng_uniform_int(g, (unsigned long)p->n_values)];
        } else {
            es_rng_entity(g, name_key(p->name) & ~(UINT64_C(1) << 63));
            v = draw_one(p, g);
        }
        if (p->integer) v = nearbyint(v);
        x[j] = v;
    }
}

void es_uncertainty_apply(const es_uncertainty *u, const double *x, es_params *p)
{
    for (int j = 0; j < u->d; j++) es_sweep_target_set(&u->p[j].target, x[j], p);
}

es_status es_uncertainty_matrix(const es_uncertainty *u, uint64_t seed, int64_t n_reps, double **x,
                                char *err, size_t errlen)
{
    gsl_rng *g = es_rng_new(ES_RNG_PHILOX);
    double *m = es_calloc((size_t)(n_reps > 0 ? n_reps : 1) * (size_t)(u->d ? u->d : 1), sizeof *m);
    if (!g || !m) {
        if (g) gsl_rng_free(g);
        free(m);
        snprintf(err, errlen, "out of memory drawing the uncertain parameters");
        return ES_ERR_NOMEM;
    }
    for (int64_t r = 0; r < n_reps; r++)
        es_uncertainty_draw(u, g, seed, (uint64_t)r, m + (size_t)r * (size_t)u->d);
    gsl_rng_free(g);
    *x = m;
    return ES_OK;
}

double es_unc_cdf(const es_unc_param *p, double x)
{
    double lo = p->low, hi = p->high;
    if (p->kind == ES_DIST_EMPIRICAL) {
        int k = 0;
        for (int i = 0; i < p->n_values; i++) k += p->values[i] <= x;
        return (double)k / p->n_values;
    }
    if (x <= lo) return 0;
    if (x >= hi) return 1;
    switch (p->kind) {
    case ES_DIST_UNIFORM: return (x - lo) / (hi - lo);
    case ES_DIST_LOGUNIFORM: return log(x / lo) / log(hi / lo);
    case ES_DIST_TRIANGULAR: {
        double c = p->mode;
        return x <= c ? (x - lo) * (x - lo) / ((hi - lo) * (c - lo))
                      : 1 - (hi - x) * (hi - x) / ((hi - lo) * (hi - c));
    }
    case ES_DIST_NORMAL: {
        double pa = gsl_cdf_ugaussian_P((lo - p->mean) / p->sd);
        double pb = gsl_cdf_ugaussian_P((hi - p->mean) / p->sd);
        return (gsl_cdf_ugaussian_P((x - p->mean) / p->sd) - pa) / (pb - pa);
    }
    case ES_DIST_BETA: return gsl_cdf_beta_P((x - lo) / (hi - lo), p->alpha, p->beta);
    case ES_DIST_EMPIRICAL: break;
    }
    return 0;
}

void es_unc_describe(const es_unc_param *p, char *buf, size_t n)
{
    char a[32], b[32], c[32];
    es_fmt_double(a, sizeof a, p->low);
    es_fmt_double(b, sizeof b, p->high);
    const char *how = p->target.scale ? ", scale" : "";
    switch (p->kind) {
    case ES_DIST_UNIFORM:
    case ES_DIST_LOGUNIFORM:
        snprintf(buf, n, "%s(low=%s, high=%s%s)", dist_names[p->kind], a, b, how);
        break;
    case ES_DIST_TRIANGULAR:
        es_fmt_double(c, sizeof c, p->mode);
        snprintf(buf, n, "triangular(low=%s, mode=%s, high=%s%s)", a, c, b, how);
        break;
    case ES_DIST_NORMAL: {
        char m[32], s[32];
        es_fmt_double(m, sizeof m, p->mean);
        es_fmt_double(s, sizeof s, p->sd);
        snprintf(buf, n, "normal(mean=%s, sd=%s, low=%s, high=%s%s)", m, s, a, b, how);
        break;
    }
    case ES_DIST_BETA: {
        char al[32], be[32];
        es_fmt_double(al, sizeof al, p->alpha);
        es_fmt_double(be, sizeof be, p->beta);
        snprintf(buf, n, "beta(alpha=%s, beta=%s, low=%s, high=%s%s)", al, be, a, b, how);
        break;
    }
    case ES_DIST_EMPIRICAL:
        snprintf(buf, n, "empirical(%d values in [%s, %s]%s%s%s)", p->n_values, a, b,
                 p->joint ? ", joint " : "", p->joint ? p->joint : "", how);
        break;
    }
}
