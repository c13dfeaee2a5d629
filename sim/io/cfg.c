/* cfg.c: libconfig files into es_params, strictly (contract in cfg.h).
 *
 * Loading runs in this order, and stops at the first error:
 *   1. read the main file ourselves (a missing file has no libconfig file name);
 *   2. parse it with libconfig, include folder = the main file's folder;
 *   3. pre-scan the raw text of the main file and of every included file for
 *      integer literals that libconfig 1.5 wraps to 32 bits;
 *   4. walk every setting: groups form dotted paths, each leaf must be a
 *      registered parameter of the right type and range (model/params.h);
 *      then the same for the `overrides` group;
 *   5. apply the --set overrides, in order, straight into es_params (so a
 *      --set may name a parameter the file does not mention);
 *   6. move constant paths to the effective horizon start, then the
 *      cross-field rules of es_params_check and of reassignment lists:
 *      this is the base;
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
#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../core/date.h"
#include "../core/mem.h"
#include "sweep.h"

#define CFG_INCLUDE_DEPTH 10   /* libconfig 1.5's MAX_INCLUDE_DEPTH */
#define CFG_NAME_MAX      256  /* a dotted setting path */
#define CFG_FILE_MAX      1024 /* a file name as shown in messages */
#define CFG_MSG_MAX       600  /* one message without its location */
#define CFG_LONG_DEC      10   /* decimal literals this long need the L suffix */
#define CFG_LONG_HEX      8    /* hex literals longer than this need it */
#define CFG_SHARES_TOL    1e-6
/* A top-level group whose settings apply on top of the rest of the file
 * (and of its @includes): how a scenario file changes a base it includes,
 * since libconfig 1.5 rejects a setting given twice. */
#define CFG_OVERRIDES     "overrides" /* params.h: shares sum to 1 within this */
/* Top-level settings that are not parameters (es_cfg_load_run). */
#define CFG_SCENARIOS     "scenarios"
#define CFG_COMPARISONS   "comparisons"
#define CFG_SCENARIO_NAME "name" /* the member of a scenario group naming it */

/* One load in progress. Owns cfg (libconfig), dir and p. */
typedef struct {
    const char *file; /* main file, as the caller named it */
    char *dir;        /* its folder: libconfig's include folder */
    config_t cfg;
    es_params *p;                     /* the parameters being filled: the base or a scenario's */
    unsigned char *constant;          /* per registry entry of *p: a PATH given as a constant */
    const config_setting_t *scenario; /* the scenario group being read, or NULL */
    const char *scenario_name;
    char *err;
    size_t errlen;
} cfg_load;

static es_status fail(cfg_load *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static es_status fail(cfg_load *L, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(L->err, L->errlen, fmt, ap);
    va_end(ap);
    return ES_ERR_CONFIG;
}

/* The name a user knows a file by. libconfig reports included files by the
 * string in the @include line; it opened them as "<dir>/<string>". */
static void display_name(const cfg_load *L, const char *raw, char *buf, size_t n)
{
    if (!raw || !strcmp(raw, L->file))
        snprintf(buf, n, "%s", L->file);
    else if (raw[0] == '/' || !strcmp(L->dir, "."))
        snprintf(buf, n, "%s", raw);
    else
        snprintf(buf, n, "%s/%s", L->dir, raw);
}

static void setting_where(const cfg_load *L, const config_setting_t *s, char *buf, size_t n)
{
    char name[CFG_FILE_MAX];
    display_name(L, config_setting_source_file(s), name, sizeof name);
    snprintf(buf, n, "%s:%u", name, config_setting_source_line(s));
}

/* Shortest of %.15g, %.16g, %.17g that reads back to exactly v. */
static void fmt_num(char *buf, size_t n, double v)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) return;
    }
}

