/* CVSS scores through the C ABI, checked against tests/vectors/cvss-scores.tsv (the same file
 * the Rust and Python tests read). Run from the repository root. Built with -std=c99 -Wall
 * -Wextra -Werror -pedantic under ASan/UBSan. */
#include "exposure.h"
#include "check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *severity_name(exposure_cvss_severity s) {
    switch (s) {
    case EXPOSURE_CVSS_SEVERITY_NONE: return "NONE";
    case EXPOSURE_CVSS_SEVERITY_LOW: return "LOW";
    case EXPOSURE_CVSS_SEVERITY_MEDIUM: return "MEDIUM";
    case EXPOSURE_CVSS_SEVERITY_HIGH: return "HIGH";
    case EXPOSURE_CVSS_SEVERITY_CRITICAL: return "CRITICAL";
    default: return "?";
    }
}

static void vectors(void) {
    char line[1024];
    FILE *f = fopen("tests/vectors/cvss-scores.tsv", "r");
    int rows = 0;
    CHECK(f != NULL, "cannot open cvss-scores.tsv");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        char *vector = line, *score, *severity, *end;
        exposure_cvss_scores s;
        exposure_string *canonical = NULL;
        exposure_error *err = NULL;
        if (line[0] == '#' || line[0] == '\n') continue;
        score = strchr(vector, '\t');
        if (!score) { CHECK(0, "bad row"); continue; }
        *score++ = '\0';
        severity = strchr(score, '\t');
        if (!severity) { CHECK(0, "bad row"); continue; }
        *severity++ = '\0';
        end = strchr(severity, '\t');
        if (end) *end = '\0';
        rows++;
        CHECK(exposure_cvss_score(vector, strlen(vector), &s, &canonical, &err) == EXPOSURE_STATUS_OK, "%s: %s", vector, err ? exposure_error_message(err) : "");
        CHECK(fabs(s.score - atof(score)) < 1e-9, "%s: score %.1f, expected %s", vector, s.score, score);
        CHECK(strcmp(severity_name(s.severity), severity) == 0, "%s: severity %s, expected %s", vector, severity_name(s.severity), severity);
        CHECK(canonical && strlen(exposure_string_ptr(canonical)) > 0, "canonical vector");
        if (s.version == EXPOSURE_CVSS_VERSION_V40) {
            CHECK(isnan(s.temporal) && isnan(s.environmental), "v4 has one score");
            CHECK(isnan(s.impact) && isnan(s.exploitability), "v4 has no sub-scores");
        } else {
            CHECK(!isnan(s.temporal) && !isnan(s.environmental), "v2 and v3 have three scores");
            CHECK(s.exploitability >= 0 && s.exploitability <= 10 && s.impact <= 10.41, "%s: sub-scores", vector);
        }
        exposure_string_free(canonical);
        exposure_error_free(err);
    }
    fclose(f);
    CHECK(rows >= 29, "cvss-scores.tsv: %d cases checked, at least 29 expected (its data rows)", rows);
}

/* A vector that does not parse: the status, the same status in the error object, and the
 * byte offset of the offending part in the text as given (SIZE_MAX for a missing metric). */
static void check_error(const char *vector, exposure_status status, size_t offset) {
    exposure_cvss_scores s;
    exposure_error *err = NULL;
    exposure_status st = exposure_cvss_score(vector, strlen(vector), &s, NULL, &err);
    CHECK(st == status, "%s: status %u, expected %u", vector, (unsigned)st, (unsigned)status);
    CHECK(err != NULL && exposure_error_status(err) == st, "%s: the error object carries the status", vector);
    CHECK(err != NULL && exposure_error_offset(err) == offset, "%s: offset %zu, expected %zu (%s)", vector,
          err ? exposure_error_offset(err) : (size_t)0, offset, err ? exposure_error_message(err) : "");
    exposure_error_free(err);
}

static void errors(void) {
    exposure_cvss_scores s;
    exposure_error *err = NULL;
    const char *bad = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q";
    CHECK(exposure_cvss_score(bad, strlen(bad), &s, NULL, &err) == EXPOSURE_STATUS_CVSS_INVALID_VALUE, "invalid value");
    CHECK(err && strstr(exposure_error_message(err), "\"Q\"") && strstr(exposure_error_message(err), "metric A"), "the message names the metric and the value: %s", err ? exposure_error_message(err) : "");
    CHECK(err && exposure_error_offset(err) == 41, "offset of the A:Q part: %zu", err ? exposure_error_offset(err) : (size_t)0);
    exposure_error_free(err);
    err = NULL;
    bad = "CVSS:3.1/AV:N/AC:L";
    CHECK(exposure_cvss_score(bad, strlen(bad), &s, NULL, &err) == EXPOSURE_STATUS_CVSS_MISSING_METRIC, "missing metric");
    exposure_error_free(err);
    /* Offsets count from the start of the text as given, leading white space included. */
    check_error("  CVSS:3.1/AV:N/AV:N", EXPOSURE_STATUS_CVSS_DUPLICATE_METRIC, 16);
    check_error("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/XX:1", EXPOSURE_STATUS_CVSS_UNKNOWN_METRIC, 64);
    check_error("AV:N/AC:L/Au:N/C:P/I:P/A:P/", EXPOSURE_STATUS_CVSS_MALFORMED, 27);
    check_error(" CVSS:9.9/AV:N", EXPOSURE_STATUS_CVSS_VERSION, 1);
    check_error("CVSS:3.1/AV:N/AC:L/PR:N", EXPOSURE_STATUS_CVSS_MISSING_METRIC, SIZE_MAX);
    CHECK(exposure_cvss_score("CVSS:9.9/AV:N", 13, &s, NULL, NULL) == EXPOSURE_STATUS_CVSS_VERSION, "unknown version");
    CHECK(exposure_cvss_score("AV:N", 4, NULL, NULL, NULL) == EXPOSURE_STATUS_NULL_ARGUMENT, "NULL out");
}

/* Sub-scores as NVD publishes them: CVE-2021-44228 (v3.1, scope changed). */
static void subscores(void) {
    const char *v = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H";
    exposure_cvss_scores s;
    CHECK(exposure_cvss_score(v, strlen(v), &s, NULL, NULL) == EXPOSURE_STATUS_OK, "%s", v);
    CHECK(fabs(s.base - 10.0) < 1e-9 && fabs(s.impact - 6.0) < 1e-9 && fabs(s.exploitability - 3.9) < 1e-9,
          "base %.1f impact %.1f exploitability %.1f", s.base, s.impact, s.exploitability);
}

int main(void) {
    vectors();
    subscores();
    errors();
    printf("cvss.c: %d checks passed, %d failed\n", passes, failures);
    return failures ? 1 : 0;
}
