/* Enum parameters are plain uint32_t in the C ABI: any number may arrive, and an unknown one
 * must give its precise status (with a message in *err where the function takes one), never
 * undefined behaviour. Also: every failing call that takes `err` fills it, argument checks
 * included; and the status numbers added for issues 11 and 14 are pinned. Run from the repository
 * root. Built with -std=c99 -Wall -Wextra -Werror -pedantic under ASan/UBSan. */
#include "exposure.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Numbers no enum of the header defines (UINT32_MAX and (uint32_t)-1 are the same value,
 * spelled both ways on purpose). */
static const uint32_t bad_schemes[] = {99, 20, UINT32_MAX, (uint32_t)-1};
static const uint32_t bad_bindings[] = {99, 3, UINT32_MAX, (uint32_t)-1};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Checks that `err` holds an error with `status` whose message contains `needle`, frees it
 * and resets it to NULL for the next call. */
static void expect_err(exposure_error **err, exposure_status status, const char *needle, const char *what) {
    const char *message = *err ? exposure_error_message(*err) : NULL;
    CHECK(*err != NULL, "%s: err not filled", what);
    CHECK(*err == NULL || exposure_error_status(*err) == status, "%s: err status %u, expected %u", what,
          *err ? (unsigned)exposure_error_status(*err) : 0u, (unsigned)status);
    CHECK(message != NULL && strstr(message, needle) != NULL, "%s: message %s lacks %s", what, message ? message : "(none)", needle);
    exposure_error_free(*err);
    *err = NULL;
}

static void unknown_scheme_numbers(void) {
    size_t i;
    for (i = 0; i < COUNT(bad_schemes); i++) {
        uint32_t n = bad_schemes[i];
        exposure_version *v = NULL;
        exposure_range *r = NULL;
        exposure_error *err = NULL;
        char needle[64];
        snprintf(needle, sizeof needle, "unknown scheme number %lu", (unsigned long)n);
        CHECK(exposure_version_parse(n, "1.0", 3, &v, &err) == EXPOSURE_STATUS_UNKNOWN_SCHEME, "version_parse(%lu)", (unsigned long)n);
        CHECK(v == NULL, "no version for scheme %lu", (unsigned long)n);
        expect_err(&err, EXPOSURE_STATUS_UNKNOWN_SCHEME, needle, "version_parse");
        CHECK(exposure_range_parse(n, ">=1.0", 5, &r, &err) == EXPOSURE_STATUS_UNKNOWN_SCHEME, "range_parse(%lu)", (unsigned long)n);
        CHECK(r == NULL, "no range for scheme %lu", (unsigned long)n);
        expect_err(&err, EXPOSURE_STATUS_UNKNOWN_SCHEME, needle, "range_parse");
        /* A vers: string carries its own scheme, but the number is still checked. */
        CHECK(exposure_range_parse(n, "vers:npm/>=1.0.0", 16, &r, &err) == EXPOSURE_STATUS_UNKNOWN_SCHEME && r == NULL,
              "range_parse(%lu, vers:)", (unsigned long)n);
        expect_err(&err, EXPOSURE_STATUS_UNKNOWN_SCHEME, "EXPOSURE_SCHEME_", "range_parse vers:");
        /* Without err the status alone is reported. */
        CHECK(exposure_version_parse(n, "1.0", 3, &v, NULL) == EXPOSURE_STATUS_UNKNOWN_SCHEME && v == NULL, "version_parse without err");
    }
}

/* Every documented scheme number parses a version of its scheme and is given back by
 * exposure_version_scheme, exposure_range_scheme and exposure_scheme_from_name. */
