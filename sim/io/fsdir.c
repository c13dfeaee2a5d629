/* fsdir.c: see fsdir.h. */
#define _GNU_SOURCE /* O_DIRECTORY, O_CLOEXEC */
#include "fsdir.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static const char *kind_of(mode_t m)
{
    if (S_ISDIR(m)) return "a folder";
    if (S_ISFIFO(m)) return "a FIFO (named pipe)";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    if (S_ISLNK(m)) return "a symbolic link";
    return "not a regular file";
}

es_status es_fs_check_output(const char *path, const char *what, int flags,
                             const char *const *inputs, int n_inputs, char *err, size_t errlen)
{
    struct stat out, in;
    if ((flags & ES_FS_NO_SYMLINK) && lstat(path, &out) == 0 && S_ISLNK(out.st_mode)) {
        snprintf(err, errlen,
                 "%s %s is a symbolic link, which is never followed or replaced; remove it or "
                 "choose another output",
                 what, path);
        return ES_ERR_USAGE;
    }
    if (stat(path, &out) != 0) return ES_OK; /* absent (or a dangling link): nothing to destroy */
    if (!S_ISREG(out.st_mode)) {
        snprintf(err, errlen, "%s %s is %s, not a regular file%s; name an output file", what, path,
                 kind_of(out.st_mode), S_ISDIR(out.st_mode) ? "" : ", and is never replaced");
        return ES_ERR_USAGE;
    }
    for (int i = 0; i < n_inputs; i++)
        if (inputs[i] && stat(inputs[i], &in) == 0 && in.st_dev == out.st_dev &&
            in.st_ino == out.st_ino) {
            snprintf(err, errlen,
                     "%s %s is the same file as the input %s; name another output (an input is "
                     "never overwritten, even with --force)",
                     what, path, inputs[i]);
            return ES_ERR_USAGE;
        }
    return ES_OK;
}
