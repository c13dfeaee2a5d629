/* cfg_scan.c: the raw text of config files, before and around libconfig:
 * @include lines that libconfig 1.5 would mishandle, integer literals it
 * would wrap to 32 bits, and its parse errors explained (cfg_int.h). */
#include <ctype.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../core/mem.h"
#include "cfg_int.h"

void cfg_lit_init(lit_scan *ls, const char *s, size_t len)
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
    int opened = ls->line;
    ls->pos++;
    if (keep) ls->tok_backslash = 0;
    while (ls->pos < ls->len && ls->s[ls->pos] != '"') {
        if (ls->s[ls->pos] == '\\' && keep) ls->tok_backslash = 1;
        if (ls->s[ls->pos] == '\\' && ls->pos + 1 < ls->len) ls->pos++;
        if (ls->s[ls->pos] == '\n') {
            ls->line++;
            if (!ls->split_string_line) ls->split_string_line = opened;
        }
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
    /* Eight hex digits with the top bit set fit 32 bits only as a
     * negative number: libconfig 1.5 reads 0xFFFFFFFF as -1. */
    int negative = hex && digits == CFG_LONG_HEX && ls->s[ls->pos - digits] >= '8';
    if (!negative && (hex ? digits <= CFG_LONG_HEX : digits < CFG_LONG_DEC)) return 0;
    size_t n = ls->pos - start;
    if (n >= sizeof ls->tok) n = sizeof ls->tok - 1;
    memcpy(ls->tok, ls->s + start, n);
    ls->tok[n] = '\0';
    return 1;
}

int cfg_lit_next(lit_scan *ls)
{
    while (ls->pos < ls->len) {
        int c = lit_peek(ls, 0);
        if (c == '\n') {
            ls->line++;
            ls->pos++;
        } else if (c == '#' || (c == '/' && lit_peek(ls, 1) == '/')) {
            while (ls->pos < ls->len && ls->s[ls->pos] != '\n') ls->pos++;
        } else if (c == '/' && lit_peek(ls, 1) == '*') {
            ls->tok_line = ls->line;
            ls->pos += 2;
            while (ls->pos < ls->len && !(ls->s[ls->pos] == '*' && lit_peek(ls, 1) == '/')) {
                if (ls->s[ls->pos] == '\n') ls->line++;
                ls->pos++;
            }
            if (ls->pos >= ls->len) return LT_OPEN_COMMENT;
            ls->pos += 2;
        } else if (c == '"') {
            ls->tok_line = ls->line;
            if (lit_string(ls, 0)) return LT_OPEN_STRING;
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
            size_t k = 0;
            while (lit_peek(ls, k) == ' ' || lit_peek(ls, k) == '\t') k++;
            if (lit_peek(ls, k) == '=' || lit_peek(ls, k) == ':') { /* it names a setting */
                if (ls->names_line != ls->line) ls->names_line = ls->line, ls->names = 0;
                ls->names++;
            }
        } else if (isdigit(c)) {
            ls->tok_line = ls->line;
            ls->tok_names = ls->names_line == ls->line ? ls->names : 0;
            if (lit_number(ls)) return LT_LONG_INT;
        } else {
            ls->pos++;
        }
    }
    return LT_END;
}

void cfg_long_int_advice(const char *lit, char *buf, size_t n)
{
    int hex = lit[0] == '0' && (lit[1] == 'x' || lit[1] == 'X');
    if (hex && strlen(lit + 2) == CFG_LONG_HEX)
        snprintf(buf, n, "has its top bit set but no L suffix; libconfig 1.5 would read it as %ld",
                 (long)(int32_t)strtoul(lit, NULL, 16));
    else if (hex)
        snprintf(buf, n,
                 "has more than 8 hex digits but no L suffix; libconfig 1.5 would wrap it to 32 "
                 "bits");
    else
        snprintf(buf, n,
                 "has 10 or more digits but no L suffix; libconfig 1.5 would wrap it to 32 bits");
}

