/* sweep.c: the config's `sweep` block into an es_sweep (contract in
 * sweep.h). libconfig owns the strings it returns: names and values are
 * copied before the config is destroyed. */
#include "sweep.h"
#include <libconfig.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../core/mem.h"
#include "../experiment/sensitivity.h"
#include "../core/text.h"
#include "cfg_int.h"

#define SW_MSG        512
#define SW_NAME_MAX   256
#define SW_AGENTS_MAX 1e5 /* hsi.agents' registry bound: no pool is larger */

static const char *const sweep_keys[] = {"design", "points", "levels", "parameters", NULL};
static const char *const param_keys[] = {"name",  "low",     "high",  "values",
                                         "scale", "integer", "apply", NULL};

/* "file:line" of a setting (the main file's name when libconfig has none). */
static void where(const config_setting_t *s, const char *file, char *buf, size_t n)
{
    const char *f = config_setting_source_file(s);
    snprintf(buf, n, "%s:%u", f ? f : file, config_setting_source_line(s));
}

static int known(const char *const *keys, const char *name)
{
    for (; *keys; keys++)
        if (!strcmp(*keys, name)) return 1;
    return 0;
}

static int run_wide(const char *path)
{
    return !strncmp(path, "run.", 4) || !strncmp(path, "horizon.", 8);
}

int es_sweep_resolve(const char *name, const es_params *base, es_sweep_target *t, double *lo,
                     double *hi, int *is_int, char *why, size_t n)
{
    const es_param_def *d = es_param_find(name);
    const char *dot = strrchr(name, '.');
    memset(t, 0, sizeof *t);
    if (run_wide(name)) {
        snprintf(why, n,
                 "'%s' is run-wide (run.* and horizon.* are the same at every point); sweep a "
                 "model parameter",
                 name);
        return -1;
    }
    if (d) {
        t->offset = d->offset;
        *lo = d->min;
        *hi = d->max;
        *is_int = es_param_whole(d);
        /* What a sweep can set is design.c's (es_sweep_apply): a scalar by
         * its C type, or a path as a constant. */
        if (es_param_scalar(d)) {
            t->kind = ES_SWEEP_SCALAR;
            t->is_int = d->type == ES_P_INT;
            t->is_int64 = d->type == ES_P_INT64;
            return 0;
        }
        if (d->type == ES_P_PATH) {
            t->kind = ES_SWEEP_PATH;
            return 0;
        }
        if (d->type == ES_P_VEC)
            snprintf(why, n, "'%s' is a vector; sweep one element, e.g. '%s.%s'", name, name,
                     d->labels ? d->labels[0] : "?");
        else if (d->type == ES_P_MOVES)
            snprintf(why, n,
                     "'%s' is a reassignment list; sweep an entry's agents, e.g. '%s[0].agents'",
                     name, name);
        else
            snprintf(why, n,
                     "'%s' is a %s; only numbers, time paths, vector elements and reassigned "
                     "agents can be swept",
                     name, es_ptype_name(d->type));
        return -1;
    }
    /* "<moves>[k].agents" */
    const char *br = strchr(name, '[');
    if (br) {
        char head[SW_NAME_MAX];
        char *end;
        size_t hl = (size_t)(br - name);
        if (hl >= sizeof head) goto unknown;
        memcpy(head, name, hl);
        head[hl] = '\0';
        d = es_param_find(head);
        long k = strtol(br + 1, &end, 10);
        if (!d || d->type != ES_P_MOVES || end == br + 1 || strcmp(end, "].agents") != 0)
            goto unknown;
        if (k < 0 || k >= ES_MOVES_MAX) {
            snprintf(why, n, "'%s': entry %ld does not exist (entries count from 0)", name, k);
            return -1;
        }
        t->kind = ES_SWEEP_AGENTS;
        t->offset = d->offset;
        t->index = (int)k;
        *lo = 0;
        *hi = SW_AGENTS_MAX;
        *is_int = 1;
        return es_sweep_check_targets(&(es_sweep){.d = 1, .targets = t}, base, why, n) ? -1 : 0;
    }
    /* "<vector>.<label>" */
    if (dot) {
        char head[SW_NAME_MAX];
        size_t hl = (size_t)(dot - name);
        if (hl >= sizeof head) goto unknown;
        memcpy(head, name, hl);
        head[hl] = '\0';
        d = es_param_find(head);
        if (d && d->type == ES_P_VEC && d->labels)
            for (int i = 0; i < d->count && d->labels[i]; i++)
                if (!strcmp(d->labels[i], dot + 1)) {
                    t->kind = ES_SWEEP_ELEMENT;
                    t->offset = d->offset;
                    t->index = i;
                    *lo = d->min;
                    *hi = d->max;
                    *is_int = 0;
                    return 0;
                }
        if (d && d->type == ES_P_VEC) {
            snprintf(why, n, "'%s': '%s' has no element '%s' (enforcesim params lists them)", name,
                     head, dot + 1);
            return -1;
        }
    }
unknown:
    d = es_param_nearest(name);
    if (!d && dot) {
        /* "<vector>.<label>" with a misspelt vector: guess from the head. */
        char head[SW_NAME_MAX];
        snprintf(head, sizeof head, "%.*s", (int)(dot - name), name);
        const es_param_def *h = es_param_nearest(head);
        if (h && h->type == ES_P_VEC) {
            snprintf(why, n, "unknown parameter '%s'; did you mean '%s%s'?", name, h->path, dot);
            return -1;
        }
    }
    if (d)
        snprintf(why, n, "unknown parameter '%s'; did you mean '%s'?", name, d->path);
    else
        snprintf(why, n, "unknown parameter '%s' (enforcesim params lists them)", name);
    return -1;
}

