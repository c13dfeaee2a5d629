/* ero.c: detention and removal (docs/model.md, ERO).
 *
 * ERO officers are workforce pools like HSI agents (interior arrests,
 * processing, detention management, removal operations); HSI agents lent
 * through ero_support locate overstays. People booked in (border
 * transfers, worksite and overstay arrests, ERO's own interior arrests)
 * take a bed if one is free, else they are released; detention lasts an
 * exponential stay whose mean depends on where the person was arrested, and
 * ends in release or, for those to be removed, in a removal operation that
 * needs removal officers' hours: they stay in detention until it is done,
 * and are released if it waits past the backlog limit. Beds follow the ERO
 * budget path.
 *
 * Every interior arrest takes its own officer, so the interior officers work
 * in parallel and a day's arrests are made within days, not served by one
 * officer over months (es_ero_on_demand). */
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_randist.h>
#include "../core/check.h"
#include "../core/mem.h"
#include "../rng/rng.h"
#include "model.h"
#include "model_impl.h"

enum { PRIO_ERO = 3 };

/* Keys of the ERO stream: [source 3][id 61]. A booking's source and id
 * (model_impl.h) key its stay and removal; KEY_DEMAND keys the number of
 * interior arrests of a day by the day. */
enum { KEY_DEMAND = ES_ERO_FROM_INTERIOR + 1 };

static gsl_rng *ero_rng(es_world *w, int source, uint64_t id)
{
    es_rng_entity(w->r_ero, ES_RNG_KEY2(3, (uint64_t)source, 61, id));
    return w->r_ero;
}

/* A detention stay is its people, released together, and how many of them
 * are to be removed, 16 bits each in its release event's id: the event
 * carries the whole stay, so no record is kept for the weeks it lasts (a
 * record read once, cold, at the release). While the removal operation
 * waits or runs, its work item's ref is the number still held. */
enum { STAY_BITS = 16, STAY_MAX = (1 << STAY_BITS) - 1 };

/* Interior arrests. Each takes one officer for ero.task_hours at the
 * officers' hours per day, first come first served, and is not made if no
 * officer is free within ero.backlog_days: a pool of servers
 * (workforce.h). Every arrest takes the same time, so the officer free
 * soonest is always the one who took the arrest `officers` arrests before:
 * a ring of the officers' free times, in the order they were taken, gives
 * each arrest its start and finish when its day's demand is drawn. The
 * arrests are then booked in at their finish, by one event for all those
 * finishing at the same time (a day's arrests, while officers are free), in
 * the order they were sought: the arrests, bookings and hours of a pool
 * with an event per arrest, with about one event a day instead of 300. */
typedef struct {
    double t;     /* when the officer is done */
    uint64_t key; /* the booking's key: (day, index within the day) */
} due_arrest;

struct es_ero_interior {
    double *free_at; /* officers' free times; free_at[next] is the soonest */
    size_t officers, next;
    due_arrest *due; /* arrests in hand, in finish order: a ring from head */
    size_t head, n, cap;
};

/* Room for one more arrest in hand (the ring doubles, unrolled to 0). */
static int due_room(struct es_ero_interior *in)
{
    if (in->n < in->cap) return 1;
    size_t cap = in->cap ? 2 * in->cap : 1024;
    due_arrest *d = es_reallocarray(NULL, cap, sizeof *d);
    if (!d) return 0;
    for (size_t i = 0; i < in->n; i++) d[i] = in->due[(in->head + i) % in->cap];
    free(in->due);
    in->due = d;
    in->head = 0;
    in->cap = cap;
    return 1;
}

/* Processing and detention management: hours that nothing waits for. */
static void task(es_world *w, int t, double people)
{
    double h = people * w->p->ero_task_hours[t];
    if (h > 0) es_work_add(w->wf, ES_N_PROGRAMS + t, h);
}

/* The stay and the removal are both drawn here, from the booking's own
 * substream: how many others were booked or released before never changes
 * them. People arrested in the interior (ERO, overstays, worksites) stay
 * longer than border transfers, most of whom are removed quickly. */
