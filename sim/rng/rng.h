/* rng.h: named random streams behind the gsl_rng interface (docs/experiments.md, Random streams).
 *
 * A stream is named by (master seed, stream id, replication) and, inside it,
 * by an entity number: the same name always yields the same sequence,
 * whatever else ran before. The default generator is our own gsl_rng_type
 * over Random123's philox4x64-10: key = (seed, stream id), counter =
 * (replication, entity, block, 0); each block gives four 64-bit words, and
 * get_double returns 53-bit doubles in [0, 1).
 *
 * Classic GSL generators (mt19937, ranlxd2) can be chosen instead; they are
 * seeded with a SplitMix64 hash of the full name (32 bits; 31 for ranlxd2,
 * whose seeding ignores bit 31) and give no independence guarantee between
 * streams.
 *
 * Every draw goes through GSL (gsl_rng_uniform, gsl_ran_lognormal, ...),
 * except exponentials, which es_rng_exponential draws from the same one
 * uniform as gsl_ran_exponential, only faster (see there).
 *
 * Usage: r = es_rng_new(kind); es_rng_name(r, seed, stream, rep); then per
 * entity es_rng_entity(r, id) and draw; gsl_rng_free(r). Clarifications:
 * - Every draw (gsl_rng_get or gsl_rng_uniform) consumes one 64-bit philox
 *   word. gsl_rng_get returns its high 32 bits (max 2^32-1, as GSL's own
 *   generators, so gsl_rng_uniform_int takes n < 2^32); es_rng_philox_word
 *   gives all 64 bits.
 * - gsl_rng_set(r, s) is es_rng_name(r, s, 0, 0) for every kind.
 * - es_rng_name/es_rng_entity need a generator of es_rng_type(kind): the
 *   classic kinds are wrapped so that their state remembers the name (the
 *   numbers are GSL's, seeded with es_rng_classic_seed). Not thread-safe per
 *   generator: give each thread its own; the types themselves are const. */
#ifndef ES_RNG_H
#define ES_RNG_H
#include <math.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "../core/check.h"

typedef enum { ES_RNG_PHILOX = 0, ES_RNG_MT19937, ES_RNG_RANLXD2, ES_RNG_KIND_COUNT } es_rng_kind;

/* The gsl_rng_type of philox4x64-10 with 53-bit doubles (a const table). */
const gsl_rng_type *es_rng_philox_type(void);

const char *es_rng_kind_name(es_rng_kind k);
/* Returns 0 and sets *k for "philox", "mt19937", "ranlxd2"; -1 otherwise. */
int es_rng_kind_parse(const char *name, es_rng_kind *k);

/* Allocate a generator of the kind; NULL when out of memory. Free with gsl_rng_free. */
gsl_rng *es_rng_new(es_rng_kind k);
/* Name the stream: seed, stream id, replication; positions at entity 0, block 0. */
void es_rng_name(gsl_rng *r, uint64_t seed, uint32_t stream, uint64_t replication);
/* Restart at the beginning of the entity's substream under the current name.
 * Draws keyed this way do not depend on how many draws other entities made.
 * Cheap for philox (it only moves the counter); the classic kinds reseed
 * GSL's generator, about 3-5 microseconds a call. */
void es_rng_entity(gsl_rng *r, uint64_t entity);

/* ---- substream keys ----
 * An entity key for es_rng_entity packed from fields, most significant
 * first, the last field ending at bit 0 (bits above the fields are 0):
 * ES_RNG_KEY3(2, use, 57, serial, 5, attempt) is
 * (use << 62) | (serial << 5) | attempt. Field widths are constants from 1
 * to 63 that sum to at most 64, checked at compile time; a value that does
 * not fit its width is a bug (ES_ASSERT), never silently masked into a
 * neighbour, so two entities can share a substream only if every field of
 * theirs is equal. Keys of different layouts drawn from the same stream must
 * differ in a tag field, or in bits that one layout keeps at zero. */
