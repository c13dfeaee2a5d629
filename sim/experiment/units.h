/* units.h: what one unit of a run computes, wherever it runs (DESIGN.md 1).
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
 * scratch, which may be NULL without a sweep) and journal it before it
 * counts as done. n_values: es_unit_values(us, g). */
es_status es_unit_obtain(const es_experiment *x, const es_unit_space *us, int64_t g,
                         es_params *scratch, double *monthly, size_t n_values, uint64_t *events,
                         char *err, size_t errlen);

#endif
