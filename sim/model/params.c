/* params.c: the generic functions over the parameter registry (params.h).
 *
 * The table itself is es_param_table[] in params_table.c. Nothing here knows
 * a particular parameter except the horizon fields, which the cross-field
 * rules need. No libconfig: the model never includes it (DESIGN.md 2).
 *
 * Default paths: a PATH parameter defaults to a constant, stored as one
 * point at the horizon start (es_params_defaults uses the default start).
 * A loader that changes horizon.start must move such constant points to the
 * new start, as io/cfg.c does, so that the invariant checked by
 * es_params_check holds: every path point lies inside [start, end]. */
#include "params.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../core/check.h"
#include "../core/date.h"

/* Longest name compared by es_param_nearest; longer inputs are cut (the
 * distance is only a hint for "did you mean"). */
#define NAME_CMP_MAX 96
/* Shares sum to 1 within this tolerance (params.h, ES_P_SHARES). */
#define SHARES_TOL   1e-6

static void *field(es_params *p, const es_param_def *d)
{
    return (char *)p + d->offset;
}
static const void *cfield(const es_params *p, const es_param_def *d)
{
    return (const char *)p + d->offset;
}

const es_param_def *es_param_find(const char *path)
{
    for (size_t i = 0; i < es_param_count; i++)
        if (!strcmp(es_param_table[i].path, path)) return &es_param_table[i];
    return NULL;
}

static const char *last_component(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot ? dot + 1 : path;
}

/* Levenshtein distance of a and b, each cut to NAME_CMP_MAX characters. */
static int edit_distance(const char *a, const char *b)
{
    int row[NAME_CMP_MAX + 1];
    size_t la = strlen(a), lb = strlen(b);
    if (la > NAME_CMP_MAX) la = NAME_CMP_MAX;
    if (lb > NAME_CMP_MAX) lb = NAME_CMP_MAX;
    for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The score of a candidate is the smaller of the distance between the full
 * dotted paths and one more than the distance between their last components
 * (so "migration.intensity" finds "border.intensity"). Ties go to the earlier
 * table entry. A candidate is offered only when the score is at most
 * 2 + len(last component)/4: for a name unlike every parameter, NULL. */
const es_param_def *es_param_nearest(const char *path)
{
    const es_param_def *best = NULL;
    int best_score = 0;
    const char *last = last_component(path);
    for (size_t i = 0; i < es_param_count; i++) {
        const es_param_def *d = &es_param_table[i];
        int full = edit_distance(path, d->path);
        int tail = edit_distance(last, last_component(d->path)) + 1;
        int score = full < tail ? full : tail;
        if (!best || score < best_score) {
            best = d;
            best_score = score;
        }
    }
    if (!best || best_score > 2 + (int)strlen(last) / 4) return NULL;
    return best;
}

void es_params_defaults(es_params *p)
{
    /* Zero first so padding and unused path points are 0: two es_params with
     * the same values then compare equal with memcmp. */
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < es_param_count; i++) {
        const es_param_def *d = &es_param_table[i];
        void *f = field(p, d);
        switch (d->type) {
        case ES_P_INT: *(int *)f = (int)d->def; break;
        case ES_P_INT64: *(int64_t *)f = (int64_t)d->def; break;
        case ES_P_REAL: *(double *)f = d->def; break;
        case ES_P_BOOL: *(int *)f = d->def != 0; break;
        case ES_P_CHOICE:
            ES_ASSERT(d->def_str && strlen(d->def_str) < ES_STR_MAX);
            memcpy(f, d->def_str, strlen(d->def_str) + 1);
            break;
        case ES_P_DATE:
            ES_ASSERT(d->def_str && es_date_parse(d->def_str, (int32_t *)f) == 0);
            break;
        case ES_P_VEC:
        case ES_P_SHARES:
            ES_ASSERT(d->count > 0 && d->count <= ES_VEC_MAX);
            for (int k = 0; k < d->count; k++)
                ((double *)f)[k] = d->def_vec ? d->def_vec[k] : d->def;
            break;
        case ES_P_PATH: {
            es_path *path = f;
            path->n = 1;
            path->v[0] = d->def;
            break; /* day[0] is set below, once the horizon start is known */
        }
        case ES_P_MOVES:
            ((es_moves *)f)->n = 0; /* no reassignments */
            break;
        }
    }
    for (size_t i = 0; i < es_param_count; i++)
        if (es_param_table[i].type == ES_P_PATH)
            ((es_path *)field(p, &es_param_table[i]))->day[0] = p->start_day;
}

