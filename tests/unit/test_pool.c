/* test_pool.c: entity pool ids, reuse order, zeroing, growth and counts. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "engine/pool.h"
#include "../testlib.h"

/* An odd-sized record (not a power of two) with a recognisable payload. */
typedef struct {
    double weight;
    uint32_t tag;
    uint16_t kind;
    unsigned char pad[7];
} rec;

static int all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t k = 0; k < n; k++)
        if (b[k]) return 0;
    return 1;
}

static void test_fresh_ids(void)
{
    es_pool *p = es_pool_new(sizeof(rec), 4);
    CHECK(p && es_pool_live(p) == 0 && es_pool_capacity(p) >= 4, "pool_new_is_empty");
    int ok = 1;
    for (uint32_t k = 0; k < 10; k++) ok &= es_pool_alloc(p) == k;
    CHECK(ok, "pool_fresh_ids_are_issued_0_1_2_in_order");
    CHECK(es_pool_live(p) == 10, "pool_live_counts_allocations");
    CHECK(es_pool_is_live(p, 9) && !es_pool_is_live(p, 10) && !es_pool_is_live(p, ES_POOL_NONE),
          "pool_is_live_false_for_never_issued_ids_and_none");
    es_pool_free(p);
    es_pool_free(NULL); /* accepted: a crash here fails the program (tests/run.sh) */
}

static void test_reuse_and_zeroing(void)
{
    es_pool *p = es_pool_new(sizeof(rec), 16);
    uint32_t id[8];
    for (int k = 0; k < 8; k++) {
        id[k] = es_pool_alloc(p);
        rec *r = es_pool_get(p, id[k]);
        r->weight = 2.385 * k;
        r->tag = 0xC0FFEEu + (uint32_t)k;
        r->kind = 7;
        memset(r->pad, 0xAB, sizeof r->pad);
    }
    es_pool_release(p, id[2]);
    es_pool_release(p, id[5]);
    es_pool_release(p, id[3]);
    CHECK(es_pool_live(p) == 5 && !es_pool_is_live(p, id[5]) && es_pool_is_live(p, id[4]),
          "pool_release_updates_live_count_and_liveness");
    /* LIFO: the last released id comes back first. */
    uint32_t a = es_pool_alloc(p), b = es_pool_alloc(p), c = es_pool_alloc(p);
    CHECK(a == id[3] && b == id[5] && c == id[2], "pool_reuses_released_ids_lifo");
    CHECK(es_pool_alloc(p) == 8, "pool_issues_fresh_id_once_free_list_is_empty");
    CHECK(all_zero(es_pool_get(p, a), sizeof(rec)) && all_zero(es_pool_get(p, b), sizeof(rec)) &&
              all_zero(es_pool_get(p, c), sizeof(rec)),
          "pool_reused_record_is_zeroed");
    const rec *r7 = es_pool_get(p, id[7]);
    CHECK(r7->tag == 0xC0FFEEu + 7 && r7->weight == 2.385 * 7,
          "pool_release_leaves_other_records_intact");
    CHECK(es_pool_live(p) == 9, "pool_live_counts_after_reuse");
    es_pool_free(p);
}

static void test_growth(void)
{
    enum { N = 10007 };
    es_pool *p = es_pool_new(sizeof(rec), 3);
    size_t cap0 = es_pool_capacity(p);
    int ok = 1;
    for (uint32_t k = 0; k < N; k++) {
        uint32_t id = es_pool_alloc(p);
        rec *r = es_pool_get(p, id);
        ok &= id == k && all_zero(r, sizeof *r);
        r->weight = 0.37 * k;
        r->tag = k ^ 0x5A5A5A5Au;
    }
    CHECK(ok, "pool_growth_issues_zeroed_records_with_consecutive_ids");
    CHECK(es_pool_capacity(p) >= N && es_pool_capacity(p) > cap0 && es_pool_capacity(p) < 2 * N,
          "pool_grows_by_doubling_past_initial_capacity");
    size_t bad = 0;
    for (uint32_t k = 0; k < N; k++) {
        const rec *r = es_pool_get(p, k);
        if (r->weight != 0.37 * k || r->tag != (k ^ 0x5A5A5A5Au)) bad++;
    }
    CHECK(bad == 0, "pool_growth_keeps_records_under_their_ids");
    CHECK(es_pool_live(p) == N, "pool_live_counts_after_growth");
    es_pool_free(p);
}

/* Memory follows the peak live count, not the number of allocations. */
static void test_churn_does_not_grow(void)
{
    enum { LIVE = 100, ROUNDS = 100000 };
    es_pool *p = es_pool_new(sizeof(rec), LIVE);
    uint32_t ids[LIVE];
    for (int k = 0; k < LIVE; k++) ids[k] = es_pool_alloc(p);
    size_t cap = es_pool_capacity(p);
    uint32_t max_id = 0;
    for (uint32_t k = 0; k < ROUNDS; k++) {
        int slot = (int)((k * 7919u) % LIVE);
        es_pool_release(p, ids[slot]);
        ids[slot] = es_pool_alloc(p);
        if (ids[slot] > max_id) max_id = ids[slot];
    }
    CHECK(es_pool_capacity(p) == cap && max_id < LIVE && es_pool_live(p) == LIVE,
          "pool_alloc_release_churn_keeps_capacity_at_peak_live");
    es_pool_free(p);
}

static int aborts(void (*fn)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        _exit(0);
    }
    int ws = 0;
    if (pid < 0 || waitpid(pid, &ws, 0) != pid) return 0;
    return WIFSIGNALED(ws) && WTERMSIG(ws) == SIGABRT;
}

static void get_released(void)
{
    es_pool *p = es_pool_new(sizeof(rec), 4);
    uint32_t id = es_pool_alloc(p);
    es_pool_release(p, id);
    (void)es_pool_get(p, id);
}

static void release_twice(void)
{
    es_pool *p = es_pool_new(sizeof(rec), 4);
    uint32_t id = es_pool_alloc(p);
    es_pool_release(p, id);
    es_pool_release(p, id);
}

static void test_bugs_assert(void)
{
    CHECK(aborts(get_released), "pool_get_of_released_id_asserts");
    CHECK(aborts(release_twice), "pool_double_release_asserts");
}

int main(void)
{
    test_fresh_ids();
    test_reuse_and_zeroing();
    test_growth();
    test_churn_does_not_grow();
    test_bugs_assert();
    return TEST_END();
}
