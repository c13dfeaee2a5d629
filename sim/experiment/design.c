/* design.c: grid, Latin hypercube, Sobol, Halton, Saltelli and Morris
 * designs (contract in design.h). */
#include "design.h"
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include "../core/check.h"
#include "../core/mem.h"
#include "../rng/rng.h"
#include "sensitivity.h"

static const char *const kind_names[ES_DESIGN_N_KINDS] = {"grid",     "lhs",    "sobol", "halton",
                                                          "saltelli", "morris", "points"};

int es_design_kind_parse(const char *name, es_design_kind *kind)
{
    for (int k = 0; k < ES_DESIGN_N_KINDS; k++)
        if (!strcmp(name, kind_names[k])) {
            *kind = (es_design_kind)k;
            return 0;
        }
    return -1;
}

const char *es_design_kind_name(es_design_kind kind)
{
    return (unsigned)kind < ES_DESIGN_N_KINDS ? kind_names[kind] : "?";
}

double es_design_map(const es_design_param *p, double u)
{
    if (p->n_values > 0) {
        /* Equal shares of [0, 1) per level; u < 1, but guard rounding. */
        int i = (int)floor(u * p->n_values);
        return p->values[i < p->n_values ? i : p->n_values - 1];
    }
    if (p->integer) {
        double v = p->low + floor(u * (p->high - p->low + 1));
        return v > p->high ? p->high : v;
    }
    if (p->log_scale) return p->low * pow(p->high / p->low, u);
    return p->low + u * (p->high - p->low);
}

/* Is p usable by this kind of design? */
static int check_param(es_design_kind kind, const es_design_param *p, int points, char *err,
                       size_t errlen)
{
    const char *name = p->path ? p->path : "?";
    (void)kind;
    if (p->n_values > 0) {
        for (int i = 0; i < p->n_values; i++)
            if (!isfinite(p->values[i])) {
                snprintf(err, errlen, "sweep parameter '%s': value %d is not a finite number", name,
                         i + 1);
                return -1;
            }
        return 0;
    }
    if (!(p->low <= p->high) || !isfinite(p->low) || !isfinite(p->high)) {
        snprintf(err, errlen, "sweep parameter '%s': give finite low <= high", name);
        return -1;
    }
    if (p->log_scale && !(p->low > 0)) {
        snprintf(err, errlen, "sweep parameter '%s': scale = \"log\" needs low > 0", name);
        return -1;
    }
    if (p->integer && (p->low != floor(p->low) || p->high != floor(p->high))) {
        snprintf(err, errlen, "sweep parameter '%s': an integer parameter needs whole low and high",
                 name);
        return -1;
    }
    if (kind == ES_DESIGN_GRID && points < 1) {
        snprintf(err, errlen, "sweep parameter '%s': a ranged grid parameter needs points >= 1",
                 name);
        return -1;
    }
    return 0;
}

/* Level i of m of a ranged grid parameter: both ends included. */
static double grid_level(const es_design_param *p, int i, int m)
{
    if (p->n_values > 0) return p->values[i];
    double u = m > 1 ? (double)i / (m - 1) : 0.0;
    if (p->integer) return round(p->low + u * (p->high - p->low));
    if (p->log_scale) return p->low * pow(p->high / p->low, u);
    return p->low + u * (p->high - p->low);
}

es_status es_design_build(es_design_kind kind, const es_design_param *p, int d, int points,
                          uint64_t seed, double **xout, int *nout, char *err, size_t errlen)
{
    return es_design_build_levels(kind, p, d, points, 0, seed, xout, nout, err, errlen);
}

/* Fills x[n][d] from a sensitivity sample (saltelli, morris) mapped to the
 * parameters' ranges. */
static es_status sensitivity_points(es_design_kind kind, const es_design_param *p, int d,
                                    int points, int levels, uint64_t seed, double *x, int n,
                                    char *err, size_t errlen)
{
    es_status st = ES_ERR_NOMEM;
    gsl_rng *r = NULL;
    double *u = es_calloc((size_t)n * (size_t)d, sizeof *u);
    if (!u) goto out;
    if (kind == ES_DESIGN_SALTELLI)
        st = es_saltelli_sample(points, d, u);
    else if (!(r = es_rng_new(ES_RNG_PHILOX)))
        goto out;
    else {
        es_rng_name(r, seed, ES_DESIGN_STREAM, 0);
        st = es_morris_sample(points, d, levels, r, u);
    }
    if (st == ES_ERR_CONFIG)
        snprintf(err, errlen, "sweep: design \"%s\" cannot be made of %d points, %d parameters",
                 kind_names[kind], points, d);
    if (st != ES_OK) goto out;
    for (size_t i = 0; i < (size_t)n * (size_t)d; i++)
        x[i] = es_design_map(&p[i % (size_t)d], u[i]);
out:
    if (st == ES_ERR_NOMEM) snprintf(err, errlen, "sweep: out of memory for %d points", n);
    if (r) gsl_rng_free(r);
    free(u);
    return st;
}

