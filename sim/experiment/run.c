/* run.c: plan, execute and merge of one run (contract in run.h). */
#include "run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../core/hash.h"
#include "../core/mem.h"
#include "../core/text.h"
#include "../model/model.h"
#include "compare.h"
#include "design.h"
#include "uncertainty.h"
#include "sweep_run.h"

/* A new --seed moves a Latin hypercube (its draws come from run.seed,
 * design.h): rebuild it, and check every point again. */
static es_status reseed_sweep(es_run_spec *spec, const char *config, char *err, size_t errlen)
{
    es_sweep *sw = spec->sweep;
    double *x = NULL;
    int n = 0;
    char why[512];
    if (!sw || (sw->kind != ES_DESIGN_LHS && sw->kind != ES_DESIGN_MORRIS)) return ES_OK;
    es_status st = es_design_build_levels(sw->kind, sw->params, sw->d, sw->points, sw->levels,
                                          (uint64_t)spec->base.seed, &x, &n, why, sizeof why);
    if (st != ES_OK) {
        snprintf(err, errlen, "%s: %s", config, why);
        return st;
    }
    free(sw->x);
    sw->x = x;
    sw->n_points = n;
    return es_cfg_check_sweep(spec, config, err, errlen);
}

/* Every replication's draws, and every scenario checked with each of them
 * before anything runs: a draw that breaks a rule (a range, a cross-field
 * rule) is refused now, not in the middle of the run. */
static es_status draw_uncertainty(es_plan *pl, const char *config, char *err, size_t errlen)
{
    const es_uncertainty *u = pl->spec->unc;
    es_status st = es_uncertainty_matrix(u, (uint64_t)pl->spec->base.seed, pl->max_reps, &pl->unc_x,
                                         err, errlen);
    if (st != ES_OK) return st;
    es_params *p = es_malloc(sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory checking the uncertain parameters");
        return ES_ERR_NOMEM;
    }
    char why[512];
    const char *bad = NULL;
    for (int s = 0; s < pl->spec->n_scenarios; s++)
        for (int r = 0; r < pl->max_reps; r++) {
            memcpy(p, &pl->spec->scenarios[s].p, sizeof *p);
            es_uncertainty_apply(u, pl->unc_x + (size_t)r * (size_t)u->d, p);
            if (es_params_check(p, why, sizeof why, &bad) != 0) {
                snprintf(err, errlen,
                         "%s: uncertainty: replication %d's draws make scenario '%s' invalid: "
                         "%s; narrow the distributions",
                         config, r, pl->spec->scenarios[s].name, why);
                free(p);
                return ES_ERR_CONFIG;
            }
        }
    free(p);
    return ES_OK;
}

void es_plan_fini(es_plan *pl)
{
    if (!pl) return;
    if (pl->spec) {
        es_run_spec_fini(pl->spec);
        free(pl->spec);
    }
    free(pl->in);
    free(pl->config_text);
    free(pl->unc_x);
    memset(pl, 0, sizeof *pl);
}

