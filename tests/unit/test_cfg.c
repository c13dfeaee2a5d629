/* test_cfg.c: the parameter registry (model/params.c) and the config loader
 * and writer (io/cfg.c): values, defaults, every error class with its file,
 * line and setting, includes from another cwd, --set, and an exact
 * write -> load round trip. Config files go into a mkdtemp folder. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/date.h"
#include "io/cfg.h"
#include "model/params.h"
#include "../testlib.h"

#define MAX_MADE 128
#define ERR_MAX  2048

/* The scratch folder and what the tests made in it (removed at the end). */
typedef struct {
    char dir[256];
    char made[MAX_MADE][PATH_MAX];
    int is_dir[MAX_MADE];
    int n;
} scratch;

static const char *put(scratch *sc, const char *name, const char *text)
{
    static char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", sc->dir, name);
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        printf("FAIL cannot write %s\n", path);
        exit(1);
    }
    if (sc->n < MAX_MADE) {
        snprintf(sc->made[sc->n], PATH_MAX, "%s", path);
        sc->is_dir[sc->n++] = 0;
    }
    return path;
}

static void subdir(scratch *sc, const char *name)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", sc->dir, name);
    if (mkdir(path, 0700) != 0) {
        printf("FAIL cannot mkdir %s\n", path);
        exit(1);
    }
    if (sc->n < MAX_MADE) {
        snprintf(sc->made[sc->n], PATH_MAX, "%s", path);
        sc->is_dir[sc->n++] = 1;
    }
}

static void cleanup(scratch *sc)
{
    for (int i = sc->n - 1; i >= 0; i--) sc->is_dir[i] ? rmdir(sc->made[i]) : unlink(sc->made[i]);
    rmdir(sc->dir);
}

/* Loads text written as `name`; the message (if any) into err. */
static es_status load_text(scratch *sc, const char *name, const char *text, const char *const *sets,
                           int n_sets, es_params *p, char *err)
{
    const char *path = put(sc, name, text);
    err[0] = '\0';
    return es_cfg_load(path, sets, n_sets, p, err, ERR_MAX);
}

/* The load must fail with ES_ERR_CONFIG and one line holding every need. */
static void expect_fail(scratch *sc, const char *label, const char *name, const char *text,
                        const char *const *sets, int n_sets, const char *need1, const char *need2,
                        const char *need3)
{
    char err[ERR_MAX], what[256];
    es_params *p = malloc(sizeof *p);
    if (!p) exit(1);
    es_status st = load_text(sc, name, text, sets, n_sets, p, err);
    printf("# %s: %s\n", label, err);
    snprintf(what, sizeof what, "%s_is_config_error", label);
    CHECK(st == ES_ERR_CONFIG, what);
    const char *need[3] = {need1, need2, need3};
    for (int k = 0; k < 3; k++) {
        if (!need[k]) continue;
        snprintf(what, sizeof what, "%s_message_has[%s]", label, need[k]);
        CHECK(strstr(err, need[k]) != NULL, what);
    }
    snprintf(what, sizeof what, "%s_message_is_one_line", label);
    CHECK(err[0] && !strchr(err, '\n'), what);
    free(p);
}

static es_status load_ok(scratch *sc, const char *name, const char *text, const char *const *sets,
                         int n_sets, es_params *p)
{
    char err[ERR_MAX];
    es_status st = load_text(sc, name, text, sets, n_sets, p, err);
    if (st != ES_OK) printf("# unexpected error: %s\n", err);
    return st;
}

static int32_t day(const char *s)
{
    int32_t d = 0;
    if (es_date_parse(s, &d)) printf("# bad date in test: %s\n", s);
    return d;
}

