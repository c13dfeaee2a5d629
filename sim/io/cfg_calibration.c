/* cfg_calibration.c: the config's `calibration` block into an
 * es_calibration (experiment/calibrate.h), read by `enforcesim calibrate`
 * (docs/calibration.md). `run` and `validate` check it and leave it out of
 * the effective config: a calibration describes how parameters were
 * fitted, not what a run computes.
 *
 *   calibration = {
 *     parameters = (
 *       { name = "hsi.proactive.hours_per_lead"; low = 900.0; high = 2500.0; scale = "log"; },
 *       { name = "hsi.special_operations"; low = 0.5; high = 1.5; apply = "scale"; }
 *     );
 *     waves = 5; points = 40; replications = 2;
 *     threshold = 3.0; discrepancy = 0.05; margin = 0.1; stop_share = 0.8;
 *   };
 *
 * Parameters are written as a sweep's (io/sweep.h: low and high, scale,
 * apply), and must be ones the registry marks `assumption` or
 * `calibrated`: a fact is data, not a knob. */
#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../core/mem.h"
#include "../experiment/calibrate.h"
#include "cfg_int.h"
#include "sweep.h"

/* An option: 1 set, 0 absent, -1 wrong (message given). */
static int option(cfg_load *L, const config_setting_t *s, const char *key, double lo, double hi,
                  int whole, double *v)
{
    const config_setting_t *m = config_setting_get_member(s, key);
    char at[CFG_FILE_MAX + 16];
    if (!m) return 0;
    cfg_setting_where(L, m, at, sizeof at);
    if (cfg_get_number(m, v) || !isfinite(*v) || *v < lo || *v > hi || (whole && *v != floor(*v))) {
        cfg_fail(L, "%s: calibration.%s: give %s from %g to %g", at, key,
                 whole ? "a whole number" : "a number", lo, hi);
        return -1;
    }
    return 1;
}

es_status cfg_read_calibration(cfg_load *L, const config_setting_t *s, es_run_spec *spec)
{
    static const char *const keys[] = {"parameters",   "waves",      "points",
                                       "replications", "threshold",  "discrepancy",
                                       "margin",       "stop_share", NULL};
    char at[CFG_FILE_MAX + 16];
    cfg_setting_where(L, s, at, sizeof at);
    if (!config_setting_is_group(s))
        return cfg_fail(L, "%s: calibration must be a group { parameters = ( ... ); }", at);
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
        int ok = 0;
        for (const char *const *k = keys; *k; k++) ok |= !strcmp(*k, config_setting_name(m));
        if (!ok) {
            cfg_setting_where(L, m, at, sizeof at);
            return cfg_fail(L,
                            "%s: calibration setting '%s': unknown (give parameters, waves, "
                            "points, replications, threshold, discrepancy, margin, stop_share)",
                            at, config_setting_name(m));
        }
    }
    const config_setting_t *list = config_setting_get_member(s, "parameters");
    int k = list ? config_setting_length(list) : 0;
    if (!list || !config_setting_is_list(list) || k < 1 || k > ES_SWEEP_MAX_PARAMS)
        return cfg_fail(L,
                        "%s: calibration: parameters must be a list ( { name = \"...\"; low = "
                        "...; high = ...; }, ... ) of 1 to %d",
                        at, ES_SWEEP_MAX_PARAMS);
    es_calibration *c = es_calloc(1, sizeof *c);
    if (!c || !(c->params = es_calloc((size_t)k, sizeof *c->params)) ||
        !(c->targets = es_calloc((size_t)k, sizeof *c->targets))) {
        es_calibration_free(c);
        return cfg_fail_nomem(L, at);
    }
    spec->cal = c;
    es_cal_defaults(&c->opt);
    for (int j = 0; j < k; j++) {
        const config_setting_t *g = config_setting_get_elem(list, (unsigned)j);
        c->k = j + 1;
        es_status st = es_sweep_read_param(g, L->file, &spec->base, &c->params[j], &c->targets[j],
                                           L->err, L->errlen);
        if (st != ES_OK) return st;
        cfg_setting_where(L, g, at, sizeof at);
        if (c->params[j].n_values > 0)
            return cfg_fail(L, "%s: calibration parameter '%s': give its prior as low and high", at,
                            c->params[j].path);
        const es_param_def *d = es_param_at(c->targets[j].offset);
        if (c->targets[j].kind == ES_SWEEP_AGENTS || !d ||
            (d->source != ES_SRC_ASSUMPTION && d->source != ES_SRC_CALIBRATED))
            return cfg_fail(L,
                            "%s: calibration: '%s' is not an assumption or a calibrated value; "
                            "facts and policies are not fitted",
                            at, c->params[j].path);
        if (c->targets[j].kind == ES_SWEEP_PATH && !c->targets[j].scale)
            return cfg_fail(L,
                            "%s: calibration parameter '%s' is a time path; give apply = "
                            "\"scale\" (fitting one constant would erase its years)",
                            at, c->params[j].path);
        for (int i = 0; i < j; i++)
            if (!strcmp(c->params[i].path, c->params[j].path))
                return cfg_fail(L, "%s: calibration: '%s' is listed twice", at, c->params[j].path);
    }
    double v;
    int r;
    cfg_setting_where(L, s, at, sizeof at);
    struct {
        const char *key;
        double lo, hi;
        int *i;
        double *d;
    } opts[] = {{"waves", 1, 20, &c->opt.max_waves, NULL},
                {"points", 2, 100000, &c->opt.points, NULL},
                {"replications", 1, 1000, &c->opt.replications, NULL},
                {"threshold", 0.5, 100, NULL, &c->opt.threshold},
                {"discrepancy", 0, 10, NULL, &c->opt.discrepancy},
                {"margin", 0, 10, NULL, &c->opt.margin},
                {"stop_share", 0, 1, NULL, &c->opt.stop_share}};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        if ((r = option(L, s, opts[i].key, opts[i].lo, opts[i].hi, opts[i].i != NULL, &v)) < 0)
            return ES_ERR_CONFIG;
        if (r > 0 && opts[i].i) *opts[i].i = (int)v;
        if (r > 0 && opts[i].d) *opts[i].d = v;
    }
    return ES_OK;
}
