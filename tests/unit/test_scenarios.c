/* test_scenarios.c: scenarios, comparisons and reassignment lists in the
 * config loader and writer (io/cfg.c): precedence (file < overrides <
 * scenario < --set), errors with file and line, the checks of reassignments
 * (programs, agents or share, dates, pool sizes), and an exact
 * write -> load round trip of a whole run. Files go into a mkdtemp folder. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/date.h"
#include "io/cfg.h"
#include "model/params.h"
#include "../testlib.h"

#define ERR_MAX 2048

static char dir[64] = "/tmp/es_test_scenarios.XXXXXX";
static int n_files;

static const char *put(const char *name, const char *text)
{
    static char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        printf("FAIL cannot write %s\n", path);
        exit(1);
    }
    n_files++;
    return path;
}

static es_status load(const char *name, const char *text, const char *const *sets, int n_sets,
                      es_run_spec *spec, char *err)
{
    err[0] = '\0';
    memset(spec, 0, sizeof *spec);
    return es_cfg_load_run(put(name, text), sets, n_sets, spec, err, ERR_MAX);
}

/* Must fail with ES_ERR_CONFIG, the file name, and every needle. */
static void expect_fail(const char *label, const char *text, const char *need1, const char *need2)
{
    char err[ERR_MAX], name[64], what[160];
    es_run_spec *spec = malloc(sizeof *spec);
    if (!spec) exit(1);
    snprintf(name, sizeof name, "bad%d.cfg", n_files);
    es_status st = load(name, text, NULL, 0, spec, err);
    printf("# %s: %s\n", label, err);
    snprintf(what, sizeof what, "%s: refused with file, line and reason", label);
    CHECK(st == ES_ERR_CONFIG && strstr(err, name) && (!need1 || strstr(err, need1)) &&
              (!need2 || strstr(err, need2)),
          what);
    if (st == ES_OK) es_run_spec_fini(spec);
    free(spec);
}

static int32_t day(const char *s)
{
    int32_t d;
    if (es_date_parse(s, &d)) exit(1);
    return d;
}

static const char run_text[] =
    "# a base, two scenarios and two comparisons\n"
    "border = { intensity = 1.5; };\n"
    "hsi = { reassignments = ( { from = \"migrant_smuggling\"; to = \"worksite_enforcement\"; "
    "agents = 100;\n"
    "                            start = \"2016-10-01\"; end = \"2017-09-30\"; } ); };\n"
    "overrides = { border = { intensity = 2.0; }; };\n"
    "scenarios = (\n"
    "  { name = \"base\"; },\n"
    "  { name = \"move\";\n"
    "    hsi = { reassignments = ( { from = \"migrant_smuggling\"; to = \"worksite_enforcement\"; "
    "share = 0.25;\n"
    "                                start = \"2017-10-01\"; } ); }; },\n"
    "  { name = \"intense.v2\"; border = { intensity = 3.0; }; migration = { staging_days = 4.5; "
    "}; }\n"
    ");\n"
    "comparisons = ( (\"base\", \"move\"), [\"base\", \"intense.v2\"] );\n";