static void test_registry(void)
{
    es_params *p = malloc(sizeof *p);
    char err[ERR_MAX];
    const char *bad = "x";
    if (!p) exit(1);
    es_params_defaults(p);
    CHECK(es_params_check(p, err, sizeof err, &bad) == 0 && bad == NULL,
          "defaults_pass_every_check");
    if (bad) printf("# %s\n", err);
    CHECK(es_param_find("run.seed") && es_param_find("run.seed")->type == ES_P_INT64,
          "find_run_seed");
    CHECK(es_param_find("run") == NULL && es_param_find("run.seedx") == NULL,
          "find_rejects_groups_and_typos");
    const es_param_def *n1 = es_param_nearest("border.intensty");
    CHECK(n1 && !strcmp(n1->path, "border.intensity"), "nearest_typo_in_leaf");
    const es_param_def *n2 = es_param_nearest("migration.intensity");
    CHECK(n2 && !strcmp(n2->path, "border.intensity"), "nearest_by_last_component_in_other_group");
    const es_param_def *n3 = es_param_nearest("boder.intensity");
    CHECK(n3 && !strcmp(n3->path, "border.intensity"), "nearest_typo_in_group");
    CHECK(es_param_nearest("zzzzzzzzzzzzzz") == NULL, "nearest_none_for_unrelated_name");
    CHECK(!strcmp(es_ptype_name(ES_P_SHARES), "shares") &&
              !strcmp(es_psource_name(ES_SRC_FACT), "fact"),
          "type_and_source_names");

    CHECK(p->seed == 20190201 && p->replications == 20 && !strcmp(p->rng, "philox"),
          "defaults_scalars");
    CHECK(p->origin_share[0] == 0.52 && p->origin_share[3] == 0.015,
          "defaults_vector_from_def_vec");
    CHECK(p->arrivals.n == 1 && p->arrivals.day[0] == p->start_day && p->arrivals.v[0] == 550,
          "defaults_path_is_one_point_at_horizon_start");
    CHECK(p->start_day == day("2014-10-01") && p->end_day == day("2018-09-30"), "defaults_dates");

    /* every default inside its own range, and each path point inside the horizon */
    es_params *q = malloc(sizeof *q);
    if (!q) exit(1);
    memcpy(q, p, sizeof *q);
    q->warmup_end_day = q->start_day;
    CHECK(es_params_check(q, err, sizeof err, &bad) == -1 && bad &&
              !strcmp(bad, "horizon.warmup_end") && strstr(err, "horizon.warmup_end"),
          "check_warmup_must_follow_start");
    memcpy(q, p, sizeof *q);
    q->end_day = q->warmup_end_day - 1;
    CHECK(es_params_check(q, err, sizeof err, &bad) == -1 && bad && !strcmp(bad, "horizon.end"),
          "check_end_not_before_warmup");
    memcpy(q, p, sizeof *q);
    q->intensity.day[0] = q->end_day + 1;
    CHECK(es_params_check(q, err, sizeof err, &bad) == -1 && bad &&
              !strcmp(bad, "border.intensity") && strstr(err, "outside the horizon"),
          "check_path_date_outside_horizon");
    memcpy(q, p, sizeof *q);
    q->origin_share[0] = 0.6;
    CHECK(es_params_check(q, err, sizeof err, &bad) == -1 && bad &&
              !strcmp(bad, "migration.origin_share"),
          "check_shares_sum");
    memcpy(q, p, sizeof *q);
    q->staging_days = NAN;
    CHECK(es_params_check(q, err, sizeof err, &bad) == -1 && bad &&
              !strcmp(bad, "migration.staging_days"),
          "check_rejects_nan");

    /* es_path_at: a step function, v[0] before the first point */
    es_path *path = &q->arrivals;
    memset(path, 0, sizeof *path);
    path->n = 3;
    path->day[0] = 100, path->v[0] = 1.5;
    path->day[1] = 200, path->v[1] = 2.5;
    path->day[2] = 300, path->v[2] = 3.5;
    CHECK(es_path_at(path, 50) == 1.5 && es_path_at(path, 100) == 1.5 &&
              es_path_at(path, 199) == 1.5,
          "path_at_before_and_in_first_step");
    CHECK(es_path_at(path, 200) == 2.5 && es_path_at(path, 299) == 2.5 &&
              es_path_at(path, 300) == 3.5 && es_path_at(path, 100000) == 3.5,
          "path_at_later_steps");
    free(q);
    free(p);
}

static const char valid_cfg[] =
    "# a valid scenario\n"
    "run = {\n"
    "  seed = 5000000000123L;\n"
    "  replications = 7;\n"
    "  rng = \"mt19937\";\n"
    "};\n"
    "horizon = { start = \"2015-01\"; end = \"2018-12-31\"; warmup_end = \"2016-01-01\"; };\n"
    "migration = {\n"
    "  arrivals = ((\"2015-01-01\", 400), (\"2017-03\", 612.5));\n"
    "  origin_share = [0.25, 0.25, 0.25, 0.25];\n"
    "  fee_median = (3000, 7000.5, 7000, 12000);  // a list may mix ints and floats\n"
    "  package_deal = false;\n"
    "  staging_days = 3;  /* an int where a real is expected */\n"
    "  type_share = { mexico = [0.9, 0.05, 0.05]; };\n"
    "};\n"
    "border = { intensity = 1.75; };\n";

