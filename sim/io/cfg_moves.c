/* cfg_moves.c: reassignment lists (ES_P_MOVES) from libconfig groups
 * (syntax in cfg.h). Names resolve with "did you mean" hints; the rules
 * of a reassignment are es_move_check's and es_params_check's. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "../core/date.h"
#include "../core/mem.h"
#include "../core/text.h"
#include "cfg_int.h"

/* "a, b, c" of a NULL-terminated list, cut to the buffer. */
static void list_names(const char *const *names, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int i = 0; names[i]; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, n - used, "%s%s", i ? ", " : "", names[i]);
    }
}

/* The fields of one reassignment group, in the order es_cfg_write gives them. */
static const char *const move_fields[] = {"from", "to", "agents", "share", "start", "end", NULL};

/* A program name of a reassignment, into *prog. */
static int move_program(const config_setting_t *e, const char *field, int *prog, const char *what,
                        char *msg, size_t n)
{
    const config_setting_t *s = config_setting_get_member(e, field);
    const char *near;
    char list[CFG_MSG_MAX / 2];
    if (!s) {
        snprintf(msg, n, "%s: '%s' is missing (a program name)", what, field);
        return -1;
    }
    if (config_setting_type(s) != CONFIG_TYPE_STRING) {
        snprintf(msg, n, "%s: '%s': expected a program name string, got %s", what, field,
                 cfg_type_name(config_setting_type(s)));
        return -1;
    }
    const char *v = config_setting_get_string(s);
    *prog = es_nearest_name(es_program_names, v, &near);
    if (*prog >= 0) return 0;
    if (near) {
        snprintf(msg, n, "%s: '%s': '%.64s' is not a program; did you mean '%s'?", what, field, v,
                 near);
    } else {
        list_names(es_program_names, list, sizeof list);
        snprintf(msg, n, "%s: '%s': '%.64s' is not a program (one of %s)", what, field, v, list);
    }
    return -1;
}

/* A date field of a reassignment; *day stays as it is when optional and absent. */
static int move_date(const config_setting_t *e, const char *field, int optional, int32_t *day,
                     const char *what, char *msg, size_t n)
{
    const config_setting_t *s = config_setting_get_member(e, field);
    if (!s) {
        if (optional) return 0;
        snprintf(msg, n, "%s: '%s' is missing (a date \"YYYY-MM-DD\")", what, field);
        return -1;
    }
    const char *v =
        config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;
    if (!v || es_date_parse(v, day)) {
        snprintf(msg, n, "%s: '%s': %s%.64s%s is not a date (\"YYYY-MM-DD\" or \"YYYY-MM\")", what,
                 field, v ? "'" : "", v ? v : cfg_type_name(config_setting_type(s)), v ? "'" : "");
        return -1;
    }
    return 0;
}

/* es_move_check on the fields read so far (the others still zero, which
 * passes it), so an error names the first field that breaks a rule, in
 * the order the fields are read. */
static int move_rules(const es_move *m, const char *what, char *msg, size_t n)
{
    char why[CFG_MSG_MAX / 2];
    if (!es_move_check(m, why, sizeof why)) return 0;
    snprintf(msg, n, "%s: %s", what, why);
    return -1;
}

/* ES_P_MOVES: a list of groups { from; to; agents | share; start; end? }.
 * Checks what one group alone decides (es_move_check); the horizon and the
 * size of the source pool are es_params_check's once every value is known. */
int cfg_apply_moves(const config_setting_t *s, es_moves *f, char *msg, size_t n)
{
    static const char want[] =
        "a list of reassignments ( { from = \"...\"; to = \"...\"; agents = N; "
        "start = \"YYYY-MM-DD\"; end = \"YYYY-MM-DD\"; }, ... )";
    es_moves *tmp = es_calloc(1, sizeof *tmp); /* zeroed: padding too, for memcmp round trips */
    int rc = -1, len;
    if (!tmp) {
        snprintf(msg, n, "out of memory");
        return -2; /* apply_value's callers report ES_ERR_NOMEM */
    }
    if (config_setting_type(s) != CONFIG_TYPE_LIST) {
        cfg_wrong_type(msg, n, want, s);
        goto out;
    }
    len = config_setting_length(s);
    if (len > ES_MOVES_MAX) {
        snprintf(msg, n, "%d reassignments; at most %d", len, ES_MOVES_MAX);
        goto out;
    }
    for (int k = 0; k < len; k++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)k);
        es_move *m = &tmp->m[k];
        char what[64];
        snprintf(what, sizeof what, "reassignment %d (line %u)", k + 1,
                 config_setting_source_line(e));
        if (config_setting_type(e) != CONFIG_TYPE_GROUP) {
            snprintf(msg, n, "%s: expected a group { from = ...; to = ...; ... }, got %s", what,
                     cfg_type_name(config_setting_type(e)));
            goto out;
        }
        for (int i = 0; i < config_setting_length(e); i++) {
            const char *field = config_setting_name(config_setting_get_elem(e, (unsigned)i)), *near;
            char list[128];
            if (es_nearest_name(move_fields, field, &near) >= 0) continue;
            list_names(move_fields, list, sizeof list);
            if (near)
                snprintf(msg, n, "%s: unknown field '%s'; did you mean '%s'?", what, field, near);
            else
                snprintf(msg, n, "%s: unknown field '%s' (fields: %s)", what, field, list);
            goto out;
        }
        if (move_program(e, "from", &m->from, what, msg, n) ||
            move_program(e, "to", &m->to, what, msg, n) || move_rules(m, what, msg, n))
            goto out;
        const config_setting_t *a = config_setting_get_member(e, "agents"),
                               *sh = config_setting_get_member(e, "share");
        if (!a == !sh) {
            snprintf(
                msg, n,
                "%s: give exactly one of 'agents' (a number of agents) and 'share' (of the pool)",
                what);
            goto out;
        }
        if (a) {
            long long v;
            if (config_setting_type(a) == CONFIG_TYPE_INT)
                v = config_setting_get_int(a);
            else if (config_setting_type(a) == CONFIG_TYPE_INT64)
                v = config_setting_get_int64(a);
            else {
                snprintf(msg, n, "%s: 'agents': expected a whole number of agents, got %s", what,
                         cfg_type_name(config_setting_type(a)));
                goto out;
            }
            if (v < 0 || v > INT_MAX) {
                snprintf(msg, n, "%s: 'agents': %lld is not a number of agents (0 or more)", what,
                         v);
                goto out;
            }
            m->agents = (int)v;
            m->share = 0;
        } else {
            double v;
            if (cfg_get_number(sh, &v)) {
                snprintf(msg, n, "%s: 'share': expected a number in (0, 1], got %s", what,
                         cfg_type_name(config_setting_type(sh)));
                goto out;
            }
            m->agents = -1; /* params.h: agents < 0 means "use share" */
            m->share = v;
        }
        if (move_rules(m, what, msg, n)) goto out;
        m->end = -1; /* params.h: end < 0 means "never returns" */
        if (move_date(e, "start", 0, &m->start, what, msg, n) ||
            move_date(e, "end", 1, &m->end, what, msg, n))
            goto out;
        if (move_rules(m, what, msg, n)) goto out;
    }
    tmp->n = len;
    memcpy(f, tmp, sizeof *tmp);
    rc = 0;
out:
    free(tmp);
    return rc;
}
