/* test_experiment.c: units on worker threads (experiment/experiment.c).
 *
 * The promise of docs/experiments.md, Work units: the data are bit-identical for any
 * thread count and completion order, and adding replications in batches
 * gives what one call gives. Also: progress counts every completed unit and
 * stopping interrupts cleanly, --no-crn seeds, and the --precision rule.
 * The model runs on a small horizon (13 months) with few arrivals, so the
 * whole program takes seconds. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "core/date.h"
#include "experiment/experiment.h"
#include "model/params.h"
#include "../testlib.h"

#define N_SCEN 2
#define N_REPS 3

static es_params *small_params(double intensity)
{
    es_params *p = malloc(sizeof *p);
    if (!p) exit(1);
    es_params_defaults(p);
    if (es_date_parse("2016-09-01", &p->start_day) ||
        es_date_parse("2016-10-01", &p->warmup_end_day) || es_date_parse("2017-09-30", &p->end_day))
        exit(1);
    /* Constant paths are one point at the horizon start (params.c). */
    for (size_t i = 0; i < es_param_count; i++)
        if (es_param_table[i].type == ES_P_PATH) {
            es_path *path = (es_path *)((char *)p + es_param_table[i].offset);
            if (path->n == 1) path->day[0] = p->start_day;
        }
    p->arrivals.v[0] = 150;
    p->intensity.v[0] = intensity;
    char err[512];
    const char *bad = NULL;
    if (es_params_check(p, err, sizeof err, &bad)) {
        printf("FAIL small parameters invalid: %s\n", err);
        exit(1);
    }
    return p;
}

typedef struct {
    int calls, last_done, last_total, stop_after;
} counter;

static int count(void *ctx, int done, int total, uint64_t events)
{
    counter *c = ctx;
    (void)events;
    c->calls++;
    c->last_done = done;
    c->last_total = total;
    return c->stop_after > 0 && done >= c->stop_after;
}

static int same_summary(const es_summary *a, const es_summary *b, size_t n)
{
    size_t z = n * sizeof(double);
    return !memcmp(a->mean, b->mean, z) && !memcmp(a->sd, b->sd, z) && !memcmp(a->lo, b->lo, z) &&
           !memcmp(a->hi, b->hi, z);
}

static int same_results(const es_scenario_result *a, const es_scenario_result *b)
{
    for (int i = 0; i < N_SCEN; i++) {
        const es_scenario_result *x = &a[i], *y = &b[i];
        size_t reps = (size_t)x->n_reps * ES_N_METRICS;
        if (x->n_reps != y->n_reps || x->n_months != y->n_months || x->n_fy != y->n_fy ||
            x->n_cy != y->n_cy || strcmp(x->name, y->name) ||
            memcmp(x->replication, y->replication, (size_t)x->n_reps * sizeof(int64_t)) ||
            memcmp(x->monthly, y->monthly, reps * (size_t)x->n_months * sizeof(double)) ||
            memcmp(x->fiscal, y->fiscal, reps * (size_t)x->n_fy * sizeof(double)) ||
            memcmp(x->calendar, y->calendar, reps * (size_t)x->n_cy * sizeof(double)) ||
            !same_summary(&x->fy_sum, &y->fy_sum, (size_t)ES_N_METRICS * (size_t)x->n_fy) ||
            !same_summary(&x->cy_sum, &y->cy_sum, (size_t)ES_N_METRICS * (size_t)x->n_cy))
            return 0;
    }
    return 1;
}

static void fini_all(es_scenario_result *r)
{
    for (int i = 0; i < N_SCEN; i++) es_scenario_result_fini(&r[i]);
}

/* Runs the experiment with `threads`, growing through the replication counts in `steps`. */
static es_status run(const es_experiment *proto, int threads, const int *steps, int n_steps,
                     es_scenario_result *out, counter *c)
{
    char err[512];
    es_experiment x = *proto;
    x.threads = threads;
    x.pctx = c;
    es_status st = es_experiment_start(&x, out, err, sizeof err);
    for (int i = 0; i < n_steps && st == ES_OK; i++)
        st = es_experiment_extend(&x, out, steps[i], err, sizeof err);
    if (st != ES_OK) printf("# run with %d threads: %s\n", threads, err);
    return st;
}

