/* cfg.c: libconfig files into es_params, strictly (contract in cfg.h):
 * the load itself, and what every step shares (messages, file reading).
 *
 * The steps live by job: cfg_scan.c (raw text, includes, parse errors),
 * cfg_apply.c (settings into typed values, the walk), cfg_moves.c
 * (reassignment lists), cfg_set.c (--set and the final checks),
 * cfg_scenarios.c (scenarios, comparisons, the sweep check) and cfg_write.c
 * (the effective config). cfg_int.h is their private contract. The rules
 * of each parameter type (defaults, ranges, shares, reassignments, text)
 * are model/params.c's; this code reads libconfig and reports where.
 *
 * Loading runs in this order, and stops at the first error:
 *   1. read the main file ourselves (a missing file has no libconfig file
 *      name), then it and every include again for what libconfig would
 *      mishandle (cfg_check_includes: no regular file, too large, NUL
 *      bytes, a string or comment left open, a bad @include);
 *   2. parse it with libconfig, include folder = the main file's folder;
 *   3. pre-scan the raw text of the main file and of every included file for
 *      integer literals that libconfig 1.5 wraps to 32 bits;
 *   4. walk every setting: groups form dotted paths, each leaf must be a
 *      registered parameter of the right type and range (model/params.h);
 *      then the same for the `overrides` group;
 *   5. apply the --set overrides, in order, straight into es_params (so a
 *      --set may name a parameter the file does not mention);
 *   6. move constant paths to the effective horizon start
 *      (es_params_to_horizon), then es_params_check: every type's rules and
 *      the cross-field ones, reassignments included: this is the base;
 *   7. each entry of `scenarios`: from the parameters as step 4 left them,
 *      walk the scenario's settings as in step 4, then steps 5 and 6;
 *   8. `comparisons`, against the scenario names.
 *
 * Choices and their reasons:
 * - Includes. libconfig 1.5 has a single include folder, so every @include,
 *   also one inside an included file, resolves against the MAIN file's
 *   folder, whatever the cwd. An include written relative to its own
 *   (sub)folder fails with a message that says how to write it. Absolute
 *   include paths cannot work in 1.5 (it prefixes the folder) and say so.
 * - Paths (ES_P_PATH) are written as a list of ("YYYY-MM-DD", value) points
 *   or, for a constant, as a plain number. A constant, like the default, is
 *   stored as one point at the effective horizon.start, so every point of
 *   every path lies inside the horizon.
 * - --set values go through libconfig (same typing rules as the file); for
 *   a choice or date parameter an unquoted value is quoted for the user
 *   (--set run.rng=mt19937).
 * - An int literal is accepted where a real is expected, and an int or an
 *   L-suffixed int where an int is expected (when it fits in 32 bits).
 * - A top-level `overrides = { ... };` group is applied after the rest of
 *   the file, so `@include "baseline.cfg"` plus overrides derives a scenario
 *   from a base (configs/fy2018.cfg). --set applies after overrides.
 * Nothing here writes *out before everything has passed. */
#include "cfg.h"
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../core/mem.h"
#include "../experiment/calibrate.h"
#include "../experiment/uncertainty.h"
#include "cfg_int.h"
#include "sweep.h"

es_status cfg_fail(cfg_load *L, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(L->err, L->errlen, fmt, ap);
    va_end(ap);
    return ES_ERR_CONFIG;
}

/* The name a user knows a file by. libconfig reports included files by the
 * string in the @include line; it opened them as "<dir>/<string>", even a
 * string that starts with '/' (libconfig 1.5): that one is shown as opened,
 * since the absolute name is not the file that was read (found by fuzzing:
 * '@include "/in.cfg"' in dir/in.cfg reads dir//in.cfg, itself). */
