/* cmd_report.c: `enforcesim report FILE [-o OUT.html] [--metric M]...
 * [--period FY2018]... [--targets CSV] [--heatmap P,Q] [--force]`: one
 * self-contained HTML page (inline CSS and SVG charts drawn by PLplot,
 * sim/report/) of what a results file holds:
 *   - a run: per scenario a fiscal-year table (mean and 95% interval: the
 *     file's summaries, printed as `info` prints them), monthly series with
 *     the mean of the replications, the 95% interval of that mean and the
 *     10-90% range of the replications, published figures of the
 *     calibration table as points, and reassignment start and end dates as
 *     dashed rules;
 *   - comparisons: per configured pair and fiscal year a forest plot of the
 *     relative change with its 95% interval, and a table with the variance
 *     reduction factor (es_compare_pairs: the numbers of `compare`);
 *   - a sweep: each metric against each design parameter (point means with
 *     95% intervals) and a heat map over two parameters;
 *   - provenance: version, commit, seed, command line, config, checksum.
 *
 * Exit status: 0; 2 for bad usage, an unreadable or non-result file, an
 * unknown metric, a period the file does not hold, an existing output
 * without --force, or a build without PLplot; 1 when writing fails. The
 * page is written to a temporary file beside OUT and renamed, so a failed
 * report leaves nothing behind. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include "../core/date.h"
#include "../core/hash.h"
#include "../core/mem.h"
#include "../core/text.h"
#include "../experiment/compare.h"
#include "../io/cfg.h"
#include "../io/fsdir.h"
#include "../experiment/run.h"
#include "../io/h5in.h"
#include "../io/h5out.h"
#include "../report/chart.h"
#include "../report/html.h"
#include "cli.h"

#define REPORT_MAX_PERIODS     64
#define REPORT_DEFAULT_TARGETS "configs/calibration/targets.csv"
#define REPORT_ID_MAX          32
#define REPORT_TEXT_MAX        1024
#define REPORT_MAX_TARGETS     512
#define REPORT_MAX_RULES       (2 * ES_MOVES_MAX)
#define REPORT_LO_Q            0.10
#define REPORT_HI_Q            0.90
#define REPORT_FOREST_MAX      12 /* forest rows without --metric */

/* The metrics `info` shows by default; --metric adds more. */
static const char *const headline_default[] = {"apprehensions", "arrival_people", "smuggled_share",
                                               "deaths"};
#define N_HEADLINE_DEFAULT (int)(sizeof headline_default / sizeof headline_default[0])

static const char usage[] =
    "usage: enforcesim report FILE [-o OUT.html] [--metric M]... [--period FY2018]...\n"
    "                         [--targets CSV] [--heatmap P,Q] [--force]\n"
    "  One self-contained HTML page (inline SVG charts, no external references) of a\n"
    "  results file: fiscal-year tables and monthly series per scenario, forest plots of\n"
    "  the configured comparisons, charts and heat maps of a sweep, and provenance.\n"
    "  -o OUT.html      output (default: FILE with .h5 replaced by .html)\n"
    "  --metric M       also show metric M (repeatable; default: apprehensions,\n"
    "                   arrival_people, smuggled_share, deaths, as `info`)\n"
    "  --period FYnnnn  only this fiscal year in tables, forest plots and sweeps\n"
    "                   (repeatable; default: every fiscal year; sweeps: the last)\n"
    "  --targets CSV    published figures drawn as points (calibration targets.csv format;\n"
    "                   default: " REPORT_DEFAULT_TARGETS " when it exists)\n"
    "  --heatmap P,Q    the two sweep parameters of the heat maps (default: the first two)\n"
    "  --force          overwrite OUT\n";

/* Published series (calibration targets.csv `name`) and the metric that
 * simulates them; a row whose name is a metric's name needs no entry. */
static const struct {
    const char *name, *metric;
} pub_map[] = {
    {"bp_apprehensions_sw", "apprehensions"},
    {"bp_apprehensions_sw_month", "apprehensions"},
    {"bp_apprehensions_sw_family_units", "apprehensions_family_units"},
    {"bp_apprehensions_sw_unaccompanied_children", "apprehensions_unaccompanied_children"},
    {"charges_1324_bringing_in_harboring", "charges_1324"},
    {"prosecutions_1325_illegal_entry", "prosecutions_1325"},
    {"ero_removals", "removals"},
    {"ero_detention_average_daily_population", "detention_occupancy"},
    {"border_deaths_southwest", "deaths"},
    {"got_aways_known", "got_aways"},
};

typedef struct {
    int metric;
    int fy;      /* a fiscal-year figure, or 0 */
    int month_x; /* a monthly figure: 12 * FY + months since October, or 0 */
    double value;
} pub_target;

typedef struct {
    const char *path, *out, *targets_path, *heatmap;
    int targets_given, force;
    int metrics_given; /* --metric: exactly the defaults plus those */
    int metrics[ES_N_METRICS], n_metrics;
    int periods[REPORT_MAX_PERIODS], n_periods; /* fiscal years asked for */
    pub_target *targets;
    int n_targets;
    const char *targets_used; /* the file the targets came from, or NULL */
    int n_charts;
    char *argv_line;
} report;

/* ---- small helpers ---- */

/* x coordinate of a month on an ES_AXIS_FMONTH axis. */
static double month_x(int32_t day)
{
    int y, m, d;
    es_date_civil(day, &y, &m, &d);
    return m >= 10 ? 12.0 * (y + 1) + (m - 10) : 12.0 * y + (m + 2);
}

static const char *unit_text(const es_metric_def *md)
{
    return strcmp(md->unit, "1") ? md->unit : "share";
}

static void axis_label(char *buf, size_t n, const es_metric_def *md)
{
    snprintf(buf, n, "%s (%s)", md->name, unit_text(md));
}

static void next_id(report *rp, char *id)
{
    snprintf(id, REPORT_ID_MAX, "chart%d", ++rp->n_charts);
}

/* <figure> with its heading, the SVG and a caption. Takes svg. */
static void figure(es_html *h, const char *title, char *svg, const char *caption)
{
    (void)title; /* drawn in the chart and its <title> */
    es_html_raw(h, "<figure>\n");
    es_html_raw(h, svg);
    es_html_raw(h, "\n<figcaption>");
    es_html_text(h, caption);
    es_html_raw(h, "</figcaption>\n</figure>\n");
    free(svg);
}

