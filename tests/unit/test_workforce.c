/* test_workforce.c: the generic server pool of sim/model/workforce.h with a
 * toy work kind: hours used never exceed hours available at any time, the
 * documented order (priority class, then FIFO; class 0 pre-empts), servers
 * removed and added mid-work, expiry, removal, and each item's handlers
 * called exactly once. Times are in days; rates are "high-entropy" values
 * so that a missing factor cannot hide. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>
#include "engine/engine.h"
#include "model/workforce.h"
#include "../testlib.h"

enum { EV_DONE, EV_SCRIPT, EV_N };
enum { NPOOL = 3, NITEM = 4000, NBIN = 400, KIND_TOY = 5 };

/* What the hooks saw. Metric ids: 2p = used, 2p + 1 = available, split
 * into day-long bins so that "used <= available" is checked at every time,
 * not only in total. */
typedef struct {
    es_engine *eng;
    es_workforce *wf;
    double bin[2 * NPOOL][NBIN];
    double total[2 * NPOOL], kind_hours;
    int starts[NITEM], done[NITEM], dropped[NITEM];
    double done_at[NITEM];
    int order[NITEM], n_order;
    int submit_failed;
} toy;

static void span(void *ctx, int metric, double t0, double t1, double per_day)
{
    toy *T = ctx;
    T->total[metric] += (t1 - t0) * per_day;
    for (int d = (int)floor(t0); d < NBIN && d < t1; d++) {
        double a = t0 > d ? t0 : d, b = t1 < d + 1 ? t1 : d + 1;
        if (b > a) T->bin[metric][d] += (b - a) * per_day;
    }
}

static void on_start(void *ctx, const es_work *it)
{
    ((toy *)ctx)->starts[it->ref]++;
}

static void on_done(void *ctx, const es_work *it)
{
    toy *T = ctx;
    T->done[it->ref]++;
    T->done_at[it->ref] = es_engine_now(T->eng);
    T->order[T->n_order++] = (int)it->ref;
}

static void on_dropped(void *ctx, const es_work *it)
{
    ((toy *)ctx)->dropped[it->ref]++;
}

static void on_hours(void *ctx, const es_work *it, double t0, double t1, double per_day)
{
    (void)it;
    ((toy *)ctx)->kind_hours += (t1 - t0) * per_day;
}

static void done_event(void *ctx, es_engine *eng, const es_event *ev)
{
    (void)eng;
    es_work_done(((toy *)ctx)->wf, ev->id);
}

/* A scripted action: submit an item, or change a pool's servers. */
typedef struct {
    int pool, prio, servers; /* servers >= 0: a server change */
    uint32_t ref;
    double hours;
} action;

static action script[2 * NITEM];

static void script_event(void *ctx, es_engine *eng, const es_event *ev)
{
    (void)eng;
    toy *T = ctx;
    const action *a = &script[ev->id];
    if (a->servers >= 0)
        es_work_set_servers(T->wf, a->pool, a->servers);
    else if (a->prio < 0)
        es_work_add(T->wf, a->pool, a->hours);
    else if (es_work_submit(T->wf, a->pool, a->prio, KIND_TOY, a->ref, a->hours) != ES_OK)
        T->submit_failed++;
}

static const double RATE[NPOOL] = {6.37, 2.71, 11.3}; /* hours per server-day */

static toy *toy_new(double shelf)
{
    toy *T = calloc(1, sizeof *T);
    T->eng = es_engine_new(EV_N, 64);
    T->wf = es_workforce_new(T->eng, EV_DONE, NPOOL, T, span);
    es_engine_on(T->eng, EV_DONE, done_event);
    es_engine_on(T->eng, EV_SCRIPT, script_event);
    const es_work_kind k = {on_start, on_done, on_dropped, on_hours};
    es_workforce_kind(T->wf, KIND_TOY, &k);
    for (int p = 0; p < NPOOL; p++) es_workforce_pool(T->wf, p, RATE[p], shelf, 2 * p, 2 * p + 1);
    return T;
}

static void toy_free(toy *T)
{
    es_workforce_free(T->wf);
    es_engine_free(T->eng);
    free(T);
}

static void at(toy *T, double t, int k, action a)
{
    script[k] = a;
    es_engine_at(T->eng, t, EV_SCRIPT, (uint32_t)k);
}

static action submit(int pool, int prio, uint32_t ref, double hours)
{
    return (action){pool, prio, -1, ref, hours};
}

static action add_hours(int pool, double hours)
{
    return (action){pool, -1, -1, 0, hours};
}

static action servers(int pool, int n)
{
    return (action){pool, 0, n, 0, 0};
}

