/* test_compare.c: the paired-comparison statistics (experiment/compare.c)
 * on a small sample checked by hand, their edge cases (non-finite values,
 * one pair, no variance), and es_compare_scenarios on synthetic results.
 *
 * The hand computation (every number exact in binary except where noted):
 *   A = 10.5 12.25 9.75 11.0   B = 11.0 13.5 10.25 12.0
 *   D = B - A = 0.5 1.25 0.5 1.0, mean 0.8125, deviations -0.3125 0.4375
 *   -0.3125 0.1875, squares sum 0.421875, var 0.140625, sd 0.375.
 *   t(0.975, 3) = 3.182446305284263 (tables), half-width t 0.375 / 2.
 *   mean A 10.875, mean B 11.6875; var A 3.3125/3, var B 5.921875/3,
 *   sum of cross deviations 4.40625, so corr = 4.40625 / sqrt(3.3125 5.921875)
 *   and variance_reduction = (3.3125 + 5.921875) / 3 / 0.140625 = 21.888...
 *   replications_needed for a half-width 0.25: t(10) 0.375/sqrt(11) = 0.2519
 *   > 0.25 and t(11) 0.375/sqrt(12) = 0.2382 <= 0.25, so 12. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "core/mem.h"
#include "experiment/compare.h"
#include "../testlib.h"

#define T975_3 3.182446305284263 /* Student t 0.975 quantile, 3 degrees of freedom */
#define REL    1e-12

static void test_hand_sample(void)
{
    const double a[] = {10.5, 12.25, 9.75, 11.0}, b[] = {11.0, 13.5, 10.25, 12.0};
    double st[ES_CMP_N_STATS], work[12];
    es_compare_pairs(a, b, 4, (es_hw_target){0, 0.25}, st, work);
    double hw = T975_3 * 0.375 / 2;
    CHECK(st[ES_CMP_N] == 4, "hand: n");
    CHECK(st[ES_CMP_MEAN_BASE] == 10.875 && st[ES_CMP_MEAN_ALT] == 11.6875, "hand: means exact");
    CHECK(st[ES_CMP_DIFF_MEAN] == 0.8125 && st[ES_CMP_DIFF_SD] == 0.375,
          "hand: difference mean and sd exact");
    CHECK(t_close(st[ES_CMP_HALF_WIDTH], hw, REL), "hand: half-width t(0.975,3) sd / sqrt(n)");
    CHECK(t_close(st[ES_CMP_CI_LOW], 0.8125 - hw, REL) &&
              t_close(st[ES_CMP_CI_HIGH], 0.8125 + hw, REL),
          "hand: paired-t interval");
    CHECK(st[ES_CMP_SIGNIFICANT] == 1, "hand: interval excludes 0");
    CHECK(t_close(st[ES_CMP_REL_CHANGE], 0.8125 / 10.875, REL), "hand: relative change");
    CHECK(t_close(st[ES_CMP_CORR], 4.40625 / sqrt(3.3125 * 5.921875), REL), "hand: correlation");
    CHECK(t_close(st[ES_CMP_VRF], (3.3125 + 5.921875) / 3 / 0.140625, REL),
          "hand: variance reduction");
    CHECK(st[ES_CMP_N_NEEDED] == 12, "hand: replications for half-width 0.25");

    /* Delta method, by a plain loop: residuals e = B - R A, R = mean B / mean A. */
    double R = 11.6875 / 10.875, e[4], me = 0, ve = 0;
    for (int i = 0; i < 4; i++) me += (e[i] = b[i] - R * a[i]) / 4;
    for (int i = 0; i < 4; i++) ve += (e[i] - me) * (e[i] - me) / 3;
    double rhw = T975_3 * sqrt(ve) / (10.875 * 2);
    CHECK(t_close(st[ES_CMP_REL_CI_LOW], 0.8125 / 10.875 - rhw, 1e-10) &&
              t_close(st[ES_CMP_REL_CI_HIGH], 0.8125 / 10.875 + rhw, 1e-10),
          "hand: delta-method interval of the relative change");

    /* Relative target: 2% of |mean A| = 0.2175 -> t(m-1) 0.375/sqrt(m) <= 0.2175:
     * m = 15 gives t(14) = 2.144787 -> 0.2077, m = 14 gives t(13) = 2.160369 -> 0.2165;
     * m = 13: t(12) = 2.178813 -> 0.2266 > 0.2175. So 14. */
    es_compare_pairs(a, b, 4, (es_hw_target){1, 0.02}, st, work);
    CHECK(st[ES_CMP_N_NEEDED] == 14, "hand: replications for a relative half-width of 2%");
}