static int read_text(const char *path, char **text, size_t *len, char *why, size_t whylen)
{
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int rc = -1;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, whylen, "%s", strerror(errno));
        return -1;
    }
    for (;;) {
        if (cap - n < 4096) {
            char *b = es_reallocarray(buf, cap ? cap * 2 : 8192, 1);
            if (!b) {
                snprintf(why, whylen, "out of memory");
                goto out;
            }
            buf = b;
            cap = cap ? cap * 2 : 8192;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        snprintf(why, whylen, "%s", errno ? strerror(errno) : "read error");
        goto out;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    buf = NULL;
    rc = 0;
out:
    free(buf);
    fclose(f);
    return rc;
}

/* ---- raw-text scanner: @include lines and over-long integer literals ---- */

/* LT_OPEN_INCLUDE: an @include whose name has no closing quote. libconfig
 * 1.5 then takes the rest of the file as the name and silently ignores it
 * all, or prints a trailing backslash to stdout (found by fuzzing), so the
 * loader refuses it itself, before libconfig sees it (check_includes). */
enum { LT_END, LT_INCLUDE, LT_LONG_INT, LT_AT, LT_OPEN_INCLUDE };

/* Walks libconfig text the way its 1.5 scanner does, as far as comments
 * (#, //, C style), strings, names and numbers go. */
typedef struct {
    const char *s;
    size_t len, pos;
    int line;               /* line at pos, from 1 */
    int tok_line;           /* line of the token just returned */
    char tok[CFG_FILE_MAX]; /* include name, or the long literal */
    int tok_backslash;      /* the include name had a backslash */
} lit_scan;

static void lit_init(lit_scan *ls, const char *s, size_t len)
{
    memset(ls, 0, sizeof *ls);
    ls->s = s;
    ls->len = len;
    ls->line = 1;
}

static int lit_peek(const lit_scan *ls, size_t k)
{
    return ls->pos + k < ls->len ? (unsigned char)ls->s[ls->pos + k] : 0;
}

/* Skips a string at pos; copies its characters into tok when keep.
 * Returns 0, or -1 when the text ends before the closing quote. */
static int lit_string(lit_scan *ls, int keep)
{
    size_t k = 0;
    ls->pos++;
    if (keep) ls->tok_backslash = 0;
    while (ls->pos < ls->len && ls->s[ls->pos] != '"') {
        if (ls->s[ls->pos] == '\\' && keep) ls->tok_backslash = 1;
        if (ls->s[ls->pos] == '\\' && ls->pos + 1 < ls->len) ls->pos++;
        if (ls->s[ls->pos] == '\n') ls->line++;
        if (keep && k + 1 < sizeof ls->tok) ls->tok[k++] = ls->s[ls->pos];
        ls->pos++;
    }
    if (keep) ls->tok[k] = '\0';
    if (ls->pos >= ls->len) return -1;
    ls->pos++;
    return 0;
}

/* A number at pos. Returns 1 when it is an integer literal too long for
 * 32 bits without the L suffix (its text then in tok). */
static int lit_number(lit_scan *ls)
{
    size_t start = ls->pos, digits = 0;
    int hex = lit_peek(ls, 0) == '0' && (lit_peek(ls, 1) == 'x' || lit_peek(ls, 1) == 'X');
    if (hex) {
        ls->pos += 2;
        while (isxdigit(lit_peek(ls, 0))) ls->pos++, digits++;
    } else {
        while (isdigit(lit_peek(ls, 0))) ls->pos++, digits++;
        int c = lit_peek(ls, 0);
        if (c == '.' || c == 'e' || c == 'E') { /* a float: never wrapped */
            if (c == '.') {
                ls->pos++;
                while (isdigit(lit_peek(ls, 0))) ls->pos++;
            }
            c = lit_peek(ls, 0);
            if (c == 'e' || c == 'E') {
                ls->pos++;
                if (lit_peek(ls, 0) == '+' || lit_peek(ls, 0) == '-') ls->pos++;
                while (isdigit(lit_peek(ls, 0))) ls->pos++;
            }
            return 0;
        }
    }
    if (lit_peek(ls, 0) == 'L') {
        while (lit_peek(ls, 0) == 'L') ls->pos++;
        return 0;
    }
    if (hex ? digits <= CFG_LONG_HEX : digits < CFG_LONG_DEC) return 0;
    size_t n = ls->pos - start;
    if (n >= sizeof ls->tok) n = sizeof ls->tok - 1;
    memcpy(ls->tok, ls->s + start, n);
    ls->tok[n] = '\0';
    return 1;
}

static int lit_next(lit_scan *ls)
{
    while (ls->pos < ls->len) {
        int c = lit_peek(ls, 0);
        if (c == '\n') {
            ls->line++;
            ls->pos++;
        } else if (c == '#' || (c == '/' && lit_peek(ls, 1) == '/')) {
            while (ls->pos < ls->len && ls->s[ls->pos] != '\n') ls->pos++;
        } else if (c == '/' && lit_peek(ls, 1) == '*') {
            ls->pos += 2;
            while (ls->pos < ls->len && !(ls->s[ls->pos] == '*' && lit_peek(ls, 1) == '/')) {
                if (ls->s[ls->pos] == '\n') ls->line++;
                ls->pos++;
            }
            ls->pos = ls->pos + 2 < ls->len ? ls->pos + 2 : ls->len;
        } else if (c == '"') {
            lit_string(ls, 0);
        } else if (c == '@') {
            ls->tok_line = ls->line;
            ls->tok[0] = '\0';
            ls->pos++;
            size_t w = ls->pos;
            while (isalpha(lit_peek(ls, 0))) ls->pos++;
            if (ls->pos - w != 7 || memcmp(ls->s + w, "include", 7)) return LT_AT;
            while (lit_peek(ls, 0) == ' ' || lit_peek(ls, 0) == '\t') ls->pos++;
            if (lit_peek(ls, 0) != '"') return LT_AT;
            return lit_string(ls, 1) ? LT_OPEN_INCLUDE : LT_INCLUDE;
        } else if (isalpha(c) || c == '*' || c == '_') { /* a name: its digits are no number */
            while (isalnum(lit_peek(ls, 0)) || lit_peek(ls, 0) == '_' || lit_peek(ls, 0) == '*' ||
                   lit_peek(ls, 0) == '-')
                ls->pos++;
        } else if (isdigit(c)) {
            ls->tok_line = ls->line;
            if (lit_number(ls)) return LT_LONG_INT;
        } else {
            ls->pos++;
        }
    }
    return LT_END;
}

static const char *long_int_advice(const char *lit)
{
    return lit[0] == '0' && (lit[1] == 'x' || lit[1] == 'X')
               ? "has more than 8 hex digits but no L suffix; libconfig 1.5 would wrap it to 32 "
                 "bits"
               : "has 10 or more digits but no L suffix; libconfig 1.5 would wrap it to 32 bits";
}

/* The dotted path of the last setting of file `raw` that starts at or
 * before `line` (the setting a literal on that line belongs to). */
static void setting_at(const config_setting_t *s, const char *path, const char *raw, unsigned line,
                       char *best, size_t n)
{
    int len = config_setting_is_aggregate(s) ? config_setting_length(s) : 0;
    for (int i = 0; i < len; i++) {
        const config_setting_t *c = config_setting_get_elem(s, (unsigned)i);
        char sub[CFG_NAME_MAX];
        const char *name = config_setting_name(c);
        if (name)
            snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", name);
        else
            snprintf(sub, sizeof sub, "%s", path);
        const char *f = config_setting_source_file(c);
        if (f && !strcmp(f, raw) && config_setting_source_line(c) <= line)
            snprintf(best, n, "%s", sub);
        setting_at(c, sub, raw, line, best, n);
    }
}

/* Step 3 for one file (raw = its name as libconfig knows it). libconfig has
 * already opened every include, so none is missing and none nests deeper
 * than CFG_INCLUDE_DEPTH. */
static es_status prescan_file(cfg_load *L, const char *raw, int depth)
{
    char disp[CFG_FILE_MAX], why[128];
    char *text = NULL;
    size_t len = 0;
    es_status st = ES_OK;
    lit_scan *ls = NULL;
    display_name(L, raw, disp, sizeof disp);
    if (read_text(disp, &text, &len, why, sizeof why))
        return fail(L, "%s: cannot read: %s", disp, why);
    ls = es_calloc(1, sizeof *ls);
    if (!ls) {
        st = fail(L, "%s: out of memory", disp);
        goto out;
    }
    lit_init(ls, text, len);
    for (int t; (t = lit_next(ls)) != LT_END;) {
        if (t == LT_INCLUDE && depth < CFG_INCLUDE_DEPTH) {
            st = prescan_file(L, ls->tok, depth + 1);
            if (st) goto out;
        } else if (t == LT_LONG_INT) {
            char setting[CFG_NAME_MAX] = "";
            setting_at(config_root_setting(&L->cfg), "", raw, (unsigned)ls->tok_line, setting,
                       sizeof setting);
            st = fail(L, "%s:%d: setting '%s': integer literal %s %s (write %sL)", disp,
                      ls->tok_line, setting[0] ? setting : "?", ls->tok, long_int_advice(ls->tok),
                      ls->tok);
            goto out;
        }
    }
out:
    free(ls);
    free(text);
    return st;
}

/* Before libconfig parses: every @include that names something other than
 * a regular file (a folder, a FIFO, a device) is refused here, recursively.
 * libconfig 1.5 would open it anyway: on a folder its flex scanner prints
 * "input in flex scanner failed" and calls exit(2) (found by fuzzing); on
 * a FIFO or /dev/zero it would block or read forever. An @include without
 * its closing quote is refused too (LT_OPEN_INCLUDE). The path is built as
 * libconfig 1.5 builds it (include folder, '/', name, even for a name that
 * starts with '/'). Names that do not exist and loops are left to
 * libconfig, whose errors parse_error explains. The walk is depth first, in
 * file order, as libconfig's; it stops (*stop) at the first include that
 * libconfig would refuse as too deep, since libconfig stops there too, and
 * going on would visit fan-out^depth files (found by fuzzing: a file that
 * includes itself three times took seconds). */
static es_status check_includes(cfg_load *L, const char *file, int depth, int *stop)
{
    char path[CFG_FILE_MAX], why[128];
    char *text = NULL;
    size_t len = 0;
    es_status st = ES_OK;
    lit_scan *ls = NULL;
    struct stat sb;
    if (read_text(file, &text, &len, why, sizeof why)) return ES_OK; /* libconfig reports it */
    if (!(ls = es_calloc(1, sizeof *ls))) {
        st = fail(L, "%s: out of memory", file);
        goto out;
    }
    lit_init(ls, text, len);
    for (int t; (t = lit_next(ls)) != LT_END;) {
        if (t == LT_INCLUDE && depth >= CFG_INCLUDE_DEPTH) *stop = 1;
        if (*stop) break;
        if (t == LT_OPEN_INCLUDE) {
            int shown = (int)strcspn(ls->tok, "\r\n");
            st = fail(L, "%s:%d: @include \"%.*s: the file name has no closing '\"'", file,
                      ls->tok_line, shown < 40 ? shown : 40, ls->tok);
            goto out;
        }
        /* libconfig 1.5 drops a backslash in an include name and prints it
         * to stdout, into validate's output (found by fuzzing). */
        if (t == LT_INCLUDE && ls->tok_backslash) {
            st = fail(L, "%s:%d: @include: a file name may not contain '\\'", file, ls->tok_line);
            goto out;
        }
        if (t != LT_INCLUDE ||
            (size_t)snprintf(path, sizeof path, "%s/%s", L->dir, ls->tok) >= sizeof path ||
            stat(path, &sb) != 0)
            continue;
        if (!S_ISREG(sb.st_mode)) {
            st =
                fail(L, "%s:%d: @include \"%s\": '%s' is %s, not a config file", file, ls->tok_line,
                     ls->tok, path, S_ISDIR(sb.st_mode) ? "a folder" : "a device, pipe or socket");
            goto out;
        }
        if ((st = check_includes(L, path, depth + 1, stop)) != ES_OK) goto out;
    }
out:
    free(ls);
    free(text);
    return st;
}

/* A libconfig parse error, with the include named for include errors. */
static es_status parse_error(cfg_load *L)
{
    const char *ef = config_error_file(&L->cfg);
    const char *text = config_error_text(&L->cfg) ? config_error_text(&L->cfg) : "error";
    int line = config_error_line(&L->cfg);
    char disp[CFG_FILE_MAX], why[128];
    if (config_error_type(&L->cfg) == CONFIG_ERR_FILE_IO || !ef)
        return fail(L, "%s: cannot read the file", L->file);
    display_name(L, ef, disp, sizeof disp);
    if (!strstr(text, "include")) {
        const char *hint =
            strstr(text, "mismatched element type")
                ? " (all elements of [ ] must be one type: write 3000.0, not 3000, next to floats)"
                : "";
        return fail(L, "%s:%d: %s%s", disp, line, text, hint);
    }
    /* Name the include: find the @include on the error line. */
    char name[CFG_FILE_MAX] = "?";
    char *ftext = NULL;
    size_t flen = 0;
    lit_scan *ls = es_calloc(1, sizeof *ls);
    if (ls && !read_text(disp, &ftext, &flen, why, sizeof why)) {
        lit_init(ls, ftext, flen);
        for (int t; (t = lit_next(ls)) != LT_END;)
            if (t == LT_INCLUDE && ls->tok_line <= line) snprintf(name, sizeof name, "%s", ls->tok);
    }
    free(ls);
    free(ftext);
    es_status st;
    if (strstr(text, "too deep")) {
        st = fail(
            L, "%s:%d: @include \"%s\": includes nest deeper than %d levels; do they form a loop?",
            disp, line, name, CFG_INCLUDE_DEPTH);
    } else if (name[0] == '/') {
        st = fail(L,
                  "%s:%d: @include \"%s\": cannot open include file: absolute include paths do not "
                  "work with "
                  "libconfig 1.5; write the path relative to the main file's folder '%s'",
                  disp, line, name, L->dir);
    } else {
        /* Did the user mean the including file's own folder? */
        char own[CFG_FILE_MAX * 2 + 2], tried[CFG_FILE_MAX];
        char *copy = es_strdup(disp);
        display_name(L, name, tried, sizeof tried);
        if (copy) snprintf(own, sizeof own, "%s/%s", dirname(copy), name);
        if (copy && strcmp(own, tried) && access(own, R_OK) == 0)
            st = fail(L,
                      "%s:%d: @include \"%s\": cannot open include file '%s'; every @include "
                      "resolves against "
                      "the main file's folder '%s' (libconfig 1.5), so write the path from there",
                      disp, line, name, tried, L->dir);
        else
            st = fail(L,
                      "%s:%d: @include \"%s\": cannot open include file '%s' (include paths are "
                      "relative to the "
                      "main file's folder '%s')",
                      disp, line, name, tried, L->dir);
        free(copy);
    }
    return st;
}

/* ---- values ---- */

static const char *lc_type_name(int t)
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

static int get_number(const config_setting_t *s, double *v)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT: *v = config_setting_get_int(s); return 0;
    case CONFIG_TYPE_INT64: *v = (double)config_setting_get_int64(s); return 0;
    case CONFIG_TYPE_FLOAT: *v = config_setting_get_float(s); return 0;
    }
    return -1;
}

