/* test_params.c: the rules of each parameter type (model/params.h) and the
 * text helpers they use (core/text.h).
 *
 * Each rule has one home; these checks pin what a user relies on: numbers
 * print as the shortest text that reads back, "did you mean" finds typos,
 * shares sum to 1 within ES_SHARES_TOL both in a file and in es_params, a
 * reassignment's own rules and the pool rule over time, constant paths
 * follow horizon.start, and every type's field size, default and text. */
#define _GNU_SOURCE /* mkstemps */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/date.h"
#include "core/text.h"
#include "io/cfg.h"
#include "model/params.h"
#include "../testlib.h"

static int reads_back(double v)
{
    char b[ES_FMT_DOUBLE_MAX];
    es_fmt_double(b, sizeof b, v);
    return strtod(b, NULL) == v;
}

static void test_text(void)
{
    char b[ES_FMT_DOUBLE_MAX];
    es_fmt_double(b, sizeof b, 0.1);
    CHECK(!strcmp(b, "0.1"), "fmt_double: 0.1 without noise digits");
    /* 15 digits do not read back, 16 do: the shortest is 16 digits, where
     * a 15-or-17 rule would print 0.12345678901234559. */
    es_fmt_double(b, sizeof b, 0.1234567890123456);
    CHECK(!strcmp(b, "0.1234567890123456"), "fmt_double: 16 digits where 15 fail");
    es_fmt_double(b, sizeof b, 2.385e-300);
    CHECK(!strcmp(b, "2.385e-300"), "fmt_double: tiny exponent");
    int all = 1;
    double v = 1.0 / 3.0;
    for (int k = 0; k < 2000; k++, v = v * 1.7312 + 1e-3) all &= reads_back(v) && reads_back(-v);
    CHECK(all, "fmt_double: 4000 values read back exactly");
    es_fmt_real(b, sizeof b, 1.0);
    CHECK(!strcmp(b, "1.0"), "fmt_real: a whole number stays a float literal");
    es_fmt_real(b, sizeof b, -0.0);
    CHECK(!strcmp(b, "-0.0"), "fmt_real: -0 keeps its sign as a float");
    es_fmt_real(b, sizeof b, 2.5e20);
    CHECK(!strcmp(b, "2.5e+20"), "fmt_real: an exponent needs no .0");
    es_fmt_real(b, sizeof b, INFINITY);
    CHECK(!strcmp(b, "inf"), "fmt_real: inf unchanged");

    CHECK(es_edit_distance("kitten", "sitting") == 3, "edit_distance: kitten/sitting = 3");
    CHECK(es_edit_distance("", "abc") == 3 && es_edit_distance("abc", "") == 3,
          "edit_distance: against empty");
    CHECK(es_edit_distance("border.intensty", "border.intensity") == 1,
          "edit_distance: one dropped letter");

    static const char *const names[] = {"drug", "worksite_enforcement", "gangs", NULL};
    const char *near = (const char *)1;
    CHECK(es_nearest_name(names, "gangs", &near) == 2 && near == NULL, "nearest_name: exact");
    CHECK(es_nearest_name(names, "gagns", &near) == -1 && near && !strcmp(near, "gangs"),
          "nearest_name: typo");
    CHECK(es_nearest_name(names, "worksite", &near) == -1 && near &&
              !strcmp(near, "worksite_enforcement"),
          "nearest_name: the one name that contains it");
    CHECK(es_nearest_name(names, "zzzzzzzzzz", &near) == -1 && near == NULL,
          "nearest_name: nothing near");
}