es_status es_design_build_levels(es_design_kind kind, const es_design_param *p, int d, int points,
                                 int levels, uint64_t seed, double **xout, int *nout, char *err,
                                 size_t errlen)
{
    es_status st = ES_ERR_CONFIG;
    double *x = NULL, *u = NULL;
    gsl_qrng *q = NULL;
    gsl_rng *r = NULL;
    gsl_permutation *perm = NULL;
    int n = points;

    if (d < 1) {
        snprintf(err, errlen, "sweep: give at least one parameter");
        goto out;
    }
    for (int j = 0; j < d; j++)
        if (check_param(kind, &p[j], points, err, errlen)) goto out;
    if (kind == ES_DESIGN_GRID) {
        /* The product of the level counts, without overflow. */
        int64_t prod = 1;
        for (int j = 0; j < d; j++) {
            prod *= p[j].n_values > 0 ? p[j].n_values : points;
            if (prod > ES_DESIGN_MAX_POINTS) break;
        }
        n = (int)(prod > ES_DESIGN_MAX_POINTS ? ES_DESIGN_MAX_POINTS + 1 : prod);
    }
    if (kind == ES_DESIGN_POINTS) {
        n = p[0].n_values;
        for (int j = 0; j < d; j++)
            if (p[j].n_values < 1 || p[j].n_values != n) {
                snprintf(err, errlen,
                         "sweep: design \"points\" needs values = [...] of one length for every "
                         "parameter ('%s' has %d, '%s' %d)",
                         p[0].path, n, p[j].path, p[j].n_values);
                goto out;
            }
    }
    if (kind == ES_DESIGN_SALTELLI || kind == ES_DESIGN_MORRIS) {
        int64_t rows = (int64_t)points * (d + (kind == ES_DESIGN_SALTELLI ? 2 : 1));
        n = (int)(rows > ES_DESIGN_MAX_POINTS ? ES_DESIGN_MAX_POINTS + 1 : rows);
        if (n < 1 || n > ES_DESIGN_MAX_POINTS) {
            snprintf(err, errlen,
                     "sweep: design \"%s\" with points = %d and %d parameters has %lld points; "
                     "give at most %d",
                     kind_names[kind], points, d, (long long)rows, ES_DESIGN_MAX_POINTS);
            goto out;
        }
    }
    if (levels == 0) levels = ES_MORRIS_LEVELS;
    if (kind == ES_DESIGN_MORRIS && (levels < 2 || levels % 2 || levels > ES_MORRIS_MAX_LEVELS)) {
        snprintf(err, errlen,
                 "sweep: design \"morris\" needs an even number of levels from 2 to %d, not %d",
                 ES_MORRIS_MAX_LEVELS, levels);
        goto out;
    }
    if (n < 1 || n > ES_DESIGN_MAX_POINTS) {
        snprintf(err, errlen, "sweep: %d points; give 1 to %d", n, ES_DESIGN_MAX_POINTS);
        goto out;
    }
    if ((kind == ES_DESIGN_SOBOL && d > 40) || (kind == ES_DESIGN_HALTON && d > 1229) ||
        (kind == ES_DESIGN_SALTELLI && d > ES_SALTELLI_MAX_K)) {
        snprintf(err, errlen, "sweep: design \"%s\" takes at most %d parameters, not %d",
                 kind_names[kind],
                 kind == ES_DESIGN_SOBOL    ? 40
                 : kind == ES_DESIGN_HALTON ? 1229
                                            : ES_SALTELLI_MAX_K,
                 d);
        goto out;
    }
    st = ES_ERR_NOMEM;
    if (!(x = es_calloc((size_t)n * (size_t)d, sizeof *x)) ||
        !(u = es_calloc((size_t)d, sizeof *u))) {
        snprintf(err, errlen, "sweep: out of memory for %d points", n);
        goto out;
    }
    switch (kind) {
    case ES_DESIGN_GRID:
        for (int k = 0; k < n; k++) {
            int rest = k;
            for (int j = d - 1; j >= 0; j--) {
                int m = p[j].n_values > 0 ? p[j].n_values : points;
                x[(size_t)k * d + j] = grid_level(&p[j], rest % m, m);
                rest /= m;
            }
        }
        break;
    case ES_DESIGN_LHS:
        if (!(r = es_rng_new(ES_RNG_PHILOX)) || !(perm = gsl_permutation_alloc((size_t)n))) {
            snprintf(err, errlen, "sweep: out of memory for the Latin hypercube");
            goto out;
        }
        es_rng_name(r, seed, ES_DESIGN_STREAM, 0);
        /* Parameter by parameter: its permutation, then the positions, so
         * adding a parameter leaves the earlier columns as they were. */
        for (int j = 0; j < d; j++) {
            gsl_permutation_init(perm);
            gsl_ran_shuffle(r, perm->data, (size_t)n, sizeof(size_t));
            for (int k = 0; k < n; k++) {
                double v = ((double)gsl_permutation_get(perm, (size_t)k) + gsl_rng_uniform(r)) / n;
                x[(size_t)k * d + j] = es_design_map(&p[j], v);
            }
        }
        break;
    case ES_DESIGN_SOBOL:
    case ES_DESIGN_HALTON:
        if (!(q = gsl_qrng_alloc(kind == ES_DESIGN_SOBOL ? gsl_qrng_sobol : gsl_qrng_halton,
                                 (unsigned)d))) {
            snprintf(err, errlen, "sweep: GSL cannot make a %s sequence of %d dimensions",
                     kind_names[kind], d);
            goto out;
        }
        for (int k = 0; k < n; k++) {
            if (gsl_qrng_get(q, u) != 0) {
                st = ES_ERR_CONFIG;
                snprintf(err, errlen, "sweep: GSL's %s sequence stops before point %d",
                         kind_names[kind], k);
                goto out;
            }
            for (int j = 0; j < d; j++) x[(size_t)k * d + j] = es_design_map(&p[j], u[j]);
        }
        break;
    case ES_DESIGN_POINTS:
        for (int k = 0; k < n; k++)
            for (int j = 0; j < d; j++) x[(size_t)k * d + j] = p[j].values[k];
        break;
    case ES_DESIGN_SALTELLI:
    case ES_DESIGN_MORRIS:
        if ((st = sensitivity_points(kind, p, d, points, levels, seed, x, n, err, errlen)) != ES_OK)
            goto out;
        break;
    }
    *xout = x;
    *nout = n;
    x = NULL;
    st = ES_OK;
out:
    if (q) gsl_qrng_free(q);
    if (r) gsl_rng_free(r);
    if (perm) gsl_permutation_free(perm);
    free(u);
    free(x);
    return st;
}

