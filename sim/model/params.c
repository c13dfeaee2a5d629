/* params.c: the generic functions over the parameter registry (params.h).
 *
 * The table itself is es_param_table[] in params_table.c. Nothing here knows
 * a particular parameter except the horizon fields, which the cross-field
 * rules need. No libconfig: the model never includes it (docs/development.md, Source layout).
 *
 * Each parameter type is one row of ptype_rows[]: the size of its field,
 * its default, its own checks, its config text, its allowed-values text
 * and how it follows the horizon. A function that depends on the type
 * looks its row up; nothing else switches over es_ptype.
 *
 * Default paths: a PATH parameter defaults to a constant, stored as one
 * point at the horizon start (es_params_defaults uses the default start).
 * A loader that changes horizon.start must move such constant points to the
 * new start (es_params_to_horizon, as io/cfg_apply.c does), so that the
 * invariant checked by es_params_check holds: every path point lies inside
 * [start, end]. */
#include "params.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../core/check.h"
#include "../core/date.h"
#include "../core/text.h"

static void *field(es_params *p, const es_param_def *d)
{
    return (char *)p + d->offset;
}
static const void *cfield(const es_params *p, const es_param_def *d)
{
    return (const char *)p + d->offset;
}

/* ---- the rules every type shares ---- */

int es_param_check_number(const es_param_def *d, const char *what, double v, char *msg, size_t n)
{
    char a[ES_FMT_DOUBLE_MAX], lo[ES_FMT_DOUBLE_MAX], hi[ES_FMT_DOUBLE_MAX];
    es_fmt_double(a, sizeof a, v);
    if (!isfinite(v)) {
        snprintf(msg, n, "%s%s is not a finite number", what, a);
        return -1;
    }
    if (v < d->min || v > d->max || (d->type == ES_P_SHARES && (v < 0 || v > 1))) {
        es_fmt_double(lo, sizeof lo, d->min);
        es_fmt_double(hi, sizeof hi, d->max);
        snprintf(msg, n, "%s%s is out of range [%s, %s]", what, a, lo, hi);
        return -1;
    }
    return 0;
}

int es_param_check_int64(const es_param_def *d, int64_t v, char *msg, size_t n)
{
    /* Exactly, in integers: near 2^63 a double cannot tell v from v + 1000,
     * so 9200000000000000001 would pass a bound of 9.2e18. */
    const double two63 = 0x1p63; /* int64 holds [-2^63, 2^63): the casts below are exact */
    double lo = ceil(d->min), hi = floor(d->max);
    int below = lo > -two63 && lo < two63 && v < (int64_t)lo;
    int above = hi < two63 && (hi < -two63 || v > (int64_t)hi);
    if (!below && !above) return 0;
    char a[ES_FMT_DOUBLE_MAX], b[ES_FMT_DOUBLE_MAX];
    es_fmt_double(a, sizeof a, d->min);
    es_fmt_double(b, sizeof b, d->max);
    snprintf(msg, n, "%lld is out of range [%s, %s]", (long long)v, a, b);
    return -1;
}

int es_param_check_sum(const es_param_def *d, const double *v, char *msg, size_t n)
{
    double sum = 0;
    if (d->type != ES_P_SHARES) return 0;
    for (int k = 0; k < d->count; k++) sum += v[k];
    if (fabs(sum - 1.0) <= ES_SHARES_TOL) return 0;
    snprintf(msg, n, "shares sum to %.10g, not 1", sum);
    return -1;
}

int es_move_check(const es_move *m, char *msg, size_t n)
{
    char a[ES_FMT_DOUBLE_MAX], b[16];
    if (m->from < 0 || m->from >= ES_N_PROGRAMS || m->to < 0 || m->to >= ES_N_PROGRAMS) {
        snprintf(msg, n, "'from' and 'to' must name programs");
        return -1;
    }
    if (m->from == m->to) {
        snprintf(msg, n, "'from' and 'to' are both '%s'", es_program_names[m->from]);
        return -1;
    }
    if (m->agents < 0 && !(m->share > 0 && m->share <= 1)) { /* NaN fails too */
        es_fmt_double(a, sizeof a, m->share);
        snprintf(msg, n, "'share': %s is not in (0, 1]", a);
        return -1;
    }
    if (m->end >= 0 && m->end < m->start) {
        es_date_format(m->end, a);
        es_date_format(m->start, b);
        snprintf(msg, n, "'end' %s is before 'start' %s", a, b);
        return -1;
    }
    return 0;
}

