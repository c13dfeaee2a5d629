/* test_engine.c: the pending-event set and the engine's loop.
 *
 * Random inputs come from GSL's mt19937 with fixed seeds, so every run checks
 * the same cases. Times are drawn on a coarse grid on purpose: many events
 * share a time, which exercises the tie-break (scheduling order) as much as
 * the time order. Where a check needs to know the scheduling order, the
 * events' ids count it. */
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gsl/gsl_rng.h>
#include "core/status.h"
#include "core/mem.h"
#include "engine/engine.h"
#include "engine/heap_impl.h" /* es_eventq_set_seq_limit */
#include "../testlib.h"

#define N_RANDOM             20011 /* prime, so the heap's last level is ragged */
#define TIME_GRID            97    /* distinct times: about 200 events per time */
#define SEED                 20240611UL
#define PENDING_FOR_RENUMBER 1000 /* hold_interleaving_is_monotone's PENDING */

/* (time, id): the order the set and the engine promise when ids count the
 * scheduling order. */
static int cmp_event(const void *pa, const void *pb)
{
    const es_event *a = pa, *b = pb;
    if (a->time != b->time) return a->time < b->time ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

static int same_event(const es_event *a, const es_event *b)
{
    return a->time == b->time && a->type == b->type && a->id == b->id;
}

/* Coarse random time: an integer multiple of 0.37 below TIME_GRID * 0.37. */
static double grid_time(gsl_rng *r)
{
    return 0.37 * (double)gsl_rng_uniform_int(r, TIME_GRID);
}

/* ---- es_eventq alone ---- */

static void test_eventq_random_matches_qsort(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, SEED);
    es_event *in = malloc(N_RANDOM * sizeof *in);
    es_eventq *q = es_eventq_new(8); /* small hint: growth on the way */
    int pushed_ok = 1;
    for (size_t k = 0; k < N_RANDOM; k++) {
        /* Negative times too: the set orders any double, not only the
         * engine's non-negative clock. */
        in[k] = (es_event){grid_time(r) - 10.0, (uint32_t)(k % 5), (uint32_t)k};
        pushed_ok &= es_eventq_push(q, &in[k]) == ES_OK;
    }
    CHECK(pushed_ok && es_eventq_size(q) == N_RANDOM, "eventq_push_grows_past_hint_and_counts");
    qsort(in, N_RANDOM, sizeof *in, cmp_event);
    size_t k = 0, bad = 0;
    es_event out;
    while (es_eventq_pop(q, &out)) {
        if (k >= N_RANDOM || !same_event(&out, &in[k])) bad++;
        k++;
    }
    CHECK(bad == 0 && k == N_RANDOM, "eventq_pops_in_same_order_as_qsort_by_time_then_push_order");
    CHECK(es_eventq_size(q) == 0 && !es_eventq_pop(q, &out) && !es_eventq_peek(q, &out),
          "eventq_pop_on_empty_returns_0");
    es_eventq_free(q);
    free(in);
    gsl_rng_free(r);
}

/* Hold-style interleaving: pop one, push one at or after it, the id
 * counting pushes. The popped sequence must then be increasing in (time,
 * id), and nothing is lost. With seq_limit, the set runs out of sequence
 * numbers and renumbers its pending events every few pushes (heap_impl.h),
 * which must not change the order either. */
static int hold_interleaving_is_monotone(uint32_t seq_limit)
{
    enum { PENDING = 1000, STEPS = 50000 };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, SEED + 1);
    es_eventq *q = es_eventq_new(PENDING);
    if (seq_limit) es_eventq_set_seq_limit(q, seq_limit);
    uint32_t pushes = 0;
    size_t bad = 0;
    for (uint32_t k = 0; k < PENDING; k++) {
        es_event e = {grid_time(r), 0, pushes++};
        bad += es_eventq_push(q, &e) != ES_OK;
    }
    es_event prev = {-1.0, 0, 0}, e, top;
    for (int s = 0; s < STEPS; s++) {
        if (!es_eventq_pop(q, &e)) {
            bad++;
            break;
        }
        if (cmp_event(&prev, &e) >= 0) bad++;
        prev = e;
        if (es_eventq_peek(q, &top) && cmp_event(&e, &top) >= 0) bad++;
        e.time += grid_time(r); /* 0 sometimes: a tie with now */
        e.id = pushes++;
        bad += es_eventq_push(q, &e) != ES_OK;
    }
    bad += es_eventq_size(q) != PENDING;
    es_eventq_free(q);
    gsl_rng_free(r);
    return bad == 0;
}