static int fy_selected(const report *rp, int fy)
{
    if (rp->n_periods == 0) return 1;
    for (int i = 0; i < rp->n_periods; i++)
        if (rp->periods[i] == fy) return 1;
    return 0;
}

/* ---- calibration targets ---- */

static int target_metric(const char *name)
{
    for (size_t i = 0; i < sizeof pub_map / sizeof pub_map[0]; i++)
        if (!strcmp(pub_map[i].name, name)) return es_metric_find(pub_map[i].metric);
    return es_metric_find(name);
}

/* Rows with a metric, a value and a period FYnnnn or YYYY-MM; the rest
 * (ranges, inputs of other kinds, unmapped names) are not drawn. */
static es_status load_targets(report *rp, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "--targets %s: %s", path, strerror(errno));
        return ES_ERR_INPUT;
    }
    char line[4096];
    int header = 1;
    es_status st = ES_OK;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n' || line[0] == '\r') continue;
        if (header) {
            header = 0;
            if (strncmp(line, "name,period,value", 17)) {
                snprintf(err, errlen,
                         "--targets %s: not a calibration table (the header must start with "
                         "name,period,value)",
                         path);
                st = ES_ERR_INPUT;
                break;
            }
            continue;
        }
        char *fields[3], *p = line;
        int nf = 0;
        while (nf < 3) {
            fields[nf++] = p;
            char *c = strchr(p, ',');
            if (!c) break;
            *c = '\0';
            p = c + 1;
        }
        if (nf < 3 || !*fields[2]) continue;
        int m = target_metric(fields[0]);
        char *end;
        double v = strtod(fields[2], &end);
        if (m < 0 || end == fields[2] || !isfinite(v)) continue;
        pub_target t = {m, 0, 0, v};
        int32_t day;
        if ((fields[1][0] == 'F') && fields[1][1] == 'Y') {
            long y = strtol(fields[1] + 2, &end, 10);
            if (*end || y < 1900 || y > 2200) continue;
            t.fy = (int)y;
        } else if (strlen(fields[1]) == 7 && es_date_parse(fields[1], &day) == 0) {
            t.month_x = (int)month_x(day);
        } else {
            continue;
        }
        if (rp->n_targets == REPORT_MAX_TARGETS) break;
        if (!rp->targets && !(rp->targets = es_calloc(REPORT_MAX_TARGETS, sizeof *rp->targets))) {
            snprintf(err, errlen, "out of memory");
            st = ES_ERR_NOMEM;
            break;
        }
        rp->targets[rp->n_targets++] = t;
    }
    if (st == ES_OK && ferror(f)) {
        snprintf(err, errlen, "--targets %s: read error", path);
        st = ES_ERR_INPUT;
    }
    fclose(f);
    if (st == ES_OK) rp->targets_used = path;
    return st;
}

static const pub_target *fy_target(const report *rp, int metric, int fy)
{
    for (int i = 0; i < rp->n_targets; i++)
        if (rp->targets[i].metric == metric && rp->targets[i].fy == fy) return &rp->targets[i];
    return NULL;
}

/* ---- policy dates ---- */

/* Reassignment starts and returns (the day after `end`) of a scenario,
 * read from its stored effective config. 0 rules when it has none or the
 * text does not load (an older file): the chart then has no rules. */
static int policy_days(const char *config_text, int32_t *days, int max)
{
    if (!config_text) return 0;
    const char *tmpdir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/enforcesim-report-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) return 0;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(path);
        return 0;
    }
    int ok = fputs(config_text, f) >= 0;
    ok &= fclose(f) == 0;
    int n = 0;
    es_params *p = es_calloc(1, sizeof *p);
    char err[256];
    if (ok && p && es_cfg_load(path, NULL, 0, p, err, sizeof err) == ES_OK) {
        for (int i = 0; i < p->reassign.n && n + 2 <= max; i++) {
            days[n++] = p->reassign.m[i].start;
            if (p->reassign.m[i].end >= 0) days[n++] = p->reassign.m[i].end + 1;
        }
    }
    free(p);
    unlink(path);
    return n;
}

/* ---- run: tables and monthly series ---- */

static void headline_table(es_html *h, const report *rp, const es_scenario_result *s)
{
    if (s->n_fy == 0) {
        es_html_raw(h, "<p class=\"note\">No complete fiscal year after the warm-up: no "
                       "fiscal-year figures.</p>\n");
        return;
    }
    int any_target = 0;
    for (int i = 0; i < rp->n_metrics; i++)
        for (int y = 0; y < s->n_fy; y++)
            any_target |= fy_target(rp, rp->metrics[i], s->fy[y]) != NULL;
    es_html_printf(h, "<table class=\"headline\" data-scenario=\"");
    es_html_text(h, s->name);
    es_html_printf(h,
                   "\">\n<caption>Fiscal years, mean of %d replication%s and 95%% interval "
                   "(Student t)</caption>\n<tr><th>FY</th><th>metric</th><th>unit</th>"
                   "<th class=\"num\">mean</th><th class=\"num\">95%% low</th>"
                   "<th class=\"num\">95%% high</th>%s</tr>\n",
                   s->n_reps, s->n_reps == 1 ? "" : "s",
                   any_target ? "<th class=\"num\">published</th>" : "");
    for (int y = 0; y < s->n_fy; y++) {
        if (!fy_selected(rp, s->fy[y])) continue;
        for (int i = 0; i < rp->n_metrics; i++) {
            int m = rp->metrics[i];
            const es_metric_def *md = &es_metric_table[m];
            size_t k = (size_t)m * (size_t)s->n_fy + (size_t)y;
            double mean = s->fy_sum.mean[k], lo = s->fy_sum.lo[k], hi = s->fy_sum.hi[k];
            int dp = es_fmt_decimals(mean, lo, hi);
            char a[64], b[64], c[64];
            es_html_number(a, sizeof a, mean, dp);
            es_html_number(b, sizeof b, lo, dp);
            es_html_number(c, sizeof c, hi, dp);
            es_html_printf(h,
                           "<tr data-fy=\"%d\" data-metric=\"%s\"><td>FY%d</td><td>%s</td>"
                           "<td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
                           "<td class=\"num\">%s</td>",
                           s->fy[y], md->name, s->fy[y], md->name, unit_text(md), a, b, c);
            if (any_target) {
                const pub_target *t = fy_target(rp, m, s->fy[y]);
                char tv[64] = "";
                if (t) es_html_number(tv, sizeof tv, t->value, t->value == floor(t->value) ? 0 : 3);
                es_html_printf(h, "<td class=\"num\">%s</td>", tv);
            }
            es_html_raw(h, "</tr>\n");
        }
    }
    es_html_raw(h, "</table>\n");
}

