/* The public header alone, compiled by scripts/test as C99 and as C11 with -pedantic -Wall
 * -Wextra -Werror (and -Wstrict-prototypes): it must need no other header and no extension. It
 * is also an ordinary C test: the enums' named constants pass as uint32_t and
 * exposure_status_str names them. */
#include "exposure.h"

#include <string.h>

int main(void) {
    exposure_version *v = NULL;
    exposure_status parsed = exposure_version_parse(EXPOSURE_SCHEME_DEB, "1.0", 3, &v, NULL);
    const char *name = exposure_status_str(EXPOSURE_STATUS_INVALID_UTF8);
    exposure_version_free(v);
    return parsed == EXPOSURE_STATUS_OK && exposure_abi_version() == EXPOSURE_ABI_VERSION && name != NULL &&
                   strcmp(name, "EXPOSURE_STATUS_INVALID_UTF8") == 0
               ? 0
               : 1;
}
