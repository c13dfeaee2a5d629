/* test_rng.c: the random streams of sim/rng.
 *
 * Exact checks (known answers, same name same bytes, counter layout) and
 * statistical ones with fixed seeds. Statistical tolerances come from the
 * Monte Carlo error (5 standard errors, chi-square p > 1e-4), never from a
 * single lucky run: with these seeds the checks are deterministic, and a
 * correct generator fails one only with probability about 1e-4. */
#include "../testlib.h"
#include "rng/rng.h"
#include <Random123/philox.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <stdint.h>
#include <string.h>

/* 2^53 and 2^-53: a 53-bit double times 2^53 is an integer below 2^53. */
static const double TWO_POW_53 = 9007199254740992.0;
/* 2^21: a multiple of 2^-53 with a nonzero remainder mod 2^21 (in units of
 * 2^-53) has bits below 2^-32, which a 32-bit generator never produces. */
static const uint64_t LOW_21_BITS = (UINT64_C(1) << 21) - 1;

/* A master seed with bits above 2^32, a stream id and a replication, so a
 * field dropped or truncated anywhere changes the numbers. */
static const uint64_t SEED = UINT64_C(0x2385a7c3d1f00e91);
static const uint32_t STREAM = 5u;
static const uint64_t REP = 17u;

/* ---- known answers ---------------------------------------------------- */

/* Random123's tests/kat_vectors for philox4x64-10: counter, key, output. */
typedef struct {
    const char *name;
    uint64_t ctr[4], key[2], out[4];
} kat;

static const kat KATS[] = {
    {"philox4x64_10_kat_zero",
     {0, 0, 0, 0},
     {0, 0},
     {UINT64_C(0x16554d9eca36314c), UINT64_C(0xdb20fe9d672d0fdc), UINT64_C(0xd7e772cee186176b),
      UINT64_C(0x7e68b68aec7ba23b)}},
    {"philox4x64_10_kat_all_ones",
     {UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX},
     {UINT64_MAX, UINT64_MAX},
     {UINT64_C(0x87b092c3013fe90b), UINT64_C(0x438c3c67be8d0224), UINT64_C(0x9cc7d7c69cd777b6),
      UINT64_C(0xa09caebf594f0ba0)}},
    {"philox4x64_10_kat_pi",
     {UINT64_C(0x243f6a8885a308d3), UINT64_C(0x13198a2e03707344), UINT64_C(0xa4093822299f31d0),
      UINT64_C(0x082efa98ec4e6c89)},
     {UINT64_C(0x452821e638d01377), UINT64_C(0xbe5466cf34e90c6c)},
     {UINT64_C(0xa528f45403e61d95), UINT64_C(0x38c72dbd566e9788), UINT64_C(0xa5a1610e72fd18b5),
      UINT64_C(0x57bd43b5e52b7fe6)}},
};

static void test_known_answers(void)
{
    gsl_rng *r = es_rng_new(ES_RNG_PHILOX);
    for (size_t i = 0; i < sizeof KATS / sizeof KATS[0]; i++) {
        const kat *k = &KATS[i];
        int ok = 1;
        es_rng_philox_seek(r, k->key, k->ctr);
        for (int w = 0; w < 4; w++) ok &= es_rng_philox_word(r) == k->out[w];
        CHECK(ok, k->name);
    }

    /* get and get_double are views of the same words: the high 32 bits,
     * and the top 53 bits scaled by 2^-53. */
    const kat *pi = &KATS[2];
    int ok_get = 1, ok_double = 1;
    es_rng_philox_seek(r, pi->key, pi->ctr);
    for (int w = 0; w < 4; w++) ok_get &= gsl_rng_get(r) == (unsigned long)(pi->out[w] >> 32);
    es_rng_philox_seek(r, pi->key, pi->ctr);
    for (int w = 0; w < 4; w++)
        ok_double &= gsl_rng_uniform(r) == (double)(pi->out[w] >> 11) / TWO_POW_53;
    CHECK(ok_get, "philox_get_is_high_32_bits_of_kat_words");
    CHECK(ok_double, "philox_uniform_is_top_53_bits_of_kat_words");

    /* The public naming path reaches the zero vector: key (0, 0), counter 0. */
    int ok_name = 1;
    es_rng_name(r, 0, 0, 0);
    for (int w = 0; w < 4; w++) ok_name &= es_rng_philox_word(r) == KATS[0].out[w];
    CHECK(ok_name, "philox_name_0_0_0_gives_kat_zero");
    gsl_rng_free(r);
}

/* The documented layout: key = (seed, stream), counter = (replication,
 * entity, block, 0), computed here with Random123 directly. */