static void every_scheme_number_round_trips(void) {
    static const struct {
        uint32_t number;
        const char *name;
        const char *version;
    } schemes[] = {
        {EXPOSURE_SCHEME_SEMVER, "semver", "1.0.0"},  {EXPOSURE_SCHEME_NPM, "npm", "1.0.0"},
        {EXPOSURE_SCHEME_CARGO, "cargo", "1.0.0"},    {EXPOSURE_SCHEME_GOLANG, "golang", "v1.0.0"},
        {EXPOSURE_SCHEME_PYPI, "pypi", "1.0"},        {EXPOSURE_SCHEME_DEB, "deb", "1:1.0-1"},
        {EXPOSURE_SCHEME_RPM, "rpm", "1.0-1"},        {EXPOSURE_SCHEME_ALPM, "alpm", "1.0-1"},
        {EXPOSURE_SCHEME_ALPINE, "alpine", "1.0-r0"}, {EXPOSURE_SCHEME_MAVEN, "maven", "1.0"},
        {EXPOSURE_SCHEME_NUGET, "nuget", "1.0.0"},    {EXPOSURE_SCHEME_GEM, "gem", "1.0"},
        {EXPOSURE_SCHEME_COMPOSER, "composer", "1.0"}, {EXPOSURE_SCHEME_HEX, "hex", "1.0.0"},
        {EXPOSURE_SCHEME_CONAN, "conan", "1.0"},      {EXPOSURE_SCHEME_OPENSSL, "openssl", "1.0.2k"},
        {EXPOSURE_SCHEME_GENERIC, "generic", "1.0"},  {EXPOSURE_SCHEME_INTDOT, "intdot", "1.0"},
        {EXPOSURE_SCHEME_LEXICOGRAPHIC, "lexicographic", "abc"},
        {EXPOSURE_SCHEME_DATETIME, "datetime", "2024-01-01T00:00:00Z"},
    };
    size_t i;
    CHECK(COUNT(schemes) == 20, "the header documents 20 schemes");
    for (i = 0; i < COUNT(schemes); i++) {
        exposure_version *v = NULL;
        exposure_error *err = NULL;
        exposure_scheme back = (exposure_scheme)99, named = (exposure_scheme)99;
        CHECK(schemes[i].number == (uint32_t)i, "%s is number %lu", schemes[i].name, (unsigned long)i);
        CHECK(exposure_version_parse(schemes[i].number, schemes[i].version, strlen(schemes[i].version), &v, &err) == EXPOSURE_STATUS_OK,
              "%s %s: %s", schemes[i].name, schemes[i].version, err ? exposure_error_message(err) : "");
        exposure_error_free(err);
        CHECK(exposure_version_scheme(v, &back, NULL) == EXPOSURE_STATUS_OK && back == schemes[i].number, "%s: version_scheme gives %u",
              schemes[i].name, (unsigned)back);
        CHECK(exposure_scheme_from_name(schemes[i].name, strlen(schemes[i].name), &named, NULL) == EXPOSURE_STATUS_OK && named == schemes[i].number,
              "%s: scheme_from_name gives %u", schemes[i].name, (unsigned)named);
        exposure_version_free(v);
    }
    {
        exposure_range *r = NULL;
        exposure_scheme back = (exposure_scheme)99;
        CHECK(exposure_range_parse(EXPOSURE_SCHEME_DEB, "vers:pypi/>=1.0", 15, &r, NULL) == EXPOSURE_STATUS_OK, "vers: range");
        CHECK(exposure_range_scheme(r, &back, NULL) == EXPOSURE_STATUS_OK && back == EXPOSURE_SCHEME_PYPI, "the vers: scheme wins: %u", (unsigned)back);
        exposure_range_free(r);
    }
}

