/* test_calibrate.c: history matching and ABC rejection (experiment/calibrate.h)
 * on a function with a known answer, f(x) = (x1, x1 x2) against targets
 * (1, 0.5): implausibility is the formula's, the box closes on the true
 * point (1, 0.5) within 5 waves (half the points non-implausible), acceptance keeps exactly the points within
 * tolerance, and a wave's points are a Latin hypercube of its box. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../testlib.h"
#include "experiment/calibrate.h"

static es_cal_target target(double v, double tol)
{
    es_cal_target t;
    memset(&t, 0, sizeof t);
    t.value = v;
    t.tol = tol;
    t.den = -1;
    return t;
}

static void test_implausibility(void)
{
    es_cal_target t[2] = {target(100, 0.10), target(50, 0.05)};
    double mean[4] = {100, 50, 130, 50}, vom[4] = {0, 0, 4, 0}, imax[2];
    int worst[2];
    es_cal_implausibility(t, 2, mean, vom, 2, 0.02, imax, worst);
    /* Point 1: |100 - 130| / sqrt((0.1 * 100 / 3)^2 + (0.02 * 100)^2 + 4). */
    double want = 30 / sqrt(pow(10.0 / 3, 2) + 4 + 4);
    CHECK(imax[0] == 0 && t_close(imax[1], want, 1e-12) && worst[1] == 0,
          "implausibility_is_the_distance_over_observation_discrepancy_and_monte_carlo_sd");
}

/* f(x) = (x1, x1 x2), exact. */
static void eval(const double *x, int n, double *mean, double *vom)
{
    for (int p = 0; p < n; p++) {
        mean[p * 2] = x[p * 2];
        mean[p * 2 + 1] = x[p * 2] * x[p * 2 + 1];
        vom[p * 2] = vom[p * 2 + 1] = 0;
    }
}

static void test_waves_close_on_the_answer(void)
{
    es_design_param prior[2] = {{"x1", 0, NULL, 0.25, 4, 1, 0}, {"x2", 0, NULL, 0, 1, 0, 0}};
    es_cal_target t[2] = {target(1, 0.05), target(0.5, 0.05)};
    double lo[2] = {0.25, 0}, hi[2] = {4, 1}, mean[2 * 200], vom[2 * 200], imax[200];
    int worst[200], acc[200], n_ok = 0, wave;
    char err[256];
    double width0 = log(4 / 0.25) * 1.0;
    for (wave = 1; wave <= 5; wave++) {
        double *x = NULL;
        CHECK(es_cal_wave_points(prior, 2, lo, hi, 40, 7, wave, &x, err, sizeof err) == ES_OK,
              "a_wave_is_made");
        int inside = 1;
        for (int p = 0; p < 40; p++)
            for (int j = 0; j < 2; j++) inside &= x[p * 2 + j] >= lo[j] && x[p * 2 + j] <= hi[j];
        if (wave == 1) CHECK(inside, "a_waves_points_lie_in_its_box");
        eval(x, 40, mean, vom);
        es_cal_implausibility(t, 2, mean, vom, 40, 0.02, imax, worst);
        n_ok = es_cal_box(prior, 2, x, 40, imax, 3.0, 0.1, lo, hi);
        free(x);
        if (n_ok >= 20) break;
    }
    printf("# waves %d, last non-implausible %d of 40, box x1 [%.3f, %.3f] x2 [%.3f, %.3f]\n", wave,
           n_ok, lo[0], hi[0], lo[1], hi[1]);
    CHECK(lo[0] <= 1 && hi[0] >= 1 && lo[1] <= 0.5 && hi[1] >= 0.5, "the_box_keeps_the_true_point");
    CHECK(log(hi[0] / lo[0]) * (hi[1] - lo[1]) < 0.05 * width0 && wave <= 5 && n_ok >= 20,
          "the_box_closes_on_the_answer_within_5_waves");
    /* Acceptance in the final box. */
    double *x = NULL;
    es_cal_wave_points(prior, 2, lo, hi, 200, 7, 6, &x, err, sizeof err);
    eval(x, 200, mean, vom);
    int n_acc = es_cal_accept(t, 2, mean, 200, acc), exact = 1;
    double m1 = 0, m2 = 0;
    for (int p = 0; p < 200; p++) {
        int in = fabs(mean[p * 2] - 1) <= 0.05 && fabs(mean[p * 2 + 1] / 0.5 - 1) <= 0.05;
        exact &= in == acc[p];
        if (acc[p]) {
            m1 += mean[p * 2] / n_acc;
            m2 += mean[p * 2 + 1] / n_acc;
        }
    }
    printf("# accepted %d of 200; mean outputs %.4f %.4f\n", n_acc, m1, m2);
    CHECK(exact && n_acc > 20, "acceptance_keeps_exactly_the_points_within_tolerance");
    CHECK(fabs(m1 - 1) <= 0.05 && fabs(m2 / 0.5 - 1) <= 0.05,
          "the_accepted_samples_mean_meets_every_target");
    free(x);
}

int main(void)
{
    test_implausibility();
    test_waves_close_on_the_answer();
    return TEST_END();
}