es_status es_plan_init(es_plan *pl, es_run_spec *spec, const es_run_options *opt,
                       const char *config, char *err, size_t errlen)
{
    es_status st = ES_ERR_USAGE;
    memset(pl, 0, sizeof *pl);
    pl->spec = spec;
    pl->opt = *opt;
    /* -r and --seed are run-wide: the base and every scenario alike. */
    for (int i = -1; i < spec->n_scenarios; i++) {
        es_params *p = i < 0 ? &spec->base : &spec->scenarios[i].p;
        if (opt->seed_given) p->seed = opt->seed;
        if (opt->replications > 0) p->replications = opt->replications;
    }
    if (opt->seed_given && (st = reseed_sweep(spec, config, err, errlen)) != ES_OK) goto fail;
    st = ES_ERR_USAGE;
    if (spec->sweep && opt->n_targets > 0) {
        /* --precision adds replications to every scenario; a sweep's
         * precision would be per point, which no one has asked for yet. */
        snprintf(err, errlen, "run: --precision is not available for sweeps (%s has a sweep block)",
                 config);
        goto fail;
    }
    if (opt->n_targets > 0 && opt->shard_count > 0) {
        /* --precision decides on all replications together; a shard sees a slice. */
        snprintf(err, errlen, "run: --precision cannot be combined with --shard");
        goto fail;
    }
    const es_params *base = &spec->base;
    pl->n_scenarios = spec->n_scenarios;
    pl->n_points = spec->sweep ? spec->sweep->n_points : 1;
    pl->n_reps = base->replications;
    pl->max_reps = pl->n_reps;
    if (opt->n_targets > 0) {
        pl->max_reps = opt->max_replications > 0              ? opt->max_replications
                       : pl->n_reps > ES_RUN_DEFAULT_MAX_REPS ? pl->n_reps
                                                              : ES_RUN_DEFAULT_MAX_REPS;
        if (pl->max_reps < pl->n_reps) {
            snprintf(err, errlen,
                     "run: --max-replications %d is below the first batch of %d replications",
                     pl->max_reps, pl->n_reps);
            goto fail;
        }
    }
    if (es_rng_kind_parse(base->rng, &pl->kind)) {
        snprintf(err, errlen, "%s: run.rng '%s' is not a known generator", config, base->rng);
        st = ES_ERR_CONFIG;
        goto fail;
    }
    const int S = pl->n_scenarios;
    pl->n_units = (int64_t)S * pl->n_reps * pl->n_points;
    if (opt->shard_count > pl->n_units) {
        snprintf(err, errlen,
                 "run: --shard %d/%d: the run has only %lld units (%d scenario%s x %d "
                 "replications); use at most %lld shards (--array=0-%lld)",
                 opt->shard_index, opt->shard_count, (long long)pl->n_units, S, S == 1 ? "" : "s",
                 pl->n_reps, (long long)pl->n_units, (long long)pl->n_units - 1);
        goto fail;
    }
    pl->n_held = opt->shard_count > 0 ? (pl->n_units - 1 - opt->shard_index) / opt->shard_count + 1
                                      : pl->n_units;
    int fy_probe[4];
    if (opt->n_targets > 0 && es_experiment_fiscal_years(base, fy_probe, 4) == 0) {
        snprintf(err, errlen,
                 "run: --precision needs a fiscal year after the warm-up (horizon.warmup_end to "
                 "horizon.end)");
        goto fail;
    }
    /* --no-uncertainty: the run is the config without its block, and says
     * so in its effective config (and so in its journal's identity). */
    if (opt->no_uncertainty) {
        es_uncertainty_free(spec->unc);
        spec->unc = NULL;
    }
    if (spec->unc && (st = draw_uncertainty(pl, config, err, errlen)) != ES_OK) goto fail;
    st = ES_ERR_NOMEM;
    /* Rendered before --no-crn gives the scenarios their own seeds. */
    if (!(pl->config_text = es_cfg_render_run(spec)) ||
        !(pl->in = es_calloc((size_t)S, sizeof *pl->in))) {
        snprintf(err, errlen, "out of memory preparing the run");
        goto fail;
    }
    /* Common random numbers: every scenario keeps the master seed, so
     * replication r names the same streams everywhere (docs/experiments.md, Random streams);
     * --no-crn gives each its own. */
    for (int i = 0; i < S; i++) {
        es_params *p = &spec->scenarios[i].p;
        if (!opt->crn) p->seed = es_experiment_independent_seed(base->seed, i);
        pl->in[i].name = spec->scenarios[i].name;
        pl->in[i].p = p;
    }
    return ES_OK;
fail:
    es_plan_fini(pl);
    return st;
}

void es_plan_units(const es_plan *pl, es_unit_space *us)
{
    *us =
        (es_unit_space){pl->n_scenarios,     pl->in,        pl->kind, pl->spec->sweep, pl->opt.crn,
                        pl->spec->base.seed, pl->spec->unc, pl->unc_x};
}