void es_ero_book_in(es_world *w, double people, int source, uint64_t id)
{
    es_world_add(w, ES_M_ERO_ARRESTS, people);
    if (source == ES_ERO_FROM_BORDER) es_world_add(w, ES_M_ERO_BORDER_TRANSFERS, people);
    if (source == ES_ERO_FROM_INTERIOR || source == ES_ERO_FROM_OVERSTAY)
        es_world_add(w, ES_M_ERO_ADMIN_ARRESTS, people);
    task(w, ES_ERO_PROCESSING, people);
    if (w->detention + people > w->beds) {
        es_world_add(w, ES_M_ERO_RELEASES, people);
        return;
    }
    w->detention += people;
    task(w, ES_ERO_DETENTION, people);
    gsl_rng *r = ero_rng(w, source, id);
    double mean =
        source == ES_ERO_FROM_BORDER ? w->p->detention_days : w->p->detention_days_interior;
    double t = es_engine_now(w->eng) + es_rng_exponential(r, mean);
    unsigned removed = gsl_ran_binomial(r, w->p->removal_share, (unsigned)people);
    if (t >= w->horizon) return;
    /* Bookings are whole people: a party, one arrest, a worksite's count. A
     * stay of more than STAY_MAX people (no party or worksite draw comes
     * near) is held as several that end together. */
    ES_ASSERT(people == (double)(unsigned)people);
    for (unsigned left = (unsigned)people; left > 0;) {
        unsigned n = left < STAY_MAX ? left : STAY_MAX, k = removed < n ? removed : n;
        if (es_engine_at(w->eng, t, EV_RELEASE_DETAINEE, (uint32_t)n << STAY_BITS | k) != ES_OK) {
            es_engine_stop(w->eng, ES_ERR_NOMEM);
            return;
        }
        left -= n;
        removed -= k;
    }
}

/* People leave detention, counted as released or removed. */
static void leave_detention(es_world *w, int metric, double people)
{
    w->detention -= people;
    es_world_add(w, metric, people);
}

/* The stay ends: those not to be removed are released; the others wait in
 * detention for a removal operation. */
void es_ero_on_release(void *ctx, es_engine *eng, const es_event *ev)
{
    ES_UNUSED(eng);
    es_world *w = ctx;
    unsigned people = ev->id >> STAY_BITS, removed = ev->id & STAY_MAX;
    leave_detention(w, ES_M_ERO_RELEASES, people - removed);
    if (removed == 0) return;
    double h = removed * w->p->ero_task_hours[ES_ERO_REMOVAL];
    if (h <= 0) {
        leave_detention(w, ES_M_REMOVALS, removed);
    } else if (es_work_submit(w->wf, ES_N_PROGRAMS + ES_ERO_REMOVAL, PRIO_ERO, WK_ERO_REMOVAL,
                              removed, h) != ES_OK) {
        es_engine_stop(w->eng, ES_ERR_NOMEM);
    }
}

static void removal_done(void *ctx, const es_work *it)
{
    leave_detention(ctx, ES_M_REMOVALS, it->ref);
}

/* No removal officer took the case within the backlog limit: released. */
static void removal_dropped(void *ctx, const es_work *it)
{
    leave_detention(ctx, ES_M_ERO_RELEASES, it->ref);
}

/* Interior officers' hours: `n` arrests started at t0, each taking s days. */
static void book_interior_hours(es_world *w, double t0, double s, double n)
{
    if (n > 0)
        es_world_add_span(w, ES_M_ERO_USED_0 + ES_ERO_INTERIOR, t0, t0 + s,
                          n * es_world_hours_per_day(w));
}

/* ERO's interior arrests of a day: a Poisson number keyed by the day, each
 * keyed (day, index), so that a scenario with another rate or other
 * officers arrests the same people first. Each is given an officer now
 * (struct es_ero_interior) and booked in when that officer is done. */