static void test_valid(scratch *sc)
{
    es_params *p = malloc(sizeof *p), *d = malloc(sizeof *d);
    if (!p || !d) exit(1);
    es_params_defaults(d);
    CHECK(load_ok(sc, "valid.cfg", valid_cfg, NULL, 0, p) == ES_OK, "valid_file_loads");
    CHECK(p->seed == 5000000000123LL && p->replications == 7 && !strcmp(p->rng, "mt19937"),
          "valid_run_values");
    CHECK(p->start_day == day("2015-01-01") && p->end_day == day("2018-12-31") &&
              p->warmup_end_day == day("2016-01-01"),
          "valid_dates_month_form_is_first_day");
    CHECK(p->arrivals.n == 2 && p->arrivals.day[0] == day("2015-01-01") &&
              p->arrivals.v[0] == 400.0 && p->arrivals.day[1] == day("2017-03-01") &&
              p->arrivals.v[1] == 612.5,
          "valid_path_points");
    CHECK(p->origin_share[2] == 0.25 && p->fee_median[1] == 7000.5 && p->fee_median[3] == 12000.0,
          "valid_vectors_array_and_list");
    CHECK(p->package_deal == 0, "valid_bool");
    CHECK(p->staging_days == 3.0, "int_accepted_where_real_expected");
    CHECK(p->type_share[ES_ORIGIN_MEXICO][2] == 0.05 &&
              p->type_share[ES_ORIGIN_NTRIANGLE][0] == d->type_share[ES_ORIGIN_NTRIANGLE][0],
          "valid_nested_group");
    CHECK(p->intensity.n == 1 && p->intensity.v[0] == 1.75 && p->intensity.day[0] == p->start_day,
          "constant_path_anchored_at_effective_start");
    CHECK(p->arrivals.day[5] == 0 && p->arrivals.v[5] == 0, "unused_path_points_zero");

    CHECK(load_ok(sc, "partial.cfg", "run = { replications = 3; };\n", NULL, 0, p) == ES_OK &&
              p->replications == 3 && p->seed == d->seed && p->staging_days == d->staging_days &&
              !memcmp(p->fee_median, d->fee_median, sizeof p->fee_median) &&
              !strcmp(p->rng, d->rng),
          "absent_settings_keep_defaults");
    {
        /* Defaults are starting points, not the calibrated model: a config
         * with nothing in it (comments aside) is refused, naming the way on. */
        char why[ERR_MAX] = "";
        int refused = 1;
        static const char *const empties[] = {"", "# a comment only\n", "\n\n  \n"};
        for (size_t i = 0; i < sizeof empties / sizeof empties[0]; i++)
            refused &= load_text(sc, "empty.cfg", empties[i], NULL, 0, p, why) == ES_ERR_CONFIG &&
                       strstr(why, "no settings; start from configs/baseline.cfg") != NULL;
        CHECK(refused, "config_without_settings_is_refused");
    }
    /* A default (constant) path follows a moved horizon start. */
    CHECK(load_ok(sc, "late.cfg",
                  "horizon = { start = \"2016-10-01\"; warmup_end = \"2017-01-01\"; };\n", NULL, 0,
                  p) == ES_OK &&
              p->arrivals.day[0] == day("2016-10-01") && p->intensity.day[0] == day("2016-10-01"),
          "default_paths_follow_horizon_start");
    free(d);
    free(p);
}

