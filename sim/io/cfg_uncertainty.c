/* cfg_uncertainty.c: the config's `uncertainty` block into an
 * es_uncertainty (experiment/uncertainty.h), and back into text.
 *
 *   uncertainty = {
 *     parameters = (
 *       { name = "hsi.case.handover_share"; distribution = "uniform"; low = 0.0; high = 1.0; },
 *       { name = "hsi.case.cooperation_prob"; distribution = "triangular";
 *         low = 0.15; mode = 0.3; high = 0.45; },
 *       { name = "migration.arrivals"; distribution = "normal"; mean = 1.0; sd = 0.05;
 *         low = 0.85; high = 1.15; apply = "scale"; },
 *       { name = "market.risk_elasticity"; distribution = "empirical";
 *         file = "calibration/posterior.csv"; }
 *     );
 *   };
 *
 * Only parameters the registry marks `assumption` or `calibrated` can be
 * uncertain (facts are data; run.* and horizon.* are the run's), each at
 * most once. An empirical distribution gives `values = [...]` or a CSV
 * `file` (a header row of names, one row per sample, '#' lines comments;
 * `column` names the column, by default the parameter's name; the path is
 * relative to the config's folder). Every column read from one file is one joint sample:
 * the rows are drawn together. Written back (the effective config), a
 * file's column becomes its values with `joint` naming the file, so the
 * run's identity holds the numbers, not a path. */
#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../core/mem.h"
#include "../core/text.h"
#include "../experiment/uncertainty.h"
#include "cfg_int.h"
#include "sweep.h"

#define UNC_MSG         512
#define UNC_MAX_VALUES  1000000
#define UNC_MAX_COLUMNS 256 /* columns of a sample file read */

static const char *const keys[] = {"name",  "distribution", "low",     "high",   "mode", "mean",
                                   "sd",    "alpha",        "beta",    "values", "file", "column",
                                   "joint", "apply",        "integer", NULL};

static int known(const char *name)
{
    for (const char *const *k = keys; *k; k++)
        if (!strcmp(*k, name)) return 1;
    return 0;
}

/* A number member: 1 found, 0 absent, -1 not a finite number. */
static int num(const config_setting_t *g, const char *key, double *v)
{
    const config_setting_t *s = config_setting_get_member(g, key);
    if (!s) return 0;
    return cfg_get_number(s, v) == 0 && isfinite(*v) ? 1 : -1;
}

/* One CSV column into *vals (malloc'd). 0, or -1 with why. */
static int read_column(const char *path, const char *column, double **vals, int *n, char *why,
                       size_t wn)
{
    char *text = NULL;
    size_t len = 0;
    int rc = cfg_read_text(path, &text, &len, why, wn);
    if (rc != 0) {
        if (rc == -2) snprintf(why, wn, "out of memory reading %.256s", path);
        return -1;
    }
    int col = -1, cap = 0, k = 0, line = 1;
    double *v = NULL;
    char *save = NULL, *row = strtok_r(text, "\n", &save);
    /* Lines starting with '#' are comments (a posterior says where it came from). */
    while (row && row[0] == '#') {
        row = strtok_r(NULL, "\n", &save);
        line++;
    }
    if (!row) {
        snprintf(why, wn, "%.256s is empty; it needs a header row of parameter names", path);
        goto fail;
    }
    char *fields[UNC_MAX_COLUMNS];
    int nh = cfg_csv_split(row, fields, UNC_MAX_COLUMNS);
    for (int c = 0; c < nh; c++)
        if (!strcmp(fields[c], column)) col = c;
    if (col < 0) {
        snprintf(why, wn, "%.256s has no column '%s' in its header row", path, column);
        goto fail;
    }
    while ((row = strtok_r(NULL, "\n", &save))) {
        line++;
        if (row[0] == '\r' || row[0] == '\0' || row[0] == '#') continue;
        int nf = cfg_csv_split(row, fields, UNC_MAX_COLUMNS);
        const char *f = col < nf ? fields[col] : NULL;
        char *end;
        double x = f ? strtod(f, &end) : NAN;
        if (!f || end == f || !isfinite(x) || *end) {
            snprintf(why, wn, "%.256s:%d: column '%s' is not a finite number", path, line, column);
            goto fail;
        }
        if (k == cap) {
            if (cap >= UNC_MAX_VALUES) {
                snprintf(why, wn, "%.256s: more than %d rows", path, UNC_MAX_VALUES);
                goto fail;
            }
            cap = cap ? 2 * cap : 256;
            double *nv = realloc(v, (size_t)cap * sizeof *v);
            if (!nv) {
                snprintf(why, wn, "out of memory reading %.256s", path);
                goto fail;
            }
            v = nv;
        }
        v[k++] = x;
    }
    if (k == 0) {
        snprintf(why, wn, "%.256s has a header but no rows", path);
        goto fail;
    }
    free(text);
    *vals = v;
    *n = k;
    return 0;
fail:
    free(text);
    free(v);
    return -1;
}