/* v against the entry's [min, max]; `what` names the element ("" for a scalar). */
static int in_range(const es_param_def *d, const char *what, double v, char *msg, size_t n)
{
    char a[32], lo[32], hi[32];
    fmt_num(a, sizeof a, v);
    if (!isfinite(v)) {
        snprintf(msg, n, "%s%s is not a finite number", what, a);
        return -1;
    }
    if (v < d->min || v > d->max || (d->type == ES_P_SHARES && (v < 0 || v > 1))) {
        fmt_num(lo, sizeof lo, d->min);
        fmt_num(hi, sizeof hi, d->max);
        snprintf(msg, n, "%s%s is out of range [%s, %s]", what, a, lo, hi);
        return -1;
    }
    return 0;
}

static int wrong_type(char *msg, size_t n, const char *want, const config_setting_t *s)
{
    snprintf(msg, n, "expected %s, got %s", want, lc_type_name(config_setting_type(s)));
    return -1;
}

static int apply_vector(const es_param_def *d, const config_setting_t *s, double *f, char *msg,
                        size_t n)
{
    char want[64], what[80];
    double v[ES_VEC_MAX], sum = 0;
    int t = config_setting_type(s), len = config_setting_length(s);
    snprintf(want, sizeof want, "%d numbers [a, b, ...]", d->count);
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) return wrong_type(msg, n, want, s);
    if (len != d->count) {
        snprintf(msg, n, "expected %s, got %d", want, len);
        return -1;
    }
    for (int k = 0; k < len; k++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)k);
        snprintf(what, sizeof what, "element %d (%s) = ", k + 1, d->labels ? d->labels[k] : "-");
        if (get_number(e, &v[k])) {
            snprintf(msg, n, "element %d (%s): expected a number, got %s", k + 1,
                     d->labels ? d->labels[k] : "-", lc_type_name(config_setting_type(e)));
            return -1;
        }
        if (in_range(d, what, v[k], msg, n)) return -1;
        sum += v[k];
    }
    if (d->type == ES_P_SHARES && fabs(sum - 1.0) > CFG_SHARES_TOL) {
        snprintf(msg, n, "shares sum to %.10g, not 1", sum);
        return -1;
    }
    memcpy(f, v, (size_t)d->count * sizeof *f);
    return 0;
}

static int apply_path(const es_param_def *d, const config_setting_t *s, es_path *f,
                      unsigned char *constant, char *msg, size_t n)
{
    static const char want[] = "a number or a list of (\"YYYY-MM-DD\", value) points";
    es_path *tmp = es_calloc(1, sizeof *tmp);
    int rc = -1;
    double x;
    char what[64], prev[16];
    if (!tmp) {
        snprintf(msg, n, "out of memory");
        return -1;
    }
    if (!get_number(s, &x)) {
        if (in_range(d, "", x, msg, n)) goto out;
        tmp->n = 1;
        tmp->v[0] = x; /* day[0]: the horizon start, set once it is known */
        *constant = 1;
    } else if (config_setting_type(s) == CONFIG_TYPE_LIST) {
        int len = config_setting_length(s);
        if (len < 1 || len > ES_PATH_MAX) {
            snprintf(msg, n, "a path needs 1 to %d (\"YYYY-MM-DD\", value) points, got %d",
                     ES_PATH_MAX, len);
            goto out;
        }
        for (int k = 0; k < len; k++) {
            const config_setting_t *e = config_setting_get_elem(s, (unsigned)k);
            const config_setting_t *e0, *e1;
            if (config_setting_type(e) != CONFIG_TYPE_LIST || config_setting_length(e) != 2) {
                snprintf(msg, n, "point %d: expected (\"YYYY-MM-DD\", value), got %s", k + 1,
                         lc_type_name(config_setting_type(e)));
                goto out;
            }
            e0 = config_setting_get_elem(e, 0);
            e1 = config_setting_get_elem(e, 1);
            const char *ds = config_setting_type(e0) == CONFIG_TYPE_STRING
                                 ? config_setting_get_string(e0)
                                 : NULL;
            if (!ds || es_date_parse(ds, &tmp->day[k])) {
                snprintf(msg, n, "point %d: %s%s%s is not a date (\"YYYY-MM-DD\" or \"YYYY-MM\")",
                         k + 1, ds ? "'" : "", ds ? ds : lc_type_name(config_setting_type(e0)),
                         ds ? "'" : "");
                goto out;
            }
            if (get_number(e1, &tmp->v[k])) {
                snprintf(msg, n, "point %d: expected a number as value, got %s", k + 1,
                         lc_type_name(config_setting_type(e1)));
                goto out;
            }
            snprintf(what, sizeof what, "point %d (%s) value ", k + 1, ds);
            if (in_range(d, what, tmp->v[k], msg, n)) goto out;
            if (k > 0 && tmp->day[k] <= tmp->day[k - 1]) {
                es_date_format(tmp->day[k - 1], prev);
                snprintf(msg, n,
                         "point %d: date %s does not follow %s; dates must strictly increase",
                         k + 1, ds, prev);
                goto out;
            }
        }
        tmp->n = len;
        *constant = 0;
    } else {
        wrong_type(msg, n, want, s);
        goto out;
    }
    memcpy(f, tmp, sizeof *tmp);
    rc = 0;
out:
    free(tmp);
    return rc;
}

/* Levenshtein distance, for "did you mean" among the few names of a list
 * (programs, reassignment fields); the registry has its own for paths. */
static int name_distance(const char *a, const char *b)
{
    enum { MAXN = 64 };
    int row[MAXN + 1];
    size_t la = strlen(a), lb = strlen(b);
    if (la > MAXN) la = MAXN;
    if (lb > MAXN) lb = MAXN;
    for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* Index of `name` in the NULL-terminated `names`, or -1 with *near set to
 * the closest name when it is close enough to be a typo, or else to the one
 * name that contains it ("worksite" -> "worksite_enforcement"); NULL when
 * neither. */
static int name_index(const char *const *names, const char *name, const char **near)
{
    int best = -1, best_d = 0, n_containing = 0;
    const char *containing = NULL;
    *near = NULL;
    for (int i = 0; names[i]; i++) {
        if (!strcmp(names[i], name)) return i;
        int dist = name_distance(name, names[i]);
        if (best < 0 || dist < best_d) best = i, best_d = dist;
        if (*name && strstr(names[i], name)) containing = names[i], n_containing++;
    }
    if (best >= 0 && best_d <= 2 + (int)strlen(name) / 4)
        *near = names[best];
    else if (n_containing == 1)
        *near = containing;
    return -1;
}

/* "a, b, c" of a NULL-terminated list, cut to the buffer. */
static void list_names(const char *const *names, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int i = 0; names[i]; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, n - used, "%s%s", i ? ", " : "", names[i]);
    }
}

/* The fields of one reassignment group, in the order es_cfg_write gives them. */
static const char *const move_fields[] = {"from", "to", "agents", "share", "start", "end", NULL};

/* A program name of a reassignment, into *prog. */
static int move_program(const config_setting_t *e, const char *field, int *prog, const char *what,
                        char *msg, size_t n)
{
    const config_setting_t *s = config_setting_get_member(e, field);
    const char *near;
    char list[CFG_MSG_MAX / 2];
    if (!s) {
        snprintf(msg, n, "%s: '%s' is missing (a program name)", what, field);
        return -1;
    }
    if (config_setting_type(s) != CONFIG_TYPE_STRING) {
        snprintf(msg, n, "%s: '%s': expected a program name string, got %s", what, field,
                 lc_type_name(config_setting_type(s)));
        return -1;
    }
    const char *v = config_setting_get_string(s);
    *prog = name_index(es_program_names, v, &near);
    if (*prog >= 0) return 0;
    if (near) {
        snprintf(msg, n, "%s: '%s': '%.64s' is not a program; did you mean '%s'?", what, field, v,
                 near);
    } else {
        list_names(es_program_names, list, sizeof list);
        snprintf(msg, n, "%s: '%s': '%.64s' is not a program (one of %s)", what, field, v, list);
    }
    return -1;
}

/* A date field of a reassignment; *day stays as it is when optional and absent. */
static int move_date(const config_setting_t *e, const char *field, int optional, int32_t *day,
                     const char *what, char *msg, size_t n)
{
    const config_setting_t *s = config_setting_get_member(e, field);
    if (!s) {
        if (optional) return 0;
        snprintf(msg, n, "%s: '%s' is missing (a date \"YYYY-MM-DD\")", what, field);
        return -1;
    }
    const char *v =
        config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;
    if (!v || es_date_parse(v, day)) {
        snprintf(msg, n, "%s: '%s': %s%.64s%s is not a date (\"YYYY-MM-DD\" or \"YYYY-MM\")", what,
                 field, v ? "'" : "", v ? v : lc_type_name(config_setting_type(s)), v ? "'" : "");
        return -1;
    }
    return 0;
}

