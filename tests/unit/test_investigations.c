/* test_investigations.c: HSI investigations and prosecution support as
 * mechanisms (docs/model.md, HSI: leads and openings; prosecution support;
 * escalation), on the calibrated baseline cut to FY2016. Policies are
 * compared paired by replication (common random numbers) and judged against
 * the Monte Carlo standard error of the paired difference (z = 4). */
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

#define Z 4.0

static es_params base;
static int reps = 6;

static int load_base(void)
{
    return fy2016_load(&base);
}

typedef fy2016_runs runs;

static runs run_all(const es_params *p)
{
    return fy2016_run(p, reps);
}

static double month(const runs *R, int r, int metric, int k)
{
    return R->m[((size_t)r * ES_N_METRICS + (size_t)metric) * (size_t)R->n + (size_t)k];
}

/* FY2016 total of a metric in replication r. */
static double fy(const runs *R, int r, int metric)
{
    double s = 0;
    for (int k = R->first; k < R->n; k++) s += month(R, r, metric, k);
    return s;
}

static double mean_fy(const runs *R, int metric)
{
    double s = 0;
    for (int r = 0; r < reps; r++) s += fy(R, r, metric) / reps;
    return s;
}

/* b - a over FY2016, paired by replication: mean and standard error. */
static double paired(const runs *b, const runs *a, int metric, double *se)
{
    double d[64], m = 0, v = 0;
    for (int r = 0; r < reps; r++) {
        d[r] = fy(b, r, metric) - fy(a, r, metric);
        m += d[r] / reps;
    }
    for (int r = 0; r < reps; r++) v += (d[r] - m) * (d[r] - m) / (reps - 1);
    *se = sqrt(v / reps);
    return m;
}

/* Prints b - a over FY2016 and whether it moved in direction `sign` (+1
 * up, -1 down) by more than Z standard errors. */
static int moved(const runs *b, const runs *a, int metric, int sign, const char *what)
{
    double se, d = paired(b, a, metric, &se);
    printf("# %s: %s %+.0f +- %.0f (from %.0f)\n", what, es_metric_table[metric].name, d, se,
           mean_fy(a, metric));
    return sign * d > Z * se && sign * d > 0;
}

static int higher(const runs *b, const runs *a, int metric, const char *what)
{
    return moved(b, a, metric, +1, what);
}

static int lower(const runs *b, const runs *a, int metric, const char *what)
{
    return moved(b, a, metric, -1, what);
}

/* Openings under leads_and_hours respond to leads (arrivals doubled for
 * FY2016: more border, stash-house and extortion leads) and to hours. The
 * 1325 referral share is halved with the arrivals: at the same share, twice
 * the prosecutions would pull smuggling agents into prosecution support
 * (tested below), which is another effect. */
static void test_openings(const runs *R)
{
    es_params p = base;
    for (int i = 0; i < p.arrivals.n; i++)
        if (p.arrivals.day[i] >= p.warmup_end_day) p.arrivals.v[i] *= 2.0;
    for (int i = 0; i < p.entry_prosecution_share.n; i++) p.entry_prosecution_share.v[i] *= 0.5;
    runs more = run_all(&p);
    CHECK(higher(&more, R, ES_M_CASES_OPENED, "arrivals x2"),
          "doubling_arrivals_opens_more_cases_under_leads_and_hours");
    free(more.m);

    p = base;
    p.agents[ES_PROG_SMUGGLING] *= 0.5;
    p.agents[ES_PROG_OTHER] += base.agents[ES_PROG_SMUGGLING] * 0.5;
    runs fewer = run_all(&p);
    CHECK(lower(&fewer, R, ES_M_CASES_OPENED, "smuggling agents x0.5"),
          "halving_smuggling_agents_opens_fewer_cases");
    free(fewer.m);
}

/* Prosecution support: its hours follow the prosecutions that need them,
 * and when its backlog outgrows its agents it pulls migrant-smuggling agents
 * first, at the cost of smuggling investigations. */