void es_plan_unit(const es_plan *pl, int64_t u, int *scenario, int *point, int64_t *replication)
{
    es_unit_space us;
    es_plan_units(pl, &us);
    es_unit_decode(&us, u, scenario, point, replication);
}

/* What must be equal for shards to belong to one run: the effective config
 * of the whole run (every scenario, replications and seed included), the
 * seed and generator again (they are run-wide), CRN, and the shard count. */
static int shard_identity(const es_plan *pl, es_run_result *res)
{
    const es_run_spec *spec = pl->spec;
    es_shard_info *sh = &res->shard;
    char num[96];
    uint64_t h = ES_FNV_OFFSET;
    h = es_fnv1a(h, res->config_text, strlen(res->config_text) + 1);
    snprintf(num, sizeof num, "seed=%lld;rng=%s;crn=%d;shards=%d", (long long)res->seed, res->rng,
             res->crn, pl->opt.shard_count);
    h = es_fnv1a(h, num, strlen(num));
    sh->config_hash = h;
    sh->index = pl->opt.shard_index;
    sh->count = pl->opt.shard_count;
    sh->n_units = pl->n_units;
    sh->n_held = (int)pl->n_held;
    sh->scenarios = es_calloc((size_t)spec->n_scenarios, sizeof *sh->scenarios);
    sh->comparisons = es_calloc(2 * (size_t)spec->n_comparisons + 1, sizeof *sh->comparisons);
    sh->units = es_calloc((size_t)sh->n_held, sizeof *sh->units);
    if (!sh->scenarios || !sh->comparisons || !sh->units) return -1;
    sh->n_scenarios = spec->n_scenarios;
    for (int i = 0; i < spec->n_scenarios; i++)
        if (!(sh->scenarios[i] = es_strdup(spec->scenarios[i].name))) return -1;
    sh->n_comparisons = spec->n_comparisons;
    for (int i = 0; i < spec->n_comparisons; i++) {
        sh->comparisons[2 * i] = spec->comparisons[i].base;
        sh->comparisons[2 * i + 1] = spec->comparisons[i].alt;
    }
    for (int k = 0; k < sh->n_held; k++) sh->units[k] = sh->index + (int64_t)k * sh->count;
    sh->complete = 1;
    return 0;
}

/* "m1=r1,m2=r2" for the root attribute; malloc'd. */
static char *precision_text(const es_precision_target *t, int n)
{
    size_t cap = 1;
    for (int i = 0; i < n; i++) cap += strlen(es_metric_table[t[i].metric].name) + 32;
    char *s = es_malloc(cap), *p = s;
    if (!s) return NULL;
    *p = '\0';
    for (int i = 0; i < n; i++) {
        char num[32];
        es_fmt_double(num, sizeof num, t[i].rel);
        p += snprintf(p, cap - (size_t)(p - s), "%s%s=%s", i ? "," : "",
                      es_metric_table[t[i].metric].name, num);
    }
    return s;
}

/* The design matrix as the file stores it (results.h es_design_result). */
static int design_result(const es_sweep *sw, es_design_result *d)
{
    d->kind = es_strdup(es_design_kind_name(sw->kind));
    d->points_setting = sw->points;
    d->n_params = sw->d;
    d->n_points = sw->n_points;
    d->names = es_calloc((size_t)sw->d, sizeof *d->names);
    d->x = es_calloc((size_t)sw->n_points * (size_t)sw->d, sizeof *d->x);
    if (!d->kind || !d->names || !d->x) return -1;
    memcpy(d->x, sw->x, (size_t)sw->n_points * (size_t)sw->d * sizeof *d->x);
    for (int j = 0; j < sw->d; j++)
        if (!(d->names[j] = es_strdup(sw->params[j].path))) return -1;
    return 0;
}

