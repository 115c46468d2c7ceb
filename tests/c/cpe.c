/* CPE names, NVD applicability and name normalisation through the C ABI, checked against
 * the shared vectors in tests/vectors/ (the same files the Rust and Python tests read). Run
 * from the repository root. Built with -std=c99 -Wall -Wextra -Werror -pedantic under
 * ASan/UBSan. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen, unlink */
#include "exposure.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static exposure_cpe *parse(const char *text) {
    exposure_cpe *c = NULL;
    exposure_error *err = NULL;
    exposure_status st = exposure_cpe_parse(text, strlen(text), &c, &err);
    CHECK(st == EXPOSURE_STATUS_OK, "parse %s: %s", text, err ? exposure_error_message(err) : "?");
    exposure_error_free(err);
    return c;
}

/* The binding of `c` as a NUL-terminated string in `buf` (asks for the size first). */
static int text_of(const exposure_cpe *c, exposure_cpe_binding binding, char *buf, size_t cap) {
    size_t needed = 0;
    exposure_status st = exposure_cpe_text(c, binding, NULL, 0, &needed, NULL);
    if (st != EXPOSURE_STATUS_BUFFER_TOO_SMALL && st != EXPOSURE_STATUS_OK) return 0;
    if (needed + 1 > cap) return 0;
    if (exposure_cpe_text(c, binding, (uint8_t *)buf, cap, &needed, NULL) != EXPOSURE_STATUS_OK) return 0;
    buf[needed] = '\0';
    return 1;
}

static void bindings(void) {
    char line[2048], out[1024];
    int rows = 0;
    FILE *f = fopen("tests/vectors/cpe-bindings.tsv", "r");
    CHECK(f != NULL, "cannot open cpe-bindings.tsv");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        char *field[3];
        exposure_cpe *c;
        if (line[0] == '#' || line[0] == '\n') continue;
        if (split(line, field, 3) != 3) {
            CHECK(0, "bad row");
            continue;
        }
        c = parse(field[0]);
        if (!c) continue;
        CHECK(text_of(c, EXPOSURE_CPE_BINDING_FS, out, sizeof out) && strcmp(out, field[1]) == 0, "%s as fs: %s", field[0], out);
        CHECK(text_of(c, EXPOSURE_CPE_BINDING_URI, out, sizeof out) && strcmp(out, field[2]) == 0, "%s as uri: %s", field[0], out);
        CHECK(text_of(c, EXPOSURE_CPE_BINDING_WFN, out, sizeof out) && strncmp(out, "wfn:[part=", 10) == 0, "%s as wfn: %s", field[0], out);
        exposure_cpe_free(c);
        rows++;
    }
    fclose(f);
    CHECK(rows >= 11, "cpe-bindings.tsv: %d cases checked, at least 11 expected (its data rows)", rows);
}

static const char *relation_name(exposure_cpe_relation r) {
    switch (r) {
    case EXPOSURE_CPE_RELATION_EQUAL: return "EQUAL";
    case EXPOSURE_CPE_RELATION_SUPERSET: return "SUPERSET";
    case EXPOSURE_CPE_RELATION_SUBSET: return "SUBSET";
    case EXPOSURE_CPE_RELATION_DISJOINT: return "DISJOINT";
    case EXPOSURE_CPE_RELATION_UNDEFINED: return "UNDEFINED";
    default: return "?";
    }
}

static void relations(void) {
    char line[2048];
    int rows = 0;
    FILE *f = fopen("tests/vectors/cpe-compare.tsv", "r");
    CHECK(f != NULL, "cannot open cpe-compare.tsv");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        char *field[3];
        exposure_cpe *s, *t;
        exposure_cpe_relation r = EXPOSURE_CPE_RELATION_UNDEFINED;
        bool matches = false;
        if (line[0] == '#' || line[0] == '\n') continue;
        if (split(line, field, 3) != 3) {
            CHECK(0, "bad row");
            continue;
        }
        s = parse(field[0]);
        t = parse(field[1]);
        CHECK(exposure_cpe_compare(s, t, &r, NULL) == EXPOSURE_STATUS_OK, "compare");
        CHECK(strcmp(relation_name(r), field[2]) == 0, "%s vs %s: %s, expected %s", field[0], field[1], relation_name(r), field[2]);
        CHECK(exposure_cpe_matches(s, t, &matches, NULL) == EXPOSURE_STATUS_OK, "matches");
        CHECK(matches == (r == EXPOSURE_CPE_RELATION_EQUAL || r == EXPOSURE_CPE_RELATION_SUPERSET), "matches agrees with compare");
        exposure_cpe_free(s);
        exposure_cpe_free(t);
        rows++;
    }
    fclose(f);
    CHECK(rows >= 13, "cpe-compare.tsv: %d cases checked, at least 13 expected (its data rows)", rows);
}

