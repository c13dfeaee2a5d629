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
 * Errors: ES_ERR_CONFIG and one line in err, naming the file, the line and
 * the setting ("configs/x.cfg:12: setting 'border.intensty': unknown; did
 * you mean 'border.intensity'?"). Nothing is partially applied: on error
 * *out is left unspecified and must not be used. */
#ifndef ES_CFG_H
#define ES_CFG_H
#include <stddef.h>
#include <stdio.h>
#include "../core/status.h"
#include "../model/params.h"

es_status es_cfg_load(const char *file, const char *const *sets, int n_sets,
                      es_params *out, char *err, size_t errlen);

/* Write every parameter with its effective value as a libconfig file that
 * es_cfg_load reads back to the same es_params (the "effective config"). */
es_status es_cfg_write(const es_params *p, FILE *f);
/* The same, into a malloc'd string (caller frees); NULL when out of memory. */
char *es_cfg_render(const es_params *p);

#endif
