/* cfg_scenarios.c: the `scenarios` and `comparisons` lists, and the check
 * of every (scenario, sweep point) (contract in cfg.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "../core/mem.h"
#include "cfg_int.h"
#include "h5out.h" /* ES_H5_VS: how a comparison names its group */
#include "sweep.h"

/* A scenario name: safe as an HDF5 group name, a file-name part and a
 * command-line argument. Returns NULL when fine, else why not. */
static const char *bad_scenario_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0) return "is empty";
    if (n >= ES_SCENARIO_NAME_MAX) return "is too long (at most 63 characters)";
    if (s[0] == '.') return "starts with '.'";
    for (const char *c = s; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-' && *c != '.')
            return "may hold only letters, digits, '_', '-' and '.'";
    return NULL;
}

/* The scenario of a config without a `scenarios` list: named after the
 * file, without its folder and ".cfg" (cut to the name's room). The name
 * obeys the rules of a listed one: `a b.cfg`, `.hidden.cfg` and `..cfg`
 * (whose name would be ".", which no HDF5 group can have) are refused
 * here, before any unit runs, not by the writer after them all. */
es_status cfg_stem_name(cfg_load *L, const char *file, char *name)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    size_t n = strlen(base);
    if (n > 4 && !strcmp(base + n - 4, ".cfg")) n -= 4;
    if (n >= ES_SCENARIO_NAME_MAX) n = ES_SCENARIO_NAME_MAX - 1;
    memcpy(name, base, n);
    name[n] = '\0';
    const char *why = bad_scenario_name(name);
    if (why)
        return cfg_fail(L,
                        "%s: the run's one scenario is named after the file, '%.80s', and that "
                        "name %s (it names HDF5 groups); rename the file, or list the scenario: "
                        "scenarios = ( { name = \"...\"; } );",
                        file, name, why);
    return ES_OK;
}

/* Every scenario of the `scenarios` list, each from `pre` (the parameters
 * before --set) and its constant-path flags. */
es_status cfg_read_scenarios(cfg_load *L, const config_setting_t *list, const es_params *pre,
                             const unsigned char *pre_constant, const char *const *sets, int n_sets,
                             es_run_spec *spec)
{
    char where[CFG_FILE_MAX + 16];
    es_status st = ES_OK;
    int len = config_setting_length(list);
    cfg_setting_where(L, list, where, sizeof where);
    if (config_setting_type(list) != CONFIG_TYPE_LIST)
        return cfg_fail(
            L,
            "%s: setting '%s': expected a list of scenarios ( { name = \"...\"; ... }, ... "
            "), got %s",
            where, CFG_SCENARIOS, cfg_type_name(config_setting_type(list)));
    if (len < 1 || len > ES_SCENARIOS_MAX)
        return cfg_fail(L, "%s: setting '%s': a run has 1 to %d scenarios, not %d", where,
                        CFG_SCENARIOS, ES_SCENARIOS_MAX, len);
    if (!(spec->scenarios = es_calloc((size_t)len, sizeof *spec->scenarios)))
        return cfg_fail_nomem(L, L->file);
    spec->n_scenarios = len;
    for (int k = 0; k < len; k++) {
        const config_setting_t *g = config_setting_get_elem(list, (unsigned)k);
        es_scenario_spec *sc = &spec->scenarios[k];
        cfg_setting_where(L, g, where, sizeof where);
        if (config_setting_type(g) != CONFIG_TYPE_GROUP)
            return cfg_fail(
                L, "%s: scenario %d: expected a group { name = \"...\"; <settings> }, got %s",
                where, k + 1, cfg_type_name(config_setting_type(g)));
        const config_setting_t *nm = config_setting_get_member(g, CFG_SCENARIO_NAME);
        if (!nm || config_setting_type(nm) != CONFIG_TYPE_STRING)
            return cfg_fail(L, "%s: scenario %d: needs %s = \"...\"; (a string)", where, k + 1,
                            CFG_SCENARIO_NAME);
        const char *name = config_setting_get_string(nm), *why = bad_scenario_name(name);
        cfg_setting_where(L, nm, where, sizeof where);
        if (why) return cfg_fail(L, "%s: scenario name '%.80s' %s", where, name, why);
        for (int j = 0; j < k; j++)
            if (!strcmp(spec->scenarios[j].name, name))
                return cfg_fail(L, "%s: scenario name '%s' is used twice (scenario %d and %d)",
                                where, name, j + 1, k + 1);
        snprintf(sc->name, sizeof sc->name, "%s", name);
        memcpy(&sc->p, pre, sizeof *pre);
        memcpy(L->constant, pre_constant, es_param_count);
        L->p = &sc->p;
        L->scenario = g;
        L->scenario_name = sc->name;
        if ((st = cfg_walk(L, g, "")) != ES_OK || (st = cfg_finish(L, sets, n_sets)) != ES_OK)
            return st;
    }
    L->scenario = NULL;
    L->scenario_name = NULL;
    return ES_OK;
}

/* Whether comparisons (b0, a0) and (b1, a1) have one group name,
 * b0 ES_H5_VS a0 == b1 ES_H5_VS a1. */
static int same_group(const char *b0, const char *a0, const char *b1, const char *a1)
{
    char g0[2 * ES_SCENARIO_NAME_MAX + sizeof ES_H5_VS], g1[sizeof g0];
    snprintf(g0, sizeof g0, "%s%s%s", b0, ES_H5_VS, a0);
    snprintf(g1, sizeof g1, "%s%s%s", b1, ES_H5_VS, a1);
    return !strcmp(g0, g1);
}

