/* fy2016.h: the calibrated baseline cut to FY2016 (the FY2015 warm-up and
 * one fiscal year, for speed) and the monthly metrics of its replications:
 * the common ground of the model's mechanism tests (test_enforcement,
 * test_ero, test_investigations). Include after testlib.h. */
#ifndef ES_TEST_FY2016_H
#define ES_TEST_FY2016_H
#include <stdio.h>
#include <stdlib.h>
#include "core/date.h"
#include "io/cfg.h"
#include "model/metrics.h"
#include "model/model.h"
#include "model/params.h"

/* configs/baseline.cfg ending 2016-09-30: path points past the end go.
 * Prints a FAIL line and returns -1 when the config does not load. */
static inline int fy2016_load(es_params *base)
{
    char err[512];
    if (es_cfg_load("configs/baseline.cfg", NULL, 0, base, err, sizeof err) != ES_OK) {
        printf("FAIL load_baseline: %s\n", err);
        return -1;
    }
    base->end_day = es_date_days(2016, 9, 30);
    for (size_t i = 0; i < es_param_count; i++) {
        const es_param_def *d = &es_param_table[i];
        if (d->type != ES_P_PATH) continue;
        es_path *p = (es_path *)((char *)base + d->offset);
        while (p->n > 1 && p->day[p->n - 1] > base->end_day) p->n--;
    }
    return 0;
}

typedef struct {
    int n, first; /* months; first month after the warm-up */
    double *m;    /* [replication][metric][month]; NULL when out of memory */
} fy2016_runs;

/* Replications 0 .. reps-1 of p (philox), each failure a FAIL line. */
static inline fy2016_runs fy2016_run(const es_params *p, int reps)
{
    fy2016_runs R = {es_model_months(p),
                     es_date_month_index(p->warmup_end_day) - es_date_month_index(p->start_day),
                     NULL};
    R.m = calloc((size_t)reps * ES_N_METRICS * (size_t)R.n, sizeof(double));
    char err[512];
    for (int r = 0; R.m && r < reps; r++) {
        es_model_stats st;
        if (es_model_run(p, ES_RNG_PHILOX, (uint64_t)r,
                         R.m + (size_t)r * ES_N_METRICS * (size_t)R.n, &st, err,
                         sizeof err) != ES_OK)
            printf("FAIL model_run: %s\n", err);
    }
    return R;
}

#endif
