/* Walks every status of the header (every number exposure_status_str names): for each, a call
 * that fails with it must return it and fill `err` with an error of that status and a
 * message. The few statuses no call of this header can return are listed with the reason; a
 * status added to the header without a case here, or a case that stops failing as it says,
 * fails the test. Also: JSON errors whose message places them ("at line L column C", "at
 * byte N") carry the byte offset the message names. Run from the repository root. Built with
 * -std=c99 -Wall -Wextra -Werror -pedantic under ASan/UBSan by scripts/test. */
#define _POSIX_C_SOURCE 200809L /* mkstemp */
#include "exposure.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Statuses no function of this header can return, and why. */
static const struct {
    uint32_t status;
    const char *why;
} unreachable[] = {
    {EXPOSURE_STATUS_PANIC, "a panic is a bug; the guard that reports it is tested in ffi/src/guard.rs"},
    {EXPOSURE_STATUS_SERIALIZATION, "every result serialises (no map with non-string keys)"},
    {EXPOSURE_STATUS_IO, "reading knowledge and inventories has its own statuses (KB_IO, INVENTORY_IO)"},
    {EXPOSURE_STATUS_OTHER, "kinds added after this header"},
    {EXPOSURE_STATUS_VERSION_OTHER, "kinds added after this header"},
    {EXPOSURE_STATUS_RANGE_NO_INTRODUCED, "OSV range events are read by the knowledge loaders, which report them"},
    {EXPOSURE_STATUS_RANGE_OTHER, "kinds added after this header"},
    {EXPOSURE_STATUS_CPE_ALIAS, "the alias table is built in"},
    {EXPOSURE_STATUS_CPE_OTHER, "kinds added after this header"},
    {EXPOSURE_STATUS_CVSS_OTHER, "kinds added after this header"},
    {EXPOSURE_STATUS_KB_OTHER, "kinds added after this header"},
    {EXPOSURE_STATUS_INVENTORY_PURL, "inventory loaders report a bad package URL as a problem and go on"},
    {EXPOSURE_STATUS_INVENTORY_SOFTWARE, "inventory loaders report an unmatchable item as a problem and go on"},
    {EXPOSURE_STATUS_INVENTORY_REGISTRY, "a registry export that does not read is INVENTORY_MALFORMED"},
    {EXPOSURE_STATUS_INVENTORY_OTHER, "kinds added after this header"},
    {EXPOSURE_STATUS_RECORD_TOO_LARGE, "needs more than 2^32 items of a table"},
    {EXPOSURE_STATUS_RECORD_NO_FLEET, "every assessment of this API keeps its fleet"},
    {EXPOSURE_STATUS_REMEDIATION_EXPORT, "remediation exports are not in this API"},
    {EXPOSURE_STATUS_HISTORY_OTHER, "kinds added after this header"},
    {EXPOSURE_STATUS_UPDATE_INVALID_RESPONSE, "needs a server answering: update/tests run it on 127.0.0.1"},
    {EXPOSURE_STATUS_UPDATE_INCOMPLETE, "needs a server serving a feed core reads badly"},
    {EXPOSURE_STATUS_UPDATE_SNAPSHOT, "needs a server and a disk that fails the write"},
    {EXPOSURE_STATUS_UPDATE_OTHER, "kinds added after this header"},
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static exposure_string *demo_record(uint32_t format) {
    exposure_engine *engine = NULL;
    exposure_string *fleet = NULL, *record = NULL;
    exposure_engine_new_demo(&engine, NULL);
    exposure_demo_fleet_json(&fleet, NULL);
    exposure_engine_record(engine, exposure_string_ptr(fleet), exposure_string_len(fleet), "2026-12-01", 10, format, &record, NULL);
    exposure_string_free(fleet);
    exposure_engine_free(engine);
    return record;
}

/* A knowledge-base update of a snapshot in /tmp with `config` (JSON); the files it leaves
 * (the mirror) removed. */
static exposure_status kb_update(const char *config, exposure_error **err) {
    char path[64];
    const char *suffixes[] = {"", ".mirror", ".mirror-wal", ".mirror-shm"};
    char leftover[80];
    exposure_string *summary = NULL;
    exposure_status st;
    size_t i;
    snprintf(path, sizeof path, "/tmp/exposure-c-update-%ld.bin", (long)getpid());
    st = exposure_kb_update(path, strlen(path), config, strlen(config), &summary, err);
    exposure_string_free(summary);
    for (i = 0; i < COUNT(suffixes); i++) {
        snprintf(leftover, sizeof leftover, "%s%s", path, suffixes[i]);
        remove(leftover);
    }
    return st;
}

static exposure_status version(uint32_t scheme, const char *text, exposure_error **err) {
    exposure_version *v = NULL;
    exposure_status st = exposure_version_parse(scheme, text, strlen(text), &v, err);
    exposure_version_free(v);
    return st;
}

static exposure_status range(uint32_t scheme, const char *text, exposure_error **err) {
    exposure_range *r = NULL;
    exposure_status st = exposure_range_parse(scheme, text, strlen(text), &r, err);
    exposure_range_free(r);
    return st;
}

static exposure_status cpe(const char *text, exposure_error **err) {
    exposure_cpe *c = NULL;
    exposure_status st = exposure_cpe_parse(text, strlen(text), &c, err);
    exposure_cpe_free(c);
    return st;
}

static exposure_status cvss(const char *vector, exposure_error **err) {
    exposure_cvss_scores scores;
    return exposure_cvss_score(vector, strlen(vector), &scores, NULL, err);
}

static exposure_status assess(const char *inventory, exposure_error **err) {
    exposure_engine *engine = NULL;
    exposure_string *out = NULL;
    exposure_status st;
    exposure_engine_new_demo(&engine, NULL);
    st = exposure_engine_assess_json(engine, inventory, strlen(inventory), &out, err);
    exposure_string_free(out);
    exposure_engine_free(engine);
    return st;
}

/* Assesses inputs of the demo knowledge with these knowledge and inventory paths and CPE
 * dictionary (each NULL for none; with a dictionary, the demo fleet as an inventory buffer). */
static exposure_status inputs_with(const char *knowledge, const char *inventory, const char *dictionary, exposure_error **err) {
    exposure_inputs *inputs = NULL;
    exposure_string *out = NULL;
    exposure_status st;
    exposure_inputs_new(&inputs, NULL);
    exposure_inputs_set_demo(inputs, true, NULL);
    if (knowledge) exposure_inputs_add_knowledge_path(inputs, knowledge, strlen(knowledge), NULL);
    if (inventory) exposure_inputs_add_inventory_path(inputs, inventory, strlen(inventory), NULL);
    if (dictionary) {
        exposure_string *fleet = NULL;
        exposure_demo_fleet_json(&fleet, NULL);
        exposure_inputs_add_inventory(inputs, (const uint8_t *)exposure_string_ptr(fleet), exposure_string_len(fleet), "demo", 4, NULL);
        exposure_string_free(fleet);
        exposure_inputs_set_cpe_dictionary_path(inputs, dictionary, strlen(dictionary), NULL);
    }
    st = exposure_inputs_assess_json(inputs, &out, err);
    exposure_string_free(out);
    exposure_inputs_free(inputs);
    return st;
}

static exposure_status load(const char *path, exposure_error **err) {
    exposure_engine *engine = NULL;
    exposure_status st;
    exposure_engine_new(&engine, NULL);
    st = exposure_engine_load_path(engine, path, strlen(path), NULL, err);
    exposure_engine_free(engine);
    return st;
}

/* A temporary file holding `len` bytes of `content`; its path in `path` (a mkstemp template). */
static void temp_file(char *path, const void *content, size_t len) {
    int fd = mkstemp(path);
    CHECK(fd >= 0 && write(fd, content, len) == (ssize_t)len, "temporary file %s", path);
    if (fd >= 0) close(fd);
}

/* A record (binary) altered by `alter`: 't' truncated, 'c' one payload byte flipped. */
static exposure_status damaged_record(char alter, exposure_error **err) {
    exposure_string *record = demo_record(EXPOSURE_RECORD_FORMAT_BINARY), *out = NULL;
    size_t len = exposure_string_len(record);
    uint8_t *bytes = malloc(len);
    exposure_status st;
    memcpy(bytes, exposure_string_ptr(record), len);
    if (alter == 'c') bytes[len - 1] ^= 0x55;
    st = exposure_record_view_json(bytes, alter == 't' ? len - 7 : len, "devices", 7, NULL, 0, &out, err);
    exposure_string_free(out);
    exposure_string_free(record);
    free(bytes);
    return st;
}

static exposure_status remediation(const char *recommendation, const char *options, exposure_error **err) {
    exposure_string *record = demo_record(EXPOSURE_RECORD_FORMAT_JSON), *out = NULL;
    exposure_status st = exposure_remediation_create_json((const uint8_t *)exposure_string_ptr(record), exposure_string_len(record),
                                                          recommendation, strlen(recommendation), options, strlen(options), &out, err);
    exposure_string_free(out);
    exposure_string_free(record);
    return st;
}

/* Makes a call fail with `status`; returns what it returned. EXPOSURE_STATUS_OK: no case. */
static exposure_status trigger(uint32_t status, exposure_error **err) {
    static const char bad_utf8[] = {'1', '.', (char)0xff};
    switch (status) {
    case EXPOSURE_STATUS_NULL_ARGUMENT: return exposure_version_parse(EXPOSURE_SCHEME_DEB, "1", 1, NULL, err);
    case EXPOSURE_STATUS_INVALID_UTF8: {
        exposure_version *v = NULL;
        return exposure_version_parse(EXPOSURE_SCHEME_DEB, bad_utf8, sizeof bad_utf8, &v, err);
    }
    case EXPOSURE_STATUS_BUFFER_TOO_SMALL: {
        exposure_version *v = NULL;
        size_t needed = 0;
        uint8_t buf[2];
        exposure_status st;
        exposure_version_parse(EXPOSURE_SCHEME_DEB, "1.0-1", 5, &v, NULL);
        st = exposure_version_text(v, buf, sizeof buf, &needed, err);
        exposure_version_free(v);
        return st;
    }
    case EXPOSURE_STATUS_INVALID_ARGUMENT: {
        exposure_inputs *inputs = NULL;
        exposure_string *out = NULL;
        exposure_status st;
        exposure_inputs_new(&inputs, NULL);
        exposure_inputs_set_demo(inputs, true, NULL);
        st = exposure_inputs_record(inputs, 9, &out, err);
        exposure_inputs_free(inputs);
        return st;
    }
    case EXPOSURE_STATUS_MISSING_INPUTS: {
        exposure_inputs *inputs = NULL;
        exposure_string *out = NULL;
        exposure_status st;
        exposure_inputs_new(&inputs, NULL);
        st = exposure_inputs_assess_json(inputs, &out, err);
        exposure_inputs_free(inputs);
        return st;
    }
    case EXPOSURE_STATUS_INVALID_PARAMETERS: {
        exposure_engine *engine = NULL;
        exposure_status st;
        exposure_engine_new(&engine, NULL);
        st = exposure_engine_set_parameters_json(engine, "{\"kev_floor\": 2}", 16, err);
        exposure_engine_free(engine);
        return st;
    }
    case EXPOSURE_STATUS_UNKNOWN_DEVICE: {
        exposure_engine *engine = NULL;
        exposure_string *fleet = NULL, *out = NULL;
        exposure_status st;
        exposure_engine_new_demo(&engine, NULL);
        exposure_demo_fleet_json(&fleet, NULL);
        st = exposure_engine_explain_json(engine, exposure_string_ptr(fleet), exposure_string_len(fleet), "nope", 4, &out, err);
        exposure_string_free(fleet);
        exposure_engine_free(engine);
        return st;
    }
    case EXPOSURE_STATUS_INVALID_EXCEPTIONS: {
        exposure_engine *engine = NULL;
        exposure_status st;
        exposure_engine_new(&engine, NULL);
        st = exposure_engine_set_exceptions_text(engine, "{broken", 7, err);
        exposure_engine_free(engine);
        return st;
    }
    case EXPOSURE_STATUS_INVALID_DATE: {
        exposure_inputs *inputs = NULL;
        exposure_status st;
        exposure_inputs_new(&inputs, NULL);
        st = exposure_inputs_set_as_of(inputs, "2026-02-30", 10, err);
        exposure_inputs_free(inputs);
        return st;
    }
    case EXPOSURE_STATUS_VERSION_EMPTY: return version(EXPOSURE_SCHEME_DEB, "", err);
    case EXPOSURE_STATUS_VERSION_UNEXPECTED_CHAR: return version(EXPOSURE_SCHEME_SEMVER, "1.0.0/x", err);
    case EXPOSURE_STATUS_VERSION_UNEXPECTED_END: return version(EXPOSURE_SCHEME_SEMVER, "1.0.", err);
    case EXPOSURE_STATUS_VERSION_NUMBER_TOO_LARGE: return version(EXPOSURE_SCHEME_SEMVER, "99999999999999999999.0.0", err);
    case EXPOSURE_STATUS_VERSION_LEADING_ZERO: return version(EXPOSURE_SCHEME_SEMVER, "1.02.0", err);
    case EXPOSURE_STATUS_VERSION_INVALID: return version(EXPOSURE_SCHEME_COMPOSER, "master", err);
    case EXPOSURE_STATUS_VERSION_SCHEME_MISMATCH: {
        exposure_version *a = NULL, *b = NULL;
        int order = 0;
        exposure_status st;
        exposure_version_parse(EXPOSURE_SCHEME_DEB, "1.0", 3, &a, NULL);
        exposure_version_parse(EXPOSURE_SCHEME_NPM, "1.0.0", 5, &b, NULL);
        st = exposure_version_compare(a, b, &order, err);
        exposure_version_free(a);
        exposure_version_free(b);
        return st;
    }
    case EXPOSURE_STATUS_UNKNOWN_SCHEME: {
        exposure_scheme scheme;
        return exposure_scheme_from_name("cobol", 5, &scheme, err);
    }
    case EXPOSURE_STATUS_RANGE_SYNTAX: return range(EXPOSURE_SCHEME_PYPI, ">=1.0,<<2", err);
    case EXPOSURE_STATUS_RANGE_VERS: return range(EXPOSURE_SCHEME_PYPI, "vers:cobol/1", err);
    case EXPOSURE_STATUS_RANGE_VERSION: return range(EXPOSURE_SCHEME_PYPI, ">=1.0, <2.0/x", err);
    case EXPOSURE_STATUS_CPE_PREFIX: return cpe("nope:a:b", err);
    case EXPOSURE_STATUS_CPE_COMPONENT_COUNT: return cpe("cpe:2.3:a:hp:insight:8:*:*:*:*:*:*", err);
    case EXPOSURE_STATUS_CPE_VALUE: return cpe("cpe:2.3:a:big$money:insight:8:*:*:*:*:*:*:*", err);
    case EXPOSURE_STATUS_CPE_PART: return cpe("cpe:2.3:x:hp:insight:8:*:*:*:*:*:*:*", err);
    case EXPOSURE_STATUS_CPE_LANGUAGE: return cpe("cpe:/a:foo:bar:1.0:sp1:pro:xx-yy-zz", err);
    case EXPOSURE_STATUS_CPE_WFN_SYNTAX: return cpe("wfn:[part=\"a\",vendor=microsoft]", err);
    case EXPOSURE_STATUS_CPE_BINDING: {
        exposure_cpe *c = NULL;
        size_t needed = 0;
        exposure_status st;
        exposure_cpe_parse("cpe:/a:foo:bar", 14, &c, NULL);
        st = exposure_cpe_text(c, 9, NULL, 0, &needed, err);
        exposure_cpe_free(c);
        return st;
    }
    case EXPOSURE_STATUS_CONFIGURATION_INVALID: {
        exposure_applicability *a = NULL;
        return exposure_applicability_from_json("[", 1, &a, err);
    }
    case EXPOSURE_STATUS_CPE_DICTIONARY: return inputs_with(NULL, NULL, "/nonexistent/dictionary.xml", err);
    case EXPOSURE_STATUS_CVSS_VERSION: return cvss("CVSS:9.9/AV:N", err);
    case EXPOSURE_STATUS_CVSS_MALFORMED: return cvss("AV:N/AC:L/Au:N/C:P/I:P/A:P/", err);
    case EXPOSURE_STATUS_CVSS_UNKNOWN_METRIC: return cvss("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/XX:1", err);
    case EXPOSURE_STATUS_CVSS_INVALID_VALUE: return cvss("CVSS:3.1/AV:N/AC:Q", err);
    case EXPOSURE_STATUS_CVSS_DUPLICATE_METRIC: return cvss("CVSS:3.1/AV:N/AV:N", err);
    case EXPOSURE_STATUS_CVSS_MISSING_METRIC: return cvss("CVSS:3.1/AV:N", err);
    case EXPOSURE_STATUS_KB_IO: return load("/nonexistent/feed.json", err);
    case EXPOSURE_STATUS_KB_SNAPSHOT: {
        /* A snapshot cut short: written by the library, then truncated. */
        char path[] = "/tmp/exposure-c-snapshot-XXXXXX";
        exposure_engine *engine = NULL;
        exposure_status st;
        FILE *f;
        long size;
        temp_file(path, "", 0);
        exposure_engine_new_demo(&engine, NULL);
        exposure_engine_save_snapshot(engine, path, strlen(path), NULL);
        exposure_engine_free(engine);
        f = fopen(path, "rb");
        if (f && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 64) {
            fclose(f);
            CHECK(truncate(path, size / 2) == 0, "truncate");
        } else if (f) {
            fclose(f);
        }
        st = load(path, err);
        remove(path);
        return st;
    }
    case EXPOSURE_STATUS_KB_INCOMPLETE: {
        char path[] = "/tmp/exposure-c-broken-XXXXXX";
        exposure_status st;
        temp_file(path, "{broken", 7);
        st = load(path, err);
        remove(path);
        return st;
    }
    case EXPOSURE_STATUS_INVENTORY_IO: return inputs_with(NULL, "/nonexistent/bom.json", NULL, err);
    case EXPOSURE_STATUS_INVENTORY_NOT_JSON: return assess("{broken", err);
    case EXPOSURE_STATUS_INVENTORY_UNKNOWN_FORMAT: return assess("{}", err);
    case EXPOSURE_STATUS_INVENTORY_MALFORMED: return assess("{\"bomFormat\": \"CycloneDX\", \"components\": 5}", err);
    case EXPOSURE_STATUS_INVENTORY_DISTRO: {
        exposure_inputs *inputs = NULL;
        exposure_status st;
        exposure_inputs_new(&inputs, NULL);
        st = exposure_inputs_set_distro(inputs, "cobol-1", 7, err);
        exposure_inputs_free(inputs);
        return st;
    }
    case EXPOSURE_STATUS_INVENTORY_INCOMPLETE: return assess("{\"devices\": [{\"id\": 3}]}", err);
    case EXPOSURE_STATUS_RECORD_INVALID: {
        exposure_string *out = NULL;
        return exposure_record_view_json((const uint8_t *)"{broken", 7, "devices", 7, NULL, 0, &out, err);
    }
    case EXPOSURE_STATUS_RECORD_FORMAT: {
        static const char record[] = "{\"format\": \"exposure-record/9\"}";
        exposure_string *out = NULL;
        return exposure_record_view_json((const uint8_t *)record, strlen(record), "devices", 7, NULL, 0, &out, err);
    }
    case EXPOSURE_STATUS_RECORD_TRUNCATED: return damaged_record('t', err);
    case EXPOSURE_STATUS_RECORD_CORRUPTED: return damaged_record('c', err);
    case EXPOSURE_STATUS_UNKNOWN_VIEW: {
        exposure_string *record = demo_record(EXPOSURE_RECORD_FORMAT_JSON), *out = NULL;
        exposure_status st = exposure_record_view_json((const uint8_t *)exposure_string_ptr(record), exposure_string_len(record), "nope", 4,
                                                       NULL, 0, &out, err);
        exposure_string_free(record);
        return st;
    }
    case EXPOSURE_STATUS_REMEDIATION_INVALID: return remediation("update:Go:golang.org/x/net", "{\"id\": ", err);
    case EXPOSURE_STATUS_UNKNOWN_RECOMMENDATION: return remediation("update:npm:nope", "{\"id\": \"T-1\", \"created\": \"2026-12-01\"}", err);
    case EXPOSURE_STATUS_REMEDIATION_DUE_BEFORE_CREATION:
        return remediation("update:Go:golang.org/x/net", "{\"id\": \"T-1\", \"created\": \"2026-12-01\", \"due\": \"2026-11-01\"}", err);
    case EXPOSURE_STATUS_REMEDIATION_NO_TARGETED_DEVICE:
        return remediation("update:Go:golang.org/x/net", "{\"id\": \"T-1\", \"created\": \"2026-12-01\", \"devices\": [\"nope\"]}", err);
    case EXPOSURE_STATUS_UPDATE_CONFIG: return kb_update("{\"sources\": [\"gopher\"]}", err);
    case EXPOSURE_STATUS_UPDATE_FETCH:
        /* Nothing listens on port 1 of the loopback: refused at once, nothing leaves the host. */
        return kb_update("{\"sources\": [\"kev\"], \"kev_url\": \"http://127.0.0.1:1/kev.json\", \"attempts\": 1, "
                         "\"proxy_from_env\": false}",
                         err);
    case EXPOSURE_STATUS_UPDATE_MIRROR: return kb_update("{\"mirror\": \"/nonexistent/exposure/kb.mirror\"}", err);
    default: return EXPOSURE_STATUS_OK;
    }
}

static int is_unreachable(uint32_t status) {
    size_t i;
    for (i = 0; i < COUNT(unreachable); i++)
        if (unreachable[i].status == status) return 1;
    return 0;
}

static void every_status_fills_err(void) {
    uint32_t n;
    int statuses = 0, triggered = 0;
    size_t i;
    for (n = 1; n < 10000; n++) {
        const char *name = exposure_status_str(n);
        exposure_error *err = NULL;
        exposure_status st;
        if (name == NULL) continue;
        statuses++;
        CHECK(strncmp(name, "EXPOSURE_STATUS_", 16) == 0, "%u is named %s", (unsigned)n, name);
        if (is_unreachable(n)) continue;
        st = trigger(n, &err);
        CHECK(st == n, "%s: no call fails with it here (got %s)", name, st ? exposure_status_str(st) : "OK: no case");
        CHECK(err != NULL, "%s: err not filled", name);
        if (err != NULL) {
            const char *message = exposure_error_message(err);
            CHECK(exposure_error_status(err) == n, "%s: err has %s", name, exposure_status_str(exposure_error_status(err)));
            CHECK(message != NULL && strlen(message) > 3, "%s: no message", name);
        }
        if (st == n) triggered++;
        exposure_error_free(err);
        /* Without err the status alone comes back. */
        CHECK(trigger(n, NULL) == n, "%s without err", name);
    }
    for (i = 0; i < COUNT(unreachable); i++)
        CHECK(exposure_status_str(unreachable[i].status) != NULL, "unreachable[%u] is a status", (unsigned)i);
    CHECK(exposure_status_str(EXPOSURE_STATUS_OK) != NULL && strcmp(exposure_status_str(0), "EXPOSURE_STATUS_OK") == 0, "OK's name");
    CHECK(exposure_status_str(13) == NULL && exposure_status_str(UINT32_MAX) == NULL, "numbers that are no status");
    CHECK(statuses == triggered + (int)COUNT(unreachable), "%d statuses: %d triggered, %u unreachable", statuses, triggered,
          (unsigned)COUNT(unreachable));
    printf("statuses.c: %d statuses, %d made to fail with err filled, %u not returned by this header\n", statuses, triggered,
           (unsigned)COUNT(unreachable));
}

/* "line L column C" in `message`: the byte offset it names in `text` (SIZE_MAX when none). */
static size_t named_offset(const char *message, const char *text) {
    const char *at = strstr(message, " at line ");
    unsigned long line = 0, column = 0, seen = 1;
    size_t i = 0;
    if (at == NULL) {
        at = strstr(message, "at byte ");
        return at && sscanf(at, "at byte %lu", &column) == 1 ? (size_t)column : SIZE_MAX;
    }
    if (sscanf(at, " at line %lu column %lu", &line, &column) != 2) return SIZE_MAX;
    while (seen < line && text[i]) seen += text[i++] == '\n';
    return i + (column > 0 ? column - 1 : 0);
}

/* Every JSON input's syntax error names a place, and the error's offset is that place. */
static void json_offsets_match_messages(void) {
    static const struct {
        const char *what, *text;
    } inventories[] = {
        {"inventory", "{broken"},
        {"inventory", "{\"devices\": [1,]}"},
        {"inventory", "\n\n  {\"devices\": [{\"id\": \"a\",, }]}"},
        {"parameters", "{\"kev_floor\": }"},
        {"parameters", "\n{\"nope\": 1}"},
        {"exceptions", "{broken"},
        {"exceptions", "format: exposure-exceptions/1\nexceptions: [1\nb: 2"},
        {"exceptions", "format: x\nexceptions: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["},
        {"configurations", "[{\"nodes\": ["},
        {"record", "{\"format\": \"exposure-record/1\", broken}"},
        {"options", "{\"id\": \"x\",\n \"created\": 5}"},
    };
    size_t i;
    exposure_engine *engine = NULL;
    exposure_string *record = demo_record(EXPOSURE_RECORD_FORMAT_JSON);
    exposure_engine_new_demo(&engine, NULL);
    for (i = 0; i < COUNT(inventories); i++) {
        const char *what = inventories[i].what, *text = inventories[i].text;
        size_t len = strlen(text), expected, offset;
        exposure_error *err = NULL;
        exposure_string *out = NULL;
        exposure_applicability *a = NULL;
        exposure_engine *scratch = NULL;
        exposure_engine_new(&scratch, NULL);
        if (strcmp(what, "inventory") == 0) exposure_engine_assess_json(engine, text, len, &out, &err);
        if (strcmp(what, "parameters") == 0) exposure_engine_set_parameters_json(scratch, text, len, &err);
        if (strcmp(what, "exceptions") == 0) exposure_engine_set_exceptions_text(scratch, text, len, &err);
        if (strcmp(what, "configurations") == 0) exposure_applicability_from_json(text, len, &a, &err);
        if (strcmp(what, "record") == 0) exposure_record_view_json((const uint8_t *)text, len, "devices", 7, NULL, 0, &out, &err);
        if (strcmp(what, "options") == 0)
            exposure_remediation_create_json((const uint8_t *)exposure_string_ptr(record), exposure_string_len(record),
                                             "update:Go:golang.org/x/net", 26, text, len, &out, &err);
        CHECK(err != NULL, "%s %lu: no error", what, (unsigned long)i);
        if (err != NULL) {
            const char *message = exposure_error_message(err);
            expected = named_offset(message, text);
            offset = exposure_error_offset(err);
            CHECK(expected != SIZE_MAX, "%s %lu: the message names no place: %s", what, (unsigned long)i, message);
            CHECK(offset == expected, "%s %lu: offset %lu, the message says %lu: %s", what, (unsigned long)i, (unsigned long)offset,
                  (unsigned long)expected, message);
            CHECK(offset == SIZE_MAX || offset <= len, "%s %lu: offset inside the input", what, (unsigned long)i);
        }
        exposure_error_free(err);
        exposure_string_free(out);
        exposure_engine_free(scratch);
    }
    exposure_string_free(record);
    exposure_engine_free(engine);
}

int main(void) {
    every_status_fills_err();
    json_offsets_match_messages();
    printf("statuses.c: %d checks passed, %d failed\n", passes, failures);
    return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
