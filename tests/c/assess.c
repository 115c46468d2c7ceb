/* End-to-end test of the C ABI: demo engine, assessment JSON, error paths, ownership.
 * Built with -std=c99 -Wall -Wextra -Werror -pedantic and AddressSanitizer/UBSan by
 * scripts/test, so every leak or misuse of the documented ownership fails the test. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen, close */
#include "exposure.h"
#include <unistd.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
static int passes = 0;

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (cond) {                                                              \
            passes++;                                                            \
        } else {                                                                 \
            failures++;                                                          \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                        \
    } while (0)

static const char *text(const exposure_string *s) { return exposure_string_ptr(s); }

static void test_version(void) {
    CHECK(exposure_library_version() != NULL);
    CHECK(strcmp(exposure_library_version(), "0.1.0") == 0);
    CHECK(exposure_abi_version() == EXPOSURE_ABI_VERSION);
}

static void test_demo_assessment(void) {
    exposure_engine *engine = NULL;
    exposure_string *fleet = NULL;
    exposure_string *out = NULL;
    exposure_error *err = NULL;
    CHECK(exposure_engine_new_demo(&engine, NULL) == EXPOSURE_STATUS_OK);
    CHECK(exposure_engine_advisory_count(engine) == 10);
    CHECK(exposure_demo_fleet_json(&fleet, NULL) == EXPOSURE_STATUS_OK);
    CHECK(exposure_string_len(fleet) == strlen(text(fleet)));
    CHECK(exposure_engine_assess_json(engine, text(fleet), exposure_string_len(fleet), &out, &err) ==
          EXPOSURE_STATUS_OK);
    CHECK(err == NULL);
    CHECK(out != NULL);
    if (out != NULL) {
        const char *json = text(out);
        CHECK(strstr(json, "\"organisation\":{\"score\":") != NULL);
        CHECK(strstr(json, "\"devices\":5,\"vulnerable_devices\":5,\"findings\":11") != NULL);
        CHECK(strstr(json, "\"advisory_id\":\"GO-2023-2102\"") != NULL);
        CHECK(strstr(json, "\"text\":\"update golang.org/x/net (Go) to 0.17.0\"") != NULL);
        CHECK(strstr(json, "\"rank\":1") != NULL);
        /* The secure configuration section: the demo devices report checks. */
        CHECK(strstr(json, "\"configuration\":{\"organisation\":66.15") != NULL);
        CHECK(strstr(json, "\"rank\":1,\"check_id\":\"gw-http2-disabled\"") != NULL);
        CHECK(strstr(json, "\"configuration_impact\":") != NULL);
        CHECK(strstr(json, "\"internet_facing\":") == NULL); /* inputs are not echoed (the rule of that name is) */
    }
    exposure_string_free(out);
    out = NULL;
    /* The knowledge base's metadata and age: the demo's sources are dated (OSV `published`),
       so at a fixed "now" its age is known and, with a day allowed, a warning. */
    CHECK(exposure_engine_kb_metadata_json(engine, &out, NULL) == EXPOSURE_STATUS_OK);
    if (out != NULL) {
        CHECK(strstr(text(out), "\"format\":\"OSV\"") != NULL);
        CHECK(strstr(text(out), "\"as_of\":\"2023-10-17T20:15:00Z\"") != NULL);
        CHECK(strstr(text(out), "\"built_at\":null") != NULL);
    }
    exposure_string_free(out);
    out = NULL;
    /* 2023-10-18T20:15:00Z: one day after. */
    CHECK(exposure_engine_kb_age_json(engine, 1697660100, 3600, &out, NULL) == EXPOSURE_STATUS_OK);
    if (out != NULL) {
        CHECK(strstr(text(out), "\"age_seconds\":86400") != NULL);
        CHECK(strstr(text(out), "\"warning\":\"the knowledge base is 1d old") != NULL);
    }
    exposure_string_free(out);
    out = NULL;
    /* Fresh within two days, but the KEV catalogue (2023-10-10) is 8 days old beside it. */
    CHECK(exposure_engine_kb_age_json(engine, 1697660100, 2 * 86400, &out, NULL) == EXPOSURE_STATUS_OK);
    if (out != NULL) {
        CHECK(strstr(text(out), "\"warning\":\"the KEV/EPSS feed") != NULL);
        CHECK(strstr(text(out), "\"stale_sources\":[{") != NULL);
    }
    exposure_string_free(out);
    out = NULL;
    CHECK(exposure_engine_kb_age_json(engine, 1697660100, 10 * 86400, &out, NULL) == EXPOSURE_STATUS_OK);
    if (out != NULL) {
        CHECK(strstr(text(out), "\"warning\":null") != NULL);
        CHECK(strstr(text(out), "\"stale_sources\":[]") != NULL);
    }
    exposure_string_free(out);
    exposure_string_free(fleet);
    exposure_engine_free(engine);
}