const char *es_psource_name(es_psource s)
{
    switch (s) {
    case ES_SRC_FACT: return "fact";
    case ES_SRC_ASSUMPTION: return "assumption";
    case ES_SRC_CALIBRATED: return "calibrated";
    case ES_SRC_RUN: return "run";
    }
    return "unknown";
}

const char *es_ptype_name(es_ptype t)
{
    switch (t) {
    case ES_P_INT: return "int";
    case ES_P_INT64: return "int64";
    case ES_P_REAL: return "real";
    case ES_P_BOOL: return "bool";
    case ES_P_CHOICE: return "choice";
    case ES_P_DATE: return "date";
    case ES_P_VEC: return "vector";
    case ES_P_SHARES: return "shares";
    case ES_P_PATH: return "path";
    case ES_P_MOVES: return "reassignments";
    }
    return "unknown";
}

/* Shortest of %.15g / %.17g that reads back as v. */
static void fmt_num(char *buf, size_t n, double v)
{
    snprintf(buf, n, "%.15g", v);
    if (strtod(buf, NULL) != v) snprintf(buf, n, "%.17g", v);
}

/* Checks v against [min, max] and finiteness; fills err on failure. */
static int check_number(const es_param_def *d, const char *what, double v, char *err, size_t errlen)
{
    char a[32], lo[32], hi[32];
    if (!isfinite(v)) {
        snprintf(err, errlen, "setting '%s': %s is not a finite number", d->path, what);
        return -1;
    }
    if (v < d->min || v > d->max) {
        fmt_num(a, sizeof a, v);
        fmt_num(lo, sizeof lo, d->min);
        fmt_num(hi, sizeof hi, d->max);
        snprintf(err, errlen, "setting '%s': %s %s is out of range [%s, %s]", d->path, what, a, lo,
                 hi);
        return -1;
    }
    return 0;
}

