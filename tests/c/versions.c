/* Versions and ranges through the C ABI, checked against the shared vectors in
 * tests/vectors/ (the same files the Rust and Python tests read). Run from the repository
 * root. Built with -std=c99 -Wall -Wextra -Werror -pedantic under ASan/UBSan. */
#include "exposure.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Splits a line on TABs in place; returns the number of fields. */
static int split(char *line, char **fields, int max) {
    int n = 0;
    char *nl = strchr(line, '\n');
    if (nl) *nl = '\0';
    while (n < max) {
        fields[n++] = line;
        line = strchr(line, '\t');
        if (!line) break;
        *line++ = '\0';
    }
    return n;
}

static int scheme_of(const char *name, exposure_scheme *out) {
    return exposure_scheme_from_name(name, strlen(name), out, NULL) == EXPOSURE_STATUS_OK;
}

static void version_order(void) {
    char line[1024];
    int rows = 0;
    FILE *f = fopen("tests/vectors/version-order.tsv", "r");
    CHECK(f != NULL, "cannot open version-order.tsv");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        char *field[4];
        exposure_scheme scheme;
        exposure_version *a = NULL, *b = NULL;
        int32_t order = 99, reverse = 99;
        if (line[0] == '#' || line[0] == '\n') continue;
        if (split(line, field, 4) != 4 || !scheme_of(field[0], &scheme)) {
            CHECK(0, "bad row");
            continue;
        }
        CHECK(exposure_version_parse(scheme, field[1], strlen(field[1]), &a, NULL) == EXPOSURE_STATUS_OK, "%s %s", field[0], field[1]);
        CHECK(exposure_version_parse(scheme, field[2], strlen(field[2]), &b, NULL) == EXPOSURE_STATUS_OK, "%s %s", field[0], field[2]);
        CHECK(exposure_version_compare(a, b, &order, NULL) == EXPOSURE_STATUS_OK, "compare");
        CHECK(exposure_version_compare(b, a, &reverse, NULL) == EXPOSURE_STATUS_OK, "compare");
        CHECK(order == atoi(field[3]) && reverse == -order, "%s: %s vs %s: got %d, expected %s", field[0], field[1], field[2], order, field[3]);
        exposure_version_free(a);
        exposure_version_free(b);
        rows++;
    }
    fclose(f);
    CHECK(rows >= 91, "version-order.tsv: %d cases checked, at least 91 expected (its data rows)", rows);
}

static void range_contains(void) {
    char line[1024];
    int rows = 0;
    FILE *f = fopen("tests/vectors/range-contains.tsv", "r");
    CHECK(f != NULL, "cannot open range-contains.tsv");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        char *field[4];
        exposure_scheme scheme, range_scheme;
        exposure_range *r = NULL;
        exposure_version *v = NULL;
        exposure_error *err = NULL;
        bool inside = false, inside_str = false;
        if (line[0] == '#' || line[0] == '\n') continue;
        if (split(line, field, 4) != 4 || !scheme_of(field[0], &scheme)) {
            CHECK(0, "bad row");
            continue;
        }
        CHECK(exposure_range_parse(scheme, field[1], strlen(field[1]), &r, &err) == EXPOSURE_STATUS_OK, "%s range %s: %s", field[0], field[1],
              err ? exposure_error_message(err) : "");
        exposure_error_free(err);
        CHECK(exposure_range_scheme(r, &range_scheme, NULL) == EXPOSURE_STATUS_OK, "range scheme");
        CHECK(exposure_version_parse(range_scheme, field[2], strlen(field[2]), &v, NULL) == EXPOSURE_STATUS_OK, "version %s", field[2]);
        CHECK(exposure_range_contains(r, v, &inside, NULL) == EXPOSURE_STATUS_OK, "contains");
        CHECK(exposure_range_contains_str(r, field[2], strlen(field[2]), &inside_str, NULL) == EXPOSURE_STATUS_OK, "contains_str");
        CHECK(inside == (strcmp(field[3], "true") == 0) && inside_str == inside, "%s: %s in %s: got %d, expected %s", field[0], field[2], field[1],
              inside, field[3]);
        exposure_version_free(v);
        exposure_range_free(r);
        rows++;
    }
    fclose(f);
    CHECK(rows >= 73, "range-contains.tsv: %d cases checked, at least 73 expected (its data rows)", rows);
}

