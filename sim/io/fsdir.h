/* fsdir.h: the folder of a path, and making a new or removed name in it
 * durable. Shared by the result writer and the journal: a rename or an
 * unlink survives a crash only once its folder is fsynced. */
#ifndef ES_FSDIR_H
#define ES_FSDIR_H

/* The folder part of path ("." for a bare name, "/" at the root); malloc'd,
 * NULL when out of memory. */
char *es_dir_of(const char *path);

/* fsync a folder. File systems that cannot sync a folder (EINVAL,
 * ENOTSUP) count as success: that is as durable as they get. -1 and errno
 * otherwise. */
int es_fsync_dir(const char *dir);

#endif
