/* Exceptions through the C ABI: a set given as YAML text, applied as of a day; a refused set
 * with its status and message; removing them. Built with -std=c99 -Wall -Wextra -Werror
 * -pedantic under ASan/UBSan by scripts/test: every string and error is freed. */
#include "exposure.h"
#include "check.h"

#include <string.h>

static const char *SET =
    "format: exposure-exceptions/1\n"
    "exceptions:\n"
    "  - id: EXC-1\n"
    "    scope: {vulnerability: CVE-2023-39325}\n"
    "    groups: [production]\n"
    "    justification: third_party_control\n"
    "    requester: noor\n"
    "    reason: the CDN terminates HTTP/2\n"
    "    created: 2026-11-03\n"
    "    expires: 2027-03-31\n"
    "  - id: EXC-2\n"
    "    scope: {recommendation: 'update:npm:lodash'}\n"
    "    justification: planned_remediation\n"
    "    requester: priya\n"
    "    reason: toolchain upgrade in February\n"
    "    created: 2026-11-20\n";

/* The assessment of the demo fleet as of `day` (NULL: without one), or NULL. */
static exposure_string *assess(const exposure_engine *engine, const char *day) {
    exposure_string *fleet = NULL;
    exposure_string *out = NULL;
    exposure_status st;
    CHECK(exposure_demo_fleet_json(&fleet, NULL) == EXPOSURE_STATUS_OK, "demo fleet");
    if (day == NULL) {
        st = exposure_engine_assess_json(engine, exposure_string_ptr(fleet), exposure_string_len(fleet), &out, NULL);
    } else {
        st = exposure_engine_assess_json_as_of(engine, exposure_string_ptr(fleet), exposure_string_len(fleet), day,
                                               strlen(day), &out, NULL);
    }
    CHECK(st == EXPOSURE_STATUS_OK, "assess: status %u", (unsigned)st);
    exposure_string_free(fleet);
    return out;
}

static int has(const exposure_string *s, const char *needle) {
    return s != NULL && strstr(exposure_string_ptr(s), needle) != NULL;
}

int main(void) {
    exposure_engine *engine = NULL;
    exposure_error *err = NULL;
    exposure_string *out = NULL;
    static const char bad[] = "format: exposure-exceptions/1\nexceptions:\n"
                              "  - {id: a, scope: {cve: X}, justification: because, requester: r, reason: x, created: 2026-01-01}\n";

    CHECK(exposure_engine_new_demo(&engine, NULL) == EXPOSURE_STATUS_OK, "engine");
    CHECK(exposure_engine_set_exceptions_text(engine, SET, strlen(SET), &err) == EXPOSURE_STATUS_OK && err == NULL,
          "set exceptions");

    /* In force on the day: the finding removed with its exception, the update hidden. */
    out = assess(engine, "2027-03-31");
    CHECK(has(out, "\"exception\":{\"id\":\"EXC-1\",\"justification\":\"third_party_control\"}"), "suppressed by EXC-1");
    CHECK(has(out, "\"excepted_recommendations\":[{\"exceptions\":[\"EXC-2\"]"), "hidden by EXC-2");
    CHECK(has(out, "\"id\":\"EXC-1\",\"justification\":\"third_party_control\",\"status\":\"applied\""), "EXC-1 applied");
    exposure_string_free(out);

    /* The day after its expiry, EXC-1 no longer applies; without a day it is not judged. */
    out = assess(engine, "2027-04-01");
    CHECK(has(out, "\"id\":\"EXC-1\",\"justification\":\"third_party_control\",\"status\":\"expired\""), "EXC-1 expired");
    exposure_string_free(out);
    out = assess(engine, NULL);
    CHECK(has(out, "\"status\":\"not_judged\""), "EXC-1 not judged");
    CHECK(has(out, "\"id\":\"EXC-2\",\"justification\":\"planned_remediation\",\"status\":\"applied\""), "EXC-2 applied");
    exposure_string_free(out);

    /* A bad day. */
    {
        exposure_string *fleet = NULL;
        out = NULL;
        CHECK(exposure_demo_fleet_json(&fleet, NULL) == EXPOSURE_STATUS_OK, "demo fleet");
        CHECK(exposure_engine_assess_json_as_of(engine, exposure_string_ptr(fleet), exposure_string_len(fleet),
                                                "2026-02-30", 10, &out, &err) == EXPOSURE_STATUS_INVALID_DATE &&
                  out == NULL,
              "invalid date");
        CHECK(err != NULL && exposure_error_status(err) == EXPOSURE_STATUS_INVALID_DATE, "date error filled");
        exposure_error_free(err);
        err = NULL;
        exposure_string_free(fleet);
    }

    /* A refused set: its status and message, and the engine keeps the set it had. */
    CHECK(exposure_engine_set_exceptions_text(engine, bad, sizeof bad - 1, &err) == EXPOSURE_STATUS_INVALID_EXCEPTIONS,
          "invalid exceptions");
    CHECK(err != NULL && strstr(exposure_error_message(err), "exception \"a\" (exceptions[0].justification)") != NULL,
          "message names the exception: %s", err != NULL ? exposure_error_message(err) : "(none)");
    exposure_error_free(err);
    err = NULL;
    out = assess(engine, "2027-03-31");
    CHECK(has(out, "\"EXC-1\""), "the earlier set stays");
    exposure_string_free(out);

    /* Length 0 removes them. */
    CHECK(exposure_engine_set_exceptions_text(engine, NULL, 0, &err) == EXPOSURE_STATUS_OK, "remove exceptions");
    out = assess(engine, "2027-03-31");
    CHECK(!has(out, "\"exceptions\":[{"), "no exceptions reported");
    CHECK(!has(out, "excepted_recommendations"), "nothing hidden");
    exposure_string_free(out);

    exposure_engine_free(engine);
    printf("exceptions.c: %d checks passed, %d failed\n", passes, failures);
    return failures == 0 ? 0 : 1;
}