static void invalid_versions(void) {
    char line[1024];
    int rows = 0;
    FILE *f = fopen("tests/vectors/version-invalid.tsv", "r");
    CHECK(f != NULL, "cannot open version-invalid.tsv");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        char *field[3];
        exposure_scheme scheme;
        exposure_version *v = NULL;
        exposure_error *err = NULL;
        exposure_status st;
        if (line[0] == '#' || line[0] == '\n') continue;
        if (split(line, field, 3) != 3 || !scheme_of(field[0], &scheme)) {
            CHECK(0, "bad row");
            continue;
        }
        st = exposure_version_parse(scheme, field[1], strlen(field[1]), &v, &err);
        CHECK(st >= 1000 && st < 2000, "%s %s: status %u", field[0], field[1], (unsigned)st);
        CHECK(v == NULL, "no version on failure");
        CHECK(err != NULL && exposure_error_status(err) == st, "error object carries the status");
        CHECK(err != NULL && exposure_error_offset(err) == (size_t)atoi(field[2]), "%s %s: offset %zu, expected %s", field[0], field[1],
              err ? exposure_error_offset(err) : (size_t)0, field[2]);
        exposure_error_free(err);
        rows++;
    }
    fclose(f);
    CHECK(rows >= 24, "version-invalid.tsv: %d cases checked, at least 24 expected (its data rows)", rows);
}

static void text_buffers_and_errors(void) {
    exposure_range *r = NULL, *bad = NULL;
    exposure_version *a = NULL, *b = NULL;
    exposure_error *err = NULL;
    char buf[64];
    size_t needed = 0;
    int32_t order;
    static const char range[] = "^1.2.3 || >=3.0.0-rc.1 <3.1.0";
    static const char canonical[] = "vers:npm/>=1.2.3|<2.0.0-0|>=3.0.0-rc.1|<3.1.0";
    CHECK(exposure_range_parse(EXPOSURE_SCHEME_NPM, range, strlen(range), &r, NULL) == EXPOSURE_STATUS_OK, "parse");
    CHECK(exposure_range_text(r, (uint8_t *)buf, 4, &needed, NULL) == EXPOSURE_STATUS_BUFFER_TOO_SMALL, "small buffer");
    CHECK(needed == strlen(canonical), "needed %zu", needed);
    CHECK(exposure_range_text(r, (uint8_t *)buf, sizeof buf, &needed, NULL) == EXPOSURE_STATUS_OK, "text");
    CHECK(needed == strlen(canonical) && memcmp(buf, canonical, needed) == 0, "canonical text %.*s", (int)needed, buf);
    CHECK(exposure_version_parse(EXPOSURE_SCHEME_PYPI, "1.0", 3, &a, NULL) == EXPOSURE_STATUS_OK, "pypi");
    CHECK(exposure_version_parse(EXPOSURE_SCHEME_NPM, "1.0.0", 5, &b, NULL) == EXPOSURE_STATUS_OK, "npm");
    CHECK(exposure_version_compare(a, b, &order, NULL) == EXPOSURE_STATUS_VERSION_SCHEME_MISMATCH, "cross-scheme compare is an error");
    CHECK(exposure_range_contains(r, a, &(bool){false}, NULL) == EXPOSURE_STATUS_VERSION_SCHEME_MISMATCH, "cross-scheme contains is an error");
    CHECK(exposure_version_text(a, (uint8_t *)buf, sizeof buf, &needed, NULL) == EXPOSURE_STATUS_OK && needed == 3, "version text");
    CHECK(exposure_range_parse(EXPOSURE_SCHEME_PYPI, ">=1.0,<<2", 9, &bad, &err) != EXPOSURE_STATUS_OK, "bad specifier rejected");
    CHECK(bad == NULL, "no range on failure");
    CHECK(err != NULL && strstr(exposure_error_message(err), "pypi") != NULL, "message names the scheme");
    exposure_error_free(err);
    CHECK(exposure_version_parse((exposure_scheme)99, "1", 1, &a, NULL) == EXPOSURE_STATUS_UNKNOWN_SCHEME, "unknown scheme number");
    CHECK(exposure_range_parse((exposure_scheme)20, "1", 1, &bad, NULL) == EXPOSURE_STATUS_UNKNOWN_SCHEME && bad == NULL,
          "unknown scheme number for a range");
    CHECK(exposure_scheme_from_name("cobol", 5, &(exposure_scheme){EXPOSURE_SCHEME_DEB}, NULL) == EXPOSURE_STATUS_UNKNOWN_SCHEME, "unknown scheme name");
    exposure_version_free(b);
    exposure_range_free(r);
    /* `a` was not overwritten by the failed parse above. */
    exposure_version_free(a);
}