/* Across replications, per month: mean, its 95% interval, the 10% and 90%
 * quantiles. Non-finite replications (a ratio with an empty denominator)
 * are left out; fewer than 2 leave the bands NaN. */
static void month_stats(const es_scenario_result *s, int metric, double *x, double *mean,
                        double *lo, double *hi, double *q1, double *q9, double *work)
{
    for (int t = 0; t < s->n_months; t++) {
        int n = 0;
        for (int r = 0; r < s->n_reps; r++) {
            double v = es_res_monthly(s, r, metric)[t];
            if (isfinite(v)) work[n++] = v;
        }
        x[t] = month_x(s->month_start[t]);
        mean[t] = lo[t] = hi[t] = q1[t] = q9[t] = NAN;
        if (n == 0) continue;
        mean[t] = gsl_stats_mean(work, 1, (size_t)n);
        if (n < 2) continue;
        double hw = gsl_cdf_tdist_Pinv(0.975, n - 1) * gsl_stats_sd_m(work, 1, (size_t)n, mean[t]) /
                    sqrt(n);
        lo[t] = mean[t] - hw, hi[t] = mean[t] + hw;
        gsl_sort(work, 1, (size_t)n);
        q1[t] = gsl_stats_quantile_from_sorted_data(work, 1, (size_t)n, REPORT_LO_Q);
        q9[t] = gsl_stats_quantile_from_sorted_data(work, 1, (size_t)n, REPORT_HI_Q);
    }
}

static es_status monthly_chart(es_html *h, report *rp, const es_run_result *r, int metric,
                               const es_chart_rule *rules, int n_rules, char *err, size_t errlen)
{
    const es_metric_def *md = &es_metric_table[metric];
    int S = r->n_scenarios, T = r->scenarios[0].n_months, R = r->scenarios[0].n_reps;
    for (int i = 1; i < S; i++) {
        if (r->scenarios[i].n_months > T) T = r->scenarios[i].n_months;
        if (r->scenarios[i].n_reps > R) R = r->scenarios[i].n_reps;
    }
    es_status st = ES_OK;
    double *buf = es_calloc((size_t)S * 6 * (size_t)T + (size_t)R + 1, sizeof *buf);
    es_chart_series *se = es_calloc((size_t)S, sizeof *se);
    es_chart_mark *marks = es_calloc((size_t)rp->n_targets + 1, sizeof *marks);
    if (!buf || !se || !marks) {
        snprintf(err, errlen, "out of memory");
        st = ES_ERR_NOMEM;
        goto out;
    }
    double *work = buf + (size_t)S * 6 * (size_t)T;
    int has_band = 0;
    for (int i = 0; i < S; i++) {
        const es_scenario_result *s = &r->scenarios[i];
        double *b = buf + (size_t)i * 6 * (size_t)T;
        month_stats(s, metric, b, b + T, b + 2 * T, b + 3 * T, b + 4 * T, b + 5 * T, work);
        se[i] = (es_chart_series){s->name,   s->n_months, b,         b + T,
                                  b + 2 * T, b + 3 * T,   b + 4 * T, b + 5 * T};
        has_band |= s->n_reps >= 2;
    }
    /* Published figures inside the horizon: months as they are, fiscal
     * years as the monthly mean (flows) or level (stocks, ratios), mid-year. */
    int n_marks = 0;
    double xmin = se[0].n ? se[0].x[0] : 0, xmax = se[0].n ? se[0].x[se[0].n - 1] : 0;
    for (int i = 0; i < rp->n_targets; i++) {
        const pub_target *t = &rp->targets[i];
        if (t->metric != metric) continue;
        double x = t->month_x ? t->month_x : 12.0 * t->fy + 5.5;
        double y = t->month_x || md->agg != ES_AGG_FLOW ? t->value : t->value / 12;
        if (x < xmin || x > xmax) continue;
        marks[n_marks++] = (es_chart_mark){x, y, -1};
    }
    char id[REPORT_ID_MAX], title[REPORT_TEXT_MAX], desc[REPORT_TEXT_MAX], yl[256], scen[512] = "";
    char d0[11], d1[11];
    next_id(rp, id);
    snprintf(title, sizeof title, "%s by month", md->name);
    axis_label(yl, sizeof yl, md);
    for (int i = 0; i < S; i++) {
        size_t u = strlen(scen);
        snprintf(scen + u, sizeof scen - u, "%s%s", i ? ", " : "", r->scenarios[i].name);
    }
    es_date_format(r->scenarios[0].month_start[0], d0);
    es_date_format(r->scenarios[0].month_start[r->scenarios[0].n_months - 1], d1);
    snprintf(desc, sizeof desc,
             "Monthly %s (%s), %.7s to %.7s, scenario%s %s: mean of the replications%s%s%s.",
             md->name, unit_text(md), d0, d1, S == 1 ? "" : "s", scen,
             has_band ? " with the 95% interval of the mean and the 10-90% range of the "
                        "replications as bands"
                      : "",
             n_marks ? "; published figures as diamonds" : "",
             n_rules ? "; dashed vertical rules at reassignment start and end dates" : "");
    es_chart_xy c = {id,
                     title,
                     desc,
                     "month (fiscal years start in October)",
                     yl,
                     ES_AXIS_FMONTH,
                     ES_CHART_LINES,
                     S,
                     se,
                     "95% interval of the mean",
                     "10-90% of replications",
                     n_marks,
                     marks,
                     "published figure",
                     n_rules,
                     rules,
                     "reassignment start / end"};
    char *svg;
    if ((st = es_chart_xy_svg(&c, &svg, err, errlen)) != ES_OK) goto out;
    figure(h, title, svg, desc);
out:
    free(marks);
    free(se);
    free(buf);
    return st;
}