int es_sweep_check_targets(const es_sweep *sw, const es_params *p, char *err, size_t errlen)
{
    for (int j = 0; j < sw->d; j++) {
        const es_sweep_target *t = &sw->targets[j];
        if (t->kind != ES_SWEEP_AGENTS) continue;
        const es_moves *mv = (const es_moves *)((const char *)p + t->offset);
        if (t->index >= mv->n) {
            snprintf(err, errlen,
                     "reassignment entry %d does not exist: the list has %d entr%s (entries count "
                     "from 0)",
                     t->index, mv->n, mv->n == 1 ? "y" : "ies");
            return -1;
        }
    }
    return 0;
}

es_status es_sweep_read_param(const config_setting_t *g, const char *file, const es_params *base,
                              es_design_param *p, es_sweep_target *t, char *err, size_t errlen)
{
    char at[300], why[SW_MSG];
    const config_setting_t *s;
    double lo, hi;
    int is_int;
    where(g, file, at, sizeof at);
    if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
        snprintf(err, errlen,
                 "%s: sweep parameters: each entry is a group { name = \"...\"; low = ...; high = "
                 "...; }",
                 at);
        return ES_ERR_CONFIG;
    }
    for (int i = 0; i < config_setting_length(g); i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        if (!known(param_keys, config_setting_name(m))) {
            where(m, file, at, sizeof at);
            snprintf(
                err, errlen,
                "%s: sweep parameter setting '%s': unknown (give name, low, high, values, scale, "
                "integer, apply)",
                at, config_setting_name(m));
            return ES_ERR_CONFIG;
        }
    }
    s = config_setting_get_member(g, "name");
    if (!s || config_setting_type(s) != CONFIG_TYPE_STRING) {
        snprintf(err, errlen, "%s: sweep parameter: needs name = \"<parameter path>\"; (a string)",
                 at);
        return ES_ERR_CONFIG;
    }
    const char *name = config_setting_get_string(s);
    if (!(p->path = es_strdup(name))) goto nomem;
    if (es_sweep_resolve(name, base, t, &lo, &hi, &is_int, why, sizeof why)) {
        snprintf(err, errlen, "%s: sweep: %s", at, why);
        return ES_ERR_CONFIG;
    }
    p->integer = is_int;
    if ((s = config_setting_get_member(g, "apply"))) {
        const char *a =
            config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : "";
        if (strcmp(a, "set") && strcmp(a, "scale")) {
            snprintf(err, errlen, "%s: sweep parameter '%s': apply must be \"set\" or \"scale\"",
                     at, name);
            return ES_ERR_CONFIG;
        }
        if (!strcmp(a, "scale")) {
            if (t->kind == ES_SWEEP_AGENTS) {
                snprintf(err, errlen,
                         "%s: sweep parameter '%s': reassigned agents are set, not scaled", at,
                         name);
                return ES_ERR_CONFIG;
            }
            /* A factor on the parameter's value(s): every point is checked
             * against the registry's range once applied (es_cfg_check_sweep). */
            t->scale = 1;
            p->integer = is_int = 0;
            lo = 0;
            hi = HUGE_VAL;
        }
    }
    if ((s = config_setting_get_member(g, "integer"))) {
        if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
            snprintf(err, errlen, "%s: sweep parameter '%s': integer must be true or false", at,
                     name);
            return ES_ERR_CONFIG;
        }
        if (is_int && !config_setting_get_bool(s)) {
            snprintf(err, errlen,
                     "%s: sweep parameter '%s' holds whole numbers; it cannot be integer = false",
                     at, name);
            return ES_ERR_CONFIG;
        }
        p->integer = config_setting_get_bool(s);
    }
    if ((s = config_setting_get_member(g, "scale"))) {
        const char *sc =
            config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : "";
        if (strcmp(sc, "linear") && strcmp(sc, "log")) {
            snprintf(err, errlen, "%s: sweep parameter '%s': scale must be \"linear\" or \"log\"",
                     at, name);
            return ES_ERR_CONFIG;
        }
        p->log_scale = !strcmp(sc, "log");
        if (p->log_scale && p->integer) {
            snprintf(
                err, errlen,
                "%s: sweep parameter '%s': scale = \"log\" is for real parameters; give values = "
                "[...] for integer levels",
                at, name);
            return ES_ERR_CONFIG;
        }
    }
    const config_setting_t *vals = config_setting_get_member(g, "values");
    const config_setting_t *sl = config_setting_get_member(g, "low"),
                           *sh = config_setting_get_member(g, "high");
    if (vals && (sl || sh)) {
        snprintf(err, errlen,
                 "%s: sweep parameter '%s': give either values or low and high, not both", at,
                 name);
        return ES_ERR_CONFIG;
    }
    if (vals) {
        int n = config_setting_length(vals), ty = config_setting_type(vals);
        if ((ty != CONFIG_TYPE_ARRAY && ty != CONFIG_TYPE_LIST) || n < 1) {
            snprintf(
                err, errlen,
                "%s: sweep parameter '%s': values must be a non-empty list of numbers [a, b, ...]",
                at, name);
            return ES_ERR_CONFIG;
        }
        double *v = es_calloc((size_t)n, sizeof *v);
        if (!v) goto nomem;
        p->values = v;
        p->n_values = n;
        for (int i = 0; i < n; i++)
            if (cfg_get_number(config_setting_get_elem(vals, (unsigned)i), &v[i])) {
                snprintf(err, errlen, "%s: sweep parameter '%s': value %d is not a number", at,
                         name, i + 1);
                return ES_ERR_CONFIG;
            }
    } else {
        if (!sl || !sh || cfg_get_number(sl, &p->low) || cfg_get_number(sh, &p->high)) {
            snprintf(err, errlen,
                     "%s: sweep parameter '%s': give low and high (numbers), or values = [...]", at,
                     name);
            return ES_ERR_CONFIG;
        }
        if (!(p->low <= p->high)) {
            snprintf(err, errlen, "%s: sweep parameter '%s': the range is empty (low %g > high %g)",
                     at, name, p->low, p->high);
            return ES_ERR_CONFIG;
        }
        if (p->log_scale && !(p->low > 0)) {
            snprintf(err, errlen, "%s: sweep parameter '%s': scale = \"log\" needs low > 0, not %g",
                     at, name, p->low);
            return ES_ERR_CONFIG;
        }
    }
    /* Every value a point can take must be one the registry allows. */
    double ends[2] = {p->low, p->high};
    const double *chk = p->n_values ? p->values : ends;
    for (int i = 0; i < (p->n_values ? p->n_values : 2); i++) {
        if (!isfinite(chk[i]) || chk[i] < lo || chk[i] > hi) {
            snprintf(err, errlen,
                     "%s: sweep parameter '%s': %g is outside its allowed range [%g, %g]", at, name,
                     chk[i], lo, hi);
            return ES_ERR_CONFIG;
        }
        if (p->integer && chk[i] != floor(chk[i])) {
            snprintf(err, errlen, "%s: sweep parameter '%s' is integer: %g is not a whole number",
                     at, name, chk[i]);
            return ES_ERR_CONFIG;
        }
    }
    return ES_OK;