static void invalid(void) {
    char line[1024];
    int rows = 0;
    FILE *f = fopen("tests/vectors/cpe-invalid.tsv", "r");
    CHECK(f != NULL, "cannot open cpe-invalid.tsv");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        char *field[2];
        exposure_cpe *c = NULL;
        exposure_error *err = NULL;
        exposure_status st;
        if (line[0] == '#' || line[0] == '\n') continue;
        if (split(line, field, 2) != 2) {
            CHECK(0, "bad row");
            continue;
        }
        st = exposure_cpe_parse(field[0], strlen(field[0]), &c, &err);
        CHECK(st != EXPOSURE_STATUS_OK && c == NULL, "%s must be rejected", field[0]);
        CHECK(err != NULL && exposure_error_status(err) == st, "error object for %s", field[0]);
        CHECK(exposure_error_offset(err) == (size_t)atoi(field[1]), "%s: offset %zu, expected %s", field[0], exposure_error_offset(err), field[1]);
        exposure_error_free(err);
        rows++;
    }
    fclose(f);
    CHECK(rows >= 12, "cpe-invalid.tsv: %d cases checked, at least 12 expected (its data rows)", rows);
    /* Argument checks. */
    {
        exposure_cpe *c = NULL;
        exposure_cpe_relation r;
        size_t needed = 0;
        CHECK(exposure_cpe_parse(NULL, 3, &c, NULL) == EXPOSURE_STATUS_NULL_ARGUMENT, "NULL text");
        CHECK(exposure_cpe_parse("cpe:/a", 6, NULL, NULL) == EXPOSURE_STATUS_NULL_ARGUMENT, "NULL out");
        CHECK(exposure_cpe_parse("cpe:/a:\xff", 8, &c, NULL) == EXPOSURE_STATUS_INVALID_UTF8, "bad UTF-8");
        CHECK(exposure_cpe_compare(NULL, NULL, &r, NULL) == EXPOSURE_STATUS_NULL_ARGUMENT, "NULL handles");
        c = parse("cpe:/a:b:c");
        CHECK(exposure_cpe_text(c, (exposure_cpe_binding)7, NULL, 0, &needed, NULL) == EXPOSURE_STATUS_CPE_BINDING, "unknown binding");
        exposure_cpe_free(c);
        exposure_cpe_free(NULL);
    }
}

/* CVE-2017-0010's shape: Edge (version NA) running on Windows 10. */
static void applicability(void) {
    const char *json =
        "[{\"operator\":\"AND\",\"nodes\":["
        "{\"operator\":\"OR\",\"cpeMatch\":[{\"vulnerable\":true,\"criteria\":\"cpe:2.3:a:microsoft:edge:-:*:*:*:*:*:*:*\"}]},"
        "{\"operator\":\"OR\",\"cpeMatch\":[{\"vulnerable\":false,\"criteria\":\"cpe:2.3:o:microsoft:windows_10:*:*:*:*:*:*:*:*\"}]}]},"
        "{\"nodes\":[{\"operator\":\"OR\",\"cpeMatch\":[{\"vulnerable\":true,\"criteria\":\"cpe:2.3:a:webmproject:libwebp:*:*:*:*:*:*:*:*\",\"versionEndExcluding\":\"1.3.2\"}]}]}]";
    exposure_applicability *a = NULL;
    exposure_error *err = NULL;
    exposure_cpe *names[2];
    exposure_string *evidence = NULL;
    bool applies = false;
    CHECK(exposure_applicability_from_json(json, strlen(json), &a, &err) == EXPOSURE_STATUS_OK, "configurations load: %s", err ? exposure_error_message(err) : "");
    exposure_error_free(err);
    names[0] = parse("cpe:2.3:a:microsoft:edge:-:*:*:*:*:*:*:*");
    names[1] = parse("cpe:/o:microsoft:windows_10:1607");
    CHECK(exposure_applicability_evaluate(a, (const exposure_cpe *const *)names, 2, &applies, &evidence, NULL) == EXPOSURE_STATUS_OK, "evaluate");
    CHECK(applies, "Edge on Windows 10 is vulnerable");
    CHECK(evidence && strstr(exposure_string_ptr(evidence), "\"vulnerable\":false") != NULL, "the platform is evidence: %s", evidence ? exposure_string_ptr(evidence) : "");
    exposure_string_free(evidence);
    evidence = NULL;
    CHECK(exposure_applicability_evaluate(a, (const exposure_cpe *const *)names, 1, &applies, NULL, NULL) == EXPOSURE_STATUS_OK && !applies, "Edge alone is not");
    exposure_cpe_free(names[0]);
    exposure_cpe_free(names[1]);
    names[0] = parse("cpe:2.3:a:webmproject:libwebp:1.3.1:*:*:*:*:*:*:*");
    CHECK(exposure_applicability_evaluate(a, (const exposure_cpe *const *)names, 1, &applies, &evidence, NULL) == EXPOSURE_STATUS_OK && applies, "libwebp 1.3.1 is vulnerable");
    CHECK(evidence && strstr(exposure_string_ptr(evidence), "\"bounds\":\"<1.3.2\"") != NULL, "bounds are evidence");
    exposure_string_free(evidence);
    exposure_cpe_free(names[0]);
    exposure_applicability_free(a);
    a = NULL;
    CHECK(exposure_applicability_from_json("{\"x\":1}", 7, &a, &err) == EXPOSURE_STATUS_CONFIGURATION_INVALID && a == NULL, "not configurations");
    exposure_error_free(err);
}

