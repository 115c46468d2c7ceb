/* The assessment use case through the C API (exposure_inputs): every inventory format, as a
 * path and as a buffer (gzip and UTF-16LE included), and every option, on the real shared
 * data in $EXPOSURE_SHARED_DIR/data (default ../shared/data). Where that data is absent the
 * real-data checks say SKIPPED, and fail when CI is true or 1. Run from the repository root.
 * Built with -std=c99 -Wall -Wextra -Werror -pedantic under ASan/UBSan by scripts/test. */
#define _POSIX_C_SOURCE 200809L /* popen, pclose, mkstemp */
#include "exposure.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char shared[4096];

/* $EXPOSURE_SHARED_DIR/data/<relative>, in a static buffer (one at a time). */
static const char *data(const char *relative) {
    static char path[8192];
    snprintf(path, sizeof path, "%s/data/%s", shared, relative);
    return path;
}

/* Reads a stream to its end into a new buffer (a NUL appended, not counted in `*len`). */
static unsigned char *slurp(FILE *f, size_t *len) {
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap + 1);
    size_t got;
    while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            unsigned char *bigger = realloc(buf, cap * 2 + 1);
            if (bigger == NULL) {
                free(buf);
                return NULL;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    if (buf != NULL) buf[n] = 0;
    *len = n;
    return buf;
}

static unsigned char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    unsigned char *buf;
    CHECK(f != NULL, "cannot open %s", path);
    if (f == NULL) return NULL;
    buf = slurp(f, len);
    fclose(f);
    return buf;
}

/* One member of a .tar.gz, as tar extracts it. */
static unsigned char *read_member(const char *archive, const char *member, size_t *len) {
    char command[8192];
    FILE *p;
    unsigned char *buf;
    snprintf(command, sizeof command, "tar -xzOf '%s' '%s'", archive, member);
    p = popen(command, "r");
    CHECK(p != NULL, "%s", command);
    if (p == NULL) return NULL;
    buf = slurp(p, len);
    CHECK(pclose(p) == 0 && *len > 0, "%s", command);
    return buf;
}

/* The organisation's score and finding count of an assessment's JSON. */
static void organisation(const exposure_string *json, double *score, int *findings, int *devices) {
    const char *o = json ? strstr(exposure_string_ptr(json), "\"organisation\":{") : NULL;
    *score = -1;
    *findings = *devices = -1;
    if (o == NULL) return;
    sscanf(o, "\"organisation\":{\"score\":%lf", score);
    o = strstr(o, "\"devices\":");
    if (o) sscanf(o, "\"devices\":%d", devices);
    o = o ? strstr(o, "\"findings\":") : NULL;
    if (o) sscanf(o, "\"findings\":%d", findings);
}

/* Assesses `inputs` (on `engine` when not NULL); the JSON, or NULL with the failure reported. */
static exposure_string *assessed(const exposure_engine *engine, const exposure_inputs *inputs, const char *what) {
    exposure_string *json = NULL;
    exposure_error *err = NULL;
    exposure_status st = engine ? exposure_engine_assess_inputs_json(engine, inputs, &json, &err)
                                : exposure_inputs_assess_json(inputs, &json, &err);
    CHECK(st == EXPOSURE_STATUS_OK && json != NULL, "%s: %s %s", what, exposure_status_str(st), err ? exposure_error_message(err) : "");
    exposure_error_free(err);
    return json;
}

static exposure_inputs *new_inputs(void) {
    exposure_inputs *inputs = NULL;
    CHECK(exposure_inputs_new(&inputs, NULL) == EXPOSURE_STATUS_OK && inputs != NULL, "inputs");
    return inputs;
}

static exposure_status add_path(exposure_inputs *inputs, const char *path, int knowledge) {
    return knowledge ? exposure_inputs_add_knowledge_path(inputs, path, strlen(path), NULL)
                     : exposure_inputs_add_inventory_path(inputs, path, strlen(path), NULL);
}

/* A dpkg status database with its os-release, on an engine loaded once: by path, as buffers
 * (os-release as text), without a release, with the release by name. */
