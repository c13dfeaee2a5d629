/* results.c: releasing what an es_run_result owns (layout in results.h). */
#include <stddef.h> /* results.h uses size_t without including it */
#include <stdlib.h>
#include <string.h>
#include "results.h"

void es_summary_fini(es_summary *s)
{
    free(s->mean);
    free(s->sd);
    free(s->lo);
    free(s->hi);
    memset(s, 0, sizeof *s);
}

void es_scenario_result_fini(es_scenario_result *s)
{
    if (!s) return;
    free(s->name);
    free(s->config);
    free(s->month_start);
    free(s->fy);
    free(s->cy);
    free(s->replication);
    free(s->monthly);
    free(s->fiscal);
    free(s->calendar);
    es_summary_fini(&s->fy_sum);
    es_summary_fini(&s->cy_sum);
    memset(s, 0, sizeof *s);
}

#define ES_CMP_NAME(id, name, desc) name,
#define ES_CMP_DESC(id, name, desc) desc,
const char *const es_cmp_stat_names[ES_CMP_N_STATS] = {ES_CMP_STAT_LIST(ES_CMP_NAME)};
const char *const es_cmp_stat_descs[ES_CMP_N_STATS] = {ES_CMP_STAT_LIST(ES_CMP_DESC)};
#undef ES_CMP_NAME
#undef ES_CMP_DESC

void es_comparison_result_fini(es_comparison_result *c)
{
    if (!c) return;
    free(c->base);
    free(c->alt);
    free(c->fy);
    free(c->cy);
    free(c->fiscal);
    free(c->calendar);
    memset(c, 0, sizeof *c);
}

void es_run_result_free(es_run_result *r)
{
    if (!r) return;
    for (int i = 0; i < r->n_scenarios && r->scenarios; i++)
        es_scenario_result_fini(&r->scenarios[i]);
    free(r->scenarios);
    for (int i = 0; i < r->n_comparisons && r->comparisons; i++)
        es_comparison_result_fini(&r->comparisons[i]);
    free(r->comparisons);
    free(r->precision);
    free(r->program_version);
    free(r->git_commit);
    free(r->rng);
    free(r->config_text);
    free(r->command_line);
    free(r->started);
    free(r->finished);
    free(r->host);
    for (int i = 0; r->shard.scenarios && i < r->shard.n_scenarios; i++)
        free(r->shard.scenarios[i]);
    free(r->shard.scenarios);
    free(r->shard.comparisons);
    free(r->shard.units);
    for (int i = 0; i < r->n_sweep && r->sweep; i++) es_sweep_result_fini(&r->sweep[i]);
    free(r->sweep);
    es_design_result_fini(&r->design);
    es_design_result_fini(&r->draws);
    /* Zeroed, so a second free or a reuse of *r is harmless. */
    memset(r, 0, sizeof *r);
}

void es_sweep_result_fini(es_sweep_result *s)
{
    if (!s) return;
    free(s->name);
    free(s->config);
    free(s->fy);
    free(s->cy);
    free(s->unit);
    free(s->fiscal);
    free(s->calendar);
    free(s->fy_sum);
    free(s->cy_sum);
    memset(s, 0, sizeof *s);
}

void es_design_result_fini(es_design_result *d)
{
    if (!d) return;
    for (int j = 0; j < d->n_params && d->names; j++) free(d->names[j]);
    for (int j = 0; j < d->n_params && d->dists; j++) free(d->dists[j]);
    free(d->names);
    free(d->dists);
    free(d->kind);
    free(d->x);
    memset(d, 0, sizeof *d);
}