/* Every row of tests/vectors/demo-findings.tsv (shared with the Rust and Python tests) must
 * appear in the demo assessment, and no other finding. */
static void test_demo_vectors(const char *vectors_path) {
    exposure_engine *engine = NULL;
    exposure_string *fleet = NULL;
    exposure_string *out = NULL;
    char line[1024];
    char expected_count[64];
    int rows = 0;
    FILE *f = fopen(vectors_path, "r");
    CHECK(f != NULL);
    if (f == NULL) return;
    CHECK(exposure_engine_new_demo(&engine, NULL) == EXPOSURE_STATUS_OK);
    CHECK(exposure_demo_fleet_json(&fleet, NULL) == EXPOSURE_STATUS_OK);
    CHECK(exposure_engine_assess_json(engine, text(fleet), exposure_string_len(fleet), &out, NULL) == EXPOSURE_STATUS_OK);
    while (out != NULL && fgets(line, sizeof line, f) != NULL) {
        char device[128], eco[64], package[128], installed[128], advisory[128], fix[128], matched[256];
        char needle[1024];
        if (line[0] == '#' || line[0] == '\n') continue;
        if (sscanf(line, "%127[^\t]\t%63[^\t]\t%127[^\t]\t%127[^\t]\t%127[^\t]\t%127[^\t]\t%255[^\n]", device, eco,
                   package, installed, advisory, fix, matched) != 7) {
            CHECK(!"malformed vector row");
            continue;
        }
        rows++;
        snprintf(needle, sizeof needle,
                 "\"device_id\":\"%s\",\"software\":{\"ecosystem\":\"%s\",\"name\":\"%s\",\"version\":\"%s\"", device,
                 eco, package, installed);
        CHECK(strstr(text(out), needle) != NULL);
        snprintf(needle, sizeof needle, "\"advisory_id\":\"%s\"", advisory);
        CHECK(strstr(text(out), needle) != NULL);
        snprintf(needle, sizeof needle, "\"matched\":\"%s\"", matched);
        CHECK(strstr(text(out), needle) != NULL);
    }
    fclose(f);
    snprintf(expected_count, sizeof expected_count, "\"findings\":%d}", rows);
    CHECK(rows >= 11); /* demo-findings.tsv: at least its 11 data rows checked */
    CHECK(out != NULL && strstr(text(out), expected_count) != NULL);
    exposure_string_free(out);
    exposure_string_free(fleet);
    exposure_engine_free(engine);
}

static void test_own_knowledge_and_inventory(void) {
    static const char advisory[] =
        "[{\"id\": \"GO-2021-0113\", \"aliases\": [\"CVE-2021-38561\"], \"affected\": [{\"package\": "
        "{\"ecosystem\": \"Go\", \"name\": \"golang.org/x/text\"}, \"ranges\": [{\"type\": \"SEMVER\", "
        "\"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"0.3.7\"}]}]}]}, {\"summary\": \"no id\"}]";
    static const char bom[] =
        "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": ["
        "{\"name\": \"golang.org/x/text\", \"purl\": \"pkg:golang/golang.org/x/text@v0.3.5\"}]}";
    static const char origin[] = "inline";
    exposure_engine *engine = NULL;
    exposure_string *report = NULL;
    exposure_string *out = NULL;
    CHECK(exposure_engine_new(&engine, NULL) == EXPOSURE_STATUS_OK);
    CHECK(exposure_engine_load_osv_json(engine, advisory, strlen(advisory), origin, strlen(origin), &report, NULL) ==
          EXPOSURE_STATUS_OK);
    CHECK(report != NULL && strstr(text(report), "\"records_loaded\":1,\"records_skipped\":1") != NULL);
    CHECK(report != NULL && strstr(text(report), "\"field\":\"[1].id\",\"message\":\"is missing\"") != NULL);
    CHECK(exposure_engine_advisory_count(engine) == 1);
    CHECK(exposure_engine_assess_json(engine, bom, strlen(bom), &out, NULL) == EXPOSURE_STATUS_OK);
    CHECK(out != NULL && strstr(text(out), "\"advisory_id\":\"GO-2021-0113\"") != NULL);
    CHECK(out != NULL && strstr(text(out), "\"fix\":\"0.3.7\"") != NULL);
    exposure_string_free(out);
    exposure_string_free(report);
    exposure_engine_free(engine);
}

static void close_fd(int fd) { (void)close(fd); }

/* Writes `content` to a new temporary file named after `path` (a mkstemp template, filled in). */
static void write_temp(char *path, const char *content) {
    FILE *f;
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f) {
        fputs(content, f);
        fclose(f);
    }
}