/* The setting a literal on `line` of file `raw` belongs to, found in
 * libconfig's tree (which has lines, not columns): the nth setting named
 * on that line when the literal follows n names on it (walking the tree
 * depth first visits settings in the order of the text), else the last
 * setting that starts at or before the line (an element of a list that
 * began on an earlier line). */
typedef struct {
    const char *raw;
    unsigned line;
    int nth, seen; /* nth named setting on the line wanted (0: none), seen so far */
    char *best;
    size_t n;
    int found;
} setting_find;

static void setting_at(setting_find *F, const config_setting_t *s, const char *path)
{
    int len = config_setting_is_aggregate(s) ? config_setting_length(s) : 0;
    for (int i = 0; i < len && !F->found; i++) {
        const config_setting_t *c = config_setting_get_elem(s, (unsigned)i);
        char sub[CFG_NAME_MAX];
        const char *name = config_setting_name(c);
        if (name)
            snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", name);
        else
            snprintf(sub, sizeof sub, "%s", path);
        const char *f = config_setting_source_file(c);
        if (f && !strcmp(f, F->raw) && config_setting_source_line(c) <= F->line) {
            snprintf(F->best, F->n, "%s", sub);
            if (name && config_setting_source_line(c) == F->line && ++F->seen == F->nth) {
                F->found = 1;
                return;
            }
        }
        setting_at(F, c, sub);
    }
}

/* Step 3 for one file (raw = its name as libconfig knows it). libconfig has
 * already opened every include, so none is missing and none nests deeper
 * than CFG_INCLUDE_DEPTH. */
es_status cfg_prescan_file(cfg_load *L, const char *raw, int depth)
{
    char disp[CFG_FILE_MAX], why[128];
    char *text = NULL;
    size_t len = 0;
    es_status st = ES_OK;
    lit_scan *ls = NULL;
    cfg_display_name(L, raw, disp, sizeof disp);
    int rc = cfg_read_text(disp, &text, &len, why, sizeof why);
    if (rc)
        return rc == -2 ? cfg_fail_nomem(L, disp) : cfg_fail(L, "%s: cannot read: %s", disp, why);
    ls = es_calloc(1, sizeof *ls);
    if (!ls) {
        st = cfg_fail_nomem(L, disp);
        goto out;
    }
    cfg_lit_init(ls, text, len);
    for (int t; (t = cfg_lit_next(ls)) != LT_END;) {
        if (t == LT_INCLUDE && depth < CFG_INCLUDE_DEPTH) {
            st = cfg_prescan_file(L, ls->tok, depth + 1);
            if (st) goto out;
        } else if (t == LT_LONG_INT) {
            char setting[CFG_NAME_MAX] = "", advice[128];
            setting_find F = {
                raw, (unsigned)ls->tok_line, ls->tok_names, 0, setting, sizeof setting, 0};
            setting_at(&F, config_root_setting(&L->cfg), "");
            cfg_long_int_advice(ls->tok, advice, sizeof advice);
            st = cfg_fail(L, "%s:%d: setting '%s': integer literal %s %s (write %sL)", disp,
                          ls->tok_line, setting[0] ? setting : "?", ls->tok, advice, ls->tok);
            goto out;
        }
    }
out:
    free(ls);
    free(text);
    return st;
}

/* The line of byte `at` of text. */
static int line_of(const char *text, size_t at)
{
    int line = 1;
    for (size_t i = 0; i < at; i++) line += text[i] == '\n';
    return line;
}