static void test_errors(scratch *sc)
{
    expect_fail(sc, "unknown", "unknown.cfg", "run = { seed = 1; };\nfrobnicate = 3;\n", NULL, 0,
                "unknown.cfg:2:", "'frobnicate'", "unknown");
    expect_fail(sc, "misspelt", "misspelt.cfg", "border = {\n  intensty = 1.0;\n};\n", NULL, 0,
                "misspelt.cfg:2:", "'border.intensty'", "did you mean 'border.intensity'?");
    expect_fail(sc, "unknown_group", "group.cfg", "\nbordr = { intensity = 1.0; };\n", NULL, 0,
                "group.cfg:2:", "'bordr'", "did you mean 'border'?");
    expect_fail(sc, "group_as_value", "groupval.cfg", "migration = 3;\n", NULL, 0,
                "groupval.cfg:1:", "'migration'", "group of parameters");
    expect_fail(sc, "wrong_type", "type.cfg", "run = {\n  replications = \"ten\";\n};\n", NULL, 0,
                "type.cfg:2:", "'run.replications'", "expected an integer, got a string");
    expect_fail(sc, "real_for_int", "realint.cfg", "run = { replications = 2.5; };\n", NULL, 0,
                "realint.cfg:1:", "'run.replications'", "got a float");
    expect_fail(sc, "int_for_bool", "bool.cfg", "migration = { package_deal = 1; };\n", NULL, 0,
                "bool.cfg:1:", "'migration.package_deal'", "true or false");
    expect_fail(sc, "negative_rate", "negative.cfg",
                "migration = {\n\n  staging_days = -2.5;\n};\n", NULL, 0,
                "negative.cfg:3:", "'migration.staging_days'", "-2.5 is out of range [0, 365]");
    expect_fail(sc, "share_out_of_range", "share.cfg",
                "migration = { origin_share = [1.2, -0.1, -0.05, -0.05]; };\n", NULL, 0,
                "share.cfg:1:", "'migration.origin_share'",
                "element 1 (mexico) = 1.2 is out of range");
    expect_fail(sc, "shares_sum", "sum.cfg",
                "migration = {\n  origin_share = [0.5, 0.3, 0.1, 0.05];\n};\n", NULL, 0,
                "sum.cfg:2:", "'migration.origin_share'", "sum to 0.95, not 1");
    expect_fail(sc, "vector_length", "len.cfg", "migration = { fee_median = [3000.0, 7000.0]; };\n",
                NULL, 0, "len.cfg:1:", "'migration.fee_median'", "expected 4 numbers");
    expect_fail(sc, "mixed_array", "mixed.cfg",
                "migration = {\n fee_median = [3000, 7000.5, 7000, 12000];\n};\n", NULL, 0,
                "mixed.cfg:2:", "mismatched element type", "3000.0");
    expect_fail(sc, "bad_choice", "choice.cfg", "run = { rng = \"randu\"; };\n", NULL, 0,
                "choice.cfg:1:", "'run.rng'", "not one of \"philox\", \"mt19937\", \"ranlxd2\"");
    expect_fail(sc, "malformed_date", "date.cfg", "horizon = {\n  start = \"2014-13-01\";\n};\n",
                NULL, 0, "date.cfg:2:", "'horizon.start'", "not a date");
    expect_fail(sc, "date_outside_horizon", "outside.cfg",
                "border = {\n  intensity = ((\"2015-01\", 1.0), (\"2030-01-01\", 2.0));\n};\n",
                NULL, 0, "outside.cfg:2:", "'border.intensity'",
                "2030-01-01 is outside the horizon");
    expect_fail(sc, "path_not_increasing", "order.cfg",
                "border = { intensity = ((\"2016-01\", 1.0), (\"2015-01\", 2.0)); };\n", NULL, 0,
                "order.cfg:1:", "'border.intensity'", "strictly increase");
    expect_fail(sc, "path_point_shape", "point.cfg",
                "border = { intensity = ((\"2016-01\", 1.0, 3.0)); };\n", NULL, 0,
                "point.cfg:1:", "'border.intensity'", "point 1");
    expect_fail(sc, "horizon_order", "horizon.cfg",
                "horizon = {\n  start = \"2016-01-01\";\n  end = \"2017-01-01\";\n  warmup_end = "
                "\"2018-01-01\";\n};\n",
                NULL, 0, "horizon.cfg:3:", "'horizon.end'", "warmup_end");
    expect_fail(sc, "infinite", "inf.cfg", "migration = { staging_days = 1e999; };\n", NULL, 0,
                "inf.cfg:1:", "'migration.staging_days'", "not a finite number");
    expect_fail(sc, "syntax_error", "syntax.cfg", "run = {\n  seed = ;\n};\n", NULL, 0,
                "syntax.cfg:2:", "syntax error", NULL);
    expect_fail(sc, "duplicate", "dup.cfg", "run = { seed = 1; };\nrun = { seed = 2; };\n", NULL, 0,
                "dup.cfg:2:", "duplicate", NULL);
    expect_fail(sc, "missing_include", "inc_missing.cfg",
                "run = { seed = 1; };\n@include \"nowhere/base.cfg\"\n", NULL, 0,
                "inc_missing.cfg:2:", "nowhere/base.cfg", "cannot open include file");
    expect_fail(sc, "include_loop", "loop.cfg", "@include \"loop.cfg\"\n", NULL, 0,
                "loop.cfg:1:", "loop", NULL);
    expect_fail(sc, "ten_digits", "digits.cfg",
                "run = {\n  replications = 2;\n  seed = 5000000000;\n};\n", NULL, 0,
                "digits.cfg:3:", "'run.seed'", "5000000000 has 10 or more digits but no L suffix");
    expect_fail(sc, "hex_wrap", "hex.cfg", "run = { seed = 0x100000000; };\n", NULL, 0,
                "hex.cfg:1:", "'run.seed'", "L suffix");
    expect_fail(sc, "int64_too_big_for_int", "bigint.cfg",
                "run = { replications = 5000000000L; };\n", NULL, 0,
                "bigint.cfg:1:", "'run.replications'", "32-bit");

    char missing[PATH_MAX], err[ERR_MAX];
    es_params *p = malloc(sizeof *p);
    if (!p) exit(1);
    snprintf(missing, sizeof missing, "%s/absent.cfg", sc->dir);
    CHECK(es_cfg_load(missing, NULL, 0, p, err, sizeof err) == ES_ERR_CONFIG &&
              strstr(err, "absent.cfg") && strstr(err, "No such file"),
          "missing_file_named");
    CHECK(es_cfg_load(sc->dir, NULL, 0, p, err, sizeof err) == ES_ERR_CONFIG &&
              strstr(err, sc->dir),
          "directory_as_config_rejected");
    free(p);

    /* literals inside strings and comments, floats, and L-suffixed ints are fine */
    es_params *q = malloc(sizeof *q);
    if (!q) exit(1);
    CHECK(load_ok(sc, "digits_ok2.cfg",
                  "# 5000000000 in a comment\n/* 12345678901 */ // 99999999999\n"
                  "run = { seed = 5000000000L; rng = \"philox\"; };\n"
                  "migration = { staging_days = 12.345678901234; fee_median = [1.0e5, 2.0, 3.0, "
                  "4000000.0e-1]; };\n",
                  NULL, 0, q) == ES_OK &&
              q->seed == 5000000000LL && q->fee_median[3] == 400000.0,
          "long_digits_in_comments_floats_and_L_are_accepted");
    free(q);
}

