/* cfg_set.c: --set overrides, then the rules that need every value, with
 * the error placed where the failing value came from (cfg_int.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "../core/mem.h"
#include "cfg_int.h"

/* ---- --set ---- */

/* The trimmed path of "path=value" into buf; returns the value, or NULL. */
static const char *split_set(const char *set, char *buf, size_t n)
{
    const char *eq = strchr(set, '=');
    if (!eq) return NULL;
    const char *a = set, *b = eq;
    while (a < b && isspace((unsigned char)*a)) a++;
    while (b > a && isspace((unsigned char)b[-1])) b--;
    snprintf(buf, n, "%.*s", (int)(b - a), a);
    return eq + 1;
}

static es_status apply_set(cfg_load *L, const char *set)
{
    char path[CFG_NAME_MAX], msg[CFG_MSG_MAX];
    const char *value = split_set(set, path, sizeof path);
    es_status st = ES_OK;
    char *text = NULL;
    lit_scan *ls = NULL;
    config_t tmp;
    config_init(&tmp);
    if (!value) {
        st = cfg_fail(L, "--set %s: expected path=value, e.g. --set run.replications=50", set);
        goto out;
    }
    const es_param_def *d = es_param_find(path);
    if (!d) {
        const es_param_def *near = es_param_nearest(path);
        if (near)
            st = cfg_fail(L, "--set %s: setting '%s': unknown; did you mean '%s'?", set, path,
                          near->path);
        else
            st = cfg_fail(L, "--set %s: setting '%s': unknown (enforcesim params lists them all)",
                          set, path);
        goto out;
    }
    ls = es_calloc(1, sizeof *ls);
    if (!ls) {
        st = cfg_fail_nomem(L, set);
        goto out;
    }
    cfg_lit_init(ls, value, strlen(value));
    for (int t; (t = cfg_lit_next(ls)) != LT_END;) {
        if (t == LT_LONG_INT) {
            char advice[128];
            cfg_long_int_advice(ls->tok, advice, sizeof advice);
            st = cfg_fail(L, "--set %s: setting '%s': integer literal %s %s (write %sL)", set, path,
                          ls->tok, advice, ls->tok);
            goto out;
        }
        if (t == LT_OPEN_STRING || t == LT_OPEN_COMMENT) {
            st = cfg_fail(L, "--set %s: setting '%s': the value opens a %s that it never closes",
                          set, path, t == LT_OPEN_STRING ? "string '\"'" : "comment '/*'");
            goto out;
        }
        st = cfg_fail(L, "--set %s: setting '%s': '@' directives are not allowed in a value", set,
                      path);
        goto out;
    }
    /* "v = <value>\n;" so a trailing comment cannot swallow the ';'. */
    const char *v = value;
    while (isspace((unsigned char)*v)) v++;
    int quote = es_param_quoted(d) && *v != '"' && !strpbrk(v, "\"\\");
    size_t need = strlen(value) + 16;
    text = es_calloc(need, 1);
    if (!text) {
        st = cfg_fail_nomem(L, set);
        goto out;
    }
    if (quote) {
        size_t vlen = strlen(v);
        while (vlen > 0 && isspace((unsigned char)v[vlen - 1])) vlen--;
        snprintf(text, need, "v = \"%.*s\"\n;", (int)vlen, v);
    } else {
        snprintf(text, need, "v = %s\n;", value);
    }
    if (!config_read_string(&tmp, text)) {
        st = cfg_fail(L, "--set %s: setting '%s': cannot parse the value '%s' (%s)", set, path,
                      value, config_error_text(&tmp) ? config_error_text(&tmp) : "error");
        goto out;
    }
    const config_setting_t *root = config_root_setting(&tmp);
    const config_setting_t *s =
        config_setting_length(root) == 1 ? config_setting_get_elem(root, 0) : NULL;
    if (!s || !config_setting_name(s) || strcmp(config_setting_name(s), "v")) {
        st =
            cfg_fail(L, "--set %s: setting '%s': the value must be one value, not several settings",
                     set, path);
        goto out;
    }
    int rc = cfg_apply_value(d, s, L->p, &L->constant[d - es_param_table], msg, sizeof msg);
    if (rc)
        st = rc == -2 ? cfg_fail_nomem(L, set)
                      : cfg_fail(L, "--set %s: setting '%s': %s", set, path, msg);
out:
    config_destroy(&tmp);
    free(text);
    free(ls);
    return st;
}

/* Where a parameter that failed a cross-field rule got its value. */
static es_status check_error(cfg_load *L, const char *const *sets, int n_sets, const char *bad,
                             const char *msg)
{
    char path[CFG_NAME_MAX], where[CFG_FILE_MAX + 96];
    const char *sc = L->scenario_name;
    for (int i = n_sets - 1; bad && i >= 0; i--)
        if (split_set(sets[i], path, sizeof path) && !strcmp(path, bad))
            return cfg_fail(L, "--set %s: %s%s%s%s", sets[i], sc ? "scenario '" : "", sc ? sc : "",
                            sc ? "': " : "", msg);
    /* The value came from the scenario, else from the overrides group, else
     * from the top level. */
    const config_setting_t *s = NULL;
    if (bad && L->scenario) s = config_setting_lookup((config_setting_t *)L->scenario, bad);
    if (bad && !s) {
        const config_setting_t *ov =
            config_setting_get_member(config_root_setting(&L->cfg), CFG_OVERRIDES);
        if (ov && config_setting_is_group(ov))
            s = config_setting_lookup((config_setting_t *)ov, bad);
    }
    if (bad && !s) s = config_lookup(&L->cfg, bad);
    if (s) {
        cfg_where_of(L, s, where, sizeof where);
        return cfg_fail(L, "%s: %s", where, msg);
    }
    return cfg_fail(L, "%s: %s%s%s%s (the setting is not in the file: its default applies)",
                    L->file, sc ? "scenario '" : "", sc ? sc : "", sc ? "': " : "", msg);
}

/* The --set overrides, then the rules that need every value: constant
 * paths move to the horizon start, then es_params_check. */
es_status cfg_finish(cfg_load *L, const char *const *sets, int n_sets)
{
    char msg[CFG_MSG_MAX];
    const char *bad = NULL;
    es_status st;
    for (int i = 0; i < n_sets; i++)
        if ((st = apply_set(L, sets[i])) != ES_OK) return st;
    es_params_to_horizon(L->p, L->constant);
    if (es_params_check(L->p, msg, sizeof msg, &bad)) return check_error(L, sets, n_sets, bad, msg);
    return ES_OK;
}
