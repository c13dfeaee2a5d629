/* ero.c: detention and removal (docs/model.md, ERO).
 *
 * ERO officers are workforce pools like HSI agents (interior arrests,
 * processing, detention management, removal operations); HSI agents lent
 * through ero_support locate overstays. People booked in (border
 * transfers, worksite and overstay arrests, ERO's own interior arrests)
 * take a bed if one is free, else they are released; detention lasts an
 * exponential stay and ends in removal or release. Beds follow the ERO
 * budget path. Officer hours are demanded per person processed, per
 * detention stay and per removal. */
#include <math.h>
#include <gsl/gsl_randist.h>
#include "../core/check.h"
#include "../engine/pool.h"
#include "../rng/rng.h"
#include "model.h"
#include "model_impl.h"

enum { PRIO_ERO = 3 };

/* Keys of the ERO stream: [source 3][id 61]. A booking's source and id
 * (model_impl.h) key its stay and removal; KEY_DEMAND keys the size of a
 * day's batch of interior arrests by the day. */
enum { KEY_DEMAND = ES_ERO_FROM_INTERIOR + 1 };

static gsl_rng *ero_rng(es_world *w, int source, uint64_t id)
{
    es_rng_entity(w->r_ero, ES_RNG_KEY2(3, (uint64_t)source, 61, id));
    return w->r_ero;
}

/* Room for the detention stays running at once at the peak. */
enum { DETAINEES_HINT = 1 << 12 };

/* People in detention, released together; `removed` of them are removed. */
typedef struct {
    double people;
    unsigned removed;
} detainee;

static void task(es_world *w, int t, double people)
{
    double h = people * w->p->ero_task_hours[t];
    if (h > 0 && es_work_submit(w->wf, ES_N_PROGRAMS + t, PRIO_ERO, WK_ERO_TASK, 0, h) != ES_OK)
        es_engine_stop(w->eng, ES_ERR_NOMEM);
}

/* The stay and the removal are both drawn here, from the booking's own
 * substream: how many others were booked or released before never changes
 * them. */
void es_ero_book_in(es_world *w, double people, int source, uint64_t id)
{
    es_world_add(w, ES_M_ERO_ARRESTS, people);
    task(w, ES_ERO_PROCESSING, people);
    if (w->detention + people > w->beds) {
        es_world_add(w, ES_M_ERO_RELEASES, people);
        return;
    }
    w->detention += people;
    task(w, ES_ERO_DETENTION, people);
    gsl_rng *r = ero_rng(w, source, id);
    double t = es_engine_now(w->eng) + gsl_ran_exponential(r, w->p->detention_days);
    unsigned removed = gsl_ran_binomial(r, w->p->removal_share, (unsigned)people);
    if (t >= w->horizon) return;
    uint32_t d = es_pool_alloc(w->detainees);
    if (d == ES_POOL_NONE || es_engine_at(w->eng, t, EV_RELEASE_DETAINEE, d) != ES_OK) {
        es_engine_stop(w->eng, ES_ERR_NOMEM);
        return;
    }
    detainee *dt = es_pool_get(w->detainees, d);
    dt->people = people;
    dt->removed = removed;
}

void es_ero_on_release(void *ctx, es_engine *eng, const es_event *ev)
{
    ES_UNUSED(eng);
    es_world *w = ctx;
    detainee dt = *(const detainee *)es_pool_get(w->detainees, ev->id);
    es_pool_release(w->detainees, ev->id);
    w->detention -= dt.people;
    es_world_add(w, ES_M_REMOVALS, dt.removed);
    es_world_add(w, ES_M_ERO_RELEASES, dt.people - dt.removed);
    task(w, ES_ERO_REMOVAL, dt.removed);
}

/* The size of day's batch of interior arrests, keyed by the day. */
static unsigned batch_size(es_world *w, uint64_t day)
{
    return gsl_ran_poisson(ero_rng(w, KEY_DEMAND, day), w->p->ero_interior_rate);
}

/* ERO's own interior arrests come as one day's batch of targets (Poisson
 * count): the same hours and arrests as one item per target, with far
 * fewer events. The day rides in the work item's ref. */
void es_ero_on_demand(void *ctx, es_engine *eng, const es_event *ev)
{
    ES_UNUSED(ev);
    es_world *w = ctx;
    double now = es_engine_now(eng);
    uint64_t day = (uint64_t)now; /* demand comes at whole days from 0 */
    ES_ASSERT(day <= UINT32_MAX); /* the item's ref names it */
    unsigned n = batch_size(w, day);
    double h = n * w->p->ero_task_hours[ES_ERO_INTERIOR];
    if (n > 0 && es_work_submit(w->wf, ES_N_PROGRAMS + ES_ERO_INTERIOR, PRIO_ERO, WK_ERO_INTERIOR,
                                (uint32_t)day, h) != ES_OK)
        es_engine_stop(eng, ES_ERR_NOMEM);
    double t = now + 1.0;
    if (t < w->horizon) es_engine_at(eng, t, EV_ERO_DEMAND, 0);
}

/* A batch's arrests are booked in when its work is done; its size is drawn
 * again from the day's key (the same number, without a field to carry it). */
static void interior_done(void *ctx, const es_work *it)
{
    es_world *w = ctx;
    es_ero_book_in(w, batch_size(w, it->ref), ES_ERO_FROM_INTERIOR, it->ref);
}

static void update_beds(es_world *w)
{
    double budget = es_path_at(&w->p->ero_budget, es_world_day(w, es_engine_now(w->eng))) +
                    es_path_at(&w->p->transfer_to_ero, es_world_day(w, es_engine_now(w->eng)));
    w->beds =
        w->p->bed_cost > 0 ? floor(budget * w->p->detention_budget_share / w->p->bed_cost) : 0;
}

es_status es_ero_init(es_world *w)
{
    w->detainees = es_pool_new(sizeof(detainee), DETAINEES_HINT);
    if (!w->detainees) return ES_ERR_NOMEM;
    const es_work_kind plain = {NULL, NULL, NULL, NULL};
    const es_work_kind interior = {NULL, interior_done, NULL, NULL};
    es_workforce_kind(w->wf, WK_ERO_TASK, &plain);
    es_workforce_kind(w->wf, WK_ERO_INTERIOR, &interior);
    for (int t = 0; t < ES_N_ERO_TASKS; t++)
        es_workforce_pool(w->wf, ES_N_PROGRAMS + t, es_world_hours_per_day(w),
                          w->p->ero_backlog_days, ES_M_ERO_USED_0 + t, ES_M_ERO_AVAIL_0 + t);
    update_beds(w);
    for (int t = 0; t < ES_N_ERO_TASKS; t++)
        es_work_set_servers(w->wf, ES_N_PROGRAMS + t, (int)w->p->officers[t]);
    if (w->p->ero_interior_rate > 0 && es_engine_at(w->eng, 0.0, EV_ERO_DEMAND, 0) != ES_OK)
        return ES_ERR_NOMEM;
    return ES_OK;
}

void es_ero_month_end(es_world *w)
{
    es_world_add(w, ES_M_DETENTION, w->detention);
    es_world_add(w, ES_M_BEDS, w->beds);
    update_beds(w);
}

void es_ero_fini(es_world *w)
{
    es_pool_free(w->detainees);
}
