/* cmd_compare.c: `enforcesim compare FILE --base A --alt B`: paired
 * differences of two scenarios of a results file, with confidence
 * intervals (docs/experiments.md, Comparing scenarios; statistics defined in experiment/compare.h).
 *
 * The numbers are computed from the per-replication fiscal- and
 * calendar-year values in the file, so any two scenarios can be compared,
 * configured as a comparison or not; for a configured pair they equal the
 * file's /comparisons group. Output: a readable table on stdout, or with
 * --csv the tidy long form "comparison,metric,period,statistic,value" with
 * every statistic at full precision (%.17g; NaN and inf as "nan", "inf").
 *
 * Exit status: 0; 2 for bad usage, an unreadable file, or a scenario,
 * metric or period the file does not hold (the message lists what it has). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include "../core/mem.h"
#include "../experiment/compare.h"
#include "../io/h5in.h"
#include "cli.h"

#define CMP_DEFAULT_TARGET_REL 0.01
#define CMP_MAX_PERIODS        64
#define CMP_LIST_MAX           1024

static const char usage[] =
    "usage: enforcesim compare FILE --base A --alt B [--metric M]... [--period FY2018]...\n"
    "                          [--csv] [--half-width H | --half-width P%]\n"
    "  Paired comparison of scenario B (alternative) against A (base), replication by\n"
    "  replication: both means, the mean difference B - A with its paired-t 95% interval,\n"
    "  the relative change with a 95% interval, the correlation of A and B, the variance\n"
    "  reduction factor of pairing, '*' when the interval excludes 0, and the replications\n"
    "  needed for a target half-width of the difference.\n"
    "  --metric M       only metric M (repeatable; default: every metric)\n"
    "  --period P       FY2018 (fiscal) or CY2018 (calendar), repeatable (default: every fiscal "
    "year)\n"
    "  --csv            tidy CSV on stdout: comparison,metric,period,statistic,value\n"
    "  --half-width H   target half-width for replications_needed, in the metric's units;\n"
    "                   with a % sign, relative to |mean of A| (default 1%)\n";

typedef cli_period period_ref;

/* Decimals for a value and its interval half-width: enough for the
 * magnitude and for two significant digits of the half-width. */
static int decimals_for(double mag, double hw)
{
    double a = fabs(mag);
    int d = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
    if (isfinite(hw) && hw > 0) {
        int dh = (int)ceil(-log10(hw)) + 1;
        if (dh > d) d = dh;
    }
    return d < 0 ? 0 : d > 6 ? 6 : d;
}

static void fmt(char *buf, size_t n, double v, int dp, int sign)
{
    if (isnan(v))
        snprintf(buf, n, "n/a");
    else if (isinf(v))
        snprintf(buf, n, "%sinf", v < 0 ? "-" : sign ? "+" : "");
    else
        snprintf(buf, n, sign ? "%+.*f" : "%.*f", dp, v);
}

/* "name1, name2, ..." of the file's scenarios, for messages. */
static void scenario_list(const es_run_result *r, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int i = 0; i < r->n_scenarios; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, n - used, "%s%s", i ? ", " : "", r->scenarios[i].name);
    }
}

static int find_scenario(const es_run_result *r, const char *name)
{
    for (int i = 0; i < r->n_scenarios; i++)
        if (!strcmp(r->scenarios[i].name, name)) return i;
    return -1;
}

/* "FY2018" / "CY2018" (case-insensitive prefix) into a period of s. */
static void period_label(const es_scenario_result *s, period_ref p, char *buf, size_t n)
{
    snprintf(buf, n, "%s%d", p.fiscal ? "FY" : "CY", p.fiscal ? s->fy[p.index] : s->cy[p.index]);
}

/* One CSV row: comparison, metric, period, statistic, value. */
static void print_csv_row(const char *base, const char *alt, const char *metric, const char *period,
                          const char *stat, double v)
{
    printf("%s__vs__%s,%s,%s,%s,", base, alt, metric, period, stat);
    if (isnan(v))
        fputs("nan", stdout);
    else if (isinf(v))
        fputs(v < 0 ? "-inf" : "inf", stdout);
    else
        printf("%.17g", v);
    putchar('\n');
}

