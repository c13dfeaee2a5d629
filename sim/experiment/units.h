/* units.h: what one unit of a run computes, wherever it runs (docs/experiments.md, Work units).
 *
 * Unit g of a run with S scenarios and P design points (P = 1 without a
 * sweep) is scenario g % S, point (g / S) % P, replication g / (S P)
 * (results.h es_sweep_unit). Its result, the monthly series of every
 * metric ([metric][month]), is a pure function of the scenario's
 * parameters with the point's values applied, the generator kind and the
 * replication. The worker threads (experiment.h, sweep_run.h) and the MPI
 * worker processes (cli/mpi_main.c) all compute a unit with
 * es_unit_compute, so they cannot disagree. */
#ifndef ES_UNITS_H
#define ES_UNITS_H
#include <stddef.h>
#include <stdint.h>
#include "design.h"
#include "experiment.h"

typedef struct {
    int n_scenarios;
    const es_scenario_in *scenarios; /* seeds already set for CRN or --no-crn */
    es_rng_kind kind;
    const es_sweep *sweep; /* NULL: one point, the scenario as it is */
    int crn;               /* with a sweep and crn == 0, each (scenario, point) */
    int64_t seed;          /* gets es_experiment_independent_seed(seed, s P + p) */
    /* Parameter uncertainty, or NULL: replication r sets row r of unc_x
     * ([replication][unc->d]) in every scenario (never with a sweep). */
    const struct es_uncertainty_s *unc;
    const double *unc_x;
} es_unit_space;

/* The scenario, point and replication of unit g. */
void es_unit_decode(const es_unit_space *us, int64_t g, int *scenario, int *point,
                    int64_t *replication);

/* Values in unit g's monthly series: ES_N_METRICS x months of its scenario. */
size_t es_unit_values(const es_unit_space *us, int64_t g);

/* Computes unit g into monthly (es_unit_values(us, g) doubles); scratch is
 * a parameter set the caller owns (a sweep writes the point into it). */
es_status es_unit_compute(const es_unit_space *us, int64_t g, es_params *scratch, double *monthly,
                          uint64_t *events, char *err, size_t errlen);

/* What a worker thread does with unit g: replay it from x's journal when
 * it is there, else compute it (x->run_unit, or es_unit_compute with
 * scratch, which may be NULL without a sweep or uncertainty) and journal it before it
 * counts as done. n_values: es_unit_values(us, g). */
es_status es_unit_obtain(const es_experiment *x, const es_unit_space *us, int64_t g,
                         es_params *scratch, double *monthly, size_t n_values, uint64_t *events,
                         char *err, size_t errlen);

/* Years of a unit are folded from its months, one way for every run:
 * year k of a scenario is months first[k] .. first[k] + 11 of its series
 * (every year is twelve months). */
#define ES_UNIT_MAX_YEARS 200
typedef struct {
    int n_months, n_fy, n_cy;
    int fy_first[ES_UNIT_MAX_YEARS], cy_first[ES_UNIT_MAX_YEARS];
} es_unit_folds;

/* The folds of a scenario with parameters p and years fy[n_fy], cy[n_cy]. */
void es_unit_folds_init(es_unit_folds *f, const es_params *p, const int *fy, int n_fy,
                        const int *cy, int n_cy);

/* The fold: one unit's months ([metric][month], n_months each) into its
 * years, dst[m * stride + k] for metric m and year k: a sum for flows, a
 * mean for stocks, a ratio of sums for ratios (metrics.h). */
void es_unit_fold(const double *monthly, int n_months, const int *first, int n_per, double *dst,
                  size_t stride);

/* Where one unit's results go: its months (NULL: a worker's scratch
 * buffer, they are folded and dropped) and its first fiscal and calendar
 * cell, with `*_stride` cells from one metric to the next. */
typedef struct {
    double *monthly;
    double *fiscal, *calendar;
    size_t fy_stride, cy_stride;
} es_unit_slot;

/* A batch of units for the one worker loop: the k-th (0 <= k < n_units) is
 * unit g0 + k * step. slot(ctx, k, g, out) says where its results go and
 * records the unit in the layout (called from worker threads, each k
 * once; distinct k must get disjoint cells). */
typedef struct {
    const es_experiment *x; /* threads, hooks, executor */
    const es_unit_space *us;
    const es_unit_folds *folds; /* [n_scenarios] */
    int64_t g0, step, n_units;
    void (*slot)(void *ctx, int64_t k, int64_t g, es_unit_slot *out);
    void *ctx;
} es_unit_batch;

/* Runs the batch on x->threads worker threads (the caller's among them):
 * each unit is obtained (es_unit_obtain), folded into its slot and counted
 * (x->progress, whose nonzero return stops handing out units: then
 * ES_ERR_INTERRUPTED). The first failure stops the batch and names the
 * unit in err. *done: units completed. */
es_status es_units_run(const es_unit_batch *b, int64_t *done, char *err, size_t errlen);

#endif
