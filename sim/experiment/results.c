/* results.c: releasing what an es_run_result owns (layout in results.h). */
#include <stddef.h>   /* results.h uses size_t without including it */
#include <stdlib.h>
#include <string.h>
#include "results.h"

static void summary_fini(es_summary *s)
{
    free(s->mean);
    free(s->sd);
    free(s->lo);
    free(s->hi);
}

void es_run_result_free(es_run_result *r)
{
    if (!r) return;
    for (int i = 0; i < r->n_scenarios && r->scenarios; i++) {
        es_scenario_result *s = &r->scenarios[i];
        free(s->name);
        free(s->month_start);
        free(s->fy);
        free(s->cy);
        free(s->replication);
        free(s->monthly);
        free(s->fiscal);
        free(s->calendar);
        summary_fini(&s->fy_sum);
        summary_fini(&s->cy_sum);
    }
    free(r->scenarios);
    free(r->program_version);
    free(r->git_commit);
    free(r->rng);
    free(r->config_text);
    free(r->command_line);
    free(r->started);
    free(r->finished);
    free(r->host);
    /* Zeroed, so a second free or a reuse of *r is harmless. */
    memset(r, 0, sizeof *r);
}
