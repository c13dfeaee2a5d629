/* cfg_int.h: the private contract between the files of the config loader
 * (cfg.c and cfg_*.c); callers use cfg.h.
 *
 * A load is one cfg_load, owned by es_cfg_load_run. Every function that can
 * fail either returns an es_status after writing the whole message into
 * L->err (cfg_fail), or returns -1 with a message in `msg` that its caller
 * places (file:line, setting) before passing it on. libconfig owns the
 * strings it returns; nothing here keeps one beyond the load. */
#ifndef ES_CFG_INT_H
#define ES_CFG_INT_H
#include <libconfig.h>
#include <stddef.h>
#include "cfg.h"
#include "../experiment/uncertainty.h"

#define CFG_INCLUDE_DEPTH 10   /* libconfig 1.5's MAX_INCLUDE_DEPTH */
#define CFG_NAME_MAX      256  /* a dotted setting path */
#define CFG_FILE_MAX      1024 /* a file name as shown in messages */
#define CFG_MSG_MAX       600  /* one message without its location */
#define CFG_LONG_DEC      10   /* decimal literals this long need the L suffix */
#define CFG_LONG_HEX      8    /* hex literals longer than this need it */
/* The largest config or include, in bytes: far above any real one (the
 * effective config of every parameter is about 25 KB), far below what
 * would exhaust memory. */
#define CFG_TEXT_MAX      (8 << 20)
/* A top-level group whose settings apply on top of the rest of the file
 * (and of its @includes): how a scenario file changes a base it includes,
 * since libconfig 1.5 rejects a setting given twice. */
#define CFG_OVERRIDES     "overrides"
/* Top-level settings that are not parameters (es_cfg_load_run). */
#define CFG_SCENARIOS     "scenarios"
#define CFG_COMPARISONS   "comparisons"
#define CFG_SCENARIO_NAME "name" /* the member of a scenario group naming it */
#define CFG_UNCERTAINTY   "uncertainty"
#define CFG_CALIBRATION   "calibration"

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

/* ---- cfg.c: messages and files ---- */

