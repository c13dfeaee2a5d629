/* seal.c: see seal.h. */
#include "seal.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define SEAL_MAGIC "enforcesim sealed result\n"
/* Read in pieces this large: bounded stack, and crc32_z is fast enough
 * that a bigger buffer buys nothing. */
#define SEAL_CHUNK (64 * 1024)

static const unsigned char hdf5_sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

static void seal_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seal_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* The one header for a length and checksum: writer and verifier share it,
 * so the verifier can compare every byte of the block. */
static void header_make(unsigned char block[ES_SEAL_BLOCK], uint64_t length, uint32_t crc)
{
    memset(block, 0, ES_SEAL_BLOCK);
    snprintf((char *)block, ES_SEAL_BLOCK,
             SEAL_MAGIC "seal_version: %d\nalgorithm: crc32\nuserblock: %d\nlength: %" PRIu64
                        "\ncrc32: 0x%08" PRIx32 "\n",
             ES_SEAL_VERSION, ES_SEAL_BLOCK, length, crc);
}

static uint32_t crc_of(const unsigned char *p, size_t n)
{
    return (uint32_t)crc32_z(crc32_z(0L, Z_NULL, 0), p, n);
}

void es_seal_image(unsigned char *img, size_t n)
{
    header_make(img, (uint64_t)(n - ES_SEAL_BLOCK), crc_of(img + ES_SEAL_BLOCK, n - ES_SEAL_BLOCK));
}

/* Read exactly n bytes unless the file ends first; the count read, or -1. */
static ssize_t read_full(int fd, unsigned char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, buf + got, n - got);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return -1;
        if (k == 0) break;
        got += (size_t)k;
    }
    return (ssize_t)got;
}

/* The CRC-32 and length of everything from fd's offset to its end, for
 * sealing and verifying alike. 0, or -1 with errno set. */
static int crc_to_end(int fd, uint32_t *crc, uint64_t *total)
{
    unsigned char buf[SEAL_CHUNK];
    uLong c = crc32_z(0L, Z_NULL, 0);
    *total = 0;
    for (;;) {
        ssize_t k = read_full(fd, buf, sizeof buf);
        if (k < 0) return -1;
        if (k == 0) break;
        c = crc32_z(c, buf, (size_t)k);
        *total += (uint64_t)k;
    }
    *crc = (uint32_t)c;
    return 0;
}

/* Open path for reading, refusing anything but a regular file before a
 * read could block (a FIFO) or never end (a device). */
static es_status open_regular(const char *path, int *fd_out, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat sb;
    if (fd < 0) {
        seal_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return errno == ENOENT ? ES_ERR_INPUT : ES_ERR_IO;
    }
    if (fstat(fd, &sb) != 0) {
        seal_err(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        close(fd);
        return ES_ERR_IO;
    }
    if (!S_ISREG(sb.st_mode)) {
        seal_err(err, errlen, "%s: not a regular file, so not a results file", path);
        close(fd);
        return ES_ERR_INPUT;
    }
    *fd_out = fd;
    return ES_OK;
}

es_status es_seal_verify(const char *path, char *err, size_t errlen)
{
    unsigned char head[ES_SEAL_BLOCK], want[ES_SEAL_BLOCK];
    int fd = -1;
    es_status st = open_regular(path, &fd, err, errlen);
    if (st != ES_OK) return st;

    ssize_t n = read_full(fd, head, sizeof head);
    if (n < 0) {
        seal_err(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        st = ES_ERR_IO;
        goto out;
    }
    st = ES_ERR_INPUT;
    if ((size_t)n >= sizeof hdf5_sig && memcmp(head, hdf5_sig, sizeof hdf5_sig) == 0) {
        /* Refused, not accepted with a warning: an unsealed file is
         * exactly one whose damage can crash libhdf5. */
        seal_err(err, errlen,
                 "%s: no checksum: an HDF5 file without the seal (version %d) that enforcesim "
                 "puts on every result; a result from before seals must be made again "
                 "(h5py still reads it)",
                 path, ES_SEAL_VERSION);
        goto out;
    }
    if ((size_t)n < sizeof SEAL_MAGIC - 1 || memcmp(head, SEAL_MAGIC, sizeof SEAL_MAGIC - 1) != 0) {
        /* Damage to the first bytes of a sealed file still leaves the HDF5
         * signature after the block: call that damage, not another format. */
        unsigned char sig[sizeof hdf5_sig];
        if ((size_t)n == sizeof head && read_full(fd, sig, sizeof sig) == (ssize_t)sizeof sig &&
            memcmp(sig, hdf5_sig, sizeof sig) == 0)
            seal_err(err, errlen, "%s: damaged: checksum mismatch (the seal header is altered)",
                     path);
        else
            seal_err(err, errlen, "%s: not an HDF5 file", path);
        goto out;
    }
    uint64_t length = 0;
    uint32_t crc = 0;
    const char *len_at =
        memchr(head, '\0', sizeof head) ? strstr((char *)head, "\nlength: ") : NULL;
    const char *crc_at = len_at ? strstr(len_at, "\ncrc32: 0x") : NULL;
    if (crc_at) {
        length = strtoull(len_at + 9, NULL, 10);
        crc = (uint32_t)strtoul(crc_at + 10, NULL, 16);
    }
    header_make(want, length, crc);
    if ((size_t)n != sizeof head || !crc_at || memcmp(head, want, sizeof head) != 0) {
        seal_err(err, errlen, "%s: damaged: checksum mismatch (the seal header is altered)", path);
        goto out;
    }
    uint32_t c;
    uint64_t total;
    if (crc_to_end(fd, &c, &total) != 0) {
        seal_err(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        st = ES_ERR_IO;
        goto out;
    }
    if (total != length) {
        seal_err(err, errlen,
                 "%s: damaged: checksum mismatch (%" PRIu64 " bytes after the seal, %" PRIu64
                 " recorded: truncated or extended)",
                 path, total, length);
        goto out;
    }
    if (c != crc) {
        seal_err(err, errlen,
                 "%s: damaged: checksum mismatch (crc32 0x%08" PRIx32 ", recorded 0x%08" PRIx32 ")",
                 path, c, crc);
        goto out;
    }
    st = ES_OK;
out:
    close(fd);
    return st;
}

es_status es_seal_file(const char *path, char *err, size_t errlen)
{
    unsigned char head[ES_SEAL_BLOCK];
    int fd = open(path, O_RDWR | O_CLOEXEC);
    es_status st = ES_ERR_IO;
    if (fd < 0) {
        seal_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return ES_ERR_IO;
    }
    if (lseek(fd, ES_SEAL_BLOCK, SEEK_SET) != ES_SEAL_BLOCK) {
        seal_err(err, errlen, "%s: cannot seek: %s", path, strerror(errno));
        goto out;
    }
    uint32_t c;
    uint64_t total;
    if (crc_to_end(fd, &c, &total) != 0) {
        seal_err(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        goto out;
    }
    if (total == 0) {
        seal_err(err, errlen, "%s: nothing after the seal's block to seal", path);
        st = ES_ERR_INPUT;
        goto out;
    }
    header_make(head, total, c);
    if (pwrite(fd, head, sizeof head, 0) != (ssize_t)sizeof head) {
        seal_err(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        goto out;
    }
    st = ES_OK;
out:
    if (close(fd) != 0 && st == ES_OK) {
        seal_err(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        st = ES_ERR_IO;
    }
    return st;
}
