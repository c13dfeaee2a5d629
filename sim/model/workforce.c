/* workforce.c: pools of agents serving prioritized work items (workforce.h). */
#include "workforce.h"
#include <math.h>
#include <stdlib.h>
#include "../core/check.h"
#include "../core/mem.h"
#include "model_impl.h"

enum { WS_QUEUED, WS_SERVING, WS_STALE };

static es_work *item(es_world *w, uint32_t id)
{
    return es_pool_get(w->work, id);
}

/* Hours worked by an item since its (re)start, counted to its pool. */
static void account_service(es_world *w, es_work *it, double now)
{
    es_wpool *pl = &w->pool[it->pool];
    if (now > it->start) es_world_add_span(w, pl->m_used, it->start, now, pl->rate);
    if (it->pool == ES_PROG_SMUGGLING) {
        int m = it->kind == WK_REACTIVE ? ES_M_HOURS_REACTIVE
                : it->kind == WK_TRIAGE ? ES_M_HOURS_TRIAGE
                                        : ES_M_HOURS_INVESTIGATION;
        if (now > it->start) es_world_add_span(w, m, it->start, now, pl->rate);
    }
    if (it->kind == WK_OVERSTAY && now > it->start)
        es_world_add_span(w, ES_M_ERO_USED_0 + ES_ERO_INTERIOR, it->start, now, pl->rate);
}

static void start(es_world *w, uint32_t id)
{
    es_work *it = item(w, id);
    es_wpool *pl = &w->pool[it->pool];
    double now = es_engine_now(w->eng);
    ES_ASSERT(pl->n_serving < pl->cap_serving);
    it->next = (uint32_t)pl->n_serving;
    pl->serving[pl->n_serving++] = id;
    pl->serving_in[it->prio]++;
    it->state = WS_SERVING;
    it->start = now;
    double t = now + it->hours / pl->rate;
    if (es_engine_at(w->eng, t, EV_WORK_DONE, id) != ES_OK) es_engine_stop(w->eng, ES_ERR_NOMEM);
}

static void push_queue(es_wpool *pl, es_world *w, uint32_t id, int at_head)
{
    es_work *it = item(w, id);
    int c = it->prio;
    it->state = WS_QUEUED;
    if (at_head) {
        it->next = pl->head[c];
        pl->head[c] = id;
        if (pl->tail[c] == ES_POOL_NONE) pl->tail[c] = id;
    } else {
        it->next = ES_POOL_NONE;
        if (pl->tail[c] == ES_POOL_NONE)
            pl->head[c] = id;
        else
            item(w, pl->tail[c])->next = id;
        pl->tail[c] = id;
    }
    pl->queued++;
}

static uint32_t pop_class(es_wpool *pl, es_world *w, int c)
{
    uint32_t id = pl->head[c];
    if (id == ES_POOL_NONE) return id;
    es_work *it = item(w, id);
    pl->head[c] = it->next;
    if (pl->head[c] == ES_POOL_NONE) pl->tail[c] = ES_POOL_NONE;
    pl->queued--;
    return id;
}

/* Drop expired items at the heads of the FIFOs: each class is in arrival
 * order (re-queued pre-empted items keep their original time), so the
 * expired ones are at the head. */
static void expire_pool(es_world *w, int p)
{
    es_wpool *pl = &w->pool[p];
    double now = es_engine_now(w->eng);
    for (int c = 2; c < ES_PRIO_N; c++) { /* 0 reactive, 1 case work: never dropped */
        while (pl->head[c] != ES_POOL_NONE) {
            es_work *it = item(w, pl->head[c]);
            if (now - it->enq_time <= pl->shelf) break;
            uint32_t id = pop_class(pl, w, c);
            es_hsi_on_work_dropped(w, item(w, id));
            es_pool_release(w->work, id);
        }
    }
}

static void fill(es_world *w, int p)
{
    es_wpool *pl = &w->pool[p];
    expire_pool(w, p);
    for (int c = 0; c < ES_PRIO_N && pl->n_serving < pl->servers; c++) {
        uint32_t id;
        while (pl->n_serving < pl->servers && (id = pop_class(pl, w, c)) != ES_POOL_NONE)
            start(w, id);
    }
}

/* Remove serving-list entry k, keeping the moved item's index right. */
static void unserve(es_world *w, es_wpool *pl, int k)
{
    es_work *it = item(w, pl->serving[k]);
    pl->serving_in[it->prio]--;
    pl->serving[k] = pl->serving[--pl->n_serving];
    if (k < pl->n_serving) item(w, pl->serving[k])->next = (uint32_t)k;
}

/* Stop an item of the lowest priority class in service (the most recently
 * listed one) and put its remaining hours back at the head of its class. */
