/* targets.h: calibration targets from a CSV file (docs/calibration.md).
 *
 * Lines starting with '#' are comments. The header names the columns;
 * `metric`, `period` and `value` are needed, `tolerance` (a share, default
 * 0.10) and `kind` (rows whose kind is not "target" are skipped, as in
 * ../shared/calibration/targets.csv) are optional, any other column is
 * kept for people (sources, notes). A metric is a registered output
 * (enforcesim params --metrics), or a ratio a/b of two; a period is FYnnnn
 * or CYnnnn. Errors name the file and line: ES_ERR_INPUT (exit 2). */
#ifndef ES_TARGETS_H
#define ES_TARGETS_H
#include <stddef.h>
#include "../core/status.h"
#include "../experiment/calibrate.h"

/* *out malloc'd [*n]. */
es_status es_targets_read(const char *path, es_cal_target **out, int *n, char *err, size_t errlen);

#endif