static void dpkg_with_os_release(void) {
    char kb[8192], status_path[8192], os_release_path[8192];
    exposure_engine *debian = NULL;
    exposure_inputs *by_path = new_inputs(), *by_buffer = new_inputs(), *no_distro = new_inputs();
    exposure_string *a = NULL, *b = NULL, *c = NULL;
    exposure_error *err = NULL;
    unsigned char *status, *os_release;
    size_t status_len = 0, os_release_len = 0;
    double sa, sb, sc;
    int fa, fb, fc, da, db, dc;
    snprintf(kb, sizeof kb, "%s", data("debian-osv/debian-osv-cve-dpkg-status-sources.tar.gz"));
    snprintf(status_path, sizeof status_path, "%s", data("inventory-dpkg/dpkg-status-this-machine"));
    snprintf(os_release_path, sizeof os_release_path, "%s", data("inventory-dpkg/os-release-this-machine"));
    status = read_file(status_path, &status_len);
    os_release = read_file(os_release_path, &os_release_len);
    CHECK(exposure_engine_new(&debian, NULL) == EXPOSURE_STATUS_OK, "engine");
    CHECK(exposure_engine_load_path(debian, kb, strlen(kb), NULL, &err) == EXPOSURE_STATUS_OK, "Debian OSV: %s",
          err ? exposure_error_message(err) : "");
    exposure_error_free(err);
    CHECK(add_path(by_path, status_path, 0) == EXPOSURE_STATUS_OK, "status path");
    CHECK(add_path(no_distro, status_path, 0) == EXPOSURE_STATUS_OK, "status path");
    CHECK(exposure_inputs_set_os_release_path(by_path, os_release_path, strlen(os_release_path), NULL) == EXPOSURE_STATUS_OK, "os-release path");
    CHECK(exposure_inputs_add_inventory(by_buffer, status, status_len, "this-machine", 12, NULL) == EXPOSURE_STATUS_OK, "status buffer");
    CHECK(exposure_inputs_set_os_release(by_buffer, (const char *)os_release, os_release_len, NULL) == EXPOSURE_STATUS_OK, "os-release text");
    a = assessed(debian, by_path, "dpkg by path");
    b = assessed(debian, by_buffer, "dpkg by buffer");
    c = assessed(debian, no_distro, "dpkg without a release given");
    organisation(a, &sa, &fa, &da);
    organisation(b, &sb, &fb, &db);
    organisation(c, &sc, &fc, &dc);
    CHECK(da == 1 && fa > 100 && sa > 50, "dpkg + os-release: %d devices, %d findings, score %f", da, fa, sa);
    CHECK(fb == fa && sb == sa && db == 1, "the buffers give what the paths give: %d/%f vs %d/%f", fb, sb, fa, sa);
    CHECK(a && strstr(exposure_string_ptr(a), "\"ecosystem\":\"Debian:12\"") != NULL, "the release from os-release");
    CHECK(b && strstr(exposure_string_ptr(b), "\"device_id\":\"this-machine\"") != NULL, "the buffer's origin names the device");
    /* Without a release given, the packages name it (base-files): the same findings, and the
     * load report says it was detected; never an empty assessment of an unread host. */
    CHECK(fc == fa, "without a release given it is detected: %d findings, %d with os-release", fc, fa);
    CHECK(c && strstr(exposure_string_ptr(c), "release Debian:12 detected from base-files") != NULL,
          "the detection is reported");
    /* The release by name is the same release. */
    CHECK(exposure_inputs_set_distro(no_distro, "debian-12", 9, NULL) == EXPOSURE_STATUS_OK, "distro by name");
    exposure_string_free(c);
    c = assessed(debian, no_distro, "dpkg with debian-12");
    organisation(c, &sc, &fc, &dc);
    CHECK(fc == fa && sc == sa, "debian-12 by name: %d findings, %f", fc, sc);
    exposure_string_free(a);
    exposure_string_free(b);
    exposure_string_free(c);
    free(status);
    free(os_release);
    exposure_inputs_free(by_path);
    exposure_inputs_free(by_buffer);
    exposure_inputs_free(no_distro);
    exposure_engine_free(debian);
}