/* One server, items queued behind a busy one leave by class, then FIFO. */
static void test_order(void)
{
    toy *T = toy_new(INFINITY);
    int k = 0;
    at(T, 0, k++, servers(0, 1));
    at(T, 0, k++, submit(0, 3, 0, 20.0));  /* starts at once, busy past the others' arrival */
    at(T, 0.1, k++, submit(0, 4, 1, 1.0)); /* routine */
    at(T, 0.2, k++, submit(0, 3, 2, 1.0));
    at(T, 0.3, k++, submit(0, 2, 3, 1.0)); /* urgent: next */
    at(T, 0.4, k++, submit(0, 3, 4, 1.0)); /* behind item 2 in its class */
    at(T, 0.5, k++, submit(0, 1, 5, 1.0));
    es_engine_run(T->eng, T, INFINITY);
    static const int want[] = {0, 5, 3, 2, 4, 1};
    CHECK(T->n_order == 6 && !memcmp(T->order, want, sizeof want),
          "order: highest class first, FIFO within a class");
    double t = 0;
    int back_to_back = 1;
    for (int i = 0; i < 6; i++) {
        t += (i == 0 ? 20.0 : 1.0) / RATE[0];
        back_to_back &= fabs(T->done_at[want[i]] - t) < 1e-12;
    }
    CHECK(back_to_back, "order: one server works the items back to back at its rate");
    toy_free(T);
}

/* Class 0 pre-empts the most recently started item of the lowest class in
 * service, which resumes later with exactly its remaining hours. */
static void test_preemption(void)
{
    toy *T = toy_new(INFINITY);
    int k = 0;
    at(T, 0, k++, servers(1, 2));
    at(T, 0, k++, submit(1, 4, 0, 8.0));   /* routine, 8 h */
    at(T, 0, k++, submit(1, 2, 1, 8.0));   /* urgent, 8 h */
    at(T, 0.5, k++, submit(1, 4, 5, 4.0)); /* queued; item 0 goes back ahead of it */
    at(T, 1, k++, submit(1, 0, 2, 4.0));   /* reactive at day 1: pre-empts item 0 */
    at(T, 1, k++, submit(1, 0, 3, 4.0));   /* pre-empts item 1 */
    at(T, 1, k++, submit(1, 0, 4, 4.0));   /* only class 0 in service: waits */
    es_engine_run(T->eng, T, INFINITY);
    double r = RATE[1];
    CHECK(T->starts[0] == 2 && T->starts[1] == 2 && T->starts[2] == 1 && T->starts[4] == 1,
          "preempt: pre-empted items start again, others once");
    /* items 2 and 3 end at 1 + 4/r; item 4 and then item 1 (higher class than 0's) take the
     * servers; item 1 had 8 - r hours left, item 0 as much. */
    double t23 = 1 + 4 / r;
    CHECK(fabs(T->done_at[2] - t23) < 1e-12 && fabs(T->done_at[3] - t23) < 1e-12,
          "preempt: class-0 items start at once when a lower class is in service");
    CHECK(fabs(T->done_at[4] - (t23 + 4 / r)) < 1e-12, "preempt: class 0 never pre-empts class 0");
    CHECK(fabs(T->done_at[1] - (t23 + (8 - r) / r)) < 1e-12,
          "preempt: the pre-empted item resumes with its remaining hours");
    CHECK(fabs(T->done_at[0] - (t23 + 4 / r + (8 - r) / r)) < 1e-12,
          "preempt: the lowest class resumes last, at the head of its class");
    CHECK(fabs(T->done_at[5] - (t23 + (8 - r) / r + 4 / r)) < 1e-12,
          "preempt: an item queued before the pre-emption waits behind the pre-empted one");
    es_work_account(T->wf);
    CHECK(t_close(T->total[2], 8 + 8 + 4 * 4, 1e-12) && t_close(T->kind_hours, 32, 1e-12),
          "preempt: hours used are the items' demand, none lost or counted twice");
    toy_free(T);
}

/* Background work (the last class) fills idle servers and yields to any
 * other class at once, resuming with its remaining hours; es_work_accrue
 * books the hours of work in progress without moving its completion. */
