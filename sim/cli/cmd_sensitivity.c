/* cmd_sensitivity.c: `enforcesim sensitivity FILE`: global sensitivity of
 * the metrics of a sweep result to its swept parameters (estimators in
 * experiment/sensitivity.h).
 *
 * The file must hold a whole sweep (not a shard: merge first) of design
 * "saltelli" or "morris". For each scenario of the sweep, metric and
 * period, the output at a design point is the mean of the metric over the
 * point's replications; the estimators run on those N (k + 2) or r (k + 1)
 * means in design order.
 *   saltelli: first-order and total Sobol indices with 95% percentile
 *     bootstrap intervals (--boot resamples, default 1000). The bootstrap
 *     draws come from the philox stream (file's seed, SENS_BOOT_STREAM),
 *     named afresh for every table cell, so a cell's interval does not
 *     depend on which other metrics or periods were asked for.
 *   morris: mu*, mu and sigma of the elementary effects, in the metric's
 *     units per the parameter's whole range (u in [0, 1]). The file keeps
 *     the design in parameter units; each step of a trajectory is read from
 *     it (the one parameter whose value changed, and in which direction)
 *     and taken as a step of D = p / (2 (p - 1)) for the p levels of the
 *     config's sweep block. A step that leaves every value as it was (an
 *     integer parameter whose levels round to the same number) changes no
 *     output either (a unit is a function of its parameters, seed and
 *     replication: docs/experiments.md, Work units), so it is the effect, 0, of the trajectory's
 *     parameter that has not moved yet.
 * --diff BASE ALT: the output at a point is the mean over its replications
 * of ALT's metric minus BASE's, replication by replication (the effect of
 * a policy, paired on common random numbers), so the indices say which
 * parameters drive the effect rather than the level.
 * Output: a table on stdout, or with --csv the tidy long form
 * "scenario,metric,period,parameter,statistic,value" at full precision.
 *
 * Exit status: 0; 2 for bad usage, an unreadable file, a file that is not a
 * saltelli or morris sweep, or a metric or period the file does not hold. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../core/mem.h"
#include "../experiment/sensitivity.h"
#include "../io/h5in.h"
#include "../io/fsdir.h"
#include "../io/h5out.h"
#include "../rng/rng.h"
#include "cli.h"

#define SENS_BOOT_STREAM 0x5E45u /* apart from the model's and the design's streams */
#define SENS_MAX_PERIODS 64
#define SENS_MAX_BOOT    100000
#define SENS_SWEEP_KEY   "sweep = {"
#define SENS_LEVELS_KEY  "levels = "

static const char usage[] =
    "usage: enforcesim sensitivity FILE [--metric M]... [--period FY2018]... [--csv]\n"
    "                              [--boot B] [--diff BASE ALT]\n"
    "  Global sensitivity of a sweep's metrics to its parameters, from the means over each\n"
    "  design point's replications. Design \"saltelli\": first-order (S1) and total (ST)\n"
    "  Sobol indices with 95% bootstrap intervals; design \"morris\": mu*, mu and sigma of\n"
    "  the elementary effects (metric units per whole parameter range).\n"
    "  --metric M   only metric M (repeatable; default: every metric)\n"
    "  --period P   FY2018 (fiscal) or CY2018 (calendar), repeatable (default: every fiscal\n"
    "               year)\n"
    "  --csv        tidy CSV on stdout: scenario,metric,period,parameter,statistic,value\n"
    "  --boot B     bootstrap resamples for the Sobol intervals (default 1000)\n"
    "  --diff BASE ALT  indices of the effect ALT - BASE (paired by replication) instead\n"
    "               of each scenario's level\n"
    "  -o OUT.h5    also write the indices to OUT.h5 (/sensitivity/<scenario>/<period>/\n"
    "               <metric>/<statistic> over parameter); --force replaces an existing OUT\n";

typedef cli_period period_ref;

/* "FY2018" / "CY2018" into a period of s: 0, -1 malformed, -2 absent. */
/* The morris levels of the stored effective config: its sweep block is
 * written by io/sweep.c (es_sweep_write), one setting per line. */