static void test_eventq_interleaved_hold_is_monotone(void)
{
    CHECK(hold_interleaving_is_monotone(0),
          "eventq_hold_interleaving_pops_monotone_and_keeps_size");
    /* About 1,000 pending events and a limit of 1,007: a renumbering every
     * 8 pushes or so, over 6,000 in all. */
    CHECK(hold_interleaving_is_monotone(PENDING_FOR_RENUMBER + 7),
          "eventq_renumbering_sequence_numbers_keeps_push_order_on_ties");
}

/* ---- the engine ---- */

enum { T_LOG, T_CHAIN, T_STOP, T_FAIL, T_COUNT_PENDING, T_FORK, N_TYPES };

/* What the handlers record: the events in execution order. */
typedef struct {
    es_event *log;
    size_t n, cap;
    size_t pending_seen;
    es_status fail_with;
    double chain_step; /* T_CHAIN reschedules itself this far ahead */
    uint32_t chain_left;
} rec_ctx;

static void rec(rec_ctx *c, const es_event *ev)
{
    if (c->n < c->cap) c->log[c->n] = *ev;
    c->n++;
}

static void on_log(void *ctx, es_engine *eng, const es_event *ev)
{
    (void)eng; /* a handler's signature, as the engine calls it */
    rec(ctx, ev);
}

static void on_chain(void *ctx, es_engine *eng, const es_event *ev)
{
    rec_ctx *c = ctx;
    rec(c, ev);
    if (c->chain_left > 0) {
        c->chain_left--;
        es_engine_at(eng, es_engine_now(eng) + c->chain_step, T_CHAIN, ev->id + 1);
    }
}

static void on_stop(void *ctx, es_engine *eng, const es_event *ev)
{
    rec(ctx, ev);
    es_engine_stop(eng, ES_OK);
}

static void on_fail(void *ctx, es_engine *eng, const es_event *ev)
{
    rec_ctx *c = ctx;
    rec(c, ev);
    es_engine_stop(eng, c->fail_with);
    es_engine_stop(eng, ES_ERR_IO); /* a later status must not replace it */
}

static void on_count_pending(void *ctx, es_engine *eng, const es_event *ev)
{
    rec_ctx *c = ctx;
    rec(c, ev);
    c->pending_seen = es_engine_pending(eng);
}

/* Schedules two events, the later one first: the first takes the running
 * event's slot in the heap, the second is an ordinary insertion. */
static void on_fork(void *ctx, es_engine *eng, const es_event *ev)
{
    rec(ctx, ev);
    es_engine_at(eng, es_engine_now(eng) + 2.0, T_LOG, 10 * ev->id + 1);
    es_engine_at(eng, es_engine_now(eng) + 1.0, T_LOG, 10 * ev->id + 2);
}

static es_engine *new_engine(size_t hint)
{
    es_engine *e = es_engine_new(N_TYPES, hint);
    if (!e) return NULL;
    es_engine_on(e, T_LOG, on_log);
    es_engine_on(e, T_CHAIN, on_chain);
    es_engine_on(e, T_STOP, on_stop);
    es_engine_on(e, T_FAIL, on_fail);
    es_engine_on(e, T_COUNT_PENDING, on_count_pending);
    es_engine_on(e, T_FORK, on_fork);
    return e;
}

static void test_engine_random_order_matches_qsort(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, SEED + 2);
    es_engine *e = new_engine(4); /* hint far below N_RANDOM */
    es_event *want = malloc(N_RANDOM * sizeof *want);
    rec_ctx c = {.log = malloc(N_RANDOM * sizeof *c.log), .cap = N_RANDOM};
    for (uint32_t k = 0; k < N_RANDOM; k++) {
        double t = grid_time(r);
        es_engine_at(e, t, T_LOG, k);
        want[k] = (es_event){t, T_LOG, k}; /* id = scheduling order */
    }
    CHECK(es_engine_pending(e) == N_RANDOM, "engine_pending_counts_beyond_hint");
    qsort(want, N_RANDOM, sizeof *want, cmp_event);
    es_status st = es_engine_run(e, &c, INFINITY);
    size_t bad = 0;
    for (size_t k = 0; k < N_RANDOM && k < c.n; k++)
        if (c.log[k].time != want[k].time || c.log[k].id != want[k].id) bad++;
    CHECK(st == ES_OK && c.n == N_RANDOM && bad == 0,
          "engine_growth_beyond_hint_runs_in_time_order_like_qsort");
    CHECK(es_engine_events(e) == N_RANDOM && es_engine_pending(e) == 0,
          "engine_counts_executed_events");
    CHECK(es_engine_now(e) == want[N_RANDOM - 1].time,
          "engine_run_to_infinity_leaves_clock_at_last_event");
    free(c.log);
    free(want);
    es_engine_free(e);
    gsl_rng_free(r);
}