/* "[lo, hi]" of d's bounds. */
static void bounds(const es_param_def *d, char *lo, char *hi)
{
    es_fmt_double(lo, ES_FMT_DOUBLE_MAX, d->min);
    es_fmt_double(hi, ES_FMT_DOUBLE_MAX, d->max);
}

/* Appends to buf (size n), cutting at its size. */
static void cat(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cat(char *buf, size_t n, const char *fmt, ...)
{
    size_t used = strlen(buf);
    va_list ap;
    if (used + 1 >= n) return;
    va_start(ap, fmt);
    vsnprintf(buf + used, n - used, fmt, ap);
    va_end(ap);
}

static void write_real(FILE *f, double v)
{
    char b[ES_FMT_DOUBLE_MAX];
    es_fmt_real(b, sizeof b, v);
    fputs(b, f);
}

/* ---- int, int64, real ---- */

static void def_int(const es_param_def *d, void *f)
{
    *(int *)f = (int)d->def;
}
static void def_int64(const es_param_def *d, void *f)
{
    *(int64_t *)f = (int64_t)d->def;
}
static void def_real(const es_param_def *d, void *f)
{
    *(double *)f = d->def;
}
static int check_int(const es_params *p, const es_param_def *d, const void *f, char *msg, size_t n)
{
    (void)p;
    return es_param_check_number(d, "", *(const int *)f, msg, n);
}
static int check_int64(const es_params *p, const es_param_def *d, const void *f, char *msg,
                       size_t n)
{
    (void)p;
    return es_param_check_int64(d, *(const int64_t *)f, msg, n);
}
static int check_real(const es_params *p, const es_param_def *d, const void *f, char *msg, size_t n)
{
    (void)p;
    return es_param_check_number(d, "", *(const double *)f, msg, n);
}
static void write_int(FILE *out, const es_param_def *d, const void *f, int depth)
{
    (void)d, (void)depth;
    int x = *(const int *)f;
    /* 10 digits need the L, or our own loader rejects the literal. */
    fprintf(out, "%d%s", x, x > -1000000000 && x < 1000000000 ? "" : "L");
}
static void write_int64(FILE *out, const es_param_def *d, const void *f, int depth)
{
    (void)d, (void)depth;
    fprintf(out, "%lldL", (long long)*(const int64_t *)f);
}
static void write_double(FILE *out, const es_param_def *d, const void *f, int depth)
{
    (void)d, (void)depth;
    write_real(out, *(const double *)f);
}
static void range_number(const es_param_def *d, es_ptext style, char *buf, size_t n)
{
    char lo[ES_FMT_DOUBLE_MAX], hi[ES_FMT_DOUBLE_MAX];
    bounds(d, lo, hi);
    snprintf(buf, n, "%s[%s, %s]", style == ES_TEXT_COMMENT ? "range " : "", lo, hi);
}
static void default_whole(const es_param_def *d, char *buf, size_t n)
{
    snprintf(buf, n, "%lld", (long long)d->def);
}
static void default_real(const es_param_def *d, char *buf, size_t n)
{
    es_fmt_double(buf, n, d->def);
}

/* ---- bool ---- */

static void def_bool(const es_param_def *d, void *f)
{
    *(int *)f = d->def != 0;
}
static int check_bool(const es_params *p, const es_param_def *d, const void *f, char *msg, size_t n)
{
    (void)p, (void)d;
    if (*(const int *)f == 0 || *(const int *)f == 1) return 0;
    snprintf(msg, n, "a boolean must be 0 or 1");
    return -1;
}
static void write_bool(FILE *out, const es_param_def *d, const void *f, int depth)
{
    (void)d, (void)depth;
    fputs(*(const int *)f ? "true" : "false", out);
}
static void range_bool(const es_param_def *d, es_ptext style, char *buf, size_t n)
{
    (void)d;
    snprintf(buf, n, "%s", style == ES_TEXT_COMMENT ? "true or false" : "true, false");
}
static void default_bool(const es_param_def *d, char *buf, size_t n)
{
    snprintf(buf, n, "%s", d->def != 0 ? "true" : "false");
}

/* ---- choice ---- */

static void def_choice(const es_param_def *d, void *f)
{
    ES_ASSERT(d->def_str && strlen(d->def_str) < ES_STR_MAX);
    memcpy(f, d->def_str, strlen(d->def_str) + 1);
}
static int check_choice(const es_params *p, const es_param_def *d, const void *f, char *msg,
                        size_t n)
{
    const char *s = f;
    (void)p;
    if (memchr(s, '\0', ES_STR_MAX))
        for (const char *const *ch = d->choices; ch && *ch; ch++)
            if (!strcmp(*ch, s)) return 0;
    snprintf(msg, n, "not one of the allowed values");
    return -1;
}
static void write_choice(FILE *out, const es_param_def *d, const void *f, int depth)
{
    (void)d, (void)depth;
    fputc('"', out);
    for (const char *c = f; *c && c < (const char *)f + ES_STR_MAX; c++) {
        if (*c == '"' || *c == '\\') fputc('\\', out);
        fputc(*c, out);
    }
    fputc('"', out);
}
static void range_choice(const es_param_def *d, es_ptext style, char *buf, size_t n)
{
    int comment = style == ES_TEXT_COMMENT;
    snprintf(buf, n, "%s", comment ? "one of" : "");
    for (const char *const *c = d->choices; c && *c; c++) {
        if (comment)
            cat(buf, n, "%s \"%s\"", c == d->choices ? "" : ",", *c);
        else
            cat(buf, n, "%s%s", c == d->choices ? "" : ", ", *c);
    }
}
static void default_text_str(const es_param_def *d, char *buf, size_t n)
{
    snprintf(buf, n, "%s", d->def_str ? d->def_str : "");
}

/* ---- date ---- */

static void def_date(const es_param_def *d, void *f)
{
    ES_ASSERT(d->def_str && es_date_parse(d->def_str, (int32_t *)f) == 0);
}
static int check_none(const es_params *p, const es_param_def *d, const void *f, char *msg, size_t n)
{
    (void)p, (void)d, (void)f, (void)msg, (void)n;
    return 0;
}
static void write_date(FILE *out, const es_param_def *d, const void *f, int depth)
{
    char day[16];
    (void)d, (void)depth;
    es_date_format(*(const int32_t *)f, day);
    fprintf(out, "\"%s\"", day);
}
static void range_date(const es_param_def *d, es_ptext style, char *buf, size_t n)
{
    (void)d;
    snprintf(buf, n, "%s",
             style == ES_TEXT_COMMENT ? "\"YYYY-MM-DD\" or \"YYYY-MM\"" : "YYYY-MM-DD or YYYY-MM");
}

/* ---- vector, shares ---- */

static void def_vec(const es_param_def *d, void *f)
{
    ES_ASSERT(d->count > 0 && d->count <= ES_VEC_MAX);
    for (int k = 0; k < d->count; k++) ((double *)f)[k] = d->def_vec ? d->def_vec[k] : d->def;
}
/* The element of a vector labelled `label`, or -1. */
static int label_index(const es_param_def *d, const char *label)
{
    for (int k = 0; d->labels && k < d->count && d->labels[k]; k++)
        if (!strcmp(d->labels[k], label)) return k;
    return -1;
}

/* A vector whose elements are labelled "min", "mean" and "max" (party
 * sizes) holds them in that order of size: min <= mean <= max. Another
 * order is no distribution (the draw would clamp every party to max). */
static int check_order(const es_param_def *d, const double *v, char *msg, size_t n)
{
    static const char *const order[] = {"min", "mean", "max"};
    int at[3], prev = -1;
    char a[ES_FMT_DOUBLE_MAX], b[ES_FMT_DOUBLE_MAX];
    for (int i = 0; i < 3; i++) at[i] = label_index(d, order[i]);
    if (at[0] < 0 || at[2] < 0) return 0;
    for (int i = 0; i < 3; i++) {
        if (at[i] < 0) continue;
        if (prev >= 0 && v[at[i]] < v[at[prev]]) {
            es_fmt_double(a, sizeof a, v[at[prev]]);
            es_fmt_double(b, sizeof b, v[at[i]]);
            snprintf(msg, n, "%s %s is above %s %s; write min <= mean <= max", order[prev], a,
                     order[i], b);
            return -1;
        }
        prev = i;
    }
    return 0;
}

static int check_vec(const es_params *p, const es_param_def *d, const void *f, char *msg, size_t n)
{
    const double *v = f;
    char what[64];
    (void)p;
    for (int k = 0; k < d->count; k++) {
        snprintf(what, sizeof what, "element %d (%s) = ", k + 1, d->labels ? d->labels[k] : "-");
        if (es_param_check_number(d, what, v[k], msg, n)) return -1;
    }
    if (check_order(d, v, msg, n)) return -1;
    return es_param_check_sum(d, v, msg, n);
}
static void write_vec(FILE *out, const es_param_def *d, const void *f, int depth)
{
    (void)depth;
    fputc('[', out);
    for (int k = 0; k < d->count; k++) {
        if (k) fputs(", ", out);
        write_real(out, ((const double *)f)[k]);
    }
    fputc(']', out);
}
static void range_vec(const es_param_def *d, es_ptext style, char *buf, size_t n)
{
    char lo[ES_FMT_DOUBLE_MAX], hi[ES_FMT_DOUBLE_MAX];
    int shares = d->type == ES_P_SHARES;
    bounds(d, lo, hi);
    if (style == ES_TEXT_COMMENT)
        snprintf(buf, n, "%d %s in [%s, %s]%s", d->count, shares ? "shares" : "numbers", lo, hi,
                 shares ? " summing to 1" : "");
    else
        snprintf(buf, n, "[%s, %s] each%s", lo, hi, shares ? ", sum 1" : "");
}
static void default_vec(const es_param_def *d, char *buf, size_t n)
{
    snprintf(buf, n, "[");
    for (int k = 0; k < d->count; k++) {
        char v[ES_FMT_DOUBLE_MAX];
        es_fmt_double(v, sizeof v, d->def_vec ? d->def_vec[k] : d->def);
        cat(buf, n, "%s%s", k ? ", " : "", v);
    }
    cat(buf, n, "]");
}

/* ---- path ---- */

static void def_path(const es_param_def *d, void *f)
{
    es_path *path = f;
    path->n = 1;
    path->v[0] = d->def; /* day[0]: es_params_to_horizon, once the start is known */
}
static int check_path(const es_params *p, const es_param_def *d, const void *f, char *msg, size_t n)
{
    const es_path *path = f;
    char what[64], a[16], b[16], c[16];
    if (path->n < 1 || path->n > ES_PATH_MAX) {
        snprintf(msg, n, "a path needs 1 to %d points, not %d", ES_PATH_MAX, path->n);
        return -1;
    }
    for (int k = 0; k < path->n; k++) {
        es_date_format(path->day[k], a);
        snprintf(what, sizeof what, "point %d (%s) value ", k + 1, a);
        if (es_param_check_number(d, what, path->v[k], msg, n)) return -1;
        if (k > 0 && path->day[k] <= path->day[k - 1]) {
            es_date_format(path->day[k - 1], b);
            snprintf(msg, n, "dates must strictly increase (%s follows %s)", a, b);
            return -1;
        }
        if (path->day[k] < p->start_day || path->day[k] > p->end_day) {
            es_date_format(p->start_day, b);
            es_date_format(p->end_day, c);
            snprintf(msg, n, "date %s is outside the horizon %s to %s", a, b, c);
            return -1;
        }
    }
    return 0;
}
/* A line break before an item of a multi-line list ( ... ), or before
 * its closing parenthesis (item < 0). */
static void list_break(FILE *out, int depth, int item)
{
    fprintf(out, "\n%*s", depth * 2 + (item >= 0 ? 2 : 0), "");
}

/* One point per line; a constant stays on one line: (("2014-10-01", 550.0)). */
static void write_path(FILE *out, const es_param_def *d, const void *f, int depth)
{
    const es_path *path = f;
    int lines = path->n > 1;
    char day[16];
    (void)d;
    fputc('(', out);
    for (int k = 0; k < path->n; k++) {
        es_date_format(path->day[k], day);
        if (lines) list_break(out, depth, k);
        fprintf(out, "(\"%s\", ", day);
        write_real(out, path->v[k]);
        fputs(k + 1 < path->n ? ")," : ")", out);
    }
    if (lines) list_break(out, depth, -1);
    fputc(')', out);
}
static void range_path(const es_param_def *d, es_ptext style, char *buf, size_t n)
{
    char lo[ES_FMT_DOUBLE_MAX], hi[ES_FMT_DOUBLE_MAX];
    bounds(d, lo, hi);
    if (style == ES_TEXT_COMMENT)
        snprintf(buf, n, "a number, or ((\"YYYY-MM-DD\", value), ...) with values in [%s, %s]", lo,
                 hi);
    else
        snprintf(buf, n, "[%s, %s]", lo, hi);
}
static void default_path(const es_param_def *d, char *buf, size_t n)
{
    es_fmt_double(buf, n, d->def);
    cat(buf, n, " (constant)");
}
/* A constant path is one point at the horizon start. */
static void path_to_horizon(void *f, int32_t start)
{
    ((es_path *)f)->day[0] = start;
}

/* ---- reassignments ---- */

static void def_moves(const es_param_def *d, void *f)
{
    (void)d;
    ((es_moves *)f)->n = 0; /* no reassignments */
}
static int check_moves(const es_params *p, const es_param_def *d, const void *f, char *msg,
                       size_t n)
{
    const es_moves *mv = f;
    char a[16], b[16], c[16], why[256];
    (void)d;
    if (mv->n < 0 || mv->n > ES_MOVES_MAX) {
        snprintf(msg, n, "at most %d reassignments", ES_MOVES_MAX);
        return -1;
    }
    for (int k = 0; k < mv->n; k++) {
        const es_move *m = &mv->m[k];
        if (es_move_check(m, why, sizeof why)) {
            snprintf(msg, n, "reassignment %d: %s", k + 1, why);
            return -1;
        }
        if (m->start < p->start_day || m->start > p->end_day) {
            es_date_format(m->start, a);
            es_date_format(p->start_day, b);
            es_date_format(p->end_day, c);
            snprintf(msg, n, "reassignment %d starts %s, outside the horizon %s to %s", k + 1, a, b,
                     c);
            return -1;
        }
    }
    return 0;
}

/* The registry path of the parameter stored at `offset` (for messages). */
static const char *path_of_field(size_t offset, const char *fallback)
{
    for (size_t i = 0; i < es_param_count; i++)
        if (es_param_table[i].offset == offset) return es_param_table[i].path;
    return fallback;
}

static int move_active(const es_move *m, int32_t day)
{
    return m->start <= day && (m->end < 0 || day <= m->end);
}

/* Every mechanism that moves HSI agents between programs: an es_moves
 * field of es_params, listed in the order the model applies them
 * (model/hsi.c, assigned_agents). check_pools checks them together, so a
 * new mechanism of this kind is one line here (a parameter of type
 * ES_P_MOVES that is missing here is a bug, asserted). */
static const size_t agent_movers[] = {
    offsetof(es_params, reassign),
};
enum { N_AGENT_MOVERS = sizeof agent_movers / sizeof agent_movers[0] };

/* The agents a move takes, as the model counts them: its count, or its
 * share of the source program's own agents (hsi.agents), rounded. */
static double move_size(const es_params *p, const es_move *m)
{
    return m->agents >= 0 ? m->agents : floor(m->share * p->agents[m->from] + 0.5);
}

/* On every day, every move finds the agents it takes in its source pool:
 * the pool's own agents, less what the moves applied before it that day
 * take out, plus what they bring in; the moves apply in the model's order
 * (agent_movers, then list order). The model would silently take fewer
 * (two share = 1.0 moves out of one program on the same days move 100% of
 * it, not 200%; a share of a pool already emptied moves nobody), so the
 * config is refused instead. What is moved only changes on a start or on
 * the day after an end, so checking those days covers every day. Reports
 * a failure only when the failing move belongs to d (each ES_P_MOVES
 * parameter runs this check; the one that holds the move names it). Runs
 * once every entry has passed its own rules. */
static int check_pools(const es_params *p, const es_param_def *d, const void *f, char *msg,
                       size_t n)
{
    char a[16], have[ES_FMT_DOUBLE_MAX], take[ES_FMT_DOUBLE_MAX], left[ES_FMT_DOUBLE_MAX];
    char gone[ES_FMT_DOUBLE_MAX], came[ES_FMT_DOUBLE_MAX];
    const es_moves *lists[N_AGENT_MOVERS];
    int mine = -1;
    (void)f;
    for (int i = 0; i < N_AGENT_MOVERS; i++) {
        lists[i] = (const es_moves *)((const char *)p + agent_movers[i]);
        if (agent_movers[i] == d->offset) mine = i;
    }
    ES_ASSERT(mine >= 0); /* an ES_P_MOVES parameter missing from agent_movers */
    for (int li = 0; li < N_AGENT_MOVERS; li++)
        for (int k = 0; k < 2 * lists[li]->n; k++) {
            const es_move *mk = &lists[li]->m[k / 2];
            if (k % 2 && mk->end < 0) continue;
            int32_t day = k % 2 ? mk->end + 1 : mk->start;
            double pool[ES_N_PROGRAMS], out[ES_N_PROGRAMS] = {0}, in[ES_N_PROGRAMS] = {0};
            for (int j = 0; j < ES_N_PROGRAMS; j++) pool[j] = p->agents[j];
            for (int lj = 0; lj < N_AGENT_MOVERS; lj++)
                for (int j = 0; j < lists[lj]->n; j++) {
                    const es_move *m = &lists[lj]->m[j];
                    if (!move_active(m, day)) continue;
                    double size = move_size(p, m);
                    if (size > pool[m->from]) {
                        if (lj != mine) return 0; /* the parameter holding it reports it */
                        es_date_format(day, a);
                        es_fmt_double(take, sizeof take, size);
                        es_fmt_double(left, sizeof left, pool[m->from]);
                        es_fmt_double(have, sizeof have, p->agents[m->from]);
                        es_fmt_double(gone, sizeof gone, out[m->from]);
                        es_fmt_double(came, sizeof came, in[m->from]);
                        /* "(450 in hsi.agents, less 450 moved out by the reassignments
                         * before it)": how the pool came to hold what it holds. */
                        char how[160];
                        int used = snprintf(how, sizeof how, "%s in %s", have,
                                            path_of_field(offsetof(es_params, agents), "agents"));
                        if (out[m->from] > 0 && used >= 0 && (size_t)used < sizeof how)
                            used += snprintf(how + used, sizeof how - (size_t)used,
                                             ", less %s moved out", gone);
                        if (in[m->from] > 0 && used >= 0 && (size_t)used < sizeof how)
                            used += snprintf(how + used, sizeof how - (size_t)used,
                                             ", plus %s moved in", came);
                        if ((out[m->from] > 0 || in[m->from] > 0) && used >= 0 &&
                            (size_t)used < sizeof how)
                            snprintf(how + used, sizeof how - (size_t)used,
                                     " by the reassignments before it");
                        snprintf(msg, n,
                                 "on %s reassignment %d moves %s agents out of '%s', which then "
                                 "has only %s (%s); %s",
                                 a, j + 1, take, es_program_names[m->from], left, how,
                                 m->agents < 0 ? "a share is of the program's own agents in "
                                                 "hsi.agents, whatever moved before"
                                               : "move fewer, or on other dates");
                        return -1;
                    }
                    pool[m->from] -= size;
                    pool[m->to] += size;
                    out[m->from] += size;
                    in[m->to] += size;
                }
        }
    return 0;
}
static void write_moves(FILE *out, const es_param_def *d, const void *f, int depth)
{
    const es_moves *mv = f;
    char day[16];
    (void)d;
    fputc('(', out);
    for (int k = 0; k < mv->n; k++) {
        const es_move *m = &mv->m[k];
        list_break(out, depth, k);
        fprintf(out, "{ from = \"%s\"; to = \"%s\"; ", es_program_names[m->from],
                es_program_names[m->to]);
        if (m->agents >= 0) {
            fprintf(out, "agents = %d; ", m->agents);
        } else {
            fputs("share = ", out);
            write_real(out, m->share);
            fputs("; ", out);
        }
        es_date_format(m->start, day);
        fprintf(out, "start = \"%s\"; ", day);
        if (m->end >= 0) {
            es_date_format(m->end, day);
            fprintf(out, "end = \"%s\"; ", day);
        }
        fputs(k + 1 < mv->n ? "}," : "}", out);
    }
    if (mv->n > 0) list_break(out, depth, -1);
    fputc(')', out);
}
static void range_moves(const es_param_def *d, es_ptext style, char *buf, size_t n)
{
    (void)d;
    if (style == ES_TEXT_COMMENT)
        snprintf(buf, n,
                 "( { from = \"program\"; to = \"program\"; agents = N (or share = 0..1); start = "
                 "\"YYYY-MM-DD\"; end = \"YYYY-MM-DD\" (optional: never returns) }, ... ); "
                 "programs:");
    else
        snprintf(buf, n, "at most %d; programs:", ES_MOVES_MAX);
    for (int k = 0; es_program_names[k]; k++)
        cat(buf, n, "%s%s", k ? ", " : " ", es_program_names[k]);
}
static void default_moves(const es_param_def *d, char *buf, size_t n)
{
    (void)d;
    snprintf(buf, n, "() (none)");
}

/* ---- the rows ---- */

typedef int (*check_fn)(const es_params *p, const es_param_def *d, const void *f, char *msg,
                        size_t n);

/* The rules of one parameter type. size: bytes of the field, or of one
 * element when `elements`; check: the value's own rules; joint: rules that
 * read other parameters' final values, run after every check (or NULL);
 * to_horizon: moves a value given as "from the start" to the horizon start
 * (or NULL: the type holds no such value). */
typedef struct {
    const char *name;
    size_t size;
    int elements; /* size is per element; the field holds d->count */
    int scalar, whole, quoted;
    void (*set_default)(const es_param_def *d, void *f);
    check_fn check, joint;
    void (*write)(FILE *out, const es_param_def *d, const void *f, int depth);
    void (*range_text)(const es_param_def *d, es_ptext style, char *buf, size_t n);
    void (*default_text)(const es_param_def *d, char *buf, size_t n);
    void (*to_horizon)(void *f, int32_t start);
    const char *syntax;
} ptype_row;

/* Vectors and shares differ only in rules that check d->type (a share is
 * in [0, 1], shares sum to 1). */
#define VECTOR_OF_NUMBERS                                                              \
    .size = sizeof(double), .elements = 1, .set_default = def_vec, .check = check_vec, \
    .write = write_vec, .range_text = range_vec, .default_text = default_vec
#define WHOLE_NUMBER \
    .scalar = 1, .whole = 1, .range_text = range_number, .default_text = default_whole

static const ptype_row ptype_rows[] = {
    [ES_P_INT] = {.name = "int",
                  .size = sizeof(int),
                  WHOLE_NUMBER,
                  .set_default = def_int,
                  .check = check_int,
                  .write = write_int},
    [ES_P_INT64] = {.name = "int64",
                    .size = sizeof(int64_t),
                    WHOLE_NUMBER,
                    .set_default = def_int64,
                    .check = check_int64,
                    .write = write_int64},
    [ES_P_REAL] = {.name = "real",
                   .size = sizeof(double),
                   .scalar = 1,
                   .set_default = def_real,
                   .check = check_real,
                   .write = write_double,
                   .range_text = range_number,
                   .default_text = default_real},
    [ES_P_BOOL] = {.name = "bool",
                   .size = sizeof(int),
                   .set_default = def_bool,
                   .check = check_bool,
                   .write = write_bool,
                   .range_text = range_bool,
                   .default_text = default_bool},
    [ES_P_CHOICE] = {.name = "choice",
                     .size = ES_STR_MAX,
                     .quoted = 1,
                     .set_default = def_choice,
                     .check = check_choice,
                     .write = write_choice,
                     .range_text = range_choice,
                     .default_text = default_text_str},
    [ES_P_DATE] = {.name = "date",
                   .size = sizeof(int32_t),
                   .quoted = 1,
                   .set_default = def_date,
                   .check = check_none,
                   .write = write_date,
                   .range_text = range_date,
                   .default_text = default_text_str},
    [ES_P_VEC] = {.name = "vector", VECTOR_OF_NUMBERS},
    [ES_P_SHARES] = {.name = "shares", VECTOR_OF_NUMBERS},
    [ES_P_PATH] = {.name = "path",
                   .size = sizeof(es_path),
                   .set_default = def_path,
                   .check = check_path,
                   .write = write_path,
                   .range_text = range_path,
                   .default_text = default_path,
                   .to_horizon = path_to_horizon,
                   .syntax = " (a number, or ((\"YYYY-MM-DD\", value), ...) steps)"},
    [ES_P_MOVES] = {.name = "reassignments",
                    .size = sizeof(es_moves),
                    .set_default = def_moves,
                    .check = check_moves,
                    .joint = check_pools,
                    .write = write_moves,
                    .range_text = range_moves,
                    .default_text = default_moves,
                    .syntax = " (( { from = \"migrant_smuggling\"; to = \"worksite_enforcement\"; "
                              "agents = 500; start = \"2017-10-01\"; end = \"2018-09-30\"; }, "
                              "... ); share = 0.2 of the source pool instead of agents; without "
                              "end the agents never return)"},
};
#undef VECTOR_OF_NUMBERS
#undef WHOLE_NUMBER

static const ptype_row *row_of(es_ptype t)
{
    ES_ASSERT((size_t)t < sizeof ptype_rows / sizeof ptype_rows[0] && ptype_rows[t].name);
    return &ptype_rows[t];
}

const char *es_ptype_name(es_ptype t)
{
    return (size_t)t < sizeof ptype_rows / sizeof ptype_rows[0] && ptype_rows[t].name
               ? ptype_rows[t].name
               : "unknown";
}

size_t es_param_size(const es_param_def *d)
{
    const ptype_row *r = row_of(d->type);
    return r->elements ? (size_t)d->count * r->size : r->size;
}

int es_param_elements(const es_param_def *d)
{
    return row_of(d->type)->elements ? d->count : 0;
}

int es_param_scalar(const es_param_def *d)
{
    return row_of(d->type)->scalar;
}

int es_param_whole(const es_param_def *d)
{
    return row_of(d->type)->whole;
}

int es_param_quoted(const es_param_def *d)
{
    return row_of(d->type)->quoted;
}

const char *es_param_syntax(const es_param_def *d)
{
    const char *s = row_of(d->type)->syntax;
    return s ? s : "";
}

void es_param_write(FILE *f, const es_param_def *d, const void *field_ptr, int depth)
{
    row_of(d->type)->write(f, d, field_ptr, depth);
}

void es_param_range_text(const es_param_def *d, es_ptext style, char *buf, size_t n)
{
    row_of(d->type)->range_text(d, style, buf, n);
}

void es_param_default_text(const es_param_def *d, char *buf, size_t n)
{
    row_of(d->type)->default_text(d, buf, n);
}

/* ---- the registry ---- */

const es_param_def *es_param_at(size_t offset)
{
    for (size_t i = 0; i < es_param_count; i++)
        if (es_param_table[i].offset == offset) return &es_param_table[i];
    return NULL;
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

/* The score of a candidate is the smaller of the distance between the full
 * dotted paths and one more than the distance between their last components
 * (so "migration.intensity" finds "border.intensity"). Ties go to the earlier
 * table entry. A candidate is offered only when the score is close enough
 * for the last component (es_typo_close): for a name unlike every
 * parameter, NULL. */
const es_param_def *es_param_nearest(const char *path)
{
    const es_param_def *best = NULL;
    int best_score = 0;
    const char *last = last_component(path);
    for (size_t i = 0; i < es_param_count; i++) {
        const es_param_def *d = &es_param_table[i];
        int full = es_edit_distance(path, d->path);
        int tail = es_edit_distance(last, last_component(d->path)) + 1;
        int score = full < tail ? full : tail;
        if (!best || score < best_score) {
            best = d;
            best_score = score;
        }
    }
    if (!best || !es_typo_close(best_score, last)) return NULL;
    return best;
}

void es_params_defaults(es_params *p)
{
    /* Zero first so padding and unused path points are 0: two es_params with
     * the same values then compare equal with memcmp. */
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < es_param_count; i++) {
        const es_param_def *d = &es_param_table[i];
        ES_ASSERT(es_param_size(d) > 0);
        row_of(d->type)->set_default(d, field(p, d));
    }
    es_params_to_horizon(p, NULL);
}

void es_params_to_horizon(es_params *p, const unsigned char *constant)
{
    for (size_t i = 0; i < es_param_count; i++) {
        const es_param_def *d = &es_param_table[i];
        const ptype_row *r = row_of(d->type);
        if (r->to_horizon && (!constant || constant[i])) r->to_horizon(field(p, d), p->start_day);
    }
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

int es_params_check(const es_params *p, char *err, size_t errlen, const char **bad_path)
{
    char a[16], b[16], msg[512];
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
        /* Each value's own rules first, then the joint ones, which may read
         * any other value and so need them all valid. */
        for (int pass = 0; pass < 2 && !bad; pass++)
            for (size_t i = 0; i < es_param_count && !bad; i++) {
                const es_param_def *d = &es_param_table[i];
                check_fn fn = pass ? row_of(d->type)->joint : row_of(d->type)->check;
                if (fn && fn(p, d, cfield(p, d), msg, sizeof msg)) {
                    bad = d->path;
                    snprintf(err, errlen, "setting '%s': %s", d->path, msg);
                }
            }
    }
    if (!bad) {
        double most = 0, room = 0;
        for (int i = 0; i < p->special_ops.n; i++)
            if (p->special_ops.v[i] > most) most = p->special_ops.v[i];
        int all = !strcmp(p->special_ops_from, "all");
        for (int k = 0; k < ES_N_PROGRAMS; k++)
            if (all ? es_program_detailable(k) : !strcmp(es_program_names[k], p->special_ops_from))
                room += p->agents[k];
        if (!strcmp(p->special_ops_from, es_program_names[ES_PROG_SMUGGLING])) {
            bad = "hsi.special_operations_from";
            snprintf(err, errlen,
                     "setting 'hsi.special_operations_from': special operations surge agents "
                     "into migrant_smuggling, so they cannot come from it; name another program "
                     "or \"all\"");
        } else if (most > room) {
            bad = "hsi.special_operations";
            snprintf(err, errlen,
                     "setting 'hsi.special_operations': %g agents surged out of '%s', which has "
                     "only %g in hsi.agents; surge fewer or set hsi.special_operations_from",
                     most, p->special_ops_from, room);
        }
    }
    if (!bad) {
        /* A budget below the mean hours of a case that reaches tier 2 would
         * silently close most such cases for "lack of progress". */
        double sum = 0;
        for (int t = 0; t < ES_N_TIERS; t++) sum += p->tier_hours[t];
        if (p->case_hour_budget < sum) {
            bad = "hsi.case.hour_budget";
            snprintf(err, errlen,
                     "setting 'hsi.case.hour_budget': %g is below the sum of "
                     "hsi.case.tier_hours (%g), so a case that reaches tier 2 would be closed "
                     "before its mean hours; raise the budget or lower the tier hours",
                     p->case_hour_budget, sum);
        }
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