static int config_levels(const char *text)
{
    const char *sw = text ? strstr(text, SENS_SWEEP_KEY) : NULL;
    const char *lv = sw ? strstr(sw, SENS_LEVELS_KEY) : NULL;
    const char *end = sw ? strstr(sw, "};") : NULL;
    if (!lv || (end && lv > end)) return ES_MORRIS_LEVELS;
    return atoi(lv + strlen(SENS_LEVELS_KEY));
}

/* Unit-cube trajectories u[r (k + 1)][k] with the steps of the design x
 * (see the header comment). 0, or -1 when x is not one-at-a-time. */
static int morris_unit_points(const double *x, int r, int k, int levels, double *u)
{
    const double delta = levels / (2.0 * (levels - 1));
    size_t kk = (size_t)k;
    int *moved = es_calloc(kk, sizeof *moved), rc = -1;
    if (!moved) return -1;
    for (int t = 0; t < r; t++) {
        size_t row = (size_t)t * (kk + 1);
        memset(moved, 0, kk * sizeof *moved);
        memset(u + row * kk, 0, kk * sizeof *u);
        for (int s = 0; s < k; s++, row++) {
            const double *a = x + row * kk, *b = a + kk;
            double *ua = u + row * kk, *ub = ua + kk;
            int j = -1, n_changed = 0;
            for (int i = 0; i < k; i++)
                if (a[i] != b[i]) j = i, n_changed++;
            if (n_changed > 1) goto out;
            if (n_changed == 0)
                for (int i = 0; i < k && j < 0; i++)
                    if (!moved[i]) j = i;
            if (j < 0 || moved[j]) goto out;
            moved[j] = 1;
            memcpy(ub, ua, kk * sizeof *ub);
            ub[j] += b[j] < a[j] ? -delta : delta;
        }
    }
    rc = 0;
out:
    free(moved);
    return rc;
}

static void csv_value(double v)
{
    if (isnan(v))
        fputs("nan", stdout);
    else if (isinf(v))
        fputs(v < 0 ? "-inf" : "inf", stdout);
    else
        printf("%.17g", v);
}

static void csv_row(const char *scen, const char *metric, const char *period, const char *param,
                    const char *stat, double v)
{
    printf("%s,%s,%s,%s,%s,", scen, metric, period, param, stat);
    csv_value(v);
    putchar('\n');
}

/* "0.123 [0.101, 0.145]", or n/a when the estimate is not a number. */
static void fmt_ci(char *buf, size_t n, double v, double lo, double hi)
{
    if (isnan(v))
        snprintf(buf, n, "n/a");
    else
        snprintf(buf, n, "%6.3f [%6.3f, %6.3f]", v, lo, hi);
}

/* One table of -o's file: the statistics of (scenario, period, metric)
 * over parameter. */
static int add_table(es_h5_table *tables, es_h5_column *cols, char **groups, int *n,
                     const char *scen, const char *period, const char *metric,
                     const char *const *stats, int n_stats, const double *v, int k,
                     const char *const *params, int sobol)
{
    size_t len = strlen(scen) + strlen(period) + strlen(metric) + 32;
    char *g = es_malloc(len);
    if (!g) return -1;
    snprintf(g, len, "sensitivity/%s/%s/%s", scen, period, metric);
    groups[*n] = g;
    es_h5_column *c = cols + (size_t)*n * (size_t)n_stats;
    for (int t = 0; t < n_stats; t++)
        c[t] = (es_h5_column){stats[t], "1",
                              sobol ? "Sobol index (first order s1, total st) or its 95% bootstrap "
                                      "bound"
                                    : "Morris statistic of the elementary effects, metric units "
                                      "per whole parameter range",
                              v + (size_t)t * (size_t)k};
    tables[*n] = (es_h5_table){g,
                               "indices of one metric and period, one row per parameter",
                               "parameter",
                               params,
                               k,
                               n_stats,
                               c};
    (*n)++;
    return 0;
}