static void test_engine_ties_run_fifo(void)
{
    enum { N = 100 };
    es_engine *e = new_engine(N);
    es_event log[N + 1];
    rec_ctx c = {.log = log, .cap = N + 1};
    /* Ids scheduled in a scrambled order, all at one time: execution must
     * follow scheduling order, not id order. */
    for (uint32_t k = 0; k < N; k++) es_engine_at(e, 2.385, T_LOG, (k * 37) % N);
    es_engine_run(e, &c, INFINITY);
    int fifo = c.n == N;
    for (uint32_t k = 0; k < N && fifo; k++) fifo = log[k].id == (k * 37) % N;
    CHECK(fifo, "engine_equal_times_run_in_scheduling_order");

    /* An event scheduled at `now` from a handler runs after the events
     * already pending at now. */
    c.n = 0;
    c.chain_step = 0.0;
    c.chain_left = 1;
    es_engine_at(e, 3.0, T_CHAIN, 100); /* schedules id 101 at 3.0 */
    es_engine_at(e, 3.0, T_LOG, 7);
    es_engine_run(e, &c, INFINITY);
    CHECK(c.n == 3 && log[0].id == 100 && log[1].id == 7 && log[2].id == 101,
          "engine_event_scheduled_at_now_runs_after_pending_ties");
    es_engine_free(e);
}

static void test_engine_run_until(void)
{
    es_engine *e = new_engine(16);
    es_event log[16];
    rec_ctx c = {.log = log, .cap = 16};
    es_engine_at(e, 1.5, T_LOG, 1);
    es_engine_at(e, 2.0, T_LOG, 2); /* exactly at until: runs */
    es_engine_at(e, 2.0000001, T_LOG, 3);
    es_engine_at(e, 7.25, T_LOG, 4);
    es_status st = es_engine_run(e, &c, 2.0);
    CHECK(st == ES_OK && c.n == 2 && log[0].id == 1 && log[1].id == 2,
          "engine_run_until_executes_events_at_or_before_until");
    CHECK(es_engine_now(e) == 2.0 && es_engine_pending(e) == 2,
          "engine_run_until_leaves_later_events_pending");

    st = es_engine_run(e, &c, 5.0); /* nothing at 5.0: clock still moves */
    CHECK(st == ES_OK && c.n == 3 && es_engine_now(e) == 5.0,
          "engine_clock_ends_at_until_after_last_event_before_it");

    st = es_engine_run(e, &c, 100.0); /* queue empties before until */
    CHECK(st == ES_OK && c.n == 4 && es_engine_now(e) == 100.0 && es_engine_pending(e) == 0,
          "engine_clock_ends_at_until_when_queue_empties");
    es_engine_free(e);
}

static void test_engine_chain_and_pending(void)
{
    enum { LINKS = 1000 };
    es_engine *e = new_engine(2);
    rec_ctx c = {.log = malloc((LINKS + 2) * sizeof *c.log), .cap = LINKS + 2};
    c.chain_step = 0.125;
    c.chain_left = LINKS;
    es_engine_at(e, 0.0, T_CHAIN, 0);
    es_engine_at(e, 0.125 * LINKS + 1.0, T_COUNT_PENDING, 9);
    es_engine_run(e, &c, INFINITY);
    int ok = c.n == LINKS + 2;
    for (uint32_t k = 0; k <= LINKS && ok; k++) ok = c.log[k].id == k && c.log[k].time == 0.125 * k;
    CHECK(ok, "engine_self_rescheduling_chain_runs_in_order");
    CHECK(c.pending_seen == 0, "engine_pending_excludes_running_event");

    /* A handler that schedules two events: both are pending and both run,
     * in time order. */
    c.n = 0;
    es_engine_at(e, 2000.0, T_FORK, 3); /* schedules ids 31 at 2002, 32 at 2001 */
    es_engine_at(e, 2000.0, T_COUNT_PENDING, 1);
    es_engine_at(e, 2003.0, T_LOG, 5);
    es_engine_run(e, &c, INFINITY);
    CHECK(c.pending_seen == 3, "engine_pending_counts_events_scheduled_by_handler");
    CHECK(c.n == 5 && c.log[0].id == 3 && c.log[1].id == 1 && c.log[2].id == 32 &&
              c.log[3].id == 31 && c.log[4].id == 5,
          "engine_handler_scheduling_two_events_keeps_both_in_order");
    free(c.log);
    es_engine_free(e);
}