static void test_counter_layout(void)
{
    gsl_rng *r = es_rng_new(ES_RNG_PHILOX);
    const uint64_t entity = UINT64_C(0x9d2c5680a1b2c3d4);
    const uint64_t block = 3;
    es_rng_name(r, SEED, STREAM, REP);
    es_rng_entity(r, entity);
    for (uint64_t i = 0; i < 4 * block; i++) (void)gsl_rng_uniform(r);
    philox4x64_ctr_t ctr = {{REP, entity, block, 0}};
    philox4x64_key_t key = {{SEED, STREAM}};
    philox4x64_ctr_t want = philox4x64_R(10, ctr, key);
    int ok = 1;
    for (int w = 0; w < 4; w++) ok &= es_rng_philox_word(r) == want.v[w];
    CHECK(ok, "philox_key_is_seed_stream_counter_is_rep_entity_block");

    /* Mixed integer and double draws each take one word. */
    es_rng_entity(r, entity);
    (void)gsl_rng_get(r);
    (void)gsl_rng_uniform(r);
    (void)gsl_rng_uniform_int(r, 1000);
    (void)gsl_rng_uniform_pos(r);
    ctr.v[2] = 1;
    want = philox4x64_R(10, ctr, key);
    CHECK(es_rng_philox_word(r) == want.v[0], "philox_every_draw_consumes_one_word");
    gsl_rng_free(r);
}

/* ---- names, entities and the gsl_rng interface ---------------------------- */

/* Fills out[] with n draws that mix every way of drawing. */
static void draw_mixed(gsl_rng *r, double *out, int n)
{
    for (int i = 0; i < n; i++) out[i] = (i % 3 == 0) ? (double)gsl_rng_get(r) : gsl_rng_uniform(r);
}

enum { SEQ = 2000 };

static int same_sequence(gsl_rng *a, gsl_rng *b)
{
    static double xa[SEQ], xb[SEQ];
    draw_mixed(a, xa, SEQ);
    draw_mixed(b, xb, SEQ);
    return memcmp(xa, xb, sizeof xa) == 0;
}

/* Sequences of the two generators share no value at the same position in
 * the first SEQ draws: far stronger than "not identical". */
static int unrelated_sequences(gsl_rng *a, gsl_rng *b)
{
    int equal = 0;
    for (int i = 0; i < SEQ; i++) equal += gsl_rng_uniform(a) == gsl_rng_uniform(b);
    return equal == 0;
}

static void test_names(es_rng_kind kind, const char *prefix)
{
    gsl_rng *a = es_rng_new(kind), *b = es_rng_new(kind);
    char name[128];
#define NAMED(what) (snprintf(name, sizeof name, "%s_%s", prefix, what), name)

    es_rng_name(a, SEED, STREAM, REP);
    (void)gsl_rng_uniform(b); /* b's history must not matter */
    es_rng_name(b, SEED, STREAM, REP);
    CHECK(same_sequence(a, b), NAMED("same_name_same_sequence"));

    es_rng_name(a, SEED, STREAM, REP);
    es_rng_name(b, SEED + 1, STREAM, REP);
    CHECK(unrelated_sequences(a, b), NAMED("different_seed_different_sequence"));

    es_rng_name(a, SEED, STREAM, REP);
    es_rng_name(b, SEED ^ (UINT64_C(1) << 32), STREAM, REP);
    CHECK(unrelated_sequences(a, b), NAMED("seeds_differing_by_2_pow_32_differ"));

    es_rng_name(a, SEED, STREAM, REP);
    es_rng_name(b, SEED, STREAM + 1, REP);
    CHECK(unrelated_sequences(a, b), NAMED("different_stream_different_sequence"));

    es_rng_name(a, SEED, STREAM, REP);
    es_rng_name(b, SEED, STREAM, REP + 1);
    CHECK(unrelated_sequences(a, b), NAMED("different_replication_different_sequence"));

    es_rng_name(a, SEED, STREAM, REP);
    es_rng_name(b, SEED, STREAM, REP);
    es_rng_entity(b, 1);
    CHECK(unrelated_sequences(a, b), NAMED("different_entity_different_sequence"));

    /* Entity 0 is where es_rng_name leaves the generator. */
    es_rng_name(a, SEED, STREAM, REP);
    es_rng_name(b, SEED, STREAM, REP);
    (void)gsl_rng_uniform(b);
    es_rng_entity(b, 0);
    CHECK(same_sequence(a, b), NAMED("name_positions_at_entity_0"));

    /* Entity 42's draws are the same whatever other entities drew before,
     * and going back to an entity restarts its substream. */
    es_rng_name(a, SEED, STREAM, REP);
    es_rng_entity(a, 42);
    es_rng_name(b, SEED, STREAM, REP);
    for (uint64_t e = 0; e < 40; e++) {
        es_rng_entity(b, e * 7 + 1);
        for (uint64_t i = 0; i < e * 13 + 3; i++) (void)gsl_rng_uniform(b);
    }
    es_rng_entity(b, 42);
    CHECK(same_sequence(a, b), NAMED("entity_draws_independent_of_other_entities"));

    /* gsl_rng_set(r, s) is es_rng_name(r, s, 0, 0) for every kind. */
    es_rng_name(a, SEED, 0, 0);
    gsl_rng_set(b, (unsigned long)SEED);
    CHECK(same_sequence(a, b), NAMED("gsl_rng_set_is_name_seed_0_0"));

    /* The name lives in the state, so a clone continues identically and can
     * itself move to another entity. */
    es_rng_name(a, SEED, STREAM, REP);
    es_rng_entity(a, 9);
    for (int i = 0; i < 5; i++) (void)gsl_rng_uniform(a);
    gsl_rng *c = gsl_rng_clone(a);
    CHECK(same_sequence(a, c), NAMED("clone_continues_same_sequence"));
    es_rng_entity(a, 11);
    es_rng_entity(c, 11);
    CHECK(same_sequence(a, c), NAMED("clone_keeps_name_for_entities"));
    gsl_rng_free(c);

    CHECK(es_rng_kind_of(a) == kind && es_rng_type(kind) == a->type,
          NAMED("kind_of_recovers_kind"));
    CHECK(gsl_rng_min(a) == 0 && gsl_rng_max(a) == 0xffffffffUL, NAMED("range_is_32_bits"));
#undef NAMED
    gsl_rng_free(a);
    gsl_rng_free(b);
}