/* A range that does not parse: the status, the same status in the error object, no range,
 * and the byte offset of the problem in the text as given. */
static void check_range_error(uint32_t scheme, const char *text, exposure_status status, size_t offset) {
    exposure_range *r = NULL;
    exposure_error *err = NULL;
    exposure_status st = exposure_range_parse(scheme, text, strlen(text), &r, &err);
    CHECK(st == status, "%s: status %u, expected %u", text, (unsigned)st, (unsigned)status);
    CHECK(r == NULL, "%s: no range on failure", text);
    CHECK(err != NULL && exposure_error_status(err) == st, "%s: the error object carries the status", text);
    CHECK(err != NULL && exposure_error_offset(err) == offset, "%s: offset %zu, expected %zu (%s)", text,
          err ? exposure_error_offset(err) : (size_t)0, offset, err ? exposure_error_message(err) : "");
    exposure_error_free(err);
}

/* Bad vers strings and bad native ranges: RANGE_VERS for a malformed vers string,
 * RANGE_SYNTAX for malformed native syntax, RANGE_VERSION for a bad version in either, each
 * at its byte offset in the text as given (a version's: where it starts plus its own). */
static void range_and_vers_errors(void) {
    exposure_range *r = NULL;
    exposure_error *err = NULL;
    bool inside = false;
    check_range_error(EXPOSURE_SCHEME_NPM, "vers:cobol/1.0", EXPOSURE_STATUS_RANGE_VERS, 5);
    check_range_error(EXPOSURE_SCHEME_NPM, "vers:npm/>=1.0.0|*", EXPOSURE_STATUS_RANGE_VERS, 17);
    check_range_error(EXPOSURE_SCHEME_NPM, "  vers:npm", EXPOSURE_STATUS_RANGE_VERS, 10);
    check_range_error(EXPOSURE_SCHEME_NPM, "vers:pypi/>=1.0|<2.0/x", EXPOSURE_STATUS_RANGE_VERSION, 20);
    check_range_error(EXPOSURE_SCHEME_NPM, "vers:npm/ >= 1.0.0 | < 2.x.0", EXPOSURE_STATUS_RANGE_VERSION, 25);
    check_range_error(EXPOSURE_SCHEME_PYPI, ">=1.0,<<2", EXPOSURE_STATUS_RANGE_SYNTAX, 6);
    check_range_error(EXPOSURE_SCHEME_PYPI, ">=1.0, <2.0/x", EXPOSURE_STATUS_RANGE_VERSION, 11);
    check_range_error(EXPOSURE_SCHEME_MAVEN, "[1.0, 2.0) x", EXPOSURE_STATUS_RANGE_SYNTAX, 11);
    check_range_error(EXPOSURE_SCHEME_NPM, ">=1.2.3 <1.x.y", EXPOSURE_STATUS_RANGE_SYNTAX, 8);
    check_range_error(EXPOSURE_SCHEME_DEB, ">= 1.0, << 2.0", EXPOSURE_STATUS_RANGE_VERSION, 9);
    /* A version tested against a range: the version's own error and offset. */
    CHECK(exposure_range_parse(EXPOSURE_SCHEME_PYPI, ">=1.0", 5, &r, NULL) == EXPOSURE_STATUS_OK, "parse");
    CHECK(exposure_range_contains_str(r, "1.0/x", 5, &inside, &err) == EXPOSURE_STATUS_VERSION_UNEXPECTED_CHAR, "bad version");
    CHECK(err != NULL && exposure_error_offset(err) == 3, "version offset %zu", err ? exposure_error_offset(err) : (size_t)0);
    exposure_error_free(err);
    exposure_range_free(r);
}

int main(void) {
    version_order();
    range_contains();
    invalid_versions();
    text_buffers_and_errors();
    range_and_vers_errors();
    printf("%d passed, %d failed\n", passes, failures);
    return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