static void unknown_binding_numbers(void) {
    exposure_cpe *c = NULL;
    const char *name = "cpe:2.3:a:openbsd:openssh:9.6:*:*:*:*:*:*:*";
    char buf[256];
    size_t i;
    uint32_t b;
    CHECK(exposure_cpe_parse(name, strlen(name), &c, NULL) == EXPOSURE_STATUS_OK, "parse");
    for (i = 0; i < COUNT(bad_bindings); i++) {
        size_t needed = 12345;
        CHECK(exposure_cpe_text(c, bad_bindings[i], (uint8_t *)buf, sizeof buf, &needed, NULL) == EXPOSURE_STATUS_CPE_BINDING,
              "binding %lu", (unsigned long)bad_bindings[i]);
        CHECK(needed == 12345, "nothing written for binding %lu", (unsigned long)bad_bindings[i]);
        CHECK(exposure_cpe_text(NULL, bad_bindings[i], (uint8_t *)buf, sizeof buf, &needed, NULL) == EXPOSURE_STATUS_NULL_ARGUMENT,
              "the handle is checked first");
    }
    for (b = EXPOSURE_CPE_BINDING_FS; b <= EXPOSURE_CPE_BINDING_WFN; b++) {
        size_t needed = 0;
        CHECK(exposure_cpe_text(c, b, (uint8_t *)buf, sizeof buf, &needed, NULL) == EXPOSURE_STATUS_OK && needed > 0, "binding %lu", (unsigned long)b);
    }
    exposure_cpe_free(c);
}