static void test_sets(scratch *sc)
{
    es_params *p = malloc(sizeof *p);
    if (!p) exit(1);
    const char *s1[] = {"run.replications=9"};
    CHECK(load_ok(sc, "set.cfg", "run = { replications = 5; };\n", s1, 1, p) == ES_OK &&
              p->replications == 9,
          "set_overrides_file");
    const char *s2[] = {"migration.fee_median=[1.0, 2.0, 3.0, 4.5]", "run.rng=ranlxd2",
                        "horizon.end=2018-06-30", " run.seed = 5000000000L ",
                        "border.intensity=((\"2015-01\", 1.0), (\"2016-01\", 2))"};
    CHECK(load_ok(sc, "set2.cfg", "run = { replications = 5; };\n", s2, 5, p) == ES_OK &&
              p->fee_median[3] == 4.5 && !strcmp(p->rng, "ranlxd2") &&
              p->end_day == day("2018-06-30") && p->seed == 5000000000LL && p->intensity.n == 2 &&
              p->intensity.v[1] == 2.0,
          "set_on_settings_absent_from_file");
    const char *s3[] = {"run.replications=9", "run.replications=11"};
    CHECK(load_ok(sc, "set3.cfg", "", s3, 2, p) == ES_OK && p->replications == 11,
          "later_set_wins");
    const char *s4[] = {"migration.staging_days=4"};
    CHECK(load_ok(sc, "set4.cfg", "", s4, 1, p) == ES_OK && p->staging_days == 4.0,
          "set_int_where_real_expected");

    const char *b1[] = {"run.sed=5"};
    expect_fail(sc, "set_unknown", "setbad1.cfg", "", b1, 1, "--set run.sed=5", "'run.sed'",
                "did you mean 'run.seed'?");
    const char *b2[] = {"run.replications=2.5"};
    expect_fail(sc, "set_bad_type", "setbad2.cfg", "", b2, 1, "--set run.replications=2.5",
                "'run.replications'", "expected an integer, got a float");
    const char *b3[] = {"run.seed=5000000000"};
    expect_fail(sc, "set_ten_digits", "setbad3.cfg", "", b3, 1, "--set run.seed=5000000000",
                "'run.seed'", "L suffix");
    const char *b4[] = {"run.replications"};
    expect_fail(sc, "set_no_equals", "setbad4.cfg", "", b4, 1, "--set run.replications",
                "path=value", NULL);
    const char *b5[] = {"run.replications=5; frob = 2"};
    expect_fail(sc, "set_two_values", "setbad5.cfg", "", b5, 1,
                "--set run.replications=5; frob = 2", "one value", NULL);
    const char *b6[] = {"run.replications=)"};
    expect_fail(sc, "set_syntax", "setbad6.cfg", "", b6, 1, "--set run.replications=)",
                "cannot parse", NULL);
    const char *b7[] = {"border.intensity=((\"2030-01\", 1.0))"};
    expect_fail(sc, "set_date_outside_horizon", "setbad7.cfg", "", b7, 1,
                "--set border.intensity=", "outside", NULL);
    const char *b8[] = {"run.seed=@include \"x.cfg\""};
    expect_fail(sc, "set_include", "setbad8.cfg", "", b8, 1, "--set run.seed=", "not allowed",
                NULL);
    free(p);
}