static es_status run_section(es_html *h, const report *rp, const es_run_result *r)
{
    es_html_raw(h, "<h2 id=\"run\">Scenarios</h2>\n");
    for (int i = 0; i < r->n_scenarios; i++) {
        const es_scenario_result *s = &r->scenarios[i];
        es_html_raw(h, "<h3>Scenario ");
        es_html_text(h, s->name);
        es_html_printf(h, "</h3>\n<p>%d replication%s, %d months", s->n_reps,
                       s->n_reps == 1 ? "" : "s", s->n_months);
        if (s->n_fy) es_html_printf(h, ", fiscal years FY%d to FY%d", s->fy[0], s->fy[s->n_fy - 1]);
        es_html_raw(h, ".</p>\n");
        headline_table(h, rp, s);
    }
    return ES_OK;
}

static es_status monthly_section(es_html *h, report *rp, const es_run_result *r, char *err,
                                 size_t errlen)
{
    /* Policy dates: a date every scenario shares is grey, others take the
     * scenario's colour. */
    es_chart_rule rules[REPORT_MAX_RULES];
    int n_rules = 0;
    for (int i = 0; i < r->n_scenarios; i++) {
        int32_t days[REPORT_MAX_RULES];
        int n = policy_days(r->scenarios[i].config, days, REPORT_MAX_RULES);
        for (int k = 0; k < n && n_rules < REPORT_MAX_RULES; k++) {
            double x = month_x(days[k]);
            int dup = 0;
            for (int j = 0; j < n_rules; j++)
                if (rules[j].x == x) {
                    dup = 1;
                    if (rules[j].series != i) rules[j].series = -1;
                }
            if (!dup) rules[n_rules++] = (es_chart_rule){x, r->n_scenarios == 1 ? -1 : i};
        }
    }
    if (r->scenarios[0].n_months == 0) return ES_OK;
    es_html_raw(h, "<h2 id=\"monthly\">Monthly series</h2>\n");
    if (rp->targets_used) {
        es_html_raw(h, "<p class=\"note\">Published figures from ");
        es_html_text(h, rp->targets_used);
        es_html_raw(h, ".</p>\n");
    }
    for (int i = 0; i < rp->n_metrics; i++) {
        es_status st = monthly_chart(h, rp, r, rp->metrics[i], rules, n_rules, err, errlen);
        if (st != ES_OK) return st;
    }
    return ES_OK;
}

/* ---- comparisons ---- */

static int find_scenario(const es_run_result *r, const char *name)
{
    for (int i = 0; i < r->n_scenarios; i++)
        if (!strcmp(r->scenarios[i].name, name)) return i;
    return -1;
}

static void data_num(es_html *h, const char *name, double v)
{
    if (isnan(v))
        es_html_printf(h, " data-%s=\"nan\"", name);
    else if (isinf(v))
        es_html_printf(h, " data-%s=\"%s\"", name, v < 0 ? "-inf" : "inf");
    else
        es_html_printf(h, " data-%s=\"%.17g\"", name, v);
}