static void test_background_and_accrual(void)
{
    toy *T = toy_new(INFINITY);
    int k = 0;
    at(T, 0, k++, servers(1, 1));
    at(T, 0, k++, submit(1, ES_PRIO_BACKGROUND, 0, 8.0));
    at(T, 1, k++, submit(1, ES_PRIO_N - 2, 1, 4.0)); /* the lowest ordinary class */
    at(T, 0, k++, servers(2, 1));
    at(T, 0, k++, submit(2, 1, 2, 10.0));
    es_engine_run(T->eng, T, 0.5);
    es_work_accrue(T->wf);
    double r1 = RATE[1], r2 = RATE[2];
    CHECK(t_close(T->total[4], 0.5 * r2, 1e-12) && T->done[2] == 0,
          "accrue: hours in progress are booked up to now, the item still running");
    es_engine_run(T->eng, T, INFINITY);
    CHECK(fabs(T->done_at[2] - 10 / r2) < 1e-12 && t_close(T->total[4], 10, 1e-12),
          "accrue: completion time and total hours unchanged");
    CHECK(fabs(T->done_at[1] - (1 + 4 / r1)) < 1e-12,
          "background: any other class pre-empts background work at once");
    CHECK(T->starts[0] == 2 && fabs(T->done_at[0] - (1 + 4 / r1 + (8 - r1) / r1)) < 1e-12,
          "background: pre-empted background work resumes with its remaining hours");
    toy_free(T);
}

/* Servers removed mid-work: the lowest class, most recently started, is
 * stopped first; servers added start queued work at once. */
static void test_servers_change(void)
{
    toy *T = toy_new(INFINITY);
    double r = RATE[2];
    int k = 0;
    at(T, 0, k++, servers(2, 3));
    at(T, 0, k++, submit(2, 2, 0, 5 * r));
    at(T, 0, k++, submit(2, 4, 1, 5 * r));
    at(T, 0, k++, submit(2, 3, 2, 5 * r));
    at(T, 1, k++, servers(2, 2)); /* stops item 1 (class 4) with 4 days left */
    at(T, 2, k++, servers(2, 0)); /* stops items 2 then 0 */
    at(T, 3, k++, servers(2, 1)); /* item 0 resumes: 3 days left */
    at(T, 3, k++, servers(2, 3)); /* items 2 (3 days left) and 1 (4 days left) */
    es_engine_run(T->eng, T, INFINITY);
    CHECK(fabs(T->done_at[0] - 6) < 1e-9 && fabs(T->done_at[2] - 6) < 1e-9 &&
              fabs(T->done_at[1] - 7) < 1e-9,
          "servers: removed servers' items wait with their remaining hours, added ones take them");
    CHECK(es_work_servers(T->wf, 2) == 3 && es_work_serving(T->wf, 2) == 0 &&
              es_work_queued(T->wf, 2) == 0,
          "servers: count as set, nothing left in service or queued");
    es_work_account(T->wf);
    CHECK(t_close(T->total[4], 15 * r, 1e-12), "servers: hours used equal the demand");
    toy_free(T);
}

static int leave_odd(void *ctx, const es_work *it, void *arg)
{
    (void)ctx;
    (void)arg;
    return it->ref % 2 == 1;
}

/* Expiry drops only classes from ES_PRIO_EXPIRES on; removal drops items in
 * service and queued; in both, on_dropped once and never on_done. */
static void test_expire_and_remove(void)
{
    toy *T = toy_new(2.0);
    int k = 0;
    at(T, 0, k++, servers(0, 1));
    at(T, 0, k++, submit(0, 1, 0, 10 * RATE[0])); /* 10 days */
    at(T, 0, k++, submit(0, 1, 1, 1.0));          /* class 1: waits, never expires */
    at(T, 0, k++, submit(0, ES_PRIO_EXPIRES, 2, 1.0));
    at(T, 0, k++, submit(0, ES_PRIO_EXPIRES - 1, 3, 1.0));
    es_engine_run(T->eng, T, 20);
    CHECK(T->done[0] && T->done[1] && T->done[3] && !T->done[2] && T->dropped[2] == 1,
          "expire: a class past its shelf life is dropped, lower classes wait");
    toy_free(T);

    T = toy_new(INFINITY);
    k = 0;
    at(T, 0, k++, servers(1, 2));
    for (uint32_t i = 0; i < 6; i++) at(T, 0, k++, submit(1, 3, i, 2 * RATE[1]));
    es_engine_run(T->eng, T, 1.0);
    es_work_remove_if(T->wf, 1, 3, leave_odd, NULL); /* item 1 in service, 3 and 5 queued */
    CHECK(es_work_serving(T->wf, 1) == 1 && es_work_queued(T->wf, 1) == 2,
          "remove: the leaving items are out of service and of the queue");
    es_work_set_servers(T->wf, 1, 2);
    es_engine_run(T->eng, T, INFINITY);
    int once = 1;
    for (int i = 0; i < 6; i++) once &= T->done[i] + T->dropped[i] == 1 && T->dropped[i] == i % 2;
    CHECK(once, "remove: removed items dropped once, never done; the others done once");
    es_work_account(T->wf);
    CHECK(t_close(T->total[2], 3 * 2 * RATE[1] + RATE[1], 1e-12),
          "remove: hours worked on a removed item up to its removal are counted");
    toy_free(T);
}