static void test_rows(void)
{
    es_params *p = calloc(1, sizeof *p);
    int sizes = 1, defaults = 1, texts = 1;
    char buf[ES_PARAM_TEXT_MAX];
    if (!p) return;
    es_params_defaults(p);
    for (size_t i = 0; i < es_param_count; i++) {
        const es_param_def *d = &es_param_table[i];
        size_t sz = es_param_size(d);
        sizes &= sz > 0 && d->offset + sz <= sizeof *p;
        if (d->type == ES_P_PATH) sizes &= sz == sizeof(es_path);
        if (d->type == ES_P_VEC || d->type == ES_P_SHARES)
            sizes &= sz == (size_t)d->count * sizeof(double) && es_param_elements(d) == d->count;
        if (d->type == ES_P_REAL) defaults &= *(const double *)((char *)p + d->offset) == d->def;
        es_param_range_text(d, ES_TEXT_TABLE, buf, sizeof buf);
        texts &= buf[0] != '\0';
        es_param_range_text(d, ES_TEXT_COMMENT, buf, sizeof buf);
        texts &= buf[0] != '\0';
        es_param_default_text(d, buf, sizeof buf);
        texts &= buf[0] != '\0' || d->type == ES_P_CHOICE;
    }
    CHECK(sizes, "rows: every field lies inside es_params, vectors hold count doubles");
    CHECK(defaults, "rows: real defaults are the registry's");
    CHECK(texts, "rows: every type has range and default text");
    char err[512];
    const char *bad = NULL;
    CHECK(es_params_check(p, err, sizeof err, &bad) == 0 && bad == NULL,
          "check: the defaults pass");
    CHECK(!strcmp(es_ptype_name(ES_P_MOVES), "reassignments") &&
              !strcmp(es_ptype_name((es_ptype)99), "unknown"),
          "rows: type names, unknown for a bad type");
    const es_param_def *share = es_param_find("migration.origin_share");
    CHECK(share && es_param_quoted(share) == 0 && es_param_scalar(share) == 0,
          "rows: shares are neither quoted nor scalar");
    CHECK(es_param_quoted(es_param_find("run.rng")) &&
              es_param_quoted(es_param_find("horizon.start")),
          "rows: choices and dates are quoted");
    CHECK(es_param_whole(es_param_find("run.replications")) &&
              !es_param_whole(es_param_find("border.lead_prob_large")),
          "rows: whole numbers");

    /* Shares: one tolerance wherever checked. */
    double v[ES_N_ORIGINS] = {0.5, 0.3, 0.1, 0.1 + 0.9 * ES_SHARES_TOL};
    char msg[256];
    CHECK(share && es_param_check_sum(share, v, msg, sizeof msg) == 0,
          "shares: a sum off by 0.9 tolerance passes");
    v[3] = 0.1 + 1.5 * ES_SHARES_TOL;
    CHECK(share && es_param_check_sum(share, v, msg, sizeof msg) == -1 &&
              strstr(msg, "shares sum to 1.0000015"),
          "shares: a sum off by 1.5 tolerance fails, naming the sum");
    memcpy(p->origin_share, v, sizeof v);
    CHECK(es_params_check(p, err, sizeof err, &bad) == -1 && bad &&
              !strcmp(bad, "migration.origin_share") && strstr(err, "shares sum"),
          "shares: es_params_check applies the same tolerance");
    es_params_defaults(p);
    CHECK(share && es_param_check_number(share, "element 1 (mexico) = ", 1.2, msg, sizeof msg) &&
              !strcmp(msg, "element 1 (mexico) = 1.2 is out of range [0, 1]"),
          "range: the message names the element and the bounds");
    CHECK(share && es_param_check_number(share, "", NAN, msg, sizeof msg) &&
              strstr(msg, "not a finite number"),
          "range: NaN is refused");
    free(p);
}