/* Entry g into *p. */
static es_status read_param(cfg_load *L, const config_setting_t *g, const es_params *base,
                            es_unc_param *p)
{
    char at[CFG_FILE_MAX + 16], why[UNC_MSG];
    const config_setting_t *s;
    double lo, hi, v;
    int is_int;
    cfg_setting_where(L, g, at, sizeof at);
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return cfg_fail(L,
                        "%s: uncertainty parameters: each entry is a group { name = \"...\"; "
                        "distribution = \"...\"; ... }",
                        at);
    for (int i = 0; i < config_setting_length(g); i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        if (!known(config_setting_name(m))) {
            cfg_setting_where(L, m, at, sizeof at);
            return cfg_fail(L,
                            "%s: uncertainty parameter setting '%s': unknown (give name, "
                            "distribution, low, high, mode, mean, sd, alpha, beta, values, file, "
                            "column, joint, apply, integer)",
                            at, config_setting_name(m));
        }
    }
    s = config_setting_get_member(g, "name");
    if (!s || config_setting_type(s) != CONFIG_TYPE_STRING)
        return cfg_fail(L, "%s: uncertainty parameter: needs name = \"<parameter path>\";", at);
    const char *name = config_setting_get_string(s);
    if (!(p->name = es_strdup(name))) return cfg_fail_nomem(L, at);
    if (es_sweep_resolve(name, base, &p->target, &lo, &hi, &is_int, why, sizeof why))
        return cfg_fail(L, "%s: uncertainty: %s", at, why);
    const es_param_def *d = es_param_at(p->target.offset);
    if (p->target.kind == ES_SWEEP_AGENTS || !d ||
        (d->source != ES_SRC_ASSUMPTION && d->source != ES_SRC_CALIBRATED))
        return cfg_fail(L,
                        "%s: uncertainty: '%s' is %s, not an assumption or a calibrated value; "
                        "vary policies and facts with scenarios or a sweep",
                        at, name,
                        p->target.kind == ES_SWEEP_AGENTS ? "a policy (reassigned agents)"
                        : d && d->source == ES_SRC_FACT   ? "a fact"
                                                          : "run-wide");
    p->integer = is_int;
    if ((s = config_setting_get_member(g, "apply"))) {
        const char *a =
            config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : "";
        if (strcmp(a, "set") && strcmp(a, "scale"))
            return cfg_fail(L, "%s: uncertainty parameter '%s': apply must be \"set\" or \"scale\"",
                            at, name);
        p->target.scale = !strcmp(a, "scale");
    }
    if (p->target.kind == ES_SWEEP_PATH && !p->target.scale)
        return cfg_fail(L,
                        "%s: uncertainty parameter '%s' is a time path; give apply = \"scale\" "
                        "(the draw multiplies every value, so the path keeps its shape)",
                        at, name);
    if (p->target.scale) {
        /* A factor: whole numbers are rounded after scaling, not before. */
        p->integer = 0;
        lo = 0;
        hi = HUGE_VAL;
    }
    if ((s = config_setting_get_member(g, "integer"))) {
        if (config_setting_type(s) != CONFIG_TYPE_BOOL)
            return cfg_fail(L, "%s: uncertainty parameter '%s': integer must be true or false", at,
                            name);
        if (is_int && !p->target.scale && !config_setting_get_bool(s))
            return cfg_fail(L,
                            "%s: uncertainty parameter '%s' holds whole numbers; it cannot be "
                            "integer = false",
                            at, name);
        p->integer = config_setting_get_bool(s);
    }
    s = config_setting_get_member(g, "distribution");
    if (!s || config_setting_type(s) != CONFIG_TYPE_STRING ||
        es_dist_kind_parse(config_setting_get_string(s), &p->kind))
        return cfg_fail(L,
                        "%s: uncertainty parameter '%s': distribution must be \"uniform\", "
                        "\"loguniform\", \"triangular\", \"normal\", \"beta\" or \"empirical\"",
                        at, name);
    /* Which numbers each distribution takes; the others are refused, so a
     * misplaced `mode` never passes silently. */
    static const char *const need[ES_DIST_N_KINDS][4] = {
        {"low", "high", NULL}, {"low", "high", NULL},   {"low", "mode", "high", NULL},
        {"mean", "sd", NULL},  {"alpha", "beta", NULL}, {NULL}};
    static const char *const may[ES_DIST_N_KINDS][3] = {
        {NULL}, {NULL}, {NULL}, {"low", "high", NULL}, {"low", "high", NULL}, {NULL}};
    static const char *const numbers[] = {"low", "high",  "mode", "mean",
                                          "sd",  "alpha", "beta", NULL};
    for (const char *const *k = numbers; *k; k++) {
        int r = num(g, *k, &v), wanted = 0;
        for (const char *const *q = need[p->kind]; *q; q++) wanted |= !strcmp(*q, *k);
        for (const char *const *q = may[p->kind]; *q; q++) wanted |= !strcmp(*q, *k);
        if (r < 0)
            return cfg_fail(L, "%s: uncertainty parameter '%s': %s must be a finite number", at,
                            name, *k);
        if (r > 0 && !wanted)
            return cfg_fail(L, "%s: uncertainty parameter '%s': a %s distribution takes no %s", at,
                            name, es_dist_kind_name(p->kind), *k);
    }
    for (const char *const *q = need[p->kind]; *q; q++)
        if (num(g, *q, &v) == 0)
            return cfg_fail(L, "%s: uncertainty parameter '%s': a %s distribution needs %s", at,
                            name, es_dist_kind_name(p->kind), *q);
    p->low = lo;
    p->high = hi;
    if (p->kind == ES_DIST_BETA) {
        p->low = 0;
        p->high = 1;
    }
    num(g, "low", &p->low);
    num(g, "high", &p->high);
    num(g, "mode", &p->mode);
    num(g, "mean", &p->mean);
    num(g, "sd", &p->sd);
    num(g, "alpha", &p->alpha);
    num(g, "beta", &p->beta);
    int has_vals = config_setting_get_member(g, "values") != NULL,
        has_file = config_setting_get_member(g, "file") != NULL;
    if (p->kind != ES_DIST_EMPIRICAL &&
        (has_vals || has_file || config_setting_get_member(g, "column") ||
         config_setting_get_member(g, "joint")))
        return cfg_fail(L,
                        "%s: uncertainty parameter '%s': values, file, column and joint are for "
                        "an empirical distribution",
                        at, name);
    if (p->kind == ES_DIST_EMPIRICAL) {
        if (has_vals == has_file)
            return cfg_fail(L,
                            "%s: uncertainty parameter '%s': an empirical distribution needs "
                            "values = [...] or file = \"<csv>\" (one of them)",
                            at, name);
        if (has_vals) {
            const config_setting_t *vs = config_setting_get_member(g, "values");
            int n = config_setting_length(vs), ty = config_setting_type(vs);
            if ((ty != CONFIG_TYPE_ARRAY && ty != CONFIG_TYPE_LIST) || n < 1)
                return cfg_fail(L,
                                "%s: uncertainty parameter '%s': values must be a non-empty list "
                                "of numbers",
                                at, name);
            if (!(p->values = es_calloc((size_t)n, sizeof *p->values)))
                return cfg_fail_nomem(L, at);
            p->n_values = n;
            for (int i = 0; i < n; i++)
                if (cfg_get_number(config_setting_get_elem(vs, (unsigned)i), &p->values[i]) ||
                    !isfinite(p->values[i]))
                    return cfg_fail(L,
                                    "%s: uncertainty parameter '%s': values[%d] is not a finite "
                                    "number",
                                    at, name, i);
            if ((s = config_setting_get_member(g, "joint"))) {
                if (config_setting_type(s) != CONFIG_TYPE_STRING || !*config_setting_get_string(s))
                    return cfg_fail(L, "%s: uncertainty parameter '%s': joint must be a name", at,
                                    name);
                if (strpbrk(config_setting_get_string(s), "\"\\"))
                    return cfg_fail(L,
                                    "%s: uncertainty parameter '%s': joint without quotes or "
                                    "backslashes, please",
                                    at, name);
                if (!(p->joint = es_strdup(config_setting_get_string(s))))
                    return cfg_fail_nomem(L, at);
            }
        } else {
            const config_setting_t *fs = config_setting_get_member(g, "file");
            const config_setting_t *cs = config_setting_get_member(g, "column");
            if (config_setting_type(fs) != CONFIG_TYPE_STRING || !*config_setting_get_string(fs) ||
                (cs && config_setting_type(cs) != CONFIG_TYPE_STRING))
                return cfg_fail(
                    L, "%s: uncertainty parameter '%s': file and column must be strings", at, name);
            if (config_setting_get_member(g, "joint"))
                return cfg_fail(L,
                                "%s: uncertainty parameter '%s': a file's columns are one joint "
                                "sample already; remove joint",
                                at, name);
            const char *fn = config_setting_get_string(fs);
            if (strpbrk(fn, "\"\\"))
                return cfg_fail(L,
                                "%s: uncertainty parameter '%s': a file name without quotes or "
                                "backslashes, please",
                                at, name);
            char path[2 * CFG_FILE_MAX];
            if (fn[0] == '/')
                snprintf(path, sizeof path, "%s", fn);
            else
                snprintf(path, sizeof path, "%s/%s", L->dir, fn);
            if (read_column(path, cs ? config_setting_get_string(cs) : name, &p->values,
                            &p->n_values, why, sizeof why))
                return cfg_fail(L, "%s: uncertainty parameter '%s': %s%s%s", at, name,
                                strstr(why, path) ? "" : path, strstr(why, path) ? "" : ": ", why);
            if (!(p->joint = es_strdup(fn))) return cfg_fail_nomem(L, at);
        }
        p->low = p->high = p->values[0];
        for (int i = 1; i < p->n_values; i++) {
            if (p->values[i] < p->low) p->low = p->values[i];
            if (p->values[i] > p->high) p->high = p->values[i];
        }
    }
    /* The support, checked once for every distribution. */
    if (p->kind != ES_DIST_EMPIRICAL && !(p->low < p->high))
        return cfg_fail(L, "%s: uncertainty parameter '%s': needs low < high", at, name);
    if (!isfinite(p->low) || !isfinite(p->high))
        return cfg_fail(L,
                        "%s: uncertainty parameter '%s': give a finite low and high (the "
                        "registry's range is unbounded)",
                        at, name);
    if (p->low < lo || p->high > hi) {
        char a[32], b[32];
        es_fmt_double(a, sizeof a, lo);
        es_fmt_double(b, sizeof b, hi);
        return cfg_fail(L, "%s: uncertainty parameter '%s': its values must lie in [%s, %s]%s", at,
                        name, a, b, p->target.scale ? " (a scale factor is not negative)" : "");
    }
    if (p->kind == ES_DIST_LOGUNIFORM && !(p->low > 0))
        return cfg_fail(L, "%s: uncertainty parameter '%s': a loguniform needs low > 0", at, name);
    if (p->kind == ES_DIST_TRIANGULAR && !(p->mode >= p->low && p->mode <= p->high))
        return cfg_fail(L, "%s: uncertainty parameter '%s': needs low <= mode <= high", at, name);
    if (p->kind == ES_DIST_NORMAL && !(p->sd > 0))
        return cfg_fail(L, "%s: uncertainty parameter '%s': needs sd > 0", at, name);
    if (p->kind == ES_DIST_BETA && !(p->alpha > 0 && p->beta > 0))
        return cfg_fail(L, "%s: uncertainty parameter '%s': needs alpha > 0 and beta > 0", at,
                        name);
    return ES_OK;
}