/* Random work, priorities and server changes in three pools: used hours
 * never exceed available ones in any day, every item is done or dropped
 * exactly once, and hours used are the demand of the items done plus the
 * hours worked on dropped ones (none here: classes below expiry only get
 * dropped if they wait past the shelf life). */
static void test_random(void)
{
    toy *T = toy_new(5.0);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 20261206UL);
    int k = 0;
    for (int p = 0; p < NPOOL; p++) at(T, 0, k++, servers(p, 2));
    double demand = 0, hours_of[NITEM];
    for (uint32_t i = 0; i < NITEM; i++) {
        int p = (int)gsl_rng_uniform_int(g, NPOOL);
        double t = gsl_rng_uniform(g) * (NBIN - 100);
        double h = 0.5 + gsl_rng_uniform(g) * 3 * RATE[p];
        int prio = (int)gsl_rng_uniform_int(g, ES_PRIO_N);
        at(T, t, k++, submit(p, prio, i, h));
        demand += hours_of[i] = h;
        if (i % 8 == 0) {
            int pp = (int)gsl_rng_uniform_int(g, NPOOL);
            at(T, gsl_rng_uniform(g) * (NBIN - 100), k++,
               servers(pp, (int)gsl_rng_uniform_int(g, 9)));
        }
    }
    for (int p = 0; p < NPOOL; p++) at(T, NBIN - 100, k++, servers(p, 50));
    es_engine_run(T->eng, T, INFINITY);
    es_work_account(T->wf);
    CHECK(es_engine_now(T->eng) < NBIN, "random: the work ends inside the checked days");
    int bins_ok = 1;
    for (int p = 0; p < NPOOL; p++)
        for (int d = 0; d < NBIN; d++)
            bins_ok &= T->bin[2 * p][d] <= T->bin[2 * p + 1][d] * (1 + 1e-12) + 1e-9;
    CHECK(bins_ok, "random: hours used never exceed hours available, day by day");
    int once = 1, n_drop = 0, starts_ok = 1;
    double done_h = 0;
    for (int i = 0; i < NITEM; i++) {
        once &= T->done[i] + T->dropped[i] == 1;
        n_drop += T->dropped[i];
        starts_ok &= !T->done[i] || T->starts[i] >= 1;
        if (T->done[i]) done_h += hours_of[i];
    }
    CHECK(T->submit_failed == 0, "random: every submit accepted");
    CHECK(once, "random: each item's on_done or on_dropped called exactly once");
    CHECK(starts_ok && n_drop > 0 && n_drop < NITEM / 2,
          "random: some waiting items expire, most are done");
    double used = T->total[0] + T->total[2] + T->total[4];
    /* pre-empted items that then expired were worked in part */
    CHECK(used >= done_h * (1 - 1e-12) && used <= demand * (1 + 1e-12) &&
              t_close(used, T->kind_hours, 1e-12),
          "random: hours used cover the items done and stay within the demand; the kind's hook "
          "sees every hour");
    for (int p = 0; p < NPOOL; p++)
        CHECK(es_work_serving(T->wf, p) == 0 && es_work_queued(T->wf, p) == 0,
              "random: the pools end empty");
    gsl_rng_free(g);
    toy_free(T);
}

/* A fluid pool: every server works the backlog down at its rate until it
 * is gone, first in first out, with no items and no events of its own;
 * hours that would wait past the shelf life are never worked. */