static void test_edges(void)
{
    double st[ES_CMP_N_STATS], work[15];
    const double a[] = {10.5, 12.25, NAN, 9.75, 11.0}, b[] = {11.0, 13.5, 7.0, 10.25, 12.0};
    es_compare_pairs(a, b, 5, (es_hw_target){0, 0.25}, st, work);
    CHECK(st[ES_CMP_N] == 4 && st[ES_CMP_DIFF_MEAN] == 0.8125 && st[ES_CMP_DIFF_SD] == 0.375,
          "edge: a pair with a NaN is left out");

    es_compare_pairs(a, b, 1, (es_hw_target){0, 0.25}, st, work);
    CHECK(st[ES_CMP_N] == 1 && st[ES_CMP_DIFF_MEAN] == 0.5 && isnan(st[ES_CMP_DIFF_SD]) &&
              isnan(st[ES_CMP_CI_LOW]) && isnan(st[ES_CMP_CORR]) && isnan(st[ES_CMP_SIGNIFICANT]) &&
              isnan(st[ES_CMP_N_NEEDED]),
          "edge: one pair has a mean but no interval");

    es_compare_pairs(a, b, 0, (es_hw_target){0, 0.25}, st, work);
    CHECK(st[ES_CMP_N] == 0 && isnan(st[ES_CMP_MEAN_BASE]) && isnan(st[ES_CMP_DIFF_MEAN]),
          "edge: no pairs");

    /* The same values in both: an untouched metric under CRN. */
    const double c[] = {3.5, 4.25, 2.0, 5.125};
    es_compare_pairs(c, c, 4, (es_hw_target){1, 0.01}, st, work);
    CHECK(st[ES_CMP_DIFF_MEAN] == 0 && st[ES_CMP_HALF_WIDTH] == 0 && st[ES_CMP_SIGNIFICANT] == 0,
          "edge: identical series give a zero-width interval, not significant");
    CHECK(isinf(st[ES_CMP_VRF]) && st[ES_CMP_VRF] > 0 && t_close(st[ES_CMP_CORR], 1, REL) &&
              st[ES_CMP_N_NEEDED] == 2,
          "edge: identical series: infinite variance reduction, corr 1, 2 replications suffice");

    const double z[] = {0, 0, 0}, w[] = {1, 2, 3};
    es_compare_pairs(z, w, 3, (es_hw_target){1, 0.01}, st, work);
    CHECK(isnan(st[ES_CMP_REL_CHANGE]) && isnan(st[ES_CMP_REL_CI_LOW]) && isnan(st[ES_CMP_CORR]) &&
              isnan(st[ES_CMP_N_NEEDED]) && st[ES_CMP_DIFF_MEAN] == 2,
          "edge: zero base mean: no relative change, no relative target");
}

/* A scenario result with n replications, one fiscal and one calendar year,
 * metric m holding base + r * step in both periods. */
