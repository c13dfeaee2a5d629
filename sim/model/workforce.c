/* workforce.c: pools of servers serving prioritized work items (workforce.h). */
#include "workforce.h"
#include <math.h>
#include <stdlib.h>
#include "../core/check.h"
#include "../core/mem.h"
#include "../engine/pool.h"

enum { WS_SERVING, WS_STALE };

/* A class's waiting items, by value, in a ring (cap a power of two, 0 when
 * never used): v[(head + i) & (cap - 1)] is the i-th in line. Waiting items
 * have no id: an id (a record of `items`) is taken when service starts, as
 * only items in service have events. Kept by value and in line, the items
 * a pool will start next sit together in memory, where a linked list of
 * pool records scattered them (the overloaded programs hold tens of
 * thousands waiting, read again only when they start or expire). */
typedef struct {
    es_work *v;
    uint32_t head, n, cap;
} wqueue;

/* Invariants: n_serving <= servers after every public call (pre-emption
 * enforces it); serving[0 .. n_serving) are the items in service, each
 * with next = its index there; serving_in[c] counts them by class; each
 * class's waiting items are a FIFO, q[c], `queued` of them in all. */
typedef struct {
    int servers;
    int n_serving, cap_serving;
    uint32_t *serving;
    int serving_in[ES_PRIO_N];
    wqueue q[ES_PRIO_N];
    size_t queued;
    double rate;       /* hours per server-day */
    double shelf;      /* days an item may wait */
    double avail_from; /* time up to which available hours are counted */
    int m_used, m_avail;
    int fluid;         /* divisible work: a backlog of hours, no items */
    double backlog;    /* fluid: hours waiting or in progress at fluid_from */
    double fluid_from; /* fluid: time up to which the backlog is worked down */
} wpool;

struct es_workforce {
    es_engine *eng;
    uint32_t ev_done;
    void *ctx;
    es_work_span_fn span;
    es_pool *items;
    int n_pools;
    wpool *pool;
    es_work_kind kind[ES_WORK_KINDS];
    unsigned char kind_set[ES_WORK_KINDS];
};

/* Room for the items the model keeps alive at its peak. */
enum { ITEMS_HINT = 1 << 14 };

es_workforce *es_workforce_new(es_engine *eng, uint32_t ev_done, int n_pools, void *ctx,
                               es_work_span_fn span)
{
    ES_ASSERT(eng != NULL && span != NULL && n_pools > 0 && n_pools <= UINT16_MAX);
    es_workforce *wf = es_calloc(1, sizeof *wf);
    if (!wf) return NULL;
    wf->eng = eng;
    wf->ev_done = ev_done;
    wf->ctx = ctx;
    wf->span = span;
    wf->n_pools = n_pools;
    wf->items = es_pool_new(sizeof(es_work), ITEMS_HINT);
    wf->pool = es_calloc((size_t)n_pools, sizeof *wf->pool);
    if (!wf->items || !wf->pool) {
        es_workforce_free(wf);
        return NULL;
    }
    for (int p = 0; p < n_pools; p++) {
        wpool *pl = &wf->pool[p];
        pl->rate = 1.0;
        pl->shelf = INFINITY;
        pl->m_used = pl->m_avail = -1;
    }
    return wf;
}

void es_workforce_free(es_workforce *wf)
{
    if (!wf) return;
    if (wf->pool)
        for (int p = 0; p < wf->n_pools; p++) {
            free(wf->pool[p].serving);
            for (int c = 0; c < ES_PRIO_N; c++) free(wf->pool[p].q[c].v);
        }
    free(wf->pool);
    es_pool_free(wf->items);
    free(wf);
}

void es_workforce_kind(es_workforce *wf, int kind, const es_work_kind *k)
{
    ES_ASSERT(kind >= 0 && kind < ES_WORK_KINDS && k != NULL);
    wf->kind[kind] = *k;
    wf->kind_set[kind] = 1;
}

void es_workforce_pool(es_workforce *wf, int p, double rate, double shelf, int m_used, int m_avail)
{
    ES_ASSERT(p >= 0 && p < wf->n_pools && rate > 0 && shelf >= 0); /* NaN fails both */
    wpool *pl = &wf->pool[p];
    pl->rate = rate;
    pl->shelf = shelf;
    pl->m_used = m_used;
    pl->m_avail = m_avail;
}

static es_work *item(const es_workforce *wf, uint32_t id)
{
    return es_pool_get(wf->items, id);
}

static const es_work_kind *kind_of(const es_workforce *wf, const es_work *it)
{
    return &wf->kind[it->kind];
}

static void dropped(es_workforce *wf, const es_work *it)
{
    const es_work_kind *k = kind_of(wf, it);
    if (k->on_dropped) k->on_dropped(wf->ctx, it);
}

