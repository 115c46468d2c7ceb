/* A host's worker thread with a small stack: Maven versions of 65 KB, which nest 65,400
 * lists, parsed and compared on a pthread with a 64 KB stack (the comparison once recursed
 * per level and took the host process down). Built with -std=c99 -Wall -Wextra -Werror
 * -pedantic under ASan/UBSan. */
#define _POSIX_C_SOURCE 200809L

#include "exposure.h"
#include "check.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 64 KB, the size the Rust and Python tests use too; ASan's own bookkeeping fits in it
 * (the Rust library is not instrumented). */
#define STACK_SIZE (64 * 1024)
#define PAIRS 32700

/* "1a" repeated PAIRS - 1 times, then `tail`; the caller frees it. */
static char *deep(const char *tail, size_t *len) {
    size_t n = 2 * (PAIRS - 1), t = strlen(tail);
    char *text = malloc(n + t + 1);
    size_t i;
    if (!text) return NULL;
    for (i = 0; i < n; i += 2) memcpy(text + i, "1a", 2);
    memcpy(text + n, tail, t + 1);
    *len = n + t;
    return text;
}

/* The order of two deep versions, or 99 when parsing or comparing failed. */
static int compare(const char *tail_a, const char *tail_b) {
    size_t len_a = 0, len_b = 0;
    char *a = deep(tail_a, &len_a), *b = deep(tail_b, &len_b);
    exposure_version *va = NULL, *vb = NULL;
    int32_t order = 99;
    if (a && b
        && exposure_version_parse(EXPOSURE_SCHEME_MAVEN, a, len_a, &va, NULL) == EXPOSURE_STATUS_OK
        && exposure_version_parse(EXPOSURE_SCHEME_MAVEN, b, len_b, &vb, NULL) == EXPOSURE_STATUS_OK
        && exposure_version_compare(va, vb, &order, NULL) != EXPOSURE_STATUS_OK) {
        order = 99;
    }
    exposure_version_free(va);
    exposure_version_free(vb);
    free(a);
    free(b);
    return order;
}

static void *compare_deep_versions(void *result) {
    int *orders = result;
    /* Maven 3.8.7's answers (ComparableVersion, on the same shapes 2,000 pairs deep). */
    orders[0] = compare("1a", "1a");
    orders[1] = compare("1a", "1b");
    orders[2] = compare("1a", "1");
    orders[3] = compare("1a0", "1a");
    orders[4] = compare("1-sp", "1");
    return NULL;
}

int main(void) {
    pthread_attr_t attr;
    pthread_t thread;
    int orders[5] = {99, 99, 99, 99, 99};
    CHECK(pthread_attr_init(&attr) == 0, "pthread_attr_init");
    CHECK(pthread_attr_setstacksize(&attr, STACK_SIZE) == 0, "a %d-byte stack", STACK_SIZE);
    CHECK(pthread_create(&thread, &attr, compare_deep_versions, orders) == 0, "pthread_create");
    CHECK(pthread_join(thread, NULL) == 0, "pthread_join");
    pthread_attr_destroy(&attr);
    CHECK(orders[0] == 0, "equal: %d", orders[0]);
    CHECK(orders[1] == -1, "...1a < ...1b: %d", orders[1]);
    CHECK(orders[2] == 1, "...1a > ...1: %d", orders[2]);
    CHECK(orders[3] == -1, "...1a0 < ...1a: %d", orders[3]);
    CHECK(orders[4] == 1, "...1-sp > ...1: %d", orders[4]);
    printf("%d passed, %d failed\n", passes, failures);
    return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
