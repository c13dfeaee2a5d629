/* bench_engine.c: engine micro-benchmarks through the public engine API
 * (es_engine_at + handlers + es_engine_run), never part of `make test`.
 *
 * The workloads replicate the bare reference workloads (docs/development.md,
 * Benchmarks) draw for draw, so
 * the two can be compared in one run (tests/bench/run.sh does):
 *   bench_engine mm1 [customers=5e6]
 *       M/M/1, arrival rate 0.9, service rate 1, seed 12345, GSL's default
 *       generator (mt19937 unless GSL_RNG_TYPE says otherwise); an event is an
 *       arrival or a departure, 2 per customer. Timed: the whole trial, as in
 *       the reference (generator and engine set-up included).
 *   bench_engine hold P [timed=1e7] [warmup=max(P,1e6)]
 *       P pending events; each event reschedules itself at now + Exp(1);
 *       seed 777; P initial events, `warmup` untimed events, then `timed`
 *       timed events.
 *   bench_engine hold-buckets P [timed] [warmup]
 *       the same events with the engine's buckets (es_engine_buckets) of
 *       width mean/128, so that the ring of 1,024 buckets spans 8 mean
 *       increments (e^-8 of the events go beyond it) and the heap holds
 *       about P/128 events. The same width for every P: it follows the
 *       workload's time scale, as a model's would.
 * Prints one JSON line on stdout:
 *   {"bench":..,"pending":P (hold only),"events":..,"seconds":..,
 *    "events_per_s":..,"peak_rss_kb":..}
 * and on stderr the quantity the reference prints as its checksum
 * ("pops=N avg_tsys=X" for mm1, "chk X" for hold) with the same format, so
 * run.sh can confirm that both executed the same events. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include "core/status.h"
#include "engine/engine.h"

#define MM1_SEED         12345
#define MM1_ARRIVAL_RATE 0.9
#define MM1_SERVICE_RATE 1.0
#define MM1_CUSTOMERS    5000000
#define MM1_FIFO_CAP0    1024 /* the reference's initial ring size */
#define MM1_QUEUE_HINT   16   /* the reference's initial heap size */
#define HOLD_SEED        777
#define HOLD_TIMED       10000000
#define HOLD_MIN_WARMUP  1000000
#define HOLD_MEAN        1.0

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1; /* KiB on Linux */
}

static void print_json(const char *bench, long long pending, uint64_t events, double secs)
{
    printf("{\"bench\":\"%s\",", bench);
    if (pending >= 0) printf("\"pending\":%lld,", pending);
    printf("\"events\":%llu,\"seconds\":%.4f,\"events_per_s\":%.4e,\"peak_rss_kb\":%ld}\n",
           (unsigned long long)events, secs, (double)events / secs, peak_rss_kb());
}

/* ---- M/M/1 ---- */

enum { MM1_ARRIVAL, MM1_DEPARTURE, MM1_N_TYPES };

typedef struct {
    gsl_rng *r;
    uint64_t customers, arrived, served;
    double *fifo; /* arrival times of waiting customers (ring) */
    size_t cap, head, len;
    int busy;
    double in_service_arrival, sum_tsys;
} mm1_state;

/* Doubles the ring, unrolling it to start at 0, as the reference does. */
static int mm1_fifo_grow(mm1_state *m)
{
    double *nq = malloc(2 * m->cap * sizeof *nq);
    if (!nq) return 0;
    for (size_t k = 0; k < m->len; k++) nq[k] = m->fifo[(m->head + k) % m->cap];
    free(m->fifo);
    m->fifo = nq;
    m->head = 0;
    m->cap *= 2;
    return 1;
}

static void mm1_arrival(void *ctx, es_engine *eng, const es_event *ev)
{
    mm1_state *m = ctx;
    const double now = ev->time;
    m->arrived++;
    if (m->arrived < m->customers)
        es_engine_at(eng, now + gsl_ran_exponential(m->r, 1.0 / MM1_ARRIVAL_RATE), MM1_ARRIVAL, 0);
    if (!m->busy) {
        m->busy = 1;
        m->in_service_arrival = now;
        es_engine_at(eng, now + gsl_ran_exponential(m->r, 1.0 / MM1_SERVICE_RATE), MM1_DEPARTURE,
                     0);
    } else {
        if (m->len == m->cap && !mm1_fifo_grow(m)) {
            es_engine_stop(eng, ES_ERR_NOMEM);
            return;
        }
        m->fifo[(m->head + m->len) % m->cap] = now;
        m->len++;
    }
}

static void mm1_departure(void *ctx, es_engine *eng, const es_event *ev)
{
    mm1_state *m = ctx;
    const double now = ev->time;
    m->sum_tsys += now - m->in_service_arrival;
    m->served++;
    if (m->len > 0) {
        m->in_service_arrival = m->fifo[m->head];
        m->head = (m->head + 1) % m->cap;
        m->len--;
        es_engine_at(eng, now + gsl_ran_exponential(m->r, 1.0 / MM1_SERVICE_RATE), MM1_DEPARTURE,
                     0);
    } else {
        m->busy = 0;
    }
}

