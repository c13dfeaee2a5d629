/* prosecution.c: the Justice Department side (docs/model.md, Prosecution).
 *
 * 1324 (bringing in and harboring): an arrested smuggling actor is charged
 * when the migrants attributed to them reach the threshold in force that
 * day and prosecutors accept the case; conviction and sentence depend on
 * the tier, and cases with deaths or hostage-taking carry far longer
 * sentences. Charges are counted by path (HSI case or caught in the act).
 * 1325 (illegal entry): a policy share of apprehended adults is referred;
 * courts take up to a daily capacity. Each 1325 prosecution and each 1324
 * charge is work for HSI's prosecution_support pool (hsi.c pulls agents
 * from other programs when its backlog outgrows its staff). */
#include <math.h>
#include <gsl/gsl_randist.h>
#include "../rng/rng.h"
#include "model.h"
#include "model_impl.h"

enum { PRIO_SUPPORT = 3 };

static void support(es_world *w, int kind, double hours)
{
    if (hours > 0 &&
        es_work_submit(w->wf, ES_PROG_PROSECUTION_SUPPORT, PRIO_SUPPORT, kind, 0, hours) != ES_OK)
        es_engine_stop(w->eng, ES_ERR_NOMEM);
}

int es_prosecution_refer(es_world *w, int tier, double migrants, int severe, int in_act,
                         uint64_t key)
{
    const es_params *p = w->p;
    int32_t day = es_world_day(w, es_engine_now(w->eng));
    if (migrants < es_path_at(&p->threshold, day)) return 0;
    gsl_rng *r = w->r_pros;
    es_rng_entity(r, key);
    if (gsl_rng_uniform(r) >= p->prosecutor_accept) return 0;
    support(w, WK_CHARGE_SUPPORT, p->charge_support_hours);
    es_world_add(w, ES_M_CHARGES_1324, 1);
    es_world_add(w, in_act ? ES_M_CHARGES_1324_ACT : ES_M_CHARGES_1324_HSI, 1);
    es_world_add(w, ES_M_CHARGED_TIER_SUM, tier);
    if (gsl_rng_uniform(r) < p->conviction_prob[tier]) {
        es_world_add(w, ES_M_CONVICTIONS_T0 + tier, 1);
        double median = severe ? p->sentence_months_death : p->sentence_months[tier];
        double months = gsl_ran_lognormal(r, log(median), 0.5);
        es_world_add(w, ES_M_ACTOR_YEARS, months / 12.0);
    }
    return 1;
}

void es_prosecution_entry(es_world *w, double adults, uint64_t key)
{
    const es_params *p = w->p;
    int32_t day = es_world_day(w, es_engine_now(w->eng));
    double share = es_path_at(&p->entry_prosecution_share, day);
    if (share <= 0 || adults <= 0) return;
    gsl_rng *r = w->r_pros;
    es_rng_entity(r, key);
    unsigned referred = gsl_ran_binomial(r, share > 1 ? 1 : share, (unsigned)adults);
    if (!referred) return;
    if (w->entry_today_day != day) {
        w->entry_today_day = day;
        w->entry_today_count = 0;
    }
    double room = es_path_at(&p->entry_capacity, day) - w->entry_today_count;
    double taken = referred < room ? referred : (room > 0 ? floor(room) : 0);
    w->entry_today_count += taken;
    es_world_add(w, ES_M_PROSECUTIONS_1325, taken);
    es_world_add(w, ES_M_REFERRALS_1325_DECLINED, referred - taken);
    if (taken > 0) support(w, WK_ENTRY_SUPPORT, taken * p->entry_support_hours);
}

static void support_done(void *ctx, const es_work *it)
{
    es_world_add(ctx, ES_M_COMPLETED_0 + it->pool, 1);
}

void es_prosecution_init(es_world *w)
{
    const es_work_kind kind = {NULL, support_done, NULL, NULL};
    es_workforce_kind(w->wf, WK_ENTRY_SUPPORT, &kind);
    es_workforce_kind(w->wf, WK_CHARGE_SUPPORT, &kind);
}
