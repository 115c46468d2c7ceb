/* Assess inventories against vulnerability knowledge from C: `assess KB INVENTORY...` prints
 * the assessment as JSON (`assess` alone: the embedded demo). README.md shows this file. */
#include <exposure.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    exposure_inputs *inputs = NULL;
    exposure_string *json = NULL;
    exposure_error *err = NULL;
    exposure_status status = exposure_inputs_new(&inputs, &err);
    if (status == EXPOSURE_STATUS_OK && argc < 3)
        status = exposure_inputs_set_demo(inputs, true, &err);
    if (status == EXPOSURE_STATUS_OK && argc >= 3)
        status = exposure_inputs_add_knowledge_path(inputs, argv[1], strlen(argv[1]), &err);
    for (int i = 2; status == EXPOSURE_STATUS_OK && i < argc; i++)
        status = exposure_inputs_add_inventory_path(inputs, argv[i], strlen(argv[i]), &err);
    if (status == EXPOSURE_STATUS_OK)
        status = exposure_inputs_assess_json(inputs, &json, &err);
    if (status == EXPOSURE_STATUS_OK)
        printf("%s\n", exposure_string_ptr(json));
    else
        fprintf(stderr, "assess: %s: %s\n", exposure_status_str(status), exposure_error_message(err));
    exposure_string_free(json);
    exposure_error_free(err);
    exposure_inputs_free(inputs);
    return status == EXPOSURE_STATUS_OK ? 0 : 1;
}
