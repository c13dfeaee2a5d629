/* fsdir.h: the folder of a path, and making a new or removed name in it
 * durable. Shared by the result writer and the journal: a rename or an
 * unlink survives a crash only once its folder is fsynced. And the check
 * that keeps every output off the command's inputs. */
#ifndef ES_FSDIR_H
#define ES_FSDIR_H
#include <stddef.h>
#include "../core/status.h"

/* The folder part of path ("." for a bare name, "/" at the root); malloc'd,
 * NULL when out of memory. */
char *es_dir_of(const char *path);

/* fsync a folder. File systems that cannot sync a folder (EINVAL,
 * ENOTSUP) count as success: that is as durable as they get. -1 and errno
 * otherwise. */
int es_fsync_dir(const char *dir);

/* Inputs are sacred. Refuses, before any work, an output path that would
 * destroy something:
 * - it exists and is not a regular file once links are followed (a folder,
 *   a FIFO, a device such as /dev/null, a socket), or, with
 *   ES_FS_NO_SYMLINK, it is a symbolic link at all (the journal, which is
 *   opened without following links);
 * - it is the same file (st_dev and st_ino, links followed) as one of
 *   inputs[0, n_inputs): the config and its includes, or an input shard.
 * --force never overrides this. `what` names the output in the message
 * ("run: -o", "merge: OUT", "journal"). ES_OK when the path does not exist
 * or is a regular file that is no input; ES_ERR_USAGE (exit 2) and one line
 * in err otherwise, which does not suggest --force. Inputs that cannot be
 * stat'ed are skipped (their own loader reports them). */
#define ES_FS_NO_SYMLINK 1
es_status es_fs_check_output(const char *path, const char *what, int flags,
                             const char *const *inputs, int n_inputs, char *err, size_t errlen);

#endif