static void test_threads(const es_experiment *x)
{
    es_scenario_result r1[N_SCEN], r2[N_SCEN], r3[N_SCEN], rb[N_SCEN];
    counter c1 = {0}, c2 = {0}, c3 = {0}, cb = {0};
    const int all[] = {N_REPS}, batches[] = {1, 2, N_REPS};
    CHECK(run(x, 1, all, 1, r1, &c1) == ES_OK, "threads: 1 thread runs");
    CHECK(run(x, 2, all, 1, r2, &c2) == ES_OK, "threads: 2 threads run");
    CHECK(run(x, 5, all, 1, r3, &c3) == ES_OK, "threads: more threads than units run");
    CHECK(r1[0].n_reps == N_REPS && r1[0].n_fy == 1 && r1[0].fy[0] == 2017 &&
              r1[1].n_reps == N_REPS,
          "threads: every scenario has every replication and FY2017");
    CHECK(same_results(r1, r2), "threads: 1 and 2 threads give bit-identical data and summaries");
    CHECK(same_results(r1, r3), "threads: 1 and 5 threads give bit-identical data and summaries");
    CHECK(c1.calls == N_SCEN * N_REPS && c2.calls == N_SCEN * N_REPS &&
              c2.last_done == c2.last_total,
          "threads: progress is called once per completed unit");
    CHECK(run(x, 2, batches, 3, rb, &cb) == ES_OK && same_results(r1, rb),
          "growth: batches of 1, 1 and 1 replications equal one call of 3");
    /* The scenarios differ (intensity), so they must not be copies. */
    size_t cells = (size_t)N_REPS * ES_N_METRICS * (size_t)r1[0].n_months;
    CHECK(memcmp(r1[0].monthly, r1[1].monthly, cells * sizeof(double)) != 0,
          "threads: scenarios differ");
    fini_all(r1);
    fini_all(r2);
    fini_all(r3);
    fini_all(rb);

    es_scenario_result ri[N_SCEN];
    counter ci = {0, 0, 0, 2};
    es_status st = run(x, 2, all, 1, ri, &ci);
    CHECK(st == ES_ERR_INTERRUPTED, "stop: a nonzero progress return interrupts");
    CHECK(ci.calls >= 2 && ci.calls < N_SCEN * N_REPS,
          "stop: no unit is handed out after the stop");
    fini_all(ri);
}

static void test_seeds(void)
{
    int64_t a = es_experiment_independent_seed(20190201, 0),
            b = es_experiment_independent_seed(20190201, 1);
    int64_t c = es_experiment_independent_seed(20190202, 0);
    CHECK(a == es_experiment_independent_seed(20190201, 0),
          "no-crn seed: a function of (seed, index)");
    CHECK(a != b && a != c && b != c && a != 20190201,
          "no-crn seed: differs by index and by master seed");
    int inside = 1;
    for (int i = 0; i < 1000; i++) {
        int64_t s = es_experiment_independent_seed(INT64_MAX, i);
        inside &= s >= 0 && (double)s <= 9.2e18;
    }
    CHECK(inside, "no-crn seed: inside run.seed's range");
}

static void test_precision(void)
{
    es_scenario_result s;
    double mean[2] = {100, 200}, lo[2] = {99, 196}, hi[2] = {101, 204}, sd[2] = {1, 1};
    int fy[2] = {2017, 2018};
    memset(&s, 0, sizeof s);
    s.n_fy = 2;
    s.fy = fy;
    s.fy_sum = (es_summary){mean, sd, lo, hi}; /* metric 0 only is read */
    double worst;
    int wfy;
    CHECK(es_precision_met(&s, 0, 0.02, &worst, &wfy), "precision: half-widths 1% and 2% meet 2%");
    CHECK(!es_precision_met(&s, 0, 0.015, &worst, &wfy) && wfy == 2018 &&
              t_close(worst, 0.02, 1e-12),
          "precision: 1.5% is missed in FY2018, by a half-width of 2%");
    lo[0] = hi[0] = NAN;
    CHECK(!es_precision_met(&s, 0, 0.5, &worst, &wfy) && wfy == 2017,
          "precision: no interval is not precise");
}

int main(void)
{
    es_params *a = small_params(1.0), *b = small_params(1.25);
    es_scenario_in in[N_SCEN] = {{"base", a}, {"intense", b}};
    es_experiment x = {.n_scenarios = N_SCEN,
                       .scenarios = in,
                       .kind = ES_RNG_PHILOX,
                       .threads = 1,
                       .progress = count};
    test_threads(&x);
    test_seeds();
    test_precision();
    free(a);
    free(b);
    return TEST_END();
}