static void print_row(const char *period, const es_metric_def *md, const double *st, int name_w)
{
    char mb[40], ma[40], d[40], lo[40], hi[40], rc[40], rlo[40], rhi[40], corr[16], vrf[24],
        need[24], diff[128], rel[128];
    int dp = decimals_for(st[ES_CMP_MEAN_BASE], st[ES_CMP_HALF_WIDTH]);
    double rhw = (st[ES_CMP_REL_CI_HIGH] - st[ES_CMP_REL_CI_LOW]) / 2 * 100;
    int rdp = decimals_for(1.0, rhw);
    fmt(mb, sizeof mb, st[ES_CMP_MEAN_BASE], dp, 0);
    fmt(ma, sizeof ma, st[ES_CMP_MEAN_ALT], dp, 0);
    fmt(d, sizeof d, st[ES_CMP_DIFF_MEAN], dp, 1);
    fmt(lo, sizeof lo, st[ES_CMP_CI_LOW], dp, 1);
    fmt(hi, sizeof hi, st[ES_CMP_CI_HIGH], dp, 1);
    fmt(rc, sizeof rc, 100 * st[ES_CMP_REL_CHANGE], rdp, 1);
    fmt(rlo, sizeof rlo, 100 * st[ES_CMP_REL_CI_LOW], rdp, 1);
    fmt(rhi, sizeof rhi, 100 * st[ES_CMP_REL_CI_HIGH], rdp, 1);
    fmt(corr, sizeof corr, st[ES_CMP_CORR], 3, 0);
    fmt(vrf, sizeof vrf, st[ES_CMP_VRF], st[ES_CMP_VRF] >= 100 ? 0 : 1, 0);
    fmt(need, sizeof need, st[ES_CMP_N_NEEDED], 0, 0);
    if (isnan(st[ES_CMP_CI_LOW]))
        snprintf(diff, sizeof diff, "%s", d);
    else
        snprintf(diff, sizeof diff, "%s [%s, %s]", d, lo, hi);
    if (isnan(st[ES_CMP_REL_CHANGE]))
        snprintf(rel, sizeof rel, "n/a");
    else if (isnan(st[ES_CMP_REL_CI_LOW]))
        snprintf(rel, sizeof rel, "%s%%", rc);
    else
        snprintf(rel, sizeof rel, "%s%% [%s%%, %s%%]", rc, rlo, rhi);
    printf("%-7s %-*s %14s %14s  %-34s %-28s %6s %7s %3s %8s\n", period, name_w, md->name, mb, ma,
           diff, rel, corr, vrf, st[ES_CMP_SIGNIFICANT] == 1 ? "*" : "", need);
}

/* Metric m of period p in every replication of A (into a) and B (into b). */
static void pair_values(const es_scenario_result *A, const es_scenario_result *B, period_ref p,
                        int m, int n, double *a, double *b)
{
    for (int rep = 0; rep < n; rep++) {
        a[rep] = (p.fiscal ? es_res_fiscal(A, rep, m) : es_res_calendar(A, rep, m))[p.index];
        b[rep] = (p.fiscal ? es_res_fiscal(B, rep, m) : es_res_calendar(B, rep, m))[p.index];
    }
}

/* 2.5%, 50% and 97.5% quantiles of alt - base over the replications
 * (GSL's interpolated quantiles of the sorted differences). */
static void draws_spread(const double *base, const double *alt, int n, double *work, double *q)
{
    for (int i = 0; i < n; i++) work[i] = alt[i] - base[i];
    gsl_sort(work, 1, (size_t)n);
    q[0] = gsl_stats_quantile_from_sorted_data(work, 1, (size_t)n, 0.025);
    q[1] = gsl_stats_quantile_from_sorted_data(work, 1, (size_t)n, 0.5);
    q[2] = gsl_stats_quantile_from_sorted_data(work, 1, (size_t)n, 0.975);
}