static int check_one(const es_params *p, const es_param_def *d, char *err, size_t errlen)
{
    const void *f = cfield(p, d);
    char what[64], a[16], b[16], c[16];
    switch (d->type) {
    case ES_P_INT: return check_number(d, "value", *(const int *)f, err, errlen);
    case ES_P_INT64: return check_number(d, "value", (double)*(const int64_t *)f, err, errlen);
    case ES_P_REAL: return check_number(d, "value", *(const double *)f, err, errlen);
    case ES_P_BOOL:
        if (*(const int *)f == 0 || *(const int *)f == 1) return 0;
        snprintf(err, errlen, "setting '%s': a boolean must be 0 or 1", d->path);
        return -1;
    case ES_P_CHOICE: {
        const char *s = f;
        if (memchr(s, '\0', ES_STR_MAX))
            for (const char *const *ch = d->choices; ch && *ch; ch++)
                if (!strcmp(*ch, s)) return 0;
        snprintf(err, errlen, "setting '%s': not one of the allowed values", d->path);
        return -1;
    }
    case ES_P_DATE: return 0;
    case ES_P_VEC:
    case ES_P_SHARES: {
        const double *v = f;
        double sum = 0;
        for (int k = 0; k < d->count; k++) {
            snprintf(what, sizeof what, "element %d (%s)", k + 1, d->labels ? d->labels[k] : "-");
            if (check_number(d, what, v[k], err, errlen)) return -1;
            if (d->type == ES_P_SHARES && (v[k] < 0 || v[k] > 1)) {
                snprintf(err, errlen, "setting '%s': %s is not a share in [0, 1]", d->path, what);
                return -1;
            }
            sum += v[k];
        }
        if (d->type == ES_P_SHARES && fabs(sum - 1.0) > SHARES_TOL) {
            snprintf(err, errlen, "setting '%s': shares sum to %.10g, not 1", d->path, sum);
            return -1;
        }
        return 0;
    }
    case ES_P_MOVES: {
        const es_moves *mv = f;
        if (mv->n < 0 || mv->n > ES_MOVES_MAX) {
            snprintf(err, errlen, "setting '%s': at most %d reassignments", d->path, ES_MOVES_MAX);
            return -1;
        }
        for (int k = 0; k < mv->n; k++) {
            const es_move *m = &mv->m[k];
            if (m->from < 0 || m->from >= ES_N_PROGRAMS || m->to < 0 || m->to >= ES_N_PROGRAMS ||
                m->from == m->to) {
                snprintf(
                    err, errlen,
                    "setting '%s': reassignment %d must move agents between two different programs",
                    d->path, k + 1);
                return -1;
            }
            if (m->agents > p->agents[m->from] ||
                (m->agents < 0 && !(m->share > 0 && m->share <= 1))) {
                snprintf(err, errlen,
                         "setting '%s': reassignment %d moves more agents than %s has (%g)",
                         d->path, k + 1, es_program_names[m->from], p->agents[m->from]);
                return -1;
            }
            if (m->start < p->start_day || m->start > p->end_day ||
                (m->end >= 0 && m->end < m->start)) {
                es_date_format(m->start, a);
                snprintf(
                    err, errlen,
                    "setting '%s': reassignment %d starts %s, outside the horizon or after its end",
                    d->path, k + 1, a);
                return -1;
            }
        }
        return 0;
    }
    case ES_P_PATH: {
        const es_path *path = f;
        if (path->n < 1 || path->n > ES_PATH_MAX) {
            snprintf(err, errlen, "setting '%s': a path needs 1 to %d points, not %d", d->path,
                     ES_PATH_MAX, path->n);
            return -1;
        }
        for (int k = 0; k < path->n; k++) {
            es_date_format(path->day[k], a);
            snprintf(what, sizeof what, "value at %s", a);
            if (check_number(d, what, path->v[k], err, errlen)) return -1;
            if (k > 0 && path->day[k] <= path->day[k - 1]) {
                es_date_format(path->day[k - 1], b);
                snprintf(err, errlen, "setting '%s': dates must strictly increase (%s follows %s)",
                         d->path, a, b);
                return -1;
            }
            if (path->day[k] < p->start_day || path->day[k] > p->end_day) {
                es_date_format(p->start_day, b);
                es_date_format(p->end_day, c);
                snprintf(err, errlen, "setting '%s': date %s is outside the horizon %s to %s",
                         d->path, a, b, c);
                return -1;
            }
        }
        return 0;
    }
    }
    return 0;
}

int es_params_check(const es_params *p, char *err, size_t errlen, const char **bad_path)
{
    char a[16], b[16];
    const char *bad = NULL;
    if (!(p->start_day < p->warmup_end_day)) {
        bad = "horizon.warmup_end";
        es_date_format(p->warmup_end_day, a);
        es_date_format(p->start_day, b);
        snprintf(err, errlen, "setting 'horizon.warmup_end': %s must be after horizon.start %s", a,
                 b);
    } else if (!(p->warmup_end_day <= p->end_day)) {
        bad = "horizon.end";
        es_date_format(p->end_day, a);
        es_date_format(p->warmup_end_day, b);
        snprintf(err, errlen, "setting 'horizon.end': %s must not be before horizon.warmup_end %s",
                 a, b);
    } else {
        for (size_t i = 0; i < es_param_count && !bad; i++)
            if (check_one(p, &es_param_table[i], err, errlen)) bad = es_param_table[i].path;
    }
    if (bad_path) *bad_path = bad;
    return bad ? -1 : 0;
}

double es_path_at(const es_path *path, int32_t t)
{
    ES_ASSERT(path->n > 0 && path->n <= ES_PATH_MAX);
    /* The last point with day <= t; v[0] before the first point. */
    int lo = 0, hi = path->n - 1;
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        if (path->day[mid] <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    return path->v[lo];
}
