/* fsdir.c: see fsdir.h. */
#define _GNU_SOURCE /* O_DIRECTORY, O_CLOEXEC */
#include "fsdir.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../core/mem.h"

char *es_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return es_strdup(".");
    if (slash == path) return es_strdup("/");
    size_t n = (size_t)(slash - path);
    char *d = es_malloc(n + 1);
    if (d) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

int es_fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = fsync(fd), saved = errno;
    close(fd);
    if (rc != 0 && (saved == EINVAL || saved == ENOTSUP)) rc = 0;
    errno = saved;
    return rc;
}
