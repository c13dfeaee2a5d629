/* sensitivity.h: global sensitivity analysis of a function of k inputs on
 * the unit cube [0, 1]^k: Sobol indices (variance-based) and Morris
 * elementary effects (screening). Knows nothing of the model: it makes the
 * unit-cube points, the caller evaluates its function at each (a model run,
 * or a test function), and the estimators turn the outputs into indices.
 * The same estimator code runs on the Ishigami and Sobol G functions in
 * tests/unit/test_sensitivity.c and on model output in `enforcesim
 * sensitivity`.
 *
 * Saltelli design (Saltelli et al. 2010, "Variance based sensitivity
 * analysis of model output", Comput. Phys. Commun. 181: 259-270). The first
 * n points of GSL's Sobol sequence in 2k dimensions (GSL's first point is
 * (1/2, ..., 1/2), not the origin) give two n x k matrices: A (the first k coordinates) and B
 * (the last k). AB_i is A with column i taken from B. The sample is the
 * n (k + 2) rows A, B, AB_1, ..., AB_k in that order: row r of block b is
 * point b n + r. k <= ES_SALTELLI_MAX_K (GSL's Sobol sequence has at most
 * 40 dimensions).
 *
 * Sobol estimators on outputs y in the same order. V is the variance of
 * the 2n outputs of A and B together; with f_A, f_B, f_ABi the outputs of
 * the rows,
 *   first order  S_i  = mean((f_B - m) (f_ABi - f_A)) / V  (Saltelli 2010)
 *   total        ST_i = mean((f_A - f_ABi)^2) / (2 V)      (Jansen 1999)
 * where m is the mean of the A and B outputs. Saltelli's estimator has
 * f_B alone; subtracting m leaves its expectation as it is (f_ABi - f_A
 * has mean 0) and removes the variance m^2 would add, which matters for
 * model counts whose mean is far above their spread.
 * Intervals: a percentile bootstrap over the n rows (a resample draws n row
 * indices with replacement and keeps each row's A, B and AB_i outputs
 * together), n_boot resamples, the 2.5% and 97.5% quantiles. Its draws come
 * from the caller's gsl_rng, so a seeded generator gives the same
 * intervals every time. The bootstrap treats rows as independent; on a
 * Sobol sample they are more even than that, so the intervals are
 * conservative.
 *
 * Morris design (Morris 1991, Technometrics 33: 161-174; mu* of Campolongo,
 * Cariboni and Saltelli 2007). A p-level grid {0, 1/(p-1), ..., 1} (p even,
 * >= 2) and step D = p / (2 (p - 1)). A trajectory is k + 1 points: a base
 * point drawn on the grid, then each input in a random order moves once by
 * +D or -D (a random direction), staying in [0, 1]. The sample is r
 * trajectories, r (k + 1) rows, trajectory t at rows t (k + 1) .. t (k + 1)
 * + k. The draws come from the caller's gsl_rng.
 *
 * Morris estimators on outputs y in the same order: each step of a
 * trajectory gives input i (the coordinate that changed) the elementary
 * effect EE = (y_after - y_before) / (u_after_i - u_before_i); over the r
 * trajectories, mu = mean EE, mu* = mean |EE| (importance), sigma = sample
 * standard deviation of EE (non-linearity or interaction). The estimator
 * reads the step from the points, so it accepts any one-at-a-time
 * trajectories, not only those of es_morris_sample.
 *
 * Arrays are row-major, caller-owned; nothing is kept between calls.
 * Errors: ES_ERR_CONFIG for arguments out of range (nothing written),
 * ES_ERR_NOMEM. */
#ifndef ES_SENSITIVITY_H
#define ES_SENSITIVITY_H
#include <stddef.h>
#include <gsl/gsl_rng.h>
#include "../core/status.h"

#define ES_SALTELLI_MAX_K    20   /* 2k Sobol dimensions <= 40 */
#define ES_SOBOL_BOOT        1000 /* bootstrap resamples unless told */
#define ES_SOBOL_CONF        0.95 /* the intervals' coverage */
#define ES_MORRIS_LEVELS     4    /* p unless told (Saltelli et al. 2004) */
#define ES_MORRIS_MAX_LEVELS 1000

/* Rows of a Saltelli sample of n base points and k inputs: n (k + 2). */
size_t es_saltelli_rows(int n, int k);

/* Fills u[n (k + 2)][k]. n >= 1, 1 <= k <= ES_SALTELLI_MAX_K. */
es_status es_saltelli_sample(int n, int k, double *u);

/* One input's Sobol indices with their bootstrap intervals. */
typedef struct {
    double s1, s1_lo, s1_hi; /* first order */
    double st, st_lo, st_hi; /* total */
} es_sobol_index;

/* Indices of the k inputs (out[k]) from y[n (k + 2)] in the order of
 * es_saltelli_sample. n >= 2; n_boot >= 2 resamples drawn from rng (NULL
 * or n_boot 0: no intervals, which are then set to the estimate). *var, if
 * not NULL, gets V. V = 0 (a constant output) gives every index 0. */
es_status es_sobol_indices(const double *y, int n, int k, int n_boot, gsl_rng *rng,
                           es_sobol_index *out, double *var);

/* Rows of a Morris sample: r (k + 1). */
size_t es_morris_rows(int r, int k);

/* Fills u[r (k + 1)][k] with r trajectories on a p-level grid. r >= 1,
 * k >= 1, p even in 2..ES_MORRIS_MAX_LEVELS. */
es_status es_morris_sample(int r, int k, int p, gsl_rng *rng, double *u);

typedef struct {
    double mu, mu_star, sigma;
    int n; /* elementary effects seen (r for a well-formed sample) */
} es_morris_effect;

/* Effects of the k inputs (out[k]) from the points u[r (k + 1)][k] and
 * outputs y. ES_ERR_CONFIG when a step does not move exactly one input.
 * With one trajectory sigma is 0. */
es_status es_morris_effects(const double *u, const double *y, int r, int k, es_morris_effect *out);

#endif