static void test_engine_stop(void)
{
    es_engine *e = new_engine(16);
    es_event log[16];
    rec_ctx c = {.log = log, .cap = 16, .fail_with = ES_ERR_MODEL};

    es_engine_at(e, 1.0, T_LOG, 1);
    es_engine_at(e, 2.0, T_STOP, 2);
    es_engine_at(e, 3.0, T_LOG, 3);
    es_status st = es_engine_run(e, &c, 10.0);
    CHECK(st == ES_OK && c.n == 2 && es_engine_now(e) == 2.0 && es_engine_pending(e) == 1,
          "engine_stop_ok_ends_run_after_current_handler_clock_at_it");
    st = es_engine_run(e, &c, 10.0);
    CHECK(st == ES_OK && c.n == 3 && es_engine_now(e) == 10.0,
          "engine_stop_ok_does_not_stick_to_next_run");

    es_engine_at(e, 11.0, T_FAIL, 4);
    es_engine_at(e, 12.0, T_LOG, 5);
    st = es_engine_run(e, &c, 20.0);
    CHECK(st == ES_ERR_MODEL && c.n == 4 && es_engine_now(e) == 11.0,
          "engine_stop_error_returned_and_first_status_wins");
    uint64_t done = es_engine_events(e);
    st = es_engine_run(e, &c, 20.0);
    CHECK(st == ES_ERR_MODEL && es_engine_events(e) == done && c.n == 4 &&
              es_engine_pending(e) == 1 && es_engine_status(e) == ES_ERR_MODEL,
          "engine_stop_error_sticks_later_runs_execute_nothing");
    es_engine_free(e);

    /* A stop requested between runs stops the next run before any event. */
    e = new_engine(16);
    c.n = 0;
    es_engine_at(e, 1.0, T_LOG, 1);
    es_engine_stop(e, ES_OK);
    st = es_engine_run(e, &c, 5.0);
    CHECK(st == ES_OK && c.n == 0 && es_engine_now(e) == 0.0,
          "engine_stop_before_run_runs_nothing");
    st = es_engine_run(e, &c, 5.0);
    CHECK(st == ES_OK && c.n == 1 && es_engine_now(e) == 5.0,
          "engine_stop_before_run_is_consumed_once");
    es_engine_free(e);
}

/* Runs fn in a child and reports whether it died of SIGABRT (an ES_ASSERT). */
static int aborts(void (*fn)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        _exit(0);
    }
    int ws = 0;
    if (pid < 0 || waitpid(pid, &ws, 0) != pid) return 0;
    return WIFSIGNALED(ws) && WTERMSIG(ws) == SIGABRT;
}

static void schedule_in_past(void)
{
    es_engine *e = new_engine(4);
    rec_ctx c = {0};
    es_engine_run(e, &c, 3.0);
    es_engine_at(e, 2.999, T_LOG, 0);
}

static void dispatch_unset_type(void)
{
    es_engine *e = es_engine_new(2, 4);
    es_engine_at(e, 1.0, 1, 0);
    es_engine_run(e, NULL, INFINITY);
}

static void test_engine_bugs_assert(void)
{
    CHECK(aborts(schedule_in_past), "engine_at_before_now_asserts");
    CHECK(aborts(dispatch_unset_type), "engine_dispatch_without_handler_asserts");
}

/* ---- buckets (es_engine_buckets) ---- */

/* A hold model whose handler draws 0, 1 or 2 new events at offsets that hit
 * every path of the bucketed set: the same time (a tie), the same bucket,
 * exactly on a later bucket's boundary, a bucket or two ahead, and beyond
 * the ring (thousands of widths ahead). Each engine has its own generator
 * with the same seed, so the two runs draw the same numbers only if they run
 * the same events in the same order. */
typedef struct {
    gsl_rng *r;
    es_event *log;
    size_t *pending;
    size_t n, cap, budget;
    double width;
} hold_ctx;

