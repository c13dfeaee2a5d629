/* rng.c: named random streams behind the gsl_rng interface (see rng.h).
 *
 * Three gsl_rng_type tables live here, all static const:
 *   - philox_type: our own generator over Random123's philox4x64-10. We do
 *     not use Random123's gsl_cbrng.h / gsl_microrng.h: they give 32-bit
 *     doubles, have no stream API and each defines a non-static global.
 *   - mt19937_type, ranlxd2_type: GSL's classic generators wrapped so that
 *     the state also records the stream name. es_rng_entity has to reseed
 *     from (seed, stream, replication, entity) after any number of draws,
 *     and a plain GSL state keeps no trace of how it was seeded. The wrapper
 *     embeds GSL's own state and forwards to GSL's own functions, so the
 *     numbers are exactly those of gsl_rng_mt19937 / gsl_rng_ranlxd2 seeded
 *     with es_rng_classic_seed(...). Because the whole name is inside the
 *     state, gsl_rng_clone and gsl_rng_memcpy keep working.
 */
#include "rng.h"
#include "../core/check.h"
#include "../core/mem.h"
#include <Random123/philox.h>
#include <stddef.h>
#include <string.h>

/* ---- philox4x64-10 ---------------------------------------------------- */

enum { PHILOX_ROUNDS = 10, PHILOX_WORDS = 4 };

/* Invariants: key = (seed, stream id); ctr = (replication, entity, index of
 * the next block to compute, carry of that index); out holds the words of
 * the block before ctr, of which `used` have been handed out (used ==
 * PHILOX_WORDS means none is left and the next draw computes a block). */
typedef struct {
    philox4x64_key_t key;
    philox4x64_ctr_t ctr;
    philox4x64_ctr_t out;
    unsigned used;
} philox_state;

/* 2^-53: turns the top 53 bits of a word into a double in [0, 1) exactly. */
static const double TWO_POW_M53 = 1.0 / 9007199254740992.0;

static inline uint64_t philox_next_word(philox_state *s)
{
    if (s->used == PHILOX_WORDS) {
        s->out = philox4x64_R(PHILOX_ROUNDS, s->ctr, s->key);
        /* The block index gets 2^64 values per entity before it carries into
         * the last counter word (which the contract leaves at 0 until then):
         * no realistic substream wraps around onto itself. */
        if (++s->ctr.v[2] == 0) ++s->ctr.v[3];
        s->used = 0;
    }
    return s->out.v[s->used++];
}

static void philox_position(philox_state *s, uint64_t seed, uint64_t stream, uint64_t replication,
                            uint64_t entity)
{
    s->key.v[0] = seed;
    s->key.v[1] = stream;
    s->ctr.v[0] = replication;
    s->ctr.v[1] = entity;
    s->ctr.v[2] = 0;
    s->ctr.v[3] = 0;
    s->used = PHILOX_WORDS;
}

/* gsl_rng_set(r, s) names stream (s, 0, 0) at entity 0, block 0, so it is
 * the same as es_rng_name(r, s, 0, 0). gsl_rng_alloc calls it with
 * gsl_rng_default_seed. */
static void philox_set(void *vs, unsigned long seed)
{
    philox_position(vs, seed, 0, 0, 0);
}

/* Integers: the high 32 bits of the next word, with max = 2^32 - 1. Every
 * generator GSL ships has max <= 2^32 - 1, so its integer consumers
 * (gsl_rng_uniform_int: "range is typically O(2^32)") and much user code
 * were only ever exercised in that range (and with a 64-bit max the common
 * idiom max + 1 wraps to 0). Unsigned long is 32 bits on some platforms:
 * 32-bit integers give the same values everywhere. Each call consumes one
 * whole word, as get_double does, so a stream position is simply the
 * number of draws. es_rng_philox_word gives the full 64 bits. */
static unsigned long philox_get(void *vs)
{
    return (unsigned long)(philox_next_word(vs) >> 32);
}

/* Doubles: the top 53 bits of the next word times 2^-53, so every value in
 * [0, 1) that is a multiple of 2^-53 is equally likely (32-bit generators
 * stop at multiples of 2^-32). */
static double philox_get_double(void *vs)
{
    return (double)(philox_next_word(vs) >> 11) * TWO_POW_M53;
}

static const gsl_rng_type philox_type = {
    "philox4x64-10",
    0xffffffffUL, /* max: see philox_get */
    0,            /* min */
    sizeof(philox_state),
    philox_set,
    philox_get,
    philox_get_double,
};

const gsl_rng_type *es_rng_philox_type(void)
{
    return &philox_type;
}

