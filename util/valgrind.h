/*
 * valgrind.h — RUNNING_ON_VALGRIND where valgrind's client header is
 * installed, else 0: code that must behave differently under valgrind
 * (no PCRE2 JIT, whose generated code reads ahead of a subject; smaller
 * LMDB maps) and the tests that know it include this one header.
 */
#ifndef MS_UTIL_VALGRIND_H
#define MS_UTIL_VALGRIND_H

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#endif