/* SBOMs: CycloneDX (plain and gzip, path and buffer) and SPDX, against the Go database. */
static void sboms(const exposure_engine *go) {
    static const char spdx[] =
        "{\"spdxVersion\": \"SPDX-2.3\", \"SPDXID\": \"SPDXRef-DOCUMENT\", \"name\": \"svc\", \"packages\": [{\"SPDXID\": "
        "\"SPDXRef-net\", \"name\": \"golang.org/x/net\", \"versionInfo\": \"v0.7.0\", \"externalRefs\": [{\"referenceCategory\": "
        "\"PACKAGE-MANAGER\", \"referenceType\": \"purl\", \"referenceLocator\": \"pkg:golang/golang.org/x/net@v0.7.0\"}]}]}";
    const char *bridge = "sbom-cyclonedx/proton-bridge__proton-bridge-v1.8.0.bom.json";
    const char *keycloak = "sbom-cyclonedx/keycloak-10.0.2__bom.json.gz";
    exposure_inputs *by_path = new_inputs(), *by_buffer = new_inputs(), *gz_path = new_inputs(), *gz_buffer = new_inputs(),
                    *spdx_inputs = new_inputs();
    exposure_string *a, *b, *c, *d, *e;
    unsigned char *plain, *gz;
    size_t plain_len = 0, gz_len = 0;
    double sa, sb, sc, sd, se;
    int fa, fb, fc, fd, fe, da, db, dc, dd, de;
    plain = read_file(data(bridge), &plain_len);
    gz = read_file(data(keycloak), &gz_len);
    CHECK(gz != NULL && gz_len > 2 && gz[0] == 0x1f && gz[1] == 0x8b, "the keycloak SBOM is gzip");
    CHECK(add_path(by_path, data(bridge), 0) == EXPOSURE_STATUS_OK, "bridge path");
    CHECK(exposure_inputs_add_inventory(by_buffer, plain, plain_len, "bridge", 6, NULL) == EXPOSURE_STATUS_OK, "bridge buffer");
    CHECK(add_path(gz_path, data(keycloak), 0) == EXPOSURE_STATUS_OK, "keycloak path");
    CHECK(exposure_inputs_add_inventory(gz_buffer, gz, gz_len, "keycloak", 8, NULL) == EXPOSURE_STATUS_OK, "keycloak gzip buffer");
    CHECK(exposure_inputs_add_inventory(spdx_inputs, (const uint8_t *)spdx, strlen(spdx), "svc", 3, NULL) == EXPOSURE_STATUS_OK, "spdx");
    a = assessed(go, by_path, "CycloneDX by path");
    b = assessed(go, by_buffer, "CycloneDX by buffer");
    c = assessed(go, gz_path, "gzip CycloneDX by path");
    d = assessed(go, gz_buffer, "gzip CycloneDX by buffer");
    e = assessed(go, spdx_inputs, "SPDX");
    organisation(a, &sa, &fa, &da);
    organisation(b, &sb, &fb, &db);
    organisation(c, &sc, &fc, &dc);
    organisation(d, &sd, &fd, &dd);
    organisation(e, &se, &fe, &de);
    CHECK(da == 1 && fa == 58, "proton-bridge against the Go database: %d devices, %d findings", da, fa);
    CHECK(fb == fa && sb == sa, "the buffer gives what the path gives: %d vs %d", fb, fa);
    CHECK(dc == 1 && dd == 1 && fd == fc && sd == sc, "gzip by buffer as by path: %d/%f vs %d/%f", fd, sd, fc, sc);
    CHECK(d && strstr(exposure_string_ptr(d), "\"records_loaded\":") != NULL && strstr(exposure_string_ptr(d), "\"input\":\"keycloak\"") != NULL,
          "the gzip buffer's report names it");
    CHECK(de == 1 && fe > 0, "an SPDX document's Go package: %d findings", fe);
    CHECK(e && strstr(exposure_string_ptr(e), "\"purl\":\"pkg:golang/golang.org/x/net@v0.7.0\"") != NULL, "the SPDX package matched");
    exposure_string_free(a);
    exposure_string_free(b);
    exposure_string_free(c);
    exposure_string_free(d);
    exposure_string_free(e);
    free(plain);
    free(gz);
    exposure_inputs_free(by_path);
    exposure_inputs_free(by_buffer);
    exposure_inputs_free(gz_path);
    exposure_inputs_free(gz_buffer);
    exposure_inputs_free(spdx_inputs);
}

/* A regedit export of the Uninstall keys (UTF-16LE): as a buffer, as a file, with NVD's CPE
 * dictionary; against NVD's 2017 feed. */
