/* sweep.h: the `sweep` block of a config (docs/experiments.md, Sweeps): which
 * parameters a run varies, over which design, into an es_sweep
 * (experiment/design.h). For io/ (cfg.c) only.
 *
 *   sweep = {
 *     design = "lhs";          # "grid" (default), "lhs", "sobol", "halton",
 *                              # "saltelli", "morris"
 *     points = 64;             # lhs/sobol/halton: the points; grid: the
 *                              # levels of each ranged parameter; saltelli:
 *                              # N base points (N (k + 2) points for k
 *                              # parameters); morris: r trajectories
 *                              # (r (k + 1) points)
 *     levels = 4;              # morris only: the grid levels (even; 4)
 *     parameters = (
 *       { name = "hsi.reassignments[1].agents"; low = 0; high = 1500; },
 *       { name = "hsi.smuggling_cell_staff"; low = 10; high = 60; integer = true; },
 *       { name = "prosecution.threshold"; values = [3, 5, 10]; }
 *     );
 *   };
 *
 * A parameter's name is a registered scalar (INT, INT64 or REAL), a time
 * path (PATH; swept as a constant over the horizon), one element of a
 * vector (VEC: "hsi.agents.worksite_enforcement", by its label), or the
 * agents of entry k (from 0, in the list's order) of a reassignment list:
 * "hsi.reassignments[k].agents". run.* and horizon.* cannot be swept
 * (replications and periods must line up across points). Each parameter
 * has either `values` (a list of levels: the grid's levels, or equal-share
 * levels in the other designs) or `low` and `high`, with optional
 * `scale = "log"` (low > 0) and `integer` (default: true for INT
 * parameters and reassigned agents, false otherwise; an integer parameter's
 * values are whole numbers). Every value must lie in the registry's range.
 * The LHS draws come from run.seed (design.h), so the design is part of the
 * run's identity.
 *
 * Errors: ES_ERR_CONFIG with "file:line: sweep ...: why" in err. */
#ifndef ES_SWEEP_H
#define ES_SWEEP_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "../core/status.h"
#include "../experiment/design.h"

#define ES_SWEEP_SETTING    "sweep" /* the top-level group */
#define ES_SWEEP_MAX_PARAMS 64

struct config_setting_t;

/* Reads the sweep group s (of config file `file`) against the base
 * parameters and builds the design with `seed`. *out is a new es_sweep on
 * success. */
es_status es_sweep_read(const struct config_setting_t *s, const char *file, const es_params *base,
                        uint64_t seed, es_sweep **out, char *err, size_t errlen);

/* Resolves a parameter name (as the sweep's, above) to what it sets; fills
 * *t, *lo, *hi (the registry's range) and *is_int. 0, or -1 with why. The
 * uncertainty block (cfg_uncertainty.c) names its parameters the same way. */
int es_sweep_resolve(const char *name, const es_params *base, es_sweep_target *t, double *lo,
                     double *hi, int *is_int, char *why, size_t n);

/* One entry of a `parameters` list (name, low, high or values, scale,
 * integer, apply) into *p and *t, as the sweep reads it; the calibration
 * block (io/cfg_calibration.c) reads its parameters with it too. */
es_status es_sweep_read_param(const struct config_setting_t *g, const char *file,
                              const es_params *base, es_design_param *p, es_sweep_target *t,
                              char *err, size_t errlen);

/* Is every column of sw applicable to p (a reassignment entry that
 * exists)? 0, or -1 with a message. */
int es_sweep_check_targets(const es_sweep *sw, const es_params *p, char *err, size_t errlen);

/* The sweep block as libconfig text that es_sweep_read reads back to the
 * same sweep (the effective config stored in result files). */
void es_sweep_write(const es_sweep *sw, FILE *f);

#endif
