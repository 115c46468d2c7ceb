/* The CHECK macro of the C tests: counts passes, reports each failure with its line and a
 * printf-style message, and leaves the verdict to main (`failures == 0`). One translation
 * unit per test program, so the counters are static. */
#ifndef EXPOSURE_TEST_CHECK_H
#define EXPOSURE_TEST_CHECK_H

#include <stdio.h>

static int failures = 0;
static int passes = 0;

#define CHECK(cond, ...)                                    \
    do {                                                    \
        if (cond) {                                         \
            passes++;                                       \
        } else {                                            \
            failures++;                                     \
            fprintf(stderr, "%s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                   \
            fprintf(stderr, "\n");                          \
        }                                                   \
    } while (0)

#endif