/* The draws of replications 0 .. n_reps - 1 as the file stores them. */
static int draws_result(const es_uncertainty *u, const double *x, int n_reps, es_design_result *d)
{
    char buf[512];
    d->n_params = u->d;
    d->n_points = n_reps;
    d->names = es_calloc((size_t)u->d, sizeof *d->names);
    d->dists = es_calloc((size_t)u->d, sizeof *d->dists);
    d->x = es_calloc((size_t)(n_reps ? n_reps : 1) * (size_t)u->d, sizeof *d->x);
    if (!d->names || !d->dists || !d->x) return -1;
    memcpy(d->x, x, (size_t)n_reps * (size_t)u->d * sizeof *d->x);
    for (int j = 0; j < u->d; j++) {
        es_unc_describe(&u->p[j], buf, sizeof buf);
        if (!(d->names[j] = es_strdup(u->p[j].name)) || !(d->dists[j] = es_strdup(buf))) return -1;
    }
    return 0;
}

es_status es_plan_describe(const es_plan *pl, es_run_result *res, char *err, size_t errlen)
{
    const es_params *base = &pl->spec->base;
    res->rng = es_strdup(base->rng);
    res->config_text = es_strdup(pl->config_text);
    res->seed = base->seed;
    res->crn = pl->opt.crn;
    if (!res->rng || !res->config_text) goto nomem;
    if (pl->opt.shard_count > 0 && shard_identity(pl, res) < 0) goto nomem;
    if (pl->opt.n_targets > 0) {
        res->max_replications = pl->max_reps;
        if (!(res->precision = precision_text(pl->opt.targets, pl->opt.n_targets))) goto nomem;
    }
    if (pl->spec->sweep && design_result(pl->spec->sweep, &res->design) < 0) goto nomem;
    return ES_OK;
nomem:
    snprintf(err, errlen, "out of memory preparing the run");
    return ES_ERR_NOMEM;
}

/* Is every target met in every scenario? When not, describes the worst
 * shortfall in why. */
static int precision_met(const es_run_result *res, const es_precision_target *t, int n, char *why,
                         size_t whylen)
{
    double worst = -1;
    for (int i = 0; i < n; i++)
        for (int s = 0; s < res->n_scenarios; s++) {
            double ratio;
            int fy;
            if (es_precision_met(&res->scenarios[s], t[i].metric, t[i].rel, &ratio, &fy)) continue;
            if (ratio / t[i].rel > worst) {
                worst = ratio / t[i].rel;
                snprintf(why, whylen,
                         "%s in scenario '%s', FY%d: half-width %.3g%% of the mean, target %.3g%%",
                         es_metric_table[t[i].metric].name, res->scenarios[s].name, fy, 100 * ratio,
                         100 * t[i].rel);
            }
        }
    return worst < 0;
}

/* Progress across batches: the experiment counts within one call. */
typedef struct {
    const es_run_hooks *h;
    int64_t before, planned;
} progress_ctx;

static int on_unit(void *ctx, int done, int total, uint64_t events)
{
    progress_ctx *pc = ctx;
    int64_t all = pc->before + total;
    if (pc->h->progress)
        pc->h->progress(pc->h->ctx, pc->before + done, all > pc->planned ? all : pc->planned,
                        events);
    return pc->h->stop ? pc->h->stop(pc->h->ctx) : 0;
}

/* A shard stores only the scenarios it has replications of, and no
 * comparisons: merge computes them on all replications. */
static void drop_empty_scenarios(es_run_result *res)
{
    int kept = 0;
    for (int i = 0; i < res->n_scenarios; i++) {
        if (res->scenarios[i].n_reps == 0) {
            es_scenario_result_fini(&res->scenarios[i]);
            continue;
        }
        if (kept != i) {
            res->scenarios[kept] = res->scenarios[i];
            memset(&res->scenarios[i], 0, sizeof res->scenarios[i]);
        }
        kept++;
    }
    res->n_scenarios = kept;
}