void cfg_display_name(const cfg_load *L, const char *raw, char *buf, size_t n)
{
    if (!raw || !strcmp(raw, L->file))
        snprintf(buf, n, "%s", L->file);
    else if (raw[0] != '/' && !strcmp(L->dir, "."))
        snprintf(buf, n, "%s", raw);
    else
        snprintf(buf, n, "%s/%s", L->dir, raw);
}

void cfg_setting_where(const cfg_load *L, const config_setting_t *s, char *buf, size_t n)
{
    char name[CFG_FILE_MAX];
    cfg_display_name(L, config_setting_source_file(s), name, sizeof name);
    snprintf(buf, n, "%s:%u", name, config_setting_source_line(s));
}

/* Out of memory is the machine's failure, not the config's: exit 1, not 2. */
es_status cfg_fail_nomem(cfg_load *L, const char *where)
{
    snprintf(L->err, L->errlen, "%s: out of memory", where);
    return ES_ERR_NOMEM;
}

/* What a path that is no regular file is, for messages. */
static const char *file_kind(mode_t m)
{
    return S_ISDIR(m)    ? "a folder"
           : S_ISFIFO(m) ? "a FIFO (named pipe)"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISSOCK(m) ? "a socket"
                         : "not a regular file";
}

/* Only a regular file of at most CFG_TEXT_MAX bytes is read: a FIFO would
 * block (open itself blocks without O_NONBLOCK, which a regular file
 * ignores), /dev/zero would never end, and a file that grows while read
 * (or a /proc file, whose size says 0) stops at the limit. */
int cfg_read_text(const char *path, char **text, size_t *len, char *why, size_t whylen)
{
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int rc = -1;
    struct stat sb;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, whylen, "%s", strerror(errno));
        return -1;
    }
    if (fstat(fd, &sb) != 0) {
        snprintf(why, whylen, "%s", strerror(errno));
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        snprintf(why, whylen, "it is %s, not a config file", file_kind(sb.st_mode));
        goto out;
    }
    for (;;) {
        if (cap - n < 4096) {
            size_t want = cap ? cap * 2 : 8192;
            char *b = es_reallocarray(buf, want, 1);
            if (!b) {
                snprintf(why, whylen, "out of memory");
                rc = -2; /* callers tell it from an unreadable file */
                goto out;
            }
            buf = b;
            cap = want;
        }
        ssize_t got = read(fd, buf + n, cap - n - 1);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            snprintf(why, whylen, "%s", strerror(errno));
            goto out;
        }
        if (got == 0) break;
        n += (size_t)got;
        if (n > CFG_TEXT_MAX) {
            snprintf(why, whylen, "it is larger than %d MB, the most a config file may hold",
                     CFG_TEXT_MAX >> 20);
            goto out;
        }
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    buf = NULL;
    rc = 0;
out:
    free(buf);
    close(fd);
    return rc;
}

const char *cfg_type_name(int t)
{
    switch (t) {
    case CONFIG_TYPE_INT: return "an integer";
    case CONFIG_TYPE_INT64: return "a 64-bit integer";
    case CONFIG_TYPE_FLOAT: return "a float";
    case CONFIG_TYPE_STRING: return "a string";
    case CONFIG_TYPE_BOOL: return "a boolean";
    case CONFIG_TYPE_ARRAY: return "an array [ ]";
    case CONFIG_TYPE_LIST: return "a list ( )";
    case CONFIG_TYPE_GROUP: return "a group { }";
    }
    return "nothing";
}

int cfg_get_number(const config_setting_t *s, double *v)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT: *v = config_setting_get_int(s); return 0;
    case CONFIG_TYPE_INT64: *v = (double)config_setting_get_int64(s); return 0;
    case CONFIG_TYPE_FLOAT: *v = config_setting_get_float(s); return 0;
    }
    return -1;
}

int cfg_wrong_type(char *msg, size_t n, const char *want, const config_setting_t *s)
{
    snprintf(msg, n, "expected %s, got %s", want, cfg_type_name(config_setting_type(s)));
    return -1;
}

