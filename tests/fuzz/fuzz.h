/* fuzz.h: the two fuzz entry points (docs/development.md, Fuzzing and bad inputs), shared by the
 * libFuzzer targets (tests/fuzz/fuzz_cfg.c, fuzz_h5.c, built by `make fuzz`)
 * and the regression test that `make test` runs on tests/fuzz/regress/ and
 * the seed corpora (tests/unit/test_fuzz_regress.c).
 *
 * Each entry writes the input to a file in `dir` (a scratch folder the
 * caller made and owns; the entry adds and replaces files inside it, never
 * outside) and feeds it through the real loader or reader. The input must
 * be refused cleanly or accepted consistently; anything else is a bug and
 * the entry calls abort(), so libFuzzer and the regression test both see
 * it as a crash. Returns 0 when the input was accepted, 1 when refused,
 * -1 when it was skipped (see each target for what it skips and why).
 *
 * Input formats:
 *   cfg: the config file's bytes, then optionally a NUL byte and up to
 *        ES_FUZZ_MAX_SETS `--set` strings, each ended by NUL (or the end).
 *   h5:  the bytes of a results file.
 *
 * Prepare the folder once with es_fuzz_cfg_prepare / es_fuzz_h5_prepare
 * (they put the fixed files the inputs may @include there). */
#ifndef ES_FUZZ_H
#define ES_FUZZ_H
#include <stddef.h>
#include <stdint.h>

#define ES_FUZZ_MAX_SETS 4

int es_fuzz_cfg_prepare(const char *dir);
int es_fuzz_cfg_one(const char *dir, const uint8_t *data, size_t size);
int es_fuzz_h5_prepare(const char *dir);
int es_fuzz_h5_one(const char *dir, const uint8_t *data, size_t size);

/* Removes what the entries put in dir, and dir itself. */
void es_fuzz_cleanup(const char *dir);

#endif