es_status cfg_read_uncertainty(cfg_load *L, const config_setting_t *s, es_run_spec *spec)
{
    char at[CFG_FILE_MAX + 16];
    cfg_setting_where(L, s, at, sizeof at);
    if (!config_setting_is_group(s))
        return cfg_fail(L, "%s: uncertainty must be a group { parameters = ( ... ); }", at);
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
        if (strcmp(config_setting_name(m), "parameters")) {
            cfg_setting_where(L, m, at, sizeof at);
            return cfg_fail(L, "%s: uncertainty setting '%s': unknown (give parameters)", at,
                            config_setting_name(m));
        }
    }
    const config_setting_t *list = config_setting_get_member(s, "parameters");
    int n = list ? config_setting_length(list) : 0;
    if (!list || !config_setting_is_list(list) || n < 1 || n > ES_UNCERTAINTY_MAX_PARAMS)
        return cfg_fail(L, "%s: uncertainty: parameters must be a list ( {...}, ... ) of 1 to %d",
                        at, ES_UNCERTAINTY_MAX_PARAMS);
    es_uncertainty *u = es_calloc(1, sizeof *u);
    if (!u || !(u->p = es_calloc((size_t)n, sizeof *u->p))) {
        es_uncertainty_free(u);
        return cfg_fail_nomem(L, at);
    }
    spec->unc = u;
    for (int j = 0; j < n; j++) {
        const config_setting_t *g = config_setting_get_elem(list, (unsigned)j);
        es_status st = read_param(L, g, &spec->base, &u->p[j]);
        u->d = j + 1;
        if (st != ES_OK) return st;
        cfg_setting_where(L, g, at, sizeof at);
        for (int k = 0; k < j; k++) {
            const es_sweep_target *a = &u->p[k].target, *b = &u->p[j].target;
            if (a->offset == b->offset && a->kind == b->kind && a->index == b->index)
                return cfg_fail(L, "%s: uncertainty: '%s' is listed twice", at, u->p[j].name);
            const es_unc_param *pa = &u->p[k], *pb = &u->p[j];
            if (pa->joint && pb->joint && !strcmp(pa->joint, pb->joint) &&
                pa->n_values != pb->n_values)
                return cfg_fail(L,
                                "%s: uncertainty: '%s' and '%s' are one joint sample ('%s') but "
                                "have %d and %d values",
                                at, pa->name, pb->name, pa->joint, pa->n_values, pb->n_values);
        }
    }
    /* A draw replaces what it sets in every scenario: a scenario that sets
     * the same parameter would be overruled without a word. */
    for (int i = 0; i < spec->n_scenarios; i++)
        for (int j = 0; j < u->d; j++) {
            const es_unc_param *q = &u->p[j];
            if (q->target.scale) continue;
            const char *f = (const char *)&spec->base + q->target.offset;
            const char *g = (const char *)&spec->scenarios[i].p + q->target.offset;
            size_t sz = q->target.kind == ES_SWEEP_ELEMENT ? sizeof(double)
                        : q->target.is_int                 ? sizeof(int)
                        : q->target.is_int64               ? sizeof(int64_t)
                                                           : sizeof(double);
            size_t off =
                q->target.kind == ES_SWEEP_ELEMENT ? (size_t)q->target.index * sizeof(double) : 0;
            if (memcmp(f + off, g + off, sz) != 0)
                return cfg_fail(L,
                                "%s: scenario '%s' sets '%s', which the uncertainty block draws "
                                "for every scenario; drop one of them",
                                at, spec->scenarios[i].name, q->name);
        }
    return ES_OK;
}

