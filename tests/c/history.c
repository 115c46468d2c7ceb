/* Assessment history through the C ABI: the demo fleet recorded on three days (JSON and
 * binary records; the exceptions of examples/exceptions.yaml set before the second), the
 * diff and events of two records, the timeline over three, every view, the dashboard, a
 * remediation activity created and followed; and the failures: a truncated and a corrupted
 * binary record, an unknown view, an unknown recommendation, bad numbers and days, NULL
 * arguments. Run from the repository root. Built with -std=c99 -Wall -Wextra -Werror -pedantic
 * under ASan/UBSan by scripts/test: every string and error is freed. */
#include "exposure.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The whole file at `path` as a NUL-terminated buffer the caller frees, its length in *len. */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long size;
    if (f == NULL) return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)size + 1);
        if (buf != NULL) {
            *len = fread(buf, 1, (size_t)size, f);
            buf[*len] = '\0';
        }
    }
    fclose(f);
    return buf;
}

static int has(const exposure_string *s, const char *needle) {
    return s != NULL && strstr(exposure_string_ptr(s), needle) != NULL;
}

static const uint8_t *bytes(const exposure_string *s) { return (const uint8_t *)exposure_string_ptr(s); }

/* Checks that `err` holds `status` with `needle` in its message, frees it, resets it. */
static void expect_err(exposure_error **err, exposure_status status, const char *needle, const char *what) {
    const char *message = *err ? exposure_error_message(*err) : NULL;
    CHECK(*err != NULL && exposure_error_status(*err) == status, "%s: err status %u, expected %u", what,
          *err ? (unsigned)exposure_error_status(*err) : 0u, (unsigned)status);
    CHECK(message != NULL && strstr(message, needle) != NULL, "%s: message %s lacks %s", what, message ? message : "(none)", needle);
    exposure_error_free(*err);
    *err = NULL;
}

/* The record of the demo fleet as of `day` in `format`, or NULL. */
static exposure_string *record(const exposure_engine *engine, const exposure_string *fleet, const char *day, uint32_t format) {
    exposure_string *out = NULL;
    exposure_error *err = NULL;
    exposure_status st = exposure_engine_record(engine, exposure_string_ptr(fleet), exposure_string_len(fleet), day,
                                                day ? strlen(day) : 0, format, &out, &err);
    CHECK(st == EXPOSURE_STATUS_OK && err == NULL, "record %s: status %u %s", day ? day : "(no day)", (unsigned)st,
          err ? exposure_error_message(err) : "");
    exposure_error_free(err);
    return out;
}