es_status es_run_execute(const es_plan *pl, const es_executor *ex, const es_run_hooks *h,
                         es_run_result *res, int64_t *n_done, char *why, size_t whylen, char *err,
                         size_t errlen)
{
    static const es_run_hooks none;
    const es_run_spec *spec = pl->spec;
    const int S = pl->n_scenarios, shard = pl->opt.shard_count > 0;
    es_status st;
    if (!h) h = &none;
    progress_ctx pc = {h, 0, pl->n_held};
    es_experiment x = {.n_scenarios = S,
                       .scenarios = pl->in,
                       .kind = pl->kind,
                       .threads = ex && ex->threads > 0 ? ex->threads : 1,
                       .progress = on_unit,
                       .pctx = &pc,
                       .shard_index = pl->opt.shard_index,
                       .shard_count = pl->opt.shard_count,
                       .load = h->load,
                       .save = h->save,
                       .jctx = h->jctx,
                       .run_unit = ex ? ex->run_unit : NULL,
                       .rctx = ex ? ex->ctx : NULL,
                       .unc = spec->unc,
                       .unc_x = pl->unc_x};
    *n_done = 0;
    if (why && whylen) why[0] = '\0';
    if (spec->sweep) {
        if (!(res->sweep = es_calloc((size_t)S, sizeof *res->sweep))) goto nomem;
        st = es_sweep_run(&x, spec->sweep, pl->n_reps, pl->opt.crn, spec->base.seed, res->sweep,
                          err, errlen);
        res->n_sweep = S;
        if (st != ES_OK) return st;
        *n_done = pl->n_held;
    } else {
        if (!(res->scenarios = es_calloc((size_t)S, sizeof *res->scenarios)) ||
            !(res->comparisons =
                  es_calloc((size_t)spec->n_comparisons + 1, sizeof *res->comparisons)))
            goto nomem;
        st = es_experiment_start(&x, res->scenarios, err, errlen);
        res->n_scenarios = S;
        if (st != ES_OK) return st;
        for (int n = pl->n_reps;;) {
            pc.before = (int64_t)res->scenarios[0].n_reps * S;
            pc.planned = shard ? pl->n_held : (int64_t)n * S;
            if ((st = es_experiment_extend(&x, res->scenarios, n, err, errlen)) != ES_OK) return st;
            if (pl->opt.n_targets == 0) break;
            res->precision_met =
                precision_met(res, pl->opt.targets, pl->opt.n_targets, why, whylen);
            if (res->precision_met || n >= pl->max_reps) break;
            n = n + pl->n_reps < pl->max_reps ? n + pl->n_reps : pl->max_reps;
            if (h->batch) h->batch(h->ctx, n, why);
        }
        *n_done = shard ? pl->n_held : (int64_t)res->scenarios[0].n_reps * S;
    }
    if (spec->unc && draws_result(spec->unc, pl->unc_x,
                                  shard ? pl->n_reps : res->scenarios[0].n_reps, &res->draws) < 0)
        goto nomem;
    for (int i = 0; i < S; i++)
        if (!(*(spec->sweep ? &res->sweep[i].config : &res->scenarios[i].config) =
                  es_cfg_render(&spec->scenarios[i].p)))
            goto nomem;
    if (spec->sweep) return ES_OK;
    if (shard) {
        drop_empty_scenarios(res);
        return ES_OK;
    }
    for (int i = 0; i < spec->n_comparisons; i++) {
        st = es_compare_scenarios(&res->scenarios[spec->comparisons[i].base],
                                  &res->scenarios[spec->comparisons[i].alt], ES_RUN_CMP_TARGET_REL,
                                  &res->comparisons[i], err, errlen);
        if (st != ES_OK) return st;
        res->n_comparisons = i + 1;
    }
    return ES_OK;
nomem:
    snprintf(err, errlen, "out of memory preparing the run");
    return ES_ERR_NOMEM;
}

/* ---- the plan as bytes ---------------------------------------------------------- */

#define PLAN_MAGIC 0x65735f706c616e31ull /* "es_plan1" */

/* Header words, all int64: magic, sizeof(es_params), ES_N_METRICS, S, P
 * (0 without a sweep), n_reps, max_reps, n_units, n_held, kind, then the
 * options as raw bytes, the base parameters, per scenario its name and
 * parameters, a sweep's kind, points, d, targets and matrix, and the
 * uncertain parameters' targets (apply mode included) and draws
 * ([max_reps][UD]). */