/* Hours worked by an item since its (re)start: to its pool, then its kind. */
static void account_service(es_workforce *wf, const es_work *it, double now)
{
    wpool *pl = &wf->pool[it->pool];
    if (!(now > it->start)) return;
    if (pl->m_used >= 0) wf->span(wf->ctx, pl->m_used, it->start, now, pl->rate);
    const es_work_kind *k = kind_of(wf, it);
    if (k->on_hours) k->on_hours(wf->ctx, it, it->start, now, pl->rate);
}

static void start(es_workforce *wf, uint32_t id)
{
    es_work *it = item(wf, id);
    wpool *pl = &wf->pool[it->pool];
    double now = es_engine_now(wf->eng);
    ES_ASSERT(pl->n_serving < pl->cap_serving);
    it->next = (uint32_t)pl->n_serving;
    pl->serving[pl->n_serving++] = id;
    pl->serving_in[it->prio]++;
    it->state = WS_SERVING;
    it->start = now;
    double t = now + it->hours / pl->rate;
    if (es_engine_at(wf->eng, t, wf->ev_done, id) != ES_OK) es_engine_stop(wf->eng, ES_ERR_NOMEM);
    const es_work_kind *k = kind_of(wf, it);
    if (k->on_start) k->on_start(wf->ctx, it);
}

static es_work *q_at(const wqueue *q, uint32_t i)
{
    return &q->v[(q->head + i) & (q->cap - 1)];
}

/* Room for one more item; 0 when out of memory (the queue unchanged). */
static int q_room(wqueue *q)
{
    if (q->n < q->cap) return 1;
    if (q->cap > UINT32_MAX / 4) return 0;
    uint32_t cap = q->cap ? 2 * q->cap : 64;
    es_work *v = es_reallocarray(NULL, cap, sizeof *v);
    if (!v) return 0;
    for (uint32_t i = 0; i < q->n; i++) v[i] = *q_at(q, i);
    free(q->v);
    q->v = v;
    q->head = 0;
    q->cap = cap;
    return 1;
}

/* Put an item in line: at the back, or at the head (pre-empted work). */
static es_status push_queue(wpool *pl, const es_work *it, int at_head)
{
    wqueue *q = &pl->q[it->prio];
    if (!q_room(q)) return ES_ERR_NOMEM;
    if (at_head) q->head = (q->head - 1) & (q->cap - 1);
    *q_at(q, at_head ? 0 : q->n) = *it;
    q->n++;
    pl->queued++;
    return ES_OK;
}

/* Take the head of class c's line into *out; 0 when it is empty. */
static int pop_class(wpool *pl, int c, es_work *out)
{
    wqueue *q = &pl->q[c];
    if (q->n == 0) return 0;
    *out = q->v[q->head];
    q->head = (q->head + 1) & (q->cap - 1);
    q->n--;
    pl->queued--;
    return 1;
}

/* Drop expired items at the heads of the FIFOs: each class is in arrival
 * order, so the expired ones are at the head. A pre-empted item goes back
 * to the head with its shelf life restarted; items behind it are examined
 * once it has left the head, so they may wait a little past theirs. */
static void expire_pool(es_workforce *wf, int p)
{
    wpool *pl = &wf->pool[p];
    double now = es_engine_now(wf->eng);
    for (int c = ES_PRIO_EXPIRES; c < ES_PRIO_N; c++) {
        es_work it;
        while (pl->q[c].n > 0 && now - q_at(&pl->q[c], 0)->enq_time > pl->shelf) {
            pop_class(pl, c, &it);
            dropped(wf, &it);
        }
    }
}

static void fill(es_workforce *wf, int p)
{
    wpool *pl = &wf->pool[p];
    expire_pool(wf, p);
    for (int c = 0; c < ES_PRIO_N && pl->n_serving < pl->servers; c++) {
        es_work it;
        while (pl->n_serving < pl->servers && pop_class(pl, c, &it)) {
            uint32_t id = es_pool_alloc(wf->items);
            if (id == ES_POOL_NONE) {
                push_queue(pl, &it, 1); /* the slot it just left: no allocation */
                es_engine_stop(wf->eng, ES_ERR_NOMEM);
                return;
            }
            *item(wf, id) = it;
            start(wf, id);
        }
    }
}

/* Remove serving-list entry k, keeping the moved item's index right. */
static void unserve(es_workforce *wf, wpool *pl, int k)
{
    es_work *it = item(wf, pl->serving[k]);
    pl->serving_in[it->prio]--;
    pl->serving[k] = pl->serving[--pl->n_serving];
    if (k < pl->n_serving) item(wf, pl->serving[k])->next = (uint32_t)k;
}

/* Stop an item of the lowest priority class in service (the most recently
 * listed one) and put its remaining hours back at the head of its class. */