/* Any feed by path: the demo's OSV file, then a KEV catalog written here, told apart by content. */
static void test_load_path(void) {
    static const char kev[] =
        "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,"
        "knownRansomwareCampaignUse,notes,cwes\n"
        "CVE-2021-23337,lodash,lodash,Command Injection,2022-01-10,d,a,2022-01-24,Known,,CWE-94\n";
    const char *osv = "core/data/demo/advisories.osv.json";
    char kev_path[] = "/tmp/exposure-c-kev-XXXXXX";
    exposure_engine *engine = NULL;
    exposure_string *report = NULL;
    exposure_string *out = NULL;
    write_temp(kev_path, kev);
    CHECK(exposure_engine_new(&engine, NULL) == EXPOSURE_STATUS_OK);
    CHECK(exposure_engine_load_path(engine, osv, strlen(osv), &report, NULL) == EXPOSURE_STATUS_OK);
    CHECK(report != NULL && strstr(text(report), "\"records_loaded\":10") != NULL);
    exposure_string_free(report);
    report = NULL;
    CHECK(exposure_engine_load_path(engine, kev_path, strlen(kev_path), &report, NULL) == EXPOSURE_STATUS_OK);
    CHECK(report != NULL && strstr(text(report), "\"records_loaded\":1") != NULL);
    CHECK(exposure_engine_assess_json(engine, "{\"devices\": [{\"id\": \"d\", \"software\": [{\"purl\": \"pkg:npm/lodash@4.17.15\"}]}]}",
                                      strlen("{\"devices\": [{\"id\": \"d\", \"software\": [{\"purl\": \"pkg:npm/lodash@4.17.15\"}]}]}"),
                                      &out, NULL) == EXPOSURE_STATUS_OK);
    CHECK(out != NULL && strstr(text(out), "\"known_ransomware_use\":true") != NULL);
    exposure_string_free(out);
    exposure_string_free(report);
    report = NULL;
    {
        /* A snapshot of it loads into a new engine; a truncated one is refused. */
        char snap_path[] = "/tmp/exposure-c-snap-XXXXXX";
        exposure_engine *again = NULL;
        exposure_error *err = NULL;
        FILE *g;
        int sfd = mkstemp(snap_path);
        CHECK(sfd >= 0);
        if (sfd >= 0) close_fd(sfd);
        CHECK(exposure_engine_save_snapshot(engine, snap_path, strlen(snap_path), NULL) == EXPOSURE_STATUS_OK);
        CHECK(exposure_engine_new(&again, NULL) == EXPOSURE_STATUS_OK);
        CHECK(exposure_engine_load_path(again, snap_path, strlen(snap_path), NULL, NULL) == EXPOSURE_STATUS_OK);
        CHECK(exposure_engine_advisory_count(again) == exposure_engine_advisory_count(engine));
        {
            /* Opened in place: two engines on one file, the same answers as the loaded one;
             * a file whose records were damaged since opens (its head is intact) and refuses
             * the assessment that reads them, never a clean result. */
            static const char lodash[] = "{\"devices\": [{\"id\": \"d\", \"software\": [{\"purl\": \"pkg:npm/lodash@4.17.15\"}]}]}";
            exposure_engine *opened = NULL, *twice = NULL;
            exposure_string *loaded_out = NULL, *opened_out = NULL;
            CHECK(exposure_engine_open(snap_path, strlen(snap_path), &opened, NULL) == EXPOSURE_STATUS_OK);
            CHECK(exposure_engine_open(snap_path, strlen(snap_path), &twice, NULL) == EXPOSURE_STATUS_OK);
            CHECK(exposure_engine_advisory_count(opened) == exposure_engine_advisory_count(engine));
            CHECK(exposure_engine_advisory_count(twice) == exposure_engine_advisory_count(engine));
            CHECK(exposure_engine_assess_json(again, lodash, strlen(lodash), &loaded_out, NULL) == EXPOSURE_STATUS_OK);
            CHECK(exposure_engine_assess_json(opened, lodash, strlen(lodash), &opened_out, NULL) == EXPOSURE_STATUS_OK);
            CHECK(loaded_out != NULL && opened_out != NULL && strstr(text(opened_out), "\"known_ransomware_use\":true") != NULL);
            CHECK(loaded_out != NULL && opened_out != NULL && strlen(text(loaded_out)) == strlen(text(opened_out)));
            exposure_string_free(loaded_out);
            exposure_string_free(opened_out);
            opened_out = NULL;
            exposure_engine_free(opened);
            exposure_engine_free(twice);
            CHECK(exposure_engine_open("/nonexistent/kb.bin", strlen("/nonexistent/kb.bin"), &opened, &err) == EXPOSURE_STATUS_KB_IO);
            exposure_error_free(err);
            err = NULL;
            {
                /* Every record byte flipped (the body follows the 28-byte header and the head,
                 * whose length is at offset 16). */
                FILE *r = fopen(snap_path, "rb");
                unsigned char *bytes = NULL;
                long size = 0;
                if (r && fseek(r, 0, SEEK_END) == 0 && (size = ftell(r)) > 28 && fseek(r, 0, SEEK_SET) == 0) {
                    bytes = malloc((size_t)size);
                    if (bytes && fread(bytes, 1, (size_t)size, r) == (size_t)size) {
                        unsigned long long head = 0;
                        long at;
                        int i;
                        for (i = 7; i >= 0; i--) head = head << 8 | bytes[16 + i];
                        for (at = 28 + (long)head; at < size; at++) bytes[at] ^= 0x5a;
                    }
                }
                if (r) fclose(r);
                CHECK(bytes != NULL);
                if (bytes) {
                    FILE *w = fopen(snap_path, "wb");
                    if (w) {
                        fwrite(bytes, 1, (size_t)size, w);
                        fclose(w);
                    }
                    free(bytes);
                }
            }
            CHECK(exposure_engine_open(snap_path, strlen(snap_path), &opened, NULL) == EXPOSURE_STATUS_OK);
            CHECK(exposure_engine_assess_json(opened, lodash, strlen(lodash), &opened_out, &err) == EXPOSURE_STATUS_KB_SNAPSHOT);
            CHECK(opened_out == NULL);
            CHECK(err != NULL && strstr(exposure_error_message(err), "the file changed") != NULL);
            exposure_error_free(err);
            err = NULL;
            exposure_engine_free(opened);
        }
        g = fopen(snap_path, "wb");
        if (g) {
            fputs("EXPOSURE-KB", g);
            fputc(0, g);
            fclose(g);
        }
        CHECK(exposure_engine_load_path(again, snap_path, strlen(snap_path), NULL, &err) == EXPOSURE_STATUS_KB_SNAPSHOT);
        CHECK(err != NULL && strstr(exposure_error_message(err), "snapshot truncated") != NULL);
        exposure_error_free(err);
        exposure_engine_free(again);
        remove(snap_path);
    }
    exposure_engine_free(engine);
    remove(kev_path);
}

