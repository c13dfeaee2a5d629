/* cmd_params.c: `enforcesim params [--markdown]`: the parameter reference.
 *
 * One row per registry entry (model/params.h): dotted path, type, default,
 * allowed range, unit, source (fact / assumption / calibrated / run) and
 * meaning. Plain output is an aligned text table; --markdown prints the same
 * rows as the Markdown table that docs/reference/parameters.md carries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../core/mem.h"
#include "../model/metrics.h"
#include "../model/params.h"
#include "cli.h"

#define PARAMS_COLS 7
#define PARAMS_CELL ES_PARAM_TEXT_MAX

typedef struct {
    char c[PARAMS_COLS][PARAMS_CELL];
} params_row;

static const char *const params_head[PARAMS_COLS] = {"parameter", "type",   "default", "range",
                                                     "unit",      "source", "meaning"};

/* Appends to a cell, cutting at its size. */
static void cat(char *cell, const char *s)
{
    size_t used = strlen(cell);
    snprintf(cell + used, PARAMS_CELL - used, "%s", s);
}

static void fill_row(const es_param_def *d, params_row *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->c[0], PARAMS_CELL, "%s", d->path);
    if (es_param_elements(d))
        snprintf(r->c[1], PARAMS_CELL, "%s[%d]", es_ptype_name(d->type), es_param_elements(d));
    else
        snprintf(r->c[1], PARAMS_CELL, "%s", es_ptype_name(d->type));

    es_param_default_text(d, r->c[2], PARAMS_CELL);
    es_param_range_text(d, ES_TEXT_TABLE, r->c[3], PARAMS_CELL);
    snprintf(r->c[4], PARAMS_CELL, "%s", d->unit && d->unit[0] ? d->unit : "-");
    snprintf(r->c[5], PARAMS_CELL, "%s", es_psource_name(d->source));
    snprintf(r->c[6], PARAMS_CELL, "%s", d->doc ? d->doc : "");
    if (d->labels) {
        cat(r->c[6], " (elements: ");
        for (int k = 0; k < d->count && d->labels[k]; k++) {
            if (k) cat(r->c[6], ", ");
            cat(r->c[6], d->labels[k]);
        }
        cat(r->c[6], ")");
    }
    cat(r->c[6], es_param_syntax(d));
}

static void put_md_cell(const char *s, int code)
{
    fputs(code ? " `" : " ", stdout);
    for (; *s; s++) {
        if (*s == '|') fputc('\\', stdout);
        fputc(*s == '\n' ? ' ' : *s, stdout);
    }
    fputs(code ? "` |" : " |", stdout);
}

static void print_markdown(const params_row *rows, size_t n)
{
    fputs("|", stdout);
    for (int c = 0; c < PARAMS_COLS; c++) put_md_cell(params_head[c], 0);
    fputs("\n|", stdout);
    for (int c = 0; c < PARAMS_COLS; c++) fputs("---|", stdout);
    fputc('\n', stdout);
    for (size_t i = 0; i < n; i++) {
        fputs("|", stdout);
        for (int c = 0; c < PARAMS_COLS; c++) put_md_cell(rows[i].c[c], c == 0);
        fputc('\n', stdout);
    }
}

static void print_text(const params_row *rows, size_t n)
{
    int w[PARAMS_COLS];
    for (int c = 0; c < PARAMS_COLS; c++) {
        w[c] = (int)strlen(params_head[c]);
        for (size_t i = 0; i < n; i++)
            if ((int)strlen(rows[i].c[c]) > w[c]) w[c] = (int)strlen(rows[i].c[c]);
    }
    for (int c = 0; c < PARAMS_COLS - 1; c++) printf("%-*s  ", w[c], params_head[c]);
    printf("%s\n", params_head[PARAMS_COLS - 1]);
    for (int c = 0; c < PARAMS_COLS - 1; c++)
        printf("%.*s  ", w[c],
               "----------------------------------------"
               "----------------------------------------");
    printf("-------\n");
    for (size_t i = 0; i < n; i++) {
        for (int c = 0; c < PARAMS_COLS - 1; c++) printf("%-*s  ", w[c], rows[i].c[c]);
        printf("%s\n", rows[i].c[PARAMS_COLS - 1]);
    }
}

/* The metric registry, the third reader of metrics.h after the model and
 * the HDF5 writer: docs/reference/metrics.md is this output. */
static void print_metrics(int markdown)
{
    static const char *const agg[] = {"flow (sum)", "stock (mean)", "ratio"};
    if (markdown) printf("| metric | unit | per year | meaning |\n|---|---|---|---|\n");
    for (int m = 0; m < ES_N_METRICS; m++) {
        const es_metric_def *d = &es_metric_table[m];
        if (markdown)
            printf("| `%s` | %s | %s | %s |\n", d->name, d->unit, agg[d->agg], d->desc);
        else
            printf("%-44s %-13s %-13s %s\n", d->name, d->unit, agg[d->agg], d->desc);
    }
}

int cmd_params(int argc, char **argv)
{
    int markdown = 0, metrics = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--metrics")) {
            metrics = 1;
        } else if (!strcmp(argv[i], "--markdown")) {
            markdown = 1;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs("usage: enforcesim params [--metrics] [--markdown]\n"
                  "  every parameter: path, type, default, range, unit, source and meaning;\n"
                  "  --metrics lists the output metrics instead (name, unit, yearly aggregation, "
                  "meaning);\n"
                  "  --markdown prints the table of docs/reference/parameters.md\n",
                  stdout);
            return 0;
        } else {
            cli_error(
                "params: unknown argument '%s'; usage: enforcesim params [--metrics] [--markdown]",
                argv[i]);
            return 2;
        }
    }
    if (metrics) {
        print_metrics(markdown);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            cli_error("params: cannot write to standard output");
            return 1;
        }
        return 0;
    }
    params_row *rows = es_calloc(es_param_count, sizeof *rows);
    if (!rows) {
        cli_error("out of memory");
        return 1;
    }
    for (size_t i = 0; i < es_param_count; i++) fill_row(&es_param_table[i], &rows[i]);
    if (markdown)
        print_markdown(rows, es_param_count);
    else
        print_text(rows, es_param_count);
    free(rows);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("params: cannot write to standard output");
        return 1;
    }
    return 0;
}