static int preempt_one(es_workforce *wf, int p, int below_prio)
{
    wpool *pl = &wf->pool[p];
    double now = es_engine_now(wf->eng);
    int cls = ES_PRIO_N - 1;
    while (cls > below_prio && pl->serving_in[cls] == 0) cls--;
    if (cls <= below_prio) return 0;
    int best = pl->n_serving - 1;
    while (item(wf, pl->serving[best])->prio != cls) best--;
    uint32_t old = pl->serving[best];
    unserve(wf, pl, best);
    es_work *o = item(wf, old);
    account_service(wf, o, now);
    double left = o->hours - (now - o->start) * pl->rate;
    es_work copy = *o;
    o->state = WS_STALE; /* its completion event will release it */
    copy.hours = left > 0 ? left : 0;
    copy.enq_time = now; /* work in progress is not stale: its shelf life restarts */
    if (push_queue(pl, &copy, 1) != ES_OK) {
        es_engine_stop(wf->eng, ES_ERR_NOMEM);
        return 0;
    }
    return 1;
}

/* Work a fluid pool's backlog down from fluid_from to now, all servers on
 * it: used hours are exactly the capacity until the backlog is gone. */
static void fluid_advance(es_workforce *wf, wpool *pl, double now)
{
    double per_day = pl->rate * pl->servers, t0 = pl->fluid_from;
    pl->fluid_from = now;
    if (!(now > t0) || !(pl->backlog > 0) || !(per_day > 0)) return;
    double t1 = now, worked = per_day * (now - t0);
    if (worked >= pl->backlog) {
        t1 = t0 + pl->backlog / per_day;
        worked = pl->backlog;
    }
    pl->backlog -= worked;
    if (t1 > t0 && pl->m_used >= 0) wf->span(wf->ctx, pl->m_used, t0, t1, per_day);
}

void es_workforce_fluid(es_workforce *wf, int p)
{
    ES_ASSERT(p >= 0 && p < wf->n_pools);
    wpool *pl = &wf->pool[p];
    ES_ASSERT(pl->n_serving == 0 && pl->queued == 0);
    pl->fluid = 1;
    pl->fluid_from = es_engine_now(wf->eng);
}

void es_work_add(es_workforce *wf, int p, double hours)
{
    ES_ASSERT(p >= 0 && p < wf->n_pools && wf->pool[p].fluid);
    wpool *pl = &wf->pool[p];
    fluid_advance(wf, pl, es_engine_now(wf->eng));
    /* FIFO at a constant capacity: these hours would start after the
     * backlog, so work that would wait past the shelf life is never done
     * (as an item would expire in the queue). */
    double per_day = pl->rate * pl->servers;
    double wait = per_day > 0 ? pl->backlog / per_day : INFINITY;
    if (wait > pl->shelf) return;
    pl->backlog += hours;
}

es_status es_work_submit(es_workforce *wf, int p, int prio, int kind, uint32_t ref, double hours)
{
    ES_ASSERT(p >= 0 && p < wf->n_pools && prio >= 0 && prio < ES_PRIO_N);
    ES_ASSERT(!wf->pool[p].fluid);
    ES_ASSERT(kind >= 0 && kind < ES_WORK_KINDS && wf->kind_set[kind]);
    wpool *pl = &wf->pool[p];
    const es_work it = {.hours = hours,
                        .enq_time = es_engine_now(wf->eng),
                        .ref = ref,
                        .pool = (uint16_t)p,
                        .prio = (uint8_t)prio,
                        .kind = (uint8_t)kind};
    /* The record first: out of memory then changes nothing (no item
     * pre-empted for one that cannot start). A queued item gives it back. */
    uint32_t id = es_pool_alloc(wf->items);
    if (id == ES_POOL_NONE) return ES_ERR_NOMEM;
    int serve = pl->n_serving < pl->servers || (prio == 0 && preempt_one(wf, p, 0)) ||
                (prio < ES_PRIO_BACKGROUND && preempt_one(wf, p, ES_PRIO_BACKGROUND - 1));
    if (!serve) {
        es_pool_release(wf->items, id);
        return push_queue(pl, &it, 0);
    }
    *item(wf, id) = it;
    start(wf, id);
    return ES_OK;
}

void es_work_done(es_workforce *wf, uint32_t id)
{
    es_work *it = item(wf, id);
    if (it->state == WS_STALE) {
        es_pool_release(wf->items, id);
        return;
    }
    ES_ASSERT(it->state == WS_SERVING);
    wpool *pl = &wf->pool[it->pool];
    double now = es_engine_now(wf->eng);
    ES_ASSERT(it->next < (uint32_t)pl->n_serving && pl->serving[it->next] == id);
    unserve(wf, pl, (int)it->next);
    account_service(wf, it, now);
    int p = it->pool;
    es_work done = *it;
    es_pool_release(wf->items, id);
    const es_work_kind *k = kind_of(wf, &done);
    if (k->on_done) k->on_done(wf->ctx, &done);
    fill(wf, p);
}