static void on_hold(void *ctx, es_engine *eng, const es_event *ev)
{
    hold_ctx *h = ctx;
    if (h->n < h->cap) {
        h->log[h->n] = *ev;
        h->pending[h->n] = es_engine_pending(eng);
    }
    h->n++;
    unsigned kids = h->budget > 0 ? (unsigned)gsl_rng_uniform_int(h->r, 3) : 0;
    for (unsigned k = 0; k < kids && h->budget > 0; k++, h->budget--) {
        double now = es_engine_now(eng), w = h->width, dt;
        switch (gsl_rng_uniform_int(h->r, 6)) {
        case 0: dt = 0; break;
        case 1: dt = 0.3 * w * gsl_rng_uniform(h->r); break;
        case 2: dt = (floor(now / w) + 1 + (double)gsl_rng_uniform_int(h->r, 3)) * w - now; break;
        case 3: dt = w * 5 * gsl_rng_uniform(h->r); break;
        case 4: dt = w * (1000 + 3000 * gsl_rng_uniform(h->r)); break;
        default: dt = w * 40 * gsl_rng_uniform(h->r); break;
        }
        es_engine_at(eng, now + dt, T_LOG, (uint32_t)h->budget);
    }
}

/* renumber: the engine's heaps run out of sequence numbers every few dozen
 * to few hundred events scheduled into them and renumber (heap_impl.h), in
 * the middle of handlers, with the running event still at the root. The
 * limits sit just above the events each heap holds at its peak here (3,123
 * without buckets; with buckets, about 100 in the current bucket's heap and
 * a few thousand beyond the ring). */
static size_t hold_run(double width, int renumber, es_event *log, size_t *pending, size_t cap,
                       int *ok)
{
    es_engine *e = es_engine_new(N_TYPES, 16);
    if (width > 0 && es_engine_buckets(e, width) != ES_OK) *ok = 0;
    if (renumber && width > 0) {
        es_eventq_set_seq_limit(es_engine_queue(e, 0), 512);
        es_eventq_set_seq_limit(es_engine_queue(e, 1), 4096);
    } else if (renumber) {
        es_eventq_set_seq_limit(es_engine_queue(e, 0), 3200);
    }
    es_engine_on(e, T_LOG, on_hold);
    hold_ctx h = {.r = gsl_rng_alloc(gsl_rng_mt19937),
                  .log = log,
                  .pending = pending,
                  .cap = cap,
                  .budget = cap - 3100,
                  .width = 0.75};
    gsl_rng_set(h.r, SEED + 7);
    /* About 100 events a bucket at first, so buckets hold many events. */
    for (uint32_t k = 0; k < 3000; k++) es_engine_at(e, 0.75 * 30 * gsl_rng_uniform(h.r), T_LOG, k);
    es_engine_at(e, INFINITY, T_LOG, 1u << 30); /* never reached by a finite until */
    /* Stop at finite times, some on bucket boundaries, then run to the end. */
    for (double until = 3.0; until < 4000.0; until *= 1.7)
        *ok &= es_engine_run(e, &h, until) == ES_OK;
    *ok &= es_engine_run(e, &h, 4500.0) == ES_OK; /* a multiple of 0.75 */
    *ok &= es_engine_now(e) == 4500.0 && es_engine_pending(e) > 1;
    *ok &= es_engine_run(e, &h, INFINITY) == ES_OK && es_engine_pending(e) == 0;
    gsl_rng_free(h.r);
    es_engine_free(e);
    return h.n;
}

static void test_engine_buckets_keep_the_order(void)
{
    enum { CAP = 60000 };
    es_event *a = malloc(CAP * sizeof *a), *b = malloc(CAP * sizeof *b);
    size_t *pa = malloc(CAP * sizeof *pa), *pb = malloc(CAP * sizeof *pb);
    int ok_a = 1, ok_b = 1;
    size_t na = hold_run(0, 0, a, pa, CAP, &ok_a);
    size_t nb = hold_run(0.75, 0, b, pb, CAP, &ok_b);
    CHECK(ok_a && ok_b, "engine_buckets_run_stop_and_resume_at_any_time");
    int same = na == nb && na <= CAP;
    for (size_t k = 0; same && k < na; k++) same = same_event(&a[k], &b[k]) && pa[k] == pb[k];
    CHECK(same && na > 50000, "engine_buckets_run_the_same_events_in_the_same_order");
    int ok_r = 1;
    for (int buckets = 0; buckets <= 1; buckets++) {
        size_t nr = hold_run(buckets ? 0.75 : 0, 1, b, pb, CAP, &ok_r);
        ok_r &= nr == na;
        for (size_t k = 0; ok_r && k < na; k++) ok_r = same_event(&a[k], &b[k]) && pa[k] == pb[k];
    }
    CHECK(ok_r, "engine_renumbering_sequence_numbers_mid_run_keeps_the_order");
    free(a);
    free(b);
    free(pa);
    free(pb);
}