static philox_state *philox_of(gsl_rng *r)
{
    ES_ASSERT(r != NULL && r->type == &philox_type);
    return r->state;
}

uint64_t es_rng_philox_word(gsl_rng *r)
{
    return philox_next_word(philox_of(r));
}

void es_rng_philox_seek(gsl_rng *r, const uint64_t key[2], const uint64_t ctr[4])
{
    philox_state *s = philox_of(r);
    memcpy(s->key.v, key, sizeof s->key.v);
    memcpy(s->ctr.v, ctr, sizeof s->ctr.v);
    s->used = PHILOX_WORDS;
}

/* ---- classic GSL generators, named ------------------------------------ */

/* What the wrapper needs to know about each classic generator. */
typedef struct {
    const gsl_rng_type *const *gsl_type; /* GSL's own table, e.g. &gsl_rng_mt19937 */
    uint64_t seeds;                      /* hashed seeds fall in [1, seeds] */
    size_t room;                         /* bytes reserved for GSL's state */
} classic_info;

/* Room for GSL's internal states, whose types are private to GSL: mt19937
 * keeps 624 unsigned longs and an int, ranlxd2 13 doubles and 4 unsigned
 * ints. classic_reseed checks that GSL's declared size fits. */
enum {
    MT19937_STATE_BYTES = 625 * sizeof(unsigned long),
    RANLXD2_STATE_BYTES = 16 * sizeof(double),
};

/* Seed ranges that GSL's seeding really distinguishes. mt19937 reads the
 * low 32 bits and maps 0 to its default 4357; ranlxd2 reads the low 31 bits
 * of an int, maps 0 to 1, and seeds s and 2^32 - s give the same stream.
 * Hashing into [1, seeds] gives every name a seed GSL tells apart. */
static const classic_info MT19937_INFO = {&gsl_rng_mt19937, 0xffffffffu, MT19937_STATE_BYTES};
static const classic_info RANLXD2_INFO = {&gsl_rng_ranlxd2, 0x7fffffffu, RANLXD2_STATE_BYTES};

typedef struct {
    uint64_t seed;
    uint64_t replication;
    uint32_t stream;
} stream_name;

/* Invariant: inner holds GSL's state seeded with hashed_seed(name, entity)
 * for the last entity chosen, then advanced by the draws made since. */
typedef struct {
    stream_name name;
    _Alignas(max_align_t) unsigned char inner[MT19937_STATE_BYTES];
} mt19937_state;

typedef struct {
    stream_name name;
    _Alignas(max_align_t) unsigned char inner[RANLXD2_STATE_BYTES];
} ranlxd2_state;

/* Both wrappers share the layout up to inner, so one set of helpers serves. */
_Static_assert(offsetof(mt19937_state, inner) == offsetof(ranlxd2_state, inner),
               "classic wrappers must share their header layout");

static void *classic_inner(void *vs)
{
    return (unsigned char *)vs + offsetof(mt19937_state, inner);
}

/* SplitMix64's output function (Steele, Lea and Flood 2014): a bijection on
 * 64 bits with full avalanche, so chaining it over the fields of a name
 * spreads every bit of every field over the result. */