/* The `comparisons` list: pairs ("base", "alternative") of listed scenarios. */
es_status cfg_read_comparisons(cfg_load *L, const config_setting_t *list, es_run_spec *spec)
{
    char where[CFG_FILE_MAX + 16], names[CFG_MSG_MAX / 2] = "";
    int t = config_setting_type(list), len = config_setting_length(list);
    cfg_setting_where(L, list, where, sizeof where);
    if (t != CONFIG_TYPE_LIST && t != CONFIG_TYPE_ARRAY)
        return cfg_fail(
            L,
            "%s: setting '%s': expected a list of pairs ( (\"base\", \"alternative\"), ... "
            "), got %s",
            where, CFG_COMPARISONS, cfg_type_name(t));
    for (int i = 0; i < spec->n_scenarios; i++) {
        size_t used = strlen(names);
        snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "", spec->scenarios[i].name);
    }
    if (len > 0 && !(spec->comparisons = es_calloc((size_t)len, sizeof *spec->comparisons)))
        return cfg_fail_nomem(L, L->file);
    for (int k = 0; k < len; k++) {
        const config_setting_t *e = config_setting_get_elem(list, (unsigned)k);
        int idx[2], te = config_setting_type(e);
        cfg_setting_where(L, e, where, sizeof where);
        if ((te != CONFIG_TYPE_LIST && te != CONFIG_TYPE_ARRAY) || config_setting_length(e) != 2)
            return cfg_fail(L, "%s: comparison %d: expected a pair (\"base\", \"alternative\")",
                            where, k + 1);
        for (int j = 0; j < 2; j++) {
            const config_setting_t *x = config_setting_get_elem(e, (unsigned)j);
            if (config_setting_type(x) != CONFIG_TYPE_STRING)
                return cfg_fail(
                    L, "%s: comparison %d: expected a pair of scenario names (strings), got %s",
                    where, k + 1, cfg_type_name(config_setting_type(x)));
            const char *name = config_setting_get_string(x);
            if ((idx[j] = es_run_spec_find(spec, name)) < 0)
                return cfg_fail(
                    L, "%s: comparison %d: '%.80s' is not a scenario of this config (%s%s)", where,
                    k + 1, name,
                    spec->listed ? "scenarios: " : "no scenarios list; the run's one scenario is ",
                    names);
        }
        if (idx[0] == idx[1])
            return cfg_fail(L, "%s: comparison %d: compares scenario '%s' with itself", where,
                            k + 1, spec->scenarios[idx[0]].name);
        for (int j = 0; j < k; j++) {
            const es_pair_spec *o = &spec->comparisons[j];
            const char *b0 = spec->scenarios[idx[0]].name, *a0 = spec->scenarios[idx[1]].name;
            const char *b1 = spec->scenarios[o->base].name, *a1 = spec->scenarios[o->alt].name;
            if (o->base == idx[0] && o->alt == idx[1])
                return cfg_fail(L, "%s: comparison %d: (\"%s\", \"%s\") is listed twice", where,
                                k + 1, b0, a0);
            /* Each is stored as the HDF5 group <base>__vs__<alt>:
             * ("a", "vs__b") and ("a__vs", "b") would be the same group. */
            if (same_group(b0, a0, b1, a1))
                return cfg_fail(L,
                                "%s: comparison %d (\"%s\", \"%s\") and comparison %d (\"%s\", "
                                "\"%s\") would both be stored as the group '%s%s%s'; rename a "
                                "scenario (avoid '%s' in names)",
                                where, k + 1, b0, a0, j + 1, b1, a1, b0, ES_H5_VS, a0, ES_H5_VS);
        }
        spec->comparisons[k].base = idx[0];
        spec->comparisons[k].alt = idx[1];
        spec->n_comparisons = k + 1;
    }
    return ES_OK;
}

es_status es_cfg_check_sweep(const es_run_spec *spec, const char *file, char *err, size_t errlen)
{
    const es_sweep *sw = spec->sweep;
    es_status st = ES_OK;
    char msg[CFG_MSG_MAX];
    const char *bad = NULL;
    if (!sw) return ES_OK;
    es_params *p = es_calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "%s: out of memory checking the sweep", file);
        return ES_ERR_NOMEM;
    }
    for (int s = 0; s < spec->n_scenarios && st == ES_OK; s++) {
        const es_scenario_spec *sc = &spec->scenarios[s];
        if (es_sweep_check_targets(sw, &sc->p, msg, sizeof msg)) {
            snprintf(err, errlen, "%s: sweep: scenario '%s': %s", file, sc->name, msg);
            st = ES_ERR_CONFIG;
            break;
        }
        /* Every point sets the same fields, so one copy per scenario will
         * do: a grid of a million points validates in seconds. A scaled
         * column multiplies what it finds, so then each point starts from
         * the scenario again. */
        int scaled = 0;
        for (int j = 0; j < sw->d; j++) scaled |= sw->targets[j].scale;
        memcpy(p, &sc->p, sizeof *p);
        for (int k = 0; k < sw->n_points; k++) {
            if (scaled && k > 0) memcpy(p, &sc->p, sizeof *p);
            es_sweep_apply(sw, k, p);
            if (es_params_check(p, msg, sizeof msg, &bad)) {
                /* Name the point by its values: that is what the user can change. */
                char pt[CFG_MSG_MAX / 2] = "";
                size_t used = 0;
                for (int j = 0; j < sw->d && used < sizeof pt; j++)
                    used += (size_t)snprintf(pt + used, sizeof pt - used, "%s%s = %.10g",
                                             j ? ", " : "", sw->params[j].path,
                                             sw->x[(size_t)k * (size_t)sw->d + (size_t)j]);
                snprintf(err, errlen,
                         "%s: sweep point %d (%s), scenario '%s': %s; narrow the sweep's range",
                         file, k, pt, sc->name, msg);
                st = ES_ERR_CONFIG;
                break;
            }
        }
    }
    free(p);
    return st;
}