/* The sort of a bucket's parked events (engine.c, sort_run) on runs made
 * to hit its paths: every time equal (no differing bit), two times, times
 * a few ulps apart (the differing bits are the lowest, fewer than a digit),
 * a small set of times repeated (large parts of equal times), half the
 * events in a sliver of the bucket (a large part that recurses), ties in
 * the small parts sorted by insertion, runs just below and above the
 * insertion threshold, and random times.
 * All are scheduled from time 0 into later one-day buckets, in a shuffled
 * order; they must run in (time, scheduling order), as qsort on (time,
 * id) puts them. */
static double adversarial_time(gsl_rng *r, int pattern, size_t i)
{
    double day = 3.0 + pattern; /* each pattern has its own bucket */
    switch (pattern) {
    case 0: return day + 0.5;
    case 1: return day + (i % 2 ? 0.25 : 0.75);
    case 2: {
        double t = day + 0.5;
        for (unsigned k = (unsigned)gsl_rng_uniform_int(r, 40); k > 0; k--) t = nextafter(t, 1e9);
        return t;
    }
    case 3: return day + 0.001 * (double)gsl_rng_uniform_int(r, 7);
    case 4: /* half far from the rest, which share the first digit: recursion */
        return i % 2 ? day + 0.9 : day + 1e-6 * gsl_rng_uniform(r);
    case 5: /* ties inside the small parts sorted by insertion */
        return day + (double)gsl_rng_uniform_int(r, 2000) / 2000.0;
    default: return day + gsl_rng_uniform(r);
    }
}

static void test_engine_bucket_sort_orders_adversarial_runs(void)
{
    static const size_t sizes[] = {5000, 3000, 4000, 9000, 6000, 5000, 20000, 47, 48, 49, 97, 98};
    static const int patterns[] = {0, 1, 2, 3, 4, 5, 6, 1, 1, 6, 4, 5};
    int ok = 1;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, SEED + 11);
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
        size_t n = sizes[z];
        int pattern = patterns[z];
        es_engine *e = es_engine_new(N_TYPES, 16);
        ok &= e != NULL && es_engine_buckets(e, 1.0) == ES_OK;
        es_engine_on(e, T_LOG, on_log);
        es_event *want = malloc(n * sizeof *want);
        rec_ctx c = {.log = malloc(n * sizeof *c.log), .cap = n};
        for (size_t i = 0; i < n; i++) {
            want[i] = (es_event){
                .time = adversarial_time(r, pattern, i), .type = T_LOG, .id = (uint32_t)i};
            es_engine_at(e, want[i].time, T_LOG, (uint32_t)i);
        }
        ok &= es_engine_run(e, &c, INFINITY) == ES_OK && c.n == n;
        qsort(want, n, sizeof *want, cmp_event);
        for (size_t i = 0; ok && i < n; i++)
            ok = c.log[i].time == want[i].time && c.log[i].id == want[i].id;
        free(want);
        free(c.log);
        es_engine_free(e);
    }
    gsl_rng_free(r);
    CHECK(ok, "engine_bucket_sort_orders_equal_close_repeated_and_random_times");
}

/* ---- random operations against a reference ----
 *
 * Random sequences of what a model does between and inside runs: schedule
 * (at now, a bucket or a few ahead, beyond the ring, at +infinity), stop
 * with ES_OK inside a handler or between runs, fail a run with a model
 * error, run to finite times or to the end. The same sequence drives the
 * engine (with or without buckets, its heaps' sequence numbers often
 * renumbered) and a reference that scans every pending event for the least
 * (time, scheduling order); both must execute the same events in the same
 * order and agree on status, clock and pending events after every run.
 * The handlers' choices hash the event's id, so both sides make the same
 * ones if and only if they run the same events. */
typedef struct {
    double t;
    uint64_t seq;
    uint32_t id;
} ref_event;