#define ES_RNG_KEY_WIDTHS_(sum, ...)                                                         \
    ((void)sizeof(struct {                                                                   \
        _Static_assert((sum) <= 64 && (__VA_ARGS__), "key fields: widths 1..63, sum <= 64"); \
        int ok;                                                                              \
    }))
#define ES_RNG_W_(w) ((w) >= 1 && (w) <= 63)
#define ES_RNG_KEY2(w1, v1, w0, v0)                                   \
    (ES_RNG_KEY_WIDTHS_((w1) + (w0), ES_RNG_W_(w1) && ES_RNG_W_(w0)), \
     es_rng_key_((const uint64_t[]){(v1), (v0)}, (const unsigned char[]){(w1), (w0)}, 2))
#define ES_RNG_KEY3(w2, v2, w1, v1, w0, v0)                                                       \
    (ES_RNG_KEY_WIDTHS_((w2) + (w1) + (w0), ES_RNG_W_(w2) && ES_RNG_W_(w1) && ES_RNG_W_(w0)),     \
     es_rng_key_((const uint64_t[]){(v2), (v1), (v0)}, (const unsigned char[]){(w2), (w1), (w0)}, \
                 3))
#define ES_RNG_KEY4(w3, v3, w2, v2, w1, v1, w0, v0)                                        \
    (ES_RNG_KEY_WIDTHS_((w3) + (w2) + (w1) + (w0),                                         \
                        ES_RNG_W_(w3) && ES_RNG_W_(w2) && ES_RNG_W_(w1) && ES_RNG_W_(w0)), \
     es_rng_key_((const uint64_t[]){(v3), (v2), (v1), (v0)},                               \
                 (const unsigned char[]){(w3), (w2), (w1), (w0)}, 4))

/* The packing behind ES_RNG_KEYn; call it through them. */
static inline uint64_t es_rng_key_(const uint64_t *v, const unsigned char *w, int n)
{
    uint64_t key = 0;
    for (int i = 0; i < n; i++) {
        ES_ASSERT(v[i] >> w[i] == 0);
        key = key << w[i] | v[i];
    }
    return key;
}

/* The gsl_rng_type of a kind (static const); NULL for an invalid kind. */
const gsl_rng_type *es_rng_type(es_rng_kind k);
/* The kind of a generator of es_rng_type(k); ES_RNG_KIND_COUNT for any other type. */
es_rng_kind es_rng_kind_of(const gsl_rng *r);
/* The GSL seed that a classic kind (mt19937, ranlxd2) uses for a name and
 * entity: SplitMix64 chained over (seed, stream, replication, entity),
 * reduced to [1, 2^32-1] for mt19937 and [1, 2^31-1] for ranlxd2 (the
 * seeds their GSL seeding tells apart). Lets a user replay a stream with
 * plain GSL. */
unsigned long es_rng_classic_seed(es_rng_kind k, uint64_t seed, uint32_t stream,
                                  uint64_t replication, uint64_t entity);

/* Philox only (an assertion fails for other types). The next full 64-bit
 * word, consuming one draw like gsl_rng_get. */
uint64_t es_rng_philox_word(gsl_rng *r);
/* For known-answer tests and tools: set the raw key and counter; the next
 * word is word 0 of philox4x64_10(ctr, key). */
void es_rng_philox_seek(gsl_rng *r, const uint64_t key[2], const uint64_t ctr[4]);

/* An exponential variate of the given mean from one gsl_rng_uniform draw,
 * as gsl_ran_exponential (-mean * log1p(-u)), but as -mean * log(1 - u):
 * glibc's log costs about a seventh of its log1p (2 against 16 ns), and the
 * model draws several exponentials an event. The same distribution: every
 * generator here gives u as a multiple of 2^-53 (or 2^-32), so 1 - u is
 * exact and log(1 - u) is log1p(-u) to within the functions' rounding
 * (tests/unit/test_rng.c checks both on the same draws). */
static inline double es_rng_exponential(gsl_rng *r, double mean)
{
    return -mean * log(1.0 - gsl_rng_uniform(r));
}

#endif