/* Every function with an `err` argument fills it on every failure, argument checks included. */
static void argument_checks_fill_err(void) {
    static const char bad_utf8[] = {'1', '.', (char)0xff};
    exposure_engine *engine = NULL;
    exposure_version *v = NULL;
    exposure_range *r = NULL;
    exposure_cpe *c = NULL;
    exposure_applicability *a = NULL;
    exposure_string *s = NULL;
    exposure_cvss_scores scores;
    exposure_error *err = NULL;
    bool inside = false;

    CHECK(exposure_version_parse(EXPOSURE_SCHEME_DEB, "1.0", 3, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "version_parse out");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`out`", "version_parse out");
    CHECK(exposure_version_parse(EXPOSURE_SCHEME_DEB, NULL, 3, &v, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && v == NULL, "version_parse text");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`text`", "version_parse text");
    CHECK(exposure_version_parse(EXPOSURE_SCHEME_DEB, bad_utf8, sizeof bad_utf8, &v, &err) == EXPOSURE_STATUS_INVALID_UTF8, "version_parse UTF-8");
    CHECK(err != NULL && exposure_error_offset(err) == 2, "the offset of the bad byte");
    expect_err(&err, EXPOSURE_STATUS_INVALID_UTF8, "not UTF-8", "version_parse UTF-8");

    CHECK(exposure_range_parse(EXPOSURE_SCHEME_NPM, ">=1", 3, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "range_parse out");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`out`", "range_parse out");
    CHECK(exposure_range_contains_str(NULL, "1.0.0", 5, &inside, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "contains_str r");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`r`", "contains_str r");
    CHECK(exposure_range_parse(EXPOSURE_SCHEME_NPM, ">=1.0.0", 7, &r, NULL) == EXPOSURE_STATUS_OK, "range");
    CHECK(exposure_range_contains_str(r, "1.0.0", 5, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "contains_str out");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`out`", "contains_str out");
    CHECK(exposure_range_contains_str(r, bad_utf8, sizeof bad_utf8, &inside, &err) == EXPOSURE_STATUS_INVALID_UTF8, "contains_str UTF-8");
    expect_err(&err, EXPOSURE_STATUS_INVALID_UTF8, "`version`", "contains_str UTF-8");
    exposure_range_free(r);

    CHECK(exposure_cpe_parse("cpe:/a:b:c", 10, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "cpe_parse out");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`out`", "cpe_parse out");
    CHECK(exposure_cpe_parse(NULL, 10, &c, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && c == NULL, "cpe_parse text");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`text`", "cpe_parse text");
    CHECK(exposure_applicability_from_json("[]", 2, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "applicability out");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`out`", "applicability out");
    CHECK(exposure_applicability_from_json(bad_utf8, sizeof bad_utf8, &a, &err) == EXPOSURE_STATUS_INVALID_UTF8 && a == NULL, "applicability UTF-8");
    expect_err(&err, EXPOSURE_STATUS_INVALID_UTF8, "`json`", "applicability UTF-8");
    CHECK(exposure_cpe_guess("a", 1, "b", 1, "1", 1, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "guess out");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`out`", "guess out");
    CHECK(exposure_cpe_guess("a", 1, NULL, 1, "1", 1, &s, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && s == NULL, "guess name");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`name`", "guess name");
    CHECK(exposure_engine_name_program(NULL, "a", 1, "b", 1, "1", 1, &s, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && s == NULL, "name_program engine");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`engine`", "name_program engine");

    CHECK(exposure_cvss_score("AV:N", 4, NULL, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "cvss out");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`out`", "cvss out");
    CHECK(exposure_cvss_score(NULL, 4, &scores, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "cvss vector");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`vector`", "cvss vector");

    CHECK(exposure_engine_load_path(NULL, "x", 1, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "load_path engine");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`engine`", "load_path engine");
    CHECK(exposure_engine_load_osv_path(NULL, "x", 1, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "load_osv_path engine");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`engine`", "load_osv_path engine");
    CHECK(exposure_engine_open(NULL, 1, &engine, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && engine == NULL, "open path");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`path`", "open path");
    CHECK(exposure_engine_open("x", 1, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "open out");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`out`", "open out");
    CHECK(exposure_engine_open(bad_utf8, sizeof bad_utf8, &engine, &err) == EXPOSURE_STATUS_INVALID_UTF8 && engine == NULL, "open UTF-8");
    expect_err(&err, EXPOSURE_STATUS_INVALID_UTF8, "`path`", "open UTF-8");
    CHECK(exposure_engine_save_snapshot(NULL, "x", 1, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "save_snapshot engine");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`engine`", "save_snapshot engine");
    CHECK(exposure_engine_assess_json(NULL, "{}", 2, &s, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && s == NULL, "assess engine");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`engine`", "assess engine");
    CHECK(exposure_engine_set_parameters_json(NULL, "{}", 2, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "set_parameters engine");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`engine`", "set_parameters engine");
    CHECK(exposure_engine_explain_json(NULL, "{}", 2, NULL, 0, &s, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && s == NULL, "explain engine");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`engine`", "explain engine");
    CHECK(exposure_engine_set_exceptions_text(NULL, "{}", 2, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "set_exceptions engine");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`engine`", "set_exceptions engine");
    CHECK(exposure_engine_assess_json_as_of(NULL, "{}", 2, "2026-01-01", 10, &s, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && s == NULL, "assess_as_of engine");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`engine`", "explain engine");
    CHECK(exposure_engine_new(&engine, NULL) == EXPOSURE_STATUS_OK, "engine");
    CHECK(exposure_engine_set_parameters_json(engine, NULL, 2, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "set_parameters json");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`json`", "set_parameters json");
    CHECK(exposure_engine_set_parameters_json(engine, bad_utf8, sizeof bad_utf8, &err) == EXPOSURE_STATUS_INVALID_UTF8, "set_parameters UTF-8");
    expect_err(&err, EXPOSURE_STATUS_INVALID_UTF8, "`json`", "set_parameters UTF-8");
    CHECK(exposure_engine_set_exceptions_text(engine, NULL, 2, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "set_exceptions text");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`text`", "set_exceptions text");
    CHECK(exposure_engine_assess_json_as_of(engine, "{}", 2, NULL, 10, &s, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && s == NULL, "assess_as_of day");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`as_of`", "assess_as_of day");
    CHECK(exposure_engine_explain_json(engine, "{}", 2, NULL, 0, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "explain out");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`out`", "explain out");
    CHECK(exposure_engine_explain_json(engine, NULL, 2, NULL, 0, &s, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && s == NULL, "explain inventory");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`inventory`", "explain inventory");
    CHECK(exposure_engine_explain_json(engine, "{}", 2, bad_utf8, sizeof bad_utf8, &s, &err) == EXPOSURE_STATUS_INVALID_UTF8 && s == NULL, "explain device UTF-8");
    expect_err(&err, EXPOSURE_STATUS_INVALID_UTF8, "`device_id`", "explain device UTF-8");
    CHECK(exposure_engine_load_path(engine, NULL, 1, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "load_path path");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`path`", "load_path path");
    CHECK(exposure_engine_load_osv_path(engine, bad_utf8, sizeof bad_utf8, NULL, &err) == EXPOSURE_STATUS_INVALID_UTF8, "load_osv_path UTF-8");
    expect_err(&err, EXPOSURE_STATUS_INVALID_UTF8, "`path`", "load_osv_path UTF-8");
    CHECK(exposure_engine_save_snapshot(engine, NULL, 1, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "save_snapshot path");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`path`", "save_snapshot path");
    CHECK(exposure_engine_assess_json(engine, "{}", 2, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "assess out");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`out`", "assess out");
    CHECK(exposure_engine_assess_json(engine, NULL, 2, &s, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && s == NULL, "assess inventory");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`inventory`", "assess inventory");

    /* The history layer (issue 14): records, diff, timeline, views, dashboard, remediation. */
    CHECK(exposure_engine_record(NULL, "{}", 2, NULL, 0, EXPOSURE_RECORD_FORMAT_JSON, &s, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && s == NULL, "record engine");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`engine`", "record engine");
    CHECK(exposure_engine_record(engine, "{}", 2, NULL, 0, EXPOSURE_RECORD_FORMAT_JSON, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "record out");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`out`", "record out");
    CHECK(exposure_engine_record(engine, NULL, 2, NULL, 0, EXPOSURE_RECORD_FORMAT_BINARY, &s, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && s == NULL, "record inventory");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`inventory`", "record inventory");
    CHECK(exposure_engine_record(engine, "{}", 2, bad_utf8, sizeof bad_utf8, EXPOSURE_RECORD_FORMAT_JSON, &s, &err) == EXPOSURE_STATUS_INVALID_UTF8, "record day UTF-8");
    expect_err(&err, EXPOSURE_STATUS_INVALID_UTF8, "`as_of`", "record day UTF-8");
    CHECK(exposure_record_diff_json((const uint8_t *)"{}", 2, NULL, 2, &s, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && s == NULL, "diff new_record");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`new_record`", "diff new_record");
    CHECK(exposure_record_diff_json((const uint8_t *)"{}", 2, (const uint8_t *)"{}", 2, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "diff out");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`out`", "diff out");
    CHECK(exposure_timeline_json(NULL, NULL, 1, NULL, 0, &s, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && s == NULL, "timeline records");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`records`", "timeline records");
    CHECK(exposure_timeline_json(NULL, NULL, 0, bad_utf8, sizeof bad_utf8, &s, &err) == EXPOSURE_STATUS_INVALID_UTF8, "timeline since UTF-8");
    expect_err(&err, EXPOSURE_STATUS_INVALID_UTF8, "`since`", "timeline since UTF-8");
    CHECK(exposure_record_view_json((const uint8_t *)"{}", 2, "devices", 7, NULL, 0, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "view out");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`out`", "view out");
    CHECK(exposure_record_view_json(NULL, 2, "devices", 7, NULL, 0, &s, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && s == NULL, "view record");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`record`", "view record");
    CHECK(exposure_record_view_json((const uint8_t *)"{}", 2, "devices", 7, bad_utf8, sizeof bad_utf8, &s, &err) == EXPOSURE_STATUS_INVALID_UTF8, "view group UTF-8");
    expect_err(&err, EXPOSURE_STATUS_INVALID_UTF8, "`group`", "view group UTF-8");
    CHECK(exposure_dashboard_json(NULL, NULL, 0, NULL, 0, 5, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "dashboard out");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`out`", "dashboard out");
    CHECK(exposure_dashboard_json(NULL, NULL, 2, NULL, 0, 5, &s, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && s == NULL, "dashboard records");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`records`", "dashboard records");
    CHECK(exposure_remediation_create_json(NULL, 2, "x", 1, "{}", 2, &s, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && s == NULL, "create record");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`record`", "create record");
    CHECK(exposure_remediation_create_json((const uint8_t *)"{}", 2, "x", 1, NULL, 2, &s, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && s == NULL, "create options");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`options_json`", "create options");
    CHECK(exposure_remediation_progress_json(NULL, 2, NULL, NULL, 0, &s, &err) == EXPOSURE_STATUS_NULL_ARGUMENT && s == NULL, "progress activity");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`activity_json`", "progress activity");
    CHECK(exposure_remediation_progress_json("{}", 2, NULL, NULL, 0, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "progress out");
    expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`out`", "progress out");
    /* Functions that gained `err` (ABI 2) and the assessment inputs (issue 15). */
    {
        exposure_inputs *in = NULL;
        exposure_scheme scheme;
        exposure_cpe_relation relation;
        size_t needed = 0;
        int order = 0;
        bool flag = false;
#define NULL_ARGUMENT(call, name)                                                 \
    do {                                                                     \
        CHECK((call) == EXPOSURE_STATUS_NULL_ARGUMENT, "%s", #call);          \
        expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`" name "`", #call); \
    } while (0)
        NULL_ARGUMENT(exposure_engine_new(NULL, &err), "out");
        NULL_ARGUMENT(exposure_engine_new_demo(NULL, &err), "out");
        NULL_ARGUMENT(exposure_model_default_json(NULL, &err), "out");
        NULL_ARGUMENT(exposure_demo_fleet_json(NULL, &err), "out");
        NULL_ARGUMENT(exposure_engine_assess_arrow(NULL, NULL, NULL, NULL, NULL, NULL, NULL, &err), "array");
        NULL_ARGUMENT(exposure_engine_load_osv_json(NULL, "[]", 2, "x", 1, NULL, &err), "engine");
        NULL_ARGUMENT(exposure_scheme_from_name("deb", 3, NULL, &err), "out");
        NULL_ARGUMENT(exposure_version_compare(NULL, NULL, &order, &err), "a");
        NULL_ARGUMENT(exposure_version_scheme(NULL, &scheme, &err), "v");
        NULL_ARGUMENT(exposure_version_text(NULL, NULL, 0, &needed, &err), "v");
        NULL_ARGUMENT(exposure_range_contains(NULL, NULL, &flag, &err), "r");
        NULL_ARGUMENT(exposure_range_scheme(NULL, &scheme, &err), "r");
        NULL_ARGUMENT(exposure_range_text(NULL, NULL, 0, &needed, &err), "r");
        NULL_ARGUMENT(exposure_cpe_text(NULL, 0, NULL, 0, &needed, &err), "c");
        NULL_ARGUMENT(exposure_cpe_compare(NULL, NULL, &relation, &err), "source");
        NULL_ARGUMENT(exposure_cpe_matches(NULL, NULL, &flag, &err), "source");
        NULL_ARGUMENT(exposure_applicability_evaluate(NULL, NULL, 0, &flag, NULL, &err), "a");
        NULL_ARGUMENT(exposure_inputs_new(NULL, &err), "out");
        NULL_ARGUMENT(exposure_engine_kb_metadata_json(NULL, &s, &err), "engine");
        NULL_ARGUMENT(exposure_engine_kb_age_json(NULL, 0, 60, &s, &err), "engine");
        NULL_ARGUMENT(exposure_kb_update(NULL, 6, NULL, 0, &s, &err), "snapshot");
        NULL_ARGUMENT(exposure_kb_update("kb.bin", 6, NULL, 0, NULL, &err), "summary");
        NULL_ARGUMENT(exposure_kb_update("kb.bin", 6, NULL, 2, &s, &err), "config_json");
        NULL_ARGUMENT(exposure_inputs_add_knowledge_path(NULL, "x", 1, &err), "inputs");
        NULL_ARGUMENT(exposure_inputs_add_inventory_path(NULL, "x", 1, &err), "inputs");
        NULL_ARGUMENT(exposure_inputs_add_inventory(NULL, (const uint8_t *)"{}", 2, "x", 1, &err), "inputs");
        NULL_ARGUMENT(exposure_inputs_set_demo(NULL, true, &err), "inputs");
        NULL_ARGUMENT(exposure_inputs_set_distro(NULL, "debian-12", 9, &err), "inputs");
        NULL_ARGUMENT(exposure_inputs_set_os_release_path(NULL, "x", 1, &err), "inputs");
        NULL_ARGUMENT(exposure_inputs_set_os_release(NULL, "ID=debian", 9, &err), "inputs");
        NULL_ARGUMENT(exposure_inputs_set_cpe_dictionary_path(NULL, "x", 1, &err), "inputs");
        NULL_ARGUMENT(exposure_inputs_set_allow_partial(NULL, true, &err), "inputs");
        NULL_ARGUMENT(exposure_inputs_set_as_of(NULL, NULL, 0, &err), "inputs");
        NULL_ARGUMENT(exposure_inputs_set_parameters_json(NULL, NULL, 0, &err), "inputs");
        NULL_ARGUMENT(exposure_inputs_set_exceptions_text(NULL, NULL, 0, &err), "inputs");
        NULL_ARGUMENT(exposure_inputs_set_input_limit(NULL, 1, &err), "inputs");
        NULL_ARGUMENT(exposure_inputs_assess_json(NULL, &s, &err), "inputs");
        NULL_ARGUMENT(exposure_inputs_report(NULL, "csv", 3, &s, &err), "inputs");
        NULL_ARGUMENT(exposure_inputs_add_rootfs_path(NULL, "x", 1, &err), "inputs");
        NULL_ARGUMENT(exposure_inputs_record(NULL, 0, &s, &err), "inputs");
        NULL_ARGUMENT(exposure_engine_assess_inputs_json(engine, NULL, &s, &err), "inputs");
        CHECK(exposure_inputs_new(&in, NULL) == EXPOSURE_STATUS_OK, "inputs");
        NULL_ARGUMENT(exposure_inputs_add_inventory(in, NULL, 2, "x", 1, &err), "bytes");
        NULL_ARGUMENT(exposure_inputs_assess_json(in, NULL, &err), "out");
        NULL_ARGUMENT(exposure_inputs_report(in, NULL, 3, &s, &err), "format");
        CHECK(exposure_inputs_add_inventory_path(in, bad_utf8, sizeof bad_utf8, &err) == EXPOSURE_STATUS_INVALID_UTF8, "inventory path UTF-8");
        expect_err(&err, EXPOSURE_STATUS_INVALID_UTF8, "`path`", "inventory path UTF-8");
        CHECK(s == NULL, "no output on failure");
        exposure_inputs_free(in);
#undef NULL_ARGUMENT
    }
    exposure_engine_free(engine);
}

/* exposure_engine_record's format is a uint32_t: numbers no EXPOSURE_RECORD_FORMAT_* names
 * give EXPOSURE_STATUS_INVALID_ARGUMENT with a message naming the constants. */
static void unknown_record_formats(void) {
    static const uint32_t bad_formats[] = {2, 99, UINT32_MAX, (uint32_t)-1};
    exposure_engine *engine = NULL;
    exposure_string *fleet = NULL;
    size_t i;
    CHECK(EXPOSURE_RECORD_FORMAT_JSON == 0 && EXPOSURE_RECORD_FORMAT_BINARY == 1, "record format numbers");
    CHECK(exposure_engine_new_demo(&engine, NULL) == EXPOSURE_STATUS_OK, "engine");
    CHECK(exposure_demo_fleet_json(&fleet, NULL) == EXPOSURE_STATUS_OK, "demo fleet");
    for (i = 0; i < COUNT(bad_formats); i++) {
        exposure_string *s = NULL;
        exposure_error *err = NULL;
        CHECK(exposure_engine_record(engine, exposure_string_ptr(fleet), exposure_string_len(fleet), NULL, 0, bad_formats[i], &s, &err) ==
                      EXPOSURE_STATUS_INVALID_ARGUMENT &&
                  s == NULL,
              "record format %lu", (unsigned long)bad_formats[i]);
        expect_err(&err, EXPOSURE_STATUS_INVALID_ARGUMENT, "EXPOSURE_RECORD_FORMAT_", "record format");
    }
    exposure_string_free(fleet);
    exposure_engine_free(engine);
}

/* Status numbers are ABI: the ones added for issue 11, and their neighbours, pinned. */
static void status_numbers(void) {
    CHECK(EXPOSURE_STATUS_SERIALIZATION == 5 && EXPOSURE_STATUS_INVALID_ARGUMENT == 6, "general block");
    CHECK(EXPOSURE_STATUS_INVALID_PARAMETERS == 9 && EXPOSURE_STATUS_UNKNOWN_DEVICE == 10, "issue 13's statuses");
    CHECK(EXPOSURE_STATUS_INVALID_EXCEPTIONS == 11 && EXPOSURE_STATUS_INVALID_DATE == 12, "issue 14's statuses");
    CHECK(EXPOSURE_STATUS_UNKNOWN_SCHEME == 1007 && EXPOSURE_STATUS_VERSION_OTHER == 1999, "version block");
    CHECK(EXPOSURE_STATUS_RANGE_VERSION == 2002 && EXPOSURE_STATUS_RANGE_OTHER == 2999, "range block");
    CHECK(EXPOSURE_STATUS_CPE_BINDING == 3006 && EXPOSURE_STATUS_CONFIGURATION_INVALID == 3100 && EXPOSURE_STATUS_CPE_OTHER == 3999, "CPE block");
    CHECK(EXPOSURE_STATUS_CVSS_MISSING_METRIC == 4005 && EXPOSURE_STATUS_CVSS_OTHER == 4999, "CVSS block");
    CHECK(EXPOSURE_STATUS_KB_SNAPSHOT == 5001 && EXPOSURE_STATUS_KB_OTHER == 5999, "knowledge-base block");
    CHECK(EXPOSURE_STATUS_INVENTORY_MALFORMED == 6003 && EXPOSURE_STATUS_INVENTORY_OTHER == 6999, "inventory block");
    CHECK(EXPOSURE_STATUS_RECORD_INVALID == 7000 && EXPOSURE_STATUS_RECORD_TRUNCATED == 7002 && EXPOSURE_STATUS_RECORD_NO_FLEET == 7005,
          "record block");
    CHECK(EXPOSURE_STATUS_UNKNOWN_VIEW == 7100 && EXPOSURE_STATUS_REMEDIATION_INVALID == 7200 &&
              EXPOSURE_STATUS_UNKNOWN_RECOMMENDATION == 7201 && EXPOSURE_STATUS_REMEDIATION_EXPORT == 7204 &&
              EXPOSURE_STATUS_HISTORY_OTHER == 7999,
          "views and remediation");
}

int main(void) {
    unknown_scheme_numbers();
    every_scheme_number_round_trips();
    unknown_binding_numbers();
    argument_checks_fill_err();
    unknown_record_formats();
    status_numbers();
    printf("enums.c: %d checks passed, %d failed\n", passes, failures);
    return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
