/* cfg_write.c: the effective config: every parameter with its value, as
 * libconfig text that es_cfg_load reads back to the same es_params
 * (contract in cfg.h). Values are written by es_param_write. */
#include <stdlib.h>
#include <string.h>
#include "../core/mem.h"
#include "cfg_int.h"
#include "sweep.h"

static void write_comment_text(FILE *f, const char *s)
{
    for (; *s; s++) fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
}

/* One parameter; with its comment lines (meaning, type, range) when `comments`. */
static void write_param(const es_params *p, FILE *f, const es_param_def *d, int depth, int comments)
{
    const void *v = (const char *)p + d->offset;
    const char *name = strrchr(d->path, '.') ? strrchr(d->path, '.') + 1 : d->path;
    char range[ES_PARAM_TEXT_MAX];
    if (!comments) {
        fprintf(f, "%*s%s = ", depth * 2, "", name);
        goto value;
    }
    fprintf(f, "%*s# ", depth * 2, "");
    write_comment_text(f, d->doc ? d->doc : "");
    fprintf(f, "\n%*s# %s", depth * 2, "", es_ptype_name(d->type));
    if (d->unit && d->unit[0]) fprintf(f, "; unit: %s", d->unit);
    es_param_range_text(d, ES_TEXT_COMMENT, range, sizeof range);
    fprintf(f, "; %s", range);
    fprintf(f, "; source: %s", es_psource_name(d->source));
    if (d->labels) {
        fputs("; elements:", f);
        for (int k = 0; k < d->count && d->labels[k]; k++)
            fprintf(f, "%s %s", k ? "," : "", d->labels[k]);
    }
    fprintf(f, "\n%*s%s = ", depth * 2, "", name);
value:
    es_param_write(f, d, v, depth);
    fputs(";\n", f);
}

/* Does p differ from base in parameter d? Byte comparison is exact: the
 * loader zeroes every field before filling it (padding and unused points). */
static int differs(const es_params *p, const es_params *base, const es_param_def *d)
{
    return memcmp((const char *)p + d->offset, (const char *)base + d->offset, es_param_size(d)) !=
           0;
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
    if (st == ES_OK && spec->unc) es_cfg_write_uncertainty(spec->unc, f);
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
    FILE *f = es_mem_fault_tick() ? NULL : open_memstream(&buf, &len);
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