int main(void) {
    exposure_engine *engine = NULL;
    exposure_string *fleet = NULL, *r1 = NULL, *r1_binary = NULL, *r2 = NULL, *r3 = NULL, *out = NULL;
    exposure_string *activity = NULL;
    exposure_error *err = NULL;
    char *exceptions = NULL;
    size_t exceptions_len = 0, i;
    static const char *const view_names[] = {"software", "weaknesses", "devices", "recommendations"};
    static const char options[] = "{\"id\": \"T-1\", \"created\": \"2026-11-01\", \"due\": \"2026-11-20\", "
                                  "\"priority\": \"high\", \"note\": \"patch the build host\", \"groups\": [\"engineering\"]}";
    static const char due_early[] = "{\"id\": \"T-3\", \"created\": \"2026-11-01\", \"due\": \"2026-10-01\"}";
    static const char off_target[] = "{\"id\": \"T-4\", \"created\": \"2026-11-01\", \"groups\": [\"web\"]}";

    CHECK(exposure_engine_new_demo(&engine, NULL) == EXPOSURE_STATUS_OK, "engine");
    CHECK(exposure_demo_fleet_json(&fleet, NULL) == EXPOSURE_STATUS_OK, "demo fleet");

    /* Records: JSON and binary of the same assessment, then the exceptions, two more days. */
    r1 = record(engine, fleet, "2026-11-01", EXPOSURE_RECORD_FORMAT_JSON);
    CHECK(has(r1, "\"format\":\"exposure-record/1\""), "a JSON record names its format");
    CHECK(r1 != NULL && strlen(exposure_string_ptr(r1)) == exposure_string_len(r1), "JSON holds no NUL");
    r1_binary = record(engine, fleet, "2026-11-01", EXPOSURE_RECORD_FORMAT_BINARY);
    CHECK(r1_binary != NULL && exposure_string_len(r1_binary) > 12 && memcmp(bytes(r1_binary), "EXPOSURE-REC", 12) == 0,
          "a binary record starts with its magic");
    CHECK(r1_binary != NULL && exposure_string_len(r1_binary) < exposure_string_len(r1), "binary is more compact than JSON");
    CHECK(r1_binary != NULL && memchr(bytes(r1_binary), '\0', exposure_string_len(r1_binary)) != NULL,
          "a binary record holds NUL bytes: its length comes from exposure_string_len");
    exceptions = read_file("examples/exceptions.yaml", &exceptions_len);
    CHECK(exceptions != NULL, "examples/exceptions.yaml (run from the repository root)");
    CHECK(exposure_engine_set_exceptions_text(engine, exceptions, exceptions_len, &err) == EXPOSURE_STATUS_OK && err == NULL,
          "set exceptions");
    r2 = record(engine, fleet, "2026-12-01", EXPOSURE_RECORD_FORMAT_BINARY);
    r3 = record(engine, fleet, "2027-04-01", EXPOSURE_RECORD_FORMAT_JSON);
    CHECK(has(r3, "\"status\":\"expired\""), "by 2027-04-01 an exception has expired");
    CHECK(r1 && r1_binary && r2 && r3, "four records");
    if (!(r1 && r1_binary && r2 && r3)) goto done;

    /* Diff and events: the same assessment in both forms has none; the exceptions make some. */
    CHECK(exposure_record_diff_json(bytes(r1), exposure_string_len(r1), bytes(r1_binary), exposure_string_len(r1_binary), &out,
                                    &err) == EXPOSURE_STATUS_OK,
          "diff JSON against binary");
    CHECK(has(out, "{\"diff\":{") && has(out, "\"events\":[]}"), "no event between equal records: %s",
          out ? exposure_string_ptr(out) : "");
    exposure_string_free(out);
    out = NULL;
    CHECK(exposure_record_diff_json(bytes(r1_binary), exposure_string_len(r1_binary), bytes(r2), exposure_string_len(r2), &out,
                                    &err) == EXPOSURE_STATUS_OK,
          "diff binary against binary");
    CHECK(has(out, "{\"diff\":{") && has(out, "\"events\":[{") && has(out, "\"kind\":\"exposure_score_change\""),
          "events between the records: %.400s", out ? exposure_string_ptr(out) : "");
    CHECK(has(out, "\"date\":\"2026-12-01\""), "events dated by the newer record");
    exposure_string_free(out);
    out = NULL;

    {
        const uint8_t *records[3];
        size_t lens[3];
        records[0] = bytes(r1);
        lens[0] = exposure_string_len(r1);
        records[1] = bytes(r2);
        lens[1] = exposure_string_len(r2);
        records[2] = bytes(r3);
        lens[2] = exposure_string_len(r3);

        /* Timeline over three records, then since the third's day only. */
        CHECK(exposure_timeline_json(records, lens, 3, NULL, 0, &out, &err) == EXPOSURE_STATUS_OK, "timeline");
        CHECK(has(out, "{\"events\":[{") && has(out, "\"date\":\"2026-12-01\"") && has(out, "\"date\":\"2027-04-01\""),
              "a timeline of both pairs: %.300s", out ? exposure_string_ptr(out) : "");
        exposure_string_free(out);
        out = NULL;
        CHECK(exposure_timeline_json(records, lens, 3, "2027-01-01", 10, &out, &err) == EXPOSURE_STATUS_OK, "timeline since");
        CHECK(has(out, "\"date\":\"2027-04-01\"") && !has(out, "\"date\":\"2026-12-01\""), "since leaves earlier events out");
        exposure_string_free(out);
        out = NULL;
        CHECK(exposure_timeline_json(NULL, NULL, 0, NULL, 0, &out, &err) == EXPOSURE_STATUS_OK && has(out, "{\"events\":[]}"),
              "no records, no events");
        exposure_string_free(out);
        out = NULL;
        CHECK(exposure_timeline_json(records, lens, 3, "2027-02-30", 10, &out, &err) == EXPOSURE_STATUS_INVALID_DATE && out == NULL,
              "timeline since a day that does not exist");
        expect_err(&err, EXPOSURE_STATUS_INVALID_DATE, "2027-02-30", "timeline since");

        /* Every view, of every device and of one group. */
        for (i = 0; i < COUNT(view_names); i++) {
            const char *name = view_names[i];
            CHECK(exposure_record_view_json(records[1], lens[1], name, strlen(name), NULL, 0, &out, &err) == EXPOSURE_STATUS_OK,
                  "view %s", name);
            CHECK(out != NULL && exposure_string_ptr(out)[0] == '[' && has(out, "[{"), "view %s has rows", name);
            exposure_string_free(out);
            out = NULL;
            CHECK(exposure_record_view_json(records[0], lens[0], name, strlen(name), "engineering", 11, &out, &err) == EXPOSURE_STATUS_OK,
                  "view %s of group engineering", name);
            CHECK(out != NULL && exposure_string_ptr(out)[0] == '[', "view %s of a group", name);
            exposure_string_free(out);
            out = NULL;
        }
        CHECK(exposure_record_view_json(records[0], lens[0], "devices", 7, "engineering", 11, &out, &err) == EXPOSURE_STATUS_OK &&
                  has(out, "\"id\":\"build-01\"") && !has(out, "\"id\":\"api-gw-01\""),
              "the devices of group engineering");
        exposure_string_free(out);
        out = NULL;
        CHECK(exposure_record_view_json(records[0], lens[0], "vulnerabilities", 15, NULL, 0, &out, &err) == EXPOSURE_STATUS_UNKNOWN_VIEW &&
                  out == NULL,
              "unknown view");
        expect_err(&err, EXPOSURE_STATUS_UNKNOWN_VIEW, "\"vulnerabilities\"", "unknown view");

        /* Dashboard over the history, and of one group. */
        CHECK(exposure_dashboard_json(records, lens, 3, NULL, 0, 3, &out, &err) == EXPOSURE_STATUS_OK, "dashboard");
        CHECK(has(out, "\"trend\":[{") && has(out, "\"as_of\":\"2027-04-01\"") && has(out, "\"top_recommendations\":[{") &&
                  has(out, "\"distribution\":{"),
              "dashboard figures: %.300s", out ? exposure_string_ptr(out) : "");
        exposure_string_free(out);
        out = NULL;
        CHECK(exposure_dashboard_json(records, lens, 3, "production", 10, 1, &out, &err) == EXPOSURE_STATUS_OK && has(out, "\"group\":\"production\""),
              "dashboard of a group");
        exposure_string_free(out);
        out = NULL;
        CHECK(exposure_dashboard_json(NULL, NULL, 0, NULL, 0, 3, &out, &err) == EXPOSURE_STATUS_OK && has(out, "\"score\":0"),
              "empty dashboard");
        exposure_string_free(out);
        out = NULL;

        /* Remediation: created on the first record, followed over the three. */
        CHECK(exposure_remediation_create_json(records[0], lens[0], "update:npm:lodash", 17, options, strlen(options), &activity, &err) ==
                  EXPOSURE_STATUS_OK,
              "create activity");
        if (err != NULL) {
        fprintf(stderr, "create: %s\n", exposure_error_message(err));
        exposure_error_free(err);
        err = NULL;
    }
    CHECK(has(activity, "\"id\":\"T-1\"") && has(activity, "\"devices\":[\"build-01\"]") && has(activity, "\"priority\":\"high\"") &&
                  has(activity, "\"baseline\":[{"),
              "the activity: %s", activity ? exposure_string_ptr(activity) : "");
        if (activity != NULL) {
            CHECK(exposure_remediation_progress_json(exposure_string_ptr(activity), exposure_string_len(activity), records, lens, 3, &out,
                                                     &err) == EXPOSURE_STATUS_OK,
                  "progress");
            CHECK(has(out, "{\"activities\":[{\"id\":\"T-1\",\"points\":[{") && has(out, "\"regressions\":[") &&
                      has(out, "\"overview\":{\"activities\":1"),
                  "progress: %.400s", out ? exposure_string_ptr(out) : "");
            exposure_string_free(out);
            out = NULL;
            CHECK(exposure_remediation_progress_json(exposure_string_ptr(activity), exposure_string_len(activity), records, lens, 0, &out,
                                                     &err) == EXPOSURE_STATUS_INVALID_ARGUMENT && out == NULL,
                  "progress without records");
            expect_err(&err, EXPOSURE_STATUS_INVALID_ARGUMENT, "`count`", "progress without records");
        }
        CHECK(exposure_remediation_progress_json("{\"id\": 1}", 9, records, lens, 3, &out, &err) == EXPOSURE_STATUS_REMEDIATION_INVALID,
              "an activity that does not read");
        expect_err(&err, EXPOSURE_STATUS_REMEDIATION_INVALID, "`activity_json`", "bad activity");
        CHECK(exposure_remediation_create_json(records[0], lens[0], "update:npm:lodahs", 17, options, strlen(options), &out, &err) ==
                      EXPOSURE_STATUS_UNKNOWN_RECOMMENDATION &&
                  out == NULL,
              "unknown recommendation");
        expect_err(&err, EXPOSURE_STATUS_UNKNOWN_RECOMMENDATION, "update:npm:lodash", "unknown recommendation");
        CHECK(exposure_remediation_create_json(records[0], lens[0], "update:npm:lodash", 17, "{\"id\": \"T-2\"}", 13, &out, &err) ==
                  EXPOSURE_STATUS_REMEDIATION_INVALID,
              "options without a creation day");
        expect_err(&err, EXPOSURE_STATUS_REMEDIATION_INVALID, "created", "options without created");
        CHECK(exposure_remediation_create_json(records[0], lens[0], "update:npm:lodash", 17,
                                               due_early, strlen(due_early), &out,
                                               &err) == EXPOSURE_STATUS_REMEDIATION_DUE_BEFORE_CREATION,
              "due before created");
        expect_err(&err, EXPOSURE_STATUS_REMEDIATION_DUE_BEFORE_CREATION, "2026-10-01", "due before created");
        CHECK(exposure_remediation_create_json(records[0], lens[0], "update:npm:lodash", 17,
                                               off_target, strlen(off_target), &out,
                                               &err) == EXPOSURE_STATUS_REMEDIATION_NO_TARGETED_DEVICE,
              "targets outside the recommendation");
        expect_err(&err, EXPOSURE_STATUS_REMEDIATION_NO_TARGETED_DEVICE, "web", "no targeted device");
    }

    /* Damaged records. */
    {
        size_t len = exposure_string_len(r2);
        uint8_t *copy = malloc(len);
        CHECK(copy != NULL, "malloc");
        if (copy != NULL) {
            memcpy(copy, bytes(r2), len);
            CHECK(exposure_record_diff_json(bytes(r1), exposure_string_len(r1), copy, len - 5, &out, &err) == EXPOSURE_STATUS_RECORD_TRUNCATED &&
                      out == NULL,
                  "truncated binary record");
            expect_err(&err, EXPOSURE_STATUS_RECORD_TRUNCATED, "`new_record`: binary assessment record truncated", "truncated");
            copy[len - 1] ^= 0x55;
            CHECK(exposure_record_view_json(copy, len, "software", 8, NULL, 0, &out, &err) == EXPOSURE_STATUS_RECORD_CORRUPTED,
                  "corrupted binary record");
            expect_err(&err, EXPOSURE_STATUS_RECORD_CORRUPTED, "checksum", "corrupted");
            free(copy);
        }
        CHECK(exposure_record_view_json((const uint8_t *)"{}", 2, "software", 8, NULL, 0, &out, &err) == EXPOSURE_STATUS_RECORD_INVALID,
              "not a record");
        expect_err(&err, EXPOSURE_STATUS_RECORD_INVALID, "`record`", "not a record");
        CHECK(exposure_record_view_json((const uint8_t *)"{\"format\":\"exposure-record/9\"}", 30, "software", 8, NULL, 0, &out, &err) ==
                  EXPOSURE_STATUS_RECORD_FORMAT,
              "a newer record format");
        expect_err(&err, EXPOSURE_STATUS_RECORD_FORMAT, "exposure-record/9", "newer format");
        CHECK(exposure_engine_record(engine, exposure_string_ptr(fleet), exposure_string_len(fleet), NULL, 0, 2, &out, &err) ==
                      EXPOSURE_STATUS_INVALID_ARGUMENT &&
                  out == NULL,
              "unknown record format number");
        expect_err(&err, EXPOSURE_STATUS_INVALID_ARGUMENT, "EXPOSURE_RECORD_FORMAT_", "format number");
        CHECK(exposure_engine_record(engine, exposure_string_ptr(fleet), exposure_string_len(fleet), "2026-13-01", 10,
                                     EXPOSURE_RECORD_FORMAT_JSON, &out, &err) == EXPOSURE_STATUS_INVALID_DATE,
              "record on a day that does not exist");
        expect_err(&err, EXPOSURE_STATUS_INVALID_DATE, "2026-13-01", "record day");
    }

    /* NULL arguments: each reported, with its name. */
    {
        const uint8_t *records[2];
        size_t lens[2];
        records[0] = bytes(r1);
        lens[0] = exposure_string_len(r1);
        records[1] = NULL;
        lens[1] = 10;
        CHECK(exposure_timeline_json(records, lens, 2, NULL, 0, &out, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "a NULL record");
        expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`records[1]`", "NULL record");
        CHECK(exposure_dashboard_json(records, NULL, 2, NULL, 0, 3, &out, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "NULL lens");
        expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`lens`", "NULL lens");
        CHECK(exposure_record_diff_json(NULL, 3, bytes(r1), lens[0], &out, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "NULL old record");
        expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`old_record`", "NULL old record");
        CHECK(exposure_record_view_json(bytes(r1), lens[0], NULL, 3, NULL, 0, &out, &err) == EXPOSURE_STATUS_NULL_ARGUMENT, "NULL view");
        expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`view`", "NULL view");
        CHECK(exposure_remediation_create_json(bytes(r1), lens[0], NULL, 3, options, strlen(options), &out, &err) ==
                  EXPOSURE_STATUS_NULL_ARGUMENT,
              "NULL recommendation");
        expect_err(&err, EXPOSURE_STATUS_NULL_ARGUMENT, "`recommendation_id`", "NULL recommendation");
        CHECK(exposure_engine_record(NULL, "{}", 2, NULL, 0, 0, &out, NULL) == EXPOSURE_STATUS_NULL_ARGUMENT && out == NULL,
              "NULL engine without err");
    }

done:
    free(exceptions);
    exposure_string_free(activity);
    exposure_string_free(r1);
    exposure_string_free(r1_binary);
    exposure_string_free(r2);
    exposure_string_free(r3);
    exposure_string_free(fleet);
    exposure_engine_free(engine);
    printf("history.c: %d checks passed, %d failed\n", passes, failures);
    return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