void es_sweep_free(es_sweep *sw)
{
    if (!sw) return;
    for (int j = 0; sw->params && j < sw->d; j++) {
        free((char *)sw->params[j].path);
        free((double *)sw->params[j].values);
    }
    free(sw->params);
    free(sw->targets);
    free(sw->x);
    free(sw);
}

/* A double into an int's range before the cast (a cast out of range is
 * undefined): an out-of-range value stays out of range, and validation
 * refuses it. */
static int to_int(double x)
{
    return x >= INT_MAX ? INT_MAX : x <= INT_MIN ? INT_MIN : isnan(x) ? 0 : (int)x;
}
static int64_t to_int64(double x)
{
    return x >= 9.2e18 ? INT64_MAX : x <= -9.2e18 ? INT64_MIN : isnan(x) ? 0 : (int64_t)x;
}

void es_sweep_target_set(const es_sweep_target *t, double v, es_params *p)
{
    char *f = (char *)p + t->offset;
    if (t->scale) {
        switch (t->kind) {
        case ES_SWEEP_SCALAR:
            if (t->is_int)
                *(int *)f = to_int(nearbyint(*(int *)f * v));
            else if (t->is_int64)
                *(int64_t *)f = to_int64(nearbyint((double)*(int64_t *)f * v));
            else
                *(double *)f *= v;
            return;
        case ES_SWEEP_ELEMENT: ((double *)f)[t->index] *= v; return;
        case ES_SWEEP_PATH: {
            es_path *path = (es_path *)f;
            for (int i = 0; i < path->n; i++) path->v[i] *= v;
            return;
        }
        case ES_SWEEP_AGENTS: ES_ASSERT(!"reassigned agents are set, not scaled"); return;
        }
    }
    switch (t->kind) {
    case ES_SWEEP_SCALAR:
        if (t->is_int)
            *(int *)f = to_int(v);
        else if (t->is_int64)
            *(int64_t *)f = to_int64(v);
        else
            *(double *)f = v;
        break;
    case ES_SWEEP_ELEMENT: ((double *)f)[t->index] = v; break;
    case ES_SWEEP_PATH: {
        es_path *path = (es_path *)f;
        path->n = 1;
        path->day[0] = p->start_day;
        path->v[0] = v;
        break;
    }
    case ES_SWEEP_AGENTS: {
        es_move *m = &((es_moves *)f)->m[t->index];
        m->agents = to_int(v);
        m->share = 0;
        break;
    }
    }
}

void es_sweep_apply(const es_sweep *sw, int k, es_params *p)
{
    ES_ASSERT(k >= 0 && k < sw->n_points);
    for (int j = 0; j < sw->d; j++)
        es_sweep_target_set(&sw->targets[j], sw->x[(size_t)k * (size_t)sw->d + (size_t)j], p);
}
