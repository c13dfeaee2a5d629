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

static size_t hold_run(double width, es_event *log, size_t *pending, size_t cap, int *ok)
{
    es_engine *e = es_engine_new(N_TYPES, 16);
    if (width > 0 && es_engine_buckets(e, width) != ES_OK) *ok = 0;
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
    size_t na = hold_run(0, a, pa, CAP, &ok_a);
    size_t nb = hold_run(0.75, b, pb, CAP, &ok_b);
    CHECK(ok_a && ok_b, "engine_buckets_run_stop_and_resume_at_any_time");
    int same = na == nb && na <= CAP;
    for (size_t k = 0; same && k < na; k++) same = same_event(&a[k], &b[k]) && pa[k] == pb[k];
    CHECK(same && na > 50000, "engine_buckets_run_the_same_events_in_the_same_order");
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
    return TEST_END();
}