static es_status comparison_section(es_html *h, report *rp, const es_run_result *r, char *err,
                                    size_t errlen)
{
    es_status st = ES_OK;
    es_html_raw(h, "<h2 id=\"comparisons\">Comparisons</h2>\n<p>Paired by replication");
    es_html_raw(h, r->crn ? " with common random numbers" : " (independent random numbers)");
    es_html_raw(h, "; relative change = (alt - base) / base with its 95% interval (delta "
                   "method), as <code>enforcesim compare</code> computes them. VRF = (var base "
                   "+ var alt) / var(alt - base): how many times more replications unpaired "
                   "runs would need for the same interval.</p>\n");
    int R = 0;
    for (int i = 0; i < r->n_scenarios; i++)
        if (r->scenarios[i].n_reps > R) R = r->scenarios[i].n_reps;
    double *a = es_calloc((size_t)R + 1, sizeof *a), *b = es_calloc((size_t)R + 1, sizeof *b),
           *work = es_calloc(3 * (size_t)R + 1, sizeof *work);
    es_forest_row *rows = es_calloc(ES_N_METRICS, sizeof *rows);
    double(*stats)[ES_CMP_N_STATS] = es_calloc(ES_N_METRICS, sizeof *stats);
    int *row_metric = es_calloc(ES_N_METRICS, sizeof *row_metric);
    if (!a || !b || !work || !rows || !stats || !row_metric) {
        snprintf(err, errlen, "out of memory");
        st = ES_ERR_NOMEM;
        goto out;
    }
    for (int c = 0; c < r->n_comparisons; c++) {
        const es_comparison_result *cmp = &r->comparisons[c];
        int ia = find_scenario(r, cmp->base), ib = find_scenario(r, cmp->alt);
        if (ia < 0 || ib < 0) continue; /* the reader checked; defensive */
        const es_scenario_result *A = &r->scenarios[ia], *B = &r->scenarios[ib];
        if (A->n_reps != B->n_reps || A->n_fy != B->n_fy) continue;
        es_hw_target hw = {1, ES_RUN_CMP_TARGET_REL};
        for (int y = 0; y < A->n_fy; y++) {
            if (!fy_selected(rp, A->fy[y])) continue;
            /* Every metric, so the plot can show what changed: the chosen
             * metrics, then (without --metric) the other metrics whose
             * interval excludes 0, largest changes first, up to
             * REPORT_FOREST_MAX rows. */
            for (int m = 0; m < ES_N_METRICS; m++) {
                for (int rep = 0; rep < A->n_reps; rep++) {
                    a[rep] = es_res_fiscal(A, rep, m)[y];
                    b[rep] = es_res_fiscal(B, rep, m)[y];
                }
                es_compare_pairs(a, b, A->n_reps, hw, stats[m], work);
            }
            int n_rows = 0;
            for (int i = 0; i < rp->n_metrics; i++) row_metric[n_rows++] = rp->metrics[i];
            int n_chosen = n_rows;
            for (int m = 0; m < ES_N_METRICS && !rp->metrics_given; m++) {
                int seen = 0;
                for (int i = 0; i < rp->n_metrics; i++) seen |= rp->metrics[i] == m;
                if (!seen && stats[m][ES_CMP_SIGNIFICANT] == 1 &&
                    isfinite(stats[m][ES_CMP_REL_CHANGE]))
                    row_metric[n_rows++] = m;
            }
            /* The largest relative changes first (insertion sort: a few dozen rows). */
            for (int i = n_chosen + 1; i < n_rows; i++)
                for (int j = i;
                     j > n_chosen && fabs(stats[row_metric[j]][ES_CMP_REL_CHANGE]) >
                                         fabs(stats[row_metric[j - 1]][ES_CMP_REL_CHANGE]);
                     j--) {
                    int t = row_metric[j];
                    row_metric[j] = row_metric[j - 1];
                    row_metric[j - 1] = t;
                }
            if (n_rows > REPORT_FOREST_MAX && n_chosen < REPORT_FOREST_MAX)
                n_rows = REPORT_FOREST_MAX;
            for (int i = 0; i < n_rows; i++) {
                const double *sm = stats[row_metric[i]];
                rows[i] =
                    (es_forest_row){es_metric_table[row_metric[i]].name,
                                    100 * sm[ES_CMP_REL_CHANGE], 100 * sm[ES_CMP_REL_CI_LOW],
                                    100 * sm[ES_CMP_REL_CI_HIGH], sm[ES_CMP_SIGNIFICANT] == 1};
            }
            char id[REPORT_ID_MAX], title[REPORT_TEXT_MAX], desc[REPORT_TEXT_MAX];
            next_id(rp, id);
            snprintf(title, sizeof title, "%s vs %s, FY%d: relative change", cmp->alt, cmp->base,
                     A->fy[y]);
            snprintf(desc, sizeof desc,
                     "Forest plot: relative change of %s against %s in FY%d, one row per metric%s, "
                     "with the 95%% interval of %d paired replications; filled rows (*) have an "
                     "interval that excludes zero.",
                     cmp->alt, cmp->base, A->fy[y],
                     rp->metrics_given ? ""
                                       : " (the headline metrics, then the metrics whose "
                                         "interval excludes zero, largest changes first, up to "
                                         "12 rows)",
                     A->n_reps);
            char *svg;
            if ((st = es_chart_forest_svg(id, title, desc, "relative change alt vs base (%)", rows,
                                          n_rows, &svg, err, errlen)) != ES_OK)
                goto out;
            figure(h, title, svg, desc);
            es_html_raw(h, "<table class=\"forest\" data-comparison=\"");
            es_html_text(h, cmp->base);
            es_html_raw(h, "__vs__");
            es_html_text(h, cmp->alt);
            es_html_printf(h,
                           "\" data-period=\"FY%d\">\n<tr><th>metric</th><th class=\"num\">"
                           "mean base</th><th class=\"num\">mean alt</th><th class=\"num\">"
                           "rel. change</th><th class=\"num\">95%% interval</th>"
                           "<th class=\"num\">VRF</th><th>sig.</th></tr>\n",
                           A->fy[y]);
            for (int i = 0; i < n_rows; i++) {
                const double *s = stats[row_metric[i]];
                int dp = es_fmt_decimals(s[ES_CMP_MEAN_BASE], s[ES_CMP_CI_LOW], s[ES_CMP_CI_HIGH]);
                char mb[64], ma[64], rc[64], rl[64], rh[64], vrf[64];
                es_html_number(mb, sizeof mb, s[ES_CMP_MEAN_BASE], dp);
                es_html_number(ma, sizeof ma, s[ES_CMP_MEAN_ALT], dp);
                es_html_number(rc, sizeof rc, 100 * s[ES_CMP_REL_CHANGE], 2);
                es_html_number(rl, sizeof rl, 100 * s[ES_CMP_REL_CI_LOW], 2);
                es_html_number(rh, sizeof rh, 100 * s[ES_CMP_REL_CI_HIGH], 2);
                es_html_number(vrf, sizeof vrf, s[ES_CMP_VRF], s[ES_CMP_VRF] >= 100 ? 0 : 1);
                es_html_printf(h, "<tr data-metric=\"%s\"", es_metric_table[row_metric[i]].name);
                data_num(h, "rel_change", s[ES_CMP_REL_CHANGE]);
                data_num(h, "rel_ci_low", s[ES_CMP_REL_CI_LOW]);
                data_num(h, "rel_ci_high", s[ES_CMP_REL_CI_HIGH]);
                data_num(h, "variance_reduction", s[ES_CMP_VRF]);
                data_num(h, "significant", s[ES_CMP_SIGNIFICANT]);
                es_html_printf(h,
                               "><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
                               "<td class=\"num\">%s%%</td><td class=\"num\">[%s%%, %s%%]</td>"
                               "<td class=\"num\">%s</td><td class=\"sig\">%s</td></tr>\n",
                               es_metric_table[row_metric[i]].name, mb, ma, rc, rl, rh, vrf,
                               s[ES_CMP_SIGNIFICANT] == 1 ? "*" : "");
            }
            es_html_raw(h, "</table>\n");
        }
    }
out:
    free(row_metric);
    free(stats);
    free(rows);
    free(work);
    free(b);
    free(a);
    return st;
}

/* ---- sweep ---- */

static int design_param(const es_design_result *d, const char *name)
{
    for (int j = 0; j < d->n_params; j++)
        if (!strcmp(d->names[j], name)) return j;
    return -1;
}