static void guess(void) {
    exposure_string *out = NULL;
    exposure_error *err = NULL;
    const char *publisher = "Mozilla", *name = "Mozilla Firefox (x64 en-US)", *version = "121.0";
    CHECK(exposure_cpe_guess(publisher, strlen(publisher), name, strlen(name), version, strlen(version), &out, &err) == EXPOSURE_STATUS_OK, "guess");
    CHECK(out && strstr(exposure_string_ptr(out), "cpe:2.3:a:mozilla:firefox:121.0:") != NULL, "firefox named: %s", out ? exposure_string_ptr(out) : "");
    exposure_string_free(out);
    out = NULL;
    CHECK(exposure_cpe_guess("Acme", 4, "Widget", 6, "1", 1, &out, &err) == EXPOSURE_STATUS_OK && strcmp(exposure_string_ptr(out), "[]") == 0, "unknown stays unknown");
    exposure_string_free(out);
}

/* An installed program named against the CPE names of an engine's NVD knowledge: a Windows
 * program the alias rules do not know gets its NVD name, a hotfix is an update and unnamed. */
static void name_program(void) {
    static const char feed[] =
        "{\"format\": \"NVD_CVE\", \"vulnerabilities\": [{\"cve\": {\"id\": \"CVE-2099-0001\", "
        "\"descriptions\": [{\"lang\": \"en\", \"value\": \"x\"}], \"configurations\": [{\"nodes\": "
        "[{\"operator\": \"OR\", \"cpeMatch\": [{\"vulnerable\": true, \"criteria\": "
        "\"cpe:2.3:a:symantec:endpoint_protection:*:*:*:*:*:*:*:*\", \"versionEndExcluding\": \"14.0\"}]}]}]}}]}";
    char path[] = "/tmp/exposure-c-nvd-XXXXXX";
    exposure_engine *engine = NULL;
    exposure_string *out = NULL;
    exposure_error *err = NULL;
    const char *publisher = "Symantec Corporation", *name = "Symantec Endpoint Protection", *version = "12.1.1000.157";
    const char *hotfix = "Security Update for Windows XP (KB2079403)";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    CHECK(f != NULL, "temporary feed");
    if (!f) return;
    fputs(feed, f);
    fclose(f);
    CHECK(exposure_engine_new(&engine, &err) == EXPOSURE_STATUS_OK, "engine");
    CHECK(exposure_engine_load_path(engine, path, strlen(path), NULL, &err) == EXPOSURE_STATUS_OK, "feed loads");
    CHECK(exposure_engine_name_program(engine, publisher, strlen(publisher), name, strlen(name), version, strlen(version), &out, &err) == EXPOSURE_STATUS_OK, "named");
    CHECK(out && strstr(exposure_string_ptr(out), "\"cpe\":\"cpe:2.3:a:symantec:endpoint_protection:12.1.1000.157:*:*:*:*:*:*:*\"") != NULL, "NVD's name: %s", out ? exposure_string_ptr(out) : "");
    CHECK(out && strstr(exposure_string_ptr(out), "\"rule\":\"vocabulary:vendor+vocabulary:product\"") != NULL, "the rule is evidence");
    exposure_string_free(out);
    out = NULL;
    CHECK(exposure_engine_name_program(engine, "Microsoft Corporation", 21, hotfix, strlen(hotfix), "1", 1, &out, &err) == EXPOSURE_STATUS_OK, "hotfix");
    CHECK(out && strstr(exposure_string_ptr(out), "\"kind\":\"update\"") != NULL && strstr(exposure_string_ptr(out), "\"candidates\":[]") != NULL, "a hotfix is never named: %s", out ? exposure_string_ptr(out) : "");
    exposure_string_free(out);
    out = NULL;
    CHECK(exposure_engine_name_program(engine, "x", 1, " ", 1, "1", 1, &out, &err) == EXPOSURE_STATUS_CPE_VALUE && out == NULL, "an empty name");
    exposure_error_free(err);
    err = NULL;
    CHECK(exposure_engine_name_program(NULL, "x", 1, "y", 1, "1", 1, &out, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "no engine");
    exposure_error_free(err);
    exposure_engine_free(engine);
    unlink(path);
}

int main(void) {
    bindings();
    relations();
    invalid();
    applicability();
    guess();
    name_program();
    printf("cpe.c: %d checks passed, %d failed\n", passes, failures);
    return failures ? 1 : 0;
}
