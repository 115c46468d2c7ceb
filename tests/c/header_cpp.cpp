// Compiles the public header as C++ (C++11 and C++17, with -Wall -Wextra -Werror -pedantic) so
// that it stays C++-clean; scripts/test also compiles it as C99 and C11 (header_c.c).
#include "exposure.h"

int main() {
    exposure_status status = EXPOSURE_STATUS_OK;
    // Enum parameters are uint32_t: the named constants of the header's enums still pass.
    exposure_version *v = 0;
    exposure_status parsed = exposure_version_parse(EXPOSURE_SCHEME_DEB, "1.0", 3, &v, 0);
    exposure_version_free(v);
    const char *name = exposure_status_str(EXPOSURE_STATUS_NULL_ARGUMENT);
    return status == EXPOSURE_STATUS_OK && parsed == EXPOSURE_STATUS_OK && exposure_abi_version() == EXPOSURE_ABI_VERSION &&
                   name != 0 && name[0] == 'E'
               ? 0
               : 1;
}