static void write_num(FILE *f, const char *key, double v)
{
    char b[ES_FMT_DOUBLE_MAX];
    es_fmt_real(b, sizeof b, v); /* a float literal, as libconfig must read it */
    fprintf(f, " %s = %s;", key, b);
}

void es_cfg_write_uncertainty(const es_uncertainty *u, FILE *f)
{
    fprintf(f, "\n# Parameter uncertainty: each replication draws these once, for every "
               "scenario.\nuncertainty = {\n  parameters = (");
    for (int j = 0; j < u->d; j++) {
        const es_unc_param *p = &u->p[j];
        fprintf(f, "%s\n    { name = \"%s\"; distribution = \"%s\";", j ? "," : "", p->name,
                es_dist_kind_name(p->kind));
        switch (p->kind) {
        case ES_DIST_UNIFORM:
        case ES_DIST_LOGUNIFORM:
            write_num(f, "low", p->low);
            write_num(f, "high", p->high);
            break;
        case ES_DIST_TRIANGULAR:
            write_num(f, "low", p->low);
            write_num(f, "mode", p->mode);
            write_num(f, "high", p->high);
            break;
        case ES_DIST_NORMAL:
            write_num(f, "mean", p->mean);
            write_num(f, "sd", p->sd);
            write_num(f, "low", p->low);
            write_num(f, "high", p->high);
            break;
        case ES_DIST_BETA:
            write_num(f, "alpha", p->alpha);
            write_num(f, "beta", p->beta);
            write_num(f, "low", p->low);
            write_num(f, "high", p->high);
            break;
        case ES_DIST_EMPIRICAL:
            fputs(" values = [", f);
            for (int i = 0; i < p->n_values; i++) {
                char b[ES_FMT_DOUBLE_MAX];
                es_fmt_real(b, sizeof b, p->values[i]);
                fprintf(f, "%s%s", i ? ", " : "", b);
            }
            fputs("];", f);
            if (p->joint) fprintf(f, " joint = \"%s\";", p->joint);
            break;
        }
        if (p->target.scale) fputs(" apply = \"scale\";", f);
        fprintf(f, " integer = %s; }", p->integer ? "true" : "false");
    }
    fputs("\n  );\n};\n", f);
}