static void test_includes(scratch *sc)
{
    char cwd[PATH_MAX], path[PATH_MAX], err[ERR_MAX];
    es_params *p = malloc(sizeof *p);
    if (!p || !getcwd(cwd, sizeof cwd)) exit(1);
    subdir(sc, "conf");
    subdir(sc, "conf/common");
    put(sc, "conf/common/base.cfg", "run = { replications = 11; };\n");
    put(sc, "conf/main.cfg",
        "@include \"common/base.cfg\"\nmigration = { staging_days = 4.5; };\n");
    snprintf(path, sizeof path, "%s/conf/main.cfg", sc->dir);
    int ok = chdir("/") == 0;
    es_status st = es_cfg_load(path, NULL, 0, p, err, sizeof err);
    CHECK(ok && st == ES_OK && p->replications == 11 && p->staging_days == 4.5,
          "include_relative_to_main_folder_from_other_cwd_absolute");
    ok = chdir(sc->dir) == 0;
    st = es_cfg_load("conf/main.cfg", NULL, 0, p, err, sizeof err);
    CHECK(ok && st == ES_OK && p->replications == 11,
          "include_relative_to_main_folder_from_other_cwd_relative");

    /* errors inside an included file name that file as the user sees it */
    put(sc, "conf/common/bad.cfg", "run = {\n  replications = -4;\n};\n");
    put(sc, "conf/usebad.cfg", "@include \"common/bad.cfg\"\n");
    st = es_cfg_load("conf/usebad.cfg", NULL, 0, p, err, sizeof err);
    printf("# %s\n", err);
    CHECK(st == ES_ERR_CONFIG && strstr(err, "conf/common/bad.cfg:2:") &&
              strstr(err, "'run.replications'"),
          "error_in_included_file_names_it");
    put(sc, "conf/common/digits.cfg", "run = {\n  seed = 12345678901;\n};\n");
    put(sc, "conf/usedigits.cfg", "# nothing here\n@include \"common/digits.cfg\"\n");
    st = es_cfg_load("conf/usedigits.cfg", NULL, 0, p, err, sizeof err);
    printf("# %s\n", err);
    CHECK(st == ES_ERR_CONFIG && strstr(err, "conf/common/digits.cfg:2:") &&
              strstr(err, "'run.seed'") && strstr(err, "L suffix"),
          "ten_digits_in_included_file");
    put(sc, "conf/common/syntax.cfg", "run = {\n  seed = = 3;\n};\n");
    put(sc, "conf/usesyntax.cfg", "@include \"common/syntax.cfg\"\n");
    st = es_cfg_load("conf/usesyntax.cfg", NULL, 0, p, err, sizeof err);
    printf("# %s\n", err);
    CHECK(st == ES_ERR_CONFIG && strstr(err, "conf/common/syntax.cfg:2:") &&
              strstr(err, "syntax error"),
          "syntax_error_in_included_file");
    /* libconfig 1.5: a nested include resolves against the MAIN file's folder */
    put(sc, "conf/common/leaf.cfg", "migration = { stash_days = 6.0; };\n");
    put(sc, "conf/common/mid.cfg", "@include \"leaf.cfg\"\n");
    put(sc, "conf/nested.cfg", "@include \"common/mid.cfg\"\n");
    st = es_cfg_load("conf/nested.cfg", NULL, 0, p, err, sizeof err);
    printf("# %s\n", err);
    CHECK(st == ES_ERR_CONFIG && strstr(err, "conf/common/mid.cfg:1:") && strstr(err, "leaf.cfg") &&
              strstr(err, "main file's folder"),
          "nested_include_from_subfolder_explains_limitation");
    put(sc, "conf/common/mid2.cfg", "@include \"common/leaf.cfg\"\n");
    put(sc, "conf/nested2.cfg", "@include \"common/mid2.cfg\"\n");
    st = es_cfg_load("conf/nested2.cfg", NULL, 0, p, err, sizeof err);
    CHECK(st == ES_OK && p->stash_days == 6.0, "nested_include_relative_to_main_folder_works");
    ok = chdir(cwd) == 0 && ok;
    CHECK(ok, "cwd_restored");
    free(p);
}

