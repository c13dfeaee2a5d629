/* cfg_apply.c: libconfig settings into typed parameter values, and the
 * walk over a file's (or a scenario's) settings (cfg_int.h). What a value
 * must satisfy is model/params.c's; here, how libconfig spells it. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "../core/date.h"
#include "../core/mem.h"
#include "cfg_int.h"
#include "sweep.h"

static int apply_vector(const es_param_def *d, const config_setting_t *s, void *f,
                        unsigned char *constant, char *msg, size_t n)
{
    char want[64], what[80];
    double v[ES_VEC_MAX];
    (void)constant;
    int t = config_setting_type(s), len = config_setting_length(s);
    snprintf(want, sizeof want, "%d numbers [a, b, ...]", d->count);
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) return cfg_wrong_type(msg, n, want, s);
    if (len != d->count) {
        snprintf(msg, n, "expected %s, got %d", want, len);
        return -1;
    }
    for (int k = 0; k < len; k++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)k);
        snprintf(what, sizeof what, "element %d (%s) = ", k + 1, d->labels ? d->labels[k] : "-");
        if (cfg_get_number(e, &v[k])) {
            snprintf(msg, n, "element %d (%s): expected a number, got %s", k + 1,
                     d->labels ? d->labels[k] : "-", cfg_type_name(config_setting_type(e)));
            return -1;
        }
        if (es_param_check_number(d, what, v[k], msg, n)) return -1;
    }
    if (es_param_check_sum(d, v, msg, n)) return -1;
    memcpy(f, v, (size_t)d->count * sizeof v[0]);
    return 0;
}

static int apply_path(const es_param_def *d, const config_setting_t *s, void *f,
                      unsigned char *constant, char *msg, size_t n)
{
    static const char want[] = "a number or a list of (\"YYYY-MM-DD\", value) points";
    es_path *tmp = es_calloc(1, sizeof *tmp);
    int rc = -1;
    double x;
    char what[64], prev[16];
    if (!tmp) {
        snprintf(msg, n, "out of memory");
        return -2; /* apply_value's callers report ES_ERR_NOMEM */
    }
    if (!cfg_get_number(s, &x)) {
        if (es_param_check_number(d, "", x, msg, n)) goto out;
        tmp->n = 1;
        tmp->v[0] = x; /* day[0]: the horizon start, set once it is known */
        *constant = 1;
    } else if (config_setting_type(s) == CONFIG_TYPE_LIST) {
        int len = config_setting_length(s);
        if (len < 1 || len > ES_PATH_MAX) {
            snprintf(msg, n, "a path needs 1 to %d (\"YYYY-MM-DD\", value) points, got %d",
                     ES_PATH_MAX, len);
            goto out;
        }
        for (int k = 0; k < len; k++) {
            const config_setting_t *e = config_setting_get_elem(s, (unsigned)k);
            const config_setting_t *e0, *e1;
            if (config_setting_type(e) != CONFIG_TYPE_LIST || config_setting_length(e) != 2) {
                snprintf(msg, n, "point %d: expected (\"YYYY-MM-DD\", value), got %s", k + 1,
                         cfg_type_name(config_setting_type(e)));
                goto out;
            }
            e0 = config_setting_get_elem(e, 0);
            e1 = config_setting_get_elem(e, 1);
            const char *ds = config_setting_type(e0) == CONFIG_TYPE_STRING
                                 ? config_setting_get_string(e0)
                                 : NULL;
            if (!ds || es_date_parse(ds, &tmp->day[k])) {
                snprintf(msg, n, "point %d: %s%s%s is not a date (\"YYYY-MM-DD\" or \"YYYY-MM\")",
                         k + 1, ds ? "'" : "", ds ? ds : cfg_type_name(config_setting_type(e0)),
                         ds ? "'" : "");
                goto out;
            }
            if (cfg_get_number(e1, &tmp->v[k])) {
                snprintf(msg, n, "point %d: expected a number as value, got %s", k + 1,
                         cfg_type_name(config_setting_type(e1)));
                goto out;
            }
            snprintf(what, sizeof what, "point %d (%s) value ", k + 1, ds);
            if (es_param_check_number(d, what, tmp->v[k], msg, n)) goto out;
            if (k > 0 && tmp->day[k] <= tmp->day[k - 1]) {
                es_date_format(tmp->day[k - 1], prev);
                snprintf(msg, n,
                         "point %d: date %s does not follow %s; dates must strictly increase",
                         k + 1, ds, prev);
                goto out;
            }
        }
        tmp->n = len;
        *constant = 0;
    } else {
        cfg_wrong_type(msg, n, want, s);
        goto out;
    }
    memcpy(f, tmp, sizeof *tmp);
    rc = 0;
