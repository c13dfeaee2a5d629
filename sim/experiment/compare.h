/* compare.h: paired comparisons of two scenarios (docs/experiments.md,
 * Comparing scenarios), from their per-replication fiscal- and calendar-year
 * values, so that any two scenarios of a results file can be compared, not
 * only the configured pairs.
 *
 * Replication r of the base (A) is paired with replication r of the
 * alternative (B): with common random numbers both saw the same random
 * draws for every process the scenarios share. Pairs where either value is
 * not finite (a ratio metric with an empty denominator) are left out; n
 * counts the pairs used. With D_r = B_r - A_r and t = t(0.975, n-1):
 *   diff_mean = mean(D), diff_sd = sd(D) (n-1 denominator),
 *   ci = diff_mean -/+ t sd(D)/sqrt(n), half_width = t sd(D)/sqrt(n);
 *   rel_change = diff_mean / mean(A), with the delta-method interval of the
 *     ratio of means R = mean(B)/mean(A):
 *     rel_change -/+ t sd(B - R A) / (|mean(A)| sqrt(n));
 *   corr = Pearson correlation of A and B (NaN when A or B is constant);
 *   variance_reduction = (var(A) + var(B)) / var(D): the variance of the
 *     difference of two means from independent runs over that from paired
 *     runs, i.e. how many times more replications unpaired runs would need
 *     for the same interval (1: pairing bought nothing; infinite when D is
 *     constant but A or B is not, e.g. a metric the change does not touch;
 *     NaN when all three are constant);
 *   significant = 1 when the interval excludes 0;
 *   replications_needed = the smallest m >= 2 with t(0.975, m-1) sd(D)/sqrt(m)
 *     at most the target half-width, taking sd(D) as known.
 * "Constant" means all values equal, decided exactly (sd(D) is then 0
 * exactly). Statistics that need n >= 2 (or mean(A) != 0) are NaN without
 * it. */
#ifndef ES_COMPARE_H
#define ES_COMPARE_H
#include <stddef.h>
#include "../core/status.h"
#include "results.h"

/* The target half-width of replications_needed: `value` in the metric's
 * units, or value * |mean_base| when relative. */
typedef struct {
    int relative;
    double value;
} es_hw_target;

/* The statistics (es_cmp_stat order) of n pairs (a[i], b[i]) into stats.
 * work holds 3n doubles. */
void es_compare_pairs(const double *a, const double *b, int n, es_hw_target target, double *stats,
                      double *work);

/* Every metric and period of base vs alt into *out (owned; free with
 * es_comparison_result_fini). ES_ERR_INPUT when the two scenarios do not
 * hold the same replications and years. *out is untouched on failure. */
es_status es_compare_scenarios(const es_scenario_result *base, const es_scenario_result *alt,
                               double target_rel, es_comparison_result *out, char *err,
                               size_t errlen);

#endif
