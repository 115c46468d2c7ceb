/* exposure_engine_assess_arrow: an inventory record batch built by hand with the Arrow C data
 * interface (a struct array of two utf8 columns, device_id and purl), assessed against the
 * demo knowledge base; the findings and device scores read back from the arrays returned, and
 * released. A bad row fails with INVENTORY_MALFORMED naming its column and row. Built with
 * -std=c99 -Wall -Wextra -Werror -pedantic under ASan/UBSan by scripts/test: a leak or a
 * release missed fails it. */
#include "exposure.h"
#include "check.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ROWS 3

/* The batch's memory: static, as a producer may keep it; release only marks it released. */
static const char *ids[ROWS] = {"web-1", "web-1", "db-1"};
static const char *purls[ROWS] = {"pkg:npm/lodash@4.17.20", "pkg:npm/minimist@1.2.5", NULL};
static int32_t id_offsets[ROWS + 1], purl_offsets[ROWS + 1];
static char id_data[64], purl_data[128];
static uint8_t purl_validity[1];
static const void *id_buffers[3], *purl_buffers[3], *struct_buffers[1];
static struct ArrowArray id_array, purl_array, batch_array;
static struct ArrowArray *children[2];
static struct ArrowSchema id_schema, purl_schema, batch_schema;
static struct ArrowSchema *schema_children[2];
static int arrays_released = 0; /* batches released */

static void release_schema(struct ArrowSchema *s) { s->release = NULL; }

static void release_array(struct ArrowArray *a) {
    for (int64_t i = 0; i < a->n_children; i++) {
        if (a->children[i]->release != NULL) {
            a->children[i]->release(a->children[i]);
        }
    }
    a->release = NULL;
    if (a->n_children == 2) { /* the batch, not a column */
        arrays_released++;
    }
}

/* A utf8 column of `values` (NULL: a null row) into its offsets, data and validity. */
static void utf8(const char **values, int32_t *offsets, char *data, uint8_t *validity, const void **buffers,
                 struct ArrowArray *array) {
    int64_t nulls = 0;
    offsets[0] = 0;
    for (int i = 0; i < ROWS; i++) {
        size_t len = values[i] ? strlen(values[i]) : 0;
        if (values[i]) {
            memcpy(data + offsets[i], values[i], len);
        } else {
            nulls++;
        }
        if (validity) {
            validity[0] = (uint8_t)(values[i] ? validity[0] | (1u << i) : validity[0] & ~(1u << i));
        }
        offsets[i + 1] = offsets[i] + (int32_t)len;
    }
    buffers[0] = validity;
    buffers[1] = offsets;
    buffers[2] = data;
    memset(array, 0, sizeof *array);
    array->length = ROWS;
    array->null_count = nulls;
    array->n_buffers = 3;
    array->buffers = buffers;
    array->release = release_array;
}

static void field(struct ArrowSchema *s, const char *format, const char *name, int64_t flags) {
    memset(s, 0, sizeof *s);
    s->format = format;
    s->name = name;
    s->flags = flags;
    s->release = release_schema;
}

/* The inventory batch, with the purl of row `bad` (if any) replaced by one without a version. */
static void build(int bad) {
    static const char *bad_purls[ROWS];
    memcpy(bad_purls, purls, sizeof purls);
    if (bad >= 0) {
        bad_purls[bad] = "pkg:npm/lodash";
    }
    utf8(ids, id_offsets, id_data, NULL, id_buffers, &id_array);
    utf8(bad_purls, purl_offsets, purl_data, purl_validity, purl_buffers, &purl_array);
    children[0] = &id_array;
    children[1] = &purl_array;
    struct_buffers[0] = NULL;
    memset(&batch_array, 0, sizeof batch_array);
    batch_array.length = ROWS;
    batch_array.n_buffers = 1;
    batch_array.buffers = struct_buffers;
    batch_array.n_children = 2;
    batch_array.children = children;
    batch_array.release = release_array;
    field(&id_schema, "u", "device_id", 0);
    field(&purl_schema, "u", "purl", ARROW_FLAG_NULLABLE);
    schema_children[0] = &id_schema;
    schema_children[1] = &purl_schema;
    field(&batch_schema, "+s", "", 0);
    batch_schema.n_children = 2;
    batch_schema.children = schema_children;
}