enum {
    H_MAGIC,
    H_PSIZE,
    H_METRICS,
    H_S,
    H_P,
    H_REPS,
    H_MAX,
    H_UNITS,
    H_HELD,
    H_KIND,
    H_D,
    H_UD,
    H_N
};

typedef struct {
    unsigned char *p;
    size_t at, len;
} cursor;

static int take(cursor *c, void *dst, size_t n)
{
    if (c->len - c->at < n) return -1;
    memcpy(dst, c->p + c->at, n);
    c->at += n;
    return 0;
}

static void give(cursor *c, const void *src, size_t n)
{
    if (c->p) memcpy(c->p + c->at, src, n);
    c->at += n;
}

static void pack(const es_plan *pl, cursor *c)
{
    const es_sweep *sw = pl->spec->sweep;
    int64_t h[H_N] = {(int64_t)PLAN_MAGIC,
                      (int64_t)sizeof(es_params),
                      ES_N_METRICS,
                      pl->n_scenarios,
                      sw ? sw->n_points : 0,
                      pl->n_reps,
                      pl->max_reps,
                      pl->n_units,
                      pl->n_held,
                      pl->kind,
                      sw ? sw->d : 0,
                      pl->spec->unc ? pl->spec->unc->d : 0};
    give(c, h, sizeof h);
    give(c, &pl->opt, sizeof pl->opt);
    give(c, &pl->spec->base, sizeof pl->spec->base);
    for (int i = 0; i < pl->n_scenarios; i++)
        give(c, &pl->spec->scenarios[i], sizeof(es_scenario_spec));
    if (sw) {
        int32_t k[2] = {(int32_t)sw->kind, sw->points};
        give(c, k, sizeof k);
        give(c, sw->targets, (size_t)sw->d * sizeof *sw->targets);
        give(c, sw->x, (size_t)sw->n_points * (size_t)sw->d * sizeof *sw->x);
    }
    const es_uncertainty *u = pl->spec->unc;
    if (u) {
        for (int j = 0; j < u->d; j++) give(c, &u->p[j].target, sizeof u->p[j].target);
        give(c, pl->unc_x, (size_t)pl->max_reps * (size_t)u->d * sizeof *pl->unc_x);
    }
}

es_status es_plan_pack(const es_plan *pl, unsigned char **buf, size_t *len, char *err,
                       size_t errlen)
{
    cursor c = {NULL, 0, 0};
    pack(pl, &c);
    if (!(c.p = es_malloc(c.at ? c.at : 1))) {
        snprintf(err, errlen, "out of memory packing the plan");
        return ES_ERR_NOMEM;
    }
    *len = c.at;
    c.at = 0;
    pack(pl, &c);
    *buf = c.p;
    return ES_OK;
}

