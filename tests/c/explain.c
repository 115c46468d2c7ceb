/* The explanations and the model parameters through the C ABI, on the demo: a device's
 * findings by marginal contribution, the organisation's devices by contribution, parameters
 * replaced from JSON (and refused when out of range), the default set as JSON. Built with
 * ASan/UBSan by scripts/test, so every string must be freed. */
#include "exposure.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

static const char *text(const exposure_string *s) { return exposure_string_ptr(s); }

static void device_and_organisation(exposure_engine *engine, const exposure_string *fleet) {
    exposure_string *out = NULL;
    exposure_error *err = NULL;
    static const char device[] = "api-gw-01";
    CHECK(exposure_engine_explain_json(engine, text(fleet), exposure_string_len(fleet), device, strlen(device), &out,
                                       &err) == EXPOSURE_STATUS_OK,
          "explain api-gw-01");
    CHECK(err == NULL, "no error");
    if (out != NULL) {
        const char *json = text(out);
        CHECK(strstr(json, "\"device_id\":\"api-gw-01\"") != NULL, "the device: %s", json);
        CHECK(strstr(json, "\"findings\":[{\"advisory_id\":\"GO-2023-2102\"") != NULL, "the alerted finding first: %s", json);
        CHECK(strstr(json, "\"set_by\":\"alert\"") != NULL, "set by the alert");
        CHECK(strstr(json, "\"set_by\":\"internet-facing odds ×3\"") != NULL, "set by the internet-facing odds");
        CHECK(strstr(json, "\"marginal\":") != NULL && strstr(json, "\"share\":") != NULL, "marginal and share");
        CHECK(strstr(json, "\"likelihood_steps\":[{\"kind\":") != NULL, "the steps, the base first");
    }
    exposure_string_free(out);
    out = NULL;

    CHECK(exposure_engine_explain_json(engine, text(fleet), exposure_string_len(fleet), NULL, 0, &out, &err) ==
              EXPOSURE_STATUS_OK,
          "explain the organisation");
    if (out != NULL) {
        const char *json = text(out);
        CHECK(strstr(json, "\"devices\":[{\"device_id\":\"api-gw-01\"") != NULL, "the largest contribution first: %s", json);
        CHECK(strstr(json, "\"contribution\":") != NULL && strstr(json, "\"total_weight\":4.75") != NULL, "contributions");
    }
    exposure_string_free(out);
    out = NULL;

    CHECK(exposure_engine_explain_json(engine, text(fleet), exposure_string_len(fleet), "nope", 4, &out, &err) ==
              EXPOSURE_STATUS_UNKNOWN_DEVICE,
          "an unknown device");
    CHECK(out == NULL, "no output on failure");
    CHECK(err != NULL && exposure_error_status(err) == EXPOSURE_STATUS_UNKNOWN_DEVICE, "err filled");
    CHECK(err != NULL && strstr(exposure_error_message(err), "no device \"nope\"") != NULL, "its message");
    exposure_error_free(err);
}

static void parameters(exposure_engine *engine, const exposure_string *fleet) {
    exposure_string *defaults = NULL;
    exposure_string *out = NULL;
    exposure_error *err = NULL;
    static const char acme[] = "{\"version\": \"acme/1\", \"internet_facing_odds\": 1}";
    static const char bad[] = "{\"kev_floor\": 1.5}";
    static const char unknown[] = "{\"kev_flor\": 0.5}";

    CHECK(exposure_model_default_json(&defaults, NULL) == EXPOSURE_STATUS_OK, "the default set");
    CHECK(defaults != NULL && strstr(text(defaults), "\"version\": \"exposure-model/1.0\"") != NULL, "its version");
    /* The defaults round-trip. */
    CHECK(exposure_engine_set_parameters_json(engine, text(defaults), exposure_string_len(defaults), &err) ==
              EXPOSURE_STATUS_OK,
          "the defaults accepted");
    exposure_string_free(defaults);

    CHECK(exposure_engine_set_parameters_json(engine, bad, strlen(bad), &err) == EXPOSURE_STATUS_INVALID_PARAMETERS,
          "out of range");
    CHECK(err != NULL && strstr(exposure_error_message(err), "kev_floor is 1.5") != NULL, "the message names the field");
    exposure_error_free(err);
    err = NULL;
    CHECK(exposure_engine_set_parameters_json(engine, unknown, strlen(unknown), &err) ==
              EXPOSURE_STATUS_INVALID_PARAMETERS,
          "unknown field");
    CHECK(err != NULL && strstr(exposure_error_message(err), "kev_flor") != NULL, "the message names the field");
    exposure_error_free(err);
    err = NULL;

    CHECK(exposure_engine_set_parameters_json(engine, acme, strlen(acme), &err) == EXPOSURE_STATUS_OK, "a set");
    CHECK(exposure_engine_assess_json(engine, text(fleet), exposure_string_len(fleet), &out, &err) ==
              EXPOSURE_STATUS_OK,
          "assessed with it");
    CHECK(out != NULL && strstr(text(out), "\"model_version\":\"acme/1\"") != NULL, "recorded in the assessment");
    CHECK(out != NULL && strstr(text(out), "\"internet_facing_odds\":1.0") != NULL, "the whole set recorded");
    exposure_string_free(out);
}

int main(void) {
    exposure_engine *engine = NULL;
    exposure_string *fleet = NULL;
    CHECK(exposure_engine_new_demo(&engine, NULL) == EXPOSURE_STATUS_OK, "engine");
    CHECK(exposure_demo_fleet_json(&fleet, NULL) == EXPOSURE_STATUS_OK, "fleet");
    device_and_organisation(engine, fleet);
    parameters(engine, fleet);
    exposure_string_free(fleet);
    exposure_engine_free(engine);
    printf("explain.c: %d checks passed, %d failed\n", passes, failures);
    return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