int cmd_compare(int argc, char **argv)
{
    const char *path = NULL, *base_name = NULL, *alt_name = NULL, *hw_text = NULL;
    const char *period_text[CMP_MAX_PERIODS];
    int metrics[ES_N_METRICS], n_metrics = 0, n_periods = 0, csv = 0, rc = 2;
    es_hw_target target = {1, CMP_DEFAULT_TARGET_REL};
    char err[1024], list[CMP_LIST_MAX];
    es_run_result r;
    period_ref periods[CMP_MAX_PERIODS];
    double *a = NULL, *b = NULL, *work = NULL, *spread = NULL;
    memset(&r, 0, sizeof r);

    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(o, "--csv")) {
            csv = 1;
            continue;
        } else if (o[0] != '-' || !o[1]) {
            if (path) {
                cli_error("compare: one FILE only (got '%s' and '%s')", path, o);
                return 2;
            }
            path = o;
            continue;
        }
        if (!v) {
            cli_error("compare: option '%s' needs a value; see 'enforcesim compare --help'", o);
            return 2;
        }
        i++;
        if (!strcmp(o, "--base")) {
            base_name = v;
        } else if (!strcmp(o, "--alt")) {
            alt_name = v;
        } else if (!strcmp(o, "--metric")) {
            int m = es_metric_find(v), seen = 0;
            if (m < 0) {
                cli_error("compare: unknown metric '%s'; 'enforcesim info FILE' lists the metrics",
                          v);
                return 2;
            }
            for (int j = 0; j < n_metrics; j++) seen |= metrics[j] == m;
            if (!seen) metrics[n_metrics++] = m;
        } else if (!strcmp(o, "--period")) {
            if (n_periods == CMP_MAX_PERIODS) {
                cli_error("compare: at most %d --period options", CMP_MAX_PERIODS);
                return 2;
            }
            period_text[n_periods++] = v;
        } else if (!strcmp(o, "--half-width")) {
            char *end;
            hw_text = v;
            errno = 0;
            target.value = strtod(v, &end);
            target.relative = *end == '%';
            if (target.relative) target.value /= 100, end++;
            if (errno || end == v || *end || !(target.value > 0) || !isfinite(target.value)) {
                cli_error("compare: --half-width '%s': give a positive number (metric units) or a "
                          "percentage, "
                          "e.g. 250 or 1%%",
                          v);
                return 2;
            }
        } else {
            cli_error("compare: unknown option '%s'; see 'enforcesim compare --help'", o);
            return 2;
        }
    }
    if (!path || !base_name || !alt_name) {
        cli_error("compare: give FILE, --base A and --alt B; usage: enforcesim compare FILE --base "
                  "A --alt B");
        return 2;
    }
    es_status st = es_h5_read(path, &r, err, sizeof err);
    if (st != ES_OK) {
        cli_error("compare: %s", err);
        return es_status_exit_code(st);
    }
    if (r.n_sweep > 0) {
        /* A sweep stores its scenarios by design point, not as runs to pair. */
        list[0] = '\0';
        for (int i = 0; i < r.n_sweep; i++) {
            size_t used = strlen(list);
            snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", r.sweep[i].name);
        }
        cli_error("compare: %s is a sweep (%s design, %d points; scenarios %s), which compare "
                  "does not read: its per-point summaries are in sweep/<scenario>/"
                  "summary_fiscal_year (enforcesim info %s), and enforcesim sensitivity reads a "
                  "saltelli or morris sweep",
                  path, r.design.kind ? r.design.kind : "?", r.design.n_points, list, path);
        goto out;
    }
    int ia = find_scenario(&r, base_name), ib = find_scenario(&r, alt_name);
    scenario_list(&r, list, sizeof list);
    if (ia < 0 || ib < 0) {
        cli_error("compare: %s has no scenario '%s' (it has: %s)", path,
                  ia < 0 ? base_name : alt_name, list);
        goto out;
    }
    if (ia == ib) {
        cli_error("compare: --base and --alt are both '%s'; name two scenarios (%s has: %s)",
                  base_name, path, list);
        goto out;
    }
    const es_scenario_result *A = &r.scenarios[ia], *B = &r.scenarios[ib];
    if (A->n_reps != B->n_reps || A->n_fy != B->n_fy || A->n_cy != B->n_cy ||
        (A->n_fy && memcmp(A->fy, B->fy, (size_t)A->n_fy * sizeof *A->fy)) ||
        (A->n_cy && memcmp(A->cy, B->cy, (size_t)A->n_cy * sizeof *A->cy)) ||
        (A->n_reps &&
         memcmp(A->replication, B->replication, (size_t)A->n_reps * sizeof *A->replication))) {
        cli_error("compare: scenarios '%s' and '%s' of %s do not hold the same replications and "
                  "years; they cannot "
                  "be paired",
                  base_name, alt_name, path);
        goto out;
    }
    for (int i = 0; i < n_periods; i++) {
        if (cli_parse_period("compare", path, period_text[i], A->fy, A->n_fy, A->cy, A->n_cy,
                             &periods[i]))
            goto out;
    }
    if (n_periods == 0) {
        for (int k = 0; k < A->n_fy && k < CMP_MAX_PERIODS; k++)
            periods[n_periods++] = (period_ref){1, k};
        if (n_periods == 0) {
            cli_error("compare: %s holds no fiscal year after the warm-up; try --period CY<year>",
                      path);
            goto out;
        }
    }
    if (n_metrics == 0)
        for (int m = 0; m < ES_N_METRICS; m++) metrics[n_metrics++] = m;

    rc = 1;
    const int n = A->n_reps;
    a = es_calloc((size_t)n + 1, sizeof *a);
    b = es_calloc((size_t)n + 1, sizeof *b);
    work = es_calloc(3 * (size_t)n + 1, sizeof *work);
    /* Under parameter uncertainty: each row's spread over the draws. */
    if (r.draws.n_params > 0)
        spread = es_calloc((size_t)n_periods * (size_t)n_metrics * 3 + 1, sizeof *spread);
    if (!a || !b || !work || (r.draws.n_params > 0 && !spread)) {
        cli_error("compare: out of memory");
        goto out;
    }
    int name_w = (int)strlen("metric");
    for (int i = 0; i < n_metrics; i++)
        if ((int)strlen(es_metric_table[metrics[i]].name) > name_w)
            name_w = (int)strlen(es_metric_table[metrics[i]].name);
    if (csv) {
        printf("comparison,metric,period,statistic,value\n");
    } else {
        printf("comparison  %s -> %s (difference = alt - base), %d paired replications, %s\n",
               base_name, alt_name, n,
               r.crn ? "common random numbers"
                     : "independent streams (--no-crn): pairing cannot reduce variance");
        if (r.draws.n_params > 0)
            printf("            intervals hold Monte Carlo noise AND parameter uncertainty (%d "
                   "parameter%s drawn per replication, /parameters)\n",
                   r.draws.n_params, r.draws.n_params == 1 ? "" : "s");
        else
            printf("            intervals hold Monte Carlo noise only (no uncertainty block: the "
                   "assumptions are fixed)\n");
        printf("            95%% paired-t intervals; * = interval excludes 0; VRF = (var base + "
               "var alt) / var diff;\n"
               "            n_needed = replications for a half-width of %s%s\n\n",
               hw_text ? hw_text : "1%", target.relative ? " of |mean base|" : "");
        printf("%-7s %-*s %14s %14s  %-34s %-28s %6s %7s %3s %8s\n", "period", name_w, "metric",
               "mean base", "mean alt", "difference [95% CI]", "rel. change [95% CI]", "corr",
               "VRF", "sig", "n_needed");
    }
    for (int pi = 0; pi < n_periods; pi++) {
        period_ref p = periods[pi];
        char label[16];
        period_label(A, p, label, sizeof label);
        for (int i = 0; i < n_metrics; i++) {
            int m = metrics[i];
            double stats[ES_CMP_N_STATS];
            pair_values(A, B, p, m, n, a, b);
            es_compare_pairs(a, b, n, target, stats, work);
            /* The spread over the draws, printed after the table. */
            double *q = spread ? spread + ((size_t)pi * (size_t)n_metrics + (size_t)i) * 3 : NULL;
            if (q) draws_spread(a, b, n, work, q);
            if (!csv) {
                print_row(label, &es_metric_table[m], stats, name_w);
                continue;
            }
            for (int s = 0; s < ES_CMP_N_STATS; s++)
                print_csv_row(base_name, alt_name, es_metric_table[m].name, label,
                              es_cmp_stat_names[s], stats[s]);
            if (spread) {
                static const char *const qn[3] = {"draws_p025", "draws_median", "draws_p975"};
                for (int s = 0; s < 3; s++)
                    print_csv_row(base_name, alt_name, es_metric_table[m].name, label, qn[s], q[s]);
            }
        }
    }
    if (!csv && spread) {
        /* The mean's interval narrows with replications; what the
         * assumptions allow does not: the spread of the per-replication
         * differences, each replication one draw of the parameters. */
        printf(
            "\nspread over the parameter draws: 2.5%%, 50%% and 97.5%% of the %d per-replication "
            "differences (alt - base),\neach with its own draw of the %d uncertain "
            "parameters; what the assumptions allow, not the precision of the mean\n\n",
            n, r.draws.n_params);
        printf("%-7s %-*s %14s %14s %14s\n", "period", name_w, "metric", "2.5%", "median", "97.5%");
        for (int pi = 0; pi < n_periods; pi++) {
            period_ref p = periods[pi];
            char label[16];
            period_label(A, p, label, sizeof label);
            for (int i = 0; i < n_metrics; i++) {
                int m = metrics[i];
                const double *q = spread + ((size_t)pi * (size_t)n_metrics + (size_t)i) * 3;
                printf("%-7s %-*s %14.6g %14.6g %14.6g\n", label, name_w, es_metric_table[m].name,
                       q[0], q[1], q[2]);
            }
        }
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("compare: cannot write to standard output");
        goto out;
    }
    rc = 0;
out:
    free(spread);
    free(work);
    free(b);
    free(a);
    es_run_result_free(&r);
    return rc;
}