es_status es_plan_unpack(const unsigned char *buf, size_t len, es_plan *pl, char *err,
                         size_t errlen)
{
    cursor c = {(unsigned char *)buf, 0, len};
    int64_t h[H_N];
    es_status st = ES_ERR_INPUT;
    memset(pl, 0, sizeof *pl);
    if (take(&c, h, sizeof h) || h[H_MAGIC] != (int64_t)PLAN_MAGIC ||
        h[H_PSIZE] != (int64_t)sizeof(es_params) || h[H_METRICS] != ES_N_METRICS || h[H_S] < 1 ||
        h[H_S] > ES_SCENARIOS_MAX || h[H_P] < 0 || h[H_P] > ES_DESIGN_MAX_POINTS || h[H_D] < 0 ||
        h[H_D] > 4096 || h[H_UD] < 0 || h[H_UD] > ES_UNCERTAINTY_MAX_PARAMS || h[H_MAX] < 1 ||
        h[H_MAX] > ES_RUN_MAX_REPLICATIONS) {
        snprintf(err, errlen,
                 "the plan received is not one of this build (are all ranks the same "
                 "build?)");
        return ES_ERR_INPUT;
    }
    const int S = (int)h[H_S], P = (int)h[H_P], d = (int)h[H_D];
    if (!(pl->spec = es_calloc(1, sizeof *pl->spec)) ||
        !(pl->spec->scenarios = es_calloc((size_t)S, sizeof *pl->spec->scenarios)) ||
        !(pl->in = es_calloc((size_t)S, sizeof *pl->in)) ||
        (P > 0 && !(pl->spec->sweep = es_calloc(1, sizeof *pl->spec->sweep)))) {
        st = ES_ERR_NOMEM;
        goto fail;
    }
    pl->spec->n_scenarios = S;
    if (take(&c, &pl->opt, sizeof pl->opt) || take(&c, &pl->spec->base, sizeof pl->spec->base))
        goto bad;
    for (int i = 0; i < S; i++) {
        es_scenario_spec *sc = &pl->spec->scenarios[i];
        if (take(&c, sc, sizeof *sc)) goto bad;
        sc->name[sizeof sc->name - 1] = '\0';
        pl->in[i].name = sc->name;
        pl->in[i].p = &sc->p;
    }
    if (P > 0) {
        es_sweep *sw = pl->spec->sweep;
        int32_t k[2];
        if (take(&c, k, sizeof k)) goto bad;
        sw->kind = (es_design_kind)k[0];
        sw->points = k[1];
        sw->d = d;
        sw->n_points = P;
        if (!(sw->params = es_calloc((size_t)(d ? d : 1), sizeof *sw->params)) ||
            !(sw->targets = es_calloc((size_t)(d ? d : 1), sizeof *sw->targets)) ||
            !(sw->x = es_calloc((size_t)P * (size_t)(d ? d : 1), sizeof *sw->x))) {
            st = ES_ERR_NOMEM;
            goto fail;
        }
        if (take(&c, sw->targets, (size_t)d * sizeof *sw->targets) ||
            take(&c, sw->x, (size_t)P * (size_t)d * sizeof *sw->x))
            goto bad;
        for (int j = 0; j < d; j++)
            if (sw->targets[j].offset >= sizeof(es_params)) goto bad;
    }
    const int ud = (int)h[H_UD];
    if (ud > 0) {
        es_uncertainty *u = es_calloc(1, sizeof *u);
        pl->spec->unc = u;
        if (!u || !(u->p = es_calloc((size_t)ud, sizeof *u->p)) ||
            !(pl->unc_x = es_calloc((size_t)h[H_MAX] * (size_t)ud, sizeof *pl->unc_x))) {
            st = ES_ERR_NOMEM;
            goto fail;
        }
        u->d = ud;
        for (int j = 0; j < ud; j++) {
            if (take(&c, &u->p[j].target, sizeof u->p[j].target) ||
                u->p[j].target.offset >= sizeof(es_params) ||
                (u->p[j].target.kind != ES_SWEEP_SCALAR &&
                 u->p[j].target.kind != ES_SWEEP_ELEMENT && u->p[j].target.kind != ES_SWEEP_PATH))
                goto bad;
        }
        if (take(&c, pl->unc_x, (size_t)h[H_MAX] * (size_t)ud * sizeof *pl->unc_x)) goto bad;
    }
    if (c.at != len) goto bad;
    pl->n_scenarios = S;
    pl->n_points = P > 0 ? P : 1;
    pl->n_reps = (int)h[H_REPS];
    pl->max_reps = (int)h[H_MAX];
    pl->n_units = h[H_UNITS];
    pl->n_held = h[H_HELD];
    pl->kind = (es_rng_kind)h[H_KIND];
    return ES_OK;
bad:
    snprintf(err, errlen, "the plan received is damaged or of another build");
    st = ES_ERR_INPUT;
    goto out;
fail:
    snprintf(err, errlen, "out of memory unpacking the plan");
out:
    es_plan_fini(pl);
    return st;
}