static void test_prosecution_support(const runs *R)
{
    es_params p = base;
    double used = mean_fy(R, ES_M_HOURS_USED_0 + ES_PROG_PROSECUTION_SUPPORT);
    double need = base.entry_support_hours * mean_fy(R, ES_M_PROSECUTIONS_1325) +
                  base.charge_support_hours * mean_fy(R, ES_M_CHARGES_1324);
    printf("# support hours used %.0f, demanded by prosecutions %.0f\n", used, need);
    CHECK(used > 0.95 * need && used < 1.05 * need,
          "prosecution_support_hours_follow_1325_and_1324_volumes");

    es_path *s = &p.entry_prosecution_share;
    for (int i = 0; i < s->n; i++) s->v[i] = 0.45;
    runs zt = run_all(&p);
    CHECK(higher(&zt, R, ES_M_PROSECUTIONS_1325, "entry share 0.45"),
          "zero_tolerance_raises_1325_prosecutions");
    CHECK(higher(&zt, R, ES_M_HOURS_USED_0 + ES_PROG_PROSECUTION_SUPPORT, "entry share 0.45"),
          "zero_tolerance_raises_prosecution_support_hours");
    CHECK(higher(&zt, R, ES_M_HOURS_PULLED_FROM_SMUGGLING, "entry share 0.45"),
          "zero_tolerance_pulls_migrant_smuggling_agents");
    CHECK(lower(&zt, R, ES_M_HOURS_INVESTIGATION, "entry share 0.45"),
          "zero_tolerance_costs_smuggling_investigation_hours");
    CHECK(lower(&zt, R, ES_M_CASES_OPENED, "entry share 0.45"),
          "zero_tolerance_opens_fewer_smuggling_cases");
    free(zt.m);

    p = base;
    for (int k = 0; k < ES_N_PROGRAMS; k++) p.pull_order[k] = 0;
    p.pull_order[ES_PROG_OTHER] = 1;
    for (int i = 0; i < s->n; i++) p.entry_prosecution_share.v[i] = 0.45;
    runs other = run_all(&p);
    double pulled = mean_fy(&other, ES_M_HOURS_PULLED_TO_SUPPORT);
    printf("# pulling from other only: %.0f hours pulled, %.0f from smuggling\n", pulled,
           mean_fy(&other, ES_M_HOURS_PULLED_FROM_SMUGGLING));
    CHECK(pulled > 0 && mean_fy(&other, ES_M_HOURS_PULLED_FROM_SMUGGLING) == 0,
          "pull_order_decides_which_program_lends_agents");
    free(other.m);
}

/* Escalation: tier 1 needs a charged arrestee; thresholds move charges and
 * reach; the cell's and the attaches' hours are finite. */
static void test_escalation(const runs *R)
{
    es_params p = base;
    p.prosecutor_accept = 0;
    runs none = run_all(&p);
    printf("# no 1324 charges: tier-1 reach %.0f (baseline %.0f)\n",
           mean_fy(&none, ES_M_CASES_REACH_T1), mean_fy(R, ES_M_CASES_REACH_T1));
    CHECK(mean_fy(&none, ES_M_CASES_REACH_T1) == 0 && mean_fy(R, ES_M_CASES_REACH_T1) > 0,
          "no_tier1_escalation_without_a_charged_arrestee");
    free(none.m);

    es_params lo = base, hi = base;
    for (int i = 0; i < lo.threshold.n; i++) lo.threshold.v[i] = 3;
    for (int i = 0; i < hi.threshold.n; i++) hi.threshold.v[i] = 10;
    runs a = run_all(&lo), b = run_all(&hi);
    CHECK(lower(&b, &a, ES_M_CHARGES_1324, "threshold 10 vs 3"),
          "threshold_10_charges_fewer_than_threshold_3");
    CHECK(lower(&b, &a, ES_M_CASES_REACH_T1, "threshold 10 vs 3"),
          "threshold_10_reaches_tier1_less_often_than_threshold_3");
    free(a.m);
    free(b.m);

    p = base;
    for (int i = 0; i < p.hsc_staff.n; i++) p.hsc_staff.v[i] = 0;
    runs nocell = run_all(&p);
    CHECK(higher(&nocell, R, ES_M_ESCALATIONS_NO_CELL, "no smuggling cell"),
          "without_cell_staff_escalations_go_without_analysis");
    CHECK(lower(&nocell, R, ES_M_CASES_REACH_T1, "no smuggling cell"),
          "without_cell_staff_fewer_cases_reach_tier1");
    free(nocell.m);

    p = base;
    for (int i = 0; i < p.attache_staff.n; i++) p.attache_staff.v[i] = 0;
    runs noatt = run_all(&p);
    CHECK(higher(&noatt, R, ES_M_TIER2_NO_ATTACHE, "no attaches"),
          "without_attaches_tier2_attempts_find_no_partner");
    CHECK(lower(&noatt, R, ES_M_CASES_REACH_T2, "no attaches"),
          "without_attaches_fewer_cases_reach_tier2");
    free(noatt.m);
}

/* The case hour budget may not cut a mean tier-2 case short; special
 * operations come from a program that has the agents, not from migrant
 * smuggling itself. */
static void test_budget_refused(void)
{
    es_params p = base;
    char err[512];
    const char *bad = NULL;
    p.case_hour_budget = p.tier_hours[0] + p.tier_hours[1] + p.tier_hours[2] - 1;
    int rc = es_params_check(&p, err, sizeof err, &bad);
    printf("# %s\n", rc ? err : "accepted");
    CHECK(rc != 0 && bad && !strcmp(bad, "hsi.case.hour_budget"),
          "case_hour_budget_below_the_tier_hours_is_refused");

    p = base;
    strcpy(p.special_ops_from, "migrant_smuggling");
    bad = NULL;
    rc = es_params_check(&p, err, sizeof err, &bad);
    printf("# %s\n", rc ? err : "accepted");
    CHECK(rc != 0 && bad && !strcmp(bad, "hsi.special_operations_from"),
          "special_operations_from_migrant_smuggling_is_refused");
    strcpy(p.special_ops_from, "other");
    p.special_ops.n = 1;
    p.special_ops.v[0] = p.agents[ES_PROG_OTHER] + 1;
    CHECK(es_params_check(&p, err, sizeof err, &bad) != 0 && !strcmp(bad, "hsi.special_operations"),
          "special_operations_larger_than_their_source_program_are_refused");
}

