/* targets.c: calibration targets from a CSV file (contract in targets.h). */
#include "targets.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../core/mem.h"
#include "../model/metrics.h"
#include "cfg_int.h"

#define T_FIELDS 32

int cfg_csv_split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        f[n++] = p;
        char *c = strchr(p, ',');
        if (!c) break;
        *c = '\0';
        p = c + 1;
    }
    for (int i = 0; i < n; i++) {
        char *s = f[i];
        while (*s == ' ' || *s == '\t') s++;
        size_t l = strlen(s);
        while (l && (s[l - 1] == ' ' || s[l - 1] == '\r' || s[l - 1] == '\t')) s[--l] = '\0';
        f[i] = s;
    }
    return n;
}

static int column(char **h, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(h[i], name)) return i;
    return -1;
}

es_status es_targets_read(const char *path, es_cal_target **out, int *n_out, char *err,
                          size_t errlen)
{
    char *text = NULL, why[256];
    size_t len = 0;
    int rc = cfg_read_text(path, &text, &len, why, sizeof why);
    if (rc != 0) {
        snprintf(err, errlen, "%s: %s", path, rc == -2 ? "out of memory" : why);
        return rc == -2 ? ES_ERR_NOMEM : ES_ERR_INPUT;
    }
    es_status st = ES_ERR_INPUT;
    es_cal_target *t = NULL;
    int n = 0, cap = 0, line = 0, nh = 0;
    char *h[T_FIELDS], *f[T_FIELDS];
    int c_metric = -1, c_period = -1, c_value = -1, c_tol = -1, c_kind = -1;
    char *save = NULL;
    for (char *row = strtok_r(text, "\n", &save); row; row = strtok_r(NULL, "\n", &save)) {
        line++;
        if (row[0] == '#' || row[0] == '\r' || row[0] == '\0') continue;
        if (nh == 0) {
            nh = cfg_csv_split(row, h, T_FIELDS);
            c_metric = column(h, nh, "metric");
            c_period = column(h, nh, "period");
            c_value = column(h, nh, "value");
            c_tol = column(h, nh, "tolerance");
            c_kind = column(h, nh, "kind");
            if (c_metric < 0 || c_period < 0 || c_value < 0) {
                snprintf(err, errlen,
                         "%s:%d: the header needs columns metric, period and value (and "
                         "optionally tolerance and kind); configs/calibration/baseline_targets.csv "
                         "is an example",
                         path, line);
                goto out;
            }
            continue;
        }
        int nf = cfg_csv_split(row, f, T_FIELDS);
        if (nf != nh) {
            snprintf(err, errlen, "%s:%d: %d fields, the header has %d", path, line, nf, nh);
            goto out;
        }
        if (c_kind >= 0 && strcmp(f[c_kind], "target")) continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 32;
            es_cal_target *nt = realloc(t, (size_t)cap * sizeof *t);
            if (!nt) {
                snprintf(err, errlen, "out of memory reading %s", path);
                st = ES_ERR_NOMEM;
                goto out;
            }
            t = nt;
        }
        es_cal_target *x = &t[n];
        memset(x, 0, sizeof *x);
        char metric[128];
        snprintf(metric, sizeof metric, "%s", f[c_metric]);
        char *slash = strchr(metric, '/');
        if (slash) *slash = '\0';
        x->metric = es_metric_find(metric);
        x->den = slash ? es_metric_find(slash + 1) : -1;
        if (x->metric < 0 || (slash && x->den < 0)) {
            snprintf(err, errlen,
                     "%s:%d: '%s' is not a metric (enforcesim params --metrics lists them; a "
                     "ratio is a/b)",
                     path, line, f[c_metric]);
            goto out;
        }
        const char *p = f[c_period];
        char *end;
        long y = (p[0] == 'F' || p[0] == 'C') && p[1] == 'Y' ? strtol(p + 2, &end, 10) : 0;
        if (y < 1900 || y > 2200 || *end) {
            snprintf(err, errlen,
                     "%s:%d: period '%s': calibrate fits fiscal and calendar years (FY2017, "
                     "CY2017), not months or spans",
                     path, line, p);
            goto out;
        }
        x->period = p[0] == 'F' ? ES_CAL_FY : ES_CAL_CY;
        x->year = (int)y;
        x->value = strtod(f[c_value], &end);
        if (end == f[c_value] || *end || !isfinite(x->value) || x->value == 0) {
            snprintf(err, errlen, "%s:%d: value '%s' is not a non-zero number", path, line,
                     f[c_value]);
            goto out;
        }
        x->tol = 0.10;
        if (c_tol >= 0 && *f[c_tol]) {
            x->tol = strtod(f[c_tol], &end);
            if (end == f[c_tol] || *end || !(x->tol > 0 && x->tol < 1)) {
                snprintf(err, errlen, "%s:%d: tolerance '%s': give a share in (0, 1), e.g. 0.1",
                         path, line, f[c_tol]);
                goto out;
            }
        }
        snprintf(x->label, sizeof x->label, "%s %s", f[c_metric], p);
        n++;
    }
    if (n == 0) {
        snprintf(err, errlen, "%s: no target rows", path);
        goto out;
    }
    *out = t;
    *n_out = n;
    t = NULL;
    st = ES_OK;
out:
    free(t);
    free(text);
    return st;
}