static void fake(es_scenario_result *s, const char *name, int n, double base, double step)
{
    memset(s, 0, sizeof *s);
    s->name = es_strdup(name);
    s->n_reps = n;
    s->n_fy = s->n_cy = 1;
    s->fy = es_calloc(1, sizeof *s->fy);
    s->cy = es_calloc(1, sizeof *s->cy);
    s->replication = es_calloc((size_t)n, sizeof *s->replication);
    s->fiscal = es_calloc((size_t)n * ES_N_METRICS, sizeof *s->fiscal);
    s->calendar = es_calloc((size_t)n * ES_N_METRICS, sizeof *s->calendar);
    if (!s->name || !s->fy || !s->cy || !s->replication || !s->fiscal || !s->calendar) exit(1);
    s->fy[0] = 2018;
    s->cy[0] = 2018;
    for (int r = 0; r < n; r++) {
        s->replication[r] = r;
        for (int m = 0; m < ES_N_METRICS; m++) {
            es_res_fiscal(s, r, m)[0] = base + m + r * step;
            es_res_calendar(s, r, m)[0] = 2 * (base + m) + r * step;
        }
    }
}

static void fake_free(es_scenario_result *s)
{
    free(s->name);
    free(s->fy);
    free(s->cy);
    free(s->replication);
    free(s->fiscal);
    free(s->calendar);
}

static void test_scenarios(void)
{
    es_scenario_result a, b, c;
    es_comparison_result cmp;
    char err[256];
    fake(&a, "base", 5, 100.25, 1.5);
    fake(&b, "alt", 5, 103.75, 2.125);
    fake(&c, "short", 4, 103.75, 2.125);
    CHECK(es_compare_scenarios(&a, &b, 0.01, &cmp, err, sizeof err) == ES_OK, "scenarios: compare");
    int same = 1;
    double x[5], y[5], st[ES_CMP_N_STATS], work[15];
    for (int m = 0; m < ES_N_METRICS; m++) {
        for (int r = 0; r < 5; r++)
            x[r] = es_res_fiscal(&a, r, m)[0], y[r] = es_res_fiscal(&b, r, m)[0];
        es_compare_pairs(x, y, 5, (es_hw_target){1, 0.01}, st, work);
        for (int i = 0; i < ES_CMP_N_STATS; i++)
            same &= memcmp(&st[i], &es_cmp_fiscal(&cmp, m)[i], sizeof st[i]) == 0;
        for (int r = 0; r < 5; r++)
            x[r] = es_res_calendar(&a, r, m)[0], y[r] = es_res_calendar(&b, r, m)[0];
        es_compare_pairs(x, y, 5, (es_hw_target){1, 0.01}, st, work);
        for (int i = 0; i < ES_CMP_N_STATS; i++)
            same &= memcmp(&st[i], &es_cmp_calendar(&cmp, m)[i], sizeof st[i]) == 0;
    }
    CHECK(same, "scenarios: every metric and period equals es_compare_pairs, bit for bit");
    CHECK(!strcmp(cmp.base, "base") && !strcmp(cmp.alt, "alt") && cmp.n_reps == 5 &&
              cmp.fy[0] == 2018,
          "scenarios: names, replications and years recorded");
    /* D = 3.5 + m*0 + r 0.625: sd of 0.625 r over r = 0..4 is 0.625 sqrt(2.5). */
    CHECK(t_close(es_cmp_fiscal(&cmp, 0)[ES_CMP_DIFF_SD], 0.625 * sqrt(2.5), REL) &&
              es_cmp_fiscal(&cmp, 0)[ES_CMP_DIFF_MEAN] == 3.5 + 2 * 0.625,
          "scenarios: difference statistics");
    es_comparison_result_fini(&cmp);
    CHECK(es_compare_scenarios(&a, &c, 0.01, &cmp, err, sizeof err) == ES_ERR_INPUT &&
              strstr(err, "short"),
          "scenarios: different replications cannot be paired");
    fake_free(&a);
    fake_free(&b);
    fake_free(&c);
}

int main(void)
{
    test_hand_sample();
    test_edges();
    test_scenarios();
    return TEST_END();
}
