/* fuzz_cfg.c: fuzzes the config loader, es_cfg_load_run (io/cfg.h), with
 * --set overrides (contract and input format in fuzz.h).
 *
 * The input's config part becomes <dir>/in.cfg; the strings after it are
 * passed as --set values. What is checked, beyond "no sanitizer report":
 * - a refusal is ES_ERR_CONFIG (or ES_ERR_NOMEM) with one printable line
 *   that names the file (or an @included file, both under dir) or the --set;
 * - an accepted config survives the writer's round trip (cfg.h: what
 *   es_cfg_write_run gives, es_cfg_load_run reads back to the same spec,
 *   byte for byte), so a value the loader accepts but the writer cannot
 *   express, or reads back differently, is a crash too;
 * - nothing is written to stdout (it carries validate's effective config,
 *   and libconfig's scanner echoes characters it cannot match there). 
 *
 * The scratch folder holds fixed files an input may @include: base.inc (a
 * valid group), sub/x.inc (which includes "y.inc" relative to its own
 * folder: the loader's hint path) and sub/y.inc. Inputs whose config part
 * holds both '@' and ".." are skipped: an @include climbing out of dir
 * could name /dev/zero or a FIFO, and the fuzzer would hang on the machine
 * rather than test our code (libconfig 1.5 unescapes only \\ and \" in
 * include names, so ".." cannot be spelt another way). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "io/cfg.h"
#include "fuzz_util.h"

#define FUZZ_ERR_MAX 2048

int es_fuzz_cfg_prepare(const char *dir)
{
    static const char base[] = "border = { intensity = 1.1; };\n";
    static const char x[] = "@include \"y.inc\"\n";
    fuzz_put(dir, "base.inc", base, sizeof base - 1);
    fuzz_mkdir(dir, "sub");
    fuzz_put(dir, "sub/x.inc", x, sizeof x - 1);
    fuzz_put(dir, "sub/y.inc", "", 0);
    fuzz_mkdir(dir, "rt");
    return 0;
}

static int has(const uint8_t *data, size_t size, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= size; i++)
        if (memcmp(data + i, needle, n) == 0) return 1;
    return 0;
}

/* The writer's text of spec, loaded again, must be spec. */
static void round_trip(const char *dir, const es_run_spec *spec)
{
    char path[PATH_MAX], err[FUZZ_ERR_MAX] = "";
    es_run_spec again;
    char *text = es_cfg_render_run(spec);
    if (!text) fuzz_bug("es_cfg_render_run failed on an accepted config", NULL);
    fuzz_put(dir, "rt/in.cfg", text, strlen(text));
    free(text);
    fuzz_path(path, sizeof path, dir, "rt/in.cfg");
    memset(&again, 0, sizeof again);
    if (es_cfg_load_run(path, NULL, 0, &again, err, sizeof err) != ES_OK)
        fuzz_bug("the effective config of an accepted config is refused", err);
    if (again.listed != spec->listed || again.n_scenarios != spec->n_scenarios ||
        again.n_comparisons != spec->n_comparisons)
        fuzz_bug("round trip changed the scenarios or comparisons", NULL);
    if (memcmp(&again.base, &spec->base, sizeof spec->base) != 0)
        fuzz_bug("round trip changed the base parameters", NULL);
    for (int i = 0; i < spec->n_scenarios; i++)
        if (strcmp(again.scenarios[i].name, spec->scenarios[i].name) != 0 ||
            memcmp(&again.scenarios[i].p, &spec->scenarios[i].p, sizeof spec->scenarios[i].p) != 0)
            fuzz_bug("round trip changed a scenario", spec->scenarios[i].name);
    for (int i = 0; i < spec->n_comparisons; i++)
        if (again.comparisons[i].base != spec->comparisons[i].base ||
            again.comparisons[i].alt != spec->comparisons[i].alt)
            fuzz_bug("round trip changed a comparison", NULL);
    es_run_spec_fini(&again);
}

int es_fuzz_cfg_one(const char *dir, const uint8_t *data, size_t size)
{
    char path[PATH_MAX], err[FUZZ_ERR_MAX] = "";
    char *sets[ES_FUZZ_MAX_SETS];
    int n_sets = 0, rc;
    const uint8_t *nul = memchr(data, 0, size);
    size_t cfg_len = nul ? (size_t)(nul - data) : size;
    if (has(data, cfg_len, "@") && has(data, cfg_len, "..")) return -1;

    fuzz_put(dir, "in.cfg", data, cfg_len);
    for (size_t pos = cfg_len + 1; nul && pos <= size && n_sets < ES_FUZZ_MAX_SETS;) {
        const uint8_t *end = memchr(data + pos, 0, size - pos);
        size_t len = end ? (size_t)(end - (data + pos)) : size - pos;
        if (!(sets[n_sets] = malloc(len + 1))) fuzz_bug("out of memory in the harness", NULL);
        memcpy(sets[n_sets], data + pos, len);
        sets[n_sets++][len] = '\0';
        pos += len + 1;
        if (!end) break;
    }

    es_run_spec spec;
    memset(&spec, 0, sizeof spec);
    fuzz_path(path, sizeof path, dir, "in.cfg");
    /* stdout goes to dir/stdout.txt during the load, which must stay empty. */
    char out_path[PATH_MAX];
    fuzz_path(out_path, sizeof out_path, dir, "stdout.txt");
    fflush(stdout);
    int saved = dup(STDOUT_FILENO), fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (saved < 0 || fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
        fuzz_bug("cannot redirect stdout", out_path);
    es_status st = es_cfg_load_run(path, (const char *const *)sets, n_sets, &spec, err, sizeof err);
    fflush(stdout);
    struct stat sb;
    if (dup2(saved, STDOUT_FILENO) < 0 || fstat(fd, &sb) != 0)
        fuzz_bug("cannot restore stdout", NULL);
    close(fd);
    close(saved);
    if (sb.st_size != 0) fuzz_bug("the loader wrote to stdout", err);
    if (st == ES_OK) {
        if (spec.n_scenarios < 1 || !spec.scenarios)
            fuzz_bug("accepted a run without scenarios", NULL);
        round_trip(dir, &spec);
        es_run_spec_fini(&spec);
        rc = 0;
    } else {
        if (st != ES_ERR_CONFIG && st != ES_ERR_NOMEM)
            fuzz_bug("refused with a status other than CONFIG", err);
        fuzz_check_message(err, dir, "--set ");
        rc = 1;
    }
    for (int i = 0; i < n_sets; i++) free(sets[i]);
    return rc;
}

#ifndef ES_FUZZ_NO_MAIN
/* libFuzzer's entry points; the scratch folder lives for the process. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir[512];

static void fuzz_at_exit(void)
{
    es_fuzz_cleanup(fuzz_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv; /* libFuzzer's signature */
    const char *tmp = getenv("TMPDIR");
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/es-fuzz-cfg.XXXXXX",
             tmp && strlen(tmp) < 400 ? tmp : "/tmp");
    if (!mkdtemp(fuzz_dir)) fuzz_bug("mkdtemp failed", fuzz_dir);
    atexit(fuzz_at_exit);
    return es_fuzz_cfg_prepare(fuzz_dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)es_fuzz_cfg_one(fuzz_dir, data, size);
    return 0;
}
#endif