nomem:
    snprintf(err, errlen, "%s: out of memory reading the sweep", file);
    return ES_ERR_NOMEM;
}

es_status es_sweep_read(const config_setting_t *s, const char *file, const es_params *base,
                        uint64_t seed, es_sweep **out, char *err, size_t errlen)
{
    char at[300];
    es_status st = ES_ERR_CONFIG;
    es_sweep *sw = es_calloc(1, sizeof *sw);
    const config_setting_t *m;
    if (!sw) {
        snprintf(err, errlen, "%s: out of memory reading the sweep", file);
        return ES_ERR_NOMEM;
    }
    where(s, file, at, sizeof at);
    if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
        snprintf(err, errlen,
                 "%s: setting 'sweep': expected a group { design = ...; points = ...; parameters = "
                 "( ... ); }",
                 at);
        goto out;
    }
    for (int i = 0; i < config_setting_length(s); i++) {
        m = config_setting_get_elem(s, (unsigned)i);
        if (!known(sweep_keys, config_setting_name(m))) {
            where(m, file, at, sizeof at);
            snprintf(err, errlen,
                     "%s: setting 'sweep.%s': unknown (a sweep has design, points, levels and "
                     "parameters)",
                     at, config_setting_name(m));
            goto out;
        }
    }
    sw->kind = ES_DESIGN_GRID;
    if ((m = config_setting_get_member(s, "design"))) {
        where(m, file, at, sizeof at);
        if (config_setting_type(m) != CONFIG_TYPE_STRING ||
            es_design_kind_parse(config_setting_get_string(m), &sw->kind)) {
            snprintf(err, errlen,
                     "%s: setting 'sweep.design': give \"grid\", \"lhs\", \"sobol\", \"halton\", "
                     "\"saltelli\", \"morris\" or \"points\"",
                     at);
            goto out;
        }
    }
    if ((m = config_setting_get_member(s, "points"))) {
        where(m, file, at, sizeof at);
        if (config_setting_type(m) != CONFIG_TYPE_INT || config_setting_get_int(m) < 1 ||
            config_setting_get_int(m) > ES_DESIGN_MAX_POINTS) {
            snprintf(err, errlen, "%s: setting 'sweep.points': give a whole number from 1 to %d",
                     at, ES_DESIGN_MAX_POINTS);
            goto out;
        }
        sw->points = config_setting_get_int(m);
    } else if (sw->kind != ES_DESIGN_GRID && sw->kind != ES_DESIGN_POINTS) {
        where(s, file, at, sizeof at);
        snprintf(err, errlen, "%s: sweep: design \"%s\" needs points = <number of points>", at,
                 es_design_kind_name(sw->kind));
        goto out;
    }
    if ((m = config_setting_get_member(s, "levels"))) {
        where(m, file, at, sizeof at);
        if (sw->kind != ES_DESIGN_MORRIS) {
            snprintf(err, errlen, "%s: setting 'sweep.levels': only design \"morris\" has levels",
                     at);
            goto out;
        }
        if (config_setting_type(m) != CONFIG_TYPE_INT || config_setting_get_int(m) < 2 ||
            config_setting_get_int(m) % 2 || config_setting_get_int(m) > ES_MORRIS_MAX_LEVELS) {
            snprintf(err, errlen,
                     "%s: setting 'sweep.levels': give an even whole number from 2 to %d", at,
                     ES_MORRIS_MAX_LEVELS);
            goto out;
        }
        sw->levels = config_setting_get_int(m);
    } else if (sw->kind == ES_DESIGN_MORRIS)
        sw->levels = ES_MORRIS_LEVELS;
    m = config_setting_get_member(s, "parameters");
    where(m ? m : s, file, at, sizeof at);
    if (!m || config_setting_type(m) != CONFIG_TYPE_LIST || config_setting_length(m) < 1 ||
        config_setting_length(m) > ES_SWEEP_MAX_PARAMS) {
        snprintf(err, errlen,
                 "%s: sweep: needs parameters = ( { name = \"...\"; low = ...; high = ...; }, ... "
                 ") with 1 "
                 "to %d entries",
                 at, ES_SWEEP_MAX_PARAMS);
        goto out;
    }
    sw->d = config_setting_length(m);
    if (!(sw->params = es_calloc((size_t)sw->d, sizeof *sw->params)) ||
        !(sw->targets = es_calloc((size_t)sw->d, sizeof *sw->targets))) {
        snprintf(err, errlen, "%s: out of memory reading the sweep", file);
        st = ES_ERR_NOMEM;
        goto out;
    }
    for (int j = 0; j < sw->d; j++) {
        const config_setting_t *g = config_setting_get_elem(m, (unsigned)j);
        if ((st = es_sweep_read_param(g, file, base, &sw->params[j], &sw->targets[j], err,
                                      errlen)) != ES_OK)
            goto out;
        for (int i = 0; i < j; i++)
            if (!strcmp(sw->params[i].path, sw->params[j].path)) {
                where(g, file, at, sizeof at);
                snprintf(err, errlen, "%s: sweep: parameter '%s' is listed twice", at,
                         sw->params[j].path);
                st = ES_ERR_CONFIG;
                goto out;
            }
    }
    where(s, file, at, sizeof at);
    char why[SW_MSG];
    if ((st = es_design_build_levels(sw->kind, sw->params, sw->d, sw->points, sw->levels, seed,
                                     &sw->x, &sw->n_points, why, sizeof why)) != ES_OK) {
        snprintf(err, errlen, "%s: %s", at, why);
        goto out;
    }
    *out = sw;
    sw = NULL;
    st = ES_OK;
