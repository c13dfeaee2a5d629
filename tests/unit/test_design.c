/* test_design.c: sweep designs (experiment/design.h). Sobol and Halton
 * points are GSL's sequences mapped to the ranges; a Latin hypercube has
 * exactly one point per stratum per parameter; grids are the C-order
 * product of the levels; bad designs are refused. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_qrng.h>
#include "experiment/design.h"
#include "../testlib.h"

static int same_as_gsl(const gsl_qrng_type *t, es_design_kind kind)
{
    es_design_param p[3] = {{"a", 0, NULL, 0, 1, 0, 0}, {"b", 0, NULL, 10, 1000, 1, 0}, {"c", 0, NULL, -5, 5, 0, 1}};
    double *x = NULL, u[3];
    int n = 0, ok = 1;
    char err[256];
    gsl_qrng *q = gsl_qrng_alloc(t, 3);
    if (!q || es_design_build(kind, p, 3, 50, 1, &x, &n, err, sizeof err) != ES_OK || n != 50) ok = 0;
    for (int k = 0; ok && k < n; k++) {
        gsl_qrng_get(q, u);
        double want[3] = {u[0], 10 * pow(100, u[1]), -5 + floor(u[2] * 11)};
        if (want[2] > 5) want[2] = 5;
        for (int j = 0; j < 3; j++)
            if (x[k * 3 + j] != want[j]) ok = 0;
    }
    if (q) gsl_qrng_free(q);
    free(x);
    return ok;
}

int main(void)
{
    char err[256];
    double *x = NULL;
    int n = 0;

    CHECK(same_as_gsl(gsl_qrng_sobol, ES_DESIGN_SOBOL), "sobol_points_are_gsl_sobol_mapped_to_ranges");
    CHECK(same_as_gsl(gsl_qrng_halton, ES_DESIGN_HALTON), "halton_points_are_gsl_halton_mapped_to_ranges");

    /* LHS: every stratum of every parameter exactly once; reproducible. */
    es_design_param lp[2] = {{"a", 0, NULL, 0, 1, 0, 0}, {"b", 0, NULL, 100, 300, 0, 0}};
    enum { NL = 37 };
    int strata_ok = es_design_build(ES_DESIGN_LHS, lp, 2, NL, 42, &x, &n, err, sizeof err) == ES_OK && n == NL;
    for (int j = 0; strata_ok && j < 2; j++) {
        int seen[NL] = {0};
        for (int k = 0; k < n; k++) {
            double u = (x[k * 2 + j] - lp[j].low) / (lp[j].high - lp[j].low);
            int s = (int)floor(u * NL);
            if (s < 0 || s >= NL || seen[s]++) strata_ok = 0;
        }
    }
    CHECK(strata_ok, "lhs_has_one_point_per_stratum_per_parameter");
    double *y = NULL;
    int m = 0;
    CHECK(es_design_build(ES_DESIGN_LHS, lp, 2, NL, 42, &y, &m, err, sizeof err) == ES_OK && m == n &&
              !memcmp(x, y, sizeof *x * (size_t)n * 2), "lhs_same_seed_same_design");
    free(y);
    y = NULL;
    CHECK(es_design_build(ES_DESIGN_LHS, lp, 2, NL, 43, &y, &m, err, sizeof err) == ES_OK &&
              memcmp(x, y, sizeof *x * (size_t)n * 2) != 0, "lhs_other_seed_other_design");
    free(y);
    free(x);
    x = NULL;

    /* Grid: C order, values lists and ranged levels with both ends. */
    const double vals[2] = {3, 7};
    es_design_param gp[2] = {{"a", 2, vals, 0, 0, 0, 0}, {"b", 0, NULL, 1, 100, 1, 0}};
    int grid_ok = es_design_build(ES_DESIGN_GRID, gp, 2, 3, 0, &x, &n, err, sizeof err) == ES_OK && n == 6;
    const double want[12] = {3, 1, 3, 10, 3, 100, 7, 1, 7, 10, 7, 100};
    for (int i = 0; grid_ok && i < 12; i++) grid_ok = t_close(x[i], want[i], 1e-12);
    CHECK(grid_ok, "grid_is_the_c_order_product_of_levels");
    free(x);
    x = NULL;

    /* Refusals. */
    CHECK(es_design_build(ES_DESIGN_LHS, gp, 2, 3, 0, &x, &n, err, sizeof err) == ES_ERR_CONFIG &&
              strstr(err, "'a'"), "values_list_needs_grid");
    es_design_param bad = {"z", 0, NULL, 0, 1, 1, 0};
    CHECK(es_design_build(ES_DESIGN_SOBOL, &bad, 1, 3, 0, &x, &n, err, sizeof err) == ES_ERR_CONFIG, "log_scale_needs_positive_low");
    es_design_param many[41];
    for (int j = 0; j < 41; j++) many[j] = (es_design_param){"p", 0, NULL, 0, 1, 0, 0};
    CHECK(es_design_build(ES_DESIGN_SOBOL, many, 41, 3, 0, &x, &n, err, sizeof err) == ES_ERR_CONFIG, "sobol_takes_at_most_40_parameters");
    CHECK(es_design_build(ES_DESIGN_HALTON, many, 41, 3, 0, &x, &n, err, sizeof err) == ES_OK && n == 3, "halton_takes_41_parameters");
    free(x);
    es_design_kind k;
    CHECK(es_design_kind_parse("sobol", &k) == 0 && k == ES_DESIGN_SOBOL && es_design_kind_parse("x", &k) < 0, "design_names_parse");
    return TEST_END();
}