out:
    free(tmp);
    return rc;
}

/* ---- one applier per parameter type, each writing its field only on success ---- */

typedef int (*apply_fn)(const es_param_def *d, const config_setting_t *s, void *f,
                        unsigned char *constant, char *msg, size_t n);

static int apply_whole(const es_param_def *d, const config_setting_t *s, void *f,
                       unsigned char *constant, char *msg, size_t n)
{
    int t = config_setting_type(s);
    long long v;
    (void)constant;
    if (t == CONFIG_TYPE_INT)
        v = config_setting_get_int(s);
    else if (t == CONFIG_TYPE_INT64)
        v = config_setting_get_int64(s);
    else
        return cfg_wrong_type(msg, n, "an integer", s);
    if (d->type == ES_P_INT && (v < INT_MIN || v > INT_MAX)) {
        snprintf(msg, n, "%lld does not fit in a 32-bit integer", v);
        return -1;
    }
    if (es_param_check_number(d, "", (double)v, msg, n)) return -1;
    if (d->type == ES_P_INT)
        *(int *)f = (int)v;
    else
        *(int64_t *)f = (int64_t)v;
    return 0;
}

static int apply_real(const es_param_def *d, const config_setting_t *s, void *f,
                      unsigned char *constant, char *msg, size_t n)
{
    double x;
    (void)constant;
    if (cfg_get_number(s, &x)) return cfg_wrong_type(msg, n, "a number", s);
    if (es_param_check_number(d, "", x, msg, n)) return -1;
    *(double *)f = x;
    return 0;
}

static int apply_bool(const es_param_def *d, const config_setting_t *s, void *f,
                      unsigned char *constant, char *msg, size_t n)
{
    (void)d, (void)constant;
    if (config_setting_type(s) != CONFIG_TYPE_BOOL)
        return cfg_wrong_type(msg, n, "true or false", s);
    *(int *)f = config_setting_get_bool(s) ? 1 : 0;
    return 0;
}

static int apply_choice(const es_param_def *d, const config_setting_t *s, void *f,
                        unsigned char *constant, char *msg, size_t n)
{
    char list[CFG_MSG_MAX / 2] = "";
    (void)constant;
    if (config_setting_type(s) != CONFIG_TYPE_STRING) return cfg_wrong_type(msg, n, "a string", s);
    const char *v = config_setting_get_string(s);
    for (const char *const *c = d->choices; c && *c; c++) {
        if (!strcmp(*c, v) && strlen(v) < ES_STR_MAX) {
            memset(f, 0, ES_STR_MAX);
            memcpy(f, v, strlen(v));
            return 0;
        }
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s\"%s\"", used ? ", " : "", *c);
    }
    snprintf(msg, n, "'%.64s' is not one of %s", v, list);
    return -1;
}

static int apply_date(const es_param_def *d, const config_setting_t *s, void *f,
                      unsigned char *constant, char *msg, size_t n)
{
    int32_t day;
    (void)d, (void)constant;
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return cfg_wrong_type(msg, n, "a date string \"YYYY-MM-DD\"", s);
    const char *v = config_setting_get_string(s);
    if (es_date_parse(v, &day)) {
        snprintf(msg, n, "'%.64s' is not a date (\"YYYY-MM-DD\" or \"YYYY-MM\", years 1900-2200)",
                 v);
        return -1;
    }
    *(int32_t *)f = day;
    return 0;
}

static int apply_moves_field(const es_param_def *d, const config_setting_t *s, void *f,
                             unsigned char *constant, char *msg, size_t n)
{
    (void)d, (void)constant;
    return cfg_apply_moves(s, f, msg, n);
}

static const apply_fn appliers[] = {
    [ES_P_INT] = apply_whole,         [ES_P_INT64] = apply_whole,   [ES_P_REAL] = apply_real,
    [ES_P_BOOL] = apply_bool,         [ES_P_CHOICE] = apply_choice, [ES_P_DATE] = apply_date,
    [ES_P_VEC] = apply_vector,        [ES_P_SHARES] = apply_vector, [ES_P_PATH] = apply_path,
    [ES_P_MOVES] = apply_moves_field,
};

int cfg_apply_value(const es_param_def *d, const config_setting_t *s, es_params *p,
                    unsigned char *constant, char *msg, size_t n)
{
    if ((size_t)d->type >= sizeof appliers / sizeof appliers[0] || !appliers[d->type]) {
        snprintf(msg, n, "unsupported parameter type");
        return -1;
    }
    return appliers[d->type](d, s, (char *)p + d->offset, constant, msg, n);
}