static void test_moves(void)
{
    es_params *p = calloc(1, sizeof *p);
    char err[512], msg[256];
    const char *bad = NULL;
    if (!p) return;
    es_params_defaults(p);
    es_move m = {ES_PROG_GANGS, ES_PROG_GANGS, 5, 0, p->start_day, -1};
    CHECK(es_move_check(&m, msg, sizeof msg) && !strcmp(msg, "'from' and 'to' are both 'gangs'"),
          "move: from = to");
    m.to = ES_PROG_OTHER;
    m.agents = -1;
    m.share = 1.25;
    CHECK(es_move_check(&m, msg, sizeof msg) && !strcmp(msg, "'share': 1.25 is not in (0, 1]"),
          "move: share outside (0, 1]");
    m.share = 0.25;
    m.end = m.start - 1;
    CHECK(es_move_check(&m, msg, sizeof msg) && strstr(msg, "is before 'start'"),
          "move: end before start");
    m.end = -1;
    CHECK(es_move_check(&m, msg, sizeof msg) == 0, "move: a share with no end passes");

    /* Two moves that each fit, but overlap: the pool rule over time. */
    int from = ES_PROG_SMUGGLING;
    p->agents[from] = 450;
    p->reassign.n = 2;
    p->reassign.m[0] = (es_move){from, ES_PROG_GANGS, 300, 0, p->start_day + 10, p->start_day + 40};
    p->reassign.m[1] = (es_move){from, ES_PROG_OTHER, 200, 0, p->start_day + 30, -1};
    CHECK(es_params_check(p, err, sizeof err, &bad) == -1 && bad &&
              !strcmp(bad, "hsi.reassignments") &&
              strstr(err, "reassignment 2 moves 200 agents out of 'migrant_smuggling', which "
                          "then has only 150 (450 in hsi.agents, less 300 moved out") &&
              strstr(err, "on 2014-10-31"),
          "moves: overlapping moves that empty a pool fail, on the day they overlap");
    p->reassign.m[1].start = p->start_day + 41;
    CHECK(es_params_check(p, err, sizeof err, &bad) == 0, "moves: the same moves in turn pass");

    /* Shares are of the program's own agents: two share = 1.0 moves out of
     * one program on overlapping days would move 200% of it. */
    p->reassign.m[0] =
        (es_move){from, ES_PROG_GANGS, -1, 1.0, p->start_day + 10, p->start_day + 40};
    p->reassign.m[1] = (es_move){from, ES_PROG_OTHER, -1, 1.0, p->start_day + 40, -1};
    CHECK(es_params_check(p, err, sizeof err, &bad) == -1 &&
              strstr(err, "reassignment 2 moves 450 agents out of 'migrant_smuggling', which then "
                          "has only 0"),
          "moves: two overlapping share = 1.0 moves out of one program fail");
    p->reassign.m[1].start = p->start_day + 41;
    CHECK(es_params_check(p, err, sizeof err, &bad) == 0,
          "moves: the same share = 1.0 moves one after the other pass");
    /* Everyone moved out, then a share of the empty pool. */
    p->reassign.m[0] = (es_move){from, ES_PROG_GANGS, 450, 0, p->start_day + 10, -1};
    p->reassign.m[1] = (es_move){from, ES_PROG_OTHER, -1, 0.5, p->start_day + 100, -1};
    CHECK(es_params_check(p, err, sizeof err, &bad) == -1 &&
              strstr(err, "moves 225 agents out of 'migrant_smuggling', which then has only 0"),
          "moves: a share of a pool emptied by an earlier move fails");
    /* Agents moved in first can be moved on: the pool holds them then. */
    p->reassign.m[0] = (es_move){ES_PROG_OTHER, from, 300, 0, p->start_day + 10, -1};
    p->reassign.m[1] = (es_move){from, ES_PROG_GANGS, 700, 0, p->start_day + 20, -1};
    int moved_in_ok = es_params_check(p, err, sizeof err, &bad) == 0;
    if (!moved_in_ok) printf("# %s\n", err);
    CHECK(moved_in_ok, "moves: agents moved into a pool count towards what it can give");
    p->reassign.m[1].agents = 751;
    CHECK(es_params_check(p, err, sizeof err, &bad) == -1 &&
              strstr(err, "which then has only 750 (450 in hsi.agents, plus 300 moved in"),
          "moves: one agent more than the pool then holds fails, saying what it holds");
    p->reassign.m[1] = (es_move){from, ES_PROG_GANGS, 300, 0, p->start_day + 10, -1};
    p->reassign.m[1].start = p->end_day + 1;
    CHECK(es_params_check(p, err, sizeof err, &bad) == -1 && strstr(err, "reassignment 2 starts") &&
              strstr(err, "outside the horizon"),
          "moves: a start after the horizon fails, naming the horizon");
    free(p);
}