/* ES_P_MOVES: a list of groups { from; to; agents | share; start; end? }.
 * Checks what one group alone decides; the horizon and the size of the
 * source pool are checked by check_moves once every value is known. */
static int apply_moves(const config_setting_t *s, es_moves *f, char *msg, size_t n)
{
    static const char want[] =
        "a list of reassignments ( { from = \"...\"; to = \"...\"; agents = N; "
        "start = \"YYYY-MM-DD\"; end = \"YYYY-MM-DD\"; }, ... )";
    es_moves *tmp = es_calloc(1, sizeof *tmp); /* zeroed: padding too, for memcmp round trips */
    int rc = -1, len;
    if (!tmp) {
        snprintf(msg, n, "out of memory");
        return -1;
    }
    if (config_setting_type(s) != CONFIG_TYPE_LIST) {
        wrong_type(msg, n, want, s);
        goto out;
    }
    len = config_setting_length(s);
    if (len > ES_MOVES_MAX) {
        snprintf(msg, n, "%d reassignments; at most %d", len, ES_MOVES_MAX);
        goto out;
    }
    for (int k = 0; k < len; k++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)k);
        es_move *m = &tmp->m[k];
        char what[64];
        snprintf(what, sizeof what, "reassignment %d (line %u)", k + 1,
                 config_setting_source_line(e));
        if (config_setting_type(e) != CONFIG_TYPE_GROUP) {
            snprintf(msg, n, "%s: expected a group { from = ...; to = ...; ... }, got %s", what,
                     lc_type_name(config_setting_type(e)));
            goto out;
        }
        for (int i = 0; i < config_setting_length(e); i++) {
            const char *field = config_setting_name(config_setting_get_elem(e, (unsigned)i)), *near;
            char list[128];
            if (name_index(move_fields, field, &near) >= 0) continue;
            list_names(move_fields, list, sizeof list);
            if (near)
                snprintf(msg, n, "%s: unknown field '%s'; did you mean '%s'?", what, field, near);
            else
                snprintf(msg, n, "%s: unknown field '%s' (fields: %s)", what, field, list);
            goto out;
        }
        if (move_program(e, "from", &m->from, what, msg, n) ||
            move_program(e, "to", &m->to, what, msg, n))
            goto out;
        if (m->from == m->to) {
            snprintf(msg, n, "%s: 'from' and 'to' are both '%s'", what, es_program_names[m->from]);
            goto out;
        }
        const config_setting_t *a = config_setting_get_member(e, "agents"),
                               *sh = config_setting_get_member(e, "share");
        if (!a == !sh) {
            snprintf(
                msg, n,
                "%s: give exactly one of 'agents' (a number of agents) and 'share' (of the pool)",
                what);
            goto out;
        }
        if (a) {
            long long v;
            if (config_setting_type(a) == CONFIG_TYPE_INT)
                v = config_setting_get_int(a);
            else if (config_setting_type(a) == CONFIG_TYPE_INT64)
                v = config_setting_get_int64(a);
            else {
                snprintf(msg, n, "%s: 'agents': expected a whole number of agents, got %s", what,
                         lc_type_name(config_setting_type(a)));
                goto out;
            }
            if (v < 0 || v > INT_MAX) {
                snprintf(msg, n, "%s: 'agents': %lld is not a number of agents (0 or more)", what,
                         v);
                goto out;
            }
            m->agents = (int)v;
            m->share = 0;
        } else {
            double v;
            char num[32];
            if (get_number(sh, &v)) {
                snprintf(msg, n, "%s: 'share': expected a number in (0, 1], got %s", what,
                         lc_type_name(config_setting_type(sh)));
                goto out;
            }
            if (!(v > 0 && v <= 1)) { /* NaN fails too */
                fmt_num(num, sizeof num, v);
                snprintf(msg, n, "%s: 'share': %s is not in (0, 1]", what, num);
                goto out;
            }
            m->agents = -1; /* params.h: agents < 0 means "use share" */
            m->share = v;
        }
        m->end = -1; /* params.h: end < 0 means "never returns" */
        if (move_date(e, "start", 0, &m->start, what, msg, n) ||
            move_date(e, "end", 1, &m->end, what, msg, n))
            goto out;
        if (m->end >= 0 && m->end < m->start) {
            char a1[16], a2[16];
            es_date_format(m->end, a1);
            es_date_format(m->start, a2);
            snprintf(msg, n, "%s: 'end' %s is before 'start' %s", what, a1, a2);
            goto out;
        }
    }
    tmp->n = len;
    memcpy(f, tmp, sizeof *tmp);
    rc = 0;
out:
    free(tmp);
    return rc;
}

/* Converts setting s to parameter d in p. On error, msg says why (without
 * location or setting name) and p is unchanged for d. */
static int apply_value(const es_param_def *d, const config_setting_t *s, es_params *p,
                       unsigned char *constant, char *msg, size_t n)
{
    void *f = (char *)p + d->offset;
    int t = config_setting_type(s);
    double x;
    switch (d->type) {
    case ES_P_INT:
    case ES_P_INT64: {
        long long v;
        if (t == CONFIG_TYPE_INT)
            v = config_setting_get_int(s);
        else if (t == CONFIG_TYPE_INT64)
            v = config_setting_get_int64(s);
        else
            return wrong_type(msg, n, "an integer", s);
        if (d->type == ES_P_INT && (v < INT_MIN || v > INT_MAX)) {
            snprintf(msg, n, "%lld does not fit in a 32-bit integer", v);
            return -1;
        }
        if (in_range(d, "", (double)v, msg, n)) return -1;
        if (d->type == ES_P_INT)
            *(int *)f = (int)v;
        else
            *(int64_t *)f = (int64_t)v;
        return 0;
    }
    case ES_P_REAL:
        if (get_number(s, &x)) return wrong_type(msg, n, "a number", s);
        if (in_range(d, "", x, msg, n)) return -1;
        *(double *)f = x;
        return 0;
    case ES_P_BOOL:
        if (t != CONFIG_TYPE_BOOL) return wrong_type(msg, n, "true or false", s);
        *(int *)f = config_setting_get_bool(s) ? 1 : 0;
        return 0;
    case ES_P_CHOICE: {
        char list[CFG_MSG_MAX / 2] = "";
        if (t != CONFIG_TYPE_STRING) return wrong_type(msg, n, "a string", s);
        const char *v = config_setting_get_string(s);
        for (const char *const *c = d->choices; c && *c; c++) {
            if (!strcmp(*c, v) && strlen(v) < ES_STR_MAX) {
                memset(f, 0, ES_STR_MAX);
                memcpy(f, v, strlen(v));
                return 0;
            }
            size_t used = strlen(list);
            snprintf(list + used, sizeof list - used, "%s\"%s\"", used ? ", " : "", *c);
        }
        snprintf(msg, n, "'%.64s' is not one of %s", v, list);
        return -1;
    }
    case ES_P_DATE: {
        if (t != CONFIG_TYPE_STRING) return wrong_type(msg, n, "a date string \"YYYY-MM-DD\"", s);
        const char *v = config_setting_get_string(s);
        int32_t day;
        if (es_date_parse(v, &day)) {
            snprintf(msg, n,
                     "'%.64s' is not a date (\"YYYY-MM-DD\" or \"YYYY-MM\", years 1900-2200)", v);
            return -1;
        }
        *(int32_t *)f = day;
        return 0;
    }
    case ES_P_VEC:
    case ES_P_SHARES: return apply_vector(d, s, f, msg, n);
    case ES_P_PATH: return apply_path(d, s, f, constant, msg, n);
    case ES_P_MOVES: return apply_moves(s, f, msg, n);
    }
    snprintf(msg, n, "unsupported parameter type");
    return -1;
}

/* The registry path of the parameter stored at `offset` (for messages). */
static const char *path_of_field(size_t offset, const char *fallback)
{
    for (size_t i = 0; i < es_param_count; i++)
        if (es_param_table[i].offset == offset) return es_param_table[i].path;
    return fallback;
}

static int move_active(const es_move *m, int32_t day)
{
    return m->start <= day && (m->end < 0 || day <= m->end);
}

/* The rules of a reassignment list that need final values: every start
 * inside the horizon, and never more agents moved out of a pool at once
 * than it holds (its agents plus those moved in by count at that time).
 * Moves by share take a share of what is there, so they always fit. The
 * count moved out of a pool only changes on a start or on the day after an
 * end, so checking those days covers every day. */