/* ---- the walk over the file's settings ---- */

static int is_group_prefix(const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < es_param_count; i++)
        if (!strncmp(es_param_table[i].path, path, n) && es_param_table[i].path[n] == '.') return 1;
    return 0;
}

static es_status unknown_setting(cfg_load *L, const char *where, const char *path,
                                 const config_setting_t *s)
{
    const es_param_def *near;
    char guess[CFG_NAME_MAX * 2]; /* path (< CFG_NAME_MAX) "." member: gcc -O1 checks the room */
    if (!config_setting_is_group(s)) {
        near = es_param_nearest(path);
        if (near)
            return cfg_fail(L, "%s: setting '%s': unknown; did you mean '%s'?", where, path,
                            near->path);
        return cfg_fail(L, "%s: setting '%s': unknown (enforcesim params lists them all)", where,
                        path);
    }
    /* A group: guess from its first member, keep as many components. */
    const config_setting_t *first =
        config_setting_length(s) > 0 ? config_setting_get_elem(s, 0) : NULL;
    if (first && config_setting_name(first))
        snprintf(guess, sizeof guess, "%s.%s", path, config_setting_name(first));
    else
        snprintf(guess, sizeof guess, "%s", path);
    near = es_param_nearest(guess);
    if (near) {
        int parts = 1;
        for (const char *c = path; *c; c++) parts += *c == '.';
        size_t k = 0;
        for (const char *c = near->path; *c && parts; c++, k++)
            if (*c == '.' && --parts == 0) break;
        if (near->path[k] == '.')
            return cfg_fail(L, "%s: setting '%s': unknown group; did you mean '%.*s'?", where, path,
                            (int)k, near->path);
    }
    return cfg_fail(L, "%s: setting '%s': unknown group (enforcesim params lists the parameters)",
                    where, path);
}

/* Settings the walk leaves to others: at the root, the `overrides` group
 * (applied after the rest), `scenarios` and `comparisons`; in a scenario
 * group, its name. */
static int reserved(const cfg_load *L, const config_setting_t *grp, const config_setting_t *s)
{
    const char *name = config_setting_name(s);
    if (!name) return 0;
    if (grp == config_root_setting(&L->cfg))
        return (!strcmp(name, CFG_OVERRIDES) && config_setting_is_group(s)) ||
               !strcmp(name, CFG_SCENARIOS) || !strcmp(name, CFG_COMPARISONS) ||
               !strcmp(name, ES_SWEEP_SETTING) || !strcmp(name, CFG_UNCERTAINTY) ||
               !strcmp(name, CFG_CALIBRATION);
    return grp == L->scenario && !strcmp(name, CFG_SCENARIO_NAME);
}

/* Parameters every scenario of a run shares: replications are paired by
 * index (run.*) and comparisons pair periods (horizon.*). */
static int run_wide(const char *path)
{
    static const char *const groups[] = {"run", "horizon", NULL};
    for (const char *const *g = groups; *g; g++) {
        size_t n = strlen(*g);
        if (!strncmp(path, *g, n) && (path[n] == '.' || path[n] == '\0')) return 1;
    }
    return 0;
}

es_status cfg_walk(cfg_load *L, const config_setting_t *grp, const char *prefix)
{
    int len = config_setting_length(grp);
    for (int i = 0; i < len; i++) {
        const config_setting_t *s = config_setting_get_elem(grp, (unsigned)i);
        const char *name = config_setting_name(s);
        char path[CFG_NAME_MAX], where[CFG_FILE_MAX + 96], msg[CFG_MSG_MAX];
        if (reserved(L, grp, s)) continue;
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", name ? name : "?");
        cfg_where_of(L, s, where, sizeof where);
        const es_param_def *d = es_param_find(path);
        if (d && L->scenario && run_wide(path))
            return cfg_fail(
                L,
                "%s: setting '%s': must be the same in every scenario (replications are paired by "
                "index and periods must line up); set it at the top level",
                where, path);
        if (d) {
            int rc = cfg_apply_value(d, s, L->p, &L->constant[d - es_param_table], msg, sizeof msg);
            if (rc)
                return rc == -2 ? cfg_fail_nomem(L, where)
                                : cfg_fail(L, "%s: setting '%s': %s", where, path, msg);
        } else if (is_group_prefix(path)) {
            if (!config_setting_is_group(s))
                return cfg_fail(
                    L,
                    "%s: setting '%s': is a group of parameters, not a value (write %s = { ... };)",
                    where, path, name);
            es_status st = cfg_walk(L, s, path);
            if (st) return st;
        } else {
            return unknown_setting(L, where, path, s);
        }
    }
    return ES_OK;
}