static void test_fluid(void)
{
    const double r = RATE[1];
    toy *T = toy_new(INFINITY);
    es_workforce_fluid(T->wf, 1);
    int k = 0;
    at(T, 0, k++, servers(1, 2));
    at(T, 0, k++, add_hours(1, 4 * r)); /* two days of two servers */
    at(T, 1, k++, add_hours(1, 2 * r)); /* behind what is left: done at day 3 */
    at(T, 5, k++, add_hours(1, r));     /* half a day */
    at(T, 10, k++, servers(1, 1));
    at(T, 10, k++, add_hours(1, 0.5 * r)); /* one server: half a day */
    es_engine_run(T->eng, T, 2.5);
    CHECK(fabs(es_work_queued_hours(T->wf, 1) - r) < 1e-9,
          "fluid: the backlog left is what the servers have not yet worked");
    es_engine_run(T->eng, T, 20.0);
    es_work_accrue(T->wf);
    es_work_account(T->wf);
    const double want[12] = {2 * r, 2 * r, 2 * r, 0, 0, r, 0, 0, 0, 0, 0.5 * r, 0};
    int by_day = 1;
    for (int d = 0; d < 12; d++) by_day &= fabs(T->bin[2][d] - want[d]) < 1e-9;
    CHECK(by_day, "fluid: used hours are the servers' full rate while work waits, then none");
    CHECK(fabs(T->total[2] - 7.5 * r) < 1e-9 && es_work_queued_hours(T->wf, 1) == 0 &&
              es_engine_pending(T->eng) == 0,
          "fluid: every hour added is worked, and the pool leaves no event behind");
    int within = 1;
    for (int d = 0; d < 20; d++) within &= T->bin[2][d] <= T->bin[3][d] + 1e-9;
    CHECK(within, "fluid: used hours never exceed available hours on any day");
    toy_free(T);

    T = toy_new(1.5); /* shelf life: a day and a half */
    es_workforce_fluid(T->wf, 1);
    k = 0;
    at(T, 0, k++, servers(1, 1));
    at(T, 0, k++, add_hours(1, 2 * r)); /* two days for one server */
    at(T, 0, k++, add_hours(1, r));     /* would wait 2 days: never worked */
    at(T, 1, k++, add_hours(1, r));     /* would wait 1 day: worked on days 2-3 */
    es_engine_run(T->eng, T, 10.0);
    es_work_accrue(T->wf);
    CHECK(fabs(T->total[2] - 3 * r) < 1e-9 && es_work_queued_hours(T->wf, 1) == 0,
          "fluid: hours that would wait past the shelf life are never worked");
    at(T, 10, k++, servers(1, 0));
    at(T, 10, k++, add_hours(1, r));
    es_engine_run(T->eng, T, 30.0);
    es_work_accrue(T->wf);
    CHECK(fabs(T->total[2] - 3 * r) < 1e-9 && es_work_queued_hours(T->wf, 1) == 0,
          "fluid: a pool without servers takes on no work past a finite shelf life");
    toy_free(T);
}

/* A long line that wraps around its storage: items join faster than one
 * server works them (the line grows to about 450, past several doublings of
 * its room) while class-0 items pre-empt the one in service, which goes
 * back to the head of its class. The class-3 items must still finish in the
 * order they came, each pre-empted one before any that had not started,
 * with its remaining hours; the hours waiting must be what is left to do. */
static void test_long_line(void)
{
    toy *T = toy_new(INFINITY);
    enum { N3 = 1200, N0 = 40 };
    const double h = 1.0, s = h / RATE[0]; /* one item's service, days */
    int k = 0;
    at(T, 0, k++, servers(0, 1));
    for (int i = 0; i < N3; i++) at(T, 0.6 * s * i, k++, submit(0, 3, (uint32_t)i, h));
    for (int j = 0; j < N0; j++)
        at(T, 0.3 * s + 17.3 * s * j, k++, submit(0, 0, (uint32_t)(N3 + j), 0.25 * h));
    es_engine_run(T->eng, T, 0.6 * s * N3);
    double left = es_work_queued_hours(T->wf, 0);
    size_t waiting = es_work_queued(T->wf, 0);
    es_engine_run(T->eng, T, INFINITY);
    int in_order = 1, n3 = 0, restarted = 0, done = 1;
    for (int i = 0; i < T->n_order; i++)
        if (T->order[i] < N3) in_order &= T->order[i] == n3++;
    for (int i = 0; i < N3 + N0; i++) {
        done &= T->done[i] == 1 && T->dropped[i] == 0;
        restarted += i < N3 && T->starts[i] == 2;
    }
    CHECK(in_order && n3 == N3 && done && restarted == N0,
          "long line: FIFO within a class across a growing, wrapping line, pre-empted work first");
    CHECK(waiting > 400 && t_close(left, (double)waiting * h, 1e-12),
          "long line: the hours waiting are the waiting items' hours");
    double end = N3 * s + N0 * 0.25 * s;
    CHECK(fabs(es_engine_now(T->eng) - end) < 1e-9 &&
              t_close(T->kind_hours, N3 * h + N0 * 0.25 * h, 1e-12),
          "long line: the server never idles and no hour is lost or counted twice");
    toy_free(T);
}

int main(void)
{
    test_order();
    test_long_line();
    test_preemption();
    test_background_and_accrual();
    test_servers_change();
    test_expire_and_remove();
    test_random();
    test_fluid();
    return TEST_END();
}