static uint64_t splitmix64(uint64_t x)
{
    uint64_t z = x + 0x9e3779b97f4a7c15u;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static unsigned long hashed_seed(const classic_info *c, const stream_name *n, uint64_t entity)
{
    uint64_t h = splitmix64(n->seed);
    h = splitmix64(h ^ n->stream);
    h = splitmix64(h ^ n->replication);
    h = splitmix64(h ^ entity);
    return (unsigned long)(1 + h % c->seeds);
}

static void classic_reseed(const classic_info *c, void *vs, uint64_t entity)
{
    const gsl_rng_type *t = *c->gsl_type;
    ES_ASSERT(t->size <= c->room);
    t->set(classic_inner(vs), hashed_seed(c, vs, entity));
}

static void classic_name(const classic_info *c, void *vs, uint64_t seed, uint32_t stream,
                         uint64_t replication)
{
    stream_name *n = vs;
    n->seed = seed;
    n->stream = stream;
    n->replication = replication;
    classic_reseed(c, vs, 0);
}

/* Like philox_set: gsl_rng_set(r, s) is es_rng_name(r, s, 0, 0), hashed
 * (so, unlike GSL's own generators, seeds s and s + 2^32 differ). */
static void classic_set(const classic_info *c, void *vs, unsigned long seed)
{
    classic_name(c, vs, seed, 0, 0);
}

static void mt19937_set(void *vs, unsigned long seed)
{
    classic_set(&MT19937_INFO, vs, seed);
}

static unsigned long mt19937_get(void *vs)
{
    return gsl_rng_mt19937->get(classic_inner(vs));
}

static double mt19937_get_double(void *vs)
{
    return gsl_rng_mt19937->get_double(classic_inner(vs));
}

static void ranlxd2_set(void *vs, unsigned long seed)
{
    classic_set(&RANLXD2_INFO, vs, seed);
}

static unsigned long ranlxd2_get(void *vs)
{
    return gsl_rng_ranlxd2->get(classic_inner(vs));
}

static double ranlxd2_get_double(void *vs)
{
    return gsl_rng_ranlxd2->get_double(classic_inner(vs));
}

/* max and min repeat GSL's values (the tables must be constant); the unit
 * test compares them with gsl_rng_mt19937 and gsl_rng_ranlxd2. */
static const gsl_rng_type mt19937_type = {
    "mt19937", 0xffffffffUL, 0, sizeof(mt19937_state), mt19937_set, mt19937_get, mt19937_get_double,
};

static const gsl_rng_type ranlxd2_type = {
    "ranlxd2", 0xffffffffUL, 0, sizeof(ranlxd2_state), ranlxd2_set, ranlxd2_get, ranlxd2_get_double,
};

/* ---- kinds and names --------------------------------------------------- */

static const char *const KIND_NAMES[ES_RNG_KIND_COUNT] = {
    [ES_RNG_PHILOX] = "philox",
    [ES_RNG_MT19937] = "mt19937",
    [ES_RNG_RANLXD2] = "ranlxd2",
};

static const gsl_rng_type *const KIND_TYPES[ES_RNG_KIND_COUNT] = {
    [ES_RNG_PHILOX] = &philox_type,
    [ES_RNG_MT19937] = &mt19937_type,
    [ES_RNG_RANLXD2] = &ranlxd2_type,
};

const char *es_rng_kind_name(es_rng_kind k)
{
    return (unsigned)k < ES_RNG_KIND_COUNT ? KIND_NAMES[k] : "unknown";
}

int es_rng_kind_parse(const char *name, es_rng_kind *k)
{
    for (int i = 0; i < ES_RNG_KIND_COUNT; i++) {
        if (name != NULL && strcmp(name, KIND_NAMES[i]) == 0) {
            *k = (es_rng_kind)i;
            return 0;
        }
    }
    return -1;
}

const gsl_rng_type *es_rng_type(es_rng_kind k)
{
    return (unsigned)k < ES_RNG_KIND_COUNT ? KIND_TYPES[k] : NULL;
}

es_rng_kind es_rng_kind_of(const gsl_rng *r)
{
    for (int i = 0; i < ES_RNG_KIND_COUNT; i++)
        if (r->type == KIND_TYPES[i]) return (es_rng_kind)i;
    return ES_RNG_KIND_COUNT;
}

gsl_rng *es_rng_new(es_rng_kind k)
{
    const gsl_rng_type *t = es_rng_type(k);
    return t != NULL && !es_mem_fault_tick() ? gsl_rng_alloc(t) : NULL;
}

/* The classic wrapper of a kind, or NULL for philox. */
static const classic_info *classic_of(es_rng_kind k)
{
    return k == ES_RNG_MT19937 ? &MT19937_INFO : k == ES_RNG_RANLXD2 ? &RANLXD2_INFO : NULL;
}

unsigned long es_rng_classic_seed(es_rng_kind k, uint64_t seed, uint32_t stream,
                                  uint64_t replication, uint64_t entity)
{
    const stream_name n = {seed, replication, stream};
    const classic_info *c = classic_of(k);
    ES_ASSERT(c != NULL);
    return hashed_seed(c, &n, entity);
}

/* Both functions need a generator whose state carries a name: one of our
 * three types. Any other gsl_rng is a caller's bug. */
void es_rng_name(gsl_rng *r, uint64_t seed, uint32_t stream, uint64_t replication)
{
    if (r->type == es_rng_philox_type()) {
        philox_position(r->state, seed, stream, replication, 0);
        return;
    }
    const classic_info *c = classic_of(es_rng_kind_of(r));
    ES_ASSERT(c != NULL);
    classic_name(c, r->state, seed, stream, replication);
}

void es_rng_entity(gsl_rng *r, uint64_t entity)
{
    if (r->type == es_rng_philox_type()) {
        philox_state *s = r->state;
        s->ctr.v[1] = entity;
        s->ctr.v[2] = 0;
        s->ctr.v[3] = 0;
        s->used = PHILOX_WORDS;
        return;
    }
    const classic_info *c = classic_of(es_rng_kind_of(r));
    ES_ASSERT(c != NULL);
    classic_reseed(c, r->state, entity);
}
