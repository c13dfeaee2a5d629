/* units.c: see units.h. */
#include "units.h"
#include <string.h>
#include "../model/model.h"

void es_unit_decode(const es_unit_space *us, int64_t g, int *scenario, int *point,
                    int64_t *replication)
{
    const int64_t S = us->n_scenarios, P = us->sweep ? us->sweep->n_points : 1;
    *scenario = (int)(g % S);
    *point = (int)((g / S) % P);
    *replication = g / (S * P);
}

size_t es_unit_values(const es_unit_space *us, int64_t g)
{
    const es_params *p = us->scenarios[g % us->n_scenarios].p;
    return (size_t)ES_N_METRICS * (size_t)es_model_months(p);
}

es_status es_unit_obtain(const es_experiment *x, const es_unit_space *us, int64_t g,
                         es_params *scratch, double *monthly, size_t n_values, uint64_t *events,
                         char *err, size_t errlen)
{
    *events = 0;
    int loaded = x->load ? x->load(x->jctx, g, monthly, events, err, errlen) : 0;
    if (loaded < 0) return ES_ERR_IO;
    if (loaded > 0) return ES_OK;
    es_status st = x->run_unit ? x->run_unit(x->rctx, g, monthly, n_values, events, err, errlen)
                               : es_unit_compute(us, g, scratch, monthly, events, err, errlen);
    if (st == ES_OK && x->save && x->save(x->jctx, g, monthly, *events, err, errlen) != 0)
        st = ES_ERR_IO;
    return st;
}

es_status es_unit_compute(const es_unit_space *us, int64_t g, es_params *scratch, double *monthly,
                          uint64_t *events, char *err, size_t errlen)
{
    int s, pt;
    int64_t r;
    es_unit_decode(us, g, &s, &pt, &r);
    const es_params *p = us->scenarios[s].p;
    if (us->sweep) {
        memcpy(scratch, p, sizeof *scratch);
        es_sweep_apply(us->sweep, pt, scratch);
        if (!us->crn)
            scratch->seed = es_experiment_independent_seed(us->seed, s * us->sweep->n_points + pt);
        p = scratch;
    }
    es_model_stats ms;
    memset(&ms, 0, sizeof ms);
    es_status st = es_model_run(p, us->kind, (uint64_t)r, monthly, &ms, err, errlen);
    *events = ms.events;
    return st;
}