/* The message into L->err; returns ES_ERR_CONFIG. */
es_status cfg_fail(cfg_load *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The name a user knows a file by (libconfig's name for an include). */
void cfg_display_name(const cfg_load *L, const char *raw, char *buf, size_t n);
/* "file:line" of a setting; cfg_where_of adds "scenario 'x'" when reading one. */
void cfg_setting_where(const cfg_load *L, const config_setting_t *s, char *buf, size_t n);
void cfg_where_of(const cfg_load *L, const config_setting_t *s, char *buf, size_t n);
/* Reports out of memory at where: ES_ERR_NOMEM (exit 1, not a config error). */
es_status cfg_fail_nomem(cfg_load *L, const char *where);
/* The whole file into a malloc'd, NUL-terminated *text: 0, -1 (why says
 * why: unreadable, not a regular file, larger than CFG_TEXT_MAX) or -2
 * when out of memory. Never blocks (a FIFO is refused, not opened for
 * reading) and never reads more than CFG_TEXT_MAX + 4096 bytes. */
int cfg_read_text(const char *path, char **text, size_t *len, char *why, size_t whylen);
/* "an integer", "a list ( )": a libconfig type as messages name it. */
const char *cfg_type_name(int t);
/* An int, int64 or float setting as a double; -1 when it is none (sweep.c
 * reads its numbers with it too). */
int cfg_get_number(const config_setting_t *s, double *v);
/* "expected <want>, got <s's type>" into msg; returns -1. */
int cfg_wrong_type(char *msg, size_t n, const char *want, const config_setting_t *s);

/* ---- cfg_scan.c: raw text ---- */

/* LT_OPEN_INCLUDE: an @include whose name has no closing quote. libconfig
 * 1.5 then takes the rest of the file as the name and silently ignores it
 * all, or prints a trailing backslash to stdout (found by fuzzing), so the
 * loader refuses it itself, before libconfig sees it (cfg_check_includes). */
/* LT_OPEN_STRING, LT_OPEN_COMMENT: a string or a C-style comment that the
 * text ends inside (tok_line: where it opened). libconfig 1.5 then drops
 * the rest of the file without a word, invalid settings and all. After
 * one of them (or LT_OPEN_INCLUDE) the scan is at the end. */
enum { LT_END, LT_INCLUDE, LT_LONG_INT, LT_AT, LT_OPEN_INCLUDE, LT_OPEN_STRING, LT_OPEN_COMMENT };

/* Walks libconfig text the way its 1.5 scanner does, as far as comments
 * (#, //, C style), strings, names and numbers go. */
typedef struct {
    const char *s;
    size_t len, pos;
    int line;               /* line at pos, from 1 */
    int tok_line;           /* line of the token just returned */
    char tok[CFG_FILE_MAX]; /* include name, or the long literal */
    int tok_backslash;      /* the include name had a backslash */
    int names, names_line;  /* settings named ("name =" or "name :") so far on names_line */
    int tok_names;          /* LT_LONG_INT: settings named before it on its line */
    int split_string_line;  /* line of the first string that runs over a line end, or 0 */
} lit_scan;

void cfg_lit_init(lit_scan *ls, const char *s, size_t len);
int cfg_lit_next(lit_scan *ls); /* the next LT_* token */
/* Why libconfig 1.5 misreads the LT_LONG_INT literal lit, into buf. */
void cfg_long_int_advice(const char *lit, char *buf, size_t n);
/* Before libconfig parses: refuse files and text it would mishandle (a
 * file that is not regular or too large, NUL bytes, an unclosed string or
 * comment, @includes it cannot take), in the main file and every include. */
es_status cfg_check_includes(cfg_load *L, const char *file, int *stop);
/* After it parses: refuse integer literals it wrapped to 32 bits. */
es_status cfg_prescan_file(cfg_load *L, const char *raw, int depth);
/* libconfig's parse error, explained. */
es_status cfg_parse_error(cfg_load *L);

/* ---- cfg_apply.c, cfg_moves.c: settings into values ---- */

/* Setting s into parameter d of p. On error, msg says why (without location
 * or setting name) and p is unchanged for d. *constant: s was a constant
 * path (PATH only). */
int cfg_apply_value(const es_param_def *d, const config_setting_t *s, es_params *p,
                    unsigned char *constant, char *msg, size_t n);
int cfg_apply_moves(const config_setting_t *s, es_moves *f, char *msg, size_t n);
/* Every setting of group grp (dotted prefix `prefix`) into L->p. */
es_status cfg_walk(cfg_load *L, const config_setting_t *grp, const char *prefix);

/* ---- cfg_set.c ---- */

/* The --set overrides, then the rules that need every value: constant
 * paths move to the horizon start, es_params_check. */
es_status cfg_finish(cfg_load *L, const char *const *sets, int n_sets);

/* ---- cfg_scenarios.c ---- */

es_status cfg_read_scenarios(cfg_load *L, const config_setting_t *list, const es_params *pre,
                             const unsigned char *pre_constant, const char *const *sets, int n_sets,
                             es_run_spec *spec);
es_status cfg_read_comparisons(cfg_load *L, const config_setting_t *list, es_run_spec *spec);
/* The run's one scenario name when the file lists none (into
 * ES_SCENARIO_NAME_MAX bytes), refused when it breaks the naming rules. */
es_status cfg_stem_name(cfg_load *L, const char *file, char *name);

/* ---- targets.c: CSV fields ---- */

/* Splits line (modified) at commas into f[0, max), each field trimmed of
 * blanks and a trailing CR; empty fields are kept, so columns never shift.
 * No quoting: the CSV files read here (targets, posterior samples) have
 * none. Returns the number of fields. */
int cfg_csv_split(char *line, char **f, int max);

/* ---- cfg_calibration.c: the `calibration` block ---- */

/* Reads the group s into spec->cal (against spec->base). */
es_status cfg_read_calibration(cfg_load *L, const config_setting_t *s, es_run_spec *spec);

/* ---- cfg_uncertainty.c: the `uncertainty` block ---- */

/* Reads the group s into spec->unc (against spec->base, after the
 * scenarios are read: a scenario may not set what the block draws). */
es_status cfg_read_uncertainty(cfg_load *L, const config_setting_t *s, es_run_spec *spec);

#endif