static void test_round_trip(scratch *sc)
{
    es_params *p = malloc(sizeof *p), *q = malloc(sizeof *q);
    char err[ERR_MAX];
    const char *bad = NULL;
    if (!p || !q) exit(1);
    es_params_defaults(p);
    p->seed = 9007199254740993LL; /* 2^53 + 1: not a double */
    p->replications = 777777;
    snprintf(p->rng, sizeof p->rng, "%s", "ranlxd2");
    p->start_day = day("2013-10-01");
    p->warmup_end_day = day("2014-02-28");
    p->end_day = day("2019-09-30");
    p->staging_days = 0.1 + 0.2;
    p->fee_sigma = 1.0 / 3.0;
    p->fee_median[0] = 1234.5678901234567;
    p->fee_median[1] = 5e-324;
    p->fee_median[2] = 1e-300;
    p->fee_median[3] = 999999.99999999988;
    p->death_prob[2] = -0.0;
    p->origin_share[0] = 0.1, p->origin_share[1] = 0.2, p->origin_share[2] = 0.3,
    p->origin_share[3] = 0.4;
    p->package_deal = 0;
    p->extortion_prob = 1e16 / 1e17;
    p->arrivals.n = 3;
    p->arrivals.day[0] = day("2013-10-01"), p->arrivals.v[0] = 550.123456789;
    p->arrivals.day[1] = day("2016-02-29"), p->arrivals.v[1] = 1.0 / 3.0;
    p->arrivals.day[2] = day("2019-09-30"), p->arrivals.v[2] = 1e5 + 1.0 / 7.0;
    p->intensity.day[0] = p->start_day;
    p->intensity.v[0] = 2.0 / 3.0;
    CHECK(es_params_check(p, err, sizeof err, &bad) == 0, "round_trip_input_is_valid");
    if (bad) printf("# %s\n", err);

    char *text = es_cfg_render(p);
    CHECK(text != NULL, "render_gives_text");
    if (!text) exit(1);
    CHECK(strstr(text, "seed = 9007199254740993L;") != NULL, "render_int64_with_L");
    CHECK(load_ok(sc, "effective.cfg", text, NULL, 0, q) == ES_OK, "rendered_config_loads");
    CHECK(!memcmp(p, q, sizeof *p), "write_load_round_trip_is_bitwise_identical");
    CHECK(signbit(q->death_prob[2]) && q->fee_median[1] == 5e-324,
          "round_trip_keeps_negative_zero_and_denormals");
    char *text2 = es_cfg_render(q);
    CHECK(text2 && !strcmp(text, text2), "render_of_reloaded_is_identical");

    /* es_cfg_write to a FILE gives the same text */
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/written.cfg", sc->dir);
    FILE *f = fopen(path, "w+");
    int same = 0;
    if (f && es_cfg_write(p, f) == ES_OK && fseek(f, 0, SEEK_SET) == 0) {
        size_t n = strlen(text);
        char *buf = malloc(n + 2);
        if (buf) {
            same = fread(buf, 1, n + 1, f) == n && !memcmp(buf, text, n);
            free(buf);
        }
    }
    if (f) fclose(f);
    unlink(path);
    CHECK(same, "write_equals_render");

    /* defaults round-trip too, after --set */
    const char *sets[] = {"migration.arrivals=300"};
    es_params_defaults(p);
    CHECK(load_ok(sc, "d.cfg", "", sets, 1, q) == ES_OK && q->arrivals.v[0] == 300.0,
          "set_constant_path");
    free(text2);
    free(text);
    text = es_cfg_render(q);
    CHECK(text && load_ok(sc, "d2.cfg", text, NULL, 0, p) == ES_OK && !memcmp(p, q, sizeof *p),
          "defaults_round_trip_bitwise");
    free(text);
    free(q);
    free(p);
}

/* Issue #12: what the loader finds in the raw text before libconfig, and
 * the files it will read at all. */