int cmd_sensitivity(int argc, char **argv)
{
    const char *path = NULL, *period_text[SENS_MAX_PERIODS];
    int metrics[ES_N_METRICS], n_metrics = 0, n_periods = 0, csv = 0, n_boot = ES_SOBOL_BOOT;
    int rc = 2;
    char err[1024];
    es_run_result r;
    period_ref periods[SENS_MAX_PERIODS];
    double *y = NULL, *u = NULL;
    es_sobol_index *six = NULL;
    es_morris_effect *mef = NULL;
    gsl_rng *rng = NULL;
    const char *diff_base = NULL, *diff_alt = NULL, *out_path = NULL;
    int force = 0, n_tables = 0;
    es_h5_table *tables = NULL;
    es_h5_column *cols = NULL;
    double *vals = NULL;
    char **groups = NULL;
    int ib = -1, ia = -1;
    memset(&r, 0, sizeof r);

    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(o, "--csv")) {
            csv = 1;
            continue;
        } else if (!strcmp(o, "--force")) {
            force = 1;
            continue;
        } else if (o[0] != '-' || !o[1]) {
            if (path) {
                cli_error("sensitivity: one FILE only (got '%s' and '%s')", path, o);
                return 2;
            }
            path = o;
            continue;
        }
        if (!v) {
            cli_error("sensitivity: option '%s' needs a value; see 'enforcesim sensitivity --help'",
                      o);
            return 2;
        }
        i++;
        if (!strcmp(o, "-o") || !strcmp(o, "--output")) {
            out_path = v;
        } else if (!strcmp(o, "--diff")) {
            if (i + 1 >= argc) {
                cli_error("sensitivity: --diff needs two scenarios: --diff BASE ALT");
                return 2;
            }
            diff_base = v;
            diff_alt = argv[++i];
        } else if (!strcmp(o, "--metric")) {
            int m = es_metric_find(v), seen = 0;
            if (m < 0) {
                cli_error("sensitivity: unknown metric '%s'; 'enforcesim info FILE' lists the "
                          "metrics",
                          v);
                return 2;
            }
            for (int j = 0; j < n_metrics; j++) seen |= metrics[j] == m;
            if (!seen) metrics[n_metrics++] = m;
        } else if (!strcmp(o, "--period")) {
            if (n_periods == SENS_MAX_PERIODS) {
                cli_error("sensitivity: at most %d --period options", SENS_MAX_PERIODS);
                return 2;
            }
            period_text[n_periods++] = v;
        } else if (!strcmp(o, "--boot")) {
            char *end;
            errno = 0;
            long b = strtol(v, &end, 10);
            if (errno || end == v || *end || b < 2 || b > SENS_MAX_BOOT) {
                cli_error("sensitivity: --boot '%s': give a whole number from 2 to %d", v,
                          SENS_MAX_BOOT);
                return 2;
            }
            n_boot = (int)b;
        } else {
            cli_error("sensitivity: unknown option '%s'; see 'enforcesim sensitivity --help'", o);
            return 2;
        }
    }
    if (!path) {
        cli_error("sensitivity: give a result FILE of a saltelli or morris sweep; usage: "
                  "enforcesim sensitivity FILE");
        return 2;
    }
    if (out_path) {
        /* Before any work: the output is never the input, and an existing
         * one needs --force. */
        const char *in[1] = {path};
        es_status ost = es_fs_check_output(out_path, "-o", 0, in, 1, err, sizeof err);
        if (ost == ES_OK) ost = es_h5_check_output(out_path, force, err, sizeof err);
        if (ost != ES_OK) {
            cli_error("sensitivity: %s", err);
            return es_status_exit_code(ost);
        }
    }
    es_status st = es_h5_read(path, &r, err, sizeof err);
    if (st != ES_OK) {
        cli_error("sensitivity: %s", err);
        return es_status_exit_code(st);
    }
    const es_design_result *ds = &r.design;
    if (r.n_sweep == 0 || ds->n_points == 0) {
        cli_error("sensitivity: %s holds no sweep; run a config whose sweep block has design = "
                  "\"saltelli\" or \"morris\"",
                  path);
        goto out;
    }
    if (r.shard.count > 0) {
        cli_error("sensitivity: %s is one shard of a run; join the shards first with 'enforcesim "
                  "merge OUT SHARD...'",
                  path);
        goto out;
    }
    const int saltelli = !strcmp(ds->kind, "saltelli"), morris = !strcmp(ds->kind, "morris");
    const int k = ds->n_params, base = ds->points_setting;
    if (!saltelli && !morris) {
        cli_error("sensitivity: %s holds a \"%s\" sweep; sensitivity needs design = \"saltelli\" "
                  "(Sobol indices) or \"morris\" (elementary effects)",
                  path, ds->kind);
        goto out;
    }
    if (base < 1 ||
        (size_t)ds->n_points != (saltelli ? es_saltelli_rows(base, k) : es_morris_rows(base, k))) {
        cli_error("sensitivity: %s: a %s design of points = %d and %d parameters has %zu points, "
                  "but the file holds %d; the file is damaged",
                  path, ds->kind, base, k,
                  saltelli ? es_saltelli_rows(base, k) : es_morris_rows(base, k), ds->n_points);
        goto out;
    }
    if (saltelli && base < 2) {
        cli_error("sensitivity: %s: Sobol indices need points >= 2 base points", path);
        goto out;
    }
    if (diff_base) {
        for (int i = 0; i < r.n_sweep; i++) {
            if (!strcmp(r.sweep[i].name, diff_base)) ib = i;
            if (!strcmp(r.sweep[i].name, diff_alt)) ia = i;
        }
        if (ib < 0 || ia < 0 || ib == ia) {
            cli_error("sensitivity: --diff %s %s: give two different scenarios of %s's sweep",
                      diff_base, diff_alt, path);
            goto out;
        }
    }
    const es_sweep_result *s0 = &r.sweep[0];
    for (int i = 0; i < n_periods; i++) {
        if (cli_parse_period("sensitivity", path, period_text[i], s0->fy, s0->n_fy, s0->cy,
                             s0->n_cy, &periods[i]))
            goto out;
    }
    if (n_periods == 0) {
        for (int i = 0; i < s0->n_fy && i < SENS_MAX_PERIODS; i++)
            periods[n_periods++] = (period_ref){1, i};
        if (n_periods == 0) {
            cli_error("sensitivity: %s holds no fiscal year after the warm-up; try --period "
                      "CY<year>",
                      path);
            goto out;
        }
    }
    if (n_metrics == 0)
        for (int m = 0; m < ES_N_METRICS; m++) metrics[n_metrics++] = m;
    const int levels = morris ? config_levels(r.config_text) : 0;
    if (morris && (levels < 2 || levels % 2)) {
        cli_error("sensitivity: %s: the stored config's sweep block has no valid levels", path);
        goto out;
    }

    rc = 1;
    const size_t np = (size_t)ds->n_points;
    y = es_calloc(np, sizeof *y);
    if (saltelli) {
        six = es_calloc((size_t)k, sizeof *six);
        rng = es_rng_new(ES_RNG_PHILOX);
    } else {
        mef = es_calloc((size_t)k, sizeof *mef);
        u = es_calloc(np * (size_t)k, sizeof *u);
    }
    if (!y || (saltelli && (!six || !rng)) || (morris && (!mef || !u))) {
        cli_error("sensitivity: out of memory");
        goto out;
    }
    const int n_stats = saltelli ? 6 : 3;
    const size_t max_tables =
        (size_t)(diff_base ? 1 : r.n_sweep) * (size_t)n_periods * (size_t)n_metrics;
    if (out_path && (!(tables = es_calloc(max_tables, sizeof *tables)) ||
                     !(cols = es_calloc(max_tables * (size_t)n_stats, sizeof *cols)) ||
                     !(vals = es_calloc(max_tables * (size_t)n_stats * (size_t)k, sizeof *vals)) ||
                     !(groups = es_calloc(max_tables, sizeof *groups)))) {
        cli_error("sensitivity: out of memory");
        goto out;
    }
    if (morris && morris_unit_points(ds->x, base, k, levels, u)) {
        rc = 2;
        cli_error("sensitivity: %s: the design is not made of one-at-a-time trajectories; the "
                  "file is damaged",
                  path);
        goto out;
    }

    int name_w = (int)strlen("parameter");
    for (int j = 0; j < k; j++)
        if ((int)strlen(ds->names[j]) > name_w) name_w = (int)strlen(ds->names[j]);
    if (csv) {
        printf("scenario,metric,period,parameter,statistic,value\n");
    } else if (saltelli) {
        printf("sensitivity  %s: design saltelli, N = %d base points x (%d parameters + 2) = %d "
               "points,\n"
               "             %d replication%s per point (indices of the means); 95%% percentile "
               "bootstrap\n"
               "             intervals from %d resamples of the N rows. S1: first order "
               "(Saltelli 2010);\n"
               "             ST: total (Jansen); sum S1 < 1 means interactions.\n",
               path, base, k, ds->n_points, s0->n_reps, s0->n_reps == 1 ? "" : "s", n_boot);
    } else {
        printf("sensitivity  %s: design morris, r = %d trajectories x (%d parameters + 1) = %d "
               "points,\n"
               "             %d levels, %d replication%s per point (effects of the means), in "
               "metric units\n"
               "             per whole parameter range. mu*: importance; sigma > mu*: "
               "non-linear or\n"
               "             interacting; mu: mean signed effect.\n",
               path, base, k, ds->n_points, levels, s0->n_reps, s0->n_reps == 1 ? "" : "s");
    }

    for (int si = 0; si < r.n_sweep; si++) {
        if (diff_base && si != ia) continue;
        const es_sweep_result *sc = &r.sweep[si];
        const es_sweep_result *sb = diff_base ? &r.sweep[ib] : NULL;
        char sname[2 * ES_H5_NAME_MAX + 8];
        if (sb) {
            if (sb->n_rows != sc->n_rows || sb->n_reps != sc->n_reps) {
                rc = 2;
                cli_error("sensitivity: %s: scenarios '%s' and '%s' hold different rows", path,
                          sb->name, sc->name);
                goto out;
            }
            snprintf(sname, sizeof sname, "%s-%s", sc->name, sb->name);
        } else
            snprintf(sname, sizeof sname, "%s", sc->name);
        if (sc->n_rows != (int64_t)np * sc->n_reps || sc->n_reps < 1) {
            rc = 2;
            cli_error("sensitivity: %s: scenario '%s' holds %lld rows, not %zu points x %d "
                      "replications",
                      path, sc->name, (long long)sc->n_rows, np, sc->n_reps);
            goto out;
        }
        for (int pi = 0; pi < n_periods; pi++) {
            period_ref p = periods[pi];
            char label[16];
            int year = p.fiscal ? sc->fy[p.index] : sc->cy[p.index];
            snprintf(label, sizeof label, "%s%d", p.fiscal ? "FY" : "CY", year);
            for (int mi = 0; mi < n_metrics; mi++) {
                const int m = metrics[mi];
                const char *mname = es_metric_table[m].name;
                const int ny = p.fiscal ? sc->n_fy : sc->n_cy;
                const double *data = p.fiscal ? sc->fiscal : sc->calendar;
                const double *bdata = !sb ? NULL : p.fiscal ? sb->fiscal : sb->calendar;
                /* Row q n_reps + rep is (point q, replication rep). */
                for (size_t q = 0; q < np; q++) {
                    double sum = 0;
                    for (int rep = 0; rep < sc->n_reps; rep++) {
                        size_t row = q * (size_t)sc->n_reps + (size_t)rep;
                        size_t at =
                            ((size_t)m * (size_t)sc->n_rows + row) * (size_t)ny + (size_t)p.index;
                        sum += data[at] - (bdata ? bdata[at] : 0);
                    }
                    y[q] = sum / sc->n_reps;
                }
                if (!csv && saltelli)
                    printf("\n%s  %s  %s (%s)\n  %-*s %-24s %-24s\n", sname, label, mname,
                           es_metric_table[m].unit, name_w, "parameter", "S1 [95% CI]",
                           "ST [95% CI]");
                else if (!csv)
                    printf("\n%s  %s  %s (%s)\n  %-*s %14s %14s %14s\n", sname, label, mname,
                           es_metric_table[m].unit, name_w, "parameter", "mu*", "mu", "sigma");
                if (saltelli) {
                    double var = 0;
                    es_rng_name(rng, (uint64_t)r.seed, SENS_BOOT_STREAM, 0);
                    if (es_sobol_indices(y, base, k, n_boot, rng, six, &var) != ES_OK) {
                        cli_error("sensitivity: out of memory for the bootstrap");
                        goto out;
                    }
                    if (out_path) {
                        static const char *const sn[6] = {"s1", "s1_low", "s1_high",
                                                          "st", "st_low", "st_high"};
                        double *v = vals + (size_t)n_tables * 6 * (size_t)k;
                        for (int j = 0; j < k; j++) {
                            const es_sobol_index *x = &six[j];
                            const double sv[6] = {x->s1, x->s1_lo, x->s1_hi,
                                                  x->st, x->st_lo, x->st_hi};
                            for (int t = 0; t < 6; t++) v[(size_t)t * k + (size_t)j] = sv[t];
                        }
                        if (add_table(tables, cols, groups, &n_tables, sname, label, mname, sn, 6,
                                      v, k, (const char *const *)ds->names, 1) != 0) {
                            cli_error("sensitivity: out of memory");
                            goto out;
                        }
                    }
                    for (int j = 0; j < k; j++) {
                        const es_sobol_index *x = &six[j];
                        if (csv) {
                            const char *stn[6] = {"s1", "s1_low", "s1_high",
                                                  "st", "st_low", "st_high"};
                            const double stv[6] = {x->s1, x->s1_lo, x->s1_hi,
                                                   x->st, x->st_lo, x->st_hi};
                            for (int t = 0; t < 6; t++)
                                csv_row(sname, mname, label, ds->names[j], stn[t], stv[t]);
                            continue;
                        }
                        char a[64], b[64];
                        fmt_ci(a, sizeof a, x->s1, x->s1_lo, x->s1_hi);
                        fmt_ci(b, sizeof b, x->st, x->st_lo, x->st_hi);
                        printf("  %-*s %-24s %-24s\n", name_w, ds->names[j], a, b);
                    }
                    if (csv)
                        csv_row(sname, mname, label, "", "variance", var);
                    else if (!(var > 0))
                        printf("  (the metric does not vary over the design: every index is 0)\n");
                } else {
                    if (es_morris_effects(u, y, base, k, mef) != ES_OK) {
                        cli_error("sensitivity: out of memory for the elementary effects");
                        goto out;
                    }
                    if (out_path) {
                        static const char *const mn[3] = {"mu_star", "mu", "sigma"};
                        double *v = vals + (size_t)n_tables * 3 * (size_t)k;
                        for (int j = 0; j < k; j++) {
                            v[j] = mef[j].mu_star;
                            v[(size_t)k + (size_t)j] = mef[j].mu;
                            v[2 * (size_t)k + (size_t)j] = mef[j].sigma;
                        }
                        if (add_table(tables, cols, groups, &n_tables, sname, label, mname, mn, 3,
                                      v, k, (const char *const *)ds->names, 0) != 0) {
                            cli_error("sensitivity: out of memory");
                            goto out;
                        }
                    }
                    for (int j = 0; j < k; j++) {
                        const es_morris_effect *e = &mef[j];
                        if (csv) {
                            csv_row(sname, mname, label, ds->names[j], "mu_star", e->mu_star);
                            csv_row(sname, mname, label, ds->names[j], "mu", e->mu);
                            csv_row(sname, mname, label, ds->names[j], "sigma", e->sigma);
                            continue;
                        }
                        printf("  %-*s %14.6g %14.6g %14.6g\n", name_w, ds->names[j], e->mu_star,
                               e->mu, e->sigma);
                    }
                }
            }
        }
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("sensitivity: cannot write to standard output");
        goto out;
    }
    if (out_path) {
        char *cmd = cli_command_line(argc, argv);
        const es_h5_attr attrs[] = {{"title", "enforcesim sensitivity indices"},
                                    {"program", "enforcesim"},
                                    {"version", cli_version()},
                                    {"git_commit", cli_git_commit()},
                                    {"source", path},
                                    {"design", ds->kind},
                                    {"command_line", cmd ? cmd : ""}};
        st = es_h5_write_tables(out_path, force, attrs, (int)(sizeof attrs / sizeof attrs[0]),
                                tables, n_tables, err, sizeof err);
        free(cmd);
        if (st != ES_OK) {
            cli_error("sensitivity: %s", err);
            rc = es_status_exit_code(st);
            goto out;
        }
    }
    rc = 0;
out:
    for (int i = 0; groups && i < n_tables; i++) free(groups[i]);
    free(groups);
    free(vals);
    free(cols);
    free(tables);
    if (rng) gsl_rng_free(rng);
    free(u);
    free(mef);
    free(six);
    free(y);
    es_run_result_free(&r);
    return rc;
}