/* Before libconfig parses, for one file (the main one, or an include named
 * by `via`, "file:line: @include \"name\"", whose path was built as
 * libconfig 1.5 builds it: include folder, '/', name, even for a name that
 * starts with '/'):
 * - the file is read as cfg_read_text reads it: a regular file of at most
 *   CFG_TEXT_MAX bytes. An include that names a folder, a FIFO, a device
 *   or something unreadable (/proc/self/mem) is refused here: libconfig
 *   1.5 would open it anyway, and its flex scanner then prints "input in
 *   flex scanner failed" and calls exit(2) (found by fuzzing), or blocks,
 *   or reads forever;
 * - its text: a NUL byte (libconfig ends a string, or the file, there),
 *   a string or C-style comment the file ends inside, an @include without
 *   its closing quote (libconfig drops the rest of the file silently), a
 *   backslash in an include name (libconfig 1.5 prints it to stdout).
 * Then each @include, recursively. Names that do not exist and loops are
 * left to libconfig, whose errors cfg_parse_error explains. The walk is
 * depth first, in file order, as libconfig's; it stops (*stop) at the
 * first include that libconfig would refuse as too deep, since libconfig
 * stops there too, and going on would visit fan-out^depth files (found by
 * fuzzing: a file that includes itself three times took seconds). */
static es_status check_file(cfg_load *L, const char *file, const char *via, int depth, int *stop)
{
    char path[CFG_FILE_MAX], why[128], at[CFG_FILE_MAX * 2 + 32];
    char *text = NULL;
    size_t len = 0;
    es_status st = ES_OK;
    lit_scan *ls = NULL;
    struct stat sb;
    int rc = cfg_read_text(file, &text, &len, why, sizeof why);
    if (rc == -2) return cfg_fail_nomem(L, file);
    if (rc)
        return via ? cfg_fail(L, "%s: cannot read '%s': %s", via, file, why)
                   : cfg_fail(L, "%s: cannot read the config file: %s", file, why);
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        st = cfg_fail(L,
                      "%s:%d: a NUL byte (a config is text; libconfig would end the file or the "
                      "string there)",
                      file, line_of(text, (size_t)(nul - text)));
        goto out;
    }
    if (!(ls = es_calloc(1, sizeof *ls))) {
        st = cfg_fail_nomem(L, file);
        goto out;
    }
    cfg_lit_init(ls, text, len);
    for (int t; (t = cfg_lit_next(ls)) != LT_END;) {
        if (t == LT_INCLUDE && depth >= CFG_INCLUDE_DEPTH) *stop = 1;
        if (*stop) break;
        if (t == LT_OPEN_INCLUDE) {
            int shown = (int)strcspn(ls->tok, "\r\n");
            st = cfg_fail(L, "%s:%d: @include \"%.*s: the file name has no closing '\"'", file,
                          ls->tok_line, shown < 40 ? shown : 40, ls->tok);
            goto out;
        }
        if (t == LT_OPEN_STRING || t == LT_OPEN_COMMENT) {
            /* A quote missing earlier pairs the quotes after it wrongly:
             * the first string that runs over a line end shows where. */
            char hint[96] = "";
            if (t == LT_OPEN_STRING && ls->split_string_line &&
                ls->split_string_line < ls->tok_line)
                snprintf(hint, sizeof hint,
                         "; the string opened on line %d runs over several lines: a '\"' missing "
                         "there?",
                         ls->split_string_line);
            st = cfg_fail(L,
                          "%s:%d: %s opens here and is never closed (libconfig would silently "
                          "ignore the rest of the file)%s",
                          file, ls->tok_line,
                          t == LT_OPEN_STRING ? "a string '\"'" : "a comment '/*'", hint);
            goto out;
        }
        if (t == LT_INCLUDE && ls->tok_backslash) {
            st = cfg_fail(L, "%s:%d: @include: a file name may not contain '\\'", file,
                          ls->tok_line);
            goto out;
        }
        if (t != LT_INCLUDE ||
            (size_t)snprintf(path, sizeof path, "%s/%s", L->dir, ls->tok) >= sizeof path ||
            stat(path, &sb) != 0)
            continue;
        snprintf(at, sizeof at, "%s:%d: @include \"%s\"", file, ls->tok_line, ls->tok);
        if ((st = check_file(L, path, at, depth + 1, stop)) != ES_OK) goto out;
    }