typedef struct {
    int is_ref;
    es_engine *e;
    ref_event *p; /* the reference's pending events, unordered */
    size_t n, cap;
    uint64_t seq;
    double now;
    int stopping;
    es_status status;
    uint32_t next_id, budget;
    uint32_t *log;
    size_t nlog, logcap;
    double width;
    int ok;
} diff_side;

static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* How far ahead to schedule: ties at now, +infinity, beyond the ring of
 * 1,024 buckets, on bucket boundaries, or a few grid steps. */
static double diff_delta(uint64_t h, double width)
{
    switch (h % 10) {
    case 0:
    case 1: return 0.0;
    case 2: return INFINITY;
    case 3: return width * 1024 * (double)(1 + (h >> 8) % 3) + 0.25 * (double)((h >> 12) % 8);
    case 4: return width * (double)((h >> 8) % 5);
    default: return 0.25 * (double)((h >> 8) % 12);
    }
}

/* p (n used of *cap elements of `size` bytes) with room for one more,
 * doubling from `first`; NULL if out of memory (p is then still valid). */
static void *diff_room(void *p, size_t n, size_t *cap, size_t size, size_t first)
{
    if (n < *cap) return p;
    size_t c = *cap ? 2 * *cap : first;
    void *q = realloc(p, c * size);
    if (q) *cap = c;
    return q;
}

static void diff_at(diff_side *s, double t)
{
    uint32_t id = s->next_id++;
    if (!s->is_ref) {
        s->ok &= es_engine_at(s->e, t, 0, id) == ES_OK;
        return;
    }
    ref_event *p = diff_room(s->p, s->n, &s->cap, sizeof *p, 64);
    if (!p) {
        s->ok = 0;
        return;
    }
    s->p = p;
    s->p[s->n++] = (ref_event){t + 0.0, s->seq++, id};
}

static void diff_stop(diff_side *s, es_status why)
{
    if (!s->is_ref) {
        es_engine_stop(s->e, why);
        return;
    }
    s->stopping = 1;
    if (s->status == ES_OK) s->status = why;
}

static void diff_handler(void *ctx, es_engine *eng, const es_event *ev)
{
    (void)eng;
    diff_side *s = ctx;
    uint32_t *log = diff_room(s->log, s->nlog, &s->logcap, sizeof *log, 1024);
    if (!log) {
        s->ok = 0;
        return;
    }
    s->log = log;
    s->log[s->nlog++] = ev->id;
    double now = s->is_ref ? s->now : es_engine_now(s->e);
    s->ok &= now == ev->time;
    uint64_t h = mix64(ev->id * 7919ULL + 1);
    uint32_t kids = (uint32_t)(h % 4);
    if (s->budget < 4)
        kids = 0;
    else
        s->budget -= kids;
    for (uint32_t i = 0; i < kids; i++) {
        h = mix64(h);
        diff_at(s, now + diff_delta(h, s->width));
    }
    if (mix64(h + 5) % 23 == 0) diff_stop(s, ES_OK);
    if (mix64(h + 9) % 997 == 0) diff_stop(s, ES_ERR_MODEL);
}

static es_status diff_ref_run(diff_side *s, double until)
{
    if (s->status != ES_OK) return s->status;
    while (!s->stopping && s->n > 0) {
        size_t m = 0;
        for (size_t i = 1; i < s->n; i++)
            if (s->p[i].t < s->p[m].t || (s->p[i].t == s->p[m].t && s->p[i].seq < s->p[m].seq))
                m = i;
        if (s->p[m].t > until) break;
        ref_event x = s->p[m];
        s->p[m] = s->p[--s->n];
        s->now = x.t;
        es_event ev = {x.t, 0, x.id};
        diff_handler(s, NULL, &ev);
    }
    if (s->stopping) {
        s->stopping = 0;
        return s->status;
    }
    if (isfinite(until)) s->now = until;
    return ES_OK;
}

