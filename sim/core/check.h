/* check.h: assertions for bugs (never for user input).
 *
 * ES_ASSERT stays on in release builds: a simulation whose invariants fail
 * must not go on producing numbers. es_assert_fail is one breakpointable
 * function; it prints the expression and location and aborts. */
#ifndef ES_CHECK_H
#define ES_CHECK_H

_Noreturn void es_assert_fail(const char *expr, const char *file, int line);

#define ES_ASSERT(c) ((c) ? (void)0 : es_assert_fail(#c, __FILE__, __LINE__))

/* A parameter a function must accept (its type is a handler or hook
 * signature) but does not need. */
#define ES_UNUSED(x) ((void)(x))

#endif