static int check_moves(const es_params *p, const es_moves *mv, char *msg, size_t n)
{
    char a[16], b[16], c[16];
    for (int k = 0; k < mv->n; k++) {
        const es_move *m = &mv->m[k];
        if (m->start < p->start_day || m->start > p->end_day) {
            es_date_format(m->start, a);
            es_date_format(p->start_day, b);
            es_date_format(p->end_day, c);
            snprintf(msg, n, "reassignment %d: start %s is outside the horizon %s to %s", k + 1, a,
                     b, c);
            return -1;
        }
    }
    for (int k = 0; k < 2 * mv->n; k++) {
        const es_move *mk = &mv->m[k / 2];
        if (k % 2 && mk->end < 0) continue;
        int32_t day = k % 2 ? mk->end + 1 : mk->start;
        for (int f = 0; f < ES_N_PROGRAMS; f++) {
            long long out = 0, in = 0;
            for (int j = 0; j < mv->n; j++) {
                const es_move *m = &mv->m[j];
                if (m->agents < 0 || !move_active(m, day)) continue;
                if (m->from == f) out += m->agents;
                if (m->to == f) in += m->agents;
            }
            if (out > 0 && (double)out > p->agents[f] + (double)in) {
                char have[32];
                fmt_num(have, sizeof have, p->agents[f]);
                es_date_format(day, a);
                snprintf(msg, n,
                         "on %s the reassignments move %lld agents out of '%s', which has only %s "
                         "(%s)%s",
                         a, out, es_program_names[f], have,
                         path_of_field(offsetof(es_params, agents), "agents"),
                         in ? " plus those moved in" : "");
                return -1;
            }
        }
    }
    return 0;
}

/* check_moves for every reassignment parameter of the registry; *bad names
 * the failing one. */
static int check_all_moves(const es_params *p, char *msg, size_t n, const char **bad)
{
    for (size_t i = 0; i < es_param_count; i++) {
        const es_param_def *d = &es_param_table[i];
        if (d->type != ES_P_MOVES) continue;
        char why[CFG_MSG_MAX / 2];
        if (check_moves(p, (const es_moves *)((const char *)p + d->offset), why, sizeof why)) {
            snprintf(msg, n, "setting '%s': %s", d->path, why);
            *bad = d->path;
            return -1;
        }
    }
    return 0;
}

/* ---- the walk over the file's settings ---- */

static int is_group_prefix(const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < es_param_count; i++)
        if (!strncmp(es_param_table[i].path, path, n) && es_param_table[i].path[n] == '.') return 1;
    return 0;
}

static es_status unknown_setting(cfg_load *L, const char *where, const char *path,
                                 const config_setting_t *s)
{
    const es_param_def *near;
    char guess[CFG_NAME_MAX * 2]; /* path (< CFG_NAME_MAX) "." member: gcc -O1 checks the room */
    if (!config_setting_is_group(s)) {
        near = es_param_nearest(path);
        if (near)
            return fail(L, "%s: setting '%s': unknown; did you mean '%s'?", where, path,
                        near->path);
        return fail(L, "%s: setting '%s': unknown (enforcesim params lists them all)", where, path);
    }
    /* A group: guess from its first member, keep as many components. */
    const config_setting_t *first =
        config_setting_length(s) > 0 ? config_setting_get_elem(s, 0) : NULL;
    if (first && config_setting_name(first))
        snprintf(guess, sizeof guess, "%s.%s", path, config_setting_name(first));
    else
        snprintf(guess, sizeof guess, "%s", path);
    near = es_param_nearest(guess);
    if (near) {
        int parts = 1;
        for (const char *c = path; *c; c++) parts += *c == '.';
        size_t k = 0;
        for (const char *c = near->path; *c && parts; c++, k++)
            if (*c == '.' && --parts == 0) break;
        if (near->path[k] == '.')
            return fail(L, "%s: setting '%s': unknown group; did you mean '%.*s'?", where, path,
                        (int)k, near->path);
    }
    return fail(L, "%s: setting '%s': unknown group (enforcesim params lists the parameters)",
                where, path);
}

/* Settings the walk leaves to others: at the root, the `overrides` group
 * (applied after the rest), `scenarios` and `comparisons`; in a scenario
 * group, its name. */
static int reserved(const cfg_load *L, const config_setting_t *grp, const config_setting_t *s)
{
    const char *name = config_setting_name(s);
    if (!name) return 0;
    if (grp == config_root_setting(&L->cfg))
        return (!strcmp(name, CFG_OVERRIDES) && config_setting_is_group(s)) ||
               !strcmp(name, CFG_SCENARIOS) || !strcmp(name, CFG_COMPARISONS) ||
               !strcmp(name, ES_SWEEP_SETTING);
    return grp == L->scenario && !strcmp(name, CFG_SCENARIO_NAME);
}

/* Parameters every scenario of a run shares: replications are paired by
 * index (run.*) and comparisons pair periods (horizon.*). */
static int run_wide(const char *path)
{
    static const char *const groups[] = {"run", "horizon", NULL};
    for (const char *const *g = groups; *g; g++) {
        size_t n = strlen(*g);
        if (!strncmp(path, *g, n) && (path[n] == '.' || path[n] == '\0')) return 1;
    }
    return 0;
}

/* "file:line", and the scenario when reading one. */
static void where_of(const cfg_load *L, const config_setting_t *s, char *buf, size_t n)
{
    char at[CFG_FILE_MAX + 16];
    setting_where(L, s, at, sizeof at);
    if (L->scenario_name)
        snprintf(buf, n, "%s: scenario '%s'", at, L->scenario_name);
    else
        snprintf(buf, n, "%s", at);
}

static es_status walk(cfg_load *L, const config_setting_t *grp, const char *prefix)
{
    int len = config_setting_length(grp);
    for (int i = 0; i < len; i++) {
        const config_setting_t *s = config_setting_get_elem(grp, (unsigned)i);
        const char *name = config_setting_name(s);
        char path[CFG_NAME_MAX], where[CFG_FILE_MAX + 96], msg[CFG_MSG_MAX];
        if (reserved(L, grp, s)) continue;
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", name ? name : "?");
        where_of(L, s, where, sizeof where);
        const es_param_def *d = es_param_find(path);
        if (d && L->scenario && run_wide(path))
            return fail(
                L,
                "%s: setting '%s': must be the same in every scenario (replications are paired by "
                "index and periods must line up); set it at the top level",
                where, path);
        if (d) {
            if (apply_value(d, s, L->p, &L->constant[d - es_param_table], msg, sizeof msg))
                return fail(L, "%s: setting '%s': %s", where, path, msg);
        } else if (is_group_prefix(path)) {
            if (!config_setting_is_group(s))
                return fail(
                    L,
                    "%s: setting '%s': is a group of parameters, not a value (write %s = { ... };)",
                    where, path, name);
            es_status st = walk(L, s, path);
            if (st) return st;
        } else {
            return unknown_setting(L, where, path, s);
        }
    }
    return ES_OK;
}

/* ---- --set ---- */

/* The trimmed path of "path=value" into buf; returns the value, or NULL. */
static const char *split_set(const char *set, char *buf, size_t n)
{
    const char *eq = strchr(set, '=');
    if (!eq) return NULL;
    const char *a = set, *b = eq;
    while (a < b && isspace((unsigned char)*a)) a++;
    while (b > a && isspace((unsigned char)b[-1])) b--;
    snprintf(buf, n, "%.*s", (int)(b - a), a);
    return eq + 1;
}

static es_status apply_set(cfg_load *L, const char *set)
{
    char path[CFG_NAME_MAX], msg[CFG_MSG_MAX];
    const char *value = split_set(set, path, sizeof path);
    es_status st = ES_OK;
    char *text = NULL;
    lit_scan *ls = NULL;
    config_t tmp;
    config_init(&tmp);
    if (!value) {
        st = fail(L, "--set %s: expected path=value, e.g. --set run.replications=50", set);
        goto out;
    }
    const es_param_def *d = es_param_find(path);
    if (!d) {
        const es_param_def *near = es_param_nearest(path);
        if (near)
            st = fail(L, "--set %s: setting '%s': unknown; did you mean '%s'?", set, path,
                      near->path);
        else
            st = fail(L, "--set %s: setting '%s': unknown (enforcesim params lists them all)", set,
                      path);
        goto out;
    }
    ls = es_calloc(1, sizeof *ls);
    if (!ls) {
        st = fail(L, "--set %s: out of memory", set);
        goto out;
    }
    lit_init(ls, value, strlen(value));
    for (int t; (t = lit_next(ls)) != LT_END;) {
        if (t == LT_LONG_INT) {
            st = fail(L, "--set %s: setting '%s': integer literal %s %s (write %sL)", set, path,
                      ls->tok, long_int_advice(ls->tok), ls->tok);
            goto out;
        }
        st =
            fail(L, "--set %s: setting '%s': '@' directives are not allowed in a value", set, path);
        goto out;
    }
    /* "v = <value>\n;" so a trailing comment cannot swallow the ';'. */
    const char *v = value;
    while (isspace((unsigned char)*v)) v++;
    int quote =
        (d->type == ES_P_CHOICE || d->type == ES_P_DATE) && *v != '"' && !strpbrk(v, "\"\\");
    size_t need = strlen(value) + 16;
    text = es_calloc(need, 1);
    if (!text) {
        st = fail(L, "--set %s: out of memory", set);
        goto out;
    }
    if (quote) {
        size_t vlen = strlen(v);
        while (vlen > 0 && isspace((unsigned char)v[vlen - 1])) vlen--;
        snprintf(text, need, "v = \"%.*s\"\n;", (int)vlen, v);
    } else {
        snprintf(text, need, "v = %s\n;", value);
    }
    if (!config_read_string(&tmp, text)) {
        st = fail(L, "--set %s: setting '%s': cannot parse the value '%s' (%s)", set, path, value,
                  config_error_text(&tmp) ? config_error_text(&tmp) : "error");
        goto out;
    }
    const config_setting_t *root = config_root_setting(&tmp);
    const config_setting_t *s =
        config_setting_length(root) == 1 ? config_setting_get_elem(root, 0) : NULL;
    if (!s || !config_setting_name(s) || strcmp(config_setting_name(s), "v")) {
        st = fail(L, "--set %s: setting '%s': the value must be one value, not several settings",
                  set, path);
        goto out;
    }
    if (apply_value(d, s, L->p, &L->constant[d - es_param_table], msg, sizeof msg))
        st = fail(L, "--set %s: setting '%s': %s", set, path, msg);
out:
    config_destroy(&tmp);
    free(text);
    free(ls);
    return st;
}

