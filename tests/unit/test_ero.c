/* test_ero.c: ERO as a mechanism (docs/model.md, ERO) on the calibrated
 * baseline cut to FY2016: no warm-up artefact in the first fiscal year after
 * the warm-up, and ERO outputs that move, paired by replication (common
 * random numbers), when ERO officers or the ERO budget move. Judged against
 * the Monte Carlo standard error (z = 4). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../testlib.h"
#include "fy2016.h"
#include "core/date.h"
#include "io/cfg.h"
#include "model/metrics.h"
#include "model/model.h"
#include "model/params.h"

#define Z    4.0
#define REPS 6

static es_params base;

static int load_base(void)
{
    return fy2016_load(&base);
}

typedef fy2016_runs runs;

static runs run_all(const es_params *p)
{
    return fy2016_run(p, REPS);
}

static double sum(const runs *R, int r, int metric, int from, int to)
{
    const double *x = R->m + ((size_t)r * ES_N_METRICS + (size_t)metric) * (size_t)R->n;
    double s = 0;
    for (int k = from; k < to; k++) s += x[k];
    return s;
}

/* Mean and standard error over replications of d[r]. */
static void mean_se(const double *d, double *mean, double *se)
{
    double m = 0, v = 0;
    for (int r = 0; r < REPS; r++) m += d[r] / REPS;
    for (int r = 0; r < REPS; r++) v += (d[r] - m) * (d[r] - m) / (REPS - 1);
    *mean = m;
    *se = sqrt(v / REPS);
}

/* FY2016 (after the FY2015 warm-up) has flat inputs: the arrival path was
 * fitted to the year's total spread evenly and the ERO rates are constant.
 * So its second half may differ from its first only by noise, or by a stock
 * still filling from the empty start (detention) or work still ramping up
 * (interior arrests, once served as one daily batch by one officer). */
static void test_no_trend_after_warmup(const runs *R)
{
    static const int m[] = {ES_M_ERO_ADMIN_ARRESTS, ES_M_ERO_BORDER_TRANSFERS, ES_M_DETENTION,
                            ES_M_REMOVALS, ES_M_ERO_ARRESTS};
    static const char *const name[] = {
        "ero_admin_arrests_show_no_trend_in_first_year_after_warmup",
        "ero_border_transfers_show_no_trend_in_first_year_after_warmup",
        "detention_occupancy_shows_no_trend_in_first_year_after_warmup",
        "removals_show_no_trend_in_first_year_after_warmup",
        "ero_book_ins_show_no_trend_in_first_year_after_warmup"};
    int a = R->first, h = R->first + 6, e = R->first + 12;
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        double d[REPS], mean, se, level = 0;
        for (int r = 0; r < REPS; r++) {
            d[r] = sum(R, r, m[i], h, e) - sum(R, r, m[i], a, h);
            level += sum(R, r, m[i], a, e) / REPS;
        }
        mean_se(d, &mean, &se);
        printf("# %s: second minus first half %.0f +- %.0f (year %.0f)\n", name[i], mean, se,
               level);
        /* a drift is noise (4 SE) or under 1% of the year's level */
        CHECK(level > 0 && fabs(mean) <= fmax(Z * se, 0.01 * level), name[i]);
    }
    /* The first month of the warm-up already makes its arrests: served one
     * arrest per officer, a day's arrests are made within days. */
    double first = 0, later = 0;
    for (int r = 0; r < REPS; r++) {
        first += sum(R, r, ES_M_ERO_ADMIN_ARRESTS, 0, 1) / 31.0;
        later += sum(R, r, ES_M_ERO_ADMIN_ARRESTS, a, e) / 366.0;
    }
    printf("# interior arrests a day: first month %.1f, FY2016 %.1f\n", first / REPS, later / REPS);
    CHECK(first > 0.95 * later, "interior_arrests_reach_their_rate_in_the_first_month");
}