static void windows_registry(void) {
    const char *archive_rel = "inventory-windows/glpi-agent-win32-uninstall-registry.tar.gz";
    const char *dictionary_rel = "nvd/cpe-dictionary/official-cpe-dictionary_v2.3-2015.xml.gz";
    char archive[8192], dictionary[8192], tmp[] = "/tmp/exposure-c-reg-XXXXXX";
    exposure_engine *nvd = NULL;
    exposure_inputs *by_buffer = new_inputs(), *by_path = new_inputs(), *named = new_inputs();
    exposure_string *a, *b, *c;
    exposure_error *err = NULL;
    unsigned char *reg;
    size_t reg_len = 0;
    double sa, sb, sc;
    int fa, fb, fc, da, db, dc, fd;
    FILE *f;
    snprintf(archive, sizeof archive, "%s", data(archive_rel));
    snprintf(dictionary, sizeof dictionary, "%s", data(dictionary_rel));
    reg = read_member(archive, "glpi-agent/resources/win32/registry/xp-Uninstall.reg", &reg_len);
    CHECK(reg != NULL && reg_len > 2 && reg[0] == 0xFF && reg[1] == 0xFE, "the export is UTF-16LE with its mark");
    fd = mkstemp(tmp);
    f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    CHECK(f != NULL && fwrite(reg, 1, reg_len, f) == reg_len, "temporary copy of the export");
    if (f) fclose(f);
    CHECK(exposure_engine_new(&nvd, NULL) == EXPOSURE_STATUS_OK, "engine");
    CHECK(exposure_engine_load_path(nvd, data("nvd/json-1.1/nvdcve-1.1-2017.json.gz"), strlen(data("nvd/json-1.1/nvdcve-1.1-2017.json.gz")),
                                    NULL, &err) == EXPOSURE_STATUS_OK,
          "NVD 2017: %s", err ? exposure_error_message(err) : "");
    exposure_error_free(err);
    CHECK(exposure_inputs_add_inventory(by_buffer, reg, reg_len, "xp", 2, NULL) == EXPOSURE_STATUS_OK, "export buffer");
    CHECK(add_path(by_path, tmp, 0) == EXPOSURE_STATUS_OK, "export path");
    CHECK(exposure_inputs_add_inventory(named, reg, reg_len, "xp", 2, NULL) == EXPOSURE_STATUS_OK, "export buffer");
    CHECK(exposure_inputs_set_cpe_dictionary_path(named, dictionary, strlen(dictionary), NULL) == EXPOSURE_STATUS_OK, "dictionary");
    a = assessed(nvd, by_buffer, "registry export buffer");
    b = assessed(nvd, by_path, "registry export path");
    c = assessed(nvd, named, "registry export with the dictionary");
    organisation(a, &sa, &fa, &da);
    organisation(b, &sb, &fb, &db);
    organisation(c, &sc, &fc, &dc);
    CHECK(da == 1 && fa > 100, "the XP export against NVD 2017: %d devices, %d findings", da, fa);
    CHECK(fb == fa && sb == sa, "its file gives what its bytes give: %d vs %d", fb, fa);
    /* Programs are named against the knowledge's own NVD names: the dictionary adds names of
     * products NVD 2017 has no record for, so no finding. */
    CHECK(dc == 1 && fc == fa, "the knowledge names what it has records for: %d findings with the dictionary, %d without", fc, fa);
    /* 21 programs have neither a DisplayVersion nor a version in their name. */
    CHECK(a && strstr(exposure_string_ptr(a), "\"records_skipped\":21") != NULL, "programs without a version are reported skipped");
    exposure_string_free(a);
    exposure_string_free(b);
    exposure_string_free(c);
    remove(tmp);
    free(reg);
    exposure_inputs_free(by_buffer);
    exposure_inputs_free(by_path);
    exposure_inputs_free(named);
    exposure_engine_free(nvd);
}

/* The formats of one device without a file: `rpm -qa` output and lists of installed programs
 * (CSV and JSON), as buffers on the demo knowledge; and a fleet document. Each is one device
 * whose records the inventory report counts. */