/* Used hours accrue month by month: the horizon's last month books the
 * hours of work still in progress (booked at completion, it lost the part
 * of every long case or audit not finished by the end). Drug smuggling has
 * more demand than agents, and idle migrant-smuggling agents work proactive
 * leads, so both pools use nearly all their hours in every month. */
static void test_hours_accrue(const runs *R)
{
    static const int prog[] = {ES_PROG_DRUG, ES_PROG_SMUGGLING};
    for (int i = 0; i < 2; i++) {
        int m = ES_M_HOURS_USED_0 + prog[i], a = ES_M_HOURS_AVAIL_0 + prog[i];
        double u = 0, v = 0;
        for (int r = 0; r < reps; r++) {
            u += month(R, r, m, R->n - 1);
            v += month(R, r, a, R->n - 1);
        }
        printf("# last month of the horizon: %s %.0f of %.0f\n", es_metric_table[m].name, u / reps,
               v / reps);
        CHECK(v > 0 && u > 0.97 * v && u <= v * (1 + 1e-9),
              i ? "smuggling_hours_used_accrue_up_to_the_horizon_end"
                : "drug_hours_used_accrue_up_to_the_horizon_end");
    }
}

/* A budget cut acts through attrition under a hiring freeze: halving the
 * budget from January 2016 (it then funds about 3,000 of 6,000 agents)
 * takes hsi.attrition_per_month of the agents each month, not half of them
 * at once. One replication: the staffing path is not random. */
static void test_budget_cut_by_attrition(void)
{
    es_params p = base;
    int reps0 = reps;
    reps = 1;
    es_path *b = &p.hsi_budget;
    b->n = 2;
    b->day[0] = p.start_day;
    b->v[0] = 2.1e9;
    b->day[1] = es_date_days(2016, 1, 1);
    b->v[1] = 1.05e9;
    p.transfer_to_ero.n = 1;
    p.transfer_to_ero.v[0] = 0;
    runs R = run_all(&p);
    reps = reps0;
    double at[3] = {0, 0, 0};
    int k[3] = {es_date_month_index(es_date_days(2015, 12, 1)) - es_date_month_index(p.start_day),
                0, R.n - 1};
    k[1] = k[0] + 1;
    for (int i = 0; i < 3; i++)
        for (int g = 0; g < ES_N_PROGRAMS; g++) at[i] += month(&R, 0, ES_M_AGENTS_0 + g, k[i]);
    double funded = 1.05e9 * p.personnel_share / p.cost_per_agent;
    double months = (double)(k[2] - k[0]);
    printf("# agents: December 2015 %.0f, January 2016 %.0f, September 2016 %.0f (funded %.0f; "
           "attrition alone %.0f)\n",
           at[0], at[1], at[2], funded, at[0] * pow(1 - p.attrition_per_month, months));
    CHECK(at[1] < at[0] && at[1] >= at[0] * (1 - p.attrition_per_month) - ES_N_PROGRAMS,
          "a_budget_cut_takes_one_month_of_attrition_in_its_first_month");
    CHECK(at[2] > funded &&
              fabs(at[2] - at[0] * pow(1 - p.attrition_per_month, months)) <= ES_N_PROGRAMS,
          "a_budget_cut_reaches_its_level_only_through_attrition");
    free(R.m);
}

int main(void)
{
    if (load_base()) return 1;
    const char *san = getenv("ES_SAN");
    int quick = san && !strcmp(san, "1");
    test_budget_refused();
    test_budget_cut_by_attrition();
    if (quick) {
        /* Under the sanitizers: every mechanism's code path once. */
        reps = 2;
        es_params p = base;
        for (int i = 0; i < p.entry_prosecution_share.n; i++) p.entry_prosecution_share.v[i] = 0.45;
        for (int i = 0; i < p.hsc_staff.n; i++) p.hsc_staff.v[i] = 0;
        for (int i = 0; i < p.attache_staff.n; i++) p.attache_staff.v[i] = 0;
        runs R = run_all(&p);
        CHECK(R.m && mean_fy(&R, ES_M_HOURS_PULLED_TO_SUPPORT) > 0,
              "zero_tolerance_pulls_agents_under_the_sanitizers");
        if (R.m) test_hours_accrue(&R);
        free(R.m);
        return TEST_END();
    }
    runs R = run_all(&base);
    if (!R.m) {
        printf("FAIL out_of_memory\n");
        return 1;
    }
    test_openings(&R);
    test_prosecution_support(&R);
    test_escalation(&R);
    test_hours_accrue(&R);
    free(R.m);
    return TEST_END();
}