out:
    free(ls);
    free(text);
    return st;
}

es_status cfg_check_includes(cfg_load *L, const char *file, int *stop)
{
    return check_file(L, file, NULL, 0, stop);
}

/* A libconfig parse error, with the include named for include errors. */
es_status cfg_parse_error(cfg_load *L)
{
    const char *ef = config_error_file(&L->cfg);
    const char *text = config_error_text(&L->cfg) ? config_error_text(&L->cfg) : "error";
    int line = config_error_line(&L->cfg);
    char disp[CFG_FILE_MAX], why[128];
    if (config_error_type(&L->cfg) == CONFIG_ERR_FILE_IO || !ef)
        return cfg_fail(L, "%s: cannot read the file", L->file);
    cfg_display_name(L, ef, disp, sizeof disp);
    if (!strstr(text, "include")) {
        const char *hint =
            strstr(text, "mismatched element type")
                ? " (all elements of [ ] must be one type: write 3000.0, not 3000, next to floats)"
                : "";
        return cfg_fail(L, "%s:%d: %s%s", disp, line, text, hint);
    }
    /* Name the include: find the @include on the error line. */
    char name[CFG_FILE_MAX] = "?";
    char *ftext = NULL;
    size_t flen = 0;
    lit_scan *ls = es_calloc(1, sizeof *ls);
    if (ls && !cfg_read_text(disp, &ftext, &flen, why, sizeof why)) {
        cfg_lit_init(ls, ftext, flen);
        for (int t; (t = cfg_lit_next(ls)) != LT_END;)
            if (t == LT_INCLUDE && ls->tok_line <= line) snprintf(name, sizeof name, "%s", ls->tok);
    }
    free(ls);
    free(ftext);
    es_status st;
    if (strstr(text, "too deep")) {
        st = cfg_fail(
            L,
            "%s:%d: @include \"%s\": includes nest deeper than %d levels; do they form a loop?%s",
            disp, line, name, CFG_INCLUDE_DEPTH,
            name[0] == '/' ? " (libconfig 1.5 reads an absolute include path from the main file's "
                             "folder)"
                           : "");
    } else if (name[0] == '/') {
        st = cfg_fail(
            L,
            "%s:%d: @include \"%s\": cannot open include file: absolute include paths do not "
            "work with "
            "libconfig 1.5; write the path relative to the main file's folder '%s'",
            disp, line, name, L->dir);
    } else {
        /* Did the user mean the including file's own folder? */
        char own[CFG_FILE_MAX * 2 + 2], tried[CFG_FILE_MAX];
        char *copy = es_strdup(disp);
        cfg_display_name(L, name, tried, sizeof tried);
        if (copy) snprintf(own, sizeof own, "%s/%s", dirname(copy), name);
        if (copy && strcmp(own, tried) && access(own, R_OK) == 0)
            st = cfg_fail(
                L,
                "%s:%d: @include \"%s\": cannot open include file '%s'; every @include "
                "resolves against "
                "the main file's folder '%s' (libconfig 1.5), so write the path from there",
                disp, line, name, tried, L->dir);
        else
            st =
                cfg_fail(L,
                         "%s:%d: @include \"%s\": cannot open include file '%s' (include paths are "
                         "relative to the "
                         "main file's folder '%s')",
                         disp, line, name, tried, L->dir);
        free(copy);
    }
    return st;
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
    if (depth >= CFG_INCLUDE_DEPTH) return 0;
    int rd = cfg_read_text(file, &text, &len, why, sizeof why);
    if (rd) return rd == -2 ? -1 : 0; /* out of memory is an error; unreadable is not listed */
    lit_scan *ls = es_calloc(1, sizeof *ls);
    if (!ls) rc = -1;
    if (ls) cfg_lit_init(ls, text, len);
    for (int t; rc == 0 && (t = cfg_lit_next(ls)) != LT_END;) {
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