static void test_kinds(void)
{
    int ok = 1;
    for (int k = 0; k < ES_RNG_KIND_COUNT; k++) {
        es_rng_kind got;
        ok &=
            es_rng_kind_parse(es_rng_kind_name((es_rng_kind)k), &got) == 0 && got == (es_rng_kind)k;
    }
    CHECK(ok, "kind_name_and_parse_round_trip");
    es_rng_kind untouched = ES_RNG_RANLXD2;
    CHECK(es_rng_kind_parse("mt19937x", &untouched) == -1 && untouched == ES_RNG_RANLXD2 &&
              es_rng_kind_parse("", &untouched) == -1,
          "kind_parse_rejects_unknown_names");
    CHECK(es_rng_type(ES_RNG_KIND_COUNT) == NULL && es_rng_new(ES_RNG_KIND_COUNT) == NULL,
          "invalid_kind_has_no_type");
    CHECK(es_rng_type(ES_RNG_PHILOX) == es_rng_philox_type(), "philox_kind_is_philox_type");

    /* A foreign type is not one of ours. */
    gsl_rng *plain = gsl_rng_alloc(gsl_rng_taus2);
    CHECK(es_rng_kind_of(plain) == ES_RNG_KIND_COUNT, "kind_of_foreign_type_is_none");
    gsl_rng_free(plain);
}

/* The wrapped classic kinds give exactly GSL's numbers for the hashed seed,
 * with GSL's own range. */
static void test_classic_faithful(es_rng_kind kind, const gsl_rng_type *gsl_type)
{
    gsl_rng *ours = es_rng_new(kind), *plain = gsl_rng_alloc(gsl_type);
    char name[128];
    es_rng_name(ours, SEED, STREAM, REP);
    es_rng_entity(ours, 123);
    gsl_rng_set(plain, es_rng_classic_seed(kind, SEED, STREAM, REP, 123));
    snprintf(name, sizeof name, "%s_wrapper_equals_gsl_%s_at_hashed_seed", gsl_type->name,
             gsl_type->name);
    CHECK(same_sequence(ours, plain), name);
    snprintf(name, sizeof name, "%s_wrapper_has_gsl_range", gsl_type->name);
    CHECK(gsl_rng_min(ours) == gsl_rng_min(plain) && gsl_rng_max(ours) == gsl_rng_max(plain), name);
    gsl_rng_free(ours);
    gsl_rng_free(plain);
}