static void test_engine_random_operations_match_a_reference(void)
{
    enum { CASES = 3000 };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, SEED + 13);
    int ok = 1;
    size_t executed = 0;
    for (int k = 0; k < CASES && ok; k++) {
        double width =
            gsl_rng_uniform_int(r, 3) == 0 ? 0.0 : (gsl_rng_uniform_int(r, 2) ? 1.0 : 0.5);
        es_engine *e = es_engine_new(1, gsl_rng_uniform_int(r, 2) ? 4 : 100);
        ok &= e != NULL && (width == 0 || es_engine_buckets(e, width) == ES_OK);
        if (!ok) break;
        if (gsl_rng_uniform_int(r, 4))
            es_eventq_set_seq_limit(es_engine_queue(e, 0), 2 + (uint32_t)gsl_rng_uniform_int(r, 8));
        if (width > 0 && gsl_rng_uniform_int(r, 2))
            es_eventq_set_seq_limit(es_engine_queue(e, 1), 2 + (uint32_t)gsl_rng_uniform_int(r, 5));
        es_engine_on(e, 0, diff_handler);
        double w = width > 0 ? width : 1.0;
        diff_side eng = {.e = e, .budget = 400, .width = w, .ok = 1};
        diff_side ref = {.is_ref = 1, .budget = 400, .width = w, .ok = 1, .status = ES_OK};
        for (unsigned op = 0, ops = 5 + (unsigned)gsl_rng_uniform_int(r, 40); op < ops && ok;
             op++) {
            unsigned o = (unsigned)gsl_rng_uniform_int(r, 10);
            if (o < 5) {
                for (unsigned i = 0, m = 1 + (unsigned)gsl_rng_uniform_int(r, 5); i < m; i++) {
                    double t = es_engine_now(e) + diff_delta(mix64(gsl_rng_get(r)), w);
                    diff_at(&eng, t);
                    diff_at(&ref, t);
                }
            } else if (o == 5) {
                diff_stop(&eng, ES_OK);
                diff_stop(&ref, ES_OK);
            } else {
                double until = o == 9
                                   ? INFINITY
                                   : es_engine_now(e) + 0.25 * (double)gsl_rng_uniform_int(r, 20);
                es_status a = es_engine_run(e, &eng, until);
                es_status b = diff_ref_run(&ref, until);
                ok &= eng.ok && ref.ok && a == b && es_engine_now(e) == ref.now &&
                      es_engine_pending(e) == ref.n && eng.nlog == ref.nlog &&
                      (eng.nlog == 0 || !memcmp(eng.log, ref.log, eng.nlog * sizeof *eng.log));
            }
        }
        executed += eng.nlog;
        es_engine_free(e);
        free(ref.p);
        free(eng.log);
        free(ref.log);
    }
    gsl_rng_free(r);
    CHECK(ok && executed > 100000,
          "engine_random_schedule_run_stop_sequences_match_a_reference_order");
}

/* Out of memory while a bucket's events are gathered into the sorted run
 * (beyond the ring: the far heap; within it: a ring bucket): the run ends
 * with ES_ERR_NOMEM, runs nothing, and every event is still counted as
 * pending. Far events move one at a time: the third allocation fails, after
 * the first two gave the run and its scratch 1,024 places, so 1,024 events
 * have moved when it fails. A ring bucket's room is made at once: the first
 * allocation fails. */
static void test_engine_out_of_memory_in_a_bucket_loses_no_event(void)
{
    int ok = 1;
    for (int far = 0; far <= 1; far++) {
        es_engine *e = es_engine_new(N_TYPES, 16);
        ok &= e && es_engine_buckets(e, 1.0) == ES_OK;
        es_engine_on(e, T_LOG, on_log);
        for (uint32_t i = 0; i < 1500; i++) es_engine_at(e, far ? 5000.0 : 5.0, T_LOG, i);
        rec_ctx c = {0}; /* counts what runs, logs nothing */
        es_mem_fault_arm(far ? 3 : 1, true);
        es_status st = es_engine_run(e, &c, INFINITY);
        es_mem_fault_disarm();
        ok &= st == ES_ERR_NOMEM && c.n == 0 && es_engine_pending(e) == 1500;
        ok &= es_engine_run(e, &c, INFINITY) == ES_ERR_NOMEM && c.n == 0;
        es_engine_free(e);
    }
    CHECK(ok, "engine_out_of_memory_gathering_a_bucket_keeps_every_event_pending");
}

int main(void)
{
    test_eventq_random_matches_qsort();
    test_eventq_interleaved_hold_is_monotone();
    test_engine_random_order_matches_qsort();
    test_engine_ties_run_fifo();
    test_engine_run_until();
    test_engine_chain_and_pending();
    test_engine_stop();
    test_engine_bugs_assert();
    test_engine_buckets_keep_the_order();
    test_engine_bucket_sort_orders_adversarial_runs();
    test_engine_out_of_memory_in_a_bucket_loses_no_event();
    test_engine_random_operations_match_a_reference();
    return TEST_END();
}
