/* mem.h: overflow-checked allocation. Returns NULL on failure or overflow;
 * callers turn NULL into ES_ERR_NOMEM. */
#ifndef ES_MEM_H
#define ES_MEM_H
#include <stddef.h>

void *es_calloc(size_t n, size_t size);
void *es_reallocarray(void *p, size_t n, size_t size);
char *es_strdup(const char *s);

#endif