/* Where a parameter that failed a cross-field rule got its value. */
static es_status check_error(cfg_load *L, const char *const *sets, int n_sets, const char *bad,
                             const char *msg)
{
    char path[CFG_NAME_MAX], where[CFG_FILE_MAX + 96];
    const char *sc = L->scenario_name;
    for (int i = n_sets - 1; bad && i >= 0; i--)
        if (split_set(sets[i], path, sizeof path) && !strcmp(path, bad))
            return fail(L, "--set %s: %s%s%s%s", sets[i], sc ? "scenario '" : "", sc ? sc : "",
                        sc ? "': " : "", msg);
    /* The value came from the scenario, else from the overrides group, else
     * from the top level. */
    const config_setting_t *s = NULL;
    if (bad && L->scenario) s = config_setting_lookup((config_setting_t *)L->scenario, bad);
    if (bad && !s) {
        const config_setting_t *ov =
            config_setting_get_member(config_root_setting(&L->cfg), CFG_OVERRIDES);
        if (ov && config_setting_is_group(ov))
            s = config_setting_lookup((config_setting_t *)ov, bad);
    }
    if (bad && !s) s = config_lookup(&L->cfg, bad);
    if (s) {
        where_of(L, s, where, sizeof where);
        return fail(L, "%s: %s", where, msg);
    }
    return fail(L, "%s: %s%s%s%s (the setting is not in the file: its default applies)", L->file,
                sc ? "scenario '" : "", sc ? sc : "", sc ? "': " : "", msg);
}

static void sanitize(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) *s = '?';
}

/* The --set overrides, then the rules that need every value: constant
 * paths move to the horizon start, cross-field checks, reassignments. */
static es_status finish(cfg_load *L, const char *const *sets, int n_sets)
{
    char msg[CFG_MSG_MAX];
    const char *bad = NULL;
    es_status st;
    for (int i = 0; i < n_sets; i++)
        if ((st = apply_set(L, sets[i])) != ES_OK) return st;
    for (size_t i = 0; i < es_param_count; i++)
        if (L->constant[i])
            ((es_path *)((char *)L->p + es_param_table[i].offset))->day[0] = L->p->start_day;
    if (es_params_check(L->p, msg, sizeof msg, &bad) ||
        check_all_moves(L->p, msg, sizeof msg, &bad))
        return check_error(L, sets, n_sets, bad, msg);
    return ES_OK;
}

/* A scenario name: safe as an HDF5 group name, a file-name part and a
 * command-line argument. Returns NULL when fine, else why not. */
static const char *bad_scenario_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0) return "is empty";
    if (n >= ES_SCENARIO_NAME_MAX) return "is too long (at most 63 characters)";
    if (s[0] == '.') return "starts with '.'";
    for (const char *c = s; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-' && *c != '.')
            return "may hold only letters, digits, '_', '-' and '.'";
    return NULL;
}

/* The scenario of a config without a `scenarios` list: named after the
 * file, without its folder and ".cfg" (cut to the name's room). */
static void stem_name(const char *file, char *name)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    size_t n = strlen(base);
    if (n > 4 && !strcmp(base + n - 4, ".cfg")) n -= 4;
    if (n >= ES_SCENARIO_NAME_MAX) n = ES_SCENARIO_NAME_MAX - 1;
    memcpy(name, base, n);
    name[n] = '\0';
}

/* Every scenario of the `scenarios` list, each from `pre` (the parameters
 * before --set) and its constant-path flags. */
static es_status read_scenarios(cfg_load *L, const config_setting_t *list, const es_params *pre,
                                const unsigned char *pre_constant, const char *const *sets,
                                int n_sets, es_run_spec *spec)
{
    char where[CFG_FILE_MAX + 16];
    es_status st = ES_OK;
    int len = config_setting_length(list);
    setting_where(L, list, where, sizeof where);
    if (config_setting_type(list) != CONFIG_TYPE_LIST)
        return fail(L,
                    "%s: setting '%s': expected a list of scenarios ( { name = \"...\"; ... }, ... "
                    "), got %s",
                    where, CFG_SCENARIOS, lc_type_name(config_setting_type(list)));
    if (len < 1 || len > ES_SCENARIOS_MAX)
        return fail(L, "%s: setting '%s': a run has 1 to %d scenarios, not %d", where,
                    CFG_SCENARIOS, ES_SCENARIOS_MAX, len);
    if (!(spec->scenarios = es_calloc((size_t)len, sizeof *spec->scenarios)))
        return fail(L, "%s: out of memory for %d scenarios", L->file, len);
    spec->n_scenarios = len;
    for (int k = 0; k < len; k++) {
        const config_setting_t *g = config_setting_get_elem(list, (unsigned)k);
        es_scenario_spec *sc = &spec->scenarios[k];
        setting_where(L, g, where, sizeof where);
        if (config_setting_type(g) != CONFIG_TYPE_GROUP)
            return fail(L,
                        "%s: scenario %d: expected a group { name = \"...\"; <settings> }, got %s",
                        where, k + 1, lc_type_name(config_setting_type(g)));
        const config_setting_t *nm = config_setting_get_member(g, CFG_SCENARIO_NAME);
        if (!nm || config_setting_type(nm) != CONFIG_TYPE_STRING)
            return fail(L, "%s: scenario %d: needs %s = \"...\"; (a string)", where, k + 1,
                        CFG_SCENARIO_NAME);
        const char *name = config_setting_get_string(nm), *why = bad_scenario_name(name);
        setting_where(L, nm, where, sizeof where);
        if (why) return fail(L, "%s: scenario name '%.80s' %s", where, name, why);
        for (int j = 0; j < k; j++)
            if (!strcmp(spec->scenarios[j].name, name))
                return fail(L, "%s: scenario name '%s' is used twice (scenario %d and %d)", where,
                            name, j + 1, k + 1);
        snprintf(sc->name, sizeof sc->name, "%s", name);
        memcpy(&sc->p, pre, sizeof *pre);
        memcpy(L->constant, pre_constant, es_param_count);
        L->p = &sc->p;
        L->scenario = g;
        L->scenario_name = sc->name;
        if ((st = walk(L, g, "")) != ES_OK || (st = finish(L, sets, n_sets)) != ES_OK) return st;
    }
    L->scenario = NULL;
    L->scenario_name = NULL;
    return ES_OK;
}

/* The `comparisons` list: pairs ("base", "alternative") of listed scenarios. */
static es_status read_comparisons(cfg_load *L, const config_setting_t *list, es_run_spec *spec)
{
    char where[CFG_FILE_MAX + 16], names[CFG_MSG_MAX / 2] = "";
    int t = config_setting_type(list), len = config_setting_length(list);
    setting_where(L, list, where, sizeof where);
    if (t != CONFIG_TYPE_LIST && t != CONFIG_TYPE_ARRAY)
        return fail(L,
                    "%s: setting '%s': expected a list of pairs ( (\"base\", \"alternative\"), ... "
                    "), got %s",
                    where, CFG_COMPARISONS, lc_type_name(t));
    for (int i = 0; i < spec->n_scenarios; i++) {
        size_t used = strlen(names);
        snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "", spec->scenarios[i].name);
    }
    if (len > 0 && !(spec->comparisons = es_calloc((size_t)len, sizeof *spec->comparisons)))
        return fail(L, "%s: out of memory", L->file);
    for (int k = 0; k < len; k++) {
        const config_setting_t *e = config_setting_get_elem(list, (unsigned)k);
        int idx[2], te = config_setting_type(e);
        setting_where(L, e, where, sizeof where);
        if ((te != CONFIG_TYPE_LIST && te != CONFIG_TYPE_ARRAY) || config_setting_length(e) != 2)
            return fail(L, "%s: comparison %d: expected a pair (\"base\", \"alternative\")", where,
                        k + 1);
        for (int j = 0; j < 2; j++) {
            const config_setting_t *x = config_setting_get_elem(e, (unsigned)j);
            if (config_setting_type(x) != CONFIG_TYPE_STRING)
                return fail(
                    L, "%s: comparison %d: expected a pair of scenario names (strings), got %s",
                    where, k + 1, lc_type_name(config_setting_type(x)));
            const char *name = config_setting_get_string(x);
            if ((idx[j] = es_run_spec_find(spec, name)) < 0)
                return fail(L, "%s: comparison %d: '%.80s' is not a scenario of this config (%s%s)",
                            where, k + 1, name,
                            spec->listed ? "scenarios: "
                                         : "no scenarios list; the run's one scenario is ",
                            names);
        }
        if (idx[0] == idx[1])
            return fail(L, "%s: comparison %d: compares scenario '%s' with itself", where, k + 1,
                        spec->scenarios[idx[0]].name);
        for (int j = 0; j < k; j++)
            if (spec->comparisons[j].base == idx[0] && spec->comparisons[j].alt == idx[1])
                return fail(L, "%s: comparison %d: (\"%s\", \"%s\") is listed twice", where, k + 1,
                            spec->scenarios[idx[0]].name, spec->scenarios[idx[1]].name);
        spec->comparisons[k].base = idx[0];
        spec->comparisons[k].alt = idx[1];
        spec->n_comparisons = k + 1;
    }
    return ES_OK;
}