void es_work_account(es_workforce *wf)
{
    double now = es_engine_now(wf->eng);
    for (int p = 0; p < wf->n_pools; p++) {
        wpool *pl = &wf->pool[p];
        if (now > pl->avail_from && pl->m_avail >= 0)
            wf->span(wf->ctx, pl->m_avail, pl->avail_from, now, pl->rate * pl->servers);
        pl->avail_from = now;
    }
}

/* Hours of the items in service are booked up to now, and their service
 * restarts from now with what is left: the completion time is unchanged, and
 * a month's used hours are those worked in it, not those of the work that
 * happened to finish in it (else a horizon's last months undercount). */
void es_work_accrue(es_workforce *wf)
{
    double now = es_engine_now(wf->eng);
    for (int p = 0; p < wf->n_pools; p++) {
        wpool *pl = &wf->pool[p];
        if (pl->fluid) fluid_advance(wf, pl, now);
        for (int k = 0; k < pl->n_serving; k++) {
            es_work *it = item(wf, pl->serving[k]);
            if (!(now > it->start)) continue;
            account_service(wf, it, now);
            it->hours -= (now - it->start) * pl->rate;
            if (it->hours < 0) it->hours = 0;
            it->start = now;
        }
    }
}

void es_work_set_servers(es_workforce *wf, int p, int servers)
{
    ES_ASSERT(p >= 0 && p < wf->n_pools);
    wpool *pl = &wf->pool[p];
    if (servers < 0) servers = 0;
    es_work_account(wf);
    if (pl->fluid) fluid_advance(wf, pl, es_engine_now(wf->eng));
    if (servers > pl->cap_serving) {
        uint32_t *s = es_reallocarray(pl->serving, (size_t)servers, sizeof *s);
        if (!s) {
            es_engine_stop(wf->eng, ES_ERR_NOMEM);
            return;
        }
        pl->serving = s;
        pl->cap_serving = servers;
    }
    pl->servers = servers;
    while (pl->n_serving > pl->servers && preempt_one(wf, p, -1)) {}
    fill(wf, p);
}

int es_work_servers(const es_workforce *wf, int p)
{
    return wf->pool[p].servers;
}

void es_work_expire(es_workforce *wf)
{
    for (int p = 0; p < wf->n_pools; p++) fill(wf, p);
}

size_t es_work_queued(const es_workforce *wf, int p)
{
    return wf->pool[p].queued;
}

double es_work_queued_hours(const es_workforce *wf, int p)
{
    const wpool *pl = &wf->pool[p];
    if (pl->fluid) {
        double now = es_engine_now(wf->eng);
        double worked = now > pl->fluid_from ? pl->rate * pl->servers * (now - pl->fluid_from) : 0;
        return worked < pl->backlog ? pl->backlog - worked : 0;
    }
    double h = 0;
    for (int c = 0; c < ES_PRIO_N; c++)
        for (uint32_t i = 0; i < pl->q[c].n; i++) h += q_at(&pl->q[c], i)->hours;
    return h;
}

size_t es_work_serving(const es_workforce *wf, int p)
{
    return (size_t)wf->pool[p].n_serving;
}

void es_work_remove_if(es_workforce *wf, int p, int prio,
                       int (*leave)(void *ctx, const es_work *it, void *arg), void *arg)
{
    wpool *pl = &wf->pool[p];
    double now = es_engine_now(wf->eng);
    /* In service: the item's completion event is still scheduled, so it is
     * marked stale and released when that event arrives. */
    for (int k = pl->n_serving - 1; k >= 0; k--) {
        es_work *it = item(wf, pl->serving[k]);
        if (it->prio != prio || !leave(wf->ctx, it, arg)) continue;
        unserve(wf, pl, k);
        account_service(wf, it, now);
        it->state = WS_STALE;
        dropped(wf, it);
    }
    /* Waiting: each item in turn leaves the head and, if it stays, goes to
     * the back (into the slot just freed: no allocation), so the line ends
     * in its order and a hook that reads the pool sees every item still
     * there, once. */
    wqueue *q = &pl->q[prio];
    for (uint32_t i = 0, n = q->n; i < n; i++) {
        es_work it;
        int go = leave(wf->ctx, q_at(q, 0), arg);
        pop_class(pl, prio, &it);
        if (!go) {
            push_queue(pl, &it, 0);
            continue;
        }
        uint32_t waiting = q->n;
        dropped(wf, &it);
        ES_ASSERT(q->n == waiting); /* no work of this class from the hooks (workforce.h) */
    }
}
