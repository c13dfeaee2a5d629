/* hash.h: FNV-1a 64 (Fowler, Noll, Vo) over bytes.
 *
 * Used where a run must recognise its own data: shard identities and
 * journal checksums. Not cryptographic: it detects accidents (a torn write,
 * a flipped bit, a file from another run), not tampering. Byte order and
 * platform do not change the value. */
#ifndef ES_HASH_H
#define ES_HASH_H
#include <stddef.h>
#include <stdint.h>

#define ES_FNV_OFFSET 0xcbf29ce484222325u

/* Continues the hash h (start from ES_FNV_OFFSET) over n bytes. */
static inline uint64_t es_fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3u;
    }
    return h;
}

#endif