static int bench_mm1(uint64_t customers)
{
    const double t0 = now_s();
    mm1_state m = {.customers = customers, .cap = MM1_FIFO_CAP0};
    m.r = gsl_rng_alloc(gsl_rng_default);
    m.fifo = malloc(m.cap * sizeof *m.fifo);
    es_engine *eng = es_engine_new(MM1_N_TYPES, MM1_QUEUE_HINT);
    if (!m.r || !m.fifo || !eng) {
        fprintf(stderr, "bench_engine: out of memory\n");
        return 1;
    }
    gsl_rng_set(m.r, MM1_SEED);
    es_engine_on(eng, MM1_ARRIVAL, mm1_arrival);
    es_engine_on(eng, MM1_DEPARTURE, mm1_departure);
    es_status st =
        es_engine_at(eng, gsl_ran_exponential(m.r, 1.0 / MM1_ARRIVAL_RATE), MM1_ARRIVAL, 0);
    if (st == ES_OK) st = es_engine_run(eng, &m, INFINITY);
    const uint64_t events = es_engine_events(eng);
    es_engine_free(eng);
    free(m.fifo);
    gsl_rng_free(m.r);
    const double secs = now_s() - t0;
    if (st != ES_OK) {
        fprintf(stderr, "bench_engine: mm1: %s\n", es_status_str(st));
        return 1;
    }
    fprintf(stderr, "mm1: rng=%s pops=%llu avg_tsys=%.4f\n", gsl_rng_default->name,
            (unsigned long long)events, m.sum_tsys / (double)m.served);
    print_json("mm1", -1, events, secs);
    return 0;
}

/* ---- hold ---- */

enum { HOLD_EVENT, HOLD_N_TYPES };

typedef struct {
    gsl_rng *r;
    uint64_t left; /* events to execute before stopping */
    double last;   /* time of the last event: the checksum */
} hold_state;

static void hold_step(void *ctx, es_engine *eng, const es_event *ev)
{
    hold_state *h = ctx;
    h->last = ev->time;
    es_engine_at(eng, ev->time + gsl_ran_exponential(h->r, HOLD_MEAN), HOLD_EVENT, ev->id);
    if (--h->left == 0) es_engine_stop(eng, ES_OK);
}

/* Executes exactly n events (n > 0); the queue never empties in hold. */
static es_status hold_run(es_engine *eng, hold_state *h, uint64_t n)
{
    h->left = n;
    return es_engine_run(eng, h, INFINITY);
}

static int bench_hold(uint64_t pending, uint64_t timed, uint64_t warmup, int buckets)
{
    hold_state h = {.r = gsl_rng_alloc(gsl_rng_default)};
    es_engine *eng = es_engine_new(HOLD_N_TYPES, pending + 1);
    if (eng && buckets && es_engine_buckets(eng, HOLD_MEAN / 128.0) != ES_OK) {
        es_engine_free(eng);
        eng = NULL;
    }
    if (!h.r || !eng || pending == 0 || pending > UINT32_MAX || timed == 0) {
        fprintf(stderr, "bench_engine: hold: bad arguments or out of memory\n");
        return 1;
    }
    gsl_rng_set(h.r, HOLD_SEED);
    es_engine_on(eng, HOLD_EVENT, hold_step);
    es_status st = ES_OK;
    for (uint64_t k = 0; k < pending && st == ES_OK; k++)
        st = es_engine_at(eng, gsl_ran_exponential(h.r, HOLD_MEAN), HOLD_EVENT, (uint32_t)k);
    if (st == ES_OK && warmup > 0) st = hold_run(eng, &h, warmup);
    const uint64_t before = es_engine_events(eng);
    const double t0 = now_s();
    if (st == ES_OK) st = hold_run(eng, &h, timed);
    const double secs = now_s() - t0;
    const uint64_t events = es_engine_events(eng) - before;
    es_engine_free(eng);
    gsl_rng_free(h.r);
    if (st != ES_OK) {
        fprintf(stderr, "bench_engine: hold: %s\n", es_status_str(st));
        return 1;
    }
    fprintf(stderr, "hold: rng=%s P=%llu timed_pops=%llu warmup=%llu chk %.3f\n",
            gsl_rng_default->name, (unsigned long long)pending, (unsigned long long)events,
            (unsigned long long)warmup, h.last);
    print_json(buckets ? "hold_buckets" : "hold", (long long)pending, events, secs);
    return 0;
}

/* Counts accept 1e7-style notation, as the reference's do. */
static uint64_t arg_count(int argc, char **argv, int i, uint64_t dflt)
{
    return argc > i ? (uint64_t)strtod(argv[i], NULL) : dflt;
}

int main(int argc, char **argv)
{
    gsl_rng_env_setup();
    if (argc > 1 && strcmp(argv[1], "mm1") == 0)
        return bench_mm1(arg_count(argc, argv, 2, MM1_CUSTOMERS));
    int buckets = argc > 2 && strcmp(argv[1], "hold-buckets") == 0;
    if (argc > 2 && (strcmp(argv[1], "hold") == 0 || buckets)) {
        uint64_t p = arg_count(argc, argv, 2, 0);
        uint64_t warm = p > HOLD_MIN_WARMUP ? p : HOLD_MIN_WARMUP;
        return bench_hold(p, arg_count(argc, argv, 3, HOLD_TIMED), arg_count(argc, argv, 4, warm),
                          buckets);
    }
    fprintf(stderr,
            "usage: bench_engine mm1 [customers]\n"
            "       bench_engine hold|hold-buckets PENDING [timed_events] [warmup_events]\n");
    return 2;
}
