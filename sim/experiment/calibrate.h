/* calibrate.h: history matching and ABC rejection (docs/calibration.md).
 * Knows nothing of files or of the model: the caller runs each wave's
 * points (a sweep of design "points", R replications each) and hands over
 * each target's mean and Monte Carlo variance of the mean per point; this
 * decides which points are implausible, where the next wave looks, and
 * which points the last wave accepts.
 *
 * Implausibility (Craig et al. 1997; Vernon, Goldstein and Bower 2010) of
 * point x for target j with observation z_j:
 *   I_j(x) = |z_j - m_j(x)| / sqrt(V_obs,j + V_md,j + V_mc,j(x))
 * where V_obs,j = (tol_j |z_j| / 3)^2 (the target's tolerance read as three
 * standard deviations of the observation), V_md,j = (discrepancy |z_j|)^2 (the model's
 * structural error, one share for every target) and V_mc,j(x) = the
 * variance of m_j(x) over the point's replications divided by their
 * number. A point is non-implausible when max_j I_j(x) <= threshold (3,
 * Pukelsheim's three-sigma rule for unimodal distributions).
 *
 * Waves. Wave 1 is a Latin hypercube of the prior box. Without an emulator
 * the non-implausible space of wave w is approximated by the bounding box
 * of its non-implausible points (or, when fewer than a tenth of the points
 * are, of the tenth with the smallest implausibility: they outline where a
 * narrow region lies), at least one Latin-hypercube stratum wide per
 * parameter, widened by `margin` of its width on each side and clipped to
 * the prior; wave w + 1 is a Latin hypercube of that box (on the log scale
 * for log parameters). The waves stop when at least `stop_share` of a
 * wave's points are non-implausible (the box has closed on the region),
 * when the next box keeps over 80% of the current one's volume (it has
 * stopped closing: a target the fitted parameters do not move holds
 * points near the cut-off), or after `max_waves`.
 *
 * Acceptance (ABC rejection): twice a wave's points, a Latin hypercube of
 * the final box, are run, and a point is accepted when
 * every target's mean lies within its tolerance (|m_j / z_j - 1| <= tol_j);
 * the accepted points are the posterior sample. The accepted sample's mean
 * then lies within tolerance of every target too (each target's band is an
 * interval, and the mean of points inside it stays inside). */
#ifndef ES_CALIBRATE_H
#define ES_CALIBRATE_H
#include <stddef.h>
#include <stdint.h>
#include "../core/status.h"
#include "design.h"

typedef enum { ES_CAL_FY, ES_CAL_CY } es_cal_period;

typedef struct {
    int metric; /* metrics.h id */
    int den;    /* -1, or a second metric: the target is metric / den */
    es_cal_period period;
    int year;
    double value; /* the observation */
    double tol;   /* relative tolerance, e.g. 0.10 */
    char label[96];
} es_cal_target;

typedef struct {
    double threshold;   /* implausibility cut-off (3) */
    double discrepancy; /* model discrepancy sd as a share of each target (0.02) */
    double margin;      /* box widening, share of its width each side (0.1) */
    double stop_share;  /* stop when this share of a wave is non-implausible (0.5) */
    int max_waves;      /* (5) */
    int points;         /* points per wave (40) */
    int replications;   /* per point (2) */
} es_cal_options;

/* A config's `calibration` block (io/cfg_calibration.c): the parameters
 * fitted, each with its prior range (uniform, on the log scale with
 * scale = "log") and what it sets (apply = "scale" multiplies), and the
 * options. Owns its arrays (es_calibration_free). */
typedef struct es_calibration_s {
    int k;
    es_design_param *params;  /* [k] */
    es_sweep_target *targets; /* [k] */
    es_cal_options opt;
} es_calibration;

void es_calibration_free(es_calibration *c); /* accepts NULL */

/* Fills defaults into o. */
void es_cal_defaults(es_cal_options *o);

/* Implausibility of n points against nt targets: mean[p * nt + j] and
 * var_of_mean[p * nt + j] (V_mc). imax[p] is the largest I_j, worst[p] the
 * target giving it. */
void es_cal_implausibility(const es_cal_target *t, int nt, const double *mean,
                           const double *var_of_mean, int n, double discrepancy, double *imax,
                           int *worst);

/* The next wave's box from the n points x[n][k] of this wave, whose box
 * lo[k], hi[k] is replaced (inside prior[k].low .. high). Returns the
 * number of non-implausible points (imax <= threshold). */
int es_cal_box(const es_design_param *prior, int k, const double *x, int n, const double *imax,
               double threshold, double margin, double *lo, double *hi);

/* The box's volume as a share of the prior's (log scale for log parameters). */
double es_cal_box_volume(const es_design_param *prior, int k, const double *lo, const double *hi);

/* Points accepted by ABC rejection: accepted[p] = 1 when every target is
 * within its tolerance. Returns their number. */
int es_cal_accept(const es_cal_target *t, int nt, const double *mean, int n, int *accepted);

/* A wave's points: a Latin hypercube of n points in the box lo..hi of the
 * k prior parameters (log scale where prior[j].log_scale), from the design
 * stream of (seed + wave). *x malloc'd [n][k]. */
es_status es_cal_wave_points(const es_design_param *prior, int k, const double *lo,
                             const double *hi, int n, uint64_t seed, int wave, double **x,
                             char *err, size_t errlen);

#endif