static void other_formats(void) {
    static const struct {
        const char *what, *text, *origin, *loaded;
    } formats[] = {
        {"rpm -qa", "bash-5.1.8-6.el9.x86_64\nopenssl-libs-3.0.7-24.el9.x86_64\n", "rhel-host", "\"records_loaded\":2"},
        {"CSV programs", "DisplayName,Publisher,DisplayVersion\r\n7-Zip 19.00 (x64),Igor Pavlov,19.00\r\nNotepad++ (64-bit x64),Notepad++ Team,8.4.6\r\n",
         "pc-csv", "\"records_loaded\":2"},
        {"JSON programs", "[{\"DisplayName\": \"7-Zip 19.00\", \"Publisher\": \"Igor Pavlov\", \"DisplayVersion\": \"19.00\"}]", "pc-json",
         "\"records_loaded\":1"},
        {"fleet", "{\"devices\": [{\"id\": \"laptop\", \"software\": [{\"purl\": \"pkg:golang/golang.org/x/net@v0.7.0\"}]}]}", "fleet",
         "\"findings\":1}"},
    };
    size_t i;
    for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        exposure_inputs *inputs = new_inputs();
        exposure_string *json;
        double score;
        int findings, devices;
        CHECK(exposure_inputs_set_demo(inputs, true, NULL) == EXPOSURE_STATUS_OK, "demo");
        CHECK(exposure_inputs_add_inventory(inputs, (const uint8_t *)formats[i].text, strlen(formats[i].text), formats[i].origin,
                                            strlen(formats[i].origin), NULL) == EXPOSURE_STATUS_OK,
              "%s", formats[i].what);
        json = assessed(NULL, inputs, formats[i].what);
        organisation(json, &score, &findings, &devices);
        CHECK(devices == 1, "%s: %d devices", formats[i].what, devices);
        CHECK(json && strstr(exposure_string_ptr(json), formats[i].loaded) != NULL, "%s: no %s", formats[i].what, formats[i].loaded);
        exposure_string_free(json);
        exposure_inputs_free(inputs);
    }
}

/* Options on the embedded demo: as-of day, parameters, exceptions, partial loads, limits,
 * records; and the statuses of refused inputs. */