/* Fail closed: a knowledge-base input that yields nothing is refused with its status, the
 * report still written; an inventory that yields no device likewise. */
static void test_incomplete_inputs(void) {
    char broken_path[] = "/tmp/exposure-c-broken-XXXXXX";
    exposure_engine *engine = NULL;
    exposure_string *report = NULL;
    exposure_string *out = NULL;
    exposure_error *err = NULL;
    write_temp(broken_path, "{broken");
    CHECK(exposure_engine_new(&engine, NULL) == EXPOSURE_STATUS_OK);
    CHECK(exposure_engine_load_path(engine, broken_path, strlen(broken_path), &report, &err) ==
          EXPOSURE_STATUS_KB_INCOMPLETE);
    CHECK(err != NULL && exposure_error_status(err) == EXPOSURE_STATUS_KB_INCOMPLETE);
    CHECK(err != NULL && strstr(exposure_error_message(err), "it yields nothing") != NULL);
    CHECK(report != NULL && strstr(text(report), "\"records_skipped\":1") != NULL);
    CHECK(report != NULL && strstr(text(report), "not JSON") != NULL);
    exposure_error_free(err);
    err = NULL;
    exposure_string_free(report);
    CHECK(exposure_engine_assess_json(engine, "{\"devices\": []}", strlen("{\"devices\": []}"), &out, &err) ==
          EXPOSURE_STATUS_INVENTORY_INCOMPLETE);
    CHECK(out == NULL);
    CHECK(err != NULL && strstr(exposure_error_message(err), "inventory inventory: it yields nothing") != NULL);
    exposure_error_free(err);
    exposure_engine_free(engine);
    remove(broken_path);
}