/* Row `row` of the utf8 child `column` of a returned struct array, copied into `out`. */
static const char *text_at(const struct ArrowArray *batch, int column, int64_t row, char *out, size_t cap) {
    const struct ArrowArray *child = batch->children[column];
    const int32_t *offsets = (const int32_t *)child->buffers[1];
    const char *data = (const char *)child->buffers[2];
    int64_t at = child->offset + row;
    size_t len = (size_t)(offsets[at + 1] - offsets[at]);
    if (len >= cap) {
        len = cap - 1;
    }
    memcpy(out, data + offsets[at], len);
    out[len] = '\0';
    return out;
}

int main(void) {
    exposure_engine *engine = NULL;
    exposure_error *err = NULL;
    struct ArrowSchema findings_schema, devices_schema;
    struct ArrowArray findings, devices;
    char buf[64];
    CHECK(exposure_engine_new_demo(&engine, NULL) == EXPOSURE_STATUS_OK, "demo engine");

    build(-1);
    exposure_status st = exposure_engine_assess_arrow(engine, &batch_schema, &batch_array, &findings_schema,
                                                      &findings, &devices_schema, &devices, &err);
    CHECK(st == EXPOSURE_STATUS_OK, "assess_arrow: %u %s", (unsigned)st, err ? exposure_error_message(err) : "");
    CHECK(batch_array.release == NULL && arrays_released == 1, "the input array moved and released");
    if (st == EXPOSURE_STATUS_OK) {
        CHECK(strcmp(findings_schema.format, "+s") == 0 && findings_schema.n_children == 29, "findings schema");
        CHECK(strcmp(findings_schema.children[0]->name, "device_id") == 0, "first column");
        CHECK(strcmp(findings_schema.children[0]->format, "u") == 0, "device_id is utf8");
        CHECK(findings.length >= 2 && findings.n_children == 29, "findings: %lld", (long long)findings.length);
        CHECK(strcmp(text_at(&findings, 0, 0, buf, sizeof buf), "web-1") == 0, "first finding's device: %s", buf);
        CHECK(devices_schema.n_children == 9 && devices.length == 2, "devices: %lld", (long long)devices.length);
        CHECK(strcmp(text_at(&devices, 0, 1, buf, sizeof buf), "db-1") == 0, "second device: %s", buf);
        findings.release(&findings);
        findings_schema.release(&findings_schema);
        devices.release(&devices);
        devices_schema.release(&devices_schema);
        CHECK(findings.release == NULL && devices_schema.release == NULL, "outputs released");
    }

    build(1);
    findings.release = NULL;
    st = exposure_engine_assess_arrow(engine, &batch_schema, &batch_array, &findings_schema, &findings,
                                      &devices_schema, &devices, &err);
    CHECK(st == EXPOSURE_STATUS_INVENTORY_MALFORMED, "a purl without a version: %u", (unsigned)st);
    CHECK(exposure_error_status(err) == EXPOSURE_STATUS_INVENTORY_MALFORMED, "err filled");
    CHECK(strstr(exposure_error_message(err), "row 1: column \"purl\"") != NULL, "message: %s", exposure_error_message(err));
    CHECK(batch_array.release == NULL && arrays_released == 2, "the input array released on failure too");
    CHECK(findings.release == NULL, "outputs untouched");
    exposure_error_free(err);
    err = NULL;

    build(-1);
    batch_schema.format = "u"; /* not a struct: not a record batch */
    batch_array.n_children = 0;
    st = exposure_engine_assess_arrow(engine, &batch_schema, &batch_array, &findings_schema, &findings,
                                      &devices_schema, &devices, &err);
    CHECK(st == EXPOSURE_STATUS_INVALID_ARGUMENT, "not a struct: %u", (unsigned)st);
    exposure_error_free(err);
    /* The children were not handed over as children: release them as their producer. */
    id_array.release(&id_array);
    purl_array.release(&purl_array);

    exposure_engine_free(engine);
    printf("arrow: %d passed, %d failed\n", passes, failures);
    return failures == 0 ? 0 : 1;
}
