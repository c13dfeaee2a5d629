/* cmd_info.c: `enforcesim info FILE [--metric M]...`: what a results file
 * holds (provenance, scenarios, replications, months, metrics) and headline
 * figures per fiscal year as "mean [95% interval]".
 *
 * The file is read and validated in full by es_h5_read, so info doubles as
 * a check that a file is an intact enforcesim result: exit 0 if it is, 2 if
 * it is missing, not HDF5, truncated or of another layout (docs/cli.md, Exit status and errors). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "../core/date.h"
#include "../core/text.h"
#include "../io/h5in.h"
#include "cli.h"

/* Shown for every scenario; --metric adds more. */
static const char *const headline_default[] = {"apprehensions", "arrival_people", "smuggled_share",
                                               "deaths"};
#define N_HEADLINE_DEFAULT (int)(sizeof headline_default / sizeof headline_default[0])
#define LIST_WIDTH         78

static const char usage[] =
    "usage: enforcesim info FILE [--metric M]...\n"
    "  Print what a results file holds and, per scenario and fiscal year, the mean\n"
    "  and 95% confidence interval of apprehensions, arrival_people, smuggled_share\n"
    "  and deaths.\n"
    "  --metric M   also show metric M (repeatable; names as listed by info)\n";

static void print_month(const char *prefix, int32_t day)
{
    char buf[11];
    es_date_format(day, buf);
    printf("%s%.7s", prefix, buf);
}

static void print_years(const char *label, const char *prefix, const int *y, int n)
{
    if (n == 0)
        printf("%snone\n", label);
    else if (n == 1)
        printf("%s%s%d (1)\n", label, prefix, y[0]);
    else
        printf("%s%s%d to %s%d (%d)\n", label, prefix, y[0], prefix, y[n - 1], n);
}

/* Once per file: the reader requires every scenario to hold every metric. */
static void print_metric_list(void)
{
    int col = printf("metrics (%d)  ", ES_N_METRICS);
    const int indent = col;
    for (int m = 0; m < ES_N_METRICS; m++) {
        const char *name = es_metric_table[m].name;
        int len = (int)strlen(name) + (m + 1 < ES_N_METRICS ? 1 : 0);
        if (col + len + 1 > LIST_WIDTH && col > indent) {
            printf("\n%*s", indent, "");
            col = indent;
        }
        col += printf("%s%s%s", col > indent ? " " : "", name, m + 1 < ES_N_METRICS ? "," : "");
    }
    putchar('\n');
}