static es_status sweep_section(es_html *h, report *rp, const es_run_result *r, int hx, int hy,
                               char *err, size_t errlen)
{
    const es_design_result *d = &r->design;
    const es_sweep_result *s0 = &r->sweep[0];
    int P = d->n_points, S = r->n_sweep, y = s0->n_fy - 1;
    if (s0->n_fy == 0) {
        es_html_raw(h, "<h2 id=\"sweep\">Sweep</h2>\n<p class=\"note\">No complete fiscal year "
                       "after the warm-up: nothing to chart.</p>\n");
        return ES_OK;
    }
    for (int k = s0->n_fy - 1; k >= 0; k--)
        if (fy_selected(rp, s0->fy[k])) {
            y = k;
            break;
        }
    int fy = s0->fy[y];
    es_html_printf(h,
                   "<h2 id=\"sweep\">Sweep, FY%d</h2>\n<p>%s design, %d points x %d "
                   "replications, scenario%s ",
                   fy, d->kind, P, s0->n_reps, S == 1 ? "" : "s");
    for (int i = 0; i < S; i++) {
        es_html_raw(h, i ? ", " : "");
        es_html_text(h, r->sweep[i].name);
    }
    es_html_raw(h, ". Each point: mean of its replications and 95% interval.</p>\n");
    es_status st = ES_OK;
    double *buf = es_calloc((size_t)S * 4 * (size_t)P + 1, sizeof *buf);
    es_chart_series *se = es_calloc((size_t)S, sizeof *se);
    if (!buf || !se) {
        snprintf(err, errlen, "out of memory");
        st = ES_ERR_NOMEM;
        goto out;
    }
    for (int i = 0; i < rp->n_metrics; i++) {
        int m = rp->metrics[i];
        const es_metric_def *md = &es_metric_table[m];
        char yl[256];
        axis_label(yl, sizeof yl, md);
        for (int s = 0; s < S; s++) {
            const es_sweep_result *sw = &r->sweep[s];
            double *b = buf + (size_t)s * 4 * (size_t)P;
            for (int p = 0; p < P; p++) {
                const double *st4 = sw->fy_sum + (((size_t)m * (size_t)P + (size_t)p) *
                                                  ES_SWEEP_N_STATS * (size_t)sw->n_fy);
                b[P + p] = st4[0 * sw->n_fy + y];
                b[2 * P + p] = st4[2 * sw->n_fy + y];
                b[3 * P + p] = st4[3 * sw->n_fy + y];
            }
            se[s] = (es_chart_series){sw->name, P, b, b + P, b + 2 * P, b + 3 * P, NULL, NULL};
        }
        for (int j = 0; j < d->n_params; j++) {
            for (int s = 0; s < S; s++) {
                double *b = buf + (size_t)s * 4 * (size_t)P;
                for (int p = 0; p < P; p++)
                    b[p] = d->x[(size_t)p * (size_t)d->n_params + (size_t)j];
            }
            char id[REPORT_ID_MAX], title[REPORT_TEXT_MAX], desc[REPORT_TEXT_MAX];
            next_id(rp, id);
            snprintf(title, sizeof title, "%s against %s, FY%d", md->name, d->names[j], fy);
            snprintf(desc, sizeof desc,
                     "Scatter: FY%d %s (%s) at each of the %d design points against %s, one "
                     "colour per scenario, with 95%% intervals over %d replications.",
                     fy, md->name, unit_text(md), P, d->names[j], s0->n_reps);
            es_chart_xy c = {id,
                             title,
                             desc,
                             d->names[j],
                             yl,
                             ES_AXIS_NUMBER,
                             ES_CHART_POINTS,
                             S,
                             se,
                             "95% interval",
                             NULL,
                             0,
                             NULL,
                             NULL,
                             0,
                             NULL,
                             NULL};
            char *svg;
            if ((st = es_chart_xy_svg(&c, &svg, err, errlen)) != ES_OK) goto out;
            figure(h, title, svg, desc);
        }
        if (hx < 0) continue;
        for (int s = 0; s < S; s++) {
            double *b = buf + (size_t)s * 4 * (size_t)P;
            double *gx = es_calloc((size_t)P * 2 + 1, sizeof *gx);
            if (!gx) {
                snprintf(err, errlen, "out of memory");
                st = ES_ERR_NOMEM;
                goto out;
            }
            for (int p = 0; p < P; p++) {
                gx[p] = d->x[(size_t)p * (size_t)d->n_params + (size_t)hx];
                gx[P + p] = d->x[(size_t)p * (size_t)d->n_params + (size_t)hy];
            }
            char id[REPORT_ID_MAX], title[REPORT_TEXT_MAX], desc[REPORT_TEXT_MAX];
            next_id(rp, id);
            snprintf(title, sizeof title, "%s over %s and %s, %s, FY%d", md->name, d->names[hx],
                     d->names[hy], r->sweep[s].name, fy);
            snprintf(desc, sizeof desc,
                     "Heat map: FY%d mean %s (%s) of scenario %s over %s and %s, interpolated "
                     "between the %d design points (circles) by inverse-distance weighting.",
                     fy, md->name, unit_text(md), r->sweep[s].name, d->names[hx], d->names[hy], P);
            char *svg;
            st = es_chart_heat_svg(id, title, desc, d->names[hx], d->names[hy], yl, P, gx, gx + P,
                                   b + P, &svg, err, errlen);
            free(gx);
            if (st == ES_ERR_INPUT) {
                /* Too few distinct points: say so instead of failing the page. */
                es_html_raw(h, "<p class=\"note\">No heat map for ");
                es_html_text(h, title);
                es_html_raw(h, ": ");
                es_html_text(h, err);
                es_html_raw(h, ".</p>\n");
                rp->n_charts--;
                st = ES_OK;
                continue;
            }
            if (st != ES_OK) goto out;
            figure(h, title, svg, desc);
        }
    }
out:
    free(se);
    free(buf);
    return st;
}

/* ---- provenance ---- */

static void prov_row(es_html *h, const char *key, const char *value)
{
    es_html_printf(h, "<dt>%s</dt><dd>", key);
    es_html_text(h, value ? value : "(not recorded)");
    es_html_raw(h, "</dd>\n");
}

/* FNV-1a 64 of the file's bytes: recognises the exact file (core/hash.h). */
static int file_checksum(const char *path, uint64_t *out, long long *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    unsigned char chunk[65536];
    uint64_t hsum = ES_FNV_OFFSET;
    size_t n;
    *size = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        hsum = es_fnv1a(hsum, chunk, n);
        *size += (long long)n;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) return -1;
    *out = hsum;
    return 0;
}