static void test_errors(void) {
    exposure_engine *engine = NULL;
    exposure_string *out = NULL;
    exposure_error *err = NULL;
    static const char bad_utf8[] = {'{', (char)0xff, '}'};
    static const char missing[] = "/nonexistent/exposure/advisories";
    CHECK(exposure_engine_new_demo(NULL, NULL) == EXPOSURE_STATUS_NULL_ARGUMENT);
    CHECK(exposure_engine_new_demo(&engine, NULL) == EXPOSURE_STATUS_OK);
    /* Argument checks fill `err` too, so each error object is freed before `err` is reused. */
    CHECK(exposure_engine_assess_json(NULL, "{}", 2, &out, &err) == EXPOSURE_STATUS_NULL_ARGUMENT);
    CHECK(err != NULL && exposure_error_status(err) == EXPOSURE_STATUS_NULL_ARGUMENT);
    exposure_error_free(err);
    err = NULL;
    CHECK(exposure_engine_assess_json(engine, "{}", 2, NULL, &err) == EXPOSURE_STATUS_NULL_ARGUMENT);
    exposure_error_free(err);
    err = NULL;
    CHECK(exposure_engine_assess_json(engine, bad_utf8, sizeof bad_utf8, &out, &err) == EXPOSURE_STATUS_INVALID_UTF8);
    CHECK(err != NULL && exposure_error_offset(err) == 1);
    exposure_error_free(err);
    err = NULL;
    CHECK(exposure_engine_assess_json(engine, "{", 1, &out, &err) == EXPOSURE_STATUS_INVENTORY_NOT_JSON);
    CHECK(out == NULL);
    CHECK(err != NULL);
    CHECK(exposure_error_status(err) == EXPOSURE_STATUS_INVENTORY_NOT_JSON);
    CHECK(err != NULL && strstr(exposure_error_message(err), "not JSON") != NULL);
    exposure_error_free(err);
    err = NULL;
    CHECK(exposure_engine_assess_json(engine, "[]", 2, &out, &err) == EXPOSURE_STATUS_INVENTORY_UNKNOWN_FORMAT);
    exposure_error_free(err);
    err = NULL;
    CHECK(exposure_engine_load_osv_path(engine, missing, strlen(missing), NULL, &err) == EXPOSURE_STATUS_KB_IO);
    CHECK(err != NULL && strstr(exposure_error_message(err), "cannot read") != NULL);
    exposure_error_free(err);
    /* NULL is a no-op for every free. */
    exposure_error_free(NULL);
    exposure_string_free(NULL);
    exposure_engine_free(NULL);
    CHECK(exposure_error_message(NULL) == NULL);
    CHECK(exposure_string_len(NULL) == 0);
    exposure_engine_free(engine);
}

int main(int argc, char **argv) {
    test_version();
    test_demo_assessment();
    test_demo_vectors(argc > 1 ? argv[1] : "tests/vectors/demo-findings.tsv");
    test_load_path();
    test_own_knowledge_and_inventory();
    test_incomplete_inputs();
    test_errors();
    printf("%d passed, %d failed\n", passes, failures);
    return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