void es_ero_on_demand(void *ctx, es_engine *eng, const es_event *ev)
{
    ES_UNUSED(ev);
    es_world *w = ctx;
    struct es_ero_interior *in = w->interior;
    double now = es_engine_now(eng);
    uint64_t day = (uint64_t)now; /* demand comes at whole days from 0 */
    double rate = es_path_at(&w->p->ero_interior_rate, es_world_day(w, now));
    unsigned n = rate > 0 ? gsl_ran_poisson(ero_rng(w, KEY_DEMAND, day), rate) : 0;
    double h = w->p->ero_task_hours[ES_ERO_INTERIOR];
    double s = h / es_world_hours_per_day(w); /* days an arrest takes its officer */
    /* hours of the arrests started at span_t0, booked together */
    double span_t0 = 0, span_n = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t key = ES_RNG_KEY2(32, day, 29, (uint64_t)i);
        if (h <= 0) {
            es_ero_book_in(w, 1, ES_ERO_FROM_INTERIOR, key);
            continue;
        }
        if (in->officers == 0) continue;
        double *slot = &in->free_at[in->next];
        double start = *slot > now ? *slot : now;
        if (start - now > w->p->ero_backlog_days) continue; /* not made */
        double done = start + s;
        *slot = done;
        in->next = in->next + 1 < in->officers ? in->next + 1 : 0;
        if (start != span_t0) {
            book_interior_hours(w, span_t0, s, span_n);
            span_n = 0;
        }
        span_t0 = start;
        span_n++;
        if (done >= w->horizon) continue; /* made after the horizon: never booked */
        if (!due_room(in)) {
            es_engine_stop(eng, ES_ERR_NOMEM);
            return;
        }
        /* One event per finish time: finishes never decrease, and one
         * after every arrest in hand needs an event of its own. */
        int same = in->n > 0 && in->due[(in->head + in->n - 1) % in->cap].t == done;
        in->due[(in->head + in->n++) % in->cap] = (due_arrest){done, key};
        if (!same && es_engine_at(eng, done, EV_ERO_ARRESTS_MADE, 0) != ES_OK) return;
    }
    book_interior_hours(w, span_t0, s, span_n);
    double t = now + 1.0;
    if (t < w->horizon && es_engine_at(eng, t, EV_ERO_DEMAND, 0) != ES_OK)
        es_engine_stop(eng, ES_ERR_NOMEM);
}

/* The arrests whose officers are done now are made. */
void es_ero_on_arrests_made(void *ctx, es_engine *eng, const es_event *ev)
{
    ES_UNUSED(ev);
    es_world *w = ctx;
    struct es_ero_interior *in = w->interior;
    double now = es_engine_now(eng);
    while (in->n > 0 && in->due[in->head].t <= now) {
        uint64_t key = in->due[in->head].key;
        in->head = in->head + 1 < in->cap ? in->head + 1 : 0;
        in->n--;
        es_ero_book_in(w, 1, ES_ERO_FROM_INTERIOR, key);
    }
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
    w->interior = es_calloc(1, sizeof *w->interior);
    if (!w->interior) return ES_ERR_NOMEM;
    /* The interior pool's officers count its available hours (workforce);
     * their arrests are taken here. */
    int officers = (int)w->p->officers[ES_ERO_INTERIOR];
    w->interior->officers = officers > 0 ? (size_t)officers : 0;
    if (officers > 0) {
        w->interior->free_at = es_calloc((size_t)officers, sizeof *w->interior->free_at);
        if (!w->interior->free_at) return ES_ERR_NOMEM;
    }
    const es_work_kind removal = {NULL, removal_done, removal_dropped, NULL};
    es_workforce_kind(w->wf, WK_ERO_REMOVAL, &removal);
    for (int t = 0; t < ES_N_ERO_TASKS; t++) {
        es_workforce_pool(w->wf, ES_N_PROGRAMS + t, es_world_hours_per_day(w),
                          w->p->ero_backlog_days, ES_M_ERO_USED_0 + t, ES_M_ERO_AVAIL_0 + t);
        if (t == ES_ERO_PROCESSING || t == ES_ERO_DETENTION)
            es_workforce_fluid(w->wf, ES_N_PROGRAMS + t);
    }
    update_beds(w);
    for (int t = 0; t < ES_N_ERO_TASKS; t++)
        es_work_set_servers(w->wf, ES_N_PROGRAMS + t, (int)w->p->officers[t]);
    if (es_engine_at(w->eng, 0.0, EV_ERO_DEMAND, 0) != ES_OK) return ES_ERR_NOMEM;
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
    if (w->interior) {
        free(w->interior->free_at);
        free(w->interior->due);
        free(w->interior);
    }
}