static void print_provenance(const char *path, const es_run_result *r)
{
    printf("file          %s\n", path);
    printf("program       enforcesim %s, commit %s\n", r->program_version, r->git_commit);
    printf("seed          %lld (rng %s)\n", (long long)r->seed, r->rng);
    printf("started       %s\n", r->started);
    printf("finished      %s\n", r->finished);
    printf("host          %s\n", r->host);
    printf("command line  %s\n", r->command_line);
    printf("config        %zu bytes, in the root attribute 'config'\n", strlen(r->config_text));
    printf("scenarios     %d\n", r->n_scenarios);
    printf("comparisons   %d", r->n_comparisons);
    for (int i = 0; i < r->n_comparisons; i++)
        printf("%s%s -> %s", i ? ", " : ": ", r->comparisons[i].base, r->comparisons[i].alt);
    printf(" (enforcesim compare FILE --base A --alt B)\n");
    printf("random nums   %s\n", r->crn ? "common to every scenario (paired by replication)"
                                        : "independent per scenario (--no-crn)");
    if (r->draws.n_params > 0) {
        /* Parameter uncertainty (experiment/uncertainty.h): /parameters. */
        printf("uncertainty   %d parameter%s drawn per replication, the same in every scenario "
               "(intervals hold both):\n",
               r->draws.n_params, r->draws.n_params == 1 ? "" : "s");
        for (int j = 0; j < r->draws.n_params; j++)
            printf("              %s ~ %s\n", r->draws.names[j], r->draws.dists[j]);
    } else
        printf("uncertainty   none: parameters fixed, intervals are Monte Carlo noise only\n");
    if (r->n_sweep > 0) {
        /* A sweep keeps its results in /sweep and /design (io/h5out.h). */
        const es_design_result *d = &r->design;
        printf("sweep         %s design, %d points x %d replications, scenario%s", d->kind,
               d->n_points, r->sweep[0].n_reps, r->n_sweep == 1 ? "" : "s");
        for (int i = 0; i < r->n_sweep; i++) printf("%s%s", i ? ", " : " ", r->sweep[i].name);
        printf("\n              parameters:");
        for (int j = 0; j < d->n_params; j++) {
            double lo = d->x[j], hi = d->x[j];
            for (int k = 1; k < d->n_points; k++) {
                double v = d->x[(size_t)k * (size_t)d->n_params + (size_t)j];
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
            printf("%s %s %g..%g", j ? "," : "", d->names[j], lo, hi);
        }
        printf("\n              (xarray: group=\"sweep/%s/summary_fiscal_year\")\n",
               r->sweep[0].name);
    }
    if (r->precision)
        printf("precision     %s: %s\n", r->precision,
               r->precision_met ? "met" : "NOT met; stopped at --max-replications");
    print_metric_list();
}

static void print_headline(const es_scenario_result *s, const int *metrics, int n_metrics)
{
    int name_w = (int)strlen("metric"), unit_w = (int)strlen("unit");
    for (int i = 0; i < n_metrics; i++) {
        const es_metric_def *md = &es_metric_table[metrics[i]];
        if ((int)strlen(md->name) > name_w) name_w = (int)strlen(md->name);
        if ((int)strlen(md->unit) > unit_w) unit_w = (int)strlen(md->unit);
    }
    if (s->n_fy == 0) {
        printf("  no complete fiscal year after the warm-up: no headline figures\n");
        return;
    }
    printf("\n  %-6s  %-*s  %-*s  mean [95%% interval]\n", "FY", name_w, "metric", unit_w, "unit");
    for (int y = 0; y < s->n_fy; y++) {
        for (int i = 0; i < n_metrics; i++) {
            const es_metric_def *md = &es_metric_table[metrics[i]];
            size_t k = (size_t)metrics[i] * (size_t)s->n_fy + (size_t)y;
            double mean = s->fy_sum.mean[k], lo = s->fy_sum.lo[k], hi = s->fy_sum.hi[k];
            int dp = es_fmt_decimals(mean, lo, hi);
            char fy[16] = "";
            if (i == 0) snprintf(fy, sizeof fy, "%d", s->fy[y]);
            printf("  %-6s  %-*s  %-*s  %.*f", fy, name_w, md->name, unit_w, md->unit, dp, mean);
            if (isnan(lo) || isnan(hi))
                printf(" (no interval with %d replication%s)\n", s->n_reps,
                       s->n_reps == 1 ? "" : "s");
            else
                printf(" [%.*f, %.*f]\n", dp, lo, dp, hi);
        }
    }
}

static void print_scenario(const es_scenario_result *s, const int *metrics, int n_metrics)
{
    printf("\nscenario %s\n", s->name);
    printf("  replications  %d\n", s->n_reps);
    if (s->n_months > 0) {
        print_month("  months        ", s->month_start[0]);
        print_month(" to ", s->month_start[s->n_months - 1]);
        printf(" (%d)\n", s->n_months);
    } else {
        printf("  months        none\n");
    }
    print_years("  fiscal years  ", "FY", s->fy, s->n_fy);
    print_years("  calendar yrs  ", "", s->cy, s->n_cy);
    print_headline(s, metrics, n_metrics);
}

int cmd_info(int argc, char **argv)
{
    const char *path = NULL;
    int metrics[ES_N_METRICS], n_metrics = 0;
    char err[1024];

    for (int i = 0; i < N_HEADLINE_DEFAULT; i++) {
        int m = es_metric_find(headline_default[i]);
        if (m >= 0) metrics[n_metrics++] = m;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        }
        if (!strcmp(a, "--metric") || !strncmp(a, "--metric=", 9)) {
            const char *name = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
            if (!name) {
                cli_error("info: --metric needs a metric name");
                return 2;
            }
            int m = es_metric_find(name);
            if (m < 0) {
                cli_error("info: unknown metric '%s'; 'enforcesim info FILE' lists the metrics",
                          name);
                return 2;
            }
            int seen = 0;
            for (int j = 0; j < n_metrics; j++) seen |= metrics[j] == m;
            if (!seen) metrics[n_metrics++] = m;
        } else if (a[0] == '-' && a[1] != '\0') {
            cli_error("info: unknown option '%s'; usage: enforcesim info FILE [--metric M]...", a);
            return 2;
        } else if (path) {
            cli_error("info: one FILE only (got '%s' and '%s')", path, a);
            return 2;
        } else {
            path = a;
        }
    }
    if (!path) {
        cli_error("info: no FILE given; usage: enforcesim info FILE [--metric M]...");
        return 2;
    }

    es_run_result r;
    es_status st = es_h5_read(path, &r, err, sizeof err);
    if (st != ES_OK) {
        cli_error("info: %s", err);
        return es_status_exit_code(st);
    }
    print_provenance(path, &r);
    for (int i = 0; i < r.n_scenarios; i++) print_scenario(&r.scenarios[i], metrics, n_metrics);
    es_run_result_free(&r);
    if (fflush(stdout) != 0) {
        cli_error("info: cannot write to standard output");
        return 1;
    }
    return 0;
}
