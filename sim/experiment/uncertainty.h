/* uncertainty.h: parameter uncertainty (docs/experiments.md, Parameter
 * uncertainty). Each replication of a run draws one value per uncertain
 * parameter; every scenario of that replication runs with the same draws,
 * so paired comparisons stay paired and their intervals then hold both the
 * Monte Carlo noise and the spread of the assumptions.
 *
 * Draws. Replication r's values come from the philox stream named (run.seed,
 * ES_UNCERTAINTY_STREAM, r); parameter j draws from the entity keyed by the
 * FNV-1a hash of its name, and a joint empirical sample draws its row from
 * the entity keyed by its tag's hash with the top bit set. So a parameter's
 * draws depend only on the seed, the replication and its own name and
 * distribution: not on the other parameters, their order, the scenario,
 * the thread, the shard or a resume.
 *
 * Distributions (support [low, high] in every case, inside the parameter's
 * registry range unless the parameter is scaled):
 *   uniform     low, high
 *   loguniform  low, high (0 < low): uniform on log scale
 *   triangular  low, mode, high
 *   normal      mean, sd, truncated to [low, high] (by inverse CDF:
 *               u uniform on [Phi(a), Phi(b)], x = mean + sd Phi^-1(u))
 *   beta        alpha, beta on [low, high] (x = low + (high - low) B)
 *   empirical   a list of values, one drawn with equal probability; values
 *               sharing a joint tag (a calibration posterior's columns)
 *               draw the same row, so their correlation is kept.
 * Integer parameters take the draw rounded to the nearest whole number.
 *
 * A draw either sets the parameter (a scalar, or one element of a vector)
 * or, with apply = scale, multiplies it (a scalar, an element, or every
 * value of a time path: the path keeps its shape and moves as a whole).
 *
 * Arrays are owned by the es_uncertainty (es_uncertainty_free). */
#ifndef ES_UNCERTAINTY_H
#define ES_UNCERTAINTY_H
#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "../core/status.h"
#include "../model/params.h"
#include "design.h"

#define ES_UNCERTAINTY_STREAM     0x0C5Eu /* apart from the model's and the design's */
#define ES_UNCERTAINTY_MAX_PARAMS 64

typedef enum {
    ES_DIST_UNIFORM,
    ES_DIST_LOGUNIFORM,
    ES_DIST_TRIANGULAR,
    ES_DIST_NORMAL,
    ES_DIST_BETA,
    ES_DIST_EMPIRICAL
} es_dist_kind;
#define ES_DIST_N_KINDS 6

typedef struct {
    char *name;             /* the parameter as in the config */
    es_sweep_target target; /* what it sets (SCALAR, ELEMENT or, scaled, PATH); target.scale:
                               the draw multiplies the parameter's value(s) */
    int integer;            /* 1: round the draw */
    es_dist_kind kind;
    double low, high;   /* support */
    double mode;        /* triangular */
    double mean, sd;    /* normal */
    double alpha, beta; /* beta */
    int n_values;       /* empirical */
    double *values;     /* [n_values] */
    char *joint;        /* empirical: the tag of a joint sample, or NULL */
} es_unc_param;

typedef struct es_uncertainty_s {
    int d;
    es_unc_param *p; /* [d] */
} es_uncertainty;

void es_uncertainty_free(es_uncertainty *u); /* accepts NULL */

/* "uniform", ... -> kind; -1 when unknown. */
int es_dist_kind_parse(const char *name, es_dist_kind *kind);
const char *es_dist_kind_name(es_dist_kind kind);

/* The distribution's cumulative distribution function at x (empirical:
 * the share of values <= x), for tests and documentation. */
double es_unc_cdf(const es_unc_param *p, double x);

/* Replication r's draws, x[d], from generator g (a philox generator the
 * caller owns; it is renamed). */
void es_uncertainty_draw(const es_uncertainty *u, gsl_rng *g, uint64_t seed, uint64_t r, double *x);

/* Sets (or scales) the parameters of p by x[d]. Does not validate. */
void es_uncertainty_apply(const es_uncertainty *u, const double *x, es_params *p);

/* The draws of replications 0 .. n_reps - 1, *x malloc'd [n_reps][d]. */
es_status es_uncertainty_matrix(const es_uncertainty *u, uint64_t seed, int64_t n_reps, double **x,
                                char *err, size_t errlen);

/* A deep copy; NULL when out of memory. */
es_uncertainty *es_uncertainty_copy(const es_uncertainty *u);

/* One line describing parameter j's distribution, e.g.
 * "triangular(low=0.15, mode=0.3, high=0.45)", into buf. */
void es_unc_describe(const es_unc_param *p, char *buf, size_t n);

#endif