static void options(void) {
    exposure_inputs *inputs = new_inputs();
    exposure_string *json = NULL, *record = NULL;
    exposure_error *err = NULL;
    unsigned char *exceptions;
    size_t exceptions_len = 0;
    char broken[] = "/tmp/exposure-c-broken-XXXXXX";
    int fd;
    /* The release: an os-release that names none, one that cannot be read. */
    CHECK(exposure_inputs_set_os_release(inputs, "ID=plan9\nVERSION_ID=4\n", 20, &err) == EXPOSURE_STATUS_INVENTORY_DISTRO, "not a release");
    exposure_error_free(err);
    err = NULL;
    CHECK(exposure_inputs_set_os_release_path(inputs, "/nonexistent/os-release", 23, &err) == EXPOSURE_STATUS_INVENTORY_IO, "no os-release");
    exposure_error_free(err);
    err = NULL;
    /* Nothing to assess. */
    CHECK(exposure_inputs_assess_json(inputs, &json, &err) == EXPOSURE_STATUS_MISSING_INPUTS && json == NULL, "no inputs");
    CHECK(err != NULL && exposure_error_status(err) == EXPOSURE_STATUS_MISSING_INPUTS, "err filled");
    exposure_error_free(err);
    err = NULL;
    CHECK(exposure_inputs_set_demo(inputs, true, NULL) == EXPOSURE_STATUS_OK, "demo");
    CHECK(exposure_inputs_set_as_of(inputs, "2026-12-04", 10, NULL) == EXPOSURE_STATUS_OK, "as of");
    CHECK(exposure_inputs_set_as_of(inputs, "2026-02-30", 10, &err) == EXPOSURE_STATUS_INVALID_DATE, "not a day");
    exposure_error_free(err);
    err = NULL;
    CHECK(exposure_inputs_set_parameters_json(inputs, "{\"version\": \"acme/1\"}", 21, NULL) == EXPOSURE_STATUS_OK, "parameters");
    CHECK(exposure_inputs_set_parameters_json(inputs, "{\"kev_floor\": 2}", 16, &err) == EXPOSURE_STATUS_INVALID_PARAMETERS, "bad parameters");
    exposure_error_free(err);
    err = NULL;
    exceptions = read_file("examples/exceptions.yaml", &exceptions_len);
    CHECK(exposure_inputs_set_exceptions_text(inputs, (const char *)exceptions, exceptions_len, NULL) == EXPOSURE_STATUS_OK, "exceptions");
    CHECK(exposure_inputs_set_exceptions_text(inputs, "{broken", 7, &err) == EXPOSURE_STATUS_INVALID_EXCEPTIONS, "bad exceptions");
    exposure_error_free(err);
    err = NULL;
    json = assessed(NULL, inputs, "demo with options");
    CHECK(json && strstr(exposure_string_ptr(json), "\"model_version\":\"acme/1\"") != NULL, "the parameters scored");
    CHECK(json && strstr(exposure_string_ptr(json), "\"as_of\":\"2026-12-04\"") != NULL, "the day recorded");
    CHECK(json && strstr(exposure_string_ptr(json), "\"exceptions\":[{") != NULL, "the exceptions reported");
    exposure_string_free(json);
    /* Removing them again (NULL) gives the demo's plain assessment. */
    CHECK(exposure_inputs_set_exceptions_text(inputs, NULL, 0, NULL) == EXPOSURE_STATUS_OK, "no exceptions");
    CHECK(exposure_inputs_set_parameters_json(inputs, NULL, 0, NULL) == EXPOSURE_STATUS_OK, "default parameters");
    CHECK(exposure_inputs_set_as_of(inputs, NULL, 0, NULL) == EXPOSURE_STATUS_OK, "no day");
    json = assessed(NULL, inputs, "demo");
    CHECK(json && strstr(exposure_string_ptr(json), "\"devices\":5,\"vulnerable_devices\":5,\"findings\":11") != NULL, "the demo");
    CHECK(json && strstr(exposure_string_ptr(json), "\"as_of\"") == NULL && strstr(exposure_string_ptr(json), "\"exceptions\"") == NULL,
          "nothing left of the options");
    exposure_string_free(json);
    json = NULL;
    /* Records, binary and JSON. */
    CHECK(exposure_inputs_record(inputs, EXPOSURE_RECORD_FORMAT_BINARY, &record, NULL) == EXPOSURE_STATUS_OK, "binary record");
    CHECK(record && exposure_string_len(record) > 12 && memcmp(exposure_string_ptr(record), "EXPOSURE-REC", 12) == 0, "its magic");
    exposure_string_free(record);
    record = NULL;
    CHECK(exposure_inputs_record(inputs, 7, &record, &err) == EXPOSURE_STATUS_INVALID_ARGUMENT && record == NULL, "unknown format");
    exposure_error_free(err);
    err = NULL;
    /* A knowledge input that yields nothing is refused, unless partial loads are allowed. */
    fd = mkstemp(broken);
    CHECK(fd >= 0 && write(fd, "{broken", 7) == 7, "broken file");
    if (fd >= 0) close(fd);
    CHECK(add_path(inputs, broken, 1) == EXPOSURE_STATUS_OK, "broken kb");
    CHECK(exposure_inputs_assess_json(inputs, &json, &err) == EXPOSURE_STATUS_KB_INCOMPLETE && json == NULL, "fail closed: %s",
          err ? exposure_error_message(err) : "");
    CHECK(err && strstr(exposure_error_message(err), "yields nothing") != NULL, "why");
    exposure_error_free(err);
    err = NULL;
    CHECK(exposure_inputs_set_allow_partial(inputs, true, NULL) == EXPOSURE_STATUS_OK, "allow partial");
    json = assessed(NULL, inputs, "partial");
    CHECK(json && strstr(exposure_string_ptr(json), "\"knowledge_reports\":[{") != NULL, "its report is in the assessment");
    exposure_string_free(json);
    json = NULL;
    /* An inventory larger than the limit. */
    CHECK(exposure_inputs_set_input_limit(inputs, 0, &err) == EXPOSURE_STATUS_INVALID_ARGUMENT, "a zero limit");
    exposure_error_free(err);
    err = NULL;
    CHECK(exposure_inputs_set_input_limit(inputs, 16, NULL) == EXPOSURE_STATUS_OK, "limit");
    CHECK(exposure_inputs_add_inventory(inputs, (const uint8_t *)"{\"devices\": [{\"id\": \"a\"}]}", 26, "big", 3, NULL) == EXPOSURE_STATUS_OK, "inventory");
    CHECK(exposure_inputs_assess_json(inputs, &json, &err) == EXPOSURE_STATUS_INVENTORY_IO && json == NULL, "too large: %s",
          err ? exposure_error_message(err) : "");
    CHECK(err && strstr(exposure_error_message(err), "input size limit") != NULL, "the limit named");
    exposure_error_free(err);
    remove(broken);
    free(exceptions);
    exposure_inputs_free(inputs);
}