es_status es_cfg_check_sweep(const es_run_spec *spec, const char *file, char *err, size_t errlen)
{
    const es_sweep *sw = spec->sweep;
    es_status st = ES_OK;
    char msg[CFG_MSG_MAX];
    const char *bad = NULL;
    if (!sw) return ES_OK;
    es_params *p = es_calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "%s: out of memory checking the sweep", file);
        return ES_ERR_NOMEM;
    }
    for (int s = 0; s < spec->n_scenarios && st == ES_OK; s++) {
        const es_scenario_spec *sc = &spec->scenarios[s];
        if (es_sweep_check_targets(sw, &sc->p, msg, sizeof msg)) {
            snprintf(err, errlen, "%s: sweep: scenario '%s': %s", file, sc->name, msg);
            st = ES_ERR_CONFIG;
            break;
        }
        /* Every point sets the same fields, so one copy per scenario will
         * do: a grid of a million points validates in seconds. */
        memcpy(p, &sc->p, sizeof *p);
        for (int k = 0; k < sw->n_points; k++) {
            es_sweep_apply(sw, k, p);
            if (es_params_check(p, msg, sizeof msg, &bad) ||
                check_all_moves(p, msg, sizeof msg, &bad)) {
                /* Name the point by its values: that is what the user can change. */
                char pt[CFG_MSG_MAX / 2] = "";
                size_t used = 0;
                for (int j = 0; j < sw->d && used < sizeof pt; j++)
                    used += (size_t)snprintf(pt + used, sizeof pt - used, "%s%s = %.10g",
                                             j ? ", " : "", sw->params[j].path,
                                             sw->x[(size_t)k * (size_t)sw->d + (size_t)j]);
                snprintf(err, errlen,
                         "%s: sweep point %d (%s), scenario '%s': %s; narrow the sweep's range",
                         file, k, pt, sc->name, msg);
                st = ES_ERR_CONFIG;
                break;
            }
        }
    }
    free(p);
    return st;
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
    for (size_t i = 0; i < es_param_count; i++) L.constant[i] = es_param_table[i].type == ES_P_PATH;

    if (read_text(file, &text, &len, why, sizeof why)) {
        st = fail(&L, "%s: cannot read the config file: %s", file, why);
        goto out;
    }
    config_set_include_dir(&L.cfg, L.dir);
    int stop = 0;
    if ((st = check_includes(&L, file, 0, &stop)) != ES_OK) goto out;
    if (!config_read_file(&L.cfg, file)) {
        st = parse_error(&L);
        goto out;
    }
    if ((st = prescan_file(&L, file, 0)) != ES_OK) goto out;
    const config_setting_t *root = config_root_setting(&L.cfg);
    if ((st = walk(&L, root, "")) != ES_OK) goto out;
    const config_setting_t *ov = config_setting_get_member(root, CFG_OVERRIDES);
    if (ov && config_setting_is_group(ov) && (st = walk(&L, ov, "")) != ES_OK) goto out;
    /* Every scenario starts from here: the file without --set, which
     * applies last, to each scenario alike. */
    memcpy(pre, p, sizeof *pre);
    memcpy(pre_constant, constant, es_param_count);
    if ((st = finish(&L, sets, n_sets)) != ES_OK) goto out;
    memcpy(&spec->base, p, sizeof *p);

    const config_setting_t *list = config_setting_get_member(root, CFG_SCENARIOS);
    if (list) {
        spec->listed = 1;
        if ((st = read_scenarios(&L, list, pre, pre_constant, sets, n_sets, spec)) != ES_OK)
            goto out;
    } else {
        if (!(spec->scenarios = es_calloc(1, sizeof *spec->scenarios))) {
            st = ES_ERR_NOMEM;
            snprintf(err, errlen, "%s: out of memory", file);
            goto out;
        }
        spec->n_scenarios = 1;
        stem_name(file, spec->scenarios[0].name);
        memcpy(&spec->scenarios[0].p, p, sizeof *p);
    }
    const config_setting_t *cmp = config_setting_get_member(root, CFG_COMPARISONS);
    if (cmp && (st = read_comparisons(&L, cmp, spec)) != ES_OK) goto out;
    const config_setting_t *swp = config_setting_get_member(root, ES_SWEEP_SETTING);
    if (swp && spec->n_comparisons > 0) {
        char at[CFG_FILE_MAX + 16];
        setting_where(&L, swp, at, sizeof at);
        st = fail(&L,
                  "%s: a config with a sweep cannot have comparisons yet; remove 'comparisons' "
                  "(compare points "
                  "from the sweep's summaries)",
                  at);
        goto out;
    }
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

/* ---- writing ---- */

static void write_real(FILE *f, double v)
{
    char b[40];
    fmt_num(b, sizeof b, v);
    /* Always a float literal: "1" would read back as an int (and "-0" as +0). */
    if (!strpbrk(b, ".eEn")) strcat(b, ".0");
    fputs(b, f);
}

static void write_range(FILE *f, const es_param_def *d)
{
    char lo[32], hi[32];
    fmt_num(lo, sizeof lo, d->min);
    fmt_num(hi, sizeof hi, d->max);
    switch (d->type) {
    case ES_P_INT:
    case ES_P_INT64:
    case ES_P_REAL: fprintf(f, "range [%s, %s]", lo, hi); break;
    case ES_P_BOOL: fputs("true or false", f); break;
    case ES_P_CHOICE:
        fputs("one of", f);
        for (const char *const *c = d->choices; c && *c; c++)
            fprintf(f, "%s \"%s\"", c == d->choices ? "" : ",", *c);
        break;
    case ES_P_DATE: fputs("\"YYYY-MM-DD\" or \"YYYY-MM\"", f); break;
    case ES_P_VEC: fprintf(f, "%d numbers in [%s, %s]", d->count, lo, hi); break;
    case ES_P_SHARES: fprintf(f, "%d shares in [%s, %s] summing to 1", d->count, lo, hi); break;
    case ES_P_PATH:
        fprintf(f, "a number, or ((\"YYYY-MM-DD\", value), ...) with values in [%s, %s]", lo, hi);
        break;
    case ES_P_MOVES:
        fputs("( { from = \"program\"; to = \"program\"; agents = N (or share = 0..1); start = "
              "\"YYYY-MM-DD\"; "
              "end = \"YYYY-MM-DD\" (optional: never returns) }, ... ); programs:",
              f);
        for (int k = 0; es_program_names[k]; k++)
            fprintf(f, "%s %s", k ? "," : "", es_program_names[k]);
        break;
    }
}

static void write_comment_text(FILE *f, const char *s)
{
    for (; *s; s++) fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
}

/* One parameter; with its comment lines (meaning, type, range) when `comments`. */
static void write_param(const es_params *p, FILE *f, const es_param_def *d, int depth, int comments)
{
    const void *v = (const char *)p + d->offset;
    const char *name = strrchr(d->path, '.') ? strrchr(d->path, '.') + 1 : d->path;
    char day[16];
    if (!comments) {
        fprintf(f, "%*s%s = ", depth * 2, "", name);
        goto value;
    }
    fprintf(f, "%*s# ", depth * 2, "");
    write_comment_text(f, d->doc ? d->doc : "");
    fprintf(f, "\n%*s# %s", depth * 2, "", es_ptype_name(d->type));
    if (d->unit && d->unit[0]) fprintf(f, "; unit: %s", d->unit);
    fputs("; ", f);
    write_range(f, d);
    fprintf(f, "; source: %s", es_psource_name(d->source));
    if (d->labels) {
        fputs("; elements:", f);
        for (int k = 0; k < d->count && d->labels[k]; k++)
            fprintf(f, "%s %s", k ? "," : "", d->labels[k]);
    }
    fprintf(f, "\n%*s%s = ", depth * 2, "", name);
value:
    switch (d->type) {
    case ES_P_INT: {
        int x = *(const int *)v;
        /* 10 digits need the L, or our own loader rejects the literal. */
        fprintf(f, "%d%s", x, x > -1000000000 && x < 1000000000 ? "" : "L");
        break;
    }
    case ES_P_INT64: fprintf(f, "%lldL", (long long)*(const int64_t *)v); break;
    case ES_P_REAL: write_real(f, *(const double *)v); break;
    case ES_P_BOOL: fputs(*(const int *)v ? "true" : "false", f); break;
    case ES_P_CHOICE:
        fputc('"', f);
        for (const char *c = v; *c && c < (const char *)v + ES_STR_MAX; c++) {
            if (*c == '"' || *c == '\\') fputc('\\', f);
            fputc(*c, f);
        }
        fputc('"', f);
        break;
    case ES_P_DATE:
        es_date_format(*(const int32_t *)v, day);
        fprintf(f, "\"%s\"", day);
        break;
    case ES_P_VEC:
    case ES_P_SHARES:
        fputc('[', f);
        for (int k = 0; k < d->count; k++) {
            if (k) fputs(", ", f);
            write_real(f, ((const double *)v)[k]);
        }
        fputc(']', f);
        break;
    case ES_P_PATH: {
        const es_path *path = v;
        fputc('(', f);
        for (int k = 0; k < path->n; k++) {
            es_date_format(path->day[k], day);
            if (path->n > 1) fprintf(f, "\n%*s", depth * 2 + 2, "");
            fprintf(f, "(\"%s\", ", day);
            write_real(f, path->v[k]);
            fputs(k + 1 < path->n ? ")," : ")", f);
        }
        if (path->n > 1) fprintf(f, "\n%*s", depth * 2, "");
        fputc(')', f);
        break;
    }
    case ES_P_MOVES: {
        const es_moves *mv = v;
        fputc('(', f);
        for (int k = 0; k < mv->n; k++) {
            const es_move *m = &mv->m[k];
            fprintf(f, "\n%*s{ from = \"%s\"; to = \"%s\"; ", depth * 2 + 2, "",
                    es_program_names[m->from], es_program_names[m->to]);
            if (m->agents >= 0) {
                fprintf(f, "agents = %d; ", m->agents);
            } else {
                fputs("share = ", f);
                write_real(f, m->share);
                fputs("; ", f);
            }
            es_date_format(m->start, day);
            fprintf(f, "start = \"%s\"; ", day);
            if (m->end >= 0) {
                es_date_format(m->end, day);
                fprintf(f, "end = \"%s\"; ", day);
            }
            fputs(k + 1 < mv->n ? "}," : "}", f);
        }
        if (mv->n > 0) fprintf(f, "\n%*s", depth * 2, "");
        fputc(')', f);
        break;
    }
    }
    fputs(";\n", f);
}

