/* seal.h: a whole-file checksum on every HDF5 file enforcesim writes,
 * verified before libhdf5 parses a byte of it.
 *
 * Why. libhdf5 checksums its headers and B-trees but not its global heaps
 * (variable-length strings, dimension-scale lists), and trusts them: one
 * damaged byte there crashes the reader inside the library. A checksum of
 * the whole file, checked first, turns any damage into a clean refusal.
 *
 * Format (seal version 1). The file starts with an HDF5 user block of
 * ES_SEAL_BLOCK bytes (H5Pset_userblock; h5py, netCDF, xarray and h5dump
 * skip it). It holds ASCII lines, then NUL bytes to the end of the block:
 *
 *   enforcesim sealed result
 *   seal_version: 1
 *   algorithm: crc32
 *   userblock: 512
 *   length: <bytes after the user block, decimal>
 *   crc32: 0x<8 lowercase hex digits>
 *
 * crc32 is zlib's (the CRC-32 of ISO 3309, gzip and PNG; Python's
 * zlib.crc32) over every byte after the user block, computed after the
 * data was written. The header is canonical: a verifier rebuilds it from
 * the length and checksum it read and compares all ES_SEAL_BLOCK bytes, so
 * damage anywhere in the file, header included, is a mismatch.
 *
 * Errors are one line naming the file, in err: "FILE: damaged: checksum
 * mismatch (...)" (ES_ERR_INPUT), "FILE: not an HDF5 file", "FILE: no
 * checksum: ..." for a result written before seals (ES_ERR_INPUT),
 * ES_ERR_IO when the file cannot be read. No global state. */
#ifndef ES_SEAL_H
#define ES_SEAL_H
#include <stddef.h>
#include "../core/status.h"

#define ES_SEAL_BLOCK   512 /* user block length: HDF5's minimum, a power of two */
#define ES_SEAL_VERSION 1

/* Write the seal of img[ES_SEAL_BLOCK, n) into img[0, ES_SEAL_BLOCK).
 * n > ES_SEAL_BLOCK: the caller built the file with that user block. */
void es_seal_image(unsigned char *img, size_t n);

/* Check the file at path before anyone parses it: a regular file, a seal
 * header as es_seal_image writes it, and a length and checksum of the rest
 * that match the header. ES_OK, or a status and one line in err. */
es_status es_seal_verify(const char *path, char *err, size_t errlen);

/* Rewrite the seal of the file at path from its current contents (tests
 * and the fuzz harness: they damage a file on purpose, then need it to
 * reach the parser). The file must be longer than ES_SEAL_BLOCK. */
es_status es_seal_file(const char *path, char *err, size_t errlen);

#endif