/* Every report format of the demo, as `exposure assess --format` writes them. */
static void reports(void) {
    static const struct {
        const char *format;
        const char *starts;
    } formats[] = {
        {"sarif", "{"}, {"cyclonedx", "{"}, {"openvex", "{"},
        {"csv", "device_id,"}, {"markdown", "## Exposure: "}, {"html", "<!DOCTYPE html>"},
    };
    exposure_inputs *inputs = NULL;
    CHECK(exposure_inputs_new(&inputs, NULL) == EXPOSURE_STATUS_OK, "inputs");
    CHECK(exposure_inputs_set_demo(inputs, true, NULL) == EXPOSURE_STATUS_OK, "demo");
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        exposure_string *out = NULL;
        exposure_error *err = NULL;
        exposure_status status =
            exposure_inputs_report(inputs, formats[i].format, strlen(formats[i].format), &out, &err);
        CHECK(status == EXPOSURE_STATUS_OK, "report %s: %s", formats[i].format, err ? exposure_error_message(err) : "");
        if (status == EXPOSURE_STATUS_OK) {
            const char *text = exposure_string_ptr(out);
            CHECK(strncmp(text, formats[i].starts, strlen(formats[i].starts)) == 0, "report %s starts %.20s", formats[i].format, text);
        }
        exposure_string_free(out);
        exposure_error_free(err);
    }
    /* A directory tree as one device: the repository's Alpine image fixture with its lockfiles. */
    {
        const char *tree = "core/tests/rootfs/app-image";
        exposure_inputs *image = NULL;
        exposure_string *json = NULL;
        CHECK(exposure_inputs_new(&image, NULL) == EXPOSURE_STATUS_OK, "inputs");
        CHECK(exposure_inputs_set_demo(image, true, NULL) == EXPOSURE_STATUS_OK, "demo knowledge");
        CHECK(exposure_inputs_add_rootfs_path(image, tree, strlen(tree), NULL) == EXPOSURE_STATUS_OK, "rootfs");
        CHECK(exposure_inputs_assess_json(image, &json, NULL) == EXPOSURE_STATUS_OK, "rootfs assessed");
        if (json) {
            double score;
            int findings, devices;
            organisation(json, &score, &findings, &devices);
            CHECK(devices == 1 && findings >= 8, "the tree is one device with its lockfiles' findings: %d devices, %d findings", devices, findings);
        }
        exposure_string_free(json);
        exposure_inputs_free(image);
    }
    exposure_string *out = NULL;
    exposure_error *err = NULL;
    CHECK(exposure_inputs_report(inputs, "pdf", 3, &out, &err) == EXPOSURE_STATUS_INVALID_ARGUMENT && out == NULL,
          "an unknown format");
    CHECK(err != NULL && exposure_error_status(err) == EXPOSURE_STATUS_INVALID_ARGUMENT &&
              strstr(exposure_error_message(err), "sarif") != NULL,
          "the error names the formats");
    exposure_error_free(err);
    exposure_inputs_free(inputs);
}

int main(void) {
    const char *dir = getenv("EXPOSURE_SHARED_DIR");
    const char *ci = getenv("CI");
    struct stat st;
    snprintf(shared, sizeof shared, "%s", dir && *dir ? dir : "../shared");
    options();
    other_formats();
    reports();
    if (stat(data("inventory-dpkg/dpkg-status-this-machine"), &st) != 0) {
        int in_ci = ci && (strcmp(ci, "true") == 0 || strcmp(ci, "1") == 0);
        printf("inputs.c: SKIPPED the real-data checks: %s/data is absent\n", shared);
        CHECK(!in_ci, "the shared data %s/data is absent in CI", shared);
    } else {
        exposure_engine *go = NULL;
        exposure_error *err = NULL;
        CHECK(exposure_engine_new(&go, NULL) == EXPOSURE_STATUS_OK, "engine");
        CHECK(exposure_engine_load_path(go, data("osv-go/golang-vulndb-osv.tar.gz"), strlen(data("osv-go/golang-vulndb-osv.tar.gz")), NULL,
                                        &err) == EXPOSURE_STATUS_OK,
              "Go database: %s", err ? exposure_error_message(err) : "");
        exposure_error_free(err);
        dpkg_with_os_release();
        sboms(go);
        windows_registry();
        exposure_engine_free(go);
    }
    printf("inputs.c: %d checks passed, %d failed\n", passes, failures);
    return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