static int preempt_one(es_world *w, int p, int below_prio)
{
    es_wpool *pl = &w->pool[p];
    double now = es_engine_now(w->eng);
    int cls = ES_PRIO_N - 1;
    while (cls > below_prio && pl->serving_in[cls] == 0) cls--;
    if (cls <= below_prio) return 0;
    int best = pl->n_serving - 1;
    while (item(w, pl->serving[best])->prio != cls) best--;
    uint32_t old = pl->serving[best];
    unserve(w, pl, best);
    es_work *o = item(w, old);
    account_service(w, o, now);
    double left = o->hours - (now - o->start) * pl->rate;
    es_work copy = *o;
    o->state = WS_STALE; /* its completion event will release it */
    uint32_t nid = es_pool_alloc(w->work);
    if (nid == ES_POOL_NONE) {
        es_engine_stop(w->eng, ES_ERR_NOMEM);
        return 0;
    }
    es_work *n = item(w, nid);
    *n = copy;
    n->hours = left > 0 ? left : 0;
    n->enq_time = now; /* work in progress is not stale: its shelf life restarts */
    push_queue(pl, w, nid, 1);
    return 1;
}

es_status es_work_submit(es_world *w, int p, int prio, int kind, uint32_t ref, double hours)
{
    es_wpool *pl = &w->pool[p];
    uint32_t id = es_pool_alloc(w->work);
    if (id == ES_POOL_NONE) return ES_ERR_NOMEM;
    es_work *it = item(w, id);
    it->hours = hours;
    it->enq_time = es_engine_now(w->eng);
    it->ref = ref;
    it->pool = (uint16_t)p;
    it->prio = (uint8_t)prio;
    it->kind = (uint8_t)kind;
    if (pl->n_serving < pl->servers) {
        start(w, id);
    } else if (prio == 0 && preempt_one(w, p, 0)) {
        start(w, id);
    } else {
        push_queue(pl, w, id, 0);
    }
    return ES_OK;
}

void es_work_on_done(void *ctx, es_engine *eng, const es_event *ev);
void es_work_on_done(void *ctx, es_engine *eng, const es_event *ev)
{
    es_world *w = ctx;
    es_work *it = item(w, ev->id);
    if (it->state == WS_STALE) {
        es_pool_release(w->work, ev->id);
        return;
    }
    ES_ASSERT(it->state == WS_SERVING);
    es_wpool *pl = &w->pool[it->pool];
    double now = es_engine_now(eng);
    ES_ASSERT(it->next < (uint32_t)pl->n_serving && pl->serving[it->next] == ev->id);
    unserve(w, pl, (int)it->next);
    account_service(w, it, now);
    int p = it->pool;
    es_work done = *it;
    es_pool_release(w->work, ev->id);
    es_hsi_on_work_done(w, &done, ev->id);
    fill(w, p);
}

void es_work_account(es_world *w)
{
    double now = es_engine_now(w->eng);
    for (int p = 0; p < ES_N_POOLS; p++) {
        es_wpool *pl = &w->pool[p];
        if (now > pl->avail_from)
            es_world_add_span(w, pl->m_avail, pl->avail_from, now, pl->rate * pl->servers);
        pl->avail_from = now;
    }
}

void es_work_set_servers(es_world *w, int p, int servers)
{
    es_wpool *pl = &w->pool[p];
    if (servers < 0) servers = 0;
    es_work_account(w);
    if (servers > pl->cap_serving) {
        uint32_t *s = es_reallocarray(pl->serving, (size_t)servers, sizeof *s);
        if (!s) {
            es_engine_stop(w->eng, ES_ERR_NOMEM);
            return;
        }
        pl->serving = s;
        pl->cap_serving = servers;
    }
    pl->servers = servers;
    while (pl->n_serving > pl->servers && preempt_one(w, p, -1)) {}
    fill(w, p);
}

int es_work_servers(const es_world *w, int p)
{
    return w->pool[p].servers;
}

void es_work_expire(es_world *w)
{
    for (int p = 0; p < ES_N_POOLS; p++) fill(w, p);
}

size_t es_work_queued(const es_world *w, int p)
{
    return w->pool[p].queued;
}

void es_work_remove_if(es_world *w, int p, int prio,
                       int (*leave)(es_world *w, const es_work *it, void *ctx), void *ctx)
{
    es_wpool *pl = &w->pool[p];
    double now = es_engine_now(w->eng);
    /* In service: the item's completion event is still scheduled, so it is
     * marked stale and released when that event arrives. */
    for (int k = pl->n_serving - 1; k >= 0; k--) {
        es_work *it = item(w, pl->serving[k]);
        if (it->prio != prio || !leave(w, it, ctx)) continue;
        unserve(w, pl, k);
        account_service(w, it, now);
        it->state = WS_STALE;
        es_hsi_on_work_dropped(w, it);
    }
    uint32_t prev = ES_POOL_NONE, id = pl->head[prio];
    while (id != ES_POOL_NONE) {
        es_work *it = item(w, id);
        uint32_t next = it->next;
        if (!leave(w, it, ctx)) {
            prev = id;
            id = next;
            continue;
        }
        if (prev == ES_POOL_NONE)
            pl->head[prio] = next;
        else
            item(w, prev)->next = next;
        if (pl->tail[prio] == id) pl->tail[prio] = prev;
        pl->queued--;
        es_hsi_on_work_dropped(w, it);
        es_pool_release(w->work, id);
        id = next;
    }
}
