/* design.h: design matrices for parameter sweeps (DESIGN.md 1: a unit is
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
 *           d <= 40), starting at its first point (the origin).
 *   halton  the first n points of GSL's Halton sequence (gsl_qrng_halton,
 *           d <= 1229).
 * For lhs, sobol and halton a parameter needs low and high; u in [0, 1)
 * maps to low + u (high - low), or low (high / low)^u for scale = log
 * (low > 0), and for an integer parameter to low + floor(u (high - low + 1))
 * (capped at high), so each integer gets an equal share. A `values` list is
 * allowed for grid only. */
#ifndef ES_DESIGN_H
#define ES_DESIGN_H
#include <stddef.h>
#include <stdint.h>
#include "../core/status.h"

#define ES_DESIGN_STREAM 0x5EE7u   /* the LHS's stream, apart from the model's */
#define ES_DESIGN_MAX_POINTS 1000000

typedef enum { ES_DESIGN_GRID, ES_DESIGN_LHS, ES_DESIGN_SOBOL, ES_DESIGN_HALTON } es_design_kind;

typedef struct {
    const char *path;        /* the parameter, for messages */
    int n_values;            /* > 0: explicit levels (grid only) */
    const double *values;
    double low, high;        /* otherwise the range */
    int log_scale;           /* 1: spread on the log scale (low > 0) */
    int integer;             /* 1: values are whole numbers */
} es_design_param;

/* "grid", "lhs", "sobol", "halton" -> kind; -1 when unknown. */
int es_design_kind_parse(const char *name, es_design_kind *kind);
const char *es_design_kind_name(es_design_kind kind);

/* Builds the design: *x (malloc'd, n x d, caller frees) and *n. points is
 * the number of points (lhs, sobol, halton) or of levels per ranged
 * parameter (grid). ES_ERR_CONFIG with a message naming the parameter for
 * a design that cannot be built; ES_ERR_NOMEM. */
es_status es_design_build(es_design_kind kind, const es_design_param *p, int d, int points, uint64_t seed,
                          double **x, int *n, char *err, size_t errlen);

/* Maps u in [0, 1) into p's range (see above). */
double es_design_map(const es_design_param *p, double u);

#endif