/* "file:line", and the scenario when reading one. */
void cfg_where_of(const cfg_load *L, const config_setting_t *s, char *buf, size_t n)
{
    char at[CFG_FILE_MAX + 16];
    cfg_setting_where(L, s, at, sizeof at);
    if (L->scenario_name)
        snprintf(buf, n, "%s: scenario '%s'", at, L->scenario_name);
    else
        snprintf(buf, n, "%s", at);
}

static void sanitize(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) *s = '?';
}

int es_run_spec_find(const es_run_spec *spec, const char *name)
{
    for (int i = 0; i < spec->n_scenarios; i++)
        if (!strcmp(spec->scenarios[i].name, name)) return i;
    return -1;
}

void es_run_spec_fini(es_run_spec *spec)
{
    if (!spec) return;
    free(spec->scenarios);
    free(spec->comparisons);
    es_sweep_free(spec->sweep);
    es_uncertainty_free(spec->unc);
    spec->unc = NULL;
    es_calibration_free(spec->cal);
    spec->cal = NULL;
    spec->scenarios = NULL;
    spec->comparisons = NULL;
    spec->sweep = NULL;
    spec->n_scenarios = spec->n_comparisons = 0;
}

es_status es_cfg_load_run(const char *file, const char *const *sets, int n_sets, es_run_spec *out,
                          char *err, size_t errlen)
{
    cfg_load L = {.file = file, .err = err, .errlen = errlen};
    es_status st = ES_OK;
    char *text = NULL, *copy = NULL, why[128];
    size_t len;
    es_params *p = NULL, *pre = NULL;
    unsigned char *constant = NULL, *pre_constant = NULL;
    es_run_spec *spec = NULL;
    config_init(&L.cfg);
    if (errlen) err[0] = '\0';

    p = es_calloc(1, sizeof *p);
    pre = es_calloc(1, sizeof *pre);
    constant = es_calloc(es_param_count, 1);
    pre_constant = es_calloc(es_param_count, 1);
    spec = es_calloc(1, sizeof *spec);
    copy = es_strdup(file);
    if (!p || !pre || !constant || !pre_constant || !spec || !copy ||
        !(L.dir = es_strdup(dirname(copy)))) {
        st = ES_ERR_NOMEM;
        snprintf(err, errlen, "%s: out of memory", file);
        goto out;
    }
    L.p = p;
    L.constant = constant;
    es_params_defaults(L.p);
    /* Every default stands "from the horizon start" until a setting says otherwise
     * (es_params_to_horizon reads the flag only where a type can move). */
    memset(L.constant, 1, es_param_count);

    int rc = cfg_read_text(file, &text, &len, why, sizeof why);
    if (rc) {
        st = rc == -2 ? cfg_fail_nomem(&L, file)
                      : cfg_fail(&L, "%s: cannot read the config file: %s", file, why);
        goto out;
    }
    config_set_include_dir(&L.cfg, L.dir);
    int stop = 0;
    if ((st = cfg_check_includes(&L, file, &stop)) != ES_OK) goto out;
    if (!config_read_file(&L.cfg, file)) {
        st = cfg_parse_error(&L);
        goto out;
    }
    if ((st = cfg_prescan_file(&L, file, 0)) != ES_OK) goto out;
    const config_setting_t *root = config_root_setting(&L.cfg);
    /* The registry's defaults are starting points, not the calibrated
     * model: a config that sets nothing would run an uncalibrated model
     * without a word. */
    if (config_setting_length(root) == 0 && n_sets == 0) {
        st = cfg_fail(&L,
                      "%s: no settings; start from configs/baseline.cfg (@include it and change "
                      "what your scenario changes)",
                      file);
        goto out;
    }
    if ((st = cfg_walk(&L, root, "")) != ES_OK) goto out;
    const config_setting_t *ov = config_setting_get_member(root, CFG_OVERRIDES);
    if (ov && config_setting_is_group(ov) && (st = cfg_walk(&L, ov, "")) != ES_OK) goto out;
    /* Every scenario starts from here: the file without --set, which
     * applies last, to each scenario alike. */
    memcpy(pre, p, sizeof *pre);
    memcpy(pre_constant, constant, es_param_count);
    if ((st = cfg_finish(&L, sets, n_sets)) != ES_OK) goto out;
    memcpy(&spec->base, p, sizeof *p);

    const config_setting_t *list = config_setting_get_member(root, CFG_SCENARIOS);
    if (list) {
        spec->listed = 1;
        if ((st = cfg_read_scenarios(&L, list, pre, pre_constant, sets, n_sets, spec)) != ES_OK)
            goto out;
    } else {
        if (!(spec->scenarios = es_calloc(1, sizeof *spec->scenarios))) {
            st = ES_ERR_NOMEM;
            snprintf(err, errlen, "%s: out of memory", file);
            goto out;
        }
        spec->n_scenarios = 1;
        if ((st = cfg_stem_name(&L, file, spec->scenarios[0].name)) != ES_OK) goto out;
        memcpy(&spec->scenarios[0].p, p, sizeof *p);
    }
    const config_setting_t *cmp = config_setting_get_member(root, CFG_COMPARISONS);
    if (cmp && (st = cfg_read_comparisons(&L, cmp, spec)) != ES_OK) goto out;
    const config_setting_t *swp = config_setting_get_member(root, ES_SWEEP_SETTING);
    if (swp && spec->n_comparisons > 0) {
        char at[CFG_FILE_MAX + 16];
        cfg_setting_where(&L, swp, at, sizeof at);
        st = cfg_fail(&L,
                      "%s: a config with a sweep cannot have comparisons yet; remove 'comparisons' "
                      "(compare points "
                      "from the sweep's summaries)",
                      at);
        goto out;
    }
    const config_setting_t *unc = config_setting_get_member(root, CFG_UNCERTAINTY);
    if (unc && swp) {
        char at[CFG_FILE_MAX + 16];
        cfg_setting_where(&L, unc, at, sizeof at);
        st = cfg_fail(&L,
                      "%s: a config with a sweep cannot have an uncertainty block; the sweep "
                      "varies parameters already (analyse it with `enforcesim sensitivity`)",
                      at);
        goto out;
    }
    if (unc && (st = cfg_read_uncertainty(&L, unc, spec)) != ES_OK) goto out;
    const config_setting_t *cal = config_setting_get_member(root, CFG_CALIBRATION);
    if (cal && (st = cfg_read_calibration(&L, cal, spec)) != ES_OK) goto out;
    if (swp && ((st = es_sweep_read(swp, file, &spec->base, (uint64_t)spec->base.seed, &spec->sweep,
                                    err, errlen)) != ES_OK ||
                (st = es_cfg_check_sweep(spec, file, err, errlen)) != ES_OK))
        goto out;
    memcpy(out, spec, sizeof *out);
    memset(spec, 0, sizeof *spec); /* the arrays now belong to *out */
out:
    if (st != ES_OK && errlen) sanitize(err);
    config_destroy(&L.cfg);
    es_run_spec_fini(spec);
    free(spec);
    free(L.dir);
    free(copy);
    free(text);
    free(pre_constant);
    free(constant);
    free(pre);
    free(p);
    return st;
}

es_status es_cfg_load(const char *file, const char *const *sets, int n_sets, es_params *out,
                      char *err, size_t errlen)
{
    es_run_spec *spec = es_calloc(1, sizeof *spec);
    if (!spec) {
        snprintf(err, errlen, "%s: out of memory", file);
        return ES_ERR_NOMEM;
    }
    es_status st = es_cfg_load_run(file, sets, n_sets, spec, err, errlen);
    if (st == ES_OK) memcpy(out, &spec->base, sizeof *out);
    es_run_spec_fini(spec);
    free(spec);
    return st;
}