/* Bytes of a parameter's field in es_params. */
static size_t field_size(const es_param_def *d)
{
    switch (d->type) {
    case ES_P_INT:
    case ES_P_BOOL: return sizeof(int);
    case ES_P_INT64: return sizeof(int64_t);
    case ES_P_REAL: return sizeof(double);
    case ES_P_CHOICE: return ES_STR_MAX;
    case ES_P_DATE: return sizeof(int32_t);
    case ES_P_VEC:
    case ES_P_SHARES: return (size_t)d->count * sizeof(double);
    case ES_P_PATH: return sizeof(es_path);
    case ES_P_MOVES: return sizeof(es_moves);
    }
    return 0;
}

/* Does p differ from base in parameter d? Byte comparison is exact: the
 * loader zeroes every field before filling it (padding and unused points). */
static int differs(const es_params *p, const es_params *base, const es_param_def *d)
{
    return memcmp((const char *)p + d->offset, (const char *)base + d->offset, field_size(d)) != 0;
}

/* Does any entry under `prefix` (ending in '.') differ? */
static int group_differs(const es_params *p, const es_params *base, const char *prefix)
{
    size_t plen = strlen(prefix);
    for (size_t i = 0; i < es_param_count; i++)
        if (!strncmp(es_param_table[i].path, prefix, plen) && differs(p, base, &es_param_table[i]))
            return 1;
    return 0;
}

/* Writes every entry under `prefix` ("" or "a.b."), each group once, in the
 * order of its first entry in the registry (libconfig rejects a group that
 * appears twice, and the registry need not keep a group's entries together).
 * With a base, only the entries that differ from it, without comments (a
 * scenario's settings). */
static void write_group(const es_params *p, const es_params *base, FILE *f, const char *prefix,
                        int depth)
{
    size_t plen = strlen(prefix);
    int first = 1;
    for (size_t i = 0; i < es_param_count; i++) {
        const char *path = es_param_table[i].path;
        if (strncmp(path, prefix, plen)) continue;
        const char *rest = path + plen;
        size_t clen = strcspn(rest, ".");
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++) {
            const char *q = es_param_table[j].path;
            seen =
                !strncmp(q, path, plen + clen) && (q[plen + clen] == '.' || q[plen + clen] == '\0');
        }
        if (seen) continue;
        char sub[CFG_NAME_MAX];
        snprintf(sub, sizeof sub, "%.*s.", (int)(plen + clen), path);
        if (base && (rest[clen] == '\0' ? !differs(p, base, &es_param_table[i])
                                        : !group_differs(p, base, sub)))
            continue;
        if (!first && depth == 0 && !base) fputc('\n', f);
        first = 0;
        if (rest[clen] == '\0') {
            write_param(p, f, &es_param_table[i], depth, !base);
        } else {
            fprintf(f, "%*s%.*s = {\n", depth * 2, "", (int)clen, rest);
            write_group(p, base, f, sub, depth + 1);
            fprintf(f, "%*s};\n", depth * 2, "");
        }
    }
}

es_status es_cfg_write(const es_params *p, FILE *f)
{
    fputs("# enforcesim: effective configuration, every parameter with its value.\n"
          "# Each comment gives the meaning, then type, unit, allowed values and source.\n\n",
          f);
    write_group(p, NULL, f, "", 0);
    return ferror(f) ? ES_ERR_IO : ES_OK;
}

es_status es_cfg_write_run(const es_run_spec *spec, FILE *f)
{
    es_status st = es_cfg_write(&spec->base, f);
    if (st == ES_OK && spec->sweep) es_sweep_write(spec->sweep, f);
    if (st != ES_OK || !spec->listed) return ferror(f) ? ES_ERR_IO : st;
    fputs("\n# Scenarios: each is the configuration above with these settings changed.\n"
          "scenarios = (",
          f);
    for (int i = 0; i < spec->n_scenarios; i++) {
        const es_scenario_spec *sc = &spec->scenarios[i];
        fprintf(f, "%s\n  {\n    %s = \"%s\";\n", i ? "," : "", CFG_SCENARIO_NAME, sc->name);
        write_group(&sc->p, &spec->base, f, "", 2);
        fputs("  }", f);
    }
    fputs("\n);\n", f);
    if (spec->n_comparisons > 0) {
        fputs("\n# Paired comparisons (base, alternative).\ncomparisons = (", f);
        for (int i = 0; i < spec->n_comparisons; i++)
            fprintf(f, "%s\n  (\"%s\", \"%s\")", i ? "," : "",
                    spec->scenarios[spec->comparisons[i].base].name,
                    spec->scenarios[spec->comparisons[i].alt].name);
        fputs("\n);\n", f);
    }
    return ferror(f) ? ES_ERR_IO : ES_OK;
}

/* The text of a writer into a malloc'd string; NULL when out of memory. */
static char *render(const es_params *p, const es_run_spec *spec)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    es_status st = spec ? es_cfg_write_run(spec, f) : es_cfg_write(p, f);
    if (fclose(f) != 0 || st != ES_OK) {
        free(buf);
        return NULL;
    }
    return buf;
}

char *es_cfg_render(const es_params *p)
{
    return render(p, NULL);
}

char *es_cfg_render_run(const es_run_spec *spec)
{
    return render(NULL, spec);
}

/* ---- the files a load reads (es_cfg_files) ---- */

typedef struct {
    char **path;
    int n, cap;
    const char *dir; /* the main file's folder: where libconfig 1.5 looks */
} cfg_files;

static int files_add(cfg_files *F, const char *path)
{
    for (int i = 0; i < F->n; i++)
        if (!strcmp(F->path[i], path)) return 1; /* seen: an include loop ends here */
    if (F->n == F->cap) {
        int cap = F->cap ? F->cap * 2 : 8;
        char **p = es_reallocarray(F->path, (size_t)cap, sizeof *p);
        if (!p) return -1;
        F->path = p, F->cap = cap;
    }
    if (!(F->path[F->n] = es_strdup(path))) return -1;
    F->n++;
    return 0;
}

/* check_includes' walk, collecting instead of checking; a file that cannot
 * be read or an include that does not exist is simply not listed. */
static int files_walk(cfg_files *F, const char *file, int depth)
{
    char path[CFG_FILE_MAX], why[128];
    char *text = NULL;
    size_t len = 0;
    int rc = files_add(F, file);
    if (rc != 0) return rc < 0 ? -1 : 0;
    if (depth >= CFG_INCLUDE_DEPTH || read_text(file, &text, &len, why, sizeof why)) return 0;
    lit_scan *ls = es_calloc(1, sizeof *ls);
    if (!ls) rc = -1;
    if (ls) lit_init(ls, text, len);
    for (int t; rc == 0 && (t = lit_next(ls)) != LT_END;) {
        struct stat sb;
        if (t == LT_INCLUDE &&
            (size_t)snprintf(path, sizeof path, "%s/%s", F->dir, ls->tok) < sizeof path &&
            stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
            rc = files_walk(F, path, depth + 1);
    }
    free(ls);
    free(text);
    return rc;
}

es_status es_cfg_files(const char *file, char ***paths, int *n)
{
    char *copy = es_strdup(file), *dir = copy ? es_strdup(dirname(copy)) : NULL;
    cfg_files F = {NULL, 0, 0, dir};
    int rc = dir ? files_walk(&F, file, 0) : -1;
    free(copy);
    free(dir);
    if (rc != 0) {
        es_cfg_files_free(F.path, F.n);
        return ES_ERR_NOMEM;
    }
    *paths = F.path;
    *n = F.n;
    return ES_OK;
}

void es_cfg_files_free(char **paths, int n)
{
    for (int i = 0; i < n; i++) free(paths[i]);
    free(paths);
}
