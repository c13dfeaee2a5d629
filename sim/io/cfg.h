/* cfg.h: configuration files (libconfig) into es_params, strictly.
 *
 * Every setting in the file must be a registered parameter (model/params.h)
 * of the right type and inside its range; shares must sum to 1; path dates
 * must lie inside the horizon. A setting not in the file keeps its default.
 * `@include` resolves against the including file's folder. Integer literals
 * of 10 or more digits without the L suffix are rejected (libconfig 1.5
 * wraps them silently to 32 bits), in files and in --set values.
 *
 * --set overrides ("path=value") are parsed with libconfig itself and apply
 * after the file, before validation.
 *
 * Files: the config and every include must be regular files of at most 8
 * MB (a FIFO, /dev/zero or /proc/self/mem is refused, never blocked on);
 * their text may hold no NUL byte and no string or C-style comment left
 * open at the end (libconfig 1.5 would silently drop the rest). Checked
 * before libconfig parses, with file and line.
 *
 * Errors: ES_ERR_CONFIG and one line in err, naming the file, the line and
 * the setting ("configs/x.cfg:12: setting 'border.intensty': unknown; did
 * you mean 'border.intensity'?"). Nothing is partially applied: on error
 * *out is left unspecified and must not be used.
 *
 * Reassignments (ES_P_MOVES, e.g. hsi.reassignments) are a list of groups
 *   ( { from = "migrant_smuggling"; to = "worksite_enforcement"; agents = 500;
 *       start = "2017-10-01"; end = "2018-09-30"; }, ... )
 * with `share = 0.2` (of the source pool at start) instead of `agents`, and
 * `end` optional (absent: the agents never return). Programs are those of
 * es_program_names[]. Checked: known programs (with the nearest name for a
 * typo), from != to, exactly one of agents (>= 0) and share (in (0, 1]),
 * end >= start, at most ES_MOVES_MAX; once every value is known, start
 * inside the horizon and, on every date, each move finds its agents in its
 * source pool (its agents in hsi.agents, less what the moves before it
 * take out, plus what they bring in; a share is of hsi.agents).
 *
 * Scenarios. A config may hold, at its top level,
 *   scenarios = (
 *     { name = "baseline"; },
 *     { name = "move500"; hsi = { reassignments = ( {...} ); }; },
 *     { name = "intense"; border = { intensity = 1.1; }; }
 *   );
 *   comparisons = ( ("baseline", "move500"), ("baseline", "intense") );
 * Each scenario is a name plus settings written exactly as at the top level
 * (nested groups), validated the same way with the same file:line errors.
 * A scenario's value of a parameter is, from lowest to highest precedence:
 * the default, the file's top level (and its @includes), the `overrides`
 * group, the scenario's own settings, then every --set (the command line
 * wins, for every scenario alike). run.* and horizon.* cannot differ between
 * scenarios: replications are paired by index and periods must line up.
 * Names: 1 to ES_SCENARIO_NAME_MAX-1 characters of letters, digits, '_',
 * '-' and '.', not starting with '.', each used once (they name HDF5 groups
 * and command-line arguments). A comparison is a pair (base, alternative) of
 * two different listed scenarios; each pair at most once, and no two
 * pairs with one HDF5 group name (<base>__vs__<alt>). Without a
 * `scenarios` list the run has one scenario, named after the config file
 * (its name without folder and ".cfg", under the same naming rules), and
 * no comparisons.
 *
 * Sweeps. A top-level `sweep` group (io/sweep.h) makes every scenario run
 * at every point of a design; each point's values apply on top of the
 * scenario's parameters (after --set), and every (scenario, point) is
 * validated before anything runs.
 *
 * Parameter uncertainty. A top-level `uncertainty` group (cfg_uncertainty.c,
 * experiment/uncertainty.h) gives distributions to assumed and calibrated
 * parameters; each replication draws them once for every scenario. Not
 * with a sweep (a sweep already varies parameters; analyse it with
 * `enforcesim sensitivity`). */