static void provenance_section(es_html *h, const report *rp, const es_run_result *r)
{
    char buf[256];
    es_html_raw(h, "<h2 id=\"provenance\">Provenance</h2>\n<dl class=\"prov\">\n");
    prov_row(h, "file", rp->path);
    uint64_t sum;
    long long size;
    if (file_checksum(rp->path, &sum, &size) == 0) {
        snprintf(buf, sizeof buf, "%016llx (FNV-1a 64, %lld bytes)", (unsigned long long)sum, size);
        prov_row(h, "checksum", buf);
    }
    snprintf(buf, sizeof buf, "enforcesim %s", r->program_version ? r->program_version : "?");
    prov_row(h, "program", buf);
    prov_row(h, "commit", r->git_commit);
    snprintf(buf, sizeof buf, "%lld (generator %s)", (long long)r->seed, r->rng ? r->rng : "?");
    prov_row(h, "seed", buf);
    prov_row(h, "random numbers",
             r->crn ? "common to every scenario (paired by replication)"
                    : "independent per scenario (--no-crn)");
    prov_row(h, "command line", r->command_line);
    prov_row(h, "started", r->started);
    prov_row(h, "finished", r->finished);
    prov_row(h, "host", r->host);
    if (r->precision) {
        snprintf(buf, sizeof buf, "%s: %s", r->precision,
                 r->precision_met ? "met" : "not met (stopped at --max-replications)");
        prov_row(h, "precision", buf);
    }
    snprintf(buf, sizeof buf, "enforcesim %s, commit %s", cli_version(), cli_git_commit());
    prov_row(h, "report by", buf);
    prov_row(h, "report command", rp->argv_line);
    es_html_raw(h, "</dl>\n<details>\n<summary>Effective configuration</summary>\n<pre>");
    es_html_text(h, r->config_text);
    es_html_raw(h, "</pre>\n</details>\n");
}

/* ---- command ---- */

/* OUT written under a temporary name in its folder, then renamed. */
static es_status write_atomically(const char *path, const char *text, size_t len, char *err,
                                  size_t errlen)
{
    size_t tlen = strlen(path) + 32;
    char *tmp = malloc(tlen), *dir = NULL;
    es_status st = ES_ERR_IO;
    if (!tmp) {
        snprintf(err, errlen, "cannot write %s: out of memory", path);
        return ES_ERR_NOMEM;
    }
    snprintf(tmp, tlen, "%s.tmp-%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    size_t wrote = fwrite(text, 1, len, f);
    int flush_failed = fflush(f) != 0 || fsync(fileno(f)) != 0;
    int e = errno;
    if (fclose(f) != 0 && !flush_failed) flush_failed = 1, e = errno;
    if (wrote != len || flush_failed) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(e ? e : EIO));
        unlink(tmp);
        goto out;
    }
    if (rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        unlink(tmp);
        goto out;
    }
    if ((dir = es_dir_of(path))) es_fsync_dir(dir);
    st = ES_OK;
out:
    free(dir);
    free(tmp);
    return st;
}

static char *default_output(const char *path)
{
    size_t n = strlen(path);
    char *out = malloc(n + 6);
    if (!out) return NULL;
    memcpy(out, path, n + 1);
    if (n > 3 && !strcmp(path + n - 3, ".h5")) out[n - 3] = '\0';
    strcat(out, ".html");
    return out;
}

static int add_metric(report *rp, const char *name)
{
    int m = es_metric_find(name);
    if (m < 0) return -1;
    for (int j = 0; j < rp->n_metrics; j++)
        if (rp->metrics[j] == m) return 0;
    rp->metrics[rp->n_metrics++] = m;
    return 0;
}

static int parse_args(report *rp, int argc, char **argv)
{
    for (int i = 0; i < N_HEADLINE_DEFAULT; i++) add_metric(rp, headline_default[i]);
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
            fputs(usage, stdout);
            return 0;
        }
        if (!strcmp(o, "--force")) {
            rp->force = 1;
            continue;
        }
        if (o[0] != '-' || !o[1]) {
            if (rp->path) {
                cli_error("report: one FILE only (got '%s' and '%s')", rp->path, o);
                return 2;
            }
            rp->path = o;
            continue;
        }
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            cli_error("report: option '%s' needs a value; see 'enforcesim report --help'", o);
            return 2;
        }
        i++;
        if (!strcmp(o, "-o") || !strcmp(o, "--output")) {
            rp->out = v;
        } else if (!strcmp(o, "--metric")) {
            rp->metrics_given = 1;
            if (add_metric(rp, v) < 0) {
                cli_error("report: unknown metric '%s'; 'enforcesim info FILE' lists the metrics",
                          v);
                return 2;
            }
        } else if (!strcmp(o, "--period")) {
            char *end;
            long y = (v[0] == 'F' || v[0] == 'f') && (v[1] == 'Y' || v[1] == 'y')
                         ? strtol(v + 2, &end, 10)
                         : (end = (char *)v, 0);
            if (end == v || end == v + 2 || *end || y < 1 || y > 9999) {
                cli_error("report: --period '%s': write a fiscal year, e.g. FY2018", v);
                return 2;
            }
            if (rp->n_periods == REPORT_MAX_PERIODS) {
                cli_error("report: at most %d --period options", REPORT_MAX_PERIODS);
                return 2;
            }
            rp->periods[rp->n_periods++] = (int)y;
        } else if (!strcmp(o, "--targets")) {
            rp->targets_path = v;
            rp->targets_given = 1;
        } else if (!strcmp(o, "--heatmap")) {
            rp->heatmap = v;
        } else {
            cli_error("report: unknown option '%s'; see 'enforcesim report --help'", o);
            return 2;
        }
    }
    if (!rp->path) {
        cli_error("report: no FILE given; usage: enforcesim report FILE [-o OUT.html]");
        return 2;
    }
    return -1; /* go on */
}

/* Every --period must be a fiscal year of the file. */
static int check_periods(const report *rp, const es_run_result *r)
{
    const int *fy = r->n_sweep ? r->sweep[0].fy : r->scenarios[0].fy;
    int n = r->n_sweep ? r->sweep[0].n_fy : r->scenarios[0].n_fy;
    for (int i = 0; i < rp->n_periods; i++) {
        int found = 0;
        for (int k = 0; k < n; k++) found |= fy[k] == rp->periods[i];
        if (found) continue;
        if (n)
            cli_error("report: --period FY%d: not in %s (fiscal years FY%d to FY%d after the "
                      "warm-up)",
                      rp->periods[i], rp->path, fy[0], fy[n - 1]);
        else
            cli_error("report: --period FY%d: %s holds no fiscal year after the warm-up",
                      rp->periods[i], rp->path);
        return -1;
    }
    return 0;
}

/* --heatmap P,Q into two design columns (-1, -1 when the design has fewer
 * than two parameters). */