static void test_load(void)
{
    char err[ERR_MAX];
    es_run_spec *spec = malloc(sizeof *spec), *back = malloc(sizeof *back);
    es_params *p = malloc(sizeof *p);
    if (!spec || !back || !p) exit(1);
    es_status st = load("run.cfg", run_text, NULL, 0, spec, err);
    if (st) printf("# %s\n", err);
    CHECK(st == ES_OK && spec->listed && spec->n_scenarios == 3 && spec->n_comparisons == 2,
          "load: a run");
    if (st) exit(1);
    CHECK(!strcmp(spec->scenarios[0].name, "base") &&
              !strcmp(spec->scenarios[2].name, "intense.v2"),
          "load: names in file order");
    CHECK(spec->base.intensity.v[0] == 2.0 && spec->scenarios[0].p.intensity.v[0] == 2.0 &&
              spec->scenarios[2].p.intensity.v[0] == 3.0 &&
              spec->scenarios[2].p.staging_days == 4.5,
          "load: overrides beat the file, a scenario beats overrides");
    CHECK(!memcmp(&spec->base, &spec->scenarios[0].p, sizeof spec->base),
          "load: a scenario with only a name is the base");
    const es_moves *mb = &spec->base.reassign, *mm = &spec->scenarios[1].p.reassign;
    CHECK(mb->n == 1 && mb->m[0].from == ES_PROG_SMUGGLING && mb->m[0].to == ES_PROG_WORKSITE &&
              mb->m[0].agents == 100 && mb->m[0].start == day("2016-10-01") &&
              mb->m[0].end == day("2017-09-30"),
          "moves: agents, programs and dates");
    CHECK(mm->n == 1 && mm->m[0].agents < 0 && mm->m[0].share == 0.25 && mm->m[0].end < 0,
          "moves: share, and no end means never returns");
    CHECK(spec->comparisons[0].base == 0 && spec->comparisons[0].alt == 1 &&
              spec->comparisons[1].alt == 2,
          "load: comparisons as list and array pairs");
    CHECK(es_run_spec_find(spec, "move") == 1 && es_run_spec_find(spec, "nope") == -1,
          "load: find by name");

    /* --set applies last, to every scenario alike. */
    const char *sets[] = {"border.intensity=4.0"};
    es_run_spec_fini(spec);
    st = load("run2.cfg", run_text, sets, 1, spec, err);
    CHECK(st == ES_OK && spec->base.intensity.v[0] == 4.0 &&
              spec->scenarios[2].p.intensity.v[0] == 4.0 &&
              spec->scenarios[2].p.staging_days == 4.5,
          "load: --set beats every scenario");
    es_run_spec_fini(spec);

    /* Without a scenarios list: one scenario named after the file. */
    st = load("single-file.cfg", "border = { intensity = 1.25; };\n", NULL, 0, spec, err);
    CHECK(st == ES_OK && !spec->listed && spec->n_scenarios == 1 &&
              !strcmp(spec->scenarios[0].name, "single-file") &&
              spec->scenarios[0].p.intensity.v[0] == 1.25 && spec->n_comparisons == 0,
          "load: no list: one scenario named after the file");
    es_run_spec_fini(spec);

    /* es_cfg_load keeps working: the base of a file with scenarios. */
    st = es_cfg_load(put("run3.cfg", run_text), NULL, 0, p, err, ERR_MAX);
    CHECK(st == ES_OK && p->intensity.v[0] == 2.0 && p->reassign.n == 1,
          "load: es_cfg_load gives the base");

    /* Round trip of the whole run. */
    st = load("run4.cfg", run_text, NULL, 0, spec, err);
    char *text = st == ES_OK ? es_cfg_render_run(spec) : NULL;
    CHECK(text && strstr(text, "scenarios = (") && strstr(text, "comparisons = ("),
          "write: scenarios and comparisons");
    st = text ? load("effective.cfg", text, NULL, 0, back, err) : ES_ERR_CONFIG;
    if (st) printf("# %s\n", err);
    int same = st == ES_OK && back->listed && back->n_scenarios == spec->n_scenarios &&
               back->n_comparisons == spec->n_comparisons &&
               !memcmp(&back->base, &spec->base, sizeof back->base);
    for (int i = 0; same && i < spec->n_scenarios; i++)
        same = !strcmp(back->scenarios[i].name, spec->scenarios[i].name) &&
               !memcmp(&back->scenarios[i].p, &spec->scenarios[i].p, sizeof(es_params));
    for (int i = 0; same && i < spec->n_comparisons; i++)
        same = back->comparisons[i].base == spec->comparisons[i].base &&
               back->comparisons[i].alt == spec->comparisons[i].alt;
    CHECK(same, "write: the effective run config loads back bit-identical");
    char *text2 = same ? es_cfg_render_run(back) : NULL;
    CHECK(text2 && !strcmp(text, text2), "write: and renders identically");
    free(text2);
    free(text);
    if (st == ES_OK) es_run_spec_fini(back);
    es_run_spec_fini(spec);
    free(p);
    free(back);
    free(spec);
}