#ifndef ES_CFG_H
#define ES_CFG_H
#include <stddef.h>
#include <stdio.h>
#include "../core/status.h"
#include "../experiment/design.h"
#include "../model/params.h"

#define ES_SCENARIO_NAME_MAX 64 /* bytes, with the terminating NUL */
#define ES_SCENARIOS_MAX     256

typedef struct {
    char name[ES_SCENARIO_NAME_MAX];
    es_params p; /* effective parameters of the scenario */
} es_scenario_spec;

typedef struct {
    int base, alt; /* indices into es_run_spec.scenarios */
} es_pair_spec;

/* Everything a config asks a run to do. Owns its arrays (es_run_spec_fini). */
typedef struct {
    es_params base;              /* the file without its scenarios, --set applied */
    int listed;                  /* 1 when the file has a `scenarios` list */
    int n_scenarios;             /* >= 1 */
    es_scenario_spec *scenarios; /* [n_scenarios], in the file's order */
    int n_comparisons;
    es_pair_spec *comparisons;    /* [n_comparisons], in the file's order */
    es_sweep *sweep;              /* the `sweep` block (io/sweep.h), or NULL */
    struct es_uncertainty_s *unc; /* the `uncertainty` block (cfg_uncertainty.c), or NULL */
    struct es_calibration_s *cal; /* the `calibration` block (cfg_calibration.c), or NULL; only
                                     `enforcesim calibrate` reads it */
} es_run_spec;

/* Loads a config with its scenarios and comparisons. On success *out owns
 * new arrays; on failure *out is untouched. */
es_status es_cfg_load_run(const char *file, const char *const *sets, int n_sets, es_run_spec *out,
                          char *err, size_t errlen);
void es_run_spec_fini(es_run_spec *spec); /* frees the arrays; accepts a zeroed spec */
/* Every (scenario, point) of spec's sweep, validated as a config is:
 * registry ranges, cross-field rules, reassignments that fit their pools.
 * es_cfg_load_run calls it; call it again after changing the design (a
 * new --seed rebuilds a Latin hypercube). ES_OK when there is no sweep. */
es_status es_cfg_check_sweep(const es_run_spec *spec, const char *file, char *err, size_t errlen);
/* The index of a scenario by name, or -1. */
int es_run_spec_find(const es_run_spec *spec, const char *name);

/* The base parameters only (scenarios and comparisons are still validated). */
es_status es_cfg_load(const char *file, const char *const *sets, int n_sets, es_params *out,
                      char *err, size_t errlen);

/* Every file loading `file` reads: file itself, then each @include,
 * recursively, named as libconfig opens it (the main file's folder, '/',
 * the name). For commands that must never write over an input (io/fsdir.h).
 * On success *paths is a malloc'd array of *n malloc'd strings (free with
 * es_cfg_files_free); ES_ERR_NOMEM otherwise. Includes that do not exist
 * are not listed: the load itself refuses them. */
es_status es_cfg_files(const char *file, char ***paths, int *n);
void es_cfg_files_free(char **paths, int n);

/* Write every parameter with its effective value as a libconfig file that
 * es_cfg_load reads back to the same es_params (the "effective config"). */
es_status es_cfg_write(const es_params *p, FILE *f);
/* The same, into a malloc'd string (caller frees); NULL when out of memory. */
char *es_cfg_render(const es_params *p);
/* The whole run: the base as es_cfg_write gives it, then (when the file
 * listed scenarios) the scenarios with the settings in which each differs
 * from the base, and the comparisons. es_cfg_load_run reads it back to the
 * same spec. */
es_status es_cfg_write_run(const es_run_spec *spec, FILE *f);
/* An `uncertainty` block as libconfig text that the loader reads back to
 * the same draws (empirical files inlined as values, with their joint tag):
 * the effective config's, and the posterior `enforcesim calibrate` writes. */
struct es_uncertainty_s;
void es_cfg_write_uncertainty(const struct es_uncertainty_s *u, FILE *f);
char *es_cfg_render_run(const es_run_spec *spec);

#endif