static void test_text_scan(scratch *sc)
{
    static const char set_open[] = "run.rng=\"philox";
    const char *sets[] = {set_open};
    expect_fail(sc, "open_comment", "open_comment.cfg",
                "run = { replications = 4; };\n\n/* the rest would vanish\nrun = 0;\n", NULL, 0,
                "open_comment.cfg:3:", "a comment '/*' opens here and is never closed", NULL);
    expect_fail(sc, "open_string", "open_string.cfg", "run = { replications = 4; };\nx = 1; \"\n",
                NULL, 0, "open_string.cfg:2:", "a string '\"' opens here", NULL);
    expect_fail(sc, "string_over_lines_hint", "split.cfg", "a = \"x;\nb = 2;\nc = \"y\";\n", NULL,
                0, "split.cfg:3:", "the string opened on line 1 runs over several lines", NULL);
    expect_fail(sc, "set_open_string", "empty_for_set.cfg", "", sets, 1,
                "--set run.rng=", "opens a string '\"' that it never closes", NULL);
    /* A comment or string with quotes and stars inside is fine. */
    es_params *p = malloc(sizeof *p);
    if (!p) exit(1);
    CHECK(
        load_ok(
            sc, "quoted.cfg",
            "/* \" */ run = { rng = \"mt19937\"; }; # \"\n// /*\nborder = { intensity = 1.1; };\n",
            NULL, 0, p) == ES_OK,
        "text_scan: quotes in comments and comment marks in strings are no error");
    /* The literal's own setting, with several settings on its line. */
    expect_fail(sc, "long_literal_first_of_three", "three.cfg",
                "run = { seed = 5000000000; replications = 4; rng = \"philox\"; };\n", NULL, 0,
                "three.cfg:1: setting 'run.seed'", NULL, NULL);
    expect_fail(sc, "long_literal_nested", "nested.cfg",
                "migration = { staging_days = 2.0; party_size = { single_adult = [1.0, 1.3, 3.0]; "
                "}; }; run = { replications = 4; seed = 12345678901; };\n",
                NULL, 0, "nested.cfg:1: setting 'run.seed'", NULL, NULL);
    expect_fail(sc, "hex_top_bit", "hex8.cfg", "run = { seed = 0x80000000; };\n", NULL, 0,
                "literal 0x80000000 has its top bit set", "read it as -2147483648", NULL);
    CHECK(load_ok(sc, "hex7.cfg", "run = { seed = 0x7FFFFFFF; };\n", NULL, 0, p) == ES_OK &&
              p->seed == 0x7FFFFFFF,
          "text_scan: 0x7FFFFFFF fits and loads as written");
    CHECK(load_ok(sc, "hexL.cfg", "run = { seed = 0xFFFFFFFFL; };\n", NULL, 0, p) == ES_OK &&
              p->seed == 0xFFFFFFFFLL,
          "text_scan: 0xFFFFFFFFL loads as 4294967295");
    free(p);

    /* Only regular files: a FIFO config is refused at once, not opened. */
    char fifo[PATH_MAX], err[ERR_MAX];
    snprintf(fifo, sizeof fifo, "%s/pipe.cfg", sc->dir);
    if (mkfifo(fifo, 0600) == 0) {
        if (sc->n < MAX_MADE) {
            snprintf(sc->made[sc->n], PATH_MAX, "%s", fifo);
            sc->is_dir[sc->n++] = 0;
        }
        es_params *q = malloc(sizeof *q);
        if (!q) exit(1);
        es_status st = es_cfg_load(fifo, NULL, 0, q, err, sizeof err);
        CHECK(st == ES_ERR_CONFIG && strstr(err, "is a FIFO"), "files: a FIFO config is refused");
        free(q);
    } else {
        CHECK(0, "files: mkfifo");
    }
}

/* Names the writer would refuse are refused by the loader (issue #12). */
static void test_names(scratch *sc)
{
    expect_fail(sc, "derived_name_dot", "..cfg", "run = { replications = 2; };", NULL, 0,
                "'.', and that name starts with '.'", "rename the file", NULL);
    expect_fail(sc, "derived_name_space", "a b.cfg", "run = { replications = 2; };", NULL, 0,
                "'a b', and that name may hold only", NULL, NULL);
    expect_fail(sc, "group_collision", "collide.cfg",
                "scenarios = ( { name = \"a\"; }, { name = \"vs__b\"; }, { name = \"a__vs\"; }, "
                "{ name = \"b\"; } );\ncomparisons = ( (\"a\", \"vs__b\"), (\"a__vs\", \"b\") );\n",
                NULL, 0, "would both be stored as the group 'a__vs__vs__b'", NULL, NULL);
    es_params *p = malloc(sizeof *p);
    if (!p) exit(1);
    CHECK(load_ok(sc, "fy2018-move_250.v2.cfg", "run = { replications = 2; };", NULL, 0, p) ==
              ES_OK,
          "names: a file name of letters, digits, '-', '_' and '.' names its scenario");
    free(p);
}

int main(void)
{
    scratch *sc = calloc(1, sizeof *sc);
    if (!sc) return 1;
    snprintf(sc->dir, sizeof sc->dir, "%s", "/tmp/es_test_cfg.XXXXXX");
    if (!mkdtemp(sc->dir)) {
        printf("FAIL mkdtemp\n");
        return 1;
    }
    test_registry();
    test_valid(sc);
    test_errors(sc);
    test_sets(sc);
    test_includes(sc);
    test_round_trip(sc);
    test_text_scan(sc);
    test_names(sc);
    cleanup(sc);
    free(sc);
    return TEST_END();
}