out:
    es_sweep_free(sw);
    return st;
}

/* Always a float literal, so libconfig reads a float (low and high accept
 * either anyway). */
static void put_num(FILE *f, double v)
{
    char b[ES_FMT_DOUBLE_MAX];
    es_fmt_real(b, sizeof b, v);
    fputs(b, f);
}

void es_sweep_write(const es_sweep *sw, FILE *f)
{
    fprintf(f,
            "\n# Sweep: %d design points; each scenario runs at every point.\n%s = {\n  design = "
            "\"%s\";\n",
            sw->n_points, ES_SWEEP_SETTING, es_design_kind_name(sw->kind));
    if (sw->points > 0) fprintf(f, "  points = %d;\n", sw->points);
    if (sw->levels > 0) fprintf(f, "  levels = %d;\n", sw->levels);
    fputs("  parameters = (", f);
    for (int j = 0; j < sw->d; j++) {
        const es_design_param *p = &sw->params[j];
        fprintf(f, "%s\n    { name = \"%s\"; ", j ? "," : "", p->path);
        if (p->n_values > 0) {
            fputs("values = [", f);
            for (int i = 0; i < p->n_values; i++) {
                if (i) fputs(", ", f);
                put_num(f, p->values[i]);
            }
            fputs("]; ", f);
        } else {
            fputs("low = ", f);
            put_num(f, p->low);
            fputs("; high = ", f);
            put_num(f, p->high);
            fputs("; ", f);
            if (p->log_scale) fputs("scale = \"log\"; ", f);
        }
        if (sw->targets[j].scale) fputs("apply = \"scale\"; ", f);
        fprintf(f, "integer = %s; }", p->integer ? "true" : "false");
    }
    fputs("\n  );\n};\n", f);
}