#define MOVE(body)         "hsi = { reassignments = ( " body " ); };\n"
#define M(from, to, extra) "{ from = \"" from "\"; to = \"" to "\"; " extra " }"

static void test_errors(void)
{
    expect_fail("duplicate scenario", "scenarios = ( { name = \"a\"; },\n { name = \"a\"; } );\n",
                ":2:", "twice");
    expect_fail("unknown scenario in a comparison",
                "scenarios = ( { name = \"a\"; }, { name = \"b\"; } );\ncomparisons = ( (\"a\", "
                "\"c\") );\n",
                ":2:", "'c' is not a scenario");
    expect_fail("bad setting in a scenario",
                "scenarios = ( { name = \"a\"; },\n  { name = \"b\";\n    border = { intensty = "
                "1.1; }; } );\n",
                ":3: scenario 'b': setting 'border.intensty'", "did you mean 'border.intensity'");
    expect_fail("out of range in a scenario",
                "scenarios = ( { name = \"a\"; border = { intensity = 11.0; }; } );\n",
                "scenario 'a'", "out of range");
    expect_fail("unsafe scenario name", "scenarios = ( { name = \"a/b\"; } );\n", "a/b",
                "letters, digits");
    expect_fail("empty scenario name", "scenarios = ( { name = \"\"; } );\n", "is empty", NULL);
    expect_fail("scenario without a name", "scenarios = ( { border = { intensity = 1.0; }; } );\n",
                "needs name", NULL);
    expect_fail("run-wide setting in a scenario",
                "scenarios = ( { name = \"a\"; run = { seed = 3; }; } );\n",
                "must be the same in every scenario", NULL);
    expect_fail("horizon in a scenario",
                "scenarios = ( { name = \"a\"; horizon = { end = \"2018-01-01\"; }; } );\n",
                "must be the same in every scenario", NULL);
    expect_fail("empty scenarios list", "scenarios = ();\n", "1 to 256 scenarios", NULL);
    expect_fail("comparison with itself",
                "scenarios = ( { name = \"a\"; } );\ncomparisons = ( (\"a\", \"a\") );\n",
                "with itself", NULL);
    expect_fail("comparison twice",
                "scenarios = ( { name = \"a\"; }, { name = \"b\"; } );\ncomparisons = ( (\"a\", "
                "\"b\"), (\"a\", \"b\") );\n",
                "listed twice", NULL);
    expect_fail(
        "comparison not a pair",
        "scenarios = ( { name = \"a\"; }, { name = \"b\"; } );\ncomparisons = ( (\"a\") );\n",
        "expected a pair", NULL);
    expect_fail("comparisons without scenarios", "comparisons = ( (\"a\", \"b\") );\n",
                "no scenarios list", NULL);

    expect_fail("move: unknown program",
                MOVE(M("migrant_smugling", "gangs", "agents = 5; start = \"2016-10-01\";")),
                "did you mean 'migrant_smuggling'", NULL);
    expect_fail("move: from equals to",
                MOVE(M("gangs", "gangs", "agents = 5; start = \"2016-10-01\";")),
                "'from' and 'to' are both", NULL);
    expect_fail("move: agents and share",
                MOVE(M("gangs", "other", "agents = 5; share = 0.5; start = \"2016-10-01\";")),
                "exactly one", NULL);
    expect_fail("move: neither agents nor share",
                MOVE(M("gangs", "other", "start = \"2016-10-01\";")), "exactly one", NULL);
    expect_fail("move: share out of (0, 1]",
                MOVE(M("gangs", "other", "share = 0.0; start = \"2016-10-01\";")), "not in (0, 1]",
                NULL);
    expect_fail("move: negative agents",
                MOVE(M("gangs", "other", "agents = -3; start = \"2016-10-01\";")), "0 or more",
                NULL);
    expect_fail("move: agents not whole",
                MOVE(M("gangs", "other", "agents = 2.5; start = \"2016-10-01\";")), "whole number",
                NULL);
    expect_fail("move: start outside the horizon",
                MOVE(M("gangs", "other", "agents = 5; start = \"2010-10-01\";")), "2010-10-01",
                NULL);
    expect_fail(
        "move: end before start",
        MOVE(M("gangs", "other", "agents = 5; start = \"2016-10-01\"; end = \"2016-09-30\";")),
        "before 'start'", NULL);
    expect_fail("move: missing start", MOVE(M("gangs", "other", "agents = 5;")),
                "'start' is missing", NULL);
    expect_fail("move: unknown field",
                MOVE(M("gangs", "other", "agents = 5; strat = \"2016-10-01\";")),
                "did you mean 'start'", NULL);
    expect_fail("move: not a list", "hsi = { reassignments = 3; };\n", "a list of reassignments",
                NULL);
    expect_fail(
        "move: more than the pool at once",
        "hsi = { agents = [1550.0, 960.0, 640.0, 90.0, 450.0, 500.0, 350.0, 300.0, 900.0, 60.0, "
        "200.0];\n"
        "        reassignments = ( " M(
            "migrant_smuggling", "gangs",
            "agents = 300; start = \"2016-10-01\";") ",\n"
                                                     "  " M("migrant_smuggling", "other",
                                                            "agents = 200; start = \"2016-12-01\"; "
                                                            "end = \"2017-01-31\";") " ); };\n",
        "200 agents out of 'migrant_smuggling', which then has only 150", "2016-12-01");
    char too_many[64 * 120 + 64] = "hsi = { reassignments = (";
    for (int i = 0; i <= ES_MOVES_MAX; i++)
        strcat(too_many, i ? ", " M("gangs", "other", "agents = 1; start = \"2016-10-01\";")
                           : M("gangs", "other", "agents = 1; start = \"2016-10-01\";"));
    strcat(too_many, " ); };\n");
    expect_fail("move: too many", too_many, "at most 64", NULL);

    /* Moves that fit one after the other pass (the registry's own check,
     * params.c, also bounds each move by the pool's own agents). */
    char err[ERR_MAX];
    es_run_spec *spec = malloc(sizeof *spec);
    if (!spec) exit(1);
    es_status st = load(
        "fit.cfg",
        "hsi = { agents = [1550.0, 960.0, 640.0, 90.0, 450.0, 500.0, 350.0, 300.0, 900.0, "
        "60.0, 200.0];\n"
        "  reassignments = ( " M(
            "migrant_smuggling", "gangs",
            "agents = 300; start = \"2016-10-01\"; end = "
            "\"2016-11-30\";") ",\n"
                               "  " M("migrant_smuggling", "other",
                                      "agents = 300; start = "
                                      "\"2016-12-01\";") ",\n"
                                                         "  " M(
                                                             "drug_"
                                                             "smuggling",
                                                             "other",
                                                             "agents = "
                                                             "1000; "
                                                             "start = "
                                                             "\"2016-10-"
                                                             "01\";") ","
                                                                      "\n"
                                                                      " "
                                                                      " " M(
                                                                          "other", "gangs",
                                                                          "agents = 800; start = "
                                                                          "\"2016-12-01\";") " ); "
                                                                                             "};\n",
        NULL, 0, spec, err);
    if (st) printf("# %s\n", err);
    CHECK(st == ES_OK && spec->base.reassign.n == 4,
          "moves: moves that fit one after the other pass");
    if (st == ES_OK) es_run_spec_fini(spec);
    free(spec);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        printf("FAIL mkdtemp\n");
        return 1;
    }
    test_load();
    test_errors();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) printf("# could not remove %s\n", dir);
    return TEST_END();
}