static int heatmap_params(const report *rp, const es_design_result *d, int *hx, int *hy)
{
    *hx = *hy = -1;
    if (!rp->heatmap) {
        if (d->n_params >= 2) *hx = 0, *hy = 1;
        return 0;
    }
    char a[256];
    snprintf(a, sizeof a, "%s", rp->heatmap);
    char *comma = strchr(a, ',');
    if (comma) *comma = '\0';
    *hx = design_param(d, a);
    *hy = comma ? design_param(d, comma + 1) : -1;
    if (*hx < 0 || *hy < 0 || *hx == *hy) {
        char list[1024] = "";
        for (int j = 0; j < d->n_params; j++) {
            size_t u = strlen(list);
            snprintf(list + u, sizeof list - u, "%s%s", j ? ", " : "", d->names[j]);
        }
        cli_error("report: --heatmap '%s': name two different sweep parameters P,Q (%s has: %s)",
                  rp->heatmap, rp->path, list);
        return -1;
    }
    return 0;
}

int cmd_report(int argc, char **argv)
{
    report rp;
    es_run_result r;
    es_html h;
    char err[1024], *out_alloc = NULL, *page = NULL;
    int rc = 2, have_result = 0;
    memset(&rp, 0, sizeof rp);
    memset(&r, 0, sizeof r);
    es_html_init(&h);

    int prc = parse_args(&rp, argc, argv);
    if (prc >= 0) return prc;
    if (!es_chart_available()) {
        cli_error("report: this enforcesim was built without PLplot; install the Debian package "
                  "%s and rebuild (make clean all)",
                  ES_CHART_PACKAGE);
        return 2;
    }
    if (!rp.out) {
        if (!(out_alloc = default_output(rp.path))) {
            cli_error("report: out of memory");
            return 1;
        }
        rp.out = out_alloc;
    }
    es_status st = es_h5_read(rp.path, &r, err, sizeof err);
    if (st != ES_OK) {
        cli_error("report: %s", err);
        rc = es_status_exit_code(st);
        goto out;
    }
    have_result = 1;
    if (r.shard.count > 0) {
        cli_error("report: %s is shard %d/%d of a run; merge the shards first (enforcesim merge)",
                  rp.path, r.shard.index, r.shard.count);
        goto out;
    }
    if (r.n_scenarios == 0 && r.n_sweep == 0) {
        cli_error("report: %s holds no scenario", rp.path);
        goto out;
    }
    if (check_periods(&rp, &r) < 0) goto out;
    int hx = -1, hy = -1;
    if (r.n_sweep && heatmap_params(&rp, &r.design, &hx, &hy) < 0) goto out;
    /* The page never replaces one of its inputs, --force or not. */
    const char *inputs[2] = {rp.path, rp.targets_given ? rp.targets_path : REPORT_DEFAULT_TARGETS};
    if ((st = es_fs_check_output(rp.out, "-o", 0, inputs, 2, err, sizeof err)) != ES_OK ||
        (st = es_h5_check_output(rp.out, rp.force, err, sizeof err)) != ES_OK) {
        cli_error("report: %s", err);
        rc = es_status_exit_code(st);
        goto out;
    }
    if (rp.targets_given || access(REPORT_DEFAULT_TARGETS, R_OK) == 0) {
        st = load_targets(&rp, rp.targets_given ? rp.targets_path : REPORT_DEFAULT_TARGETS, err,
                          sizeof err);
        if (st != ES_OK) {
            cli_error("report: %s", err);
            rc = es_status_exit_code(st);
            goto out;
        }
    }
    if (!(rp.argv_line = cli_command_line(argc, argv))) {
        cli_error("report: out of memory");
        rc = 1;
        goto out;
    }

    rc = 1;
    char title[REPORT_TEXT_MAX];
    snprintf(title, sizeof title, "enforcesim report: %s", rp.path);
    es_html_begin(&h, title);
    es_html_raw(&h, "<h1>enforcesim report</h1>\n<p>");
    es_html_text(&h, rp.path);
    if (r.n_sweep)
        es_html_printf(&h, ": a sweep of %d scenario%s over %d design points.", r.n_sweep,
                       r.n_sweep == 1 ? "" : "s", r.design.n_points);
    else
        es_html_printf(&h, ": %d scenario%s, %d comparison%s.", r.n_scenarios,
                       r.n_scenarios == 1 ? "" : "s", r.n_comparisons,
                       r.n_comparisons == 1 ? "" : "s");
    es_html_raw(&h, "</p>\n<nav><ul>\n");
    if (r.n_scenarios) es_html_raw(&h, "<li><a href=\"#run\">Scenarios</a></li>\n");
    if (r.n_comparisons) es_html_raw(&h, "<li><a href=\"#comparisons\">Comparisons</a></li>\n");
    if (r.n_scenarios && r.scenarios[0].n_months)
        es_html_raw(&h, "<li><a href=\"#monthly\">Monthly series</a></li>\n");
    if (r.n_sweep) es_html_raw(&h, "<li><a href=\"#sweep\">Sweep</a></li>\n");
    es_html_raw(&h, "<li><a href=\"#provenance\">Provenance</a></li>\n</ul></nav>\n");

    if (r.n_scenarios && (st = run_section(&h, &rp, &r)) != ES_OK) goto fail;
    if (r.n_comparisons && (st = comparison_section(&h, &rp, &r, err, sizeof err)) != ES_OK)
        goto fail;
    if (r.n_scenarios && (st = monthly_section(&h, &rp, &r, err, sizeof err)) != ES_OK) goto fail;
    if (r.n_sweep && (st = sweep_section(&h, &rp, &r, hx, hy, err, sizeof err)) != ES_OK) goto fail;
    provenance_section(&h, &rp, &r);
    es_html_end(&h);
    size_t len = 0;
    if (!(page = es_html_take(&h, &len))) {
        cli_error("report: out of memory building the page");
        goto out;
    }
    if ((st = write_atomically(rp.out, page, len, err, sizeof err)) != ES_OK) {
        cli_error("report: %s", err);
        rc = es_status_exit_code(st);
        goto out;
    }
    fprintf(stderr, "enforcesim: wrote %s (%d chart%s, %zu bytes)\n", rp.out, rp.n_charts,
            rp.n_charts == 1 ? "" : "s", len);
    rc = 0;
    goto out;
fail:
    cli_error("report: %s", err);
    rc = es_status_exit_code(st);
out:
    free(page);
    es_html_fini(&h);
    free(rp.argv_line);
    free(rp.targets);
    free(out_alloc);
    if (have_result) es_run_result_free(&r);
    return rc;
}