static void test_classic_seeds(void)
{
    /* Hashed seeds stay in the range GSL tells apart: nonzero, 32 bits for
     * mt19937, 31 bits for ranlxd2 (its seeding ignores bit 31). */
    int ok_mt = 1, ok_lx = 1;
    unsigned long max_mt = 0, max_lx = 0;
    for (uint64_t e = 0; e < 100000; e++) {
        unsigned long s = es_rng_classic_seed(ES_RNG_MT19937, SEED, STREAM, REP, e);
        unsigned long t = es_rng_classic_seed(ES_RNG_RANLXD2, SEED, STREAM, REP, e);
        ok_mt &= s >= 1 && s <= 0xffffffffUL;
        ok_lx &= t >= 1 && t <= 0x7fffffffUL;
        max_mt = s > max_mt ? s : max_mt;
        max_lx = t > max_lx ? t : max_lx;
    }
    CHECK(ok_mt && max_mt > 0x80000000UL, "mt19937_hashed_seeds_span_1_to_2_pow_32");
    CHECK(ok_lx && max_lx > 0x40000000UL, "ranlxd2_hashed_seeds_span_1_to_2_pow_31");
    CHECK(es_rng_classic_seed(ES_RNG_MT19937, 7, 0, 0, 0) !=
              es_rng_classic_seed(ES_RNG_MT19937, 7 + (UINT64_C(1) << 32), 0, 0, 0),
          "classic_seed_hash_sees_bits_above_2_pow_32");
}

/* ---- distribution of the doubles ------------------------------------------ */

static void test_resolution(void)
{
    gsl_rng *r = es_rng_new(ES_RNG_PHILOX);
    es_rng_name(r, SEED, STREAM, REP);
    enum { N = 100000 };
    int in_range = 1, on_grid = 1;
    long fine = 0;
    for (int i = 0; i < N; i++) {
        double x = gsl_rng_uniform(r);
        double m = x * TWO_POW_53; /* exact: scaling by a power of two */
        in_range &= x >= 0.0 && x < 1.0;
        on_grid &= m == floor(m);
        fine += ((uint64_t)m & LOW_21_BITS) != 0;
    }
    CHECK(in_range, "philox_uniform_in_0_1");
    CHECK(on_grid, "philox_uniform_multiple_of_2_pow_minus_53");
    /* A 32-bit generator would give 0; with 53 bits all but ~N/2^21 do. */
    CHECK(fine > N - 10, "philox_uniform_has_bits_below_2_pow_minus_32");
    gsl_rng_free(r);
}

/* Pearson's chi-square of n uniforms over `bins` equal bins. */
static double chisq_p(gsl_rng *r, long n, int bins)
{
    static long count[1000];
    memset(count, 0, sizeof count);
    for (long i = 0; i < n; i++) count[(int)(gsl_rng_uniform(r) * bins)]++;
    double expect = (double)n / bins, stat = 0;
    for (int b = 0; b < bins; b++) stat += (count[b] - expect) * (count[b] - expect) / expect;
    return gsl_cdf_chisq_Q(stat, bins - 1);
}

static void test_chisq(void)
{
    gsl_rng *r = es_rng_new(ES_RNG_PHILOX);
    static const uint64_t seeds[] = {SEED, 1, UINT64_C(20180930)};
    char name[96];
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        es_rng_name(r, seeds[i], STREAM, REP);
        double p = chisq_p(r, 1000000, 1000);
        snprintf(name, sizeof name, "philox_chisq_uniform_1000_bins_seed_%zu (p=%.3g)", i, p);
        CHECK(p > 1e-4, name);
    }
    gsl_rng_free(r);
}

/* Mean of n draws within 5 standard errors of the theoretical mean. */
typedef double (*draw_fn)(gsl_rng *r);

static int mean_ok(gsl_rng *r, draw_fn f, double mean, double var, long n)
{
    double sum = 0;
    for (long i = 0; i < n; i++) sum += f(r);
    double se = sqrt(var / (double)n);
    return fabs(sum / (double)n - mean) <= 5 * se;
}

/* High-entropy parameters, so a missing factor cannot hide. */
static const double EXP_MU = 2.385;
static const double POIS_MU = 3.71;
static const double LN_ZETA = 0.317, LN_SIGMA = 0.452;
static const double BIN_P = 0.237;
static const unsigned BIN_N = 17;
static const unsigned long UNIF_N = 1013;
static const unsigned long UNIF_BIG = 3000000019UL; /* above 2^31: the whole 32-bit range works */

