/* design.h: design matrices for parameter sweeps (docs/experiments.md, Work units: a unit is
 * (scenario, point, replication); this makes the points).
 *
 * A design has d parameters and n points; point k gives parameter j the
 * value x[k * d + j]. Only scalar REAL and INT parameters can be swept.
 *   grid    every combination of the parameters' levels, in C order (the
 *           last parameter varies fastest). A parameter's levels are its
 *           `values` list, or `points` levels spread evenly over [low, high]
 *           (both ends included; on the log scale for scale = log).
 *   lhs     Latin hypercube: for each parameter an independent random
 *           permutation (gsl_ran_shuffle) of the n strata [i/n, (i+1)/n),
 *           and a uniform position inside each; so every stratum of every
 *           parameter holds exactly one point. The draws come from our
 *           philox generator named by (seed, ES_DESIGN_STREAM, 0): the same
 *           seed gives the same design everywhere.
 *   sobol   the first n points of GSL's Sobol sequence (gsl_qrng_sobol,
 *           d <= 40), from GSL's first point, (1/2, ..., 1/2).
 *   halton  the first n points of GSL's Halton sequence (gsl_qrng_halton,
 *           d <= 1229).
 *   saltelli  for Sobol sensitivity indices (experiment/sensitivity.h):
 *           points = N base points give N (d + 2) design points, the rows
 *           of A, then B, then AB_1 .. AB_d (A with column j from B), N
 *           each, from GSL's Sobol sequence in 2d dimensions (d <= 20).
 *   morris  for Morris elementary effects (experiment/sensitivity.h):
 *           points = r trajectories of d + 1 points each on a grid of
 *           `levels` levels (even, default 4), r (d + 1) design points,
 *           trajectory t at points t (d + 1) .. t (d + 1) + d; each step
 *           moves one parameter. Its draws come from the same philox
 *           stream as the LHS's, so the design moves with the seed.
 *   points  explicit points: every parameter gives `values`, all of the
 *           same length n, and point k is (values_1[k], ..., values_d[k])
 *           (how `enforcesim calibrate` writes each wave's points).
 * For lhs, sobol, halton, saltelli and morris a parameter needs low and high, or a `values`
 * list of levels; u in [0, 1) maps to low + u (high - low), or
 * low (high / low)^u for scale = log (low > 0), and for an integer
 * parameter to low + floor(u (high - low + 1)) (capped at high), so each
 * integer gets an equal share; with a values list of m levels to level
 * floor(u m), so each level gets an equal share (a discrete parameter such
 * as a prosecution threshold of 3, 5 or 10: in a Latin hypercube of n points
 * each level then holds floor(n/m) or ceil(n/m) points).
 *
 * A sweep (es_sweep) is a built design plus, per column, what it sets in
 * es_params: a scalar parameter, one element of a vector parameter, a time
 * path made constant, or the `agents` of one entry of a reassignment list.
 * es_sweep_apply writes point k's values into a scenario's parameters; the
 * caller validates the result (io/cfg.c does, for every scenario and point,
 * before anything runs). */
#ifndef ES_DESIGN_H
#define ES_DESIGN_H
#include <stddef.h>
#include <stdint.h>
#include "../core/status.h"
#include "../model/params.h"

#define ES_DESIGN_STREAM     0x5EE7u /* the LHS's stream, apart from the model's */
#define ES_DESIGN_MAX_POINTS 1000000

typedef enum {
    ES_DESIGN_GRID,
    ES_DESIGN_LHS,
    ES_DESIGN_SOBOL,
    ES_DESIGN_HALTON,
    ES_DESIGN_SALTELLI,
    ES_DESIGN_MORRIS,
    ES_DESIGN_POINTS
} es_design_kind;
#define ES_DESIGN_N_KINDS 7

typedef struct {
    const char *path; /* the parameter, for messages */
    int n_values;     /* > 0: explicit levels (grid only) */
    const double *values;
    double low, high; /* otherwise the range */
    int log_scale;    /* 1: spread on the log scale (low > 0) */
    int integer;      /* 1: values are whole numbers */
} es_design_param;

/* "grid", "lhs", "sobol", "halton", "saltelli", "morris", "points" -> kind; -1 when
 * unknown. */
int es_design_kind_parse(const char *name, es_design_kind *kind);
const char *es_design_kind_name(es_design_kind kind);

/* Builds the design: *x (malloc'd, n x d, caller frees) and *n. points is
 * the number of points (lhs, sobol, halton), of levels per ranged
 * parameter (grid), of base points (saltelli) or of trajectories (morris).
 * ES_ERR_CONFIG with a message naming the parameter for a design that
 * cannot be built; ES_ERR_NOMEM. A morris design has the default levels. */
es_status es_design_build(es_design_kind kind, const es_design_param *p, int d, int points,
                          uint64_t seed, double **x, int *n, char *err, size_t errlen);

/* The same with a morris design's grid levels (0: the default,
 * ES_MORRIS_LEVELS); other designs ignore levels. */
es_status es_design_build_levels(es_design_kind kind, const es_design_param *p, int d, int points,
                                 int levels, uint64_t seed, double **x, int *n, char *err,
                                 size_t errlen);

/* Maps u in [0, 1) into p's range or levels (see above). */
double es_design_map(const es_design_param *p, double u);

/* What a design column sets in es_params. */
typedef enum {
    ES_SWEEP_SCALAR,  /* an INT, INT64 or REAL parameter */
    ES_SWEEP_ELEMENT, /* element `index` of a VEC parameter */
    ES_SWEEP_PATH,    /* a PATH parameter, made constant over the horizon */
    ES_SWEEP_AGENTS   /* the agents of entry `index` of a MOVES parameter */
} es_sweep_target_kind;

typedef struct {
    es_sweep_target_kind kind;
    size_t offset; /* of the registry entry's field in es_params */
    int is_int;    /* the field is an int (ES_P_INT) */
    int is_int64;  /* the field is an int64_t (ES_P_INT64) */
    int index;     /* ELEMENT: the element; AGENTS: the entry */
    int scale;     /* 1: the value multiplies the parameter (SCALAR, ELEMENT, every value of a
                      PATH) instead of setting it */
} es_sweep_target;

/* A sweep: the design matrix x[n_points][d] and its columns. Owns every
 * pointer (es_sweep_free). */
typedef struct {
    es_design_kind kind;
    int points; /* the `points` setting (0 when absent) */
    int d;
    es_design_param *params;  /* [d]; path and values owned */
    es_sweep_target *targets; /* [d] */
    int n_points;
    double *x;  /* [n_points][d] */
    int levels; /* morris: the grid levels; 0 otherwise */
} es_sweep;

void es_sweep_free(es_sweep *sw); /* accepts NULL */

/* Sets point k's values in p (0 <= k < n_points). A PATH becomes the one
 * point (p->start_day, value). Does not validate. */
void es_sweep_apply(const es_sweep *sw, int k, es_params *p);
/* Sets one column's target to v (or, with t->scale, multiplies it by v),
 * as es_sweep_apply does. */
void es_sweep_target_set(const es_sweep_target *t, double v, es_params *p);

#endif