/* b - a over FY2016, paired: its mean and whether it is below -Z SE. */
static int paired_lower(const runs *b, const runs *a, int metric, double *diff)
{
    double d[REPS], mean, se;
    for (int r = 0; r < REPS; r++)
        d[r] = sum(b, r, metric, b->first, b->n) - sum(a, r, metric, a->first, a->n);
    mean_se(d, &mean, &se);
    *diff = mean;
    return mean < -Z * se;
}

static void test_policies_move_ero(const runs *R)
{
    double diff;
    es_params p = base;
    for (int t = 0; t < ES_N_ERO_TASKS; t++) p.officers[t] = base.officers[t] * 0.3;
    runs few = run_all(&p);
    CHECK(paired_lower(&few, R, ES_M_ERO_ADMIN_ARRESTS, &diff),
          "fewer_interior_officers_make_fewer_administrative_arrests");
    printf("# officers x0.3: administrative arrests %+.0f\n", diff);
    CHECK(paired_lower(&few, R, ES_M_REMOVALS, &diff),
          "fewer_removal_officers_remove_fewer_people");
    printf("# officers x0.3: removals %+.0f\n", diff);
    free(few.m);

    p = base;
    for (int i = 0; i < p.ero_budget.n; i++) p.ero_budget.v[i] *= 0.5;
    runs poor = run_all(&p);
    CHECK(paired_lower(&poor, R, ES_M_DETENTION, &diff),
          "half_the_ero_budget_lowers_detention_occupancy");
    printf("# budget x0.5: detention (sum of month ends) %+.0f\n", diff);
    CHECK(paired_lower(&poor, R, ES_M_REMOVALS, &diff), "half_the_ero_budget_removes_fewer_people");
    printf("# budget x0.5: removals %+.0f\n", diff);
    free(poor.m);

    p = base;
    es_path *rate = &p.ero_interior_rate;
    for (int i = 0; i < rate->n; i++) rate->v[i] *= 0.5;
    runs less = run_all(&p);
    CHECK(paired_lower(&less, R, ES_M_ERO_ADMIN_ARRESTS, &diff),
          "a_lower_interior_arrest_rate_makes_fewer_administrative_arrests");
    printf("# interior rate x0.5: administrative arrests %+.0f\n", diff);
    free(less.m);
}

/* With too few interior officers for the arrests sought, every officer
 * makes one arrest each ero.task_hours of work, back to back: FY2016's
 * interior arrests are the officers' capacity over its 366 days, to within
 * the arrests in hand at the year's two ends (one per officer). Fails if
 * two arrests ever share an officer, or an officer is left idle while
 * arrests wait. */
static void test_saturated_officers_work_at_capacity(void)
{
    es_params p = base;
    p.officers[ES_ERO_INTERIOR] = 100;
    runs few = run_all(&p);
    double capacity = 0, worst = 0;
    for (int r = 0; r < REPS; r++) {
        /* the officers' available hours, as the model counts them */
        capacity = sum(&few, r, ES_M_ERO_AVAIL_0 + ES_ERO_INTERIOR, few.first, few.n) /
                   p.ero_task_hours[ES_ERO_INTERIOR];
        double made = sum(&few, r, ES_M_ERO_ADMIN_ARRESTS, few.first, few.n) -
                      sum(&few, r, ES_M_COMPLETED_0 + ES_PROG_ERO_SUPPORT, few.first, few.n);
        if (fabs(made - capacity) > worst) worst = fabs(made - capacity);
    }
    printf(
        "# 100 interior officers: capacity %.0f arrests in FY2016, worst replication off by %.0f\n",
        capacity, worst);
    CHECK(worst <= 100, "saturated_interior_officers_make_arrests_at_their_capacity");
    free(few.m);
}

int main(void)
{
    if (load_base()) return 1;
    const char *san = getenv("ES_SAN");
    int quick = san && !strcmp(san, "1");
    runs R = run_all(&base);
    if (!R.m) {
        printf("FAIL out_of_memory\n");
        return 1;
    }
    test_no_trend_after_warmup(&R);
    /* Under the sanitizers the policy runs add no code path. */
    if (!quick) {
        test_policies_move_ero(&R);
        test_saturated_officers_work_at_capacity();
    }
    free(R.m);
    return TEST_END();
}