static double d_exp(gsl_rng *r)
{
    return gsl_ran_exponential(r, EXP_MU);
}
static double d_fast_exp(gsl_rng *r)
{
    return es_rng_exponential(r, EXP_MU);
}
static double d_pois(gsl_rng *r)
{
    return gsl_ran_poisson(r, POIS_MU);
}
static double d_lognorm(gsl_rng *r)
{
    return gsl_ran_lognormal(r, LN_ZETA, LN_SIGMA);
}
static double d_binom(gsl_rng *r)
{
    return gsl_ran_binomial(r, BIN_P, BIN_N);
}
static double d_unif_int(gsl_rng *r)
{
    return (double)gsl_rng_uniform_int(r, UNIF_N);
}
static double d_unif_big(gsl_rng *r)
{
    return (double)gsl_rng_uniform_int(r, UNIF_BIG);
}

static void test_distributions(void)
{
    gsl_rng *r = es_rng_new(ES_RNG_PHILOX);
    const long n = 200000;
    es_rng_name(r, SEED, STREAM, REP);
    CHECK(mean_ok(r, d_exp, EXP_MU, EXP_MU * EXP_MU, n), "gsl_ran_exponential_mean_within_5_se");
    CHECK(mean_ok(r, d_pois, POIS_MU, POIS_MU, n), "gsl_ran_poisson_mean_within_5_se");
    double s2 = LN_SIGMA * LN_SIGMA;
    double ln_mean = exp(LN_ZETA + s2 / 2), ln_var = (exp(s2) - 1) * exp(2 * LN_ZETA + s2);
    CHECK(mean_ok(r, d_lognorm, ln_mean, ln_var, n), "gsl_ran_lognormal_mean_within_5_se");
    CHECK(mean_ok(r, d_binom, BIN_N * BIN_P, BIN_N * BIN_P * (1 - BIN_P), n),
          "gsl_ran_binomial_mean_within_5_se");
    double un = (double)UNIF_N, ub = (double)UNIF_BIG;
    CHECK(mean_ok(r, d_unif_int, (un - 1) / 2, (un * un - 1) / 12, n),
          "gsl_rng_uniform_int_mean_within_5_se");
    CHECK(mean_ok(r, d_unif_big, (ub - 1) / 2, (ub * ub - 1) / 12, n),
          "gsl_rng_uniform_int_above_2_pow_31_mean_within_5_se");
    gsl_rng_free(r);
}

/* es_rng_exponential is gsl_ran_exponential computed another way: on the
 * same stream positions, for every generator kind, the two agree to within
 * a few ulps, and each consumes exactly one draw (the next uniform after
 * either is the same). Also its mean, as for GSL's above. */
static void test_fast_exponential(void)
{
    static const int kinds[] = {ES_RNG_PHILOX, ES_RNG_MT19937, ES_RNG_RANLXD2};
    int close = 1, aligned = 1;
    double worst = 0;
    for (int k = 0; k < 3; k++) {
        gsl_rng *a = es_rng_new(kinds[k]), *b = es_rng_new(kinds[k]);
        es_rng_name(a, SEED, STREAM, REP);
        es_rng_name(b, SEED, STREAM, REP);
        for (int i = 0; i < 200000; i++) {
            double x = es_rng_exponential(a, EXP_MU), y = gsl_ran_exponential(b, EXP_MU);
            double rel = y > 0 ? fabs(x - y) / y : fabs(x - y);
            if (rel > worst) worst = rel;
            close &= rel <= 1e-13 || fabs(x - y) <= 1e-15;
            if (i % 1000 == 0) aligned &= gsl_rng_uniform(a) == gsl_rng_uniform(b);
        }
        gsl_rng_free(a);
        gsl_rng_free(b);
    }
    printf("# es_rng_exponential against gsl_ran_exponential: worst relative difference %.3g\n",
           worst);
    CHECK(close, "fast_exponential_equals_gsl_ran_exponential_to_rounding");
    CHECK(aligned, "fast_exponential_consumes_one_draw_like_gsl");
    gsl_rng *r = es_rng_new(ES_RNG_PHILOX);
    es_rng_name(r, SEED, STREAM + 1, REP);
    CHECK(mean_ok(r, d_fast_exp, EXP_MU, EXP_MU * EXP_MU, 200000),
          "fast_exponential_mean_within_5_se");
    gsl_rng_free(r);
}

int main(void)
{
    test_known_answers();
    test_counter_layout();
    test_kinds();
    test_names(ES_RNG_PHILOX, "philox");
    test_names(ES_RNG_MT19937, "mt19937");
    test_names(ES_RNG_RANLXD2, "ranlxd2");
    test_classic_faithful(ES_RNG_MT19937, gsl_rng_mt19937);
    test_classic_faithful(ES_RNG_RANLXD2, gsl_rng_ranlxd2);
    test_classic_seeds();
    test_resolution();
    test_chisq();
    test_distributions();
    test_fast_exponential();
    return TEST_END();
}