/* Whole int64 values against the range exactly: a double cannot tell
 * 9.2e18 from 9.2e18 + 1, but the check must (--seed relies on it). */
static void test_int64_range(void)
{
    const es_param_def *d = es_param_find("run.seed");
    char msg[256];
    CHECK(d && es_param_check_int64(d, 0, msg, sizeof msg) == 0 &&
              es_param_check_int64(d, (int64_t)d->max, msg, sizeof msg) == 0,
          "int64 range: both ends of run.seed's range pass");
    CHECK(d && es_param_check_int64(d, (int64_t)d->max + 1, msg, sizeof msg) == -1 &&
              strstr(msg, "9200000000000000001 is out of range"),
          "int64 range: one above run.seed's maximum fails, written in full");
    CHECK(d && es_param_check_int64(d, INT64_MAX, msg, sizeof msg) == -1 &&
              es_param_check_int64(d, -1, msg, sizeof msg) == -1,
          "int64 range: INT64_MAX and -1 fail");
}

/* min <= mean <= max for the vectors labelled so (party sizes). */
static void test_vector_order(void)
{
    es_params *p = calloc(1, sizeof *p);
    char err[512];
    const char *bad = NULL;
    if (!p) return;
    es_params_defaults(p);
    p->size_single[0] = 200, p->size_single[1] = 200, p->size_single[2] = 1;
    CHECK(es_params_check(p, err, sizeof err, &bad) == -1 && bad &&
              !strcmp(bad, "migration.party_size.single_adult") &&
              strstr(err, "mean 200 is above max 1"),
          "vector order: party_size = [200, 200, 1] fails, naming mean and max");
    p->size_single[0] = 3, p->size_single[1] = 2.5, p->size_single[2] = 4;
    CHECK(es_params_check(p, err, sizeof err, &bad) == -1 && strstr(err, "min 3 is above mean 2.5"),
          "vector order: a mean below the min fails");
    p->size_single[0] = 2, p->size_single[1] = 2, p->size_single[2] = 2;
    CHECK(es_params_check(p, err, sizeof err, &bad) == 0,
          "vector order: min = mean = max (one size) passes");
    free(p);
}

static void test_horizon(void)
{
    char path[] = "/tmp/es_test_params_XXXXXX.cfg";
    int fd = mkstemps(path, 4);
    es_params *p = calloc(1, sizeof *p);
    char err[1024];
    int32_t start;
    if (fd < 0 || !p) {
        CHECK(0, "horizon: scratch file");
        free(p);
        return;
    }
    FILE *f = fdopen(fd, "w");
    fputs("horizon = { start = \"2015-01-01\"; warmup_end = \"2015-10-01\"; };\n"
          "border = { intensity = 1.1; };\n",
          f);
    fclose(f);
    es_date_parse("2015-01-01", &start);
    es_status st = es_cfg_load(path, NULL, 0, p, err, sizeof err);
    CHECK(st == ES_OK && p->intensity.n == 1 && p->intensity.day[0] == start &&
              p->arrivals.day[0] == start,
          "horizon: constant and default paths start at horizon.start");
    if (st == ES_OK) {
        p->start_day += 31;
        unsigned char *constant = calloc(es_param_count, 1);
        const es_param_def *d = es_param_find("border.intensity");
        if (constant && d) {
            constant[d - es_param_table] = 1;
            es_params_to_horizon(p, constant);
        }
        CHECK(constant && p->intensity.day[0] == start + 31 && p->arrivals.day[0] == start,
              "horizon: only the flagged constant path moves");
        free(constant);
    }
    unlink(path);
    free(p);
}

int main(void)
{
    test_text();
    test_rows();
    test_moves();
    test_vector_order();
    test_int64_range();
    test_horizon();
    return TEST_END();
}
